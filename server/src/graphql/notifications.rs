//! The admin's view of notifications: the channels (never their secrets), the last deliveries,
//! a test message per channel and a retry for given-up messages.

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};

use super::{auth::AdminGuard, state};
use crate::{
    error::{AppError, Reason},
    notify,
    values::parse_id,
};

/// A way of reaching the owner.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "crate::notify::Channel")]
pub enum NotificationChannelKind {
    Telegram,
    Webhook,
    Email,
}

/// What a message is about.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "crate::notify::Kind")]
pub enum NotificationKind {
    NewOrder,
    StaleReminder,
    Test,
}

/// PENDING: waiting or being sent (retried with backoff); SENT; FAILED: given up after the
/// last attempt (retry it with `retryNotification`); CANCELLED: a reminder no longer needed.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "crate::notify::DeliveryStatus")]
pub enum NotificationStatus {
    Pending,
    Sent,
    Failed,
    Cancelled,
}

/// Why the last attempt failed: TIMEOUT (no answer in time), UNREACHABLE (no connection),
/// REFUSED (the service refused the message: the channel's settings need a look),
/// SERVICE_ERROR (the service's own trouble, usually passing), ORDER_GONE (the order was
/// deleted), INTERNAL (this server's own trouble).
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "crate::notify::FailureKind")]
pub enum DeliveryFailure {
    Timeout,
    Unreachable,
    Refused,
    ServiceError,
    OrderGone,
    Internal,
}

/// A channel and where it sends, without credentials.
#[derive(SimpleObject)]
pub struct NotificationChannel {
    pub channel: NotificationChannelKind,
    pub configured: bool,
    /// The chat, the webhook's host, or the addresses and SMTP server; null when not configured.
    pub target: Option<String>,
}

/// One message on one channel.
#[derive(SimpleObject)]
pub struct NotificationDelivery {
    pub id: ID,
    pub channel: NotificationChannelKind,
    pub kind: NotificationKind,
    pub status: NotificationStatus,
    /// The order it is about; null for a test message.
    pub lead_id: Option<ID>,
    pub attempts: i32,
    /// The last failure's diagnostic, as the channel gave it (English, never a secret), kept
    /// until a success.
    pub last_error: Option<String>,
    /// What kind of failure that was, for the admin to read in their language; null with no
    /// failure, and for failures recorded before kinds were (the diagnostic alone then).
    pub last_error_kind: Option<DeliveryFailure>,
    /// When a PENDING message is next tried.
    pub next_attempt_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

impl From<notify::Delivery> for NotificationDelivery {
    fn from(d: notify::Delivery) -> Self {
        Self {
            id: ID(d.id.to_string()),
            channel: d.channel.into(),
            kind: d.kind.into(),
            status: d.status.into(),
            lead_id: d.lead_id.map(|id| ID(id.to_string())),
            attempts: d.attempts,
            last_error: d.last_error,
            last_error_kind: d.last_error_kind.map(Into::into),
            next_attempt_at: d.next_attempt_at,
            created_at: d.created_at,
            sent_at: d.sent_at,
        }
    }
}

const MAX_DELIVERIES: i32 = 200;

#[derive(Default)]
pub struct NotificationQuery;

#[Object]
impl NotificationQuery {
    /// Every channel, configured or not.
    #[graphql(guard = "AdminGuard")]
    async fn notification_channels(&self, ctx: &Context<'_>) -> Vec<NotificationChannel> {
        notify::channels(&state(ctx).config)
            .into_iter()
            .map(|c| NotificationChannel {
                channel: c.channel.into(),
                configured: c.configured,
                target: c.target,
            })
            .collect()
    }

    /// The last messages, newest first (`first`: 1–200, default 50), optionally of one status.
    #[graphql(guard = "AdminGuard")]
    async fn notification_deliveries(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 50)] first: i32,
        status: Option<NotificationStatus>,
    ) -> async_graphql::Result<Vec<NotificationDelivery>> {
        if !(1..=MAX_DELIVERIES).contains(&first) {
            return Err(AppError::validation(
                "first",
                Reason::OutOfRange,
                format!("Must be 1–{MAX_DELIVERIES}"),
            )
            .with("min", 1)
            .with("max", MAX_DELIVERIES)
            .into());
        }
        let first = u64::try_from(first).unwrap_or(1);
        Ok(
            notify::deliveries(&state(ctx).db, first, status.map(Into::into))
                .await?
                .into_iter()
                .map(Into::into)
                .collect(),
        )
    }
}

#[derive(Default)]
pub struct NotificationMutation;

#[Object]
impl NotificationMutation {
    /// Queues a test message on a configured channel; BAD_USER_INPUT (`channel`, UNAVAILABLE)
    /// for one that is not configured.
    #[graphql(guard = "AdminGuard")]
    async fn send_test_notification(
        &self,
        ctx: &Context<'_>,
        channel: NotificationChannelKind,
    ) -> async_graphql::Result<NotificationDelivery> {
        let state = state(ctx);
        Ok(notify::send_test(&state.db, &state.outbox, channel.into())
            .await?
            .into())
    }

    /// Tries a given-up (FAILED) message again, with a fresh set of attempts.
    #[graphql(guard = "AdminGuard")]
    async fn retry_notification(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<NotificationDelivery> {
        let state = state(ctx);
        let id = parse_id("id", &id)?;
        Ok(notify::retry(&state.db, &state.outbox, id).await?.into())
    }
}
