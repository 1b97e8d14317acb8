//! Notifications: the owner hears about a hot order within seconds, on Telegram, a signed
//! webhook and e-mail, each optional.
//!
//! **Never on the request path, never lost, never twice.** An order worth announcing
//! (`NOTIFY_MIN_PRIORITY` or hotter) gets one outbox row per configured channel, written in the
//! transaction that stores the order (`leads::intake`), so an acknowledged order always has its
//! messages waiting, and a duplicate order that was not stored has none. One worker per channel
//! delivers them in the background: it claims due rows (`FOR UPDATE SKIP LOCKED` on PostgreSQL,
//! so two replicas never claim one row; SQLite is one process), sends each within
//! `NOTIFY_TIMEOUT`, and records the outcome. A failure is retried after `NOTIFY_RETRY_BASE`,
//! doubling each time (at most an hour), and after `NOTIFY_MAX_ATTEMPTS` the row is given up
//! (FAILED), visible in the admin panel, which can retry it. Channels are independent: a slow
//! or dead one delays neither the others nor intake.
//!
//! A claim moves the row's due time to the end of a lease (`lease`): should the process die
//! while sending, the row comes due again when the lease ends and another worker sends it; rows
//! pending at start are simply due. (A crash after the channel accepted a message but before
//! the row was marked sent repeats that one message: the webhook's `deliveryId` lets a receiver
//! drop the repeat.)
//!
//! **Stale reminder.** An URGENT order that was announced and is still NEW after
//! `NOTIFY_STALE_MINUTES` gets one reminder per channel. The unique key
//! `(lead_id, channel, kind)` of the outbox makes "one" a database fact, whichever replica looks.

#![deny(clippy::unwrap_used, clippy::expect_used)]

mod email;
mod failure;
pub mod message;
mod telegram;
mod webhook;

use std::{sync::Arc, time::Duration};

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, FromQueryResult,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait,
    sea_query::{Expr, ExprTrait, LockBehavior, LockType, OnConflict, Order, Query},
};
use tokio::{sync::Notify, task::JoinHandle};
use uuid::Uuid;

pub use failure::{Failure, FailureKind};
pub use message::{Notice, Style};

use crate::{
    config::{Config, NotifyConfig},
    db::entities::{lead, notification},
    error::{AppError, AppResult, Reason},
    leads::{self, LeadStatus},
    scoring::Priority,
    values::now,
};

/// A way of reaching the owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, sea_orm::EnumIter, sea_orm::DeriveActiveEnum)]
#[sea_orm(
    rs_type = "String",
    db_type = "String(sea_orm::sea_query::StringLen::None)"
)]
pub enum Channel {
    #[sea_orm(string_value = "TELEGRAM")]
    Telegram,
    #[sea_orm(string_value = "WEBHOOK")]
    Webhook,
    #[sea_orm(string_value = "EMAIL")]
    Email,
}

impl Channel {
    pub const ALL: [Self; 3] = [Self::Telegram, Self::Webhook, Self::Email];

    fn index(self) -> usize {
        match self {
            Self::Telegram => 0,
            Self::Webhook => 1,
            Self::Email => 2,
        }
    }
}

/// What a message is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, sea_orm::EnumIter, sea_orm::DeriveActiveEnum)]
#[sea_orm(
    rs_type = "String",
    db_type = "String(sea_orm::sea_query::StringLen::None)"
)]
pub enum Kind {
    #[sea_orm(string_value = "NEW_ORDER")]
    NewOrder,
    #[sea_orm(string_value = "STALE_REMINDER")]
    StaleReminder,
    /// The admin's "send a test message".
    #[sea_orm(string_value = "TEST")]
    Test,
}

