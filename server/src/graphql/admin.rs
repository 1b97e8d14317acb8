use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{
    auth::{AdminGuard, current_admin},
    client_ip, state,
};
use crate::{
    admins,
    error::{AppError, Reason},
    values::{Email, Password, parse_id},
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

/// An invitation of a further admin that has not been redeemed and has not expired.
#[derive(SimpleObject)]
pub struct Invitation {
    pub id: ID,
    /// The invitee's account gets this e-mail.
    pub email: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

impl From<admins::invitations::Invitation> for Invitation {
    fn from(i: admins::invitations::Invitation) -> Self {
        Self {
            id: ID(i.id.to_string()),
            email: i.email,
            created_at: i.created_at,
            expires_at: i.expires_at,
        }
    }
}

/// A new invitation with its one-time code: shown in this answer only (the server keeps a
/// hash). The invitee opens `/admin/invite#<code>` and sets their password.
#[derive(SimpleObject)]
pub struct IssuedInvitation {
    pub code: String,
    pub invitation: Invitation,
}

/// A signed token and who it belongs to. Send it as `Authorization: Bearer <token>`.
#[derive(SimpleObject)]
pub struct AuthPayload {
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub admin: Admin,
    /// Keep it in the browser and send it with its next `login` (as `device`): a sign-in it
    /// vouches for is spared the account's attempt limit, which others' wrong guesses at this
    /// e-mail may have used up (it has a budget of its own). Valid 90 days; not a session (it
    /// signs nothing in). Only from a sign-in that proved the password: null from
    /// `renewSession`.
    pub device_token: Option<String>,
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

    /// Every admin account, oldest first.
    #[graphql(guard = "AdminGuard")]
    async fn admins(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Admin>> {
        let list = admins::list(&state(ctx).db).await?;
        Ok(list.iter().map(Admin::from).collect())
    }

    /// Invitations that can still be redeemed, newest first.
    #[graphql(guard = "AdminGuard")]
    async fn invitations(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Invitation>> {
        let list = admins::invitations::open(&state(ctx).db).await?;
        Ok(list.into_iter().map(Invitation::from).collect())
    }

    /// The invitation a code names, for the invitee's page: refused with `extensions.reason`
    /// `INVITATION_INVALID`, `INVITATION_USED` or `INVITATION_EXPIRED` (field `code`).
    /// Counts against the sign-in rate limit.
    async fn invitation(
        &self,
        ctx: &Context<'_>,
        code: String,
    ) -> async_graphql::Result<Invitation> {
        let state = state(ctx);
        state.limits.logins.check(client_ip(ctx))?;
        Ok(admins::invitations::find_open(&state.db, &code)
            .await?
            .into())
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
        let password = Password::parse_for("password", &password, &[email.as_str()])?;
        if state.config.app_env.is_production() {
            check_setup_code(state, setup_code.as_deref())?;
        }
        let admin = admins::register_first(&state.db, email, password).await?;
        Ok(sign_in(state, &admin, Proof::Password)?)
    }

    /// Signs in. Email is case-insensitive. `device`: the `deviceToken` this browser got at
    /// its last sign-in, if any.
    async fn login(
        &self,
        ctx: &Context<'_>,
        email: String,
        password: String,
        device: Option<String>,
    ) -> async_graphql::Result<AuthPayload> {
        let state = state(ctx);
        let ip = client_ip(ctx);
        state.limits.logins.check(ip)?;
        let email = Email::parse("email", &email)?;
        let vouching = device
            .as_deref()
            .filter(|token| state.jwt.device().vouches_for(token, email.as_str()));
        state
            .limits
            .account_logins
            .check(email.as_str(), ip, vouching)?;
        let admin = admins::authenticate(&state.db, &email, &password).await?;
        state.limits.account_logins.signed_in(email.as_str(), ip);
        Ok(sign_in(state, &admin, Proof::Password)?)
    }

    /// Changes the signed-in admin's password. `currentPassword` must be right
    /// (`WRONG_PASSWORD`), `newPassword` must meet the policy (`TOO_SHORT` with `min`,
    /// `WEAK_PASSWORD`). Every other session of this admin ends; the answer is a new token for
    /// this one. Attempts count against the sign-in rate limit.
    #[graphql(guard = "AdminGuard")]
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        current_password: String,
        new_password: String,
    ) -> async_graphql::Result<AuthPayload> {
        let state = state(ctx);
        state.limits.logins.check(client_ip(ctx))?;
        let admin = current_admin(ctx).await?;
        let new = Password::parse_for("newPassword", &new_password, &[admin.email.as_str()])?;
        let admin =
            admins::change_password(&state.db, &state.events, admin.id, &current_password, new)
                .await?;
        Ok(sign_in(state, &admin, Proof::Password)?)
    }

    /// Invites a further admin by e-mail; the answer holds the one-time code (valid 72 hours).
    /// Inviting the same address again replaces the earlier code. `DUPLICATE` on `email` when
    /// an admin has it already.
    #[graphql(guard = "AdminGuard")]
    async fn invite_admin(
        &self,
        ctx: &Context<'_>,
        email: String,
    ) -> async_graphql::Result<IssuedInvitation> {
        let state = state(ctx);
        let inviter = current_admin(ctx).await?;
        let email = Email::parse("email", &email)?;
        let issued = admins::invitations::create(&state.db, &inviter, email).await?;
        Ok(IssuedInvitation {
            code: issued.code,
            invitation: issued.invitation.into(),
        })
    }

    /// Withdraws an invitation that was not redeemed: its link stops working.
    #[graphql(guard = "AdminGuard")]
    async fn revoke_invitation(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<bool> {
        let id = parse_id("id", &id)?;
        admins::invitations::revoke(&state(ctx).db, id).await?;
        Ok(true)
    }

    /// The invitee sets their password and is signed in. The code works once and until it
    /// expires (`INVITATION_INVALID`, `INVITATION_USED`, `INVITATION_EXPIRED` on `code`); the
    /// password meets the policy (`TOO_SHORT`, `WEAK_PASSWORD` on `password`). Counts against
    /// the sign-in rate limit.
    async fn accept_invitation(
        &self,
        ctx: &Context<'_>,
        code: String,
        password: String,
    ) -> async_graphql::Result<AuthPayload> {
        let state = state(ctx);
        state.limits.logins.check(client_ip(ctx))?;
        let admin = admins::invitations::accept(&state.db, &code, &password).await?;
        Ok(sign_in(state, &admin, Proof::Password)?)
    }

    /// Removes another admin: their sessions end at once. Nobody removes themselves
    /// (`FORBIDDEN`), so at least one admin always remains.
    #[graphql(guard = "AdminGuard")]
    async fn remove_admin(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<bool> {
        let state = state(ctx);
        let by = current_admin(ctx).await?;
        let id: Uuid = parse_id("id", &id)?;
        admins::remove(&state.db, &state.events, &by, id).await?;
        Ok(true)
    }

    /// A fresh token for the signed-in admin's session, with a full lifetime from now. The
    /// panel asks while the admin is active, before the token runs out. It is the same
    /// session: signing out, a password change or removal still ends the new token too.
    #[graphql(guard = "AdminGuard")]
    async fn renew_session(&self, ctx: &Context<'_>) -> async_graphql::Result<AuthPayload> {
        let admin = current_admin(ctx).await?;
        Ok(sign_in(state(ctx), &admin, Proof::Session)?)
    }

    /// Signs out on the server: ends every session of the signed-in admin — this token, their
    /// other tabs and devices, and their open WebSockets (tokens carry a session version; a
    /// single token cannot be revoked alone without a store of revoked tokens). Always true.
    #[graphql(guard = "AdminGuard")]
    async fn sign_out(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        let state = state(ctx);
        let admin = current_admin(ctx).await?;
        admins::end_sessions(&state.db, &state.events, admin.id).await?;
        Ok(true)
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

/// What a sign-in was earned with. Only a password earns a device token: a session (stolen,
/// say) renewed must not buy one that outlives it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Proof {
    Password,
    Session,
}

fn sign_in(
    state: &crate::state::AppState,
    admin: &admins::Admin,
    proof: Proof,
) -> crate::error::AppResult<AuthPayload> {
    let (token, expires_at) = state.jwt.issue(admin.id, admin.session_version)?;
    let device_token = match proof {
        Proof::Password => Some(state.jwt.device().issue(&admin.email)?),
        Proof::Session => None,
    };
    Ok(AuthPayload {
        token,
        expires_at,
        device_token,
        admin: admin.into(),
    })
}
