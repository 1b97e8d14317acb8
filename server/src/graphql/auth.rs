//! Who is calling: the bearer token of the request (or of the WebSocket's `connection_init`),
//! resolved to an admin at most once per request. A WebSocket keeps its resolution for the
//! whole connection, so the token's expiry is checked on every use, not only the first.

use async_graphql::{Context, Guard};
use tokio::sync::OnceCell;

use crate::{
    admins::{self, Admin},
    error::{AppError, AppResult},
    state::AppState,
};

/// Request data: the raw token, if any, and the admin it resolves to.
#[derive(Default)]
pub struct RequestAuth {
    token: Option<String>,
    /// The admin and the token's expiry (UNIX seconds).
    admin: OnceCell<(Admin, i64)>,
}

impl RequestAuth {
    pub fn new(token: Option<String>) -> Self {
        Self {
            token,
            admin: OnceCell::new(),
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

    /// The signed-in admin. A valid signature is not enough: the admin must still exist.
    pub async fn admin(&self, state: &AppState) -> AppResult<&Admin> {
        let (admin, expires_at) = self
            .admin
            .get_or_try_init(|| async {
                let token = self
                    .token
                    .as_deref()
                    .ok_or(AppError::Unauthenticated("Sign in required"))?;
                let claims = state.jwt.verify(token)?;
                let admin = admins::find(&state.db, claims.admin_id()?)
                    .await?
                    .ok_or(AppError::Unauthenticated("Invalid token"))?;
                Ok::<_, AppError>((admin, claims.exp))
            })
            .await?;
        if chrono::Utc::now().timestamp() >= *expires_at {
            return Err(AppError::Unauthenticated("Session expired"));
        }
        Ok(admin)
    }

    /// When the resolved token expires (after a successful [`Self::admin`]).
    pub fn expires_at(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.admin
            .get()
            .and_then(|(_, exp)| chrono::DateTime::from_timestamp(*exp, 0))
    }
}

/// The signed-in admin of this request, or `UNAUTHENTICATED`.
pub async fn current_admin<'a>(ctx: &Context<'a>) -> AppResult<&'a Admin> {
    let state = ctx.data_unchecked::<AppState>();
    match ctx.data_opt::<RequestAuth>() {
        Some(auth) => auth.admin(state).await,
        None => Err(AppError::Unauthenticated("Sign in required")),
    }
}

/// How long the caller's sign-in still holds (zero when it has not been checked or has ended).
pub fn session_left(ctx: &Context<'_>) -> std::time::Duration {
    ctx.data_opt::<RequestAuth>()
        .and_then(RequestAuth::expires_at)
        .and_then(|at| (at - chrono::Utc::now()).to_std().ok())
        .unwrap_or_default()
}

/// `#[graphql(guard = "AdminGuard")]`: the field needs a signed-in admin.
pub struct AdminGuard;

impl Guard for AdminGuard {
    async fn check(&self, ctx: &Context<'_>) -> async_graphql::Result<()> {
        current_admin(ctx).await?;
        Ok(())
    }
}
