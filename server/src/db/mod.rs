//! Database connection (PostgreSQL or SQLite, picked by URL), entities and migrations.

pub mod entities;

use std::{
    path::Path,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use anyhow::Context as _;
use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ColumnTrait, ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend,
    sea_query::{Expr, ExprTrait, extension::postgres::PgFunc},
};
use tokio::sync::watch;

/// Connects and makes sure a SQLite file's folder exists. SQLite gets WAL (readers never block
/// the writer) and a busy timeout so concurrent writers queue instead of failing.
pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    Ok(connect_counted(url, None).await?.0)
}

/// Counts statements on a connection and warns about slow ones.
#[derive(Clone, Default)]
pub struct QueryCounter(Arc<AtomicU64>);

impl QueryCounter {
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

const SLOW_QUERY: Duration = Duration::from_millis(500);
/// A pooled connection idle at least this long is pinged before use.
const IDLE_BEFORE_PING: Duration = Duration::from_secs(1);

/// Prepared statements kept per connection. Group commits write many rows per statement, so
/// they make a statement text per group size (up to 256 rows of 17 values: some 40 KB with
/// its metadata); with sqlx's default of 100 per connection, 20 connections held tens of
/// megabytes of statements that are seldom used twice. The statements the API runs over and
/// over are far fewer than this.
const STATEMENT_CACHE: usize = 32;

/// Like [`connect`], with a counter of the statements it runs and, on PostgreSQL, an optional
/// per-statement timeout: a stuck lock or a runaway query then answers `INTERNAL` instead of
/// holding a request (and a pool connection) forever. Migrations use a pool without it.
pub async fn connect_counted(
    url: &str,
    statement_timeout: Option<Duration>,
) -> anyhow::Result<(DatabaseConnection, QueryCounter)> {
    if let Some(dir) = sqlite_file(url)
        .and_then(|path| Path::new(path).parent())
        .filter(|dir| !dir.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("creating the database folder {}", dir.display()))?;
    }
    let mut options = ConnectOptions::new(url);
    options
        .max_connections(if url.starts_with("sqlite:") { 8 } else { 20 })
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(10))
        // sqlx pings a connection when it goes back to the pool (always) and, by default,
        // again when it is taken out: a round trip before every statement. Taken out after
        // less than a second idle, it was just checked on its way in.
        .test_before_acquire_if_idle_for(IDLE_BEFORE_PING)
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|opts| {
            opts.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
                .create_if_missing(true)
                .statement_cache_capacity(STATEMENT_CACHE)
        });
    let statement_timeout = statement_timeout.map(|timeout| timeout.as_millis().to_string());
    options.map_sqlx_postgres_opts(move |opts| {
        let opts = opts.statement_cache_capacity(STATEMENT_CACHE);
        match &statement_timeout {
            Some(millis) => opts.options([("statement_timeout", millis.as_str())]),
            None => opts,
        }
    });
    let mut db = Database::connect(options)
        .await
        .with_context(|| format!("connecting to {}", crate::config::redact_url(url)))?;
    let counter = QueryCounter::default();
    let count = counter.0.clone();
    db.set_metric_callback(move |info| {
        count.fetch_add(1, Ordering::Relaxed);
        if info.elapsed > SLOW_QUERY {
            // The SQL only: the bound values are people's data (names, emails, hashes).
            tracing::warn!(elapsed_ms = info.elapsed.as_millis() as u64, sql = %info.statement.sql, "slow query");
        }
    });
    Ok((db, counter))
}

/// Whose turn it is to write, on SQLite. SQLite has one writer at a time, and a connection that
/// finds the lock taken polls for it with growing sleeps (1, 2, 5, ... up to 100 ms each): it
/// may wait up to 100 ms past the lock's release, and a writer that is back at once (the
/// tracker's, under load) can keep another (the metrics flush) waiting through many of its
/// turns. Under the bench's tracker load that made a tenth of the batches wait 150-320 ms. The
/// writers that run all the time (tracker batches, orders, the metrics flush) therefore queue
/// here, served in arrival order, and find the lock free; rarer writes (an admin's, the daily
/// jobs') still wait on SQLite's busy timeout. PostgreSQL locks rows: no turns there.
#[derive(Clone, Debug, Default)]
pub struct WriteTurns(Option<Turns>);

#[derive(Debug)]
struct TurnsInner {
    turn: Arc<tokio::sync::Mutex<()>>,
    /// Writers waiting for their turn.
    waiting: watch::Sender<u64>,
}

type Turns = Arc<TurnsInner>;

/// Counts a writer as waiting while it lives (a dropped wait counts out too).
struct Waiting<'a>(&'a watch::Sender<u64>);

impl<'a> Waiting<'a> {
    fn enter(count: &'a watch::Sender<u64>) -> Self {
        count.send_modify(|n| *n += 1);
        Self(count)
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.send_modify(|n| *n -= 1);
    }
}

impl WriteTurns {
    pub fn for_database(db: &DatabaseConnection) -> Self {
        Self::for_backend(db.get_database_backend())
    }

