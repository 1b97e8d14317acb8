//! `make bench`'s baseline: the naive design's ceiling on this machine. A bare axum handler
//! that stores each request body with one single-row INSERT through a 10-connection pool, and
//! answers once PostgreSQL has committed it. No parsing, no validation, no GraphQL.
//!
//! Settings: `DATABASE_URL` (PostgreSQL, required), `BIND_ADDR` (default 127.0.0.1:8090).
//! `POST /insert` stores the body; `GET /health` answers once the table exists.

use axum::{Router, extract::State, http::StatusCode, routing::get, routing::post};
use sqlx::{PgPool, postgres::PgPoolOptions};

const POOL_SIZE: u32 = 10;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("DATABASE_URL").map_err(|_| "DATABASE_URL is required")?;
    let addr = std::env::var("BIND_ADDR").unwrap_or_else(|_| "127.0.0.1:8090".to_owned());
    let pool = PgPoolOptions::new()
        .max_connections(POOL_SIZE)
        .connect(&url)
        .await?;
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS baseline_rows (
            id bigserial PRIMARY KEY,
            body text NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now()
        )",
    )
    .execute(&pool)
    .await?;
    let app = Router::new()
        .route("/insert", post(insert))
        .route("/health", get(|| async { "ok" }))
        .with_state(pool);
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}

/// One request, one row, one round trip; 201 once committed.
async fn insert(State(pool): State<PgPool>, body: String) -> StatusCode {
    match sqlx::query("INSERT INTO baseline_rows (body) VALUES ($1)")
        .bind(body)
        .execute(&pool)
        .await
    {
        Ok(_) => StatusCode::CREATED,
        Err(err) => {
            eprintln!("insert failed: {err}");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}
