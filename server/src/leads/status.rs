//! The pipeline: NEW → IN_PROGRESS → WON / LOST. Any move is allowed (admins fix mistakes);
//! the first move away from NEW stamps the time of first response.

use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    sea_query::{Expr, Func},
};
use uuid::Uuid;

use super::Lead;
use crate::{
    db::entities::lead,
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
}

impl LeadStatus {
    pub const ALL: [Self; 4] = [Self::New, Self::InProgress, Self::Won, Self::Lost];

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

#[tracing::instrument(skip(db))]
pub async fn set_status(
    db: &DatabaseConnection,
    id: Uuid,
    status: LeadStatus,
    lost_reason: Option<&str>,
) -> AppResult<Lead> {
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
    let mut update = lead::Entity::update_many()
        .col_expr(lead::Column::Status, Expr::value(status))
        .col_expr(lead::Column::LostReason, Expr::value(lost_reason))
        .filter(lead::Column::Id.eq(id));
    if status != LeadStatus::New {
        // One statement, so two admins acting at once cannot both be "first".
        let now = now();
        update = update.col_expr(
            lead::Column::FirstResponseAt,
            Func::coalesce([Expr::col(lead::Column::FirstResponseAt), Expr::value(now)]).into(),
        );
    }
    if update.exec(db).await?.rows_affected == 0 {
        return Err(AppError::NotFound("Lead not found"));
    }
    super::find(db, id)
        .await?
        .ok_or(AppError::NotFound("Lead not found"))
}

/// "Take it" from a notification: NEW → IN_PROGRESS, only if the lead is still NEW, in one
/// statement (two presses at once cannot both take it), stamping the first response as
/// [`set_status`] does. `Ok(true)` when this call took it.
#[tracing::instrument(skip(db))]
pub async fn take_if_new(db: &DatabaseConnection, id: Uuid) -> AppResult<bool> {
    let now = now();
    let taken = lead::Entity::update_many()
        .col_expr(lead::Column::Status, Expr::value(LeadStatus::InProgress))
        .col_expr(
            lead::Column::FirstResponseAt,
            Func::coalesce([Expr::col(lead::Column::FirstResponseAt), Expr::value(now)]).into(),
        )
        .filter(lead::Column::Id.eq(id))
        .filter(lead::Column::Status.eq(LeadStatus::New))
        .exec(db)
        .await?
        .rows_affected;
    Ok(taken == 1)
}
