//! Applying batches. Many requests' batches are applied together, in one transaction (see
//! [`writer`]): the visits they touch are read once and locked (`FOR UPDATE` on PostgreSQL; an
//! immediate transaction on SQLite), every batch is applied in memory in arrival order —
//! batches of one visit therefore serialise without retries — and the changed rows are written
//! back with one multi-row statement for new visits and one for the rest. An acknowledged batch
//! is on disk: answers go out after the commit. The hot counters then go to the aggregator.
//!
//! A batch applies at most once: its `seq` must not be among those its visit has applied
//! (`AppliedSeqs`).

use std::{
    collections::{BTreeSet, HashMap},
    sync::Arc,
};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, QuerySelect, SqliteTransactionMode, TransactionOptions,
    TransactionTrait,
    sea_query::{CaseStatement, OnConflict},
};
use uuid::Uuid;

use super::{
    Aggregator, Batch, BusinessClock, aggregator::Pending, buckets, day_elements::OTHER_ELEMENTS,
};
use crate::{
    db::{
        WriteTurns,
        entities::{
            lead,
            order_slot::SLOT_SECONDS,
            visit::{self, ClickMap},
        },
    },
    error::{AppError, AppResult, Reason},
    group_commit::GroupCommit,
};

/// A visit's engaged time is capped at a day: a tab left open for a week is not engagement.
const MAX_VISIT_SECONDS: i32 = 86_400;
/// What a visit may credit is bounded by the wall time since its first batch, plus this: one
/// batch's worth (the first batch covers the time before it; networks delay batches).
const WALL_SLACK_SECONDS: i64 = super::batch::MAX_ENGAGED_SECONDS as i64;
/// Clicks a visit may credit per second of wall time: far above any person's.
const CLICKS_PER_SECOND: i64 = 10;
/// Network jitter a batch's field focus may exceed the time since the visit's last batch by.
const FOCUS_SLACK_MS: i64 = 1000;
/// Cursor points a visit may credit per second of wall time (the tracker samples at most 10).
const POINTS_PER_SECOND: i64 = 20;
/// Different clicked elements kept per visit; the rest count as [`OTHER_ELEMENTS`].
const MAX_VISIT_ELEMENTS: usize = 200;
/// Times a group is applied again because another replica created one of its new visits
/// between our read and our insert. Each time, that visit exists (and is locked) when read
/// again, so only a fresh race on a different new visit can repeat it.
const INSERT_RACES: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Applied,
    /// Already applied earlier (a retry or a duplicate): acknowledged, nothing changed.
    Duplicate,
}

/// A validated batch and when it arrived (which day it counts for, how much wall time its
/// visit has had).
#[derive(Debug, Clone)]
pub struct Arrival {
    pub batch: Batch,
    pub now: DateTime<Utc>,
}

/// Applies tracker batches for requests, many per transaction (see `group_commit`); the
/// batches of one visit go to one writer.
#[derive(Clone)]
pub struct VisitWriter(GroupCommit<Arrival, Outcome>);

/// Writers applying batches side by side: one group's round trips overlap another's.
const WRITERS: usize = 2;

impl VisitWriter {
    /// Starts the writers; on SQLite each group waits for its turn among the writers.
    pub fn spawn(
        db: DatabaseConnection,
        clock: BusinessClock,
        aggregator: Arc<Aggregator>,
        turns: WriteTurns,
    ) -> Self {
        // SQLite has one writer at a time anyway.
        let writers = match db.get_database_backend() {
            DbBackend::Sqlite => 1,
            _ => WRITERS,
        };
        Self(GroupCommit::spawn(
            "visit",
            writers,
            move |arrivals: Vec<Arrival>| {
                let (db, aggregator, turns) = (db.clone(), aggregator.clone(), turns.clone());
                async move {
                    // Held through the late orders' link too: it writes.
                    let _turn = turns.take().await;
                    apply_all(&db, &clock, &aggregator, &arrivals).await
                }
            },
        ))
    }

    /// Applies `batch`; answers once it is on disk.
    pub async fn apply(&self, batch: Batch, now: DateTime<Utc>) -> AppResult<Outcome> {
        let key = batch.visit_id.as_u64_pair().1;
        self.0.submit(key, Arrival { batch, now }).await
    }

