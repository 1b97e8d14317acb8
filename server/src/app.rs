//! Builds a ready-to-serve application from a configuration: the one entry point used by
//! `main` and by the integration tests (which bind port 0).

use std::{net::SocketAddr, sync::Arc};

use anyhow::Context as _;
use axum::Router;
use tokio::net::TcpListener;

use crate::{
    admins,
    auth::JwtKeys,
    config::Config,
    db,
    events::Events,
    graphql, http, leads,
    metrics::{self, Aggregator, BusinessClock, VisitWriter},
    notify::{Notifier, Outbox},
    rate_limit::{AccountLogins, PerMinute, RateLimits},
    state::AppState,
    values,
};

const METRICS_FLUSH: std::time::Duration = std::time::Duration::from_secs(1);
const METRICS_PURGE: std::time::Duration = std::time::Duration::from_secs(3600);
/// How long a stopping server waits for its writers to apply the jobs of requests whose
/// clients went away. A group takes milliseconds; one waiting on a database that is down
/// would take the pool's acquire timeout, and the whole stop must fit in the 10 s a container
/// gets before it is killed.
const SHUTDOWN_DRAIN: std::time::Duration = std::time::Duration::from_secs(5);
/// How long a stopping server spends folding the heatmap log in.
const SHUTDOWN_FOLD: std::time::Duration = std::time::Duration::from_secs(5);
/// How often a replica checks whether the business day moved on (snapshots are per day).
const METRICS_SNAPSHOT_CHECK: std::time::Duration = std::time::Duration::from_secs(60);

/// Who runs the periodic work: the metrics flush (every second), folding the heatmap log in
/// (every few seconds), the heatmap snapshots (per business day) and the retention purge
/// (hourly).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Background {
    /// Timers run it, as in production.
    #[default]
    Scheduled,
    /// Nothing runs by itself: the caller flushes, snapshots and purges when it chooses
    /// (through `state()`), so a test decides what happened when. The graceful-shutdown
    /// flush still runs.
    Manual,
}

pub struct Application {
    /// Relays PostgreSQL notifications to this replica's subscribers.
    event_relay: Option<tokio::task::JoinHandle<()>>,
    background: Background,
    listener: TcpListener,
    router: Router,
    state: AppState,
    /// Delivers notifications in the background (in both background modes: tests drive it
    /// through its settings).
    notifier: Option<Notifier>,
    /// Hears from the order writer when the search index's pending list wants merging.
    search_merger: leads::search_index::Merger,
}

