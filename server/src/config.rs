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
/// Estimated bits a production secret must carry. `openssl rand -hex 32` carries about 300 by
/// this estimate; words, dates, keyboard walks and repeats carry far less than they are long.
const MIN_SECRET_BITS: f64 = 128.0;
/// Proxy ranges wider than this would let almost anybody claim any client address.
const MIN_PROXY_PREFIX_V4: u8 = 8;
const MIN_PROXY_PREFIX_V6: u8 = 32;

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
    /// Sign-in attempts per account a minute from addresses that never signed in to it.
    pub rate_limit_logins_per_account_per_minute: u32,
    pub rate_limit_orders_per_minute: u32,
    pub rate_limit_metrics_per_minute: u32,
    /// Business time zone: statistics are bucketed into its days.
    pub timezone: chrono_tz::Tz,
    pub metrics_retention_days: u32,
    /// Where the built front-ends live (served in development only).
    pub static_root: PathBuf,
    /// Origins allowed to call the API from a browser (CORS); empty: same origin only.
    pub allowed_origins: Vec<String>,
    /// The public site's pages the tracker may report (`/` by default); others are refused.
    pub site_pages: Vec<String>,
    pub transport: TransportLimits,
    /// PostgreSQL cancels a statement of the serving pool that runs longer than this.
    pub statement_timeout: Duration,
    /// Where the admin panel is reached from outside (links in notifications), no trailing `/`.
    pub public_url: String,
    pub notify: NotifyConfig,
}

/// Notifications of new orders (`notify`): each channel is optional.
#[derive(Clone, Debug)]
pub struct NotifyConfig {
    pub telegram: Option<TelegramConfig>,
    pub webhook: Option<WebhookConfig>,
    pub email: Option<EmailConfig>,
    /// The language of the messages.
    pub language: NotifyLanguage,
    /// Orders below this temperature are not announced.
    pub min_priority: crate::scoring::Priority,
    /// An URGENT order still NEW this long after it came gets one reminder; `None`: never.
    pub stale_after: Option<Duration>,
    /// Attempts per message before it is given up (the admin can retry it).
    pub max_attempts: u32,
    /// The wait after the first failure; it doubles with every further one (up to an hour).
    pub retry_base: Duration,
    /// How often a worker looks for due messages written by another replica (its own wake it).
    pub poll_interval: Duration,
    /// The longest one outbound call (one message) may take.
    pub timeout: Duration,
}

