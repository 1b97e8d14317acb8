use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Notes can be corrected by their author: when one last was (null: as written).
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(LeadNotes::Table)
                    .add_column(timestamp_with_time_zone_null(LeadNotes::EditedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(LeadNotes::Table)
                    .drop_column(LeadNotes::EditedAt)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum LeadNotes {
    Table,
    EditedAt,
}
