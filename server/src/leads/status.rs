//! The pipeline: NEW → IN_PROGRESS → WON / LOST. Any move is allowed (admins fix mistakes);
//! the first move away from NEW stamps the time of first response.

use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    sea_query::{Expr, Func},
};
use uuid::Uuid;

use super::Lead;
use crate::{
    db::entities::application,
    error::{AppError, AppResult, Reason},
    values::{check_text, now, optional_text},
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LeadStatus {
    New,
    InProgress,
    Won,
    Lost,
}

impl LeadStatus {
    pub const ALL: [Self; 4] = [Self::New, Self::InProgress, Self::Won, Self::Lost];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::New => "NEW",
            Self::InProgress => "IN_PROGRESS",
            Self::Won => "WON",
            Self::Lost => "LOST",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
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
    let mut update = application::Entity::update_many()
        .col_expr(application::Column::Status, Expr::value(status.as_str()))
        .col_expr(application::Column::LostReason, Expr::value(lost_reason))
        .filter(application::Column::Id.eq(id));
    if status != LeadStatus::New {
        // One statement, so two admins acting at once cannot both be "first".
        let now = now();
        update = update.col_expr(
            application::Column::FirstResponseAt,
            Func::coalesce([
                Expr::col(application::Column::FirstResponseAt),
                Expr::value(now),
            ])
            .into(),
        );
    }
    if update.exec(db).await?.rows_affected == 0 {
        return Err(AppError::NotFound("Lead not found"));
    }
    super::find(db, id)
        .await?
        .ok_or(AppError::NotFound("Lead not found"))
}
