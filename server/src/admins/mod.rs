//! Admin accounts: first-run registration, CLI creation, sign-in, and the session version that
//! revokes every token of an admin at once.

pub mod invitations;
pub mod setup;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    sea_query::{Expr, ExprTrait},
};
use uuid::Uuid;

use crate::{
    auth,
    db::entities::admin,
    error::{AppError, AppResult, Reason, is_unique_violation},
    events::{Event, Events},
    values::{Email, Password},
};

#[derive(Debug, Clone)]
pub struct Admin {
    pub id: Uuid,
    pub email: String,
    pub created_at: DateTime<Utc>,
    /// Tokens issued under an older version are revoked.
    pub session_version: i32,
}

impl From<admin::Model> for Admin {
    fn from(m: admin::Model) -> Self {
        Self {
            id: m.id,
            email: m.email,
            created_at: m.created_at,
            session_version: m.session_version,
        }
    }
}

const FIRST_ADMIN_SLOT: i32 = 1;

#[tracing::instrument(skip(db))]
pub async fn any_exists(db: &DatabaseConnection) -> AppResult<bool> {
    Ok(admin::Entity::find().count(db).await? > 0)
}

#[tracing::instrument(skip(db))]
pub async fn find(db: &DatabaseConnection, id: Uuid) -> AppResult<Option<Admin>> {
    Ok(admin::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(Admin::from))
}

/// First-run registration: allowed only while no admin exists. The winner is decided by the
/// unique `first_admin_slot`, so of any number of concurrent callers exactly one succeeds.
#[tracing::instrument(skip(db, password), fields(email = email.as_str()))]
pub async fn register_first(
    db: &DatabaseConnection,
    email: Email,
    password: Password,
) -> AppResult<Admin> {
    if any_exists(db).await? {
        return Err(registration_closed());
    }
    let hash = auth::hash_password(&password).await?;
    insert(db, &email, hash, Some(FIRST_ADMIN_SLOT))
        .await
        .map_err(|err| match err {
            // Lost the race, or the email exists (which also means an admin exists).
            InsertError::Duplicate => registration_closed(),
            InsertError::Other(e) => e,
        })
}

/// Creates an admin (CLI). The first admin created this way also closes registration.
#[tracing::instrument(skip(db, password), fields(email = email.as_str()))]
pub async fn create(db: &DatabaseConnection, email: Email, password: Password) -> AppResult<Admin> {
    let hash = auth::hash_password(&password).await?;
    let slot = if any_exists(db).await? {
        None
    } else {
        Some(FIRST_ADMIN_SLOT)
    };
    match insert(db, &email, hash.clone(), slot).await {
        Ok(admin) => Ok(admin),
        // Someone registered in between: this admin is simply not the first one.
        Err(InsertError::Duplicate)
            if slot.is_some() && find_by_email(db, &email).await?.is_none() =>
        {
            insert(db, &email, hash, None)
                .await
                .map_err(InsertError::into_app)
        }
        Err(err) => Err(err.into_app()),
    }
}

/// Checks credentials. Unknown email and wrong password cost the same and read the same.
#[tracing::instrument(skip(db, password), fields(email = email.as_str()))]
pub async fn authenticate(
    db: &DatabaseConnection,
    email: &Email,
    password: &str,
) -> AppResult<Admin> {
    let wrong = || AppError::Unauthenticated("Wrong email or password");
    match admin::Entity::find()
        .filter(admin::Column::Email.eq(email.as_str()))
        .one(db)
        .await?
    {
        Some(row) => {
            if auth::verify_password(password, &row.password_hash).await? {
                Ok(row.into())
            } else {
                Err(wrong())
            }
        }
        None => {
            auth::verify_against_dummy(password).await?;
            Err(wrong())
        }
    }
}

pub(crate) async fn find_by_email(
    db: &impl sea_orm::ConnectionTrait,
    email: &Email,
) -> AppResult<Option<Admin>> {
    Ok(admin::Entity::find()
        .filter(admin::Column::Email.eq(email.as_str()))
        .one(db)
        .await?
        .map(Admin::from))
}

fn registration_closed() -> AppError {
    AppError::Forbidden("An admin already exists: sign in instead")
}

pub(crate) enum InsertError {
    Duplicate,
    Other(AppError),
}

impl InsertError {
    pub(crate) fn into_app(self) -> AppError {
        match self {
            Self::Duplicate => AppError::validation(
                "email",
                Reason::Duplicate,
                "An admin with this email already exists",
            ),
            Self::Other(e) => e,
        }
    }
}

pub(crate) async fn insert(
    db: &impl sea_orm::ConnectionTrait,
    email: &Email,
    password_hash: String,
    slot: Option<i32>,
) -> Result<Admin, InsertError> {
    let row = admin::ActiveModel {
        id: Set(Uuid::now_v7()),
        email: Set(email.as_str().to_owned()),
        password_hash: Set(password_hash),
        first_admin_slot: Set(slot),
        created_at: Set(crate::values::now()),
        session_version: Set(0),
    };
    admin::Entity::insert(row)
        .exec_with_returning(db)
        .await
        .map(Admin::from)
        .map_err(|err| {
            if is_unique_violation(&err) {
                InsertError::Duplicate
            } else {
                InsertError::Other(err.into())
            }
        })
}

/// The admin a token names, if that token's session is still current: the admin exists and
/// the token's session version is the admin's.
pub async fn session_admin(
    db: &DatabaseConnection,
    id: Uuid,
    session_version: i32,
) -> AppResult<Admin> {
    match find(db, id).await? {
        Some(admin) if admin.session_version == session_version => Ok(admin),
        Some(_) => Err(AppError::Unauthenticated("Session revoked: sign in again")),
        None => Err(AppError::Unauthenticated("Invalid token")),
    }
}

