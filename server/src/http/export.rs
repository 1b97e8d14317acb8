//! `GET /export/leads.csv?priority=…&status=…&serviceId=…&search=…&createdFrom=…&createdTo=…`
//! — the admin's current filter as a CSV download (bearer token required).
//!
//! `format=people&lang=ru|en&tz=Europe/Moscow` makes the spreadsheet version (see
//! `leads::export`): the reader's language, local times in `tz` (default: `TIMEZONE`).

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
    leads::{
        LeadFilter, LeadStatus,
        choices::Lang,
        export::{CsvFormat, csv_stream},
    },
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
    /// `machine` (default) or `people`.
    format: Option<String>,
    /// `ru` (default) or `en`, for `format=people`.
    lang: Option<String>,
    /// An IANA time zone for `format=people`.
    tz: Option<String>,
}

impl ExportQuery {
    /// The format asked for, checked (`UNKNOWN_VALUE` naming `format`, `lang` or `tz`).
    fn format(&self, default_tz: chrono_tz::Tz) -> AppResult<CsvFormat> {
        let given = |value: &Option<String>| {
            value
                .as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let unknown = |field: &'static str, what: &'static str| {
            AppError::validation(field, Reason::UnknownValue, what)
        };
        match given(&self.format).as_deref() {
            None | Some("machine") => Ok(CsvFormat::Machine),
            Some("people") => {
                let lang = match given(&self.lang).as_deref() {
                    None | Some("ru") => Lang::Ru,
                    Some("en") => Lang::En,
                    Some(_) => return Err(unknown("lang", "Unknown language: ru or en")),
                };
                let tz = match given(&self.tz) {
                    None => default_tz,
                    Some(name) => name
                        .parse::<chrono_tz::Tz>()
                        .map_err(|_| unknown("tz", "Unknown time zone"))?,
                };
                Ok(CsvFormat::People { lang, tz })
            }
            Some(_) => Err(unknown("format", "Unknown format: machine or people")),
        }
    }

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
    let format = query.format(app.state.config.timezone)?;
    let filter = query.into_filter()?;
    let body = csv_stream(app.state.db.clone(), filter, format).map(|chunk| {
        chunk.map_err(|err| {
            // Headers are gone by now: log, and cut the download short so it is not mistaken
            // for a complete file.
            tracing::error!(error = ?err, "CSV export failed mid-stream");
            std::io::Error::other("export failed")
        })
    });
    let filename = format.file_name(Utc::now());
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
