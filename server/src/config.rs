//! Settings from the environment (a `.env` file is read first when present), validated once at
//! start. A bad value stops the server with one line naming the variable.

use std::{
    net::{IpAddr, SocketAddr},
    path::{Path, PathBuf},
    time::Duration,
};

use ipnet::IpNet;

pub const DEFAULT_SQLITE_PATH: &str = "data/order-desk.db";
const DEV_SECRET_FILE: &str = "data/jwt-secret";
/// Longer-lived sign-ins are not a setting but a risk (and far-future dates overflow).
const MAX_TOKEN_TTL: Duration = Duration::from_secs(365 * 86_400);
/// A century of visitor statistics; beyond that the cut-off date does not exist.
const MAX_RETENTION_DAYS: u32 = 36_500;
const MIN_SECRET_BYTES: usize = 32;

#[derive(Debug, thiserror::Error)]
#[error("{var}: {message}")]
pub struct ConfigError {
    pub var: &'static str,
    pub message: String,
}

impl ConfigError {
    fn new(var: &'static str, message: impl Into<String>) -> Self {
        Self {
            var,
            message: message.into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppEnv {
    Development,
    Production,
}

impl AppEnv {
    pub fn is_production(self) -> bool {
        self == Self::Production
    }
}

#[derive(Clone)]
pub struct Config {
    pub database_url: String,
    pub app_env: AppEnv,
    /// `None` only before `resolve_dev_secret` ran in development.
    pub jwt_secret: Option<Secret>,
    pub bind_addr: SocketAddr,
    pub token_ttl: Duration,
    /// Peers whose `X-Forwarded-For` / `X-Real-IP` headers are believed (nginx).
    pub trusted_proxies: Vec<IpNet>,
    pub rate_limit_logins_per_minute: u32,
    pub rate_limit_orders_per_minute: u32,
    pub rate_limit_metrics_per_minute: u32,
    /// Business time zone: statistics are bucketed into its days.
    pub timezone: chrono_tz::Tz,
    pub metrics_retention_days: u32,
    /// Where the built front-ends live (served in development only).
    pub static_root: PathBuf,
}

/// A secret that never shows up in logs or `Debug` output.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }
    pub fn expose(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &redact_url(&self.database_url))
            .field("app_env", &self.app_env)
            .field("bind_addr", &self.bind_addr)
            .field("token_ttl", &self.token_ttl)
            .field("trusted_proxies", &self.trusted_proxies)
            .finish_non_exhaustive()
    }
}

impl Config {
    /// Reads the process environment (after loading `.env` if there is one).
    pub fn from_env() -> Result<Self, ConfigError> {
        // A missing .env is normal; a malformed one is worth stopping for.
        match dotenvy::dotenv() {
            Ok(_) => {}
            Err(err) if err.not_found() => {}
            Err(err) => return Err(ConfigError::new(".env", err.to_string())),
        }
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Builds the configuration from any variable source; tests pass a map.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let var = |name: &str| {
            get(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };

        let app_env = match var("APP_ENV").as_deref() {
            None | Some("development") | Some("dev") => AppEnv::Development,
            Some("production") | Some("prod") => AppEnv::Production,
            Some(other) => {
                return Err(ConfigError::new(
                    "APP_ENV",
                    format!("expected `development` or `production`, got `{other}`"),
                ));
            }
        };

        let database_url = match var("DATABASE_URL") {
            None => format!("sqlite://{DEFAULT_SQLITE_PATH}?mode=rwc"),
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => url,
            Some(url) if url.starts_with("sqlite:") => url,
            Some(_) => {
                return Err(ConfigError::new(
                    "DATABASE_URL",
                    "expected a postgres://… or sqlite://… URL",
                ));
            }
        };

        let jwt_secret = match var("JWT_SECRET") {
            Some(secret) if secret.len() < MIN_SECRET_BYTES => {
                return Err(ConfigError::new(
                    "JWT_SECRET",
                    format!(
                        "must be at least {MIN_SECRET_BYTES} bytes (e.g. `openssl rand -hex 32`)"
                    ),
                ));
            }
            Some(secret) if looks_made_up(&secret) => {
                return Err(ConfigError::new(
                    "JWT_SECRET",
                    "looks typed, not random (a repeated pattern or under 8 different characters): \
                     use e.g. `openssl rand -hex 32`",
                ));
            }
            Some(secret) => Some(Secret::new(secret)),
            None if app_env.is_production() => {
                return Err(ConfigError::new(
                    "JWT_SECRET",
                    "required in production (e.g. `openssl rand -hex 32`)",
                ));
            }
            None => None,
        };

        let bind_addr = match var("BIND_ADDR") {
            None => SocketAddr::from(([127, 0, 0, 1], 8080)),
            Some(addr) => addr.parse().map_err(|_| {
                ConfigError::new("BIND_ADDR", format!("expected host:port, got `{addr}`"))
            })?,
        };

        let token_ttl = match var("TOKEN_TTL") {
            None => Duration::from_secs(24 * 3600),
            Some(text) => parse_duration(&text)
                .filter(|ttl| *ttl <= MAX_TOKEN_TTL)
                .ok_or_else(|| {
                    ConfigError::new(
                        "TOKEN_TTL",
                        format!(
                            "expected a duration like `24h`, `30m` or `7d` (at most 365d), got `{text}`"
                        ),
                    )
                })?,
        };

        let trusted_proxies = match var("TRUSTED_PROXIES") {
            None => Vec::new(),
            Some(list) => list
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(parse_net)
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| {
                    ConfigError::new(
                        "TRUSTED_PROXIES",
                        "expected a comma-separated list of IP addresses or CIDR networks",
                    )
                })?,
        };

        let rate_limit_logins_per_minute = parse_u32(&var, "RATE_LIMIT_LOGINS_PER_MINUTE", 10)?;
        let rate_limit_orders_per_minute = parse_u32(&var, "RATE_LIMIT_ORDERS_PER_MINUTE", 10)?;
        // A tracker sends about one batch a second per open page; offices share an IP.
        let rate_limit_metrics_per_minute = parse_u32(&var, "RATE_LIMIT_METRICS_PER_MINUTE", 600)?;
        let timezone = match var("TIMEZONE") {
            None => chrono_tz::UTC,
            Some(name) => name.parse().map_err(|_| {
                ConfigError::new(
                    "TIMEZONE",
                    format!("expected an IANA time zone such as `Europe/Moscow`, got `{name}`"),
                )
            })?,
        };
        let metrics_retention_days = parse_u32(&var, "METRICS_RETENTION_DAYS", 180)?;
        if !(1..=MAX_RETENTION_DAYS).contains(&metrics_retention_days) {
            return Err(ConfigError::new(
                "METRICS_RETENTION_DAYS",
                format!("must be 1–{MAX_RETENTION_DAYS} (days of visitor statistics to keep)"),
            ));
        }

        let static_root = var("STATIC_ROOT").map_or_else(|| PathBuf::from("."), PathBuf::from);

        Ok(Self {
            database_url,
            app_env,
            jwt_secret,
            bind_addr,
            token_ttl,
            trusted_proxies,
            rate_limit_logins_per_minute,
            rate_limit_orders_per_minute,
            rate_limit_metrics_per_minute,
            timezone,
            metrics_retention_days,
            static_root,
        })
    }

