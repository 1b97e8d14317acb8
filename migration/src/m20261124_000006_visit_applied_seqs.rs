use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Which of a visit's recent batches were applied: bit i is seq `last_seq - i`. A batch that
/// overtook an earlier one (the tracker's flush on page hide races a batch still out) no longer
/// makes the earlier one look applied. Existing rows: every seq up to `last_seq` was applied.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Visits::Table)
                    .add_column(
                        ColumnDef::new(Visits::AppliedSeqs)
                            .big_integer()
                            .not_null()
                            .default(-1i64),
                    )
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Visits {
    Table,
    AppliedSeqs,
}
