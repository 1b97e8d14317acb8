//! Hot counters (heatmap cells, clicks, field stats, day rollups) are shared by every visitor;
//! updating them per request would serialise all traffic on a few rows. Instead each server
//! process adds deltas up in memory and writes them once a second: one multi-row upsert per
//! table, in one transaction, adding to what is stored (so replicas simply add up). Heatmap
//! cells on PostgreSQL are appended to a log instead, folded in later (see `cell_log`); on
//! SQLite they are upserted after that transaction, a statement at a time (`write_cells`).

use std::{
    collections::HashMap,
    mem,
    sync::{Arc, Mutex},
};

use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait,
    TransactionTrait,
    sea_query::{Alias, Expr, ExprTrait, OnConflict},
};

use super::day_elements::DayElements;
use crate::{
    db::{
        WriteTurns,
        entities::{
            click_daily, engagement_bucket, field_daily, heatmap_cell, visit_daily, visit_slot,
        },
    },
    error::{AppError, AppResult},
};

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DailyDelta {
    pub visits: i64,
    pub engaged_seconds: i64,
    pub returning_visits: i64,
    pub converted_visits: i64,
}

/// Visits that started in one quarter hour, and their engaged seconds.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SlotDelta {
    pub visits: i64,
    pub engaged_seconds: i64,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct FieldTotals {
    pub focuses: i64,
    pub focused_ms: i64,
    pub abandonments: i64,
}

/// Shared with the batch it came from: a key costs no copy of the text.
pub type Page = Arc<str>;
pub type Day = chrono::NaiveDate;

/// The heatmap cells of one page, viewport class and day.
pub type CellGroup = (Page, super::ViewportClass, Day);
/// Per group, (x, y) → points.
pub type Cells = HashMap<CellGroup, HashMap<(i16, i32), i64>>;

/// Deltas not yet written.
#[derive(Debug, Default)]
pub struct Pending {
    pub daily: HashMap<(Page, Day), DailyDelta>,
    /// (page, quarter hour of the visit's start: epoch seconds / 900) → visits, seconds
    pub slots: HashMap<(Page, i64), SlotDelta>,
    pub buckets: HashMap<(Page, Day, i32), i64>,
    /// (page, viewport class, day) → (x, y) → points. Nested: a busy second leaves a hundred
    /// thousand cells pending under a handful of (page, class, day), and an inner entry is 16
    /// bytes where a flat one, repeating the page, was 40.
    pub cells: Cells,
    pub clicks: HashMap<(Page, Day, String), i64>,
    pub fields: HashMap<(Page, Day, String), FieldTotals>,
}

impl Pending {
    fn len(&self) -> usize {
        self.daily.len()
            + self.slots.len()
            + self.buckets.len()
            + self.cells.values().map(HashMap::len).sum::<usize>()
            + self.clicks.len()
            + self.fields.len()
    }

    fn merge(&mut self, other: Pending) {
        for (k, v) in other.daily {
            let e = self.daily.entry(k).or_default();
            e.visits += v.visits;
            e.engaged_seconds += v.engaged_seconds;
            e.returning_visits += v.returning_visits;
            e.converted_visits += v.converted_visits;
        }
        for (k, v) in other.slots {
            let e = self.slots.entry(k).or_default();
            e.visits += v.visits;
            e.engaged_seconds += v.engaged_seconds;
        }
        for (k, v) in other.buckets {
            *self.buckets.entry(k).or_default() += v;
        }
        for (group, cells) in other.cells {
            let mine = self.cells.entry(group).or_default();
            if mine.is_empty() {
                *mine = cells;
                continue;
            }
            for (k, v) in cells {
                *mine.entry(k).or_default() += v;
            }
        }
        for (k, v) in other.clicks {
            *self.clicks.entry(k).or_default() += v;
        }
        for (k, v) in other.fields {
            let e = self.fields.entry(k).or_default();
            e.focuses += v.focuses;
            e.focused_ms += v.focused_ms;
            e.abandonments += v.abandonments;
        }
    }
}

/// Past this many distinct pending keys (the database has been down for a while), new deltas
/// are dropped with a warning rather than growing memory without bound.
const MAX_PENDING_KEYS: usize = 1_000_000;
/// Rows per INSERT: well under SQLite's bound-variable limit for the widest table.
const ROWS_PER_STATEMENT: usize = 500;

#[derive(Debug, Default)]
pub struct Aggregator {
    pending: Mutex<Pending>,
    /// The elements each page's day has rows for, bounded.
    elements: DayElements,
    /// Taken for each flush (see `WriteTurns`).
    turns: WriteTurns,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct FlushReport {
    pub rows: usize,
}

impl Aggregator {
    pub fn new() -> Self {
        Self::default()
    }

