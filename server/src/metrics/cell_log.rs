//! The heatmap's log, on PostgreSQL: how a flush's cells reach `heatmap_rows` cheaply.
//!
//! A busy second leaves tens of thousands of cells pending. Upserting each into the cells'
//! primary key every second was about half of PostgreSQL's work under tracker load, though a
//! cell a cursor crosses is crossed again in the next seconds. So a flush appends its cells to
//! `heatmap_cell_log` (one row of arrays per page, viewport class and day: a heap insert), and
//! [`compact`] folds the log into the rows of cells ([`super::heatmap_store`]), summed per
//! cell first, every few seconds. Points are as durable as before (on disk once flushed), and
//! whatever reads cells folds the log in first, so none misses a flushed point: a heatmap its
//! own page and viewport class ([`compact_heatmap`]), the snapshot build all of it. The
//! retention purge deletes old days' log rows with their cells ([`purge_before`]).
//!
//! Replicas may compact at once: each deletes the log rows it folds in, and a row another
//! compaction is folding in is waited for, then found gone, so no row is added twice.
//!
//! SQLite upserts its cells directly in the flush (an embedded upsert is cheap) and has no log.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use futures_util::TryStreamExt;
use sea_orm::{
    ActiveEnum, ConnectionTrait, DatabaseConnection, DbBackend, Statement, StreamTrait,
    TransactionTrait,
};

use super::{HEATMAP_COLUMNS, ViewportClass, aggregator::CellGroup};
use crate::error::AppResult;

/// Cells per log row: a connection's send buffer grows to its largest message and keeps that
/// size, so a flush's cells go in rows of at most this many (about 70 KB).
const CELLS_PER_ROW: usize = 5_000;

/// Log rows folded in per statement: at most a few hundred thousand cells, well inside the
/// statement timeout even after a long backlog.
const ROWS_PER_FOLD: u64 = 64;

/// Counts in a heatmap row.
const WIDTH: usize = HEATMAP_COLUMNS as usize;

/// Heatmap rows per upsert of a fold: about 60 KB of counts, under the log rows' size (a
/// connection keeps a send buffer as large as its largest message, see [`CELLS_PER_ROW`]).
const ROWS_PER_UPSERT: usize = 50;

/// How often a server folds the log in. Longer folds more repeats of a cell into one upsert;
/// every reader compacts first, so this bounds only the log's size.
pub const COMPACTION_INTERVAL: std::time::Duration = std::time::Duration::from_secs(10);

/// Appends `cells` to the log, inside the flush's transaction (PostgreSQL only).
pub async fn append(
    txn: &impl ConnectionTrait,
    cells: &HashMap<CellGroup, HashMap<(i16, i32), i64>>,
) -> AppResult<()> {
    for ((page, class, day), group) in cells {
        let nonzero: Vec<_> = group.iter().filter(|(_, n)| **n != 0).collect();
        for row in nonzero.chunks(CELLS_PER_ROW) {
            let xs: Vec<i16> = row.iter().map(|(k, _)| k.0).collect();
            let ys: Vec<i32> = row.iter().map(|(k, _)| k.1).collect();
            let counts: Vec<i64> = row.iter().map(|(_, n)| **n).collect();
            txn.execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "INSERT INTO heatmap_cell_log (page, viewport_class, day, xs, ys, counts) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
                [
                    page.to_string().into(),
                    class.to_value().into(),
                    (*day).into(),
                    xs.into(),
                    ys.into(),
                    counts.into(),
                ],
            ))
            .await?;
        }
    }
    Ok(())
}

/// Deletes the log rows of days before `day` (the retention purge); returns how many.
pub async fn purge_before(db: &DatabaseConnection, day: NaiveDate) -> AppResult<u64> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(0);
    }
    Ok(db
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "DELETE FROM heatmap_cell_log WHERE day < $1",
            [day.into()],
        ))
        .await?
        .rows_affected())
}

