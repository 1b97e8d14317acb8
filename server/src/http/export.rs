//! `GET /export/leads.csv?priority=…&status=…&serviceId=…&search=…&createdFrom=…&createdTo=…`
//! — the admin's current filter as a CSV download (bearer token required).

use std::collections::HashMap;

use axum::{
    Json,
    body::Body,
    extract::{Query, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use serde_json::json;

use super::HttpState;
use crate::{
    error::{AppError, AppResult, Reason},
    graphql::auth::RequestAuth,
    leads::{LeadFilter, LeadStatus, export::csv_stream},
    scoring::Priority,
    values::parse_id,
};

pub async fn leads_csv(
    State(app): State<HttpState>,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let auth = RequestAuth::from_header(
        headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok()),
    );
    if let Err(err) = auth.admin(&app.state).await {
        return error_response(err);
    }
    let filter = match filter_from(&params) {
        Ok(filter) => filter,
        Err(err) => return error_response(err),
    };
    let body = csv_stream(app.state.db.clone(), filter).map(|chunk| {
        chunk.map_err(|err| {
            // Headers are gone by now: log, and cut the download short so it is not mistaken
            // for a complete file.
            tracing::error!(error = ?err, "CSV export failed mid-stream");
            std::io::Error::other("export failed")
        })
    });
    let filename = format!("leads-{}.csv", Utc::now().format("%Y-%m-%d"));
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        Body::from_stream(body),
    )
        .into_response()
}

fn filter_from(params: &HashMap<String, String>) -> AppResult<LeadFilter> {
    let get = |name: &str| params.get(name).map(|v| v.trim()).filter(|v| !v.is_empty());
    let date = |name: &str| -> AppResult<Option<DateTime<Utc>>> {
        get(name)
            .map(|v| {
                DateTime::parse_from_rfc3339(v)
                    .map(|d| d.with_timezone(&Utc))
                    .map_err(|_| {
                        AppError::validation(
                            name,
                            Reason::InvalidFormat,
                            "Expected an RFC 3339 date-time",
                        )
                    })
            })
            .transpose()
    };
    LeadFilter {
        priority: get("priority")
            .map(|v| {
                Priority::parse(v).ok_or_else(|| {
                    AppError::validation("priority", Reason::UnknownValue, "Unknown priority")
                })
            })
            .transpose()?,
        status: get("status")
            .map(|v| {
                LeadStatus::parse(v).ok_or_else(|| {
                    AppError::validation("status", Reason::UnknownValue, "Unknown status")
                })
            })
            .transpose()?,
        service_id: get("serviceId")
            .map(|v| parse_id("serviceId", v))
            .transpose()?,
        search: get("search").map(str::to_owned),
        created_from: date("createdFrom")?,
        created_to: date("createdTo")?,
    }
    .new()
}

/// The same error shape as GraphQL's, so a client handles both alike.
fn error_response(err: AppError) -> Response {
    let status = match &err {
        AppError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
        AppError::Forbidden(_) => StatusCode::FORBIDDEN,
        AppError::Validation { .. } => StatusCode::BAD_REQUEST,
        AppError::NotFound(_) => StatusCode::NOT_FOUND,
        AppError::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    };
    let error = async_graphql::Error::from(err);
    let body = json!({ "errors": [{ "message": error.message, "extensions": error.extensions }] });
    (status, Json(body)).into_response()
}