impl Application {
    /// Connects, migrates and binds. `config.jwt_secret` must be resolved by now.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        crate::notify::install_crypto_provider();
        let secret = config
            .jwt_secret
            .clone()
            .context("JWT_SECRET: not set (call Config::resolve_dev_secret in development)")?;
        // Migrations on a pool of their own: they may rightly run longer than any request.
        let migrations = db::connect(&config.database_url).await?;
        db::migrate(&migrations).await?;
        migrations.close().await?;
        let (db, queries) =
            db::connect_counted(&config.database_url, Some(config.statement_timeout)).await?;
        let (events, event_relay) = Events::for_database(&db, &config.database_url).await?;
        let listener = TcpListener::bind(config.bind_addr)
            .await
            .with_context(|| format!("BIND_ADDR: cannot listen on {}", config.bind_addr))?;
        let turns = db::WriteTurns::for_database(&db);
        let metrics = Arc::new(Aggregator::taking_turns(turns.clone()));
        let clock = BusinessClock::new(config.timezone);
        let outbox = Outbox::new(&config.notify);
        let notifier = Notifier::new(db.clone(), &config, outbox.clone())?;
        let search_merger = leads::search_index::Merger::new(
            leads::search_index::MERGE_EVERY,
            leads::search_index::MERGE_IDLE,
        );
        let state = AppState {
            visits: VisitWriter::spawn(db.clone(), clock, metrics.clone(), turns.clone()),
            orders: leads::intake::OrderWriter::spawn(
                db.clone(),
                events.clone(),
                metrics.clone(),
                outbox.clone(),
                search_merger.clone(),
                turns.clone(),
            ),
            write_turns: turns,
            outbox,
            db,
            queries,
            jwt: Arc::new(JwtKeys::new(secret.expose(), config.token_ttl)),
            events,
            limits: RateLimits {
                logins: PerMinute::new(config.rate_limit_logins_per_minute),
                account_logins: AccountLogins::new(config.rate_limit_logins_per_account_per_minute),
                orders: PerMinute::new(config.rate_limit_orders_per_minute),
                metrics: PerMinute::new(config.rate_limit_metrics_per_minute),
            },
            metrics,
            heatmap_snapshots: Arc::default(),
            over_cap: Arc::default(),
            recent_settings: Default::default(),
            clock,
            config: Arc::new(config),
        };
        let schema = graphql::build_schema(state.clone());
        let router = http::router(state.clone(), schema);
        Ok(Self {
            event_relay,
            background: Background::Scheduled,
            listener,
            router,
            state,
            notifier: Some(notifier),
            search_merger,
        })
    }

    #[must_use]
    pub fn with_background(mut self, background: Background) -> Self {
        self.background = background;
        self
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// The metrics flush, every second until `stop` fires. It is stopped, never aborted: an
    /// aborted flush would drop the deltas it had taken out of the aggregator.
    fn spawn_metrics_flusher(
        &self,
        mut stop: tokio::sync::oneshot::Receiver<()>,
    ) -> tokio::task::JoinHandle<()> {
        let state = self.state.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(METRICS_FLUSH);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    _ = tick.tick() => {}
                    _ = &mut stop => return,
                }
                if let Err(err) = state.metrics.flush(&state.db).await {
                    tracing::warn!(error = ?err, "metrics flush failed; retrying next second");
                }
            }
        })
    }

    /// Rate-limit sweeping, and unless in [`Background::Manual`] folding the heatmap log in,
    /// the heatmap snapshots (per business day), the retention purge (hourly) and, on
    /// PostgreSQL, merging the search index's pending list: safe to abort at any point (each
    /// statement is atomic).
    fn spawn_background_tasks(&self) -> Vec<tokio::task::JoinHandle<()>> {
        let limits = self.state.limits.clone();
        let sweeper = tokio::spawn(async move {
            let mut tick = tokio::time::interval(http::RATE_LIMIT_SWEEP);
            loop {
                tick.tick().await;
                limits.forget_idle();
            }
        });
        if self.background == Background::Manual {
            return vec![sweeper];
        }
        let state = self.state.clone();
        let purger = tokio::spawn(async move {
            let mut tick = tokio::time::interval(METRICS_PURGE);
            loop {
                tick.tick().await;
                let days = state.config.metrics_retention_days;
                if let Err(err) =
                    metrics::retention::purge(&state.db, &state.clock, days, values::now()).await
                {
                    tracing::warn!(error = ?err, "metrics retention purge failed");
                }
            }
        });
        let state = self.state.clone();
        let compactor = tokio::spawn(async move {
            let mut tick = tokio::time::interval(metrics::cell_log::COMPACTION_INTERVAL);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                if let Err(err) = metrics::cell_log::compact(&state.db).await {
                    tracing::warn!(error = ?err, "folding the heatmap log in failed");
                }
            }
        });
        let state = self.state.clone();
        let snapshots = tokio::spawn(async move {
            let mut tick = tokio::time::interval(METRICS_SNAPSHOT_CHECK);
            loop {
                tick.tick().await;
                if let Err(err) =
                    metrics::snapshot::rebuild_if_stale(&state.db, &state.clock, values::now())
                        .await
                {
                    tracing::warn!(error = ?err, "heatmap snapshot rebuild failed");
                }
            }
        });
        let mut tasks = vec![sweeper, purger, compactor, snapshots];
        if self.state.db.get_database_backend() == sea_orm::DbBackend::Postgres {
            let merger = self.search_merger.clone();
            tasks.push(tokio::spawn(merger.run(self.state.db.clone())));
        }
        tasks
    }

    /// A fresh production server prints the one-time code that first-run registration needs,
    /// and only while no admin exists.
    async fn announce_setup_code(&self) {
        if !self.state.config.app_env.is_production() {
            return;
        }
        match admins::any_exists(&self.state.db).await {
            Ok(false) => tracing::warn!(
                setup_code = %admins::setup::code(self.state.jwt.secret()),
                "no admin yet: open /admin/ and enter this setup code to create the owner \
                 account, or run `server create-admin`"
            ),
            Ok(true) => {}
            Err(err) => tracing::warn!(error = ?err, "cannot tell whether an admin exists"),
        }
    }

    /// Serves until `shutdown` resolves; then finishes requests in flight and closes the pool.
    pub async fn run_until(
        mut self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let mut background = self.spawn_background_tasks();
        background.extend(self.event_relay.take());
        let (stop_flusher, flusher_stop) = tokio::sync::oneshot::channel();
        let flusher = match self.background {
            Background::Scheduled => Some(self.spawn_metrics_flusher(flusher_stop)),
            Background::Manual => None,
        };
        let notifications = self.notifier.take().map(Notifier::spawn);
        tracing::info!(addr = %self.local_addr()?, env = ?self.state.config.app_env, "listening");
        self.announce_setup_code().await;
        let transport = self.state.config.transport;
        let served = http::serve(self.listener, self.router, transport, shutdown).await;
        // Every HTTP request has been answered, but one whose client went away may have left
        // its batch or order with a writer: applied now, its metrics counted by the flush
        // below. Meanwhile a message being sent finishes (within its timeout) and is recorded;
        // the two side by side, so the flush is not put off by both bounds.
        let writers = async {
            let drained = tokio::time::timeout(SHUTDOWN_DRAIN, async {
                tokio::join!(self.state.visits.drain(), self.state.orders.drain())
            });
            if drained.await.is_err() {
                // Unacknowledged work only: its requests have gone or their answers were lost.
                tracing::error!(
                    "the writers had not finished after {SHUTDOWN_DRAIN:?}; what they still \
                     hold fails as the pool closes, or is stored without its statistics"
                );
            }
        };
        let notifications = async {
            if let Some(notifications) = notifications {
                notifications.stop().await;
            }
        };
        for task in background {
            task.abort();
        }
        tokio::join!(writers, notifications);
        // A flush in progress finishes; then what the aggregator still holds is written before
        // the pool closes.
        let _ = stop_flusher.send(());
        if let Some(flusher) = flusher {
            let _ = flusher.await;
        }
        match self.state.metrics.flush(&self.state.db).await {
            Ok(report) => tracing::info!(rows = report.rows, "flushed metrics on shutdown"),
            Err(err) => tracing::error!(error = ?err, "could not flush metrics on shutdown"),
        }
        // Not needed (the log is on disk and any replica folds it in), but leaves a stopped
        // server's database tidy, and lets a build from before the log take over. Bounded: a
        // fold cut short changes nothing (each statement is atomic).
        match tokio::time::timeout(SHUTDOWN_FOLD, metrics::cell_log::compact(&self.state.db)).await
        {
            Ok(Ok(_)) => {}
            Ok(Err(err)) => tracing::warn!(error = ?err, "could not fold the heatmap log in"),
            Err(_) => tracing::warn!("folding the heatmap log in on shutdown timed out"),
        }
        if let Err(err) = self.state.db.close_by_ref().await {
            tracing::warn!(%err, "closing the database pool");
        }
        served.context("serving HTTP")
    }
}
