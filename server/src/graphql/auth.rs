//! The admin guard of GraphQL fields; who is calling is `auth::RequestAuth`'s to say.

pub use crate::auth::RequestAuth;
use crate::{
    admins::Admin,
    error::{AppError, AppResult},
    state::AppState,
};
use async_graphql::{Context, Guard};

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
