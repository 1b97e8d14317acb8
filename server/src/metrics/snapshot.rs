//! Heatmap snapshots: the 7- and 30-day windows summed once per business day over every day
//! before today. Cursor points are filed under the day they arrive, so a finished day never
//! changes again; a windowed heatmap is then one snapshot plus today's rows, read as they are.

use std::{
    collections::HashMap,
    future::Future,
    sync::{Arc, Mutex},
};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect,
    TransactionTrait,
    sea_query::{Expr, ExprTrait},
};

use super::{BusinessClock, ViewportClass, clock::format_day};
use crate::{
    db::entities::{heatmap_snapshot, heatmap_snapshot_state},
    error::AppResult,
};

/// Window lengths (days) kept as snapshots: the week and month views.
pub const WINDOWS: [u32; 2] = [7, 30];
/// How long after midnight the snapshots wait before summing the day that just ended: every
/// replica's aggregator must have written its last points of that day (it flushes every
/// second). Until then statistics sum the window from the per-day rows, as without snapshots.
pub const SETTLE: Duration = Duration::minutes(2);
const STATE_ID: i32 = 1;

/// The first day read live for a heatmap at `now`: today.
pub fn live_from(clock: &BusinessClock, now: DateTime<Utc>) -> NaiveDate {
    clock.date(now)
}

/// The snapshots' state: the day they were built for ("" before the first build) and the
/// build's generation.
pub async fn state(db: &DatabaseConnection) -> AppResult<(String, i64)> {
    Ok(heatmap_snapshot_state::Entity::find_by_id(STATE_ID)
        .one(db)
        .await?
        .map(|s| (s.anchor_day, s.generation))
        .unwrap_or_default())
}

/// A snapshot's cells: (x, y, count), sorted by (x, y).
pub type Cells = Arc<[(i16, i32, i64)]>;

/// The snapshots this server has read, kept until a newer build: a month's heatmap is tens of
/// thousands of cells, and they change once a day. Which (page, viewport class, window) can be
/// asked for is bounded by the configured pages; past [`CACHED_PARTS`] the cache starts over.
#[derive(Debug, Default)]
pub struct SnapshotCache {
    parts: Mutex<HashMap<Part, (i64, Cells)>>,
}

/// A snapshot: page, viewport class, window (days).
type Part = (String, ViewportClass, u32);

const CACHED_PARTS: usize = 64;

