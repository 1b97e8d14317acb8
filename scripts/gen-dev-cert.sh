#!/usr/bin/env sh
# Makes a self-signed TLS certificate for trying the stack out (browsers will warn: it is signed
# by nobody). For a real domain use Let's Encrypt instead (README, "Deploy").
#
#   scripts/gen-dev-cert.sh [NAME] [DIR]     NAME: host name (default localhost), DIR: default certs
#
# Writes DIR/fullchain.pem and DIR/privkey.pem, the files docker-compose.yml mounts by default
# (TLS_CERT / TLS_KEY). Refuses to overwrite them unless FORCE=1. Needs openssl.
set -eu

name="${1:-localhost}"
dir="${2:-certs}"
days="${DAYS:-365}"

case "$name" in
  *[!A-Za-z0-9.-]*|'') echo "gen-dev-cert: '$name' is not a host name or IPv4 address" >&2; exit 2 ;;
esac

if ! command -v openssl >/dev/null 2>&1; then
  echo "gen-dev-cert: openssl is required (apt-get install openssl)" >&2
  exit 1
fi

cert="$dir/fullchain.pem"
key="$dir/privkey.pem"
if [ "${FORCE:-0}" != 1 ] && { [ -e "$cert" ] || [ -e "$key" ]; }; then
  echo "gen-dev-cert: $cert or $key already exists; FORCE=1 to replace it" >&2
  exit 1
fi

mkdir -p "$dir"
# Keep keys out of git even if the directory is not ignored by the repository.
[ -e "$dir/.gitignore" ] || printf '*\n' > "$dir/.gitignore"

# Subject alternative names: the name itself (as an IP address when it is one), plus localhost
# and the loopback addresses so the same certificate works for local trials.
case "$name" in
  *[!0-9.]*) san="DNS:$name" ;;
  *) san="IP:$name" ;;
esac
[ "$name" = localhost ] || san="$san,DNS:localhost"
san="$san,IP:127.0.0.1,IP:::1"

umask 077
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
  -days "$days" -subj "/CN=$name" \
  -addext "subjectAltName=$san" \
  -addext "basicConstraints=critical,CA:FALSE" \
  -addext "keyUsage=critical,digitalSignature" \
  -addext "extendedKeyUsage=serverAuth" \
  -keyout "$key" -out "$cert" 2>/dev/null
chmod 644 "$cert"

echo "gen-dev-cert: wrote $cert and $key for $name ($san), valid $days days"
