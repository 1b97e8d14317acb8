use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};

use super::{
    auth::{AdminGuard, current_admin},
    client_ip, state,
};
use crate::{
    admins,
    error::{AppError, Reason},
    values::{Email, Password},
};

/// An administrator account.
#[derive(SimpleObject)]
pub struct Admin {
    pub id: ID,
    pub email: String,
    pub created_at: DateTime<Utc>,
}

impl From<&admins::Admin> for Admin {
    fn from(a: &admins::Admin) -> Self {
        Self {
            id: ID(a.id.to_string()),
            email: a.email.clone(),
            created_at: a.created_at,
        }
    }
}

/// A signed token and who it belongs to. Send it as `Authorization: Bearer <token>`.
#[derive(SimpleObject)]
pub struct AuthPayload {
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub admin: Admin,
}

#[derive(Default)]
pub struct AdminQuery;

#[Object]
impl AdminQuery {
    /// Whether any admin exists; when false the admin panel offers first-run registration.
    async fn admin_exists(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        Ok(admins::any_exists(&state(ctx).db).await?)
    }

    /// True while no admin exists on a production server: `registerAdmin` then needs the
    /// one-time setup code the server prints in its log at start.
    async fn setup_code_required(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        let state = state(ctx);
        Ok(state.config.app_env.is_production() && !admins::any_exists(&state.db).await?)
    }

    /// The signed-in admin.
    #[graphql(guard = "AdminGuard")]
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<Admin> {
        Ok((&current_admin(ctx).await?).into())
    }
}

#[derive(Default)]
pub struct AdminMutation;

#[Object]
impl AdminMutation {
    /// Creates the first admin and signs them in. Refused (FORBIDDEN) once any admin exists.
    /// In production it needs `setupCode`, which the server prints in its log at start
    /// (see `setupCodeRequired`).
    async fn register_admin(
        &self,
        ctx: &Context<'_>,
        email: String,
        password: String,
        setup_code: Option<String>,
    ) -> async_graphql::Result<AuthPayload> {
        let state = state(ctx);
        state.limits.logins.check(client_ip(ctx))?;
        let email = Email::parse("email", &email)?;
        let password = Password::parse("password", &password)?;
        if state.config.app_env.is_production() {
            check_setup_code(state, setup_code.as_deref())?;
        }
        let admin = admins::register_first(&state.db, email, password).await?;
        Ok(sign_in(state, &admin)?)
    }

    /// Signs in. Email is case-insensitive.
    async fn login(
        &self,
        ctx: &Context<'_>,
        email: String,
        password: String,
    ) -> async_graphql::Result<AuthPayload> {
        let state = state(ctx);
        let ip = client_ip(ctx);
        state.limits.logins.check(ip)?;
        let email = Email::parse("email", &email)?;
        state.limits.account_logins.check(email.as_str(), ip)?;
        let admin = admins::authenticate(&state.db, &email, &password).await?;
        state.limits.account_logins.signed_in(email.as_str(), ip);
        Ok(sign_in(state, &admin)?)
    }
}

fn check_setup_code(
    state: &crate::state::AppState,
    given: Option<&str>,
) -> crate::error::AppResult<()> {
    let secret = state.jwt.secret();
    match given {
        Some(code) if admins::setup::matches(secret, code) => Ok(()),
        Some(_) => Err(AppError::validation(
            "setupCode",
            Reason::SetupCodeWrong,
            "The setup code is wrong: copy it from the server's log",
        )),
        None => Err(AppError::validation(
            "setupCode",
            Reason::SetupCodeRequired,
            "The setup code is required: the server prints it in its log at start",
        )),
    }
}

fn sign_in(
    state: &crate::state::AppState,
    admin: &admins::Admin,
) -> crate::error::AppResult<AuthPayload> {
    let (token, expires_at) = state.jwt.issue(admin.id, admin.session_version)?;
    Ok(AuthPayload {
        token,
        expires_at,
        admin: admin.into(),
    })
}