/// Where a message is: waiting (or being sent), sent, given up, or no longer needed (a
/// reminder about an order somebody took meanwhile).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, sea_orm::EnumIter, sea_orm::DeriveActiveEnum)]
#[sea_orm(
    rs_type = "String",
    db_type = "String(sea_orm::sea_query::StringLen::None)"
)]
pub enum DeliveryStatus {
    #[sea_orm(string_value = "PENDING")]
    Pending,
    #[sea_orm(string_value = "SENT")]
    Sent,
    #[sea_orm(string_value = "FAILED")]
    Failed,
    #[sea_orm(string_value = "CANCELLED")]
    Cancelled,
}

/// One message of the outbox, as the admin sees it.
pub type Delivery = notification::Model;

/// A channel as the admin panel shows it: never its secrets.
#[derive(Debug, Clone)]
pub struct ChannelInfo {
    pub channel: Channel,
    pub configured: bool,
    /// Where messages go, without credentials: the chat, the webhook's host, the addresses.
    pub target: Option<String>,
}

/// The longest wait between attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(3600);
/// Rows a worker claims at once.
const CLAIM_BATCH: u64 = 8;
/// Stale orders turned into reminders per look.
const STALE_BATCH: u64 = 256;

/// Writes outbox rows and wakes the workers. Cheap to clone.
#[derive(Clone)]
pub struct Outbox {
    channels: Arc<[Channel]>,
    min_priority: Priority,
    /// One per channel, in `Channel::index` order: a wake is kept until its worker looks.
    wakers: Arc<[Notify; 3]>,
}

fn rank(priority: Priority) -> u8 {
    match priority {
        Priority::Low => 0,
        Priority::Medium => 1,
        Priority::Urgent => 2,
    }
}

impl Outbox {
    pub fn new(config: &NotifyConfig) -> Self {
        let channels: Vec<Channel> = Channel::ALL
            .into_iter()
            .filter(|c| match c {
                Channel::Telegram => config.telegram.is_some(),
                Channel::Webhook => config.webhook.is_some(),
                Channel::Email => config.email.is_some(),
            })
            .collect();
        Self {
            channels: channels.into(),
            min_priority: config.min_priority,
            wakers: Arc::new([Notify::new(), Notify::new(), Notify::new()]),
        }
    }

    /// The configured channels.
    pub fn channels(&self) -> &[Channel] {
        &self.channels
    }

    /// Whether an order of this temperature is announced at all.
    pub fn announces(&self, priority: Priority) -> bool {
        !self.channels.is_empty() && rank(priority) >= rank(self.min_priority)
    }

    /// The new-order rows of these stored leads (those hot enough), one per channel.
    pub fn new_order_rows(
        &self,
        leads: impl IntoIterator<Item = (Uuid, Priority)>,
        at: DateTime<Utc>,
    ) -> Vec<notification::ActiveModel> {
        leads
            .into_iter()
            .filter(|(_, priority)| self.announces(*priority))
            .flat_map(|(id, _)| {
                self.channels
                    .iter()
                    .map(move |&channel| row(Some(id), channel, Kind::NewOrder, at))
            })
            .collect()
    }

    /// Wakes every worker (after a commit that added rows).
    pub fn wake(&self) {
        for waker in self.wakers.iter() {
            waker.notify_one();
        }
    }

    fn waker(&self, channel: Channel) -> Option<&Notify> {
        self.wakers.get(channel.index())
    }
}

fn row(
    lead_id: Option<Uuid>,
    channel: Channel,
    kind: Kind,
    at: DateTime<Utc>,
) -> notification::ActiveModel {
    notification::ActiveModel {
        id: Set(Uuid::now_v7()),
        lead_id: Set(lead_id),
        channel: Set(channel),
        kind: Set(kind),
        status: Set(DeliveryStatus::Pending),
        attempts: Set(0),
        next_attempt_at: Set(at),
        last_error: Set(None),
        last_error_kind: Set(None),
        created_at: Set(at),
        sent_at: Set(None),
    }
}

