//! The axum router: GraphQL, health, and (in development) the front-ends and GraphiQL.

mod export;
mod graphiql;
mod graphql;
mod websocket;

use std::{net::SocketAddr, path::Path, time::Duration};

use axum::{Router, extract::State, http::StatusCode, response::IntoResponse, routing::get};
use tokio::net::TcpListener;
use tower_http::{
    limit::RequestBodyLimitLayer,
    services::{ServeDir, ServeFile},
    trace::TraceLayer,
};

use crate::{db, graphql::AppSchema, state::AppState};

/// Largest accepted request body. GraphQL operations are small; this stops memory abuse.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

#[derive(Clone)]
pub struct HttpState {
    pub state: AppState,
    pub schema: AppSchema,
}

pub fn router(state: AppState, schema: AppSchema) -> Router {
    let production = state.config.app_env.is_production();
    let static_root = state.config.static_root.clone();
    let http_state = HttpState { state, schema };

    let api = Router::new()
        .route(
            "/graphql",
            get(graphql::graphql_get).post(graphql::graphql_post),
        )
        .route("/healthz", get(healthz))
        .route("/export/leads.csv", get(export::leads_csv))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .with_state(http_state);

    let app = if production {
        // nginx serves the static files; GraphiQL does not exist here.
        api
    } else {
        api.merge(dev_routes(&static_root))
    };
    app.layer(TraceLayer::new_for_http())
}

/// GraphiQL, the admin SPA at `/admin/` (deep links fall back to its index) and the public
/// page at `/`.
fn dev_routes(root: &Path) -> Router {
    let admin_dir = root.join("admin-spa/dist");
    let admin = ServeDir::new(&admin_dir).fallback(ServeFile::new(admin_dir.join("index.html")));
    Router::new()
        .route("/graphiql", get(graphiql::page))
        .nest_service(
            "/graphiql/assets",
            ServeDir::new(root.join(graphiql::ASSETS_DIR)),
        )
        .nest_service("/admin", admin)
        .fallback_service(ServeDir::new(root.join("public-site/dist")))
}

async fn healthz(State(app): State<HttpState>) -> impl IntoResponse {
    if db::ping(&app.state.db).await {
        (StatusCode::OK, "ok")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
    }
}

/// Serves until `shutdown` resolves, then stops accepting and lets requests in flight finish.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
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
