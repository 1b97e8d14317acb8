//! What every request handler shares. Cheap to clone.

use std::sync::Arc;

use crate::{
    leads::intake::OrderWriter,
    metrics::{Aggregator, BusinessClock, VisitWriter},
};

use sea_orm::DatabaseConnection;

use crate::{
    auth::JwtKeys, config::Config, db::QueryCounter, events::Events, rate_limit::RateLimits,
};

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    /// Statements run through `db` (tests check batching with it).
    pub queries: QueryCounter,
    pub config: Arc<Config>,
    /// Shared: the keys and the validation rules are several allocations to copy.
    pub jwt: Arc<JwtKeys>,
    pub events: Events,
    pub limits: RateLimits,
    /// Behavior counters waiting for the next flush.
    pub metrics: Arc<Aggregator>,
    /// The heatmap snapshots read so far (they change once a day).
    pub heatmap_snapshots: Arc<crate::metrics::snapshot::SnapshotCache>,
    /// The business's settings as read for the public page's link preview (`http::page_meta`).
    pub recent_settings: crate::business::RecentSettings,
    /// The list's filters known to match more than its count cap.
    pub over_cap: Arc<crate::leads::over_cap::OverCap>,
    /// Applies tracker batches, many per transaction.
    pub visits: VisitWriter,
    /// Stores visitors' orders, many per round trip.
    pub orders: OrderWriter,
    /// Taken by the writers above and the metrics flush, on SQLite (see `WriteTurns`).
    pub write_turns: crate::db::WriteTurns,
    /// Where notifications are queued (and their workers woken).
    pub outbox: crate::notify::Outbox,
    pub clock: BusinessClock,
}