/// Inserts outbox rows on `conn` (the order's transaction); a message that exists already
/// (the unique key) is kept as it is.
pub async fn insert_rows(
    conn: &impl ConnectionTrait,
    rows: Vec<notification::ActiveModel>,
) -> AppResult<u64> {
    if rows.is_empty() {
        return Ok(0);
    }
    Ok(notification::Entity::insert_many(rows)
        .on_conflict(OnConflict::new().do_nothing().to_owned())
        .exec_without_returning(conn)
        .await?)
}

/// The wait after the `attempts`-th failure: the base, doubled per further failure.
pub fn backoff(base: Duration, attempts: i32) -> Duration {
    let doublings = std::cmp::min(u32::try_from(attempts.saturating_sub(1)).unwrap_or(0), 20);
    base.saturating_mul(1 << doublings).min(MAX_BACKOFF)
}

fn chrono_duration(d: Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::hours(1))
}

/// Claims up to `limit` due rows of `channel` until `lease_until`, counting the attempt.
async fn claim(
    db: &DatabaseConnection,
    channel: Channel,
    at: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    limit: u64,
) -> AppResult<Vec<notification::Model>> {
    use notification::Column;
    let mut due = Query::select();
    due.column(Column::Id)
        .from(notification::Entity)
        .and_where(Expr::col(Column::Status).eq(DeliveryStatus::Pending))
        .and_where(Expr::col(Column::Channel).eq(channel))
        .and_where(Expr::col(Column::NextAttemptAt).lte(at))
        .order_by(Column::NextAttemptAt, Order::Asc)
        .limit(limit);
    let backend = db.get_database_backend();
    if backend == DbBackend::Postgres {
        // Rows another replica is claiming right now are skipped, never claimed twice.
        due.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let mut update = Query::update();
    update
        .table(notification::Entity)
        .value(Column::NextAttemptAt, lease_until)
        .value(Column::Attempts, Expr::col(Column::Attempts).add(1))
        .and_where(Expr::col(Column::Id).in_subquery(due))
        .returning_all();
    Ok(
        notification::Model::find_by_statement(backend.build(&update))
            .all(db)
            .await?,
    )
}

/// How one attempt ended.
enum Outcome {
    Sent,
    /// Not needed any more (a reminder about an order taken meanwhile).
    Cancelled,
    /// Worth another attempt, after the backoff.
    Failed(Failure),
    /// Never going to work (the order is gone): given up at once.
    GiveUp(Failure),
}

/// Records the outcome of the claimed `row` (its claim counted the attempt). The claim's
/// attempt count fences the update: a row claimed again meanwhile is left to its new owner.
async fn record(
    db: &DatabaseConnection,
    row: &notification::Model,
    outcome: Outcome,
    settings: &NotifyConfig,
) -> AppResult<()> {
    use notification::Column;
    let at = now();
    let mut update = notification::Entity::update_many()
        .filter(Column::Id.eq(row.id))
        .filter(Column::Attempts.eq(row.attempts))
        .filter(Column::Status.eq(DeliveryStatus::Pending));
    update = match outcome {
        Outcome::Sent => update
            .col_expr(Column::Status, Expr::value(DeliveryStatus::Sent))
            .col_expr(Column::SentAt, Expr::value(Some(at)))
            .col_expr(Column::LastError, Expr::value(Option::<String>::None))
            .col_expr(
                Column::LastErrorKind,
                Expr::value(Option::<FailureKind>::None),
            ),
        Outcome::Cancelled => {
            update.col_expr(Column::Status, Expr::value(DeliveryStatus::Cancelled))
        }
        Outcome::GiveUp(failure) => update
            .col_expr(Column::Status, Expr::value(DeliveryStatus::Failed))
            .col_expr(Column::LastError, Expr::value(Some(failure.detail)))
            .col_expr(Column::LastErrorKind, Expr::value(Some(failure.kind))),
        Outcome::Failed(failure) => {
            let given_up = u32::try_from(row.attempts).unwrap_or(u32::MAX) >= settings.max_attempts;
            tracing::warn!(
                id = %row.id, channel = ?row.channel, attempts = row.attempts, given_up,
                error = %failure, kind = ?failure.kind, "notification not delivered"
            );
            let update = update
                .col_expr(Column::LastError, Expr::value(Some(failure.detail)))
                .col_expr(Column::LastErrorKind, Expr::value(Some(failure.kind)));
            if given_up {
                update.col_expr(Column::Status, Expr::value(DeliveryStatus::Failed))
            } else {
                let next = at + chrono_duration(backoff(settings.retry_base, row.attempts));
                update.col_expr(Column::NextAttemptAt, Expr::value(next))
            }
        }
    };
    if update.exec(db).await?.rows_affected == 0 {
        tracing::warn!(id = %row.id, "notification was claimed again before its outcome was recorded");
    }
    Ok(())
}

/// Turns announced URGENT orders still NEW after the threshold into one reminder per channel.
/// Returns the reminders added (the unique key refuses a second one for a lead and channel).
pub async fn enqueue_stale_reminders(
    db: &DatabaseConnection,
    outbox: &Outbox,
    stale_after: Duration,
    at: DateTime<Utc>,
) -> AppResult<u64> {
    use notification::Column;
    let cutoff = at - chrono_duration(stale_after);
    let mut rows = Vec::new();
    for &channel in outbox.channels() {
        let announced = notification::Entity::find()
            .select_only()
            .column(Column::LeadId)
            .filter(Column::Channel.eq(channel))
            .filter(Column::Kind.eq(Kind::NewOrder))
            .into_query();
        let reminded = notification::Entity::find()
            .select_only()
            .column(Column::LeadId)
            .filter(Column::Channel.eq(channel))
            .filter(Column::Kind.eq(Kind::StaleReminder))
            .filter(Column::LeadId.is_not_null())
            .into_query();
        let stale: Vec<Uuid> = lead::Entity::find()
            .select_only()
            .column(lead::Column::Id)
            .filter(lead::Column::Status.eq(LeadStatus::New))
            .filter(lead::Column::Priority.eq(Priority::Urgent))
            .filter(lead::Column::CreatedAt.lte(cutoff))
            .filter(lead::Column::Id.in_subquery(announced))
            .filter(lead::Column::Id.not_in_subquery(reminded))
            .limit(STALE_BATCH)
            .into_tuple()
            .all(db)
            .await?;
        rows.extend(
            stale
                .into_iter()
                .map(|id| row(Some(id), channel, Kind::StaleReminder, at)),
        );
    }
    let added = insert_rows(db, rows).await?;
    if added > 0 {
        tracing::info!(reminders = added, "stale urgent orders: reminders queued");
        outbox.wake();
    }
    Ok(added)
}

/// A channel's way of sending.
enum Sender {
    Telegram(telegram::Telegram),
    Webhook(webhook::Webhook),
    Email(email::Mailer),
}

impl Sender {
    async fn send(&self, notice: &Notice, style: &Style) -> Result<(), Failure> {
        match self {
            Self::Telegram(t) => t.send(notice, style).await,
            Self::Webhook(w) => w.send(notice, style).await,
            Self::Email(e) => e.send(notice, style).await,
        }
    }
}

/// The background delivery: one worker per configured channel, the stale-order watch and the
/// Telegram button poller.
pub struct Notifier {
    inner: Arc<Inner>,
    senders: Vec<(Channel, Sender)>,
    telegram: Option<telegram::Telegram>,
}

struct Inner {
    db: DatabaseConnection,
    database_url: String,
    settings: NotifyConfig,
    style: Style,
    outbox: Outbox,
}

/// Tells the workers to stop after the message in hand.
pub struct Running {
    stop: tokio::sync::watch::Sender<bool>,
    workers: Vec<JoinHandle<()>>,
    /// Safe to abort at any point (an unconfirmed button press is fetched again).
    poller: Option<JoinHandle<()>>,
}

impl Running {
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        if let Some(poller) = self.poller {
            poller.abort();
        }
        for worker in self.workers {
            let _ = worker.await;
        }
    }
}

