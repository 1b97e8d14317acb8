use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A second duplicate-order key on a minute grid offset by half a minute. Identical orders
/// sent at once fall into the same bucket of at least one of the two grids, also when they
/// straddle a minute boundary, so the database keeps exactly one of them.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Applications::Table)
                    .add_column(string_len_null(Applications::DedupKeyAlt, 80))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("applications_dedup_key_alt")
                    .table(Applications::Table)
                    .col(Applications::DedupKeyAlt)
                    .unique()
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Applications {
    Table,
    DedupKeyAlt,
}
