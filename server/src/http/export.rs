//! `GET /export/leads.csv?priority=…&status=…&serviceId=…&search=…&createdFrom=…&createdTo=…`
//! — the admin's current filter as a CSV download (bearer token required).

use axum::{
    body::Body,
    extract::{Query, State, rejection::QueryRejection},
    http::header,
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use serde::Deserialize;

use super::HttpState;
use crate::{
    auth::SignedIn,
    error::{AppError, AppResult, Reason},
    leads::{LeadFilter, LeadStatus, export::csv_stream},
    scoring::Priority,
    values::parse_id,
};

/// The query string: the same filter the ranked list takes, as text.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportQuery {
    priority: Option<String>,
    status: Option<String>,
    service_id: Option<String>,
    search: Option<String>,
    created_from: Option<String>,
    created_to: Option<String>,
}

impl ExportQuery {
    /// Each value checked as the GraphQL filter checks it, naming its parameter.
    fn into_filter(self) -> AppResult<LeadFilter> {
        let given = |value: Option<String>| value.filter(|v| !v.trim().is_empty());
        let date = |name: &'static str, value: Option<String>| {
            given(value)
                .map(|v| {
                    DateTime::parse_from_rfc3339(v.trim())
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
            priority: given(self.priority)
                .map(|v| {
                    Priority::parse(v.trim()).ok_or_else(|| {
                        AppError::validation("priority", Reason::UnknownValue, "Unknown priority")
                    })
                })
                .transpose()?,
            status: given(self.status)
                .map(|v| {
                    LeadStatus::parse(v.trim()).ok_or_else(|| {
                        AppError::validation("status", Reason::UnknownValue, "Unknown status")
                    })
                })
                .transpose()?,
            service_id: given(self.service_id)
                .map(|v| parse_id("serviceId", &v))
                .transpose()?,
            search: self.search,
            created_from: date("createdFrom", self.created_from)?,
            created_to: date("createdTo", self.created_to)?,
        }
        .validated()
    }
}

pub async fn leads_csv(
    State(app): State<HttpState>,
    SignedIn(_admin): SignedIn,
    query: Result<Query<ExportQuery>, QueryRejection>,
) -> Result<Response, AppError> {
    let Query(query) = query.map_err(|_| {
        AppError::validation(
            "query",
            Reason::InvalidFormat,
            "The query string could not be read",
        )
    })?;
    let filter = query.into_filter()?;
    let body = csv_stream(app.state.db.clone(), filter).map(|chunk| {
        chunk.map_err(|err| {
            // Headers are gone by now: log, and cut the download short so it is not mistaken
            // for a complete file.
            tracing::error!(error = ?err, "CSV export failed mid-stream");
            std::io::Error::other("export failed")
        })
    });
    let filename = format!("leads-{}.csv", Utc::now().format("%Y-%m-%d"));
    Ok((
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
        .into_response())
}