impl SnapshotCache {
    /// The cells of one snapshot as of build `generation`, read by `read` unless kept.
    pub async fn get_or_read<F>(
        &self,
        page: &str,
        class: ViewportClass,
        window: u32,
        generation: i64,
        read: F,
    ) -> AppResult<Cells>
    where
        F: Future<Output = AppResult<Vec<(i16, i32, i64)>>>,
    {
        let key = (page.to_owned(), class, window);
        if let Some((kept, cells)) = self.lock().get(&key)
            && *kept == generation
        {
            return Ok(cells.clone());
        }
        // Two requests may both read a missing part; the second just stores the same cells.
        let cells: Cells = read.await?.into();
        let mut parts = self.lock();
        if parts.len() >= CACHED_PARTS {
            parts.clear();
        }
        parts.insert(key, (generation, cells.clone()));
        Ok(cells)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Part, (i64, Cells)>> {
        self.parts
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Marks the snapshots stale, so the next check (within a minute) rebuilds them: for writes
/// into past days (demo data) and for purges.
pub async fn invalidate(db: &DatabaseConnection) -> AppResult<()> {
    heatmap_snapshot_state::Entity::update_many()
        .col_expr(heatmap_snapshot_state::Column::AnchorDay, Expr::value(""))
        .filter(heatmap_snapshot_state::Column::Id.eq(STATE_ID))
        .exec(db)
        .await?;
    Ok(())
}

/// Rebuilds the snapshots when the business day has changed since the last build (and has
/// settled, see [`SETTLE`]). Returns whether this call built them.
///
/// The work is split into small statements, one (page, viewport class, window) at a time, each
/// its own transaction, so a big rebuild never holds a lock that intake waits for. While it
/// runs the anchor reads `building:<day>`, which is not today, so statistics sum the live rows
/// as if there were no snapshots; the anchor becomes today only once every part is written.
/// Safe with several replicas: the first to move the anchor (a conditional update) builds; the
/// others find it moved. A build that dies half-way leaves `building:<day>`: statistics stay
/// correct (summed live) and the next day builds afresh.
#[tracing::instrument(skip(db, clock))]
pub async fn rebuild_if_stale(
    db: &DatabaseConnection,
    clock: &BusinessClock,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let today = format_day(clock.date(now));
    if now - clock.start_of(clock.date(now)) < SETTLE {
        return Ok(false);
    }
    let building = format!("{BUILDING}{today}");
    let (anchor, _) = state(db).await?;
    if anchor == today || anchor == building {
        return Ok(false);
    }
    // The finished days' points still in the log belong in their snapshots. Folded in before
    // the claim: should it fail, nothing is claimed, and the next check tries again.
    super::cell_log::compact(db).await?;
    let claimed = heatmap_snapshot_state::Entity::update_many()
        .col_expr(
            heatmap_snapshot_state::Column::AnchorDay,
            Expr::value(building.clone()),
        )
        .filter(heatmap_snapshot_state::Column::Id.eq(STATE_ID))
        .filter(heatmap_snapshot_state::Column::AnchorDay.ne(today.clone()))
        .filter(heatmap_snapshot_state::Column::AnchorDay.ne(building.clone()))
        .exec(db)
        .await?
        .rows_affected;
    if claimed == 0 {
        return Ok(false);
    }
    // Everything the old snapshots held, and everything the new ones will: each part apart.
    let live = live_from(clock, now);
    let oldest = WINDOWS
        .iter()
        .filter_map(|window| clock.last_days(now, *window).first().copied())
        .min()
        .unwrap_or(live);
    let mut parts: Vec<(String, ViewportClass)> = heatmap_snapshot::Entity::find()
        .select_only()
        .column(heatmap_snapshot::Column::Page)
        .column(heatmap_snapshot::Column::ViewportClass)
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    let current = super::heatmap_store::parts_between(db, oldest, live).await?;
    parts.extend(current);
    parts.sort();
    parts.dedup();
    for (page, class) in &parts {
        for window in WINDOWS {
            rebuild_part(db, clock, now, live, page, *class, window).await?;
        }
    }
    heatmap_snapshot_state::Entity::update_many()
        .col_expr(
            heatmap_snapshot_state::Column::AnchorDay,
            Expr::value(today.clone()),
        )
        .col_expr(
            heatmap_snapshot_state::Column::Generation,
            Expr::col(heatmap_snapshot_state::Column::Generation).add(1),
        )
        .filter(heatmap_snapshot_state::Column::Id.eq(STATE_ID))
        .filter(heatmap_snapshot_state::Column::AnchorDay.eq(building))
        .exec(db)
        .await?;
    tracing::info!(anchor = %today, parts = parts.len(), "heatmap snapshots rebuilt");
    Ok(true)
}

/// Marks a build in progress (followed by the day it builds).
const BUILDING: &str = "building:";

/// One page's, one viewport class's, one window's snapshot: replaced in one small transaction.
async fn rebuild_part(
    db: &DatabaseConnection,
    clock: &BusinessClock,
    now: DateTime<Utc>,
    live: NaiveDate,
    page: &str,
    class: ViewportClass,
    window: u32,
) -> AppResult<()> {
    let first = clock
        .last_days(now, window)
        .first()
        .copied()
        .unwrap_or(live);
    let insert = super::heatmap_store::snapshot_insert(
        db.get_database_backend(),
        page,
        class,
        window,
        first,
        live,
    )?;
    let txn = db.begin().await?;
    heatmap_snapshot::Entity::delete_many()
        .filter(heatmap_snapshot::Column::Page.eq(page))
        .filter(heatmap_snapshot::Column::ViewportClass.eq(class))
        .filter(heatmap_snapshot::Column::WindowDays.eq(window as i32))
        .exec(&txn)
        .await?;
    txn.execute_raw(insert).await?;
    txn.commit().await?;
    Ok(())
}
