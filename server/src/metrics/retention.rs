//! Purges visits older than `METRICS_RETENTION_DAYS` and the rollups of those days.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::BusinessClock;
use crate::{
    db::entities::{click_daily, engagement_bucket, field_daily, heatmap_cell, visit, visit_daily},
    error::AppResult,
};

#[derive(Debug, Default, PartialEq, Eq)]
pub struct PurgeReport {
    pub visits: u64,
    pub rollup_rows: u64,
}

#[tracing::instrument(skip(db, clock))]
pub async fn purge(
    db: &DatabaseConnection,
    clock: &BusinessClock,
    retention_days: u32,
    now: DateTime<Utc>,
) -> AppResult<PurgeReport> {
    let cutoff = now - Duration::days(i64::from(retention_days));
    let cutoff_day = clock.day(cutoff);
    let visits = visit::Entity::delete_many()
        .filter(visit::Column::FirstSeenAt.lt(cutoff))
        .exec(db)
        .await?
        .rows_affected;
    let mut rollup_rows = 0;
    rollup_rows += visit_daily::Entity::delete_many()
        .filter(visit_daily::Column::Day.lt(cutoff_day.clone()))
        .exec(db)
        .await?
        .rows_affected;
    rollup_rows += engagement_bucket::Entity::delete_many()
        .filter(engagement_bucket::Column::Day.lt(cutoff_day.clone()))
        .exec(db)
        .await?
        .rows_affected;
    rollup_rows += heatmap_cell::Entity::delete_many()
        .filter(heatmap_cell::Column::Day.lt(cutoff_day.clone()))
        .exec(db)
        .await?
        .rows_affected;
    rollup_rows += click_daily::Entity::delete_many()
        .filter(click_daily::Column::Day.lt(cutoff_day.clone()))
        .exec(db)
        .await?
        .rows_affected;
    rollup_rows += field_daily::Entity::delete_many()
        .filter(field_daily::Column::Day.lt(cutoff_day))
        .exec(db)
        .await?
        .rows_affected;
    if visits > 0 || rollup_rows > 0 {
        tracing::info!(visits, rollup_rows, "purged metrics past retention");
        super::snapshot::invalidate(db).await?;
    }
    Ok(PurgeReport {
        visits,
        rollup_rows,
    })
}
