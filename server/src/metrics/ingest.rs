//! Applying a batch: the visit row is written first (so an acknowledged batch is on disk),
//! then the hot counters go to the aggregator. A batch applies at most once: its `seq` must
//! not be among those the visit has applied (`AppliedSeqs`), and the row is updated only if
//! nobody else updated it since it was read (optimistic concurrency; a lost race re-reads and
//! tries again).

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QuerySelect, sea_query::OnConflict,
};
use uuid::Uuid;

use super::{Aggregator, Batch, BusinessClock, buckets};
use crate::{
    db::entities::{
        lead,
        visit::{self, ClickMap},
    },
    error::{AppError, AppResult, Reason},
};

/// A visit's engaged time is capped at a day: a tab left open for a week is not engagement.
const MAX_VISIT_SECONDS: i32 = 86_400;
/// What a visit may credit is bounded by the wall time since its first batch, plus this: one
/// batch's worth (the first batch covers the time before it; networks delay batches).
const WALL_SLACK_SECONDS: i64 = super::batch::MAX_ENGAGED_SECONDS as i64;
/// Clicks a visit may credit per second of wall time: far above any person's.
const CLICKS_PER_SECOND: i64 = 10;
/// Cursor points a visit may credit per second of wall time (the tracker samples at most 10).
const POINTS_PER_SECOND: i64 = 20;
const ATTEMPTS: usize = 5;
/// Different clicked elements kept per visit; the rest count as [`OTHER_ELEMENTS`].
const MAX_VISIT_ELEMENTS: usize = 200;
const OTHER_ELEMENTS: &str = "(other)";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Applied,
    /// Already applied earlier (a retry or a duplicate): acknowledged, nothing changed.
    Duplicate,
}