    /// One whose flushes take their turn among the database's writers.
    pub fn taking_turns(turns: WriteTurns) -> Self {
        Self {
            turns,
            ..Self::default()
        }
    }

    /// Adds deltas built beforehand (a group of batches, a group of order links). Never
    /// blocks on I/O: the lock is held only to move them in, never to build keys.
    pub fn merge(&self, deltas: Pending) {
        let mut pending = self.lock();
        if pending.len() >= MAX_PENDING_KEYS {
            tracing::warn!("metrics aggregator is full (database unreachable?): dropping deltas");
            return;
        }
        if pending.len() == 0 {
            *pending = deltas;
        } else {
            pending.merge(deltas);
        }
    }

    fn take(&self) -> Pending {
        mem::take(&mut *self.lock())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Pending> {
        self.pending
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Writes everything pending. On failure what was not written goes back, to be retried
    /// next time.
    pub async fn flush(&self, db: &DatabaseConnection) -> AppResult<FlushReport> {
        let mut pending = self.take();
        let rows = pending.len();
        if rows == 0 {
            return Ok(FlushReport::default());
        }
        // On SQLite the heatmap's cells go after the rest, a statement a turn (`write_cells`).
        let cells = match db.get_database_backend() {
            DbBackend::Sqlite => mem::take(&mut pending.cells),
            _ => HashMap::new(),
        };
        if !pending.clicks.is_empty() {
            match self.elements.bound(db, &pending.clicks).await {
                Ok(clicks) => pending.clicks = clicks,
                Err(err) => {
                    pending.cells.extend(cells);
                    self.put_back(pending);
                    return Err(err);
                }
            }
        }
        // Only cells (a second of points from visits already counted): no transaction.
        let written = if pending.len() == 0 {
            Ok(())
        } else {
            let _turn = self.turns.take().await;
            write(db, &pending).await
        };
        if let Err(err) = written {
            // SQLite's cells, taken out above (on PostgreSQL they are still in `pending`).
            pending.cells.extend(cells);
            self.put_back(pending);
            return Err(err);
        }
        if let Err((err, unwritten)) = write_cells(db, &self.turns, cells).await {
            self.put_back(Pending {
                cells: unwritten,
                ..Pending::default()
            });
            return Err(err);
        }
        Ok(FlushReport { rows })
    }

    /// Deltas a flush could not write, back in full, past the size cap: the cap refuses new
    /// deltas, never ones already accepted.
    fn put_back(&self, unwritten: Pending) {
        self.lock().merge(unwritten);
    }
}

/// Adds `rows` to their table, a few hundred a statement: a row whose key exists already gets
/// each of `counters` added to what is stored (`count = count + excluded.count`).
async fn upsert_adding<E>(
    conn: &impl ConnectionTrait,
    rows: Vec<E::ActiveModel>,
    keys: &[E::Column],
    counters: &[E::Column],
) -> AppResult<()>
where
    E: EntityTrait,
    E::ActiveModel: ActiveModelTrait<Entity = E> + Send,
{
    let table = Alias::new(E::default().table_name());
    let mut conflict = OnConflict::columns(keys.iter().copied());
    for &counter in counters {
        conflict.value(
            counter,
            Expr::col((table.clone(), counter)).add(Expr::col((Alias::new("excluded"), counter))),
        );
    }
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<_> = rows.by_ref().take(ROWS_PER_STATEMENT).collect();
        E::insert_many(chunk)
            .on_conflict(conflict.clone())
            .exec_without_returning(conn)
            .await?;
    }
    Ok(())
}

async fn write(db: &DatabaseConnection, pending: &Pending) -> AppResult<()> {
    use sea_orm::ActiveValue::Set;
    let txn = db.begin().await?;

    let daily = pending
        .daily
        .iter()
        .filter(|(_, d)| **d != DailyDelta::default())
        .map(|((page, day), d)| visit_daily::ActiveModel {
            page: Set(page.to_string()),
            day: Set(*day),
            visits: Set(d.visits),
            engaged_seconds: Set(d.engaged_seconds),
            returning_visits: Set(d.returning_visits),
            converted_visits: Set(d.converted_visits),
        });
    {
        use visit_daily::Column::*;
        let counters = [Visits, EngagedSeconds, ReturningVisits, ConvertedVisits];
        upsert_adding::<visit_daily::Entity>(&txn, daily.collect(), &[Page, Day], &counters)
            .await?;
    }

    let slots = pending
        .slots
        .iter()
        .filter(|(_, d)| **d != SlotDelta::default())
        .map(|((page, slot), d)| visit_slot::ActiveModel {
            page: Set(page.to_string()),
            slot: Set(*slot),
            visits: Set(d.visits),
            engaged_seconds: Set(d.engaged_seconds),
        });
    {
        use visit_slot::Column::*;
        upsert_adding::<visit_slot::Entity>(
            &txn,
            slots.collect(),
            &[Page, Slot],
            &[Visits, EngagedSeconds],
        )
        .await?;
    }

    let buckets =
        pending
            .buckets
            .iter()
            .filter(|(_, n)| **n != 0)
            .map(|((page, day, bucket), n)| engagement_bucket::ActiveModel {
                page: Set(page.to_string()),
                day: Set(*day),
                bucket: Set(*bucket),
                visits: Set(*n),
            });
    {
        use engagement_bucket::Column::*;
        upsert_adding::<engagement_bucket::Entity>(
            &txn,
            buckets.collect(),
            &[Page, Day, Bucket],
            &[Visits],
        )
        .await?;
    }

    // Most of what a flush writes (a busy second: tens of thousands of cells). SQLite's come
    // after the transaction (`write_cells`).
    if txn.get_database_backend() == DbBackend::Postgres {
        super::cell_log::append(&txn, &pending.cells).await?;
    }

    let clicks =
        pending
            .clicks
            .iter()
            .filter(|(_, n)| **n != 0)
            .map(|((page, day, element), n)| click_daily::ActiveModel {
                page: Set(page.to_string()),
                day: Set(*day),
                element: Set(element.clone()),
                count: Set(*n),
            });
    {
        use click_daily::Column::*;
        upsert_adding::<click_daily::Entity>(
            &txn,
            clicks.collect(),
            &[Page, Day, Element],
            &[Count],
        )
        .await?;
    }

    let fields = pending
        .fields
        .iter()
        .filter(|(_, t)| **t != FieldTotals::default())
        .map(|((page, day, field), t)| field_daily::ActiveModel {
            page: Set(page.to_string()),
            day: Set(*day),
            field: Set(field.clone()),
            focuses: Set(t.focuses),
            focused_ms: Set(t.focused_ms),
            abandonments: Set(t.abandonments),
        });
    {
        use field_daily::Column::*;
        let counters = [Focuses, FocusedMs, Abandonments];
        upsert_adding::<field_daily::Entity>(
            &txn,
            fields.collect(),
            &[Page, Day, Field],
            &counters,
        )
        .await?;
    }

    txn.commit().await?;
    Ok(())
}

/// SQLite: the heatmap's cells, `ROWS_PER_STATEMENT` a statement, each statement in its own
/// turn among the writers (see `WriteTurns`). In the flush's one transaction they held
/// SQLite's single write lock 150-300 ms of every second under the bench's tracker load,
/// with every tracker batch waiting meanwhile; now a batch waits for one statement at most.
/// A statement is atomic: on failure, the cells it and the ones after it held are returned
/// (the ones before are stored), to go back to the aggregator.
async fn write_cells(
    db: &DatabaseConnection,
    turns: &WriteTurns,
    cells: Cells,
) -> Result<(), (AppError, Cells)> {
    use heatmap_cell::Column::*;
    use sea_orm::ActiveValue::Set;
    let keys = [Page, ViewportClass, Day, X, Y];
    // In the key's order within a group: each statement then touches few pages of the index.
    let mut rows = cells
        .into_iter()
        .flat_map(|(group, cells)| {
            let mut cells: Vec<_> = cells.into_iter().filter(|(_, n)| *n != 0).collect();
            cells.sort_unstable_by_key(|(xy, _)| *xy);
            cells.into_iter().map(move |(xy, n)| (group.clone(), xy, n))
        })
        .peekable();
    while rows.peek().is_some() {
        let chunk: Vec<_> = rows.by_ref().take(ROWS_PER_STATEMENT).collect();
        let models = chunk
            .iter()
            .map(
                |((page, class, day), (x, y), n)| heatmap_cell::ActiveModel {
                    page: Set(page.to_string()),
                    viewport_class: Set(*class),
                    day: Set(*day),
                    x: Set(*x),
                    y: Set(*y),
                    count: Set(*n),
                },
            )
            .collect();
        let turn = turns.take().await;
        let written = upsert_adding::<heatmap_cell::Entity>(db, models, &keys, &[Count]).await;
        drop(turn);
        if let Err(err) = written {
            let mut unwritten = Cells::new();
            for (group, xy, n) in chunk.into_iter().chain(rows) {
                *unwritten.entry(group).or_default().entry(xy).or_default() += n;
            }
            return Err((err, unwritten));
        }
    }
    Ok(())
}
