use sea_orm_migration::{prelude::*, sea_orm::DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// PostgreSQL keeps the heatmap as rows of cells: one row per page, viewport class, day and
/// heatmap row (16 px of the document), holding that row's 100 column counts as an array.
/// A busy day of one page is some 25,000 cells but only a few hundred rows, and with a row
/// per cell most of the cost was per tuple: a fold of the log upserted every cell touched in
/// the last seconds into the cells' primary key (about 80 times more upserts than rows), and a
/// heatmap read decoded today's cells one index entry and heap tuple each. SQLite keeps one
/// row per cell (`heatmap_cells`): it has no arrays, and its embedded upsert is cheap.
///
/// The cells move into their rows here, and `heatmap_cells` goes. Points still in the log stay
/// there: their format is unchanged, and the next fold adds them to the rows. The pages keep
/// room for updated versions, as the cells' did (`m20261203_000023_update_room`): each fold
/// rewrites the rows it adds to. A row always holds all 100 columns (0 where empty), the
/// heatmap's geometry (`metrics::HEATMAP_COLUMNS`); a stored cell's column is 0-99, as every
/// batch has clamped it since the first schema.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE TABLE heatmap_rows (
                     page varchar(200) NOT NULL,
                     viewport_class varchar(10) NOT NULL,
                     day date NOT NULL,
                     y int4 NOT NULL,
                     counts int8[] NOT NULL,
                     PRIMARY KEY (page, viewport_class, day, y)
                 ) WITH (fillfactor = 60);
                 INSERT INTO heatmap_rows (page, viewport_class, day, y, counts)
                 SELECT r.page, r.viewport_class, r.day, r.y,
                        array_agg(coalesce(c.count, 0)::int8 ORDER BY g.x)
                 FROM (SELECT DISTINCT page, viewport_class, day, y FROM heatmap_cells) r
                 CROSS JOIN generate_series(0, 99) AS g(x)
                 LEFT JOIN heatmap_cells c
                     ON c.page = r.page AND c.viewport_class = r.viewport_class
                     AND c.day = r.day AND c.y = r.y AND c.x = g.x
                 GROUP BY r.page, r.viewport_class, r.day, r.y;
                 DROP TABLE heatmap_cells;",
            )
            .await?;
        Ok(())
    }
}
