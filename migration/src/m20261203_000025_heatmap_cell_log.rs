use sea_orm_migration::{prelude::*, sea_orm::DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The heatmap's write-ahead log (PostgreSQL). Each second's flush appended its heatmap cells
/// to `heatmap_cells` as an upsert per cell: under tracker load tens of thousands a second,
/// about half of what PostgreSQL did for ingestion, mostly probing the cells' primary key. A
/// flush now appends one row per (page, viewport class, day) holding that second's cells as
/// three arrays, which costs a heap insert, and the log is folded into `heatmap_cells` every
/// few seconds, or before a heatmap is read (`metrics::cell_log`): a cell touched in many
/// seconds is then upserted once. Points stay durable once flushed, as before.
///
/// The arrays are stored out of line uncompressed: they are written once and read once, and
/// compressing them was CPU for nothing. A fold takes a group's oldest rows: the index keeps
/// that a short read even after a long backlog. A build from before this migration does not
/// know the log: a server of this build folds it in on a graceful stop, so stop it that way
/// before going back. SQLite upserts its cells directly (an embedded
/// upsert is cheap, and it has no arrays): the table exists on PostgreSQL only.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE TABLE heatmap_cell_log (
                     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                     page varchar(200) NOT NULL,
                     viewport_class varchar(10) NOT NULL,
                     day date NOT NULL,
                     xs int2[] NOT NULL,
                     ys int4[] NOT NULL,
                     counts int8[] NOT NULL
                 );
                 ALTER TABLE heatmap_cell_log
                     ALTER COLUMN xs SET STORAGE EXTERNAL,
                     ALTER COLUMN ys SET STORAGE EXTERNAL,
                     ALTER COLUMN counts SET STORAGE EXTERNAL;
                 CREATE INDEX idx_heatmap_cell_log_group
                     ON heatmap_cell_log (page, viewport_class, day, id);",
            )
            .await?;
        Ok(())
    }
}