    /// Applies every batch handed over so far and stops (see `GroupCommit::drain`).
    pub async fn drain(&self) {
        self.0.drain().await;
    }

    /// Resolves once a drain has begun (the server is stopping).
    pub async fn draining(&self) {
        self.0.draining().await;
    }
}

/// Applies one batch on its own (the demo seeder; requests go through the writer).
pub async fn apply(
    db: &DatabaseConnection,
    clock: &BusinessClock,
    aggregator: &Aggregator,
    batch: &Batch,
    now: DateTime<Utc>,
) -> AppResult<Outcome> {
    let arrival = Arrival {
        batch: batch.clone(),
        now,
    };
    let mut outcomes = apply_all(db, clock, aggregator, std::slice::from_ref(&arrival)).await?;
    outcomes.pop().expect("one outcome per arrival")
}

/// Applies `arrivals` in order, in one transaction. The outer error means nothing was applied
/// (the database failed); otherwise each batch has its own outcome: applied, a duplicate, or
/// refused (a visit id used by another visitor) without affecting the others.
#[tracing::instrument(skip_all, fields(batches = arrivals.len()))]
pub async fn apply_all(
    db: &DatabaseConnection,
    clock: &BusinessClock,
    aggregator: &Aggregator,
    arrivals: &[Arrival],
) -> AppResult<Vec<AppResult<Outcome>>> {
    for _ in 0..INSERT_RACES {
        let Some(applied) = try_apply_all(db, clock, arrivals).await? else {
            tracing::debug!("a new visit was created by another replica meanwhile: re-applying");
            continue;
        };
        aggregator.merge(applied.deltas);
        link_late_orders(db, aggregator, &applied.unlinked).await?;
        return Ok(applied.outcomes);
    }
    Err(AppError::internal(anyhow::anyhow!(
        "new visits kept being created by other replicas after {INSERT_RACES} attempts"
    )))
}

/// What a committed group leaves to do.
struct Applied {
    outcomes: Vec<AppResult<Outcome>>,
    deltas: Pending,
    /// New visits with no order linked yet.
    unlinked: Vec<Uuid>,
}

/// A visit of the group as it stands in memory.
struct Slot {
    row: visit::Model,
    /// Not stored yet: inserted at the end.
    new: bool,
    changed: bool,
}