/// Folds the whole log into `heatmap_rows`; returns the log rows folded in. Nothing to do on
/// SQLite. Each fold is one transaction: a log row is either still in the log or added to its
/// cells.
pub async fn compact(db: &DatabaseConnection) -> AppResult<u64> {
    fold_groups(db, None).await
}

/// Folds the log rows of one page and viewport class in (every day): all a heatmap of them
/// needs, without waiting for the other pages' folds.
pub async fn compact_heatmap(
    db: &DatabaseConnection,
    page: &str,
    class: ViewportClass,
) -> AppResult<u64> {
    fold_groups(db, Some((page, class))).await
}

async fn fold_groups(
    db: &DatabaseConnection,
    only: Option<(&str, ViewportClass)>,
) -> AppResult<u64> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(0);
    }
    let groups = match only {
        None => Statement::from_string(
            DbBackend::Postgres,
            "SELECT DISTINCT page, viewport_class, day FROM heatmap_cell_log",
        ),
        Some((page, class)) => Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT DISTINCT page, viewport_class, day FROM heatmap_cell_log \
             WHERE page = $1 AND viewport_class = $2",
            [page.into(), class.to_value().into()],
        ),
    };
    let mut folded = 0;
    for group in db.query_all_raw(groups).await? {
        let page: String = group.try_get("", "page")?;
        let class: String = group.try_get("", "viewport_class")?;
        let day: NaiveDate = group.try_get("", "day")?;
        loop {
            let rows = fold(db, &page, &class, day).await?;
            folded += rows;
            if rows < ROWS_PER_FOLD {
                break;
            }
        }
    }
    Ok(folded)
}

/// Folds up to [`ROWS_PER_FOLD`] log rows of one page, viewport class and day into its rows of
/// cells, in one transaction; returns how many. One group at a time, so the same cell's counts
/// from many flushes meet in one fold: the picked log rows are deleted and returned, their
/// cells summed here into whole heatmap rows of [`HEATMAP_COLUMNS`] counts (zero where nothing
/// was added), and each heatmap row is upserted once, adding column by column ([`ROWS_PER_UPSERT`]
/// rows a statement).
///
/// The sums are made here, not in SQL: summing tens of thousands of cells, then spreading them
/// into rows, was a join PostgreSQL planned for ten cells (its guess for an `unnest`): about
/// 200 ms a fold, 3.6 of PostgreSQL's 5.7 s of statement time under tracker load.
///
/// The rows are locked as they are picked (`FOR UPDATE` under the `LIMIT`): a row another fold
/// holds is waited for, and once that fold has deleted it the pick moves on to later rows. So
/// fewer than [`ROWS_PER_FOLD`] means the group's log, as it stood, is all folded in and
/// committed, whoever folded it. (Without the lock a fold racing another would pick the rows
/// the other deleted, fold none, and stop while later rows were still in the log.) Heatmap rows
/// are upserted in y order, so folds of two replicas cannot deadlock on them.
async fn fold(db: &DatabaseConnection, page: &str, class: &str, day: NaiveDate) -> AppResult<u64> {
    let txn = db.begin().await?;
    let mut rows = HeatmapRows::default();
    let mut folded = 0;
    {
        // Streamed: a log row holds up to CELLS_PER_ROW cells, and a fold up to ROWS_PER_FOLD
        // of them; one at a time keeps the server's memory flat.
        let mut picked = txn
            .stream_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "DELETE FROM heatmap_cell_log WHERE id IN ( \
                     SELECT id FROM heatmap_cell_log \
                     WHERE page = $1 AND viewport_class = $2 AND day = $3 \
                     ORDER BY id LIMIT $4 FOR UPDATE) \
                 RETURNING xs, ys, counts",
                [
                    page.into(),
                    class.into(),
                    day.into(),
                    (ROWS_PER_FOLD as i64).into(),
                ],
            ))
            .await?;
        while let Some(log_row) = picked.try_next().await? {
            let xs: Vec<i16> = log_row.try_get("", "xs")?;
            let ys: Vec<i32> = log_row.try_get("", "ys")?;
            let counts: Vec<i64> = log_row.try_get("", "counts")?;
            for ((x, y), n) in xs.into_iter().zip(ys).zip(counts) {
                rows.add(x, y, n);
            }
            folded += 1;
        }
    }
    for (ys, counts) in rows.into_arrays(ROWS_PER_UPSERT) {
        // Row i's counts are the i-th run of HEATMAP_COLUMNS in the flat array (an array
        // slice is numbered from 1 again).
        txn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "INSERT INTO heatmap_rows (page, viewport_class, day, y, counts) \
             SELECT $1, $2, $3, r.y, ($5::int8[])[(r.i - 1) * $6 + 1 : r.i * $6] \
             FROM unnest($4::int4[]) WITH ORDINALITY AS r(y, i) \
             ORDER BY r.y \
             ON CONFLICT (page, viewport_class, day, y) DO UPDATE SET counts = ( \
                 SELECT array_agg(t.stored + t.added ORDER BY t.i) \
                 FROM unnest(heatmap_rows.counts, excluded.counts) \
                     WITH ORDINALITY AS t(stored, added, i))",
            [
                page.into(),
                class.into(),
                day.into(),
                ys.into(),
                counts.into(),
                i64::from(HEATMAP_COLUMNS).into(),
            ],
        ))
        .await?;
    }
    txn.commit().await?;
    Ok(folded)
}

