//! The pipeline: NEW → IN_PROGRESS → WON / LOST, and SPAM beside it. Any move is allowed
//! (admins fix mistakes; the admin asks before reopening a closed lead); the first move away
//! from NEW (other than to SPAM) stamps the time of first response. Every move is recorded in
//! the lead's history with who made it ([`Actor`]), in the same transaction.
//!
//! Spam: a lead marked SPAM leaves the list, the CSV and the statistics, and its e-mail and
//! phone digits go to `spam_contacts`, so new orders from them are stored as spam at once
//! (`intake`). Un-marking restores the status it had before and forgets its contacts.

use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, QueryFilter, QuerySelect,
    TransactionTrait,
    sea_query::{Expr, Func, OnConflict},
};
use uuid::Uuid;

use super::{
    Lead,
    history::{self, Actor},
};
use crate::{
    db::entities::{lead, spam_contact},
    error::{AppError, AppResult, Reason},
    values::{check_text, now, optional_text},
};

/// Where a lead is in the pipeline; stored as its spelling (a SeaORM active enum): a row with
/// any other value fails to load rather than being read as `NEW`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, sea_orm::EnumIter, sea_orm::DeriveActiveEnum)]
#[sea_orm(
    rs_type = "String",
    db_type = "String(sea_orm::sea_query::StringLen::None)"
)]
pub enum LeadStatus {
    #[sea_orm(string_value = "NEW")]
    New,
    #[sea_orm(string_value = "IN_PROGRESS")]
    InProgress,
    #[sea_orm(string_value = "WON")]
    Won,
    #[sea_orm(string_value = "LOST")]
    Lost,
    /// Not an order: out of the list, the CSV and the statistics.
    #[sea_orm(string_value = "SPAM")]
    Spam,
}

impl LeadStatus {
    pub const ALL: [Self; 5] = [
        Self::New,
        Self::InProgress,
        Self::Won,
        Self::Lost,
        Self::Spam,
    ];
    /// The statuses of orders (every one but SPAM).
    pub const PIPELINE: [Self; 4] = [Self::New, Self::InProgress, Self::Won, Self::Lost];

    /// Open orders: the work queue puts them first.
    pub fn is_open(self) -> bool {
        matches!(self, Self::New | Self::InProgress)
    }

    /// The spelling: "NEW", "IN_PROGRESS", "WON", "LOST".
    pub fn name(self) -> String {
        sea_orm::ActiveEnum::to_value(&self)
    }

    /// What a person typed (a query string): the spelling, any case.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|s| s.name().eq_ignore_ascii_case(text.trim()))
    }
}

pub const LOST_REASON_MAX: usize = 1000;

/// Moves a lead to `status` whatever it is now (an admin's choice), recorded in its history.
/// LOST needs a reason; SPAM goes through [`mark_spam`].
#[tracing::instrument(skip(db))]
pub async fn set_status(
    db: &DatabaseConnection,
    id: Uuid,
    status: LeadStatus,
    lost_reason: Option<&str>,
    expected: Option<LeadStatus>,
    actor: &Actor,
) -> AppResult<Lead> {
    if status == LeadStatus::Spam {
        return to_spam(db, id, expected, actor).await;
    }
    let lost_reason = match status {
        LeadStatus::Lost => {
            let reason = optional_text(lost_reason).ok_or_else(|| {
                AppError::validation("lostReason", Reason::Required, "Say why the lead was lost")
            })?;
            check_text("lostReason", "Reason", &reason, LOST_REASON_MAX)?;
            Some(reason)
        }
        _ => None,
    };
    move_lead(
        db,
        id,
        expected,
        status,
        Some(lost_reason),
        actor,
        |_, _| Box::pin(async { Ok(()) }),
    )
    .await?
    .ok_or_else(moved_meanwhile)
}

/// The lead is no longer in the status the admin saw: somebody moved it meanwhile.
fn moved_meanwhile() -> AppError {
    AppError::validation(
        "expectedStatus",
        Reason::Changed,
        "The lead was moved by somebody else meanwhile: read it again",
    )
}

/// Moves a lead from `from` to `to` only if it is still in `from` (one conditional statement:
/// of two people taking a NEW lead at once, one does). `None` when it was not in `from`.
/// Recorded in the history like any move. (The "Take it" button: NEW → IN_PROGRESS.)
#[tracing::instrument(skip(db))]
pub async fn move_if(
    db: &DatabaseConnection,
    id: Uuid,
    from: LeadStatus,
    to: LeadStatus,
    actor: &Actor,
) -> AppResult<Option<Lead>> {
    if to == LeadStatus::Lost || to == LeadStatus::Spam {
        return Err(AppError::validation(
            "status",
            Reason::UnknownValue,
            "LOST needs a reason and SPAM its own mutation",
        ));
    }
    move_lead(db, id, Some(from), to, Some(None), actor, |_, _| {
        Box::pin(async { Ok(()) })
    })
    .await
}

/// Marks a lead as spam (its contacts then mark new orders from them as spam), or un-marks it
/// back to the status it had before (NEW if the history does not say).
#[tracing::instrument(skip(db))]
pub async fn mark_spam(
    db: &DatabaseConnection,
    id: Uuid,
    spam: bool,
    actor: &Actor,
) -> AppResult<Lead> {
    if spam {
        return to_spam(db, id, None, actor).await;
    }
    let current = current_status(db, id)
        .await?
        .ok_or(AppError::NotFound("Lead not found"))?;
    if current != LeadStatus::Spam {
        return found(db, id).await;
    }
    let back = history::status_before(db, id, LeadStatus::Spam)
        .await?
        .filter(|s| *s != LeadStatus::Spam)
        .unwrap_or(LeadStatus::New);
    move_lead(
        db,
        id,
        Some(LeadStatus::Spam),
        back,
        None,
        actor,
        |txn, lead| Box::pin(forget_contacts(txn, lead)),
    )
    .await?;
    found(db, id).await
}

