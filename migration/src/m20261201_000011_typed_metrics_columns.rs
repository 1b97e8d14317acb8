use sea_orm_migration::prelude::*;

/// Days are dates and a visit's clicks are JSON in PostgreSQL, so the database itself refuses
/// a malformed one. (SQLite stores both as the same text it stored before: nothing to do.)
#[derive(DeriveMigrationName)]
pub struct Migration;

const DAY_TABLES: [&str; 6] = [
    "visits",
    "visit_daily",
    "engagement_buckets",
    "heatmap_cells",
    "click_daily",
    "field_daily",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != sea_orm_migration::sea_orm::DatabaseBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        for table in DAY_TABLES {
            db.execute_unprepared(&format!(
                "ALTER TABLE {table} ALTER COLUMN day TYPE date USING day::date"
            ))
            .await?;
        }
        db.execute_unprepared(
            "ALTER TABLE visits ALTER COLUMN clicks TYPE jsonb USING clicks::jsonb",
        )
        .await?;
        Ok(())
    }
}
