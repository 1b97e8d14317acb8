//! Filters known to match more than [`COUNT_CAP`](super::list::COUNT_CAP) leads.
//!
//! A capped count of a common search reads 1,001 matching rows — at a million orders tens of
//! milliseconds, far more than the page of 50 beside it — and every reload, every page of the
//! same search and every refresh after a new order would read them again. Yet "more than
//! 1,000" is a lower bound that new orders can only keep true. It turns false only when
//! matches go away: a lead deleted, marked spam, moved to another status, or rescored into
//! another priority. So this server remembers which filters were over the cap, and forgets
//! them all whenever one of its own admins deletes, marks spam or moves a lead (see the
//! mutations in `graphql::leads`). A deleted service takes every order out of its filter at
//! once: that filter's first page is empty, which is its own exact total, so nothing is
//! counted or remembered.
//!
//! Writers this server does not see — another replica, the CLI's `rescore` and `demo`, a
//! Telegram "take" press (one order at a time, which can only matter at exactly 1,001) — are
//! caught by the age limit: a filter is remembered for [`MAX_AGE`] at most, then counted
//! again. The exact counts below the cap, and the maintained ones, are never remembered.
//!
//! Requests for the same filter count one at a time ([`OverCap::gate`]): when a panel full of
//! tabs reloads a common search at once, one of them counts and the rest take its answer,
//! instead of each reading the same thousand rows side by side.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, MutexGuard, PoisonError},
    time::{Duration, Instant},
};

use super::LeadFilter;

/// How long a remembered "more than the cap" may stand without a recount.
pub const MAX_AGE: Duration = Duration::from_secs(60);

/// Distinct filters remembered at once (an admin's searches; a scripted client's cannot grow
/// it past this).
const CAPACITY: usize = 512;

#[derive(Debug, Default)]
pub struct OverCap {
    inner: Mutex<Inner>,
    /// A gate per filter being counted now.
    counting: Mutex<HashMap<LeadFilter, Arc<tokio::sync::Mutex<()>>>>,
}

/// Held while counting a filter; other counts of it wait.
pub struct Gate<'a> {
    memo: &'a OverCap,
    filter: &'a LeadFilter,
    gate: Arc<tokio::sync::Mutex<()>>,
}

impl Gate<'_> {
    pub async fn enter(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.gate.lock().await
    }
}

impl Drop for Gate<'_> {
    fn drop(&mut self) {
        let mut counting = lock(&self.memo.counting);
        // The map's and ours: nobody else holds it or waits for it any more.
        if Arc::strong_count(&self.gate) == 2 {
            counting.remove(self.filter);
        }
    }
}

#[derive(Debug, Default)]
struct Inner {
    /// When each filter was last counted over the cap.
    seen: HashMap<LeadFilter, Instant>,
    /// Bumped by [`OverCap::forget_all`]: a count that started before it is not remembered.
    generation: u64,
}

/// Taken before counting, handed back with the result: a count whose snapshot may predate
/// a removal is not remembered.
#[derive(Debug, Clone, Copy)]
pub struct Ticket(u64);

impl OverCap {
    /// Whether `filter` was counted over the cap within [`MAX_AGE`], with nothing removed
    /// since.
    pub fn holds(&self, filter: &LeadFilter) -> bool {
        let inner = self.lock();
        inner
            .seen
            .get(filter)
            .is_some_and(|at| at.elapsed() < MAX_AGE)
    }

    /// The gate of `filter`'s count, shared with every count of it under way.
    pub fn gate<'a>(&'a self, filter: &'a LeadFilter) -> Gate<'a> {
        let gate = lock(&self.counting)
            .entry(filter.clone())
            .or_default()
            .clone();
        Gate {
            memo: self,
            filter,
            gate,
        }
    }

    pub fn ticket(&self) -> Ticket {
        Ticket(self.lock().generation)
    }

    /// `filter` was just counted over the cap, by a count that started with `ticket`.
    pub fn remember(&self, filter: &LeadFilter, ticket: Ticket) {
        let mut inner = self.lock();
        if inner.generation != ticket.0 {
            return;
        }
        if inner.seen.len() >= CAPACITY && !inner.seen.contains_key(filter) {
            inner.seen.retain(|_, at| at.elapsed() < MAX_AGE);
            if inner.seen.len() >= CAPACITY {
                inner.seen.clear();
            }
        }
        inner.seen.insert(filter.clone(), Instant::now());
    }

    /// Leads went away (or changed view): no remembered filter is trusted any more.
    pub fn forget_all(&self) {
        let mut inner = self.lock();
        inner.seen.clear();
        inner.generation += 1;
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        lock(&self.inner)
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Nothing in here can panic half-way through a change; a poisoned lock's data is whole.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn search(text: &str) -> LeadFilter {
        LeadFilter {
            search: Some(text.to_owned()),
            ..LeadFilter::default()
        }
    }

    #[test]
    fn a_removal_forgets_every_filter_and_the_counts_in_flight() {
        let memo = OverCap::default();
        let ticket = memo.ticket();
        memo.remember(&search("иван"), ticket);
        assert!(memo.holds(&search("иван")));
        assert!(!memo.holds(&search("мария")));

        let in_flight = memo.ticket();
        memo.forget_all();
        assert!(!memo.holds(&search("иван")));
        // Counted from a snapshot that may hold the removed leads: not remembered.
        memo.remember(&search("мария"), in_flight);
        assert!(!memo.holds(&search("мария")));
        memo.remember(&search("мария"), memo.ticket());
        assert!(memo.holds(&search("мария")));
    }

    #[test]
    fn it_never_holds_more_than_its_capacity() {
        let memo = OverCap::default();
        for i in 0..CAPACITY * 3 {
            memo.remember(&search(&format!("слово {i}")), memo.ticket());
            assert!(memo.lock().seen.len() <= CAPACITY);
        }
        assert!(memo.holds(&search(&format!("слово {}", CAPACITY * 3 - 1))));
    }

    #[tokio::test]
    async fn counts_of_one_filter_take_turns_and_leave_no_gate_behind() {
        let memo = OverCap::default();
        let (ivan, maria) = (search("иван"), search("мария"));
        let first = memo.gate(&ivan);
        let entered = first.enter().await;
        let second = memo.gate(&ivan);
        assert!(second.gate.try_lock().is_err(), "the second count waits");
        let other = memo.gate(&maria);
        assert!(other.gate.try_lock().is_ok(), "another filter does not");
        drop(entered);
        drop(first);
        assert!(second.gate.try_lock().is_ok());
        drop((second, other));
        assert!(lock(&memo.counting).is_empty());
    }
}
