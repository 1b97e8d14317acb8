use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A delivery's last failure gets its kind (`notify::FailureKind`: TIMEOUT, UNREACHABLE,
/// REFUSED, SERVICE_ERROR, ORDER_GONE, INTERNAL), which the admin panel says in the admin's
/// language; `last_error` keeps the channel's own diagnostic. Failures recorded before have
/// none, and the panel shows their diagnostic alone.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(NotificationOutbox::Table)
                    .add_column(
                        ColumnDef::new(NotificationOutbox::LastErrorKind)
                            .string_len(20)
                            .null(),
                    )
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum NotificationOutbox {
    Table,
    LastErrorKind,
}