/// Ends every session of `email`'s admin, or of every admin: tokens issued before are refused
/// from now on, open WebSockets included. Returns how many admins it touched.
#[tracing::instrument(skip(db, events))]
pub async fn revoke_sessions(
    db: &DatabaseConnection,
    events: &Events,
    email: Option<&Email>,
) -> AppResult<usize> {
    let mut query = admin::Entity::find();
    if let Some(email) = email {
        query = query.filter(admin::Column::Email.eq(email.as_str()));
    }
    let ids: Vec<Uuid> = query.all(db).await?.into_iter().map(|a| a.id).collect();
    if ids.is_empty() {
        return Ok(0);
    }
    admin::Entity::update_many()
        .col_expr(
            admin::Column::SessionVersion,
            Expr::col(admin::Column::SessionVersion).add(1),
        )
        .filter(admin::Column::Id.is_in(ids.clone()))
        .exec(db)
        .await?;
    for id in &ids {
        events.publish(Event::SessionsRevoked(*id)).await;
    }
    Ok(ids.len())
}

/// Ends every session of one admin (sign-out): the session version moves on, so each token
/// issued before — this one, other tabs and devices, open WebSockets — is refused from now on.
#[tracing::instrument(skip(db, events))]
pub async fn end_sessions(db: &DatabaseConnection, events: &Events, id: Uuid) -> AppResult<()> {
    admin::Entity::update_many()
        .col_expr(
            admin::Column::SessionVersion,
            Expr::col(admin::Column::SessionVersion).add(1),
        )
        .filter(admin::Column::Id.eq(id))
        .exec(db)
        .await?;
    events.publish(Event::SessionsRevoked(id)).await;
    Ok(())
}

/// The signed-in admin changes their password: the current one must match. Every session of
/// theirs ends (other devices, a stolen token); the caller issues this session a new token.
#[tracing::instrument(skip(db, events, current, new))]
pub async fn change_password(
    db: &DatabaseConnection,
    events: &Events,
    id: Uuid,
    current: &str,
    new: Password,
) -> AppResult<Admin> {
    let row = admin::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::Unauthenticated("Invalid token"))?;
    if !auth::verify_password(current, &row.password_hash).await? {
        return Err(AppError::validation(
            "currentPassword",
            Reason::WrongPassword,
            "The current password is wrong",
        ));
    }
    let hash = auth::hash_password(&new).await?;
    admin::Entity::update_many()
        .col_expr(admin::Column::PasswordHash, Expr::value(hash))
        .col_expr(
            admin::Column::SessionVersion,
            Expr::col(admin::Column::SessionVersion).add(1),
        )
        .filter(admin::Column::Id.eq(id))
        .exec(db)
        .await?;
    events.publish(Event::SessionsRevoked(id)).await;
    find(db, id)
        .await?
        .ok_or(AppError::Unauthenticated("Invalid token"))
}

/// Sets a new password and ends the admin's other sessions.
#[tracing::instrument(skip(db, events, password), fields(email = email.as_str()))]
pub async fn set_password(
    db: &DatabaseConnection,
    events: &Events,
    email: &Email,
    password: Password,
) -> AppResult<Admin> {
    let admin = find_by_email(db, email)
        .await?
        .ok_or(AppError::NotFound("No admin with this email"))?;
    let hash = auth::hash_password(&password).await?;
    admin::Entity::update_many()
        .col_expr(admin::Column::PasswordHash, Expr::value(hash))
        .col_expr(
            admin::Column::SessionVersion,
            Expr::col(admin::Column::SessionVersion).add(1),
        )
        .filter(admin::Column::Id.eq(admin.id))
        .exec(db)
        .await?;
    events.publish(Event::SessionsRevoked(admin.id)).await;
    find(db, admin.id)
        .await?
        .ok_or(AppError::NotFound("No admin with this email"))
}

/// Every admin, oldest first.
pub async fn list(db: &DatabaseConnection) -> AppResult<Vec<Admin>> {
    Ok(admin::Entity::find()
        .order_by_asc(admin::Column::CreatedAt)
        .order_by_asc(admin::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(Admin::from)
        .collect())
}

/// One admin removes another; the removed admin's sessions end at once. Nobody removes
/// themselves this way, so the panel always keeps at least the admin doing the removing.
#[tracing::instrument(skip(db, events, by), fields(by = %by.id))]
pub async fn remove(
    db: &DatabaseConnection,
    events: &Events,
    by: &Admin,
    id: Uuid,
) -> AppResult<()> {
    if by.id == id {
        return Err(AppError::Forbidden(
            "You cannot remove your own account: another admin can",
        ));
    }
    let deleted = admin::Entity::delete_by_id(id).exec(db).await?;
    if deleted.rows_affected == 0 {
        return Err(AppError::NotFound("No such admin"));
    }
    events.publish(Event::SessionsRevoked(id)).await;
    Ok(())
}

/// Deletes an admin; their sessions end with them.
#[tracing::instrument(skip(db, events), fields(email = email.as_str()))]
pub async fn delete(db: &DatabaseConnection, events: &Events, email: &Email) -> AppResult<()> {
    let admin = find_by_email(db, email)
        .await?
        .ok_or(AppError::NotFound("No admin with this email"))?;
    admin::Entity::delete_by_id(admin.id).exec(db).await?;
    events.publish(Event::SessionsRevoked(admin.id)).await;
    Ok(())
}
