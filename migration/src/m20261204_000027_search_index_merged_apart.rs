use sea_orm_migration::{prelude::*, sea_orm::DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The orders' trigram search index (PostgreSQL) is merged by the server apart from the orders
/// (`leads::search_index`: every 4,096 orders, about 11 MB of entries, or ten seconds after the
/// first of fewer); its own pending-list limit, 1 MB since migration 24 so that the insert
/// crossing it waited for a short merge, becomes a safety net three times that, for inserts
/// no merger counts (the CLI's demo orders, a merger that fell behind).
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        manager
            .get_connection()
            .execute_unprepared(&format!(
                "ALTER INDEX idx_applications_search SET (gin_pending_list_limit = {PENDING_LIST_KB})"
            ))
            .await?;
        Ok(())
    }
}

/// Kilobytes.
const PENDING_LIST_KB: u32 = 32_768;
