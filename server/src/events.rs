//! Change notifications that drive GraphQL subscriptions. Events carry ids only, never rows:
//! a subscriber reloads what it shows, so a missed or merged event cannot show stale data.
//!
//! On SQLite (one process) an in-process broadcast carries them. On PostgreSQL they travel
//! through `NOTIFY`, and every replica `LISTEN`s and re-broadcasts to its own subscribers,
//! so an order taken by one replica reaches an admin connected to another.

use std::{
    pin::Pin,
    sync::Arc,
    task::{Context, Poll},
    time::Duration,
};

use futures_util::Stream;
use sea_orm::sqlx::postgres::PgListener;
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, Statement};
use tokio::{
    sync::{broadcast, watch},
    task::JoinHandle,
};
use tokio_stream::wrappers::{BroadcastStream, errors::BroadcastStreamRecvError};
use uuid::Uuid;

/// The PostgreSQL notification channel.
pub const CHANNEL: &str = "order_desk_events";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    ServicesChanged,
    /// The business's settings (name, contacts, consent wording…) were saved.
    SettingsChanged,
    LeadCreated(Uuid),
    /// Every session of this admin ended (password change, deletion, revocation).
    SessionsRevoked(Uuid),
}

impl Event {
    fn encode(&self) -> String {
        match self {
            Self::ServicesChanged => "services".to_owned(),
            Self::SettingsChanged => "settings".to_owned(),
            Self::LeadCreated(id) => format!("lead:{id}"),
            Self::SessionsRevoked(id) => format!("sessions:{id}"),
        }
    }

    fn decode(payload: &str) -> Option<Self> {
        match payload.split_once(':') {
            None if payload == "services" => Some(Self::ServicesChanged),
            None if payload == "settings" => Some(Self::SettingsChanged),
            Some(("lead", id)) => Uuid::parse_str(id).ok().map(Self::LeadCreated),
            Some(("sessions", id)) => Uuid::parse_str(id).ok().map(Self::SessionsRevoked),
            _ => None,
        }
    }
}

#[derive(Clone)]
enum Transport {
    InProcess,
    Postgres(DatabaseConnection),
}

#[derive(Clone)]
pub struct Events {
    tx: broadcast::Sender<Event>,
    transport: Transport,
    /// How many [`EventStream`]s are open, announced on every change.
    listening: Arc<watch::Sender<usize>>,
}

impl Default for Events {
    fn default() -> Self {
        Self::new()
    }
}

impl Events {
    /// In-process only: SQLite, tools, tests.
    pub fn new() -> Self {
        let (tx, _) = broadcast::channel(1024);
        Self {
            tx,
            transport: Transport::InProcess,
            listening: Arc::new(watch::Sender::new(0)),
        }
    }

    /// The transport for this database. On PostgreSQL the listener is connected and
    /// listening before this returns, so no event after start-up is missed; the returned task
    /// keeps it running (and reconnects).
    pub async fn for_database(
        db: &DatabaseConnection,
        url: &str,
    ) -> anyhow::Result<(Self, Option<JoinHandle<()>>)> {
        if db.get_database_backend() != DatabaseBackend::Postgres {
            return Ok((Self::new(), None));
        }
        let mut events = Self::new();
        events.transport = Transport::Postgres(db.clone());
        let listener = listen(url).await?;
        let task = tokio::spawn(relay(listener, url.to_owned(), events.tx.clone()));
        Ok((events, Some(task)))
    }

    /// For a process that only announces (the CLI): on PostgreSQL its events reach every
    /// running replica through `NOTIFY`; on SQLite there is nobody else to tell.
    pub fn publisher(db: &DatabaseConnection) -> Self {
        let mut events = Self::new();
        if db.get_database_backend() == DatabaseBackend::Postgres {
            events.transport = Transport::Postgres(db.clone());
        }
        events
    }

    pub async fn publish(&self, event: Event) {
        match &self.transport {
            Transport::InProcess => self.broadcast(event),
            Transport::Postgres(db) => {
                let notify = Statement::from_sql_and_values(
                    DatabaseBackend::Postgres,
                    "SELECT pg_notify($1, $2)",
                    [CHANNEL.into(), event.encode().into()],
                );
                // Delivered back to this replica's own subscribers by the listener.
                if let Err(err) = db.execute_raw(notify).await {
                    tracing::warn!(%err, ?event, "NOTIFY failed: only this replica hears the event");
                    self.broadcast(event);
                }
            }
        }
    }

