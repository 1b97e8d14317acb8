//! Logging: JSON lines in production (for collectors), readable text in development.

use tracing_subscriber::{EnvFilter, fmt, prelude::*};

/// sqlx logs every statement at info; keep it to warnings unless asked.
const DEFAULT_FILTER: &str = "info,sqlx=warn,sea_orm=warn";

/// Libraries that log what passes through them at debug and trace: WebSocket frames (the
/// `connection_init` payload carries the bearer token) and HTTP headers (`Authorization`).
/// Capped whatever `RUST_LOG` says, so no log level shows a token.
const NEVER_VERBOSE: [&str; 5] = [
    "tungstenite=info",
    "tokio_tungstenite=info",
    "hyper=info",
    "hyper_util=info",
    "async_graphql=info",
];

pub fn init(json: bool) {
    let filter = NEVER_VERBOSE.iter().fold(
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER)),
        |filter, directive| match directive.parse() {
            Ok(directive) => filter.add_directive(directive),
            Err(_) => filter,
        },
    );
    let registry = tracing_subscriber::registry().with(filter);
    // `try_init`: a second call (tests) is harmless.
    let _ = if json {
        registry
            .with(fmt::layer().json().with_current_span(false))
            .try_init()
    } else {
        let ansi = std::io::IsTerminal::is_terminal(&std::io::stdout());
        registry
            .with(fmt::layer().with_target(false).with_ansi(ansi))
            .try_init()
    };
}