#[tracing::instrument(skip_all, fields(visit = %batch.visit_id, seq = batch.seq))]
pub async fn apply(
    db: &DatabaseConnection,
    clock: &BusinessClock,
    aggregator: &Aggregator,
    batch: &Batch,
    now: DateTime<Utc>,
) -> AppResult<Outcome> {
    for _ in 0..ATTEMPTS {
        let existing = visit::Entity::find_by_id(batch.visit_id).one(db).await?;
        let outcome = match existing {
            None => insert_visit(db, clock, aggregator, batch, now).await?,
            Some(row) => update_visit(db, clock, aggregator, batch, row, now).await?,
        };
        if let Some(outcome) = outcome {
            return Ok(outcome);
        }
    }
    Err(AppError::internal(anyhow::anyhow!(
        "visit {} stayed contended after {ATTEMPTS} attempts",
        batch.visit_id
    )))
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

/// `None` when another request inserted the visit first: the caller re-reads.
async fn insert_visit(
    db: &DatabaseConnection,
    clock: &BusinessClock,
    aggregator: &Aggregator,
    batch: &Batch,
    now: DateTime<Utc>,
) -> AppResult<Option<Outcome>> {
    let earlier_visits = visit::Entity::find()
        .filter(visit::Column::VisitorId.eq(batch.visitor_id))
        .count(db)
        .await?;
    let visit_number = i32::try_from(earlier_visits + 1).unwrap_or(i32::MAX);
    // The order may have been sent before the first batch arrived.
    let lead_id = order_of_visit(db, batch.visit_id).await?;
    let day = clock.date(now);
    let batch = &Credit::within(WALL_SLACK_SECONDS, 0, 0, 0).apply(batch);
    let row = visit::ActiveModel {
        id: Set(batch.visit_id),
        visitor_id: Set(batch.visitor_id),
        page: Set(batch.page.clone()),
        day: Set(day),
        first_seen_at: Set(now),
        last_seen_at: Set(now),
        engaged_seconds: Set(batch.engaged_seconds),
        clicks: Set(ClickMap(batch.clicks.clone())),
        viewport_width: Set(batch.viewport_width),
        viewport_height: Set(batch.viewport_height),
        viewport_class: Set(batch.viewport_class),
        visit_number: Set(visit_number),
        last_seq: Set(batch.seq),
        applied_seqs: Set(1),
        last_field: Set(batch.last_field.clone()),
        lead_id: Set(lead_id),
        points: Set(batch.points()),
    };
    let inserted = visit::Entity::insert(row)
        .on_conflict(
            OnConflict::column(visit::Column::Id)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    if inserted == 0 {
        return Ok(None);
    }
    let page = batch.page.clone();
    aggregator.record(|p| {
        let daily = p.daily.entry((page.clone(), day)).or_default();
        daily.visits += 1;
        daily.engaged_seconds += i64::from(batch.engaged_seconds);
        daily.returning_visits += i64::from(visit_number > 1);
        daily.converted_visits += i64::from(lead_id.is_some());
        *p.buckets
            .entry((page.clone(), day, buckets::bucket(batch.engaged_seconds)))
            .or_default() += 1;
        if let (Some(field), None) = (&batch.last_field, lead_id) {
            p.fields
                .entry((page.clone(), day, field.clone()))
                .or_default()
                .abandonments += 1;
        }
        record_events(p, &page, day, day, batch);
    });
    // An order sent between the look-up above and the insert found no visit to link to: link
    // it now. (Whichever of the two links first counts; the other changes nothing.)
    if lead_id.is_none()
        && let Some(order) = order_of_visit(db, batch.visit_id).await?
    {
        link_order(db, aggregator, batch.visit_id, order).await?;
    }
    Ok(Some(Outcome::Applied))
}

async fn order_of_visit(db: &DatabaseConnection, visit_id: Uuid) -> AppResult<Option<Uuid>> {
    Ok(lead::Entity::find()
        .select_only()
        .column(lead::Column::Id)
        .filter(lead::Column::VisitId.eq(visit_id))
        .into_tuple()
        .one(db)
        .await?)
}

/// `None` when the row changed since it was read: the caller re-reads.
async fn update_visit(
    db: &DatabaseConnection,
    clock: &BusinessClock,
    aggregator: &Aggregator,
    batch: &Batch,
    row: visit::Model,
    now: DateTime<Utc>,
) -> AppResult<Option<Outcome>> {
    if row.visitor_id != batch.visitor_id {
        return Err(AppError::validation(
            "visitId",
            Reason::NotYours,
            "This visit belongs to another visitor",
        ));
    }
    let Some(seqs) = AppliedSeqs::of(&row).apply(batch.seq) else {
        return Ok(Some(Outcome::Duplicate));
    };
    let newest = batch.seq > row.last_seq;
    let mut clicks = row.clicks.0.clone();
    let wall = (now - row.first_seen_at).num_seconds().max(0) + WALL_SLACK_SECONDS;
    let batch = &Credit::within(
        wall,
        i64::from(row.engaged_seconds),
        clicks.values().sum(),
        row.points,
    )
    .apply(batch);
    let engaged = row
        .engaged_seconds
        .saturating_add(batch.engaged_seconds)
        .min(MAX_VISIT_SECONDS);
    for (element, count) in &batch.clicks {
        // The row is rewritten on every batch: a page has a few dozen clickable things, and
        // clicks beyond this many different ones are counted together.
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
    let updated = visit::Entity::update_many()
        .col_expr(visit::Column::EngagedSeconds, engaged.into())
        .col_expr(visit::Column::Clicks, ClickMap(clicks).into())
        .col_expr(visit::Column::LastSeq, seqs.last.into())
        .col_expr(visit::Column::AppliedSeqs, seqs.bits.into())
        .col_expr(visit::Column::LastSeenAt, now.into())
        .col_expr(visit::Column::LastField, last_field.clone().into())
        .col_expr(visit::Column::Points, (row.points + batch.points()).into())
        .filter(visit::Column::Id.eq(row.id))
        .filter(visit::Column::LastSeq.eq(row.last_seq))
        .filter(visit::Column::AppliedSeqs.eq(row.applied_seqs))
        // An order linked since the read changes who counts the abandonment: re-read.
        .filter(match row.lead_id {
            Some(order) => visit::Column::LeadId.eq(order),
            None => visit::Column::LeadId.is_null(),
        })
        .exec(db)
        .await?;
    if updated.rows_affected == 0 {
        return Ok(None);
    }
    let (page, day) = (row.page.clone(), row.day);
    let arrival_day = clock.date(now);
    aggregator.record(|p| {
        p.daily
            .entry((page.clone(), day))
            .or_default()
            .engaged_seconds += i64::from(engaged - row.engaged_seconds);
        let (old, new) = (
            buckets::bucket(row.engaged_seconds),
            buckets::bucket(engaged),
        );
        if old != new {
            *p.buckets.entry((page.clone(), day, old)).or_default() -= 1;
            *p.buckets.entry((page.clone(), day, new)).or_default() += 1;
        }
        if row.lead_id.is_none() && last_field != row.last_field {
            if let Some(old) = &row.last_field {
                p.fields
                    .entry((page.clone(), day, old.clone()))
                    .or_default()
                    .abandonments -= 1;
            }
            if let Some(new) = &last_field {
                p.fields
                    .entry((page.clone(), day, new.clone()))
                    .or_default()
                    .abandonments += 1;
            }
        }
        record_events(p, &page, day, arrival_day, batch);
    });
    Ok(Some(Outcome::Applied))
}

/// What a batch may add to its visit, given the visit's wall time so far (seconds, slack
/// included) and what the visit has already credited. Nobody can inflate statistics faster
/// than time passes: engaged seconds beyond the wall time are not credited, and a batch whose
/// clicks or cursor points would exceed the visit's per-second bound credits none of them
/// (the batch is still acknowledged: a retry would not fare better).
struct Credit {
    engaged_seconds: i64,
    clicks: i64,
    points: i64,
}

impl Credit {
    fn within(wall_seconds: i64, engaged: i64, clicks: i64, points: i64) -> Self {
        Self {
            engaged_seconds: (wall_seconds - engaged).max(0),
            clicks: (wall_seconds * CLICKS_PER_SECOND - clicks).max(0),
            points: (wall_seconds * POINTS_PER_SECOND - points).max(0),
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
        credited
    }
}

/// Clicks and form fields count for the visit's day, like the visit itself. Cursor points
/// count for the day they arrive: then a finished business day never changes again, and the
/// heatmap snapshots can cover every day before today (see `snapshot`).
fn record_events(
    p: &mut super::aggregator::Pending,
    page: &str,
    visit_day: NaiveDate,
    arrival_day: NaiveDate,
    batch: &Batch,
) {
    let day = visit_day;
    let class = batch.viewport_class;
    for (&(x, y), &n) in &batch.cells {
        *p.cells
            .entry((page.to_owned(), class, arrival_day, x, y))
            .or_default() += n;
    }
    for (element, &n) in &batch.clicks {
        *p.clicks
            .entry((page.to_owned(), day, element.clone()))
            .or_default() += n;
    }
    for field in &batch.fields {
        let totals = p
            .fields
            .entry((page.to_owned(), day, field.name.clone()))
            .or_default();
        totals.focuses += field.focuses;
        totals.focused_ms += field.focused_ms;
    }
}

/// Links an order to the visit that produced it: the visit now counts as converted, and its
/// last touched field is no longer an abandonment. A visit links to one order only.
#[tracing::instrument(skip(db, aggregator))]
pub async fn link_order(
    db: &DatabaseConnection,
    aggregator: &Aggregator,
    visit_id: Uuid,
    lead_id: Uuid,
) -> AppResult<()> {
    // The row as the link left it (RETURNING): its last field is the one this visit counted
    // as abandoned. A batch that read the row before the link fails its compare-and-set on
    // `lead_id` and re-reads, so it cannot move the last field under us.
    let linked = visit::Entity::update_many()
        .col_expr(visit::Column::LeadId, Some(lead_id).into())
        .filter(visit::Column::Id.eq(visit_id))
        .filter(visit::Column::LeadId.is_null())
        .exec_with_returning(db)
        .await?;
    // None: no batch yet (it will link on arrival) or already linked.
    if let Some(row) = linked.into_iter().next() {
        aggregator.record(|p| {
            p.daily
                .entry((row.page.clone(), row.day))
                .or_default()
                .converted_visits += 1;
            if let Some(field) = &row.last_field {
                p.fields
                    .entry((row.page.clone(), row.day, field.clone()))
                    .or_default()
                    .abandonments -= 1;
            }
        });
    }
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