    fn for_backend(backend: DbBackend) -> Self {
        match backend {
            DbBackend::Sqlite => Self(Some(Arc::new(TurnsInner {
                turn: Arc::default(),
                waiting: watch::Sender::new(0),
            }))),
            _ => Self(None),
        }
    }

    /// Waits for the caller's turn (none needed on PostgreSQL); it lasts until the guard is
    /// dropped. Not reentrant: whoever holds a turn must not wait for another.
    pub async fn take(&self) -> Option<tokio::sync::OwnedMutexGuard<()>> {
        let turns = self.0.as_ref()?;
        let _waiting = Waiting::enter(&turns.waiting);
        Some(turns.turn.clone().lock_owned().await)
    }

    /// Writers waiting for their turn now (always 0 on PostgreSQL).
    pub fn waiting(&self) -> u64 {
        self.0.as_ref().map_or(0, |turns| *turns.waiting.borrow())
    }

    /// Resolves once exactly `writers` writers wait for their turn (at once for 0 on
    /// PostgreSQL, never for more).
    pub async fn until_waiting(&self, writers: u64) {
        match &self.0 {
            Some(turns) => {
                // Never an error: `turns` holds the sender.
                let _ = turns.waiting.subscribe().wait_for(|n| *n == writers).await;
            }
            None if writers == 0 => {}
            None => std::future::pending().await,
        }
    }
}

/// Key of the PostgreSQL advisory lock that lets one replica at a time migrate.
const MIGRATION_LOCK: i64 = 0x4f72_6465_7244_736b; // "OrderDsk"

/// Applies pending migrations. Replicas started together (`--scale server=3`, an update) must
/// not race on the same DDL: on PostgreSQL the first takes a session lock and migrates, the
/// others wait for it and then find nothing left to do. (SQLite is one process's file.)
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    if db.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
        return Migrator::up(db, None)
            .await
            .context("applying database migrations");
    }
    use sea_orm::sqlx;
    // The lock belongs to a session: hold one connection of the pool for its whole life.
    let mut session = db
        .get_postgres_connection_pool()
        .acquire()
        .await
        .context("a connection for the migration lock")?;
    sqlx::query("SELECT pg_advisory_lock($1)")
        .bind(MIGRATION_LOCK)
        .execute(&mut *session)
        .await
        .context("taking the migration lock")?;
    let migrated = Migrator::up(db, None)
        .await
        .context("applying database migrations");
    let unlocked = sqlx::query("SELECT pg_advisory_unlock($1)")
        .bind(MIGRATION_LOCK)
        .execute(&mut *session)
        .await;
    if unlocked.is_err() {
        // Never hand a connection that may still hold the lock back to the pool.
        session.detach();
    }
    migrated
}

/// `SELECT 1`: does the database answer?
pub async fn ping(db: &DatabaseConnection) -> bool {
    db.execute_unprepared("SELECT 1").await.is_ok()
}

/// `column IN (values)`; on PostgreSQL `column = ANY($1)` with the values as one array, so the
/// statement's text does not change with how many there are: it stays among the connection's
/// prepared statements instead of being parsed, planned and evicted again for each new count.
///
/// Only for small tables. After five runs PostgreSQL may keep a generic plan for the
/// connection's life, and one made while the table was nearly empty scans it: on the orders'
/// fingerprint lookup (a fresh database filling fast, autovacuum off) that read 4 million rows
/// in a 12-second load. A lookup into a big table keeps `IN`, planned with its values.
pub fn one_of<C, V>(backend: DbBackend, column: C, values: Vec<V>) -> Expr
where
    C: ColumnTrait,
    V: Into<sea_orm::Value>,
    Vec<V>: Into<sea_orm::Value>,
{
    match backend {
        DbBackend::Postgres => Expr::col(column).eq(PgFunc::any(Expr::val(values))),
        _ => column.is_in(values),
    }
}

fn sqlite_file(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && path != ":memory:").then_some(path)
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use sea_orm::DbBackend;

    use super::WriteTurns;

    /// On SQLite a writer waits while another holds its turn, and the waiting are served in
    /// the order they came; on PostgreSQL nobody waits.
    #[tokio::test]
    async fn sqlite_writers_take_turns_in_arrival_order() {
        assert!(
            WriteTurns::for_backend(DbBackend::Postgres)
                .take()
                .await
                .is_none()
        );
        let turns = WriteTurns::for_backend(DbBackend::Sqlite);
        let held = turns.take().await.expect("a turn on SQLite");
        let served = Arc::new(Mutex::new(Vec::new()));
        let mut writers = Vec::new();
        for writer in 0..3 {
            let (turns, served) = (turns.clone(), served.clone());
            writers.push(tokio::spawn(async move {
                let _turn = turns.take().await;
                served.lock().unwrap().push(writer);
            }));
            // One thread: the writer just spawned runs until it waits for its turn.
            tokio::task::yield_now().await;
        }
        assert!(
            served.lock().unwrap().is_empty(),
            "a writer went while a turn was held"
        );
        drop(held);
        for writer in writers {
            writer.await.unwrap();
        }
        assert_eq!(*served.lock().unwrap(), [0, 1, 2]);
    }
}
