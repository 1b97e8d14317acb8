use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A lead's history keeps the reason given with each move to LOST, and records a rewrite of a
/// lost lead's reason as an entry of its own (LOST → LOST): who wrote which reason, and when.
/// Entries written before have none (the reason was not recorded then).
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(LeadHistory::Table)
                    .add_column(ColumnDef::new(LeadHistory::LostReason).text().null())
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum LeadHistory {
    Table,
    LostReason,
}
