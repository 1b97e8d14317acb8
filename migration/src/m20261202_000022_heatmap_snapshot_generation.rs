use sea_orm_migration::{prelude::*, schema::*};

/// `heatmap_snapshot_state.generation`: counts finished snapshot builds. A server keeps the
/// snapshots it has read in memory (they change once a day); a build for a day that already
/// had one (after demo data or a purge) leaves the anchor day as it was, so the generation is
/// what tells a server its copy is out of date.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(HeatmapSnapshotState::Table)
                    .add_column(big_integer(HeatmapSnapshotState::Generation).default(0))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(HeatmapSnapshotState::Table)
                    .drop_column(HeatmapSnapshotState::Generation)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum HeatmapSnapshotState {
    Table,
    Generation,
}
