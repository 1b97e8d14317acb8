//! Who is calling: the bearer token of an HTTP request or of a WebSocket's `connection_init`,
//! resolved to an admin whose session is still current — the one place every transport asks.
//!
//! An HTTP request resolves its token once. A WebSocket lives for hours, so its token is
//! checked again on every use: the admin must still exist, the token's session version must
//! still be theirs (a password change, deletion or `server revoke-sessions` bumps it), and the
//! token must not have expired.

use axum::{
    extract::{FromRef, FromRequestParts},
    http::{HeaderMap, header, request::Parts},
};
use tokio::sync::OnceCell;
use uuid::Uuid;

use super::Claims;
use crate::{
    admins::{self, Admin},
    error::{AppError, AppResult},
    state::AppState,
};

/// `Bearer <token>` (either case of the scheme), trimmed; `None` when blank.
fn bearer(value: &str) -> Option<String> {
    value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

/// The token of a `connection_init` payload: `{"Authorization": "Bearer …"}` (any case) or
/// `{"token": "…"}`.
pub fn token_from_init_payload(payload: &serde_json::Value) -> Option<String> {
    let object = payload.as_object()?;
    object.iter().find_map(|(key, value)| {
        let value = value.as_str()?.trim();
        if key.eq_ignore_ascii_case("authorization") {
            bearer(value)
        } else if key == "token" {
            Some(value.to_owned()).filter(|t| !t.is_empty())
        } else {
            None
        }
    })
}

/// Request data: the raw token, if any, and the admin it resolves to.
#[derive(Default)]
pub struct RequestAuth {
    token: Option<String>,
    /// The admin and the token's claims, kept for the request (HTTP only).
    admin: OnceCell<(Admin, Claims)>,
    /// A WebSocket's: check the session again on every use.
    recheck: bool,
}

impl RequestAuth {
    pub fn new(token: Option<String>) -> Self {
        Self {
            token,
            admin: OnceCell::new(),
            recheck: false,
        }
    }

    /// For a WebSocket connection: the session is checked on every operation, not once.
    pub fn for_connection(token: Option<String>) -> Self {
        Self {
            recheck: true,
            ..Self::new(token)
        }
    }

    /// Reads `Authorization: Bearer <token>` of an HTTP request.
    pub fn from_headers(headers: &HeaderMap) -> Self {
        let token = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(bearer);
        Self::new(token)
    }

    async fn resolve(&self, state: &AppState) -> AppResult<(Admin, Claims)> {
        let token = self
            .token
            .as_deref()
            .ok_or(AppError::Unauthenticated("Sign in required"))?;
        let claims = state.jwt.verify(token)?;
        let admin = admins::session_admin(&state.db, claims.admin_id()?, claims.sv).await?;
        Ok((admin, claims))
    }

    /// The signed-in admin. A valid signature is not enough: the admin must still exist and
    /// the session must not have been revoked.
    pub async fn admin(&self, state: &AppState) -> AppResult<Admin> {
        let (admin, claims) = if self.recheck {
            self.resolve(state).await?
        } else {
            self.admin
                .get_or_try_init(|| self.resolve(state))
                .await?
                .clone()
        };
        if chrono::Utc::now().timestamp() >= claims.exp {
            return Err(AppError::Unauthenticated("Session expired"));
        }
        Ok(admin)
    }

    /// The admin id and session version the token names, once its signature is checked.
    pub fn session(&self, state: &AppState) -> Option<(Uuid, i32, i64)> {
        let claims = state.jwt.verify(self.token.as_deref()?).ok()?;
        Some((claims.admin_id().ok()?, claims.sv, claims.exp))
    }
}

/// An axum extractor for handlers outside GraphQL: the signed-in admin, or the request is
/// answered with `UNAUTHENTICATED` (401).
pub struct SignedIn(pub Admin);

impl<S> FromRequestParts<S> for SignedIn
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        RequestAuth::from_headers(&parts.headers)
            .admin(&state)
            .await
            .map(SignedIn)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn init_payload_tokens() {
        assert_eq!(
            token_from_init_payload(&json!({"Authorization": "Bearer abc"})).as_deref(),
            Some("abc")
        );
        assert_eq!(
            token_from_init_payload(&json!({"authorization": "bearer abc"})).as_deref(),
            Some("abc")
        );
        assert_eq!(
            token_from_init_payload(&json!({"token": "t"})).as_deref(),
            Some("t")
        );
        assert_eq!(token_from_init_payload(&json!({"token": ""})), None);
        assert_eq!(token_from_init_payload(&json!(null)), None);
        assert_eq!(token_from_init_payload(&json!({"Authorization": 5})), None);
    }

    #[test]
    fn bearer_headers() {
        let headers = |value: &str| {
            let mut map = HeaderMap::new();
            map.insert(header::AUTHORIZATION, value.parse().unwrap());
            map
        };
        assert_eq!(
            RequestAuth::from_headers(&headers("Bearer  x "))
                .token
                .as_deref(),
            Some("x")
        );
        assert_eq!(RequestAuth::from_headers(&headers("Basic x")).token, None);
        assert_eq!(RequestAuth::from_headers(&headers("Bearer ")).token, None);
        assert_eq!(RequestAuth::from_headers(&HeaderMap::new()).token, None);
    }
}