    /// In development without `JWT_SECRET`, use a random secret generated once and kept under
    /// `data/`, so tokens survive restarts without anyone having to invent a secret.
    pub fn resolve_dev_secret(&mut self) -> anyhow::Result<()> {
        if self.jwt_secret.is_none() {
            self.jwt_secret = Some(load_or_create_secret(Path::new(DEV_SECRET_FILE))?);
        }
        Ok(())
    }

    pub fn is_trusted_proxy(&self, ip: IpAddr) -> bool {
        self.trusted_proxies.iter().any(|net| net.contains(&ip))
    }
}

fn parse_u32(
    var: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: u32,
) -> Result<u32, ConfigError> {
    match var(name) {
        None => Ok(default),
        Some(text) => text.parse().map_err(|_| {
            ConfigError::new(
                name,
                format!("expected a whole number ≥ 0 (0 turns it off), got `{text}`"),
            )
        }),
    }
}

fn parse_net(text: &str) -> Option<IpNet> {
    text.parse::<IpNet>()
        .ok()
        .or_else(|| text.parse::<IpAddr>().ok().map(IpNet::from))
}

/// `90`, `90s`, `30m`, `24h`, `7d`.
pub fn parse_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: u64 = number.parse().ok()?;
    let seconds = match unit.trim() {
        "" | "s" => number,
        "m" => number.checked_mul(60)?,
        "h" => number.checked_mul(3600)?,
        "d" => number.checked_mul(86_400)?,
        _ => return None,
    };
    (seconds > 0).then(|| Duration::from_secs(seconds))
}

/// A secret anybody could guess: few different characters (`aaaa…`, `changemechangeme…`) or one
/// short piece repeated. Random secrets of 32+ bytes never look like this.
fn looks_made_up(secret: &str) -> bool {
    let bytes = secret.as_bytes();
    let distinct = bytes
        .iter()
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    let repeated = (1..=bytes.len() / 2).any(|n| {
        bytes.len().is_multiple_of(n) && bytes.chunks(n).all(|piece| piece == &bytes[..n])
    });
    distinct < 8 || repeated
}

