//! The axum router: GraphQL, health, and (in development) the front-ends and GraphiQL.

mod error;
mod export;
mod graphiql;
mod graphql;
pub mod known;
mod page_meta;
mod protocol;
mod serve;
mod websocket;

use std::{path::Path, time::Duration};

use axum::{
    Router,
    extract::State,
    http::{HeaderValue, Method, StatusCode, header},
    response::IntoResponse,
    routing::get,
};
use tower_http::{
    cors::{AllowOrigin, CorsLayer},
    services::{ServeDir, ServeFile},
    trace::TraceLayer,
};

pub use serve::serve;
pub use websocket::OpenSockets;

use crate::{db, graphql::GuardedSchema, state::AppState};

/// The public page's link preview tags, which nginx includes into the page (`page_meta`).
pub const PAGE_META_PATH: &str = "/page-meta";

/// Largest accepted request body. GraphQL operations are small; this stops memory abuse.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

impl axum::extract::FromRef<HttpState> for AppState {
    fn from_ref(http: &HttpState) -> Self {
        http.state.clone()
    }
}

#[derive(Clone)]
pub struct HttpState {
    pub state: AppState,
    pub schema: GuardedSchema,
    /// WebSockets open per client address (capped).
    pub sockets: OpenSockets,
}

pub fn router(state: AppState, schema: GuardedSchema) -> Router {
    let production = state.config.app_env.is_production();
    let static_root = state.config.static_root.clone();
    let cors = cors(&state.config.allowed_origins);
    let sockets = OpenSockets::new(state.config.transport.ws_per_address);
    let http_state = HttpState {
        state,
        schema,
        sockets,
    };

    // Bodies are read (bounded in size and time) by the one handler that takes any.
    let mut api = Router::new()
        .route(
            "/graphql",
            get(graphql::graphql_get).post(graphql::graphql_post),
        )
        .route("/healthz", get(healthz))
        .route(crate::business::LOGO_PATH, get(logo))
        .route(PAGE_META_PATH, get(page_meta::page_meta))
        .route("/export/leads.csv", get(export::leads_csv))
        .with_state(http_state);
    if let Some(cors) = cors {
        api = api.layer(cors);
    }

    let app = if production {
        // nginx serves the static files; GraphiQL does not exist here.
        api
    } else {
        api.merge(dev_routes(&static_root))
    };
    app.layer(TraceLayer::new_for_http())
}

/// GraphiQL, the admin SPA at `/admin/` (deep links fall back to its index) and the public
/// page at `/` (an unknown path gets its 404 page, with status 404), cached as nginx caches them in production.
///
/// A missing admin asset is a 404, never the index: a tab that still holds an older build's
/// `index.html` (browsers keep a page without `Cache-Control` for a while on their own) would
/// otherwise be handed HTML for its script after a rebuild and stay blank — the blank admin
/// page seen after first-run registration and a reload. The index is revalidated on every use
/// (`no-cache`), so a reload always gets the current build's asset names.
fn dev_routes(root: &Path) -> Router {
    let admin_dir = root.join("admin-spa/dist");
    let admin = ServeDir::new(&admin_dir).fallback(ServeFile::new(admin_dir.join("index.html")));
    Router::new()
        .route("/graphiql", get(graphiql::page))
        .nest_service(
            "/graphiql/assets",
            ServeDir::new(root.join(graphiql::ASSETS_DIR)),
        )
        .nest_service("/admin/assets", ServeDir::new(admin_dir.join("assets")))
        .nest_service("/admin", admin)
        .fallback_service(
            ServeDir::new(root.join("public-site/dist"))
                .not_found_service(ServeFile::new(root.join("public-site/dist/404.html"))),
        )
        .layer(axum::middleware::from_fn(static_cache_control))
}

/// Vite's hashed build output (`/assets/`, `/admin/assets/`) never changes under its name: a
/// year, immutable. Everything else static is revalidated on every use.
async fn static_cache_control(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let path = request.uri().path();
    let hashed = path.starts_with("/assets/") || path.starts_with("/admin/assets/");
    let mut response = next.run(request).await;
    let status = response.status();
    if (status.is_success() || status == StatusCode::NOT_MODIFIED)
        && !response.headers().contains_key(header::CACHE_CONTROL)
    {
        let value = if hashed {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    response
}

/// No CORS headers at all unless the operator lists origins (a public page served from another
/// domain); then exactly those, for POST with JSON and a bearer token.
fn cors(origins: &[String]) -> Option<CorsLayer> {
    if origins.is_empty() {
        return None;
    }
    let origins = origins
        .iter()
        .filter_map(|origin| HeaderValue::from_str(origin).ok())
        .collect::<Vec<_>>();
    Some(
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(origins))
            .allow_methods([Method::POST])
            .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION, header::ACCEPT])
            .max_age(Duration::from_secs(600)),
    )
}

async fn healthz(State(app): State<HttpState>) -> impl IntoResponse {
    if db::ping(&app.state.db).await {
        (StatusCode::OK, "ok")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
    }
}

/// The uploaded logo with the type read from its bytes; nothing else may run in it.
async fn logo(State(app): State<HttpState>) -> axum::response::Response {
    match crate::business::logo(&app.state.db).await {
        Ok(Some(logo)) => (
            [
                (header::CONTENT_TYPE, logo.content_type),
                // The page asks for `?v=<version>`: a new upload is a new address.
                (header::CACHE_CONTROL, "public, max-age=3600"),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
                (header::CONTENT_SECURITY_POLICY, "default-src 'none'"),
            ],
            logo.bytes,
        )
            .into_response(),
        Ok(None) => (StatusCode::NOT_FOUND, "no logo").into_response(),
        Err(err) => {
            let _ = err.into_client();
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

/// Resolves on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::error!(%err, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(err) => {
                tracing::error!(%err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

/// How often idle rate-limit entries are forgotten.
pub const RATE_LIMIT_SWEEP: Duration = Duration::from_secs(60);
