// Hostile bearer tokens, made with node's crypto the way an attacker (or a stale client) would.
import { createHmac, randomBytes } from 'node:crypto';

const b64 = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** An HS256 JWT over `payload` with `secret`. */
export function signHs256(payload, secret, header = { alg: 'HS256', typ: 'JWT' }) {
  const head = `${b64(header)}.${b64(payload)}`;
  const signature = createHmac('sha256', secret).update(head).digest('base64url');
  return `${head}.${signature}`;
}

export function decodePayload(token) {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

/**
 * The forged and stale token kinds of the authorization matrix, built from a valid token of
 * a live admin (`valid`) and the server's secret. Revoked and deleted ones are real tokens
 * the server issued, added by the caller.
 */
export function forgedTokens(valid, secret) {
  const claims = decodePayload(valid);
  const now = Math.floor(Date.now() / 1000);
  const [head, , signature] = valid.split('.');
  return {
    // Right key, right admin, right session version: only the expiry is past.
    expired: signHs256({ sub: claims.sub, iat: now - 7200, exp: now - 3600, sv: claims.sv }, secret),
    otherKey: signHs256({ ...claims, iat: now, exp: now + 3600 }, randomBytes(32).toString('hex')),
    // The valid signature kept, the payload changed (a longer life).
    tamperedPayload: `${head}.${b64({ ...claims, exp: claims.exp + 86_400 * 365 })}.${signature}`,
    // `alg: none`, with and without a trailing empty signature.
    algNone: `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, iat: now, exp: now + 3600 })}.`,
    // HS256 header but signed with the secret as an HS512 key would be (algorithm confusion).
    hs512: (() => {
      const h = `${b64({ alg: 'HS512', typ: 'JWT' })}.${b64({ ...claims, iat: now, exp: now + 3600 })}`;
      return `${h}.${createHmac('sha512', secret).update(h).digest('base64url')}`;
    })(),
    // A right-key token for an admin that never existed.
    unknownAdmin: signHs256({ sub: '00000000-0000-4000-8000-000000000000', iat: now, exp: now + 3600, sv: claims.sv }, secret),
    // Right key, right admin, a session version from the future.
    futureVersion: signHs256({ ...claims, iat: now, exp: now + 3600, sv: claims.sv + 1000 }, secret),
    garbage: 'not-a-jwt',
  };
}
