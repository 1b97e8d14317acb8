use sea_orm_migration::{prelude::*, schema::*};

/// Tokens carry the session version they were issued under; bumping it (password change,
/// deletion, `server revoke-sessions`) ends every session of that admin at once.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Admins::Table)
                    .add_column(integer(Admins::SessionVersion).default(0))
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Admins {
    Table,
    SessionVersion,
}
