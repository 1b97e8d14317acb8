//! The one place where domain errors become GraphQL errors, and the safety net that gives
//! every other error a code too.

use async_graphql::{
    ErrorExtensionValues, Response, ServerError,
    extensions::{Extension, ExtensionContext, ExtensionFactory, NextRequest},
};
use std::sync::Arc;

use crate::error::AppError;

impl From<AppError> for async_graphql::Error {
    fn from(err: AppError) -> Self {
        let code = err.code();
        let (message, field) = match err {
            AppError::NotFound(m) | AppError::Unauthenticated(m) | AppError::Forbidden(m) => {
                (m.to_owned(), None)
            }
            AppError::Validation { field, message } => (message, Some(field)),
            AppError::RateLimited => ("Too many requests: try again in a minute".to_owned(), None),
            AppError::Internal(cause) => {
                // The chain goes to the log; the client learns only that it was our fault.
                tracing::error!(error = ?cause, "internal error");
                ("Internal server error".to_owned(), None)
            }
        };
        let mut error = async_graphql::Error::new(message);
        let mut extensions = ErrorExtensionValues::default();
        extensions.set("code", code);
        if let Some(field) = field {
            extensions.set("field", field);
        }
        error.extensions = Some(extensions);
        error
    }
}

/// Gives a code to errors that did not come through `AppError`: parse and validation errors
/// (no path: `GRAPHQL_VALIDATION_FAILED`) and argument coercion errors (with a path:
/// `BAD_USER_INPUT`).
pub struct ErrorCodes;

impl ExtensionFactory for ErrorCodes {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ErrorCodes)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for ErrorCodes {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let mut response = next.run(ctx).await;
        response.errors.iter_mut().for_each(ensure_code);
        response
    }
}

pub fn ensure_code(error: &mut ServerError) {
    let extensions = error.extensions.get_or_insert_with(Default::default);
    if extensions.get("code").is_none() {
        let code = if error.path.is_empty() {
            "GRAPHQL_VALIDATION_FAILED"
        } else {
            "BAD_USER_INPUT"
        };
        extensions.set("code", code);
    }
}