impl NotifyConfig {
    pub fn any_channel(&self) -> bool {
        self.telegram.is_some() || self.webhook.is_some() || self.email.is_some()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotifyLanguage {
    Ru,
    En,
}

#[derive(Clone, Debug)]
pub struct TelegramConfig {
    pub token: Secret,
    /// The one chat that gets the messages and whose button presses count.
    pub chat_id: i64,
    /// `https://api.telegram.org` unless a test points it elsewhere; no trailing `/`.
    pub api_url: String,
    /// How long one `getUpdates` long poll waits for a button press.
    pub poll_timeout: Duration,
}

#[derive(Clone, Debug)]
pub struct WebhookConfig {
    pub url: String,
    /// Signs every body (required in production).
    pub secret: Option<Secret>,
}

#[derive(Clone, Debug)]
pub struct EmailConfig {
    /// `smtp://`, `smtp://…?tls=required` or `smtps://`, perhaps with a password: a secret.
    pub smtp_url: Secret,
    /// The SMTP server's host and port, for the admin panel (never the credentials).
    pub server: String,
    pub to: Vec<String>,
    pub from: String,
}

/// What the server enforces on connections itself, without relying on nginx.
#[derive(Debug, Clone, Copy)]
pub struct TransportLimits {
    /// A request's headers must arrive within this, and an idle keep-alive connection closes
    /// after it.
    pub header_read_timeout: Duration,
    /// A request body must arrive within this.
    pub body_read_timeout: Duration,
    /// A WebSocket that sends no `connection_init` within this is closed.
    pub ws_init_timeout: Duration,
    /// WebSockets one client address may hold open at once.
    pub ws_per_address: usize,
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
    pub fn expose_str(&self) -> &str {
        &self.0
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
            Some(secret) if app_env.is_production() && guessable(&secret) => {
                return Err(ConfigError::new(
                    "JWT_SECRET",
                    "is guessable (words, dates or patterns): production needs a random secret, \
                     e.g. `openssl rand -hex 32`",
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
        if let Some(net) = trusted_proxies.iter().find(|net| is_catch_all(net)) {
            return Err(ConfigError::new(
                "TRUSTED_PROXIES",
                format!(
                    "`{net}` is too wide: anybody in it could claim any client address; list \
                     your proxy's own address (at most /{MIN_PROXY_PREFIX_V4} for IPv4, \
                     /{MIN_PROXY_PREFIX_V6} for IPv6)"
                ),
            ));
        }

        let rate_limit_logins_per_minute = parse_u32(&var, "RATE_LIMIT_LOGINS_PER_MINUTE", 10)?;
        let rate_limit_logins_per_account_per_minute =
            parse_u32(&var, "RATE_LIMIT_LOGINS_PER_ACCOUNT_PER_MINUTE", 10)?;
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

        let allowed_origins = match var("ALLOWED_ORIGINS") {
            None => Vec::new(),
            Some(list) => list
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|origin| parse_origin(origin).ok_or(origin))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|bad| {
                    ConfigError::new(
                        "ALLOWED_ORIGINS",
                        format!(
                            "expected comma-separated origins like `https://shop.example.com`, got `{bad}`"
                        ),
                    )
                })?,
        };

        let site_pages = match var("SITE_PAGES") {
            None => vec!["/".to_owned()],
            Some(list) => list
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|page| is_page_path(page).then(|| page.to_owned()).ok_or(page))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|bad| {
                    ConfigError::new(
                        "SITE_PAGES",
                        format!(
                            "expected comma-separated paths like `/,/prices` (at most 200 \
                             characters each), got `{bad}`"
                        ),
                    )
                })?,
        };

        let statement_timeout = duration_var(&var, "DATABASE_STATEMENT_TIMEOUT", 30)?;
        let public_url = match var("PUBLIC_URL") {
            None => format!("http://localhost:{}", bind_addr.port()),
            Some(url) => parse_http_url(&url).ok_or_else(|| {
                ConfigError::new(
                    "PUBLIC_URL",
                    format!(
                        "expected the site's address like `https://desk.example.com`, got `{url}`"
                    ),
                )
            })?,
        };
        let notify = notify_config(&var, app_env)?;
        if app_env.is_production() && notify.any_channel() && var("PUBLIC_URL").is_none() {
            return Err(ConfigError::new(
                "PUBLIC_URL",
                "required in production when notifications are on (their links open the order \
                 card there), e.g. `https://desk.example.com`",
            ));
        }

        let transport = TransportLimits {
            header_read_timeout: duration_var(&var, "HTTP_HEADER_TIMEOUT", 10)?,
            body_read_timeout: duration_var(&var, "HTTP_BODY_TIMEOUT", 30)?,
            ws_init_timeout: duration_var(&var, "WS_INIT_TIMEOUT", 10)?,
            ws_per_address: match parse_u32(&var, "WS_MAX_PER_ADDRESS", 32)? {
                0 => {
                    return Err(ConfigError::new(
                        "WS_MAX_PER_ADDRESS",
                        "must be at least 1 (WebSockets one client address may hold open)",
                    ));
                }
                n => n as usize,
            },
        };

        Ok(Self {
            database_url,
            app_env,
            jwt_secret,
            bind_addr,
            token_ttl,
            trusted_proxies,
            rate_limit_logins_per_minute,
            rate_limit_logins_per_account_per_minute,
            rate_limit_orders_per_minute,
            rate_limit_metrics_per_minute,
            timezone,
            metrics_retention_days,
            static_root,
            allowed_origins,
            site_pages,
            transport,
            statement_timeout,
            public_url,
            notify,
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

fn duration_var(
    var: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default_seconds: u64,
) -> Result<Duration, ConfigError> {
    match var(name) {
        None => Ok(Duration::from_secs(default_seconds)),
        Some(text) => parse_duration(&text)
            .filter(|d| *d <= Duration::from_secs(3600))
            .ok_or_else(|| {
                ConfigError::new(
                    name,
                    format!("expected a duration like `10s` or `1m` (at most 1h), got `{text}`"),
                )
            }),
    }
}

/// Notification channels and their settings; production refuses unsafe ones.
fn notify_config(
    var: &impl Fn(&str) -> Option<String>,
    app_env: AppEnv,
) -> Result<NotifyConfig, ConfigError> {
    let production = app_env.is_production();
    let telegram = match (var("TELEGRAM_BOT_TOKEN"), var("TELEGRAM_CHAT_ID")) {
        (None, None) => None,
        (Some(_), None) => {
            return Err(ConfigError::new(
                "TELEGRAM_CHAT_ID",
                "required with TELEGRAM_BOT_TOKEN: the chat's numeric id (a group's starts with -100)",
            ));
        }
        (None, Some(_)) => {
            return Err(ConfigError::new(
                "TELEGRAM_BOT_TOKEN",
                "required with TELEGRAM_CHAT_ID: the token @BotFather gave the bot",
            ));
        }
        (Some(token), Some(chat)) => {
            // `123456:ABC-…`: what goes into the API's URL path, nothing else.
            let token_ok = token.split_once(':').is_some_and(|(id, key)| {
                !id.is_empty()
                    && id.bytes().all(|b| b.is_ascii_digit())
                    && !key.is_empty()
                    && key
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
            });
            if !token_ok {
                return Err(ConfigError::new(
                    "TELEGRAM_BOT_TOKEN",
                    "expected the token @BotFather gave the bot, like `123456:ABC-DEF…`",
                ));
            }
            let chat_id = chat.parse::<i64>().map_err(|_| {
                ConfigError::new(
                    "TELEGRAM_CHAT_ID",
                    "expected the chat's numeric id (a group's starts with -100)",
                )
            })?;
            let api_url = match var("TELEGRAM_API_URL") {
                None => "https://api.telegram.org".to_owned(),
                Some(url) => parse_http_url(&url)
                    .filter(|url| !production || url.starts_with("https://"))
                    .ok_or_else(|| {
                        ConfigError::new(
                            "TELEGRAM_API_URL",
                            "expected an http(s) URL (https in production; the token travels in it)",
                        )
                    })?,
            };
            let poll_timeout = duration_var(var, "TELEGRAM_POLL_TIMEOUT", 25)?;
            Some(TelegramConfig {
                token: Secret::new(token),
                chat_id,
                api_url,
                poll_timeout,
            })
        }
    };

    let webhook_secret = var("WEBHOOK_SECRET").map(Secret::new);
    if var("WEBHOOK_URL").is_none() && webhook_secret.is_some() {
        return Err(ConfigError::new(
            "WEBHOOK_URL",
            "required with WEBHOOK_SECRET: where to send the signed messages",
        ));
    }
    let webhook = match var("WEBHOOK_URL") {
        None => None,
        Some(url) => {
            let url = parse_http_url(&url).ok_or_else(|| {
                ConfigError::new(
                    "WEBHOOK_URL",
                    format!("expected an http(s) URL, got `{url}`"),
                )
            })?;
            match &webhook_secret {
                None if production => {
                    return Err(ConfigError::new(
                        "WEBHOOK_SECRET",
                        "required in production with WEBHOOK_URL: the receiver checks the \
                         signature with it (e.g. `openssl rand -hex 32`)",
                    ));
                }
                Some(secret) if secret.expose().len() < 16 => {
                    return Err(ConfigError::new(
                        "WEBHOOK_SECRET",
                        "must be at least 16 bytes (e.g. `openssl rand -hex 32`)",
                    ));
                }
                _ => {}
            }
            Some(WebhookConfig {
                url,
                secret: webhook_secret,
            })
        }
    };

    let email = match var("SMTP_URL") {
        None => None,
        Some(url) => {
            let bad = |message: &str| ConfigError::new("SMTP_URL", message.to_owned());
            let (scheme, rest) = url.split_once("://").ok_or_else(|| {
                bad("expected smtp://host:port, smtp://user:password@host:587?tls=required or smtps://…")
            })?;
            if !matches!(scheme, "smtp" | "smtps") {
                return Err(bad("expected an smtp:// or smtps:// URL"));
            }
            let authority = rest.split(['/', '?']).next().unwrap_or("");
            let (credentials, server) = match authority.rsplit_once('@') {
                Some((credentials, server)) => (Some(credentials), server),
                None => (None, authority),
            };
            if server.is_empty() {
                return Err(bad("names no host"));
            }
            let encrypted = scheme == "smtps" || rest.contains("tls=required");
            if production && credentials.is_some() && !encrypted {
                return Err(bad(
                    "would send its password unencrypted: use smtps:// or add ?tls=required",
                ));
            }
            let to = match var("NOTIFY_EMAIL_TO") {
                None => {
                    return Err(ConfigError::new(
                        "NOTIFY_EMAIL_TO",
                        "required with SMTP_URL: who gets the messages (comma-separated addresses)",
                    ));
                }
                Some(list) => list
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|a| {
                        crate::values::Email::parse("NOTIFY_EMAIL_TO", a).map(|_| a.to_owned())
                    })
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|_| {
                        ConfigError::new(
                            "NOTIFY_EMAIL_TO",
                            "expected comma-separated e-mail addresses",
                        )
                    })?,
            };
            let from = match var("NOTIFY_EMAIL_FROM") {
                Some(from) => from,
                None if production => {
                    return Err(ConfigError::new(
                        "NOTIFY_EMAIL_FROM",
                        "required in production with SMTP_URL: the sender address, e.g. \
                         `Order Desk <desk@example.com>`",
                    ));
                }
                None => "Order Desk <order-desk@localhost>".to_owned(),
            };
            Some(EmailConfig {
                smtp_url: Secret::new(url.clone()),
                server: server.to_owned(),
                to,
                from,
            })
        }
    };

    let language = match var("NOTIFY_LANG").as_deref() {
        None | Some("ru") => NotifyLanguage::Ru,
        Some("en") => NotifyLanguage::En,
        Some(other) => {
            return Err(ConfigError::new(
                "NOTIFY_LANG",
                format!("expected `ru` or `en`, got `{other}`"),
            ));
        }
    };
    let min_priority = match var("NOTIFY_MIN_PRIORITY") {
        None => crate::scoring::Priority::Medium,
        Some(text) => crate::scoring::Priority::parse(&text).ok_or_else(|| {
            ConfigError::new(
                "NOTIFY_MIN_PRIORITY",
                format!("expected LOW, MEDIUM or URGENT, got `{text}`"),
            )
        })?,
    };
    let stale_after = match parse_u32(var, "NOTIFY_STALE_MINUTES", 30)? {
        0 => None,
        minutes => Some(Duration::from_secs(u64::from(minutes) * 60)),
    };
    let max_attempts = match parse_u32(var, "NOTIFY_MAX_ATTEMPTS", 8)? {
        0 => {
            return Err(ConfigError::new(
                "NOTIFY_MAX_ATTEMPTS",
                "must be at least 1 (attempts per message before it is given up)",
            ));
        }
        n => n.min(100),
    };
    Ok(NotifyConfig {
        telegram,
        webhook,
        email,
        language,
        min_priority,
        stale_after,
        max_attempts,
        retry_base: fine_duration_var(var, "NOTIFY_RETRY_BASE", Duration::from_secs(30))?,
        poll_interval: fine_duration_var(var, "NOTIFY_POLL_INTERVAL", Duration::from_secs(5))?,
        timeout: fine_duration_var(var, "NOTIFY_TIMEOUT", Duration::from_secs(10))?,
    })
}

/// Like [`duration_var`], also taking milliseconds (`250ms`), which tests use.
fn fine_duration_var(
    var: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: Duration,
) -> Result<Duration, ConfigError> {
    let Some(text) = var(name) else {
        return Ok(default);
    };
    let parsed = match text.strip_suffix("ms") {
        Some(ms) => ms
            .trim()
            .parse::<u64>()
            .ok()
            .filter(|ms| *ms > 0)
            .map(Duration::from_millis),
        None => parse_duration(&text),
    };
    parsed
        .filter(|d| *d <= Duration::from_secs(3600))
        .ok_or_else(|| {
            ConfigError::new(
                name,
                format!(
                    "expected a duration like `500ms`, `10s` or `1m` (at most 1h), got `{text}`"
                ),
            )
        })
}

/// An `http://` or `https://` URL with a host, without its trailing `/`.
fn parse_http_url(text: &str) -> Option<String> {
    let (scheme, rest) = text.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let valid = matches!(scheme, "http" | "https")
        && !host.is_empty()
        && !host.contains('@')
        && text.bytes().all(|b| b.is_ascii_graphic());
    valid.then(|| text.trim_end_matches('/').to_owned())
}

/// `scheme://host[:port]`, nothing after: how a browser names an origin.
fn parse_origin(text: &str) -> Option<String> {
    let (scheme, rest) = text.split_once("://")?;
    let valid = matches!(scheme, "http" | "https")
        && !rest.is_empty()
        && rest
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    valid.then(|| text.to_ascii_lowercase())
}

/// A path on the public site: starts with `/`, printable ASCII, no query or fragment.
pub fn is_page_path(page: &str) -> bool {
    page.starts_with('/')
        && page.len() <= 200
        && page
            .bytes()
            .all(|b| b.is_ascii_graphic() && !matches!(b, b'?' | b'#' | b'\\'))
}

/// A proxy range so wide it includes most of the internet (`0.0.0.0/0`, `::/0`, `10.0.0.0/4`).
fn is_catch_all(net: &IpNet) -> bool {
    match net {
        IpNet::V4(v4) => v4.prefix_len() < MIN_PROXY_PREFIX_V4,
        IpNet::V6(v6) => v6.prefix_len() < MIN_PROXY_PREFIX_V6,
    }
}

/// zxcvbn splits the secret into the patterns it recognises (dictionary words, keyboard walks,
/// dates, repeats, sequences), each worth its estimated guesses, and runs of random-looking
/// characters, each worth log2(alphabet) bits a character. zxcvbn's own total saturates at
/// 2^64 guesses, too little to judge a 256-bit secret, so the parts are added up here.
fn guessable(secret: &str) -> bool {
    estimated_bits(secret) < MIN_SECRET_BITS
}

fn estimated_bits(secret: &str) -> f64 {
    let has = |test: fn(&char) -> bool| secret.chars().any(|c| test(&c));
    let alphabet = [
        (has(char::is_ascii_lowercase), 26.0),
        (has(char::is_ascii_uppercase), 26.0),
        (has(char::is_ascii_digit), 10.0),
        (has(|c| !c.is_ascii_alphanumeric()), 33.0),
    ]
    .iter()
    .filter(|(present, _)| *present)
    .map(|(_, size)| size)
    .sum::<f64>()
    .max(2.0);
    zxcvbn::zxcvbn(secret, &[])
        .sequence()
        .iter()
        .map(|part| match part.pattern {
            zxcvbn::matching::patterns::MatchPattern::BruteForce => {
                part.token.chars().count() as f64 * alphabet.log2()
            }
            _ => part
                .guesses
                .map_or(0.0, |guesses| (guesses.max(1) as f64).log2()),
        })
        .sum()
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
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_setting_is_taken_or_refused_naming_it(value in any::<String>()) {
            let _ = parse_duration(&value);
            for var in ["TOKEN_TTL", "TRUSTED_PROXIES", "ALLOWED_ORIGINS", "SITE_PAGES", "HTTP_HEADER_TIMEOUT", "WS_MAX_PER_ADDRESS"] {
                if let Err(err) = config(&[(var, &value)]) {
                    prop_assert_eq!(err.var, var);
                }
            }
        }
    }
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
        // Real outputs of `openssl rand -hex 32` and `-base64 32`.
        for random in [
            "b7511a2204d2a09f4e8355dd9d4c61c27a6e04b45c8daec05658ed7267ab3c35",
            "523248bb6c43c273433b202c6d30c8ed9b87e8d2a5b468ad139f6a4df1cab38a",
            "005935916e782b8a94fe210a7587543716a4b8f441e97a828f8adc1e152e0ad7",
            "54hyIbXkFTwKkIJyZtN8EvtMCUT2Fi9a/zrUu6qWRvA=",
        ] {
            let ok = config(&[("APP_ENV", "production"), ("JWT_SECRET", random)]);
            assert!(ok.is_ok_and(|c| c.app_env.is_production()), "{random}");
        }
    }

    #[test]
    fn production_refuses_guessable_secrets_that_are_long_enough() {
        for weak in [
            "Password123!Password123!Password",
            "qwertyuiopasdfghjklzxcvbnm1234567890",
            "January2026January2026January2026",
            "adminadmin1234567890passwordpassword",
        ] {
            let err = config(&[("APP_ENV", "production"), ("JWT_SECRET", weak)]).unwrap_err();
            assert_eq!(err.var, "JWT_SECRET", "{weak}");
            assert!(err.to_string().contains("openssl rand -hex 32"), "{err}");
        }
        // Development takes what it is given (tests and trials use simple secrets).
        assert!(config(&[("JWT_SECRET", "Password123!Password123!Password")]).is_ok());
    }

    #[test]
    fn catch_all_proxy_ranges_are_refused() {
        for wide in ["0.0.0.0/0", "::/0", "10.0.0.1, 0.0.0.0/1", "2000::/3"] {
            let err = config(&[("TRUSTED_PROXIES", wide)]).unwrap_err();
            assert_eq!(err.var, "TRUSTED_PROXIES", "{wide}");
            assert!(err.to_string().contains("too wide"), "{err}");
        }
        assert!(config(&[("TRUSTED_PROXIES", "10.0.0.0/8, fd00::/32, 172.28.0.2")]).is_ok());
    }

    #[test]
    fn origins_and_pages_are_checked() {
        let c = config(&[
            (
                "ALLOWED_ORIGINS",
                "https://Shop.example.com, http://127.0.0.1:5173",
            ),
            ("SITE_PAGES", "/, /prices"),
        ])
        .unwrap();
        assert_eq!(
            c.allowed_origins,
            ["https://shop.example.com", "http://127.0.0.1:5173"]
        );
        assert_eq!(c.site_pages, ["/", "/prices"]);
        assert_eq!(config(&[]).unwrap().site_pages, ["/"]);
        assert!(config(&[]).unwrap().allowed_origins.is_empty());
        for (var, bad) in [
            ("ALLOWED_ORIGINS", "*"),
            ("ALLOWED_ORIGINS", "https://a.example/path"),
            ("SITE_PAGES", "prices"),
            ("SITE_PAGES", "/a?b=1"),
            ("WS_MAX_PER_ADDRESS", "0"),
            ("HTTP_HEADER_TIMEOUT", "2h"),
        ] {
            assert_eq!(config(&[(var, bad)]).unwrap_err().var, var, "{var}={bad}");
        }
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
    fn notifications_are_off_until_configured_and_unsafe_settings_refused() {
        let c = config(&[]).unwrap();
        assert!(!c.notify.any_channel());
        assert_eq!(c.notify.min_priority, crate::scoring::Priority::Medium);
        assert_eq!(c.notify.language, NotifyLanguage::Ru);
        assert_eq!(c.notify.stale_after, Some(Duration::from_secs(1800)));
        assert_eq!(c.public_url, "http://localhost:8080");

        let secret = "b7511a2204d2a09f4e8355dd9d4c61c27a6e04b45c8daec05658ed7267ab3c35";
        let prod = |extra: &[(&str, &str)]| {
            let mut vars = vec![("APP_ENV", "production"), ("JWT_SECRET", secret)];
            vars.extend_from_slice(extra);
            config(&vars)
        };
        let hook = ("WEBHOOK_URL", "https://hooks.example.com/in");
        let public = ("PUBLIC_URL", "https://desk.example.com/");
        assert_eq!(prod(&[hook, public]).unwrap_err().var, "WEBHOOK_SECRET");
        assert_eq!(
            prod(&[hook, ("WEBHOOK_SECRET", "0123456789abcdef0123")])
                .unwrap_err()
                .var,
            "PUBLIC_URL"
        );
        let ok = prod(&[hook, public, ("WEBHOOK_SECRET", "0123456789abcdef0123")]).unwrap();
        assert_eq!(ok.public_url, "https://desk.example.com");
        assert!(ok.notify.webhook.is_some());
        // Development sends unsigned if asked to; a short secret is refused everywhere.
        assert!(config(&[hook]).unwrap().notify.webhook.is_some());
        assert_eq!(
            config(&[hook, ("WEBHOOK_SECRET", "short")])
                .unwrap_err()
                .var,
            "WEBHOOK_SECRET"
        );
        let smtp = ("SMTP_URL", "smtp://desk:hunter2@mail.example.com:587");
        let to = ("NOTIFY_EMAIL_TO", "owner@example.com");
        let from = ("NOTIFY_EMAIL_FROM", "Desk <desk@example.com>");
        let err = prod(&[smtp, to, from, public]).unwrap_err();
        assert_eq!(err.var, "SMTP_URL");
        assert!(!err.to_string().contains("hunter2"), "{err}");
        let tls = (
            "SMTP_URL",
            "smtp://desk:hunter2@mail.example.com:587?tls=required",
        );
        let ok = prod(&[tls, to, from, public]).unwrap();
        let email = ok.notify.email.as_ref().unwrap();
        assert_eq!(email.server, "mail.example.com:587");
        assert!(!format!("{:?}", ok.notify).contains("hunter2"));
        assert_eq!(config(&[smtp]).unwrap_err().var, "NOTIFY_EMAIL_TO");
        assert_eq!(
            prod(&[tls, to, public]).unwrap_err().var,
            "NOTIFY_EMAIL_FROM"
        );

        let bot = ("TELEGRAM_BOT_TOKEN", "123456:ABC-def_1");
        assert_eq!(config(&[bot]).unwrap_err().var, "TELEGRAM_CHAT_ID");
        assert_eq!(
            config(&[("TELEGRAM_CHAT_ID", "-100123")]).unwrap_err().var,
            "TELEGRAM_BOT_TOKEN"
        );
        assert_eq!(
            config(&[bot, ("TELEGRAM_CHAT_ID", "@channel")])
                .unwrap_err()
                .var,
            "TELEGRAM_CHAT_ID"
        );
        let tg = config(&[bot, ("TELEGRAM_CHAT_ID", "-100123")]).unwrap();
        let telegram = tg.notify.telegram.as_ref().unwrap();
        assert_eq!(telegram.api_url, "https://api.telegram.org");
        assert!(!format!("{:?}", tg.notify).contains("ABC-def_1"));
        for (var, bad) in [
            ("TELEGRAM_BOT_TOKEN", "not a token"),
            ("NOTIFY_LANG", "de"),
            ("NOTIFY_MIN_PRIORITY", "HOT"),
            ("NOTIFY_MAX_ATTEMPTS", "0"),
            ("NOTIFY_RETRY_BASE", "0ms"),
            ("NOTIFY_POLL_INTERVAL", "2h"),
            ("PUBLIC_URL", "desk.example.com"),
            ("WEBHOOK_SECRET", "0123456789abcdef0123"),
        ] {
            let mut vars = vec![bot, ("TELEGRAM_CHAT_ID", "1")];
            if var == "TELEGRAM_BOT_TOKEN" {
                vars.clear();
                vars.push(("TELEGRAM_CHAT_ID", "1"));
            }
            vars.push((var, bad));
            assert_eq!(
                config(&vars).unwrap_err().var,
                if var == "WEBHOOK_SECRET" {
                    "WEBHOOK_URL"
                } else {
                    var
                },
                "{var}={bad}"
            );
        }
        let fine = config(&[("NOTIFY_RETRY_BASE", "250ms"), ("NOTIFY_LANG", "en")]).unwrap();
        assert_eq!(fine.notify.retry_base, Duration::from_millis(250));
        assert_eq!(fine.notify.language, NotifyLanguage::En);
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
