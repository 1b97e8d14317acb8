use sea_orm::entity::prelude::*;

/// One message for one channel in the outbox (see `notify`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notification_outbox")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// None for a test message.
    pub lead_id: Option<Uuid>,
    pub channel: crate::notify::Channel,
    pub kind: crate::notify::Kind,
    pub status: crate::notify::DeliveryStatus,
    pub attempts: i32,
    /// When the row is due; while a worker sends it, the end of that worker's lease.
    pub next_attempt_at: DateTimeUtc,
    pub last_error: Option<String>,
    /// What kind of failure `last_error` was (null before migration 31, and with no error).
    pub last_error_kind: Option<crate::notify::FailureKind>,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