/// Makes ring the process's TLS crypto provider (reqwest is built without one of its own; ring
/// is already in the build through sqlx). Idempotent; `Application::build` calls it.
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// A shared HTTP client for the channels: timeouts on every call, no redirects followed (a
/// redirect could carry a signed body somewhere else).
fn http_client(timeout: Duration) -> anyhow::Result<reqwest::Client> {
    install_crypto_provider();
    Ok(reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("order-desk/", env!("CARGO_PKG_VERSION")))
        .build()?)
}

impl Notifier {
    /// Prepares the configured channels (a bad SMTP URL stops the start here).
    pub fn new(db: DatabaseConnection, config: &Config, outbox: Outbox) -> anyhow::Result<Self> {
        let settings = config.notify.clone();
        let style = Style {
            language: settings.language,
            public_url: config.public_url.clone(),
            timezone: config.timezone,
            stale_minutes: settings.stale_after.map_or(0, |d| d.as_secs() / 60),
        };
        let mut senders = Vec::new();
        let mut poller = None;
        if settings.any_channel() {
            let client = http_client(settings.timeout)?;
            if let Some(t) = &settings.telegram {
                let telegram = telegram::Telegram::new(client.clone(), t.clone());
                poller = Some(telegram.clone());
                senders.push((Channel::Telegram, Sender::Telegram(telegram)));
            }
            if let Some(w) = &settings.webhook {
                senders.push((
                    Channel::Webhook,
                    Sender::Webhook(webhook::Webhook::new(client, w.clone())),
                ));
            }
            if let Some(e) = &settings.email {
                senders.push((
                    Channel::Email,
                    Sender::Email(email::Mailer::new(e, settings.timeout)?),
                ));
            }
        }
        Ok(Self {
            inner: Arc::new(Inner {
                db,
                database_url: config.database_url.clone(),
                settings,
                style,
                outbox,
            }),
            senders,
            telegram: poller,
        })
    }

