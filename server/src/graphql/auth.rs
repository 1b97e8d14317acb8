//! Who is calling: the bearer token of the request (or of the WebSocket's `connection_init`),
//! resolved to an admin whose session is still current.
//!
//! An HTTP request resolves its token once. A WebSocket lives for hours, so its token is
//! checked again on every use: the admin must still exist, the token's session version must
//! still be theirs (a password change, deletion or `server revoke-sessions` bumps it), and the
//! token must not have expired.

use async_graphql::{Context, Guard};
use tokio::sync::OnceCell;
use uuid::Uuid;

use crate::{
    admins::{self, Admin},
    auth::Claims,
    error::{AppError, AppResult},
    state::AppState,
};

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

    /// Reads `Authorization: Bearer <token>`.
    pub fn from_header(value: Option<&str>) -> Self {
        let token = value
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned);
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

/// The signed-in admin of this request, or `UNAUTHENTICATED`.
pub async fn current_admin(ctx: &Context<'_>) -> AppResult<Admin> {
    let state = ctx.data_unchecked::<AppState>();
    match ctx.data_opt::<RequestAuth>() {
        Some(auth) => auth.admin(state).await,
        None => Err(AppError::Unauthenticated("Sign in required")),
    }
}

/// `#[graphql(guard = "AdminGuard")]`: the field needs a signed-in admin.
pub struct AdminGuard;

impl Guard for AdminGuard {
    async fn check(&self, ctx: &Context<'_>) -> async_graphql::Result<()> {
        current_admin(ctx).await?;
        Ok(())
    }
}
