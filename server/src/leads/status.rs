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

/// What the admin saw of a lead when they chose a move: the move is made only if the lead is
/// still so (each part when given), so nobody overwrites a change they never saw.
#[derive(Debug, Clone, Default)]
pub struct Seen {
    pub status: Option<LeadStatus>,
    /// The reason it was lost, empty when none: a stale card editing the reason of a LOST
    /// lead would otherwise overwrite another admin's newer reason (the status alone matches).
    pub lost_reason: Option<String>,
}

impl Seen {
    /// Seen in `status`, whatever its reason.
    fn in_status(status: LeadStatus) -> Self {
        Self {
            status: Some(status),
            lost_reason: None,
        }
    }

    /// The part of the lead that differs from what was seen, if any.
    fn stale(&self, now: &Current) -> Option<Stale> {
        if self.status.is_some_and(|seen| seen != now.status) {
            return Some(Stale::Status);
        }
        let stored = now.lost_reason.as_deref().unwrap_or_default();
        if self
            .lost_reason
            .as_deref()
            .is_some_and(|seen| seen != stored)
        {
            return Some(Stale::LostReason);
        }
        None
    }
}

/// Which part of what the admin saw has changed since.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stale {
    Status,
    LostReason,
}

impl Stale {
    /// The lead was changed by somebody else since the admin read it: the field named is the
    /// argument that no longer holds.
    fn error(self) -> AppError {
        match self {
            Self::Status => AppError::validation(
                "expectedStatus",
                Reason::Changed,
                "The lead was moved by somebody else meanwhile: read it again",
            ),
            Self::LostReason => AppError::validation(
                "expectedLostReason",
                Reason::Changed,
                "The reason was changed by somebody else meanwhile: read it again",
            ),
        }
    }
}

/// Moves a lead to `status` whatever it is now (an admin's choice), recorded in its history;
/// unless it is no longer as the admin `seen` it. LOST needs a reason; SPAM goes through
/// [`mark_spam`].
#[tracing::instrument(skip(db))]
pub async fn set_status(
    db: &DatabaseConnection,
    id: Uuid,
    status: LeadStatus,
    lost_reason: Option<&str>,
    seen: Seen,
    actor: &Actor,
) -> AppResult<Lead> {
    if status == LeadStatus::Spam {
        return to_spam(db, id, seen, actor).await;
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
    move_lead(db, id, &seen, status, Some(lost_reason), actor, |_, _| {
        Box::pin(async { Ok(()) })
    })
    .await?
    .map_err(Stale::error)
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
    Ok(move_lead(
        db,
        id,
        &Seen::in_status(from),
        to,
        Some(None),
        actor,
        |_, _| Box::pin(async { Ok(()) }),
    )
    .await?
    .ok())
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
        return to_spam(db, id, Seen::default(), actor).await;
    }
    let current = current(db, id).await?;
    if current.status != LeadStatus::Spam {
        return found(db, id).await;
    }
    let back = history::status_before(db, id, LeadStatus::Spam)
        .await?
        .filter(|s| *s != LeadStatus::Spam)
        .unwrap_or(LeadStatus::New);
    // Un-marked by somebody else meanwhile (no longer SPAM): the lead as it is now is the
    // answer either way.
    let _moved = move_lead(
        db,
        id,
        &Seen::in_status(LeadStatus::Spam),
        back,
        None,
        actor,
        |txn, lead| Box::pin(forget_contacts(txn, lead)),
    )
    .await?;
    found(db, id).await
}

/// Marks a lead as spam (its contacts then mark new orders from them as spam), in one
/// conditional move: only if it is still as `seen`.
async fn to_spam(db: &DatabaseConnection, id: Uuid, seen: Seen, actor: &Actor) -> AppResult<Lead> {
    let current = current(db, id).await?;
    if let Some(stale) = seen.stale(&current) {
        return Err(stale.error());
    }
    if current.status != LeadStatus::Spam {
        move_lead(db, id, &seen, LeadStatus::Spam, None, actor, |txn, lead| {
            Box::pin(remember_contacts(txn, lead))
        })
        .await?
        .map_err(Stale::error)?;
    }
    found(db, id).await
}

async fn found(db: &DatabaseConnection, id: Uuid) -> AppResult<Lead> {
    super::find(db, id)
        .await?
        .ok_or(AppError::NotFound("Lead not found"))
}

/// What a move compares with what the admin saw.
#[derive(Debug)]
struct Current {
    status: LeadStatus,
    lost_reason: Option<String>,
}

async fn current(db: &DatabaseConnection, id: Uuid) -> AppResult<Current> {
    let (status, lost_reason) = lead::Entity::find_by_id(id)
        .select_only()
        .column(lead::Column::Status)
        .column(lead::Column::LostReason)
        .into_tuple()
        .one(db)
        .await?
        .ok_or(AppError::NotFound("Lead not found"))?;
    Ok(Current {
        status,
        lost_reason,
    })
}

/// What a move does beside itself, in its transaction.
type Extra = for<'a> fn(
    &'a DatabaseTransaction,
    &'a lead::Model,
) -> std::pin::Pin<
    Box<dyn std::future::Future<Output = AppResult<()>> + Send + 'a>,
>;

/// The one way a status changes: read the status (and reason), then in one transaction update
/// the row only if it still has them (so the history's "from" is true even when two admins act
/// at once; the loser reads again), record the move, run `extra`. The transaction starts
/// with its write, so SQLite takes its write lock first and never fails to upgrade a read.
/// `lost_reason`: `None` leaves it as it is. `Err` result: the lead is no longer as `seen`.
async fn move_lead(
    db: &DatabaseConnection,
    id: Uuid,
    seen: &Seen,
    to: LeadStatus,
    lost_reason: Option<Option<String>>,
    actor: &Actor,
    extra: Extra,
) -> AppResult<Result<Lead, Stale>> {
    const ATTEMPTS: usize = 10;
    for _ in 0..ATTEMPTS {
        let current = current(db, id).await?;
        if let Some(stale) = seen.stale(&current) {
            return Ok(Err(stale));
        }
        let txn = db.begin().await?;
        let at = now();
        let reason_unchanged = match &current.lost_reason {
            Some(reason) => lead::Column::LostReason.eq(reason.as_str()),
            None => lead::Column::LostReason.is_null(),
        };
        let mut update = lead::Entity::update_many()
            .col_expr(lead::Column::Status, Expr::value(to))
            .filter(lead::Column::Id.eq(id))
            .filter(lead::Column::Status.eq(current.status))
            .filter(reason_unchanged);
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
        // A move is recorded, and so is a lost lead's new reason: who wrote which reason.
        let reason = match &lost_reason {
            Some(reason) => reason.as_deref(),
            None => current.lost_reason.as_deref(),
        }
        .filter(|_| to == LeadStatus::Lost);
        let rewritten = to == LeadStatus::Lost && reason != current.lost_reason.as_deref();
        if current.status != to || rewritten {
            let change = history::Move {
                from: Some(current.status),
                to,
                lost_reason: reason,
            };
            history::record(&txn, id, change, actor, at).await?;
        }
        let row = lead::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound("Lead not found"))?;
        extra(&txn, &row).await?;
        txn.commit().await?;
        return Ok(Ok(Lead::from(row)));
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
