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

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{ActiveEnum, ConnectionTrait, DatabaseConnection, DbBackend, Statement};

use super::{HEATMAP_COLUMNS, ViewportClass, aggregator::CellGroup};
use crate::error::AppResult;

/// Cells per log row: a connection's send buffer grows to its largest message and keeps that
/// size, so a flush's cells go in rows of at most this many (about 70 KB).
const CELLS_PER_ROW: usize = 5_000;

/// Log rows folded in per statement: at most a few hundred thousand cells, well inside the
/// statement timeout even after a long backlog.
const ROWS_PER_FOLD: u64 = 64;

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
/// SQLite. Each statement is atomic: a log row is either still in the log or added to its
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
/// cells, in one statement; returns how many. One group at a time, so the same cell's counts
/// from many flushes meet in one statement: the cells are summed per (y, x), each heatmap row
/// they touch is spread into its [`HEATMAP_COLUMNS`] counts (zero where nothing was added),
/// and each is upserted once, adding column by column. Summing first is also required: an
/// upsert may not touch one row twice.
///
/// The rows are locked as they are picked (`FOR UPDATE` under the `LIMIT`): a row another fold
/// holds is waited for, and once that fold has deleted it the pick moves on to later rows. So
/// fewer than [`ROWS_PER_FOLD`] means the group's log, as it stood, is all folded in and
/// committed, whoever folded it. (Without the lock a fold racing another would pick the rows
/// the other deleted, fold none, and stop while later rows were still in the log.)
async fn fold(db: &DatabaseConnection, page: &str, class: &str, day: NaiveDate) -> AppResult<u64> {
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "WITH folded AS ( \
                 DELETE FROM heatmap_cell_log WHERE id IN ( \
                     SELECT id FROM heatmap_cell_log \
                     WHERE page = $1 AND viewport_class = $2 AND day = $3 \
                     ORDER BY id LIMIT $4 FOR UPDATE) \
                 RETURNING xs, ys, counts), \
             cells AS ( \
                 SELECT c.y, c.x, sum(c.n) AS n \
                 FROM folded, unnest(xs, ys, counts) AS c(x, y, n) \
                 GROUP BY c.y, c.x), \
             added AS ( \
                 SELECT r.y, array_agg(coalesce(cells.n, 0)::int8 ORDER BY g.x) AS counts \
                 FROM (SELECT DISTINCT y FROM cells) r \
                 CROSS JOIN generate_series(0, $5 - 1) AS g(x) \
                 LEFT JOIN cells ON cells.y = r.y AND cells.x = g.x \
                 GROUP BY r.y), \
             upserted AS ( \
                 INSERT INTO heatmap_rows (page, viewport_class, day, y, counts) \
                 SELECT $1, $2, $3, y, counts FROM added \
                 ORDER BY y \
                 ON CONFLICT (page, viewport_class, day, y) DO UPDATE SET counts = ( \
                     SELECT array_agg(t.stored + t.added ORDER BY t.i) \
                     FROM unnest(heatmap_rows.counts, excluded.counts) \
                         WITH ORDINALITY AS t(stored, added, i))) \
             SELECT count(*) AS folded FROM folded",
            [
                page.into(),
                class.into(),
                day.into(),
                (ROWS_PER_FOLD as i64).into(),
                i32::from(HEATMAP_COLUMNS).into(),
            ],
        ))
        .await?;
    let rows: i64 = row.map_or(Ok(0), |row| row.try_get("", "folded"))?;
    Ok(rows as u64)
}
