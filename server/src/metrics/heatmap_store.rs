//! Where the heatmap's per-day cells are kept, and the few ways they are read and deleted.
//!
//! PostgreSQL keeps rows of cells: `heatmap_rows` holds, per page, viewport class, day and
//! heatmap row (y), the row's [`HEATMAP_COLUMNS`] column counts as one array. A busy day of
//! one page is tens of thousands of cells but a few hundred rows, and PostgreSQL's costs are
//! per tuple: a fold of the log ([`super::cell_log`]) upserts a row where it upserted each of
//! its cells, and a heatmap read decodes today's rows, not each cell's index entry and tuple.
//! SQLite keeps a row per cell (`heatmap_cells`): it has no arrays, and its embedded upsert is
//! cheap (the aggregator upserts its cells there directly).
//!
//! Everything else sees cells: (x, y, points), sorted by (x, y), empty cells left out.

use std::collections::{BTreeMap, btree_map::Entry};

use chrono::NaiveDate;
use sea_orm::{
    ActiveEnum, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Statement,
    sea_query::{Alias, Expr, ExprTrait as _, Query},
};

use super::{HEATMAP_COLUMNS, ViewportClass};
use crate::{
    db::entities::{heatmap_cell, heatmap_snapshot},
    error::{AppError, AppResult},
};

/// One heatmap cell: column, row, points.
pub type Cell = (i16, i32, i64);

/// The cells of one page and viewport class from `from` on, summed over the days, sorted by
/// (x, y). Points still in the heatmap log are not included: fold it in first.
pub async fn cells_since(
    db: &DatabaseConnection,
    page: &str,
    class: ViewportClass,
    from: NaiveDate,
) -> AppResult<Vec<Cell>> {
    if db.get_database_backend() == DbBackend::Postgres {
        let rows = db
            .query_all_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT y, counts FROM heatmap_rows \
                 WHERE page = $1 AND viewport_class = $2 AND day >= $3",
                [page.into(), class.to_value().into(), from.into()],
            ))
            .await?;
        let mut sums: BTreeMap<i32, Vec<i64>> = BTreeMap::new();
        for row in rows {
            let y: i32 = row.try_get("", "y")?;
            let counts: Vec<i64> = row.try_get("", "counts")?;
            match sums.entry(y) {
                Entry::Vacant(first_day) => {
                    first_day.insert(counts);
                }
                Entry::Occupied(mut sum) => {
                    for (sum, n) in sum.get_mut().iter_mut().zip(counts) {
                        *sum += n;
                    }
                }
            }
        }
        return Ok(row_cells(&sums));
    }
    let sum = Expr::col(heatmap_cell::Column::Count)
        .sum()
        .cast_as(Alias::new("BIGINT"));
    let cells = heatmap_cell::Entity::find()
        .select_only()
        .column(heatmap_cell::Column::X)
        .column(heatmap_cell::Column::Y)
        .column_as(sum, "n")
        .filter(heatmap_cell::Column::Page.eq(page))
        .filter(heatmap_cell::Column::ViewportClass.eq(class))
        .filter(heatmap_cell::Column::Day.gte(from))
        .group_by(heatmap_cell::Column::X)
        .group_by(heatmap_cell::Column::Y)
        .order_by_asc(heatmap_cell::Column::X)
        .order_by_asc(heatmap_cell::Column::Y)
        .into_tuple::<Cell>()
        .all(db)
        .await?;
    Ok(cells)
}

/// The cells of rows of column counts, keyed by y: column by column, so sorted by (x, y).
fn row_cells(rows: &BTreeMap<i32, Vec<i64>>) -> Vec<Cell> {
    let mut cells = Vec::new();
    for x in 0..HEATMAP_COLUMNS {
        for (y, counts) in rows {
            match counts.get(x as usize) {
                Some(&n) if n != 0 => cells.push((x, *y, n)),
                _ => {}
            }
        }
    }
    cells
}