/// `None` when another replica inserted one of the new visits first (nothing was written).
async fn try_apply_all(
    db: &DatabaseConnection,
    clock: &BusinessClock,
    arrivals: &[Arrival],
) -> AppResult<Option<Applied>> {
    // Immediate on SQLite: the write lock is taken at BEGIN, so nothing can change the rows
    // between our read and our write. PostgreSQL locks the rows read instead.
    let txn = db
        .begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..Default::default()
        })
        .await?;
    // Locked in id order, so two replicas locking overlapping groups cannot deadlock.
    let ids: BTreeSet<Uuid> = arrivals.iter().map(|a| a.batch.visit_id).collect();
    let stored = visit::Entity::find()
        .filter(visit::Column::Id.is_in(ids.iter().copied()))
        .order_by_asc(visit::Column::Id)
        .lock_exclusive()
        .all(&txn)
        .await?;
    let mut slots: HashMap<Uuid, Slot> = stored
        .into_iter()
        .map(|row| {
            let slot = Slot {
                row,
                new: false,
                changed: false,
            };
            (slot.row.id, slot)
        })
        .collect();
    let mut visits_so_far = visits_of_new_visitors(&txn, arrivals, &slots).await?;

    let mut deltas = Pending::default();
    let outcomes = arrivals
        .iter()
        .map(
            |Arrival { batch, now }| match slots.get_mut(&batch.visit_id) {
                Some(slot) => {
                    let outcome =
                        next_batch(&mut slot.row, batch, clock.date(*now), *now, &mut deltas);
                    slot.changed |= matches!(outcome, Ok(Outcome::Applied));
                    outcome
                }
                None => {
                    let visits = visits_so_far.entry(batch.visitor_id).or_insert(0);
                    *visits += 1;
                    let number = i32::try_from(*visits).unwrap_or(i32::MAX);
                    let row = first_batch(batch, clock.date(*now), *now, number, &mut deltas);
                    slots.insert(
                        batch.visit_id,
                        Slot {
                            row,
                            new: true,
                            changed: true,
                        },
                    );
                    Ok(Outcome::Applied)
                }
            },
        )
        .collect();

    let (mut created, mut updated): (Vec<_>, Vec<_>) = slots
        .into_values()
        .filter(|slot| slot.changed)
        .partition(|slot| slot.new);
    created.sort_by_key(|slot| slot.row.id);
    updated.sort_by_key(|slot| slot.row.id);
    let unlinked: Vec<Uuid> = created.iter().map(|slot| slot.row.id).collect();
    if !created.is_empty() {
        let expected = created.len() as u64;
        let inserted = visit::Entity::insert_many(
            created.into_iter().map(|slot| slot.row.into_active_model()),
        )
        .on_conflict(
            OnConflict::column(visit::Column::Id)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
        if inserted < expected {
            txn.rollback().await?;
            return Ok(None);
        }
    }
    if !updated.is_empty() {
        use visit::Column::*;
        visit::Entity::insert_many(updated.into_iter().map(|slot| slot.row.into_active_model()))
            .on_conflict(
                OnConflict::column(Id)
                    .update_columns([
                        EngagedSeconds,
                        Clicks,
                        LastSeq,
                        AppliedSeqs,
                        LastSeenAt,
                        LastField,
                        Points,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(Some(Applied {
        outcomes,
        deltas,
        unlinked,
    }))
}

/// How many visits each visitor with a new visit in the group has had so far (the new visits
/// are numbered on from there: a second visit counts as returning).
async fn visits_of_new_visitors(
    txn: &impl ConnectionTrait,
    arrivals: &[Arrival],
    stored: &HashMap<Uuid, Slot>,
) -> AppResult<HashMap<Uuid, i64>> {
    let visitors: BTreeSet<Uuid> = arrivals
        .iter()
        .filter(|a| !stored.contains_key(&a.batch.visit_id))
        .map(|a| a.batch.visitor_id)
        .collect();
    if visitors.is_empty() {
        return Ok(HashMap::new());
    }
    let counts: Vec<(Uuid, i64)> = visit::Entity::find()
        .select_only()
        .column(visit::Column::VisitorId)
        .column_as(visit::Column::Id.count(), "visits")
        .filter(visit::Column::VisitorId.is_in(visitors))
        .group_by(visit::Column::VisitorId)
        .into_tuple()
        .all(txn)
        .await?;
    Ok(counts.into_iter().collect())
}

/// The quarter hour (`visit_slots`) a visit that started at `at` is counted in.
fn slot_of(at: DateTime<Utc>) -> i64 {
    at.timestamp().div_euclid(SLOT_SECONDS)
}

/// A visit's first batch makes its row. It counts as not converted: an order sent before it is
/// linked right after the commit (`link_late_orders`), which moves the counters on.
fn first_batch(
    batch: &Batch,
    day: NaiveDate,
    now: DateTime<Utc>,
    visit_number: i32,
    deltas: &mut Pending,
) -> visit::Model {
    let batch = &Credit::within(WALL_SLACK_SECONDS, 0, 0, 0)
        .focus_within(WALL_SLACK_SECONDS * 1000)
        .apply(batch);
    let page = &batch.page;
    let daily = deltas.daily.entry((page.clone(), day)).or_default();
    daily.visits += 1;
    daily.engaged_seconds += i64::from(batch.engaged_seconds);
    daily.returning_visits += i64::from(visit_number > 1);
    let slot = deltas
        .slots
        .entry((page.clone(), slot_of(now)))
        .or_default();
    slot.visits += 1;
    slot.engaged_seconds += i64::from(batch.engaged_seconds);
    *deltas
        .buckets
        .entry((page.clone(), day, buckets::bucket(batch.engaged_seconds)))
        .or_default() += 1;
    if let Some(field) = &batch.last_field {
        deltas
            .fields
            .entry((page.clone(), day, field.clone()))
            .or_default()
            .abandonments += 1;
    }
    record_events(deltas, page, day, day, batch);
    visit::Model {
        id: batch.visit_id,
        visitor_id: batch.visitor_id,
        page: batch.page.to_string(),
        day,
        first_seen_at: now,
        last_seen_at: now,
        engaged_seconds: batch.engaged_seconds,
        clicks: ClickMap(batch.clicks.clone()),
        viewport_width: batch.viewport_width,
        viewport_height: batch.viewport_height,
        viewport_class: batch.viewport_class,
        visit_number,
        last_seq: batch.seq,
        applied_seqs: 1,
        last_field: batch.last_field.clone(),
        lead_id: None,
        points: batch.points(),
    }
}

/// A later batch of a visit changes its row in memory and records what that adds up to.
fn next_batch(
    row: &mut visit::Model,
    batch: &Batch,
    arrival_day: NaiveDate,
    now: DateTime<Utc>,
    deltas: &mut Pending,
) -> AppResult<Outcome> {
    if row.visitor_id != batch.visitor_id {
        return Err(AppError::validation(
            "visitId",
            Reason::NotYours,
            "This visit belongs to another visitor",
        ));
    }
    let Some(seqs) = AppliedSeqs::of(row).apply(batch.seq) else {
        return Ok(Outcome::Duplicate);
    };
    let newest = batch.seq > row.last_seq;
    let clicks = &mut row.clicks.0;
    let wall = (now - row.first_seen_at).num_seconds().max(0) + WALL_SLACK_SECONDS;
    let batch = &Credit::within(
        wall,
        i64::from(row.engaged_seconds),
        clicks.values().sum(),
        row.points,
    )
    // A field is focused in a batch no longer than since the visit's last batch (plus a second
    // of network jitter): summed over the visit, about its wall time.
    .focus_within((now - row.last_seen_at).num_milliseconds().max(0) + FOCUS_SLACK_MS)
    .apply(batch);
    let engaged = row
        .engaged_seconds
        .saturating_add(batch.engaged_seconds)
        .min(MAX_VISIT_SECONDS);
    for (element, count) in &batch.clicks {
        // A page has a few dozen clickable things; clicks beyond this many different ones are
        // counted together, so a row stays small.
        let key = if clicks.contains_key(element) || clicks.len() < MAX_VISIT_ELEMENTS {
            element.clone()
        } else {
            OTHER_ELEMENTS.to_owned()
        };
        *clicks.entry(key).or_insert(0) += count;
    }
    // A late (overtaken) batch does not know the newest last field.
    let last_field = if newest {
        batch.last_field.clone().or_else(|| row.last_field.clone())
    } else {
        row.last_field.clone().or_else(|| batch.last_field.clone())
    };

    let (page, day) = (&Arc::<str>::from(row.page.as_str()), row.day);
    deltas
        .daily
        .entry((page.clone(), day))
        .or_default()
        .engaged_seconds += i64::from(engaged - row.engaged_seconds);
    deltas
        .slots
        .entry((page.clone(), slot_of(row.first_seen_at)))
        .or_default()
        .engaged_seconds += i64::from(engaged - row.engaged_seconds);
    let (old, new) = (
        buckets::bucket(row.engaged_seconds),
        buckets::bucket(engaged),
    );
    if old != new {
        *deltas.buckets.entry((page.clone(), day, old)).or_default() -= 1;
        *deltas.buckets.entry((page.clone(), day, new)).or_default() += 1;
    }
    if row.lead_id.is_none() && last_field != row.last_field {
        if let Some(old) = &row.last_field {
            deltas
                .fields
                .entry((page.clone(), day, old.clone()))
                .or_default()
                .abandonments -= 1;
        }
        if let Some(new) = &last_field {
            deltas
                .fields
                .entry((page.clone(), day, new.clone()))
                .or_default()
                .abandonments += 1;
        }
    }
    record_events(deltas, page, day, arrival_day, batch);

    row.engaged_seconds = engaged;
    row.last_seq = seqs.last;
    row.applied_seqs = seqs.bits;
    row.last_seen_at = now;
    row.last_field = last_field;
    row.points += batch.points();
    Ok(Outcome::Applied)
}

/// An order sent before its visit's first batch found no visit to link to: link it now that
/// the visit is committed. (An order sent after the commit links itself; whichever links
/// first counts, the other changes nothing.)
async fn link_late_orders(
    db: &DatabaseConnection,
    aggregator: &Aggregator,
    visits: &[Uuid],
) -> AppResult<()> {
    if visits.is_empty() {
        return Ok(());
    }
    let orders: Vec<(Uuid, Uuid)> = lead::Entity::find()
        .select_only()
        .column(lead::Column::VisitId)
        .column(lead::Column::Id)
        .filter(lead::Column::VisitId.is_in(visits.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;
    link_orders(db, aggregator, &orders).await
}

/// The seqs a visit has applied: the newest, and a window of the 64 up to it (bit i is seq
/// `last - i`). Batches may arrive out of order (a page-hide flush overtakes a batch still
/// out); each applies once. A batch more than 63 behind the newest counts as applied: the
/// tracker never has that many out at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct AppliedSeqs {
    last: i32,
    bits: i64,
}

impl AppliedSeqs {
    fn of(row: &visit::Model) -> Self {
        Self {
            last: row.last_seq,
            bits: row.applied_seqs,
        }
    }

    /// The window with `seq` applied, or `None` when it already was.
    fn apply(self, seq: i32) -> Option<Self> {
        let bits = self.bits as u64;
        if seq > self.last {
            let shift = u32::try_from(i64::from(seq) - i64::from(self.last)).unwrap_or(u32::MAX);
            let moved = bits.checked_shl(shift).unwrap_or(0);
            return Some(Self {
                last: seq,
                bits: (moved | 1) as i64,
            });
        }
        let behind = u32::try_from(i64::from(self.last) - i64::from(seq)).unwrap_or(u32::MAX);
        let bit = 1u64.checked_shl(behind).filter(|_| behind < 64)?;
        (bits & bit == 0).then_some(Self {
            last: self.last,
            bits: (bits | bit) as i64,
        })
    }
}

/// What a batch may add to its visit, given the visit's wall time so far (seconds, slack
/// included) and what the visit has already credited. Nobody can inflate statistics faster
/// than time passes: engaged seconds beyond the wall time are not credited, nor focus on the
/// form's fields beyond the time since the visit's last batch, and a batch whose clicks or
/// cursor points would exceed the visit's per-second bound credits none of them (the batch is
/// still acknowledged: a retry would not fare better).
struct Credit {
    engaged_seconds: i64,
    clicks: i64,
    points: i64,
    /// Focused milliseconds and focuses the batch's fields may credit, all of them together
    /// (one field is focused at a time).
    focused_ms: i64,
    focuses: i64,
}

impl Credit {
    fn within(wall_seconds: i64, engaged: i64, clicks: i64, points: i64) -> Self {
        Self {
            engaged_seconds: (wall_seconds - engaged).max(0),
            clicks: (wall_seconds * CLICKS_PER_SECOND - clicks).max(0),
            points: (wall_seconds * POINTS_PER_SECOND - points).max(0),
            focused_ms: 0,
            focuses: 0,
        }
    }

    /// The fields may credit `ms` of focus, and as many focuses as clicks in that time.
    fn focus_within(self, ms: i64) -> Self {
        Self {
            focused_ms: ms,
            focuses: (ms / 1000 + 1) * CLICKS_PER_SECOND,
            ..self
        }
    }

    fn apply(&self, batch: &Batch) -> Batch {
        let mut credited = batch.clone();
        credited.engaged_seconds = i64::from(batch.engaged_seconds)
            .min(self.engaged_seconds)
            .try_into()
            .unwrap_or(0);
        if batch.clicks.values().sum::<i64>() > self.clicks {
            credited.clicks.clear();
        }
        if batch.points() > self.points {
            credited.cells.clear();
        }
        let (mut focused_ms, mut focuses) = (self.focused_ms, self.focuses);
        for field in &mut credited.fields {
            field.focused_ms = field.focused_ms.min(focused_ms);
            field.focuses = field.focuses.min(focuses);
            focused_ms -= field.focused_ms;
            focuses -= field.focuses;
        }
        credited
    }
}

/// Clicks and form fields count for the visit's day, like the visit itself. Cursor points
/// count for the day they arrive: then a finished business day never changes again, and the
/// heatmap snapshots can cover every day before today (see `snapshot`).
fn record_events(
    p: &mut Pending,
    page: &Arc<str>,
    visit_day: NaiveDate,
    arrival_day: NaiveDate,
    batch: &Batch,
) {
    let day = visit_day;
    let class = batch.viewport_class;
    if !batch.cells.is_empty() {
        let cells = p
            .cells
            .entry((page.clone(), class, arrival_day))
            .or_default();
        for (&cell, &n) in &batch.cells {
            *cells.entry(cell).or_default() += n;
        }
    }
    for (element, &n) in &batch.clicks {
        *p.clicks
            .entry((page.clone(), day, element.clone()))
            .or_default() += n;
    }
    for field in &batch.fields {
        let totals = p
            .fields
            .entry((page.clone(), day, field.name.clone()))
            .or_default();
        totals.focuses += field.focuses;
        totals.focused_ms += field.focused_ms;
    }
}

/// Links orders to the visits that produced them (visit, order): those visits now count as
/// converted, and their last touched fields are no longer abandonments. A visit links to one
/// order only; visits with no batch yet link when their first one arrives.
#[tracing::instrument(skip_all, fields(links = links.len()))]
pub async fn link_orders(
    db: &DatabaseConnection,
    aggregator: &Aggregator,
    links: &[(Uuid, Uuid)],
) -> AppResult<()> {
    let mut order_of = CaseStatement::new();
    let mut visits = BTreeSet::new();
    for &(visit_id, lead_id) in links {
        // Two orders of one visit in a group: the first links.
        if visits.insert(visit_id) {
            order_of = order_of.case(visit::Column::Id.eq(visit_id), Some(lead_id));
        }
    }
    if visits.is_empty() {
        return Ok(());
    }
    // The rows as the link left them (RETURNING): their last fields are the ones these visits
    // counted as abandoned. A group applying batches to a visit holds its row (locked, or the
    // SQLite write lock) until it commits, so the link sees the row after those batches.
    let linked = visit::Entity::update_many()
        .col_expr(visit::Column::LeadId, order_of.into())
        .filter(visit::Column::Id.is_in(visits))
        .filter(visit::Column::LeadId.is_null())
        .exec_with_returning(db)
        .await?;
    if linked.is_empty() {
        return Ok(());
    }
    let mut deltas = Pending::default();
    for row in linked {
        deltas
            .daily
            .entry((Arc::from(row.page.as_str()), row.day))
            .or_default()
            .converted_visits += 1;
        if let Some(field) = row.last_field {
            deltas
                .fields
                .entry((Arc::from(row.page.as_str()), row.day, field))
                .or_default()
                .abandonments -= 1;
        }
    }
    aggregator.merge(deltas);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::AppliedSeqs;

    fn window(last: i32, bits: i64) -> AppliedSeqs {
        AppliedSeqs { last, bits }
    }

    #[test]
    fn each_seq_applies_once_in_any_order() {
        let first = window(1, 1);
        assert_eq!(first.apply(1), None);
        let third = first.apply(3).unwrap();
        assert_eq!(third, window(3, 0b101));
        let second = third.apply(2).unwrap();
        assert_eq!(second, window(3, 0b111));
        assert_eq!(second.apply(2), None);
        assert_eq!(second.apply(3), None);
        assert_eq!(second.apply(1), None);
    }

    #[test]
    fn far_jumps_and_far_stragglers() {
        // Rows from before the window existed: everything up to last_seq counts as applied.
        assert_eq!(window(10, -1).apply(3), None);
        let jumped = window(1, 1).apply(1000).unwrap();
        assert_eq!(jumped, window(1000, 1));
        assert!(jumped.apply(1000 - 63).is_some());
        assert_eq!(
            jumped.apply(1000 - 64),
            None,
            "beyond the window: taken as applied"
        );
        assert_eq!(window(i32::MAX, 1).apply(1), None);
        assert_eq!(window(1, 1).apply(i32::MAX), Some(window(i32::MAX, 1)));
    }
}
