use sea_orm_migration::{prelude::*, schema::*};

/// Cursor points credited to a visit, so a visit can credit no more than its wall time allows.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Visits::Table)
                    .add_column(big_integer(Visits::Points).default(0))
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Visits {
    Table,
    Points,
}