fn load_or_create_secret(path: &Path) -> anyhow::Result<Secret> {
    use anyhow::Context as _;
    if let Ok(existing) = std::fs::read_to_string(path) {
        let existing = existing.trim();
        if existing.len() >= MIN_SECRET_BYTES {
            return Ok(Secret::new(existing));
        }
    }
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness available: {e}"))?;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    write_private(path, &hex).with_context(|| format!("writing {}", path.display()))?;
    tracing::info!(path = %path.display(), "generated a development JWT secret");
    Ok(Secret::new(hex))
}

#[cfg(unix)]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::{io::Write, os::unix::fs::OpenOptionsExt};
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(contents.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    std::fs::write(path, contents)
}

/// `postgres://user:pass@host/db` → `postgres://user:***@host/db` for logs.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme_end + 3],
                    &credentials[..colon],
                    &url[at..]
                ),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Config::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn defaults_are_a_local_development_setup() {
        let c = config(&[]).unwrap();
        assert_eq!(c.app_env, AppEnv::Development);
        assert_eq!(c.database_url, "sqlite://data/order-desk.db?mode=rwc");
        assert_eq!(c.bind_addr.to_string(), "127.0.0.1:8080");
        assert_eq!(c.token_ttl, Duration::from_secs(86_400));
        assert!(c.jwt_secret.is_none());
        assert_eq!(c.rate_limit_logins_per_minute, 10);
        assert_eq!(c.rate_limit_orders_per_minute, 10);
        assert_eq!(c.timezone, chrono_tz::UTC);
        assert_eq!(c.metrics_retention_days, 180);
    }

    #[test]
    fn production_requires_a_strong_secret() {
        let err = config(&[("APP_ENV", "production")]).unwrap_err();
        assert_eq!(err.var, "JWT_SECRET");
        let err = config(&[("APP_ENV", "production"), ("JWT_SECRET", "short")]).unwrap_err();
        assert_eq!(err.var, "JWT_SECRET");
        assert!(
            err.to_string()
                .starts_with("JWT_SECRET: must be at least 32 bytes")
        );
        for made_up in ["x".repeat(32), "changeme".repeat(4), "abcdefgh12".repeat(4)] {
            let err = config(&[("APP_ENV", "production"), ("JWT_SECRET", &made_up)]).unwrap_err();
            assert_eq!(err.var, "JWT_SECRET", "{made_up}");
            assert!(err.to_string().contains("looks typed"), "{err}");
        }
        let random = "3f9c1e7a5b2d4c6e8f0a1b3c5d7e9f2a4c6e8a0b2d4f6a8c1e3b5d7f9a2c4e6b";
        let ok = config(&[("APP_ENV", "production"), ("JWT_SECRET", random)]).unwrap();
        assert!(ok.app_env.is_production());
    }

    #[test]
    fn each_bad_value_names_its_variable() {
        for (var, value) in [
            ("APP_ENV", "staging"),
            ("DATABASE_URL", "mysql://localhost/db"),
            ("BIND_ADDR", "localhost"),
            ("TOKEN_TTL", "forever"),
            ("TOKEN_TTL", "0h"),
            ("TRUSTED_PROXIES", "10.0.0.1, not-an-ip"),
            ("RATE_LIMIT_LOGINS_PER_MINUTE", "-1"),
            ("RATE_LIMIT_ORDERS_PER_MINUTE", "ten"),
            ("TIMEZONE", "Mars/Olympus"),
            ("METRICS_RETENTION_DAYS", "0"),
            ("METRICS_RETENTION_DAYS", "100000000"),
            ("TOKEN_TTL", "100000000d"),
            ("TOKEN_TTL", "366d"),
        ] {
            let err = config(&[(var, value)]).unwrap_err();
            assert_eq!(err.var, var, "{var}={value} should be refused");
        }
    }

    #[test]
    fn durations_parse_with_units() {
        assert_eq!(parse_duration("90"), Some(Duration::from_secs(90)));
        assert_eq!(parse_duration("30m"), Some(Duration::from_secs(1800)));
        assert_eq!(parse_duration("24h"), Some(Duration::from_secs(86_400)));
        assert_eq!(parse_duration("7d"), Some(Duration::from_secs(604_800)));
        assert_eq!(parse_duration("h"), None);
        assert_eq!(parse_duration("99999999999999999999d"), None);
    }

    #[test]
    fn trusted_proxies_accept_ips_and_networks() {
        let c = config(&[("TRUSTED_PROXIES", "127.0.0.1, 172.16.0.0/12")]).unwrap();
        assert!(c.is_trusted_proxy("127.0.0.1".parse().unwrap()));
        assert!(c.is_trusted_proxy("172.20.1.2".parse().unwrap()));
        assert!(!c.is_trusted_proxy("8.8.8.8".parse().unwrap()));
    }

    #[test]
    fn database_passwords_are_redacted_in_logs() {
        assert_eq!(
            redact_url("postgres://app:hunter2@db:5432/app"),
            "postgres://app:***@db:5432/app"
        );
        assert_eq!(redact_url("sqlite://data/x.db"), "sqlite://data/x.db");
    }
}
