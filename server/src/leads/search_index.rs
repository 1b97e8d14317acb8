//! The orders' trigram search index (PostgreSQL), merged apart from the orders.
//!
//! A GIN index takes a new row's entries into a pending list, unordered, and merges the list
//! into the index proper in one go. Left to PostgreSQL, the insert that finds the list over
//! its limit does the merge, inside the order writer's statement: that group's orders and
//! every order queued behind it wait for it (20-36 ms at the 1 MB list of migration 24, most of
//! the orders bench's p99). So the order writer counts the orders it stores
//! ([`Merger::added`]), and once [`MERGE_EVERY`] are pending a task of its own merges the list
//! on its own connection (`gin_clean_pending_list`) while the writer goes on appending; fewer
//! are merged [`MERGE_IDLE`] after the first of them. The index's own limit (migration 27)
//! stays as a safety net for writers no merger counts (the CLI's demo orders, a merger that
//! fell behind).
//!
//! A merge that runs beside the writer chases the list's tail: it merges what was appended
//! meanwhile too, in smaller and costlier batches, so it is started late. Under the orders
//! bench, merging every 1,024 orders wrote 15-20 KB of WAL an order, every 4,096 8-9 KB
//! (against 12 KB with PostgreSQL's own merges at 1 MB), at the same orders a second.
//! A search reads the pending list whole (unindexed): at a real desk's pace that is the last
//! ten seconds' orders, and only a flood of orders makes it thousands.
//!
//! SQLite has no such index: the task is not started there, and the count is never read.

use std::{
    future::Future,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use tokio::sync::{Notify, watch};

use crate::error::{AppError, AppResult};

/// Orders stored before their entries are merged.
pub const MERGE_EVERY: usize = 4_096;

/// How long a few pending orders wait for their merge when no more come.
pub const MERGE_IDLE: Duration = Duration::from_secs(10);

/// Counts the orders stored since the last merge and wakes the task that merges. Cheap to
/// clone: the clones share one count.
#[derive(Clone)]
pub struct Merger(Arc<Shared>);

struct Shared {
    every: usize,
    idle: Duration,
    pending: AtomicUsize,
    /// The first order since the last merge: its idle wait starts.
    first: Notify,
    /// `every` orders since the last merge.
    full: Notify,
    /// Merges completed since the start.
    merges: watch::Sender<u64>,
}

impl Merger {
    /// Merges once `every` orders were stored, or `idle` after the first of fewer.
    pub fn new(every: usize, idle: Duration) -> Self {
        Self(Arc::new(Shared {
            every: every.max(1),
            idle,
            pending: AtomicUsize::new(0),
            first: Notify::new(),
            full: Notify::new(),
            merges: watch::Sender::new(0),
        }))
    }

    /// `orders` more were stored (called by the order writer after each group).
    pub fn added(&self, orders: usize) {
        let before = self.0.pending.fetch_add(orders, Ordering::Relaxed);
        if before == 0 {
            self.0.first.notify_one();
        }
        if before < self.0.every && before + orders >= self.0.every {
            self.0.full.notify_one();
        }
    }

    /// Merges completed since the start.
    pub fn merges(&self) -> u64 {
        *self.0.merges.borrow()
    }

    /// Returns once `count` merges have completed since the start.
    pub async fn merged(&self, count: u64) {
        // The sender lives in `self`: the wait cannot see it closed.
        let _ = self.0.merges.subscribe().wait_for(|m| *m >= count).await;
    }

    /// Merges the search index's pending list as orders come, until aborted (a merge cut
    /// short loses nothing: the entries stay in the list). A failed merge is logged; the
    /// index's own limit still bounds the list.
    pub async fn run(self, db: DatabaseConnection) {
        self.run_with(|| merge(&db)).await;
    }

    async fn run_with<F, Fut>(self, mut merge: F)
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = AppResult<i64>>,
    {
        let pending = || self.0.pending.load(Ordering::Relaxed);
        loop {
            // A wake-up left over from before the last merge only makes these re-check.
            while pending() == 0 {
                self.0.first.notified().await;
            }
            let deadline = tokio::time::Instant::now() + self.0.idle;
            while pending() < self.0.every {
                if tokio::time::timeout_at(deadline, self.0.full.notified())
                    .await
                    .is_err()
                {
                    break;
                }
            }
            let orders = self.0.pending.swap(0, Ordering::Relaxed);
            match merge().await {
                Ok(pages) => {
                    self.0.merges.send_modify(|m| *m += 1);
                    tracing::debug!(orders, pages, "merged the search index's pending list");
                }
                Err(err) => {
                    tracing::warn!(error = ?err, orders, "could not merge the search index's pending list");
                }
            }
        }
    }
}

/// Merges the search index's pending list into the index; returns the list's pages that
/// were emptied (0: nothing was pending). PostgreSQL only.
pub async fn merge(db: &DatabaseConnection) -> AppResult<i64> {
    let row = db
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT gin_clean_pending_list('idx_applications_search'::regclass) AS pages",
        ))
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("gin_clean_pending_list: no row")))?;
    Ok(row.try_get("", "pages")?)
}

#[cfg(test)]
mod tests {
    use super::*;

    const IDLE: Duration = Duration::from_secs(10);

    /// A merger with `every` and [`IDLE`] whose task only counts its merges.
    fn started(every: usize) -> Merger {
        let merger = Merger::new(every, IDLE);
        tokio::spawn(merger.clone().run_with(|| async { Ok(0) }));
        merger
    }

    /// Lets the task run until it waits again (time is paused: nothing else moves it).
    async fn settle() {
        for _ in 0..10 {
            tokio::task::yield_now().await;
        }
    }

    #[tokio::test(start_paused = true)]
    async fn merges_once_the_threshold_is_crossed() {
        let merger = started(10);
        merger.added(4);
        merger.added(5);
        settle().await;
        assert_eq!(merger.merges(), 0, "9 of 10 orders");
        merger.added(3);
        settle().await;
        assert_eq!(merger.merges(), 1, "crossed at 12");
        assert_eq!(
            merger.0.pending.load(Ordering::Relaxed),
            0,
            "the count was taken"
        );
        merger.added(10);
        settle().await;
        assert_eq!(merger.merges(), 2, "a new count crosses again");
    }

    #[tokio::test(start_paused = true)]
    async fn merges_a_few_orders_once_they_waited_the_idle_time() {
        let merger = started(10);
        settle().await;
        tokio::time::advance(IDLE * 3).await;
        settle().await;
        assert_eq!(merger.merges(), 0, "nothing pending, nothing merged");
        merger.added(1);
        settle().await;
        tokio::time::advance(IDLE - Duration::from_secs(1)).await;
        merger.added(1);
        settle().await;
        assert_eq!(merger.merges(), 0, "2 orders, before the idle time");
        tokio::time::advance(Duration::from_secs(1)).await;
        settle().await;
        assert_eq!(merger.merges(), 1, "the idle time after the first order");
        // The next order starts a new wait.
        merger.added(1);
        settle().await;
        tokio::time::advance(IDLE - Duration::from_secs(1)).await;
        settle().await;
        assert_eq!(merger.merges(), 1);
        tokio::time::advance(Duration::from_secs(1)).await;
        settle().await;
        assert_eq!(merger.merges(), 2);
    }
}