    /// Announces several events with one statement.
    pub async fn publish_all(&self, events: impl IntoIterator<Item = Event>) {
        let events: Vec<Event> = events.into_iter().collect();
        match (&self.transport, events.len()) {
            (_, 0) => {}
            (Transport::InProcess, _) => events.into_iter().for_each(|e| self.broadcast(e)),
            (Transport::Postgres(db), n) => {
                let calls: Vec<String> = (0..n)
                    .map(|i| format!("pg_notify($1, ${})", i + 2))
                    .collect();
                let mut values = vec![CHANNEL.into()];
                values.extend(events.iter().map(|e| e.encode().into()));
                let notify = Statement::from_sql_and_values(
                    DatabaseBackend::Postgres,
                    format!("SELECT {}", calls.join(", ")),
                    values,
                );
                if let Err(err) = db.execute_raw(notify).await {
                    tracing::warn!(%err, events = n, "NOTIFY failed: only this replica hears the events");
                    events.into_iter().for_each(|e| self.broadcast(e));
                }
            }
        }
    }

    fn broadcast(&self, event: Event) {
        // No subscriber is not an error: nobody is watching right now.
        let _ = self.tx.send(event);
    }

    /// Every event from now on. A subscriber that falls too far behind gets a `Lagged` error
    /// in place of what it missed (and reloads).
    pub fn subscribe(&self) -> EventStream {
        let events = BroadcastStream::new(self.tx.subscribe());
        self.listening.send_modify(|open| *open += 1);
        EventStream {
            events,
            listening: self.listening.clone(),
        }
    }

    /// How many subscriptions of this process are listening, announced on every change. A
    /// subscription counts from the moment the server has registered it: an event published
    /// after that reaches it.
    pub fn subscribers(&self) -> watch::Receiver<usize> {
        self.listening.subscribe()
    }
}

/// One subscriber's events (see [`Events::subscribe`]); counted while open.
pub struct EventStream {
    events: BroadcastStream<Event>,
    listening: Arc<watch::Sender<usize>>,
}

impl Stream for EventStream {
    type Item = Result<Event, BroadcastStreamRecvError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Pin::new(&mut self.events).poll_next(cx)
    }
}

impl Drop for EventStream {
    fn drop(&mut self) {
        self.listening
            .send_modify(|open| *open = open.saturating_sub(1));
    }
}

async fn listen(url: &str) -> anyhow::Result<PgListener> {
    let mut listener = PgListener::connect(url).await?;
    listener.listen(CHANNEL).await?;
    Ok(listener)
}

async fn relay(mut listener: PgListener, url: String, tx: broadcast::Sender<Event>) {
    loop {
        match listener.try_recv().await {
            Ok(Some(notification)) => match Event::decode(notification.payload()) {
                Some(event) => {
                    let _ = tx.send(event);
                }
                None => tracing::warn!(payload = notification.payload(), "unknown event payload"),
            },
            Ok(None) => {
                // The connection dropped (sqlx reconnects): events may have been missed, so
                // have every service list and the settings reloaded.
                tracing::warn!("event listener lost its connection; reconnecting");
                let _ = tx.send(Event::ServicesChanged);
                let _ = tx.send(Event::SettingsChanged);
            }
            Err(err) => {
                tracing::warn!(%err, "event listener failed; reconnecting in a second");
                tokio::time::sleep(Duration::from_secs(1)).await;
                match listen(&url).await {
                    Ok(fresh) => {
                        listener = fresh;
                        let _ = tx.send(Event::ServicesChanged);
                        let _ = tx.send(Event::SettingsChanged);
                    }
                    Err(err) => tracing::warn!(%err, "event listener could not reconnect"),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_round_trip_through_notify_payloads() {
        let id = Uuid::now_v7();
        for event in [
            Event::ServicesChanged,
            Event::SettingsChanged,
            Event::LeadCreated(id),
            Event::SessionsRevoked(id),
        ] {
            assert_eq!(Event::decode(&event.encode()), Some(event));
        }
        assert_eq!(Event::decode("lead:nope"), None);
        assert_eq!(Event::decode("other"), None);
    }
}
