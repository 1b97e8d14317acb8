use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Admins::Table)
                    .col(uuid(Admins::Id).primary_key())
                    .col(string_len_uniq(Admins::Email, 255))
                    .col(string_len(Admins::PasswordHash, 255))
                    // Set to 1 only on the admin created through first-run registration. The
                    // unique index lets the database, not a racy pre-check, pick the one winner.
                    .col(integer_null(Admins::FirstAdminSlot).unique_key())
                    .col(timestamp_with_time_zone(Admins::CreatedAt))
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Admins {
    Table,
    Id,
    Email,
    PasswordHash,
    FirstAdminSlot,
    CreatedAt,
}