    /// Starts the workers; rows pending from before the start are due at once.
    pub fn spawn(self) -> Running {
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let mut workers = Vec::new();
        for (channel, sender) in self.senders {
            let inner = self.inner.clone();
            let stopped = stopped.clone();
            workers.push(tokio::spawn(async move {
                inner.channel_worker(channel, sender, stopped).await;
            }));
        }
        if let (Some(stale_after), false) = (
            self.inner.settings.stale_after,
            self.inner.outbox.channels().is_empty(),
        ) {
            let inner = self.inner.clone();
            let mut stopped = stopped.clone();
            workers.push(tokio::spawn(async move {
                let mut tick = tokio::time::interval(inner.settings.poll_interval);
                tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                loop {
                    tokio::select! {
                        _ = tick.tick() => {}
                        _ = stopped.changed() => return,
                    }
                    if let Err(err) =
                        enqueue_stale_reminders(&inner.db, &inner.outbox, stale_after, now()).await
                    {
                        tracing::warn!(error = ?err, "could not look for stale urgent orders");
                    }
                }
            }));
        }
        let poller = self.telegram.map(|telegram| {
            let inner = self.inner.clone();
            tokio::spawn(async move { telegram::poll_buttons(telegram, inner).await })
        });
        Running {
            stop,
            workers,
            poller,
        }
    }
}

impl Inner {
    async fn channel_worker(
        &self,
        channel: Channel,
        sender: Sender,
        mut stopped: tokio::sync::watch::Receiver<bool>,
    ) {
        let Some(waker) = self.outbox.waker(channel) else {
            return;
        };
        loop {
            if *stopped.borrow() {
                return;
            }
            match self.deliver_due(channel, &sender, &stopped).await {
                // A full batch: there may be more due right away.
                Ok(n) if n as u64 == CLAIM_BATCH => continue,
                Ok(_) => {}
                Err(err) => {
                    tracing::warn!(error = ?err, ?channel, "notification worker: database error")
                }
            }
            tokio::select! {
                _ = tokio::time::sleep(self.settings.poll_interval) => {}
                _ = waker.notified() => {}
                _ = stopped.changed() => return,
            }
        }
    }