/// Marks a lead as spam (its contacts then mark new orders from them as spam), in one
/// conditional move: only if it is still in `expected`, when given.
async fn to_spam(
    db: &DatabaseConnection,
    id: Uuid,
    expected: Option<LeadStatus>,
    actor: &Actor,
) -> AppResult<Lead> {
    let current = current_status(db, id)
        .await?
        .ok_or(AppError::NotFound("Lead not found"))?;
    if expected.is_some_and(|expected| expected != current) {
        return Err(moved_meanwhile());
    }
    if current != LeadStatus::Spam {
        move_lead(
            db,
            id,
            expected,
            LeadStatus::Spam,
            None,
            actor,
            |txn, lead| Box::pin(remember_contacts(txn, lead)),
        )
        .await?
        .ok_or_else(moved_meanwhile)?;
    }
    found(db, id).await
}

async fn found(db: &DatabaseConnection, id: Uuid) -> AppResult<Lead> {
    super::find(db, id)
        .await?
        .ok_or(AppError::NotFound("Lead not found"))
}

async fn current_status(db: &DatabaseConnection, id: Uuid) -> AppResult<Option<LeadStatus>> {
    Ok(lead::Entity::find_by_id(id)
        .select_only()
        .column(lead::Column::Status)
        .into_tuple()
        .one(db)
        .await?)
}

/// What a move does beside itself, in its transaction.
type Extra = for<'a> fn(
    &'a DatabaseTransaction,
    &'a lead::Model,
) -> std::pin::Pin<
    Box<dyn std::future::Future<Output = AppResult<()>> + Send + 'a>,
>;

/// The one way a status changes: read the status, then in one transaction update the row
/// only if it still has that status (so the history's "from" is true even when two admins act
/// at once; the loser reads again), record the move, run `extra`. The transaction starts
/// with its write, so SQLite takes its write lock first and never fails to upgrade a read.
/// `lost_reason`: `None` leaves it as it is. `None` result: the lead was not in `expected`.
async fn move_lead(
    db: &DatabaseConnection,
    id: Uuid,
    expected: Option<LeadStatus>,
    to: LeadStatus,
    lost_reason: Option<Option<String>>,
    actor: &Actor,
    extra: Extra,
) -> AppResult<Option<Lead>> {
    const ATTEMPTS: usize = 10;
    for _ in 0..ATTEMPTS {
        let Some(current) = current_status(db, id).await? else {
            return Err(AppError::NotFound("Lead not found"));
        };
        if expected.is_some_and(|e| e != current) {
            return Ok(None);
        }
        let txn = db.begin().await?;
        let at = now();
        let mut update = lead::Entity::update_many()
            .col_expr(lead::Column::Status, Expr::value(to))
            .filter(lead::Column::Id.eq(id))
            .filter(lead::Column::Status.eq(current));
        if let Some(reason) = &lost_reason {
            update = update.col_expr(lead::Column::LostReason, Expr::value(reason.clone()));
        }
        if to != LeadStatus::New && to != LeadStatus::Spam {
            // One statement, so two admins acting at once cannot both be "first".
            update = update.col_expr(
                lead::Column::FirstResponseAt,
                Func::coalesce([Expr::col(lead::Column::FirstResponseAt), Expr::value(at)]).into(),
            );
        }
        if update.exec(&txn).await?.rows_affected == 0 {
            // Moved (or deleted) since the read: read again.
            txn.rollback().await?;
            continue;
        }
        if current != to {
            history::record(&txn, id, Some(current), to, actor, at).await?;
        }
        let row = lead::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound("Lead not found"))?;
        extra(&txn, &row).await?;
        txn.commit().await?;
        return Ok(Some(Lead::from(row)));
    }
    Err(AppError::internal(anyhow::anyhow!(
        "lead {id} kept changing during {ATTEMPTS} attempts to move it"
    )))
}

/// The spam guard's keys of a lead: its e-mail (lower-case) and its phone's digits.
pub fn spam_keys(email: &str, phone: Option<&str>) -> Vec<String> {
    let mut keys = vec![format!("email:{}", email.trim().to_lowercase())];
    let digits: String = phone
        .unwrap_or_default()
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    if digits.len() >= 5 {
        keys.push(format!("phone:{digits}"));
    }
    keys
}

async fn remember_contacts(txn: &DatabaseTransaction, lead: &lead::Model) -> AppResult<()> {
    let rows = spam_keys(&lead.email, lead.phone.as_deref())
        .into_iter()
        .map(|contact| spam_contact::ActiveModel {
            contact: Set(contact),
            lead_id: Set(lead.id),
        });
    spam_contact::Entity::insert_many(rows)
        .on_conflict(OnConflict::new().do_nothing().to_owned())
        .exec_without_returning(txn)
        .await?;
    Ok(())
}

async fn forget_contacts(txn: &DatabaseTransaction, lead: &lead::Model) -> AppResult<()> {
    spam_contact::Entity::delete_many()
        .filter(spam_contact::Column::LeadId.eq(lead.id))
        .exec(txn)
        .await?;
    Ok(())
}
