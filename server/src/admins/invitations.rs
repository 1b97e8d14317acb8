//! Further admins join by invitation: an admin invites an e-mail address and passes the
//! one-time link on; the invitee opens it before it expires and sets their own password, so
//! every admin signs in with an account of their own and nobody handles anyone else's
//! password. Only the code's SHA-256 is stored; a code works once (its use is recorded in the
//! transaction that creates the account) and for [`TTL`].

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait, sea_query::Expr,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::{Admin, InsertError, find_by_email, insert};
use crate::{
    auth,
    db::entities::admin_invitation as row,
    error::{AppError, AppResult, Reason},
    values::{Email, Password},
};

/// How long an invitation can be redeemed.
pub const TTL: chrono::TimeDelta = chrono::TimeDelta::hours(72);
/// Random bytes in a code: 192 bits, written as 32 URL-safe characters.
const CODE_BYTES: usize = 24;

#[derive(Debug, Clone)]
pub struct Invitation {
    pub id: Uuid,
    pub email: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

impl From<row::Model> for Invitation {
    fn from(m: row::Model) -> Self {
        Self {
            id: m.id,
            email: m.email,
            created_at: m.created_at,
            expires_at: m.expires_at,
        }
    }
}

/// A new invitation and its code, which exists only in this answer.
pub struct Issued {
    pub invitation: Invitation,
    pub code: String,
}

fn hash(code: &str) -> String {
    use std::fmt::Write as _;
    let digest = Sha256::digest(code.trim().as_bytes());
    digest.iter().fold(String::with_capacity(64), |mut hex, b| {
        let _ = write!(hex, "{b:02x}");
        hex
    })
}

fn new_code() -> AppResult<String> {
    let mut bytes = [0u8; CODE_BYTES];
    getrandom::fill(&mut bytes).map_err(|e| AppError::internal(anyhow::anyhow!("{e}")))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

fn refused(reason: Reason, message: &'static str) -> AppError {
    AppError::validation("code", reason, message)
}

/// Invites `email`. An earlier invitation of the same address that is still open is replaced
/// (its link stops working). Refused when an admin has that address already.
#[tracing::instrument(skip(db), fields(email = email.as_str()))]
pub async fn create(db: &DatabaseConnection, inviter: &Admin, email: Email) -> AppResult<Issued> {
    if find_by_email(db, &email).await?.is_some() {
        return Err(AppError::validation(
            "email",
            Reason::Duplicate,
            "An admin with this email already exists",
        ));
    }
    let code = new_code()?;
    let now = crate::values::now();
    let txn = db.begin().await?;
    row::Entity::delete_many()
        .filter(row::Column::Email.eq(email.as_str()))
        .filter(row::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    let model = row::Entity::insert(row::ActiveModel {
        id: Set(Uuid::now_v7()),
        email: Set(email.as_str().to_owned()),
        code_hash: Set(hash(&code)),
        created_by: Set(Some(inviter.id)),
        created_at: Set(now),
        expires_at: Set(now + TTL),
        used_at: Set(None),
    })
    .exec_with_returning(&txn)
    .await?;
    txn.commit().await?;
    Ok(Issued {
        invitation: model.into(),
        code,
    })
}

/// Invitations not yet redeemed and not expired, newest first.
pub async fn open(db: &DatabaseConnection) -> AppResult<Vec<Invitation>> {
    Ok(row::Entity::find()
        .filter(row::Column::UsedAt.is_null())
        .filter(row::Column::ExpiresAt.gt(crate::values::now()))
        .order_by_desc(row::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(Invitation::from)
        .collect())
}

/// Withdraws an invitation that was not redeemed: its link stops working.
pub async fn revoke(db: &DatabaseConnection, id: Uuid) -> AppResult<()> {
    let deleted = row::Entity::delete_many()
        .filter(row::Column::Id.eq(id))
        .filter(row::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    if deleted.rows_affected == 0 {
        return Err(AppError::NotFound("No such open invitation"));
    }
    Ok(())
}

/// The invitation a code names, if it can still be redeemed; else why not
/// (`INVITATION_INVALID`, `INVITATION_USED`, `INVITATION_EXPIRED` on `code`).
pub async fn find_open(db: &DatabaseConnection, code: &str) -> AppResult<Invitation> {
    let found = row::Entity::find()
        .filter(row::Column::CodeHash.eq(hash(code)))
        .one(db)
        .await?
        .ok_or_else(|| {
            refused(
                Reason::InvitationInvalid,
                "This invitation link is not valid: ask for a new one",
            )
        })?;
    if found.used_at.is_some() {
        return Err(refused(
            Reason::InvitationUsed,
            "This invitation has been used already: sign in, or ask for a new one",
        ));
    }
    if found.expires_at <= crate::values::now() {
        return Err(refused(
            Reason::InvitationExpired,
            "This invitation has expired: ask for a new one",
        ));
    }
    Ok(found.into())
}

/// Redeems a code: creates the invitee's account with their password. Of two attempts with
/// the same code exactly one succeeds.
#[tracing::instrument(skip(db, code, password))]
pub async fn accept(db: &DatabaseConnection, code: &str, password: &str) -> AppResult<Admin> {
    let invitation = find_open(db, code).await?;
    let password = Password::parse_for("password", password, &[invitation.email.as_str()])?;
    let email = Email::parse("email", &invitation.email)?;
    let hash = auth::hash_password(&password).await?;
    let now = crate::values::now();
    let txn = db.begin().await?;
    let claimed = row::Entity::update_many()
        .col_expr(row::Column::UsedAt, Expr::value(now))
        .filter(row::Column::Id.eq(invitation.id))
        .filter(row::Column::UsedAt.is_null())
        .filter(row::Column::ExpiresAt.gt(now))
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(refused(
            Reason::InvitationUsed,
            "This invitation has been used already: sign in, or ask for a new one",
        ));
    }
    let admin = insert(&txn, &email, hash, None)
        .await
        .map_err(InsertError::into_app)?;
    txn.commit().await?;
    Ok(admin)
}
