use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The notification outbox: one row per message and channel, written in the transaction that
/// stores the order, delivered in the background (`server/src/notify`).
///
/// `(lead_id, channel, kind)` is unique, so a lead gets at most one new-order message and one
/// stale reminder per channel, whatever replica or retry tries to add another. Test messages
/// have no lead (NULLs never collide).
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(NotificationOutbox::Table)
                    .col(uuid(NotificationOutbox::Id).primary_key())
                    .col(uuid_null(NotificationOutbox::LeadId))
                    .col(string_len(NotificationOutbox::Channel, 20))
                    .col(string_len(NotificationOutbox::Kind, 20))
                    .col(string_len(NotificationOutbox::Status, 20))
                    .col(integer(NotificationOutbox::Attempts).default(0))
                    // Due time; while a worker sends, its lease (a crashed sender's row comes
                    // due again when the lease ends).
                    .col(timestamp_with_time_zone(NotificationOutbox::NextAttemptAt))
                    .col(text_null(NotificationOutbox::LastError))
                    .col(timestamp_with_time_zone(NotificationOutbox::CreatedAt))
                    .col(timestamp_with_time_zone_null(NotificationOutbox::SentAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_notification_outbox_lead")
                            .from(NotificationOutbox::Table, NotificationOutbox::LeadId)
                            .to(Applications::Table, Applications::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_notification_outbox_message")
                    .table(NotificationOutbox::Table)
                    .col(NotificationOutbox::LeadId)
                    .col(NotificationOutbox::Channel)
                    .col(NotificationOutbox::Kind)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // The workers' claim: due rows of one channel.
        manager
            .create_index(
                Index::create()
                    .name("idx_notification_outbox_due")
                    .table(NotificationOutbox::Table)
                    .col(NotificationOutbox::Status)
                    .col(NotificationOutbox::Channel)
                    .col(NotificationOutbox::NextAttemptAt)
                    .to_owned(),
            )
            .await?;
        // The admin's list: newest first.
        manager
            .create_index(
                Index::create()
                    .name("idx_notification_outbox_created")
                    .table(NotificationOutbox::Table)
                    .col(NotificationOutbox::CreatedAt)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum NotificationOutbox {
    Table,
    Id,
    LeadId,
    Channel,
    Kind,
    Status,
    Attempts,
    NextAttemptAt,
    LastError,
    CreatedAt,
    SentAt,
}

#[derive(DeriveIden)]
enum Applications {
    Table,
    Id,
}