/// The pages and viewport classes with cells on some day in `from..before`.
pub async fn parts_between(
    db: &DatabaseConnection,
    from: NaiveDate,
    before: NaiveDate,
) -> AppResult<Vec<(String, ViewportClass)>> {
    if db.get_database_backend() == DbBackend::Postgres {
        let rows = db
            .query_all_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT DISTINCT page, viewport_class FROM heatmap_rows \
                 WHERE day >= $1 AND day < $2",
                [from.into(), before.into()],
            ))
            .await?;
        return rows
            .into_iter()
            .map(|row| Ok((row.try_get("", "page")?, row.try_get("", "viewport_class")?)))
            .collect();
    }
    Ok(heatmap_cell::Entity::find()
        .select_only()
        .column(heatmap_cell::Column::Page)
        .column(heatmap_cell::Column::ViewportClass)
        .filter(heatmap_cell::Column::Day.gte(from))
        .filter(heatmap_cell::Column::Day.lt(before))
        .distinct()
        .into_tuple()
        .all(db)
        .await?)
}

/// The statement that writes one snapshot: the cells of `page` and `class` on the days in
/// `from..before`, summed, as the snapshot of `window` days.
pub fn snapshot_insert(
    backend: DbBackend,
    page: &str,
    class: ViewportClass,
    window: u32,
    from: NaiveDate,
    before: NaiveDate,
) -> AppResult<Statement> {
    if backend == DbBackend::Postgres {
        // A row's counts unnested with their 1-based position: the column is the position - 1.
        return Ok(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "INSERT INTO heatmap_snapshots (page, viewport_class, window_days, x, y, count) \
             SELECT $1, $2, $3, (c.x - 1)::int2, r.y, sum(c.n)::int8 \
             FROM heatmap_rows r, unnest(r.counts) WITH ORDINALITY AS c(n, x) \
             WHERE r.page = $1 AND r.viewport_class = $2 AND r.day >= $4 AND r.day < $5 \
             GROUP BY c.x, r.y \
             HAVING sum(c.n) > 0",
            [
                page.into(),
                class.to_value().into(),
                (window as i32).into(),
                from.into(),
                before.into(),
            ],
        ));
    }
    let sum = Expr::col(heatmap_cell::Column::Count)
        .sum()
        .cast_as(Alias::new("BIGINT"));
    let select = Query::select()
        .column(heatmap_cell::Column::Page)
        .column(heatmap_cell::Column::ViewportClass)
        .expr(Expr::val(window as i32))
        .column(heatmap_cell::Column::X)
        .column(heatmap_cell::Column::Y)
        .expr(sum)
        .from(heatmap_cell::Entity)
        .and_where(heatmap_cell::Column::Page.eq(page))
        .and_where(heatmap_cell::Column::ViewportClass.eq(class))
        .and_where(heatmap_cell::Column::Day.gte(from))
        .and_where(heatmap_cell::Column::Day.lt(before))
        .group_by_columns([
            heatmap_cell::Column::Page,
            heatmap_cell::Column::ViewportClass,
            heatmap_cell::Column::X,
            heatmap_cell::Column::Y,
        ])
        .to_owned();
    let insert = Query::insert()
        .into_table(heatmap_snapshot::Entity)
        .columns([
            heatmap_snapshot::Column::Page,
            heatmap_snapshot::Column::ViewportClass,
            heatmap_snapshot::Column::WindowDays,
            heatmap_snapshot::Column::X,
            heatmap_snapshot::Column::Y,
            heatmap_snapshot::Column::Count,
        ])
        .select_from(select)
        .map_err(|e| AppError::internal(anyhow::anyhow!("snapshot query: {e}")))?
        .to_owned();
    Ok(backend.build(&insert))
}

/// Deletes the cells of days before `day` (the retention purge); returns how many rows went.
pub async fn purge_before(db: &DatabaseConnection, day: NaiveDate) -> AppResult<u64> {
    if db.get_database_backend() == DbBackend::Postgres {
        return Ok(db
            .execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "DELETE FROM heatmap_rows WHERE day < $1",
                [day.into()],
            ))
            .await?
            .rows_affected());
    }
    Ok(heatmap_cell::Entity::delete_many()
        .filter(heatmap_cell::Column::Day.lt(day))
        .exec(db)
        .await?
        .rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_become_cells_column_by_column_without_empty_ones() {
        let mut rows = BTreeMap::new();
        let mut first = vec![0; HEATMAP_COLUMNS as usize];
        first[0] = 3;
        first[99] = 1;
        let mut second = vec![0; HEATMAP_COLUMNS as usize];
        second[0] = 2;
        second[5] = 7;
        rows.insert(40, second);
        rows.insert(2, first);
        assert_eq!(
            row_cells(&rows),
            vec![(0, 2, 3), (0, 40, 2), (5, 40, 7), (99, 2, 1)]
        );
    }
}
