//! Purges visits older than `METRICS_RETENTION_DAYS` and the rollups of those days.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::BusinessClock;
use crate::{
    db::entities::{
        click_daily, engagement_bucket, field_daily, order_slot::SLOT_SECONDS, visit, visit_daily,
        visit_slot,
    },
    error::AppResult,
};

#[derive(Debug, Default, PartialEq, Eq)]
pub struct PurgeReport {
    pub visits: u64,
    pub rollup_rows: u64,
}

/// Deletes the rows of a per-day table whose `day` is before `cutoff_day`.
async fn before_day<E: EntityTrait>(
    db: &DatabaseConnection,
    day: E::Column,
    cutoff_day: chrono::NaiveDate,
) -> AppResult<u64> {
    Ok(E::delete_many()
        .filter(day.lt(cutoff_day))
        .exec(db)
        .await?
        .rows_affected)
}

#[tracing::instrument(skip(db, clock))]
pub async fn purge(
    db: &DatabaseConnection,
    clock: &BusinessClock,
    retention_days: u32,
    now: DateTime<Utc>,
) -> AppResult<PurgeReport> {
    let cutoff = now - Duration::days(i64::from(retention_days));
    let cutoff_day = clock.date(cutoff);
    let visits = visit::Entity::delete_many()
        .filter(visit::Column::FirstSeenAt.lt(cutoff))
        .exec(db)
        .await?
        .rows_affected;
    let rollup_rows = before_day::<visit_daily::Entity>(db, visit_daily::Column::Day, cutoff_day)
        .await?
        + before_day::<engagement_bucket::Entity>(db, engagement_bucket::Column::Day, cutoff_day)
            .await?
        + super::heatmap_store::purge_before(db, cutoff_day).await?
        // Else a purged day's points still in the heatmap log would come back when folded in.
        + super::cell_log::purge_before(db, cutoff_day).await?
        + before_day::<click_daily::Entity>(db, click_daily::Column::Day, cutoff_day).await?
        + before_day::<field_daily::Entity>(db, field_daily::Column::Day, cutoff_day).await?
        + visit_slot::Entity::delete_many()
            .filter(visit_slot::Column::Slot.lt(cutoff.timestamp().div_euclid(SLOT_SECONDS)))
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