    /// Claims and sends one batch of this channel's due messages; returns how many it claimed.
    async fn deliver_due(
        &self,
        channel: Channel,
        sender: &Sender,
        stopped: &tokio::sync::watch::Receiver<bool>,
    ) -> AppResult<usize> {
        let at = now();
        // Long enough for the whole batch to be sent one after another, each within the
        // timeout, before another worker may take a row over.
        let lease = self.settings.timeout * (CLAIM_BATCH as u32 + 1) + Duration::from_secs(30);
        let rows = claim(
            &self.db,
            channel,
            at,
            at + chrono_duration(lease),
            CLAIM_BATCH,
        )
        .await?;
        let claimed = rows.len();
        for row in rows {
            if *stopped.borrow() {
                // Shutting down: the rest are due again now rather than after the lease.
                self.release(&row).await?;
                continue;
            }
            let outcome = self.attempt(&row, sender).await;
            record(&self.db, &row, outcome, &self.settings).await?;
        }
        Ok(claimed)
    }

    /// Gives a claimed row back untouched (its attempt not counted).
    async fn release(&self, row: &notification::Model) -> AppResult<()> {
        use notification::Column;
        notification::Entity::update_many()
            .col_expr(Column::NextAttemptAt, Expr::value(now()))
            .col_expr(Column::Attempts, Expr::value(row.attempts - 1))
            .filter(Column::Id.eq(row.id))
            .filter(Column::Attempts.eq(row.attempts))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    async fn attempt(&self, row: &notification::Model, sender: &Sender) -> Outcome {
        let lead = match row.lead_id {
            None => None,
            Some(id) => match leads::find(&self.db, id).await {
                Ok(Some(lead)) => Some(lead),
                Ok(None) => {
                    let gone = Failure::new(FailureKind::OrderGone, "the order no longer exists");
                    return Outcome::GiveUp(gone);
                }
                Err(err) => {
                    tracing::warn!(error = ?err, "notification: could not read the order");
                    let trouble = Failure::new(FailureKind::Internal, "could not read the order");
                    return Outcome::Failed(trouble);
                }
            },
        };
        if row.kind == Kind::StaleReminder
            && lead.as_ref().is_some_and(|l| l.status != LeadStatus::New)
        {
            return Outcome::Cancelled;
        }
        let notice = Notice {
            delivery_id: row.id,
            kind: row.kind,
            lead,
        };
        // The channel's own timeouts apply too; this bounds the whole message.
        match tokio::time::timeout(self.settings.timeout, sender.send(&notice, &self.style)).await {
            Ok(Ok(())) => {
                tracing::info!(id = %row.id, channel = ?row.channel, kind = ?row.kind, "notification sent");
                Outcome::Sent
            }
            Ok(Err(failure)) => Outcome::Failed(failure),
            Err(_) => Outcome::Failed(Failure::new(
                FailureKind::Timeout,
                format!("timed out after {} ms", self.settings.timeout.as_millis()),
            )),
        }
    }
}

/// The channels, configured or not, as the admin panel shows them.
pub fn channels(config: &Config) -> Vec<ChannelInfo> {
    let n = &config.notify;
    Channel::ALL
        .into_iter()
        .map(|channel| {
            let target = match channel {
                Channel::Telegram => n.telegram.as_ref().map(|t| format!("chat {}", t.chat_id)),
                // The path and query may hold a token (many services put it there).
                Channel::Webhook => n.webhook.as_ref().map(|w| {
                    let (scheme, rest) = w.url.split_once("://").unwrap_or(("", &w.url));
                    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
                    format!("{scheme}://{host}/…")
                }),
                Channel::Email => n
                    .email
                    .as_ref()
                    .map(|e| format!("{} · SMTP {}", e.to.join(", "), e.server)),
            };
            ChannelInfo {
                channel,
                configured: target.is_some(),
                target,
            }
        })
        .collect()
}

/// The last deliveries, newest first; `status` narrows them.
pub async fn deliveries(
    db: &DatabaseConnection,
    first: u64,
    status: Option<DeliveryStatus>,
) -> AppResult<Vec<Delivery>> {
    let mut query = notification::Entity::find()
        .order_by_desc(notification::Column::CreatedAt)
        .order_by_desc(notification::Column::Id)
        .limit(first);
    if let Some(status) = status {
        query = query.filter(notification::Column::Status.eq(status));
    }
    Ok(query.all(db).await?)
}

/// Queues a test message on `channel`.
pub async fn send_test(
    db: &DatabaseConnection,
    outbox: &Outbox,
    channel: Channel,
) -> AppResult<Delivery> {
    if !outbox.channels().contains(&channel) {
        return Err(AppError::validation(
            "channel",
            Reason::Unavailable,
            "This channel is not configured",
        ));
    }
    let id = notification::Entity::insert(row(None, channel, Kind::Test, now()))
        .exec(db)
        .await?
        .last_insert_id;
    outbox.wake();
    find(db, id).await
}

/// Gives a given-up message a fresh set of attempts, due now.
pub async fn retry(db: &DatabaseConnection, outbox: &Outbox, id: Uuid) -> AppResult<Delivery> {
    use notification::Column;
    let updated = notification::Entity::update_many()
        .col_expr(Column::Status, Expr::value(DeliveryStatus::Pending))
        .col_expr(Column::Attempts, Expr::value(0))
        .col_expr(Column::NextAttemptAt, Expr::value(now()))
        .filter(Column::Id.eq(id))
        .filter(Column::Status.eq(DeliveryStatus::Failed))
        .exec(db)
        .await?
        .rows_affected;
    let delivery = find(db, id).await?;
    if updated == 0 {
        return Err(AppError::validation(
            "id",
            Reason::Unavailable,
            "Only a given-up notification can be retried",
        ));
    }
    outbox.wake();
    Ok(delivery)
}

async fn find(db: &DatabaseConnection, id: Uuid) -> AppResult<Delivery> {
    notification::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("Notification not found"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        let base = Duration::from_secs(30);
        assert_eq!(backoff(base, 1), Duration::from_secs(30));
        assert_eq!(backoff(base, 2), Duration::from_secs(60));
        assert_eq!(backoff(base, 4), Duration::from_secs(240));
        assert_eq!(backoff(base, 12), MAX_BACKOFF);
        assert_eq!(backoff(base, i32::MAX), MAX_BACKOFF);
        assert_eq!(backoff(base, 0), base);
    }

    #[test]
    fn the_threshold_picks_what_is_announced() {
        let config = crate::config::Config::from_lookup(|name| {
            match name {
                "WEBHOOK_URL" => Some("http://127.0.0.1:9/hook"),
                "NOTIFY_MIN_PRIORITY" => Some("medium"),
                _ => None,
            }
            .map(str::to_owned)
        })
        .map_err(|e| e.to_string());
        let Ok(config) = config else {
            panic!("config: {config:?}");
        };
        let outbox = Outbox::new(&config.notify);
        assert_eq!(outbox.channels(), [Channel::Webhook]);
        assert!(outbox.announces(Priority::Urgent));
        assert!(outbox.announces(Priority::Medium));
        assert!(!outbox.announces(Priority::Low));
        let rows = outbox.new_order_rows(
            [
                (Uuid::nil(), Priority::Low),
                (Uuid::max(), Priority::Urgent),
            ],
            now(),
        );
        assert_eq!(rows.len(), 1);
        let silent = Outbox::new(&crate::config::NotifyConfig {
            webhook: None,
            ..config.notify
        });
        assert!(!silent.announces(Priority::Urgent));
    }
}