/// A fold's cells summed into whole heatmap rows, by y.
#[derive(Default)]
struct HeatmapRows(BTreeMap<i32, Vec<i64>>);

impl HeatmapRows {
    /// Adds `n` points to cell (x, y). Columns are binned within the heatmap's width when a
    /// batch is read, so a column outside it is no cell, and is left out.
    fn add(&mut self, x: i16, y: i32, n: i64) {
        let Some(column) = usize::try_from(x).ok().filter(|&x| x < WIDTH) else {
            return;
        };
        let row = self.0.entry(y).or_insert_with(|| vec![0; WIDTH]);
        row[column] = row[column].saturating_add(n);
    }

    /// The rows in ascending y, at most `per_array` at a time: their ys, and their counts one
    /// row after another.
    fn into_arrays(self, per_array: usize) -> Vec<(Vec<i32>, Vec<i64>)> {
        let rows: Vec<_> = self.0.into_iter().collect();
        rows.chunks(per_array.max(1))
            .map(|chunk| {
                let ys = chunk.iter().map(|(y, _)| *y).collect();
                let counts = chunk
                    .iter()
                    .flat_map(|(_, row)| row.iter().copied())
                    .collect();
                (ys, counts)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_sum_into_whole_rows_in_y_order() {
        let mut rows = HeatmapRows::default();
        rows.add(99, 7, 2);
        rows.add(0, 3, 1);
        rows.add(99, 7, 5);
        rows.add(HEATMAP_COLUMNS, 3, 9);
        rows.add(-1, 3, 9);
        rows.add(5, 1, 4);
        let arrays = rows.into_arrays(2);
        assert_eq!(arrays.len(), 2, "three rows, two at a time");
        let width = WIDTH;
        let (ys, counts) = &arrays[0];
        assert_eq!(ys, &vec![1, 3]);
        assert_eq!(counts.len(), 2 * width);
        assert_eq!(counts[5], 4);
        assert_eq!(counts[width], 1);
        let (ys, counts) = &arrays[1];
        assert_eq!(ys, &vec![7]);
        assert_eq!(counts.len(), width);
        assert_eq!(counts[width - 1], 7);
        let total: i64 = arrays.iter().flat_map(|(_, counts)| counts).sum();
        assert_eq!(total, 12, "columns outside the heatmap are no cells");
    }
}
