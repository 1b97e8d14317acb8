use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Heatmap windows of 7 and 30 days, summed once per business day over the days that can no
/// longer change. A heatmap read then adds the live rows to one snapshot instead of summing a
/// month of per-day rows. (Which days are live is the server's business: today only since
/// points count for the day they arrive.)
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(HeatmapSnapshots::Table)
                    .col(string_len(HeatmapSnapshots::Page, 200))
                    .col(string_len(HeatmapSnapshots::ViewportClass, 10))
                    .col(integer(HeatmapSnapshots::WindowDays))
                    .col(small_integer(HeatmapSnapshots::X))
                    .col(integer(HeatmapSnapshots::Y))
                    .col(big_integer(HeatmapSnapshots::Count))
                    .primary_key(
                        Index::create()
                            .col(HeatmapSnapshots::Page)
                            .col(HeatmapSnapshots::ViewportClass)
                            .col(HeatmapSnapshots::WindowDays)
                            .col(HeatmapSnapshots::X)
                            .col(HeatmapSnapshots::Y),
                    )
                    .to_owned(),
            )
            .await?;
        // One row: the business day the snapshots were built for.
        manager
            .create_table(
                Table::create()
                    .table(HeatmapSnapshotState::Table)
                    .col(integer(HeatmapSnapshotState::Id).primary_key())
                    .col(string_len(HeatmapSnapshotState::AnchorDay, 10))
                    .to_owned(),
            )
            .await?;
        // Never built: the first check builds them.
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(HeatmapSnapshotState::Table)
                    .columns([HeatmapSnapshotState::Id, HeatmapSnapshotState::AnchorDay])
                    .values_panic([1.into(), "".into()])
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum HeatmapSnapshots {
    Table,
    Page,
    ViewportClass,
    WindowDays,
    X,
    Y,
    Count,
}

#[derive(DeriveIden)]
enum HeatmapSnapshotState {
    Table,
    Id,
    AnchorDay,
}
