use sea_orm_migration::prelude::*;

/// The snapshot anchor also holds `building:<day>` while a rebuild runs (19 characters).
/// SQLite does not enforce text lengths; PostgreSQL's column is widened.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != sea_orm_migration::sea_orm::DatabaseBackend::Postgres {
            return Ok(());
        }
        manager
            .alter_table(
                Table::alter()
                    .table(HeatmapSnapshotState::Table)
                    .modify_column(
                        ColumnDef::new(HeatmapSnapshotState::AnchorDay)
                            .string_len(32)
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum HeatmapSnapshotState {
    Table,
    AnchorDay,
}
