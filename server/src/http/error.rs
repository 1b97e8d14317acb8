//! Errors of the HTTP handlers outside GraphQL, in GraphQL's error shape and with the status
//! that says what went wrong, so a client handles both alike.

use axum::{
    Json,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde_json::json;

use crate::{error::AppError, graphql::error::extensions};

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = match &self {
            Self::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::Validation { .. } => StatusCode::BAD_REQUEST,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        let client = self.into_client();
        let extensions = extensions(client.code, client.field, client.reason, &client.params);
        let body = json!({ "errors": [{ "message": client.message, "extensions": extensions }] });
        (status, Json(body)).into_response()
    }
}
