//! Statistics read the day rollups of the window (a few hundred rows at most), never visits
//! or raw points: their cost does not grow with traffic.

use std::{cmp::Ordering, collections::HashMap};

use chrono::{DateTime, NaiveDate, NaiveDateTime, Timelike, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait,
    sea_query::{Alias, Expr, ExprTrait as _, Func, Query, SelectStatement},
};
use uuid::Uuid;

use super::{
    BusinessClock, HEATMAP_COLUMNS, HEATMAP_ROW_HEIGHT, ViewportClass, buckets, cell_log,
    clock::format_day,
    heatmap_store,
    snapshot::{self, SnapshotCache},
};
use crate::{
    db::entities::{
        click_daily, engagement_bucket, field_daily, heatmap_snapshot,
        order_slot::{self, SLOT_SECONDS},
        visit, visit_daily, visit_slot,
    },
    error::{AppError, AppResult, Reason},
};

pub const MAX_DAYS: u32 = 366;
/// The fixed periods of the headline cards: today, the last 7 and the last 30 days.
const PERIODS: [u32; 3] = [1, 7, 30];

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Period<T> {
    pub day: T,
    pub week: T,
    pub month: T,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DailyActivity {
    pub date: NaiveDate,
    pub visits: i64,
    pub orders: i64,
    pub average_engaged_seconds: f64,
}

/// One point of the activity chart: an hour of today for a 1-day window, else a day.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityBucket {
    /// Where the bucket starts, on the business time zone's wall clock.
    pub start: NaiveDateTime,
    /// 1 (an hour) or 24 (a day).
    pub hours: u32,
    pub visits: i64,
    pub orders: i64,
    pub average_engaged_seconds: f64,
}

/// The headline figures of the chosen window.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WindowSummary {
    pub visits: i64,
    pub average_time_on_page: f64,
    pub median_time_on_page: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FieldStat {
    pub field: String,
    pub focuses: i64,
    pub average_seconds: f64,
    pub abandonments: i64,
}

#[derive(Debug, Clone)]
pub struct MetricStats {
    pub average_time_on_page: Period<f64>,
    pub median_time_on_page: Period<f64>,
    pub visits: Period<i64>,
    pub summary: WindowSummary,
    pub returning_visitor_share: f64,
    pub conversion_rate: f64,
    pub activity: Vec<DailyActivity>,
    pub series: Vec<ActivityBucket>,
    pub top_clicks: Vec<(String, i64)>,
    pub form_fields: Vec<FieldStat>,
}

#[derive(Debug, Clone)]
pub struct Heatmap {
    pub columns: i32,
    pub row_height: i32,
    pub max_count: i64,
    pub cells: Vec<(i32, i32, i64)>,
}

#[derive(Debug, Clone)]
pub struct VisitSummary {
    pub engaged_seconds: i32,
    pub visit_number: i32,
    pub clicks: Vec<(String, i64)>,
    pub viewport_class: ViewportClass,
    pub first_seen_at: DateTime<Utc>,
}

pub fn check_days(days: i32) -> AppResult<u32> {
    u32::try_from(days)
        .ok()
        .filter(|d| (1..=MAX_DAYS).contains(d))
        .ok_or_else(|| {
            AppError::validation(
                "days",
                Reason::OutOfRange,
                format!("Must be between 1 and {MAX_DAYS}"),
            )
            .with("min", 1)
            .with("max", MAX_DAYS)
        })
}

fn ratio(part: i64, whole: i64) -> f64 {
    if whole > 0 {
        part as f64 / whole as f64
    } else {
        0.0
    }
}

#[tracing::instrument(skip(db, clock))]
pub async fn metric_stats(
    db: &DatabaseConnection,
    clock: &BusinessClock,
    page: &str,
    days: u32,
    now: DateTime<Utc>,
) -> AppResult<MetricStats> {
    let span = Ord::max(days, 30);
    let all_days = clock.last_days(now, span);
    let first_day = all_days.first().copied().unwrap_or_else(|| clock.date(now));
    let window: Vec<NaiveDate> = all_days[all_days.len().saturating_sub(days as usize)..].to_vec();
    let window_start = window.first().copied().unwrap_or(first_day);

    let daily: HashMap<NaiveDate, visit_daily::Model> = visit_daily::Entity::find()
        .filter(visit_daily::Column::Page.eq(page))
        .filter(visit_daily::Column::Day.gte(first_day))
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.day, row))
        .collect();
    let histogram: Vec<engagement_bucket::Model> = engagement_bucket::Entity::find()
        .filter(engagement_bucket::Column::Page.eq(page))
        .filter(engagement_bucket::Column::Day.gte(first_day))
        .all(db)
        .await?;

    let last_n =
        |n: u32| -> &[NaiveDate] { &all_days[all_days.len().saturating_sub(n as usize)..] };
    let sum = |days: &[NaiveDate], f: fn(&visit_daily::Model) -> i64| -> i64 {
        days.iter().filter_map(|d| daily.get(d)).map(f).sum()
    };
    let period = |n: u32| {
        let days = last_n(n);
        let visits = sum(days, |r| r.visits);
        let engaged = sum(days, |r| r.engaged_seconds);
        let hist: Vec<(i32, i64)> = histogram
            .iter()
            .filter(|b| days.first().is_some_and(|first| b.day >= *first))
            .map(|b| (b.bucket, b.visits))
            .collect();
        (
            visits,
            ratio(engaged, visits),
            buckets::median(&hist).unwrap_or(0.0),
        )
    };
    let [(v1, a1, m1), (v7, a7, m7), (v30, a30, m30)] = PERIODS.map(period);
    let (visits, average_time_on_page, median_time_on_page) = period(days);
    let summary = WindowSummary {
        visits,
        average_time_on_page,
        median_time_on_page,
    };

    let window_visits = sum(&window, |r| r.visits);

    // Orders of the window, filed by their local day: counted per quarter hour by the
    // database (`order_slots`), so this reads at most 96 rows a day however many orders came.
    let window_from = window.first().map_or(now, |d| clock.start_of(*d));
    let slots: Vec<(i64, i64)> = order_slot::Entity::find()
        .select_only()
        .column(order_slot::Column::Slot)
        .column_as(
            Expr::col(order_slot::Column::N)
                .sum()
                .cast_as(Alias::new("BIGINT")),
            "n",
        )
        .filter(order_slot::Column::Slot.gte(window_from.timestamp().div_euclid(SLOT_SECONDS)))
        .group_by(order_slot::Column::Slot)
        .into_tuple()
        .all(db)
        .await?;
    let mut orders_by_day: HashMap<NaiveDate, i64> = HashMap::new();
    for &(slot, n) in &slots {
        if let Some(at) = DateTime::from_timestamp(slot * SLOT_SECONDS, 0) {
            *orders_by_day.entry(clock.date(at)).or_default() += n;
        }
    }
    let activity: Vec<DailyActivity> = window
        .iter()
        .map(|date| {
            let row = daily.get(date);
            let visits = row.map_or(0, |r| r.visits);
            DailyActivity {
                date: *date,
                visits,
                orders: orders_by_day.get(date).copied().unwrap_or(0),
                average_engaged_seconds: ratio(row.map_or(0, |r| r.engaged_seconds), visits),
            }
        })
        .collect();
    let series = if days == 1 {
        hourly(db, clock, page, window_from, now, &slots).await?
    } else {
        activity
            .iter()
            .map(|d| ActivityBucket {
                start: d.date.and_time(chrono::NaiveTime::MIN),
                hours: 24,
                visits: d.visits,
                orders: d.orders,
                average_engaged_seconds: d.average_engaged_seconds,
            })
            .collect()
    };

    // CAST keeps the sum an integer on PostgreSQL too (SUM(bigint) is numeric there).
    let total = || {
        Expr::col(click_daily::Column::Count)
            .sum()
            .cast_as(Alias::new("BIGINT"))
    };
    let top_clicks: Vec<(String, i64)> = click_daily::Entity::find()
        .select_only()
        .column(click_daily::Column::Element)
        .column_as(total(), "total")
        .filter(click_daily::Column::Page.eq(page))
        .filter(click_daily::Column::Day.gte(window_start))
        .group_by(click_daily::Column::Element)
        .order_by_desc(total())
        .order_by_asc(click_daily::Column::Element)
        .limit(10)
        .into_tuple()
        .all(db)
        .await?;

    let field_rows = field_daily::Entity::find()
        .filter(field_daily::Column::Page.eq(page))
        .filter(field_daily::Column::Day.gte(window_start))
        .all(db)
        .await?;
    let mut fields: HashMap<String, (i64, i64, i64)> = HashMap::new();
    for row in field_rows {
        let entry = fields.entry(row.field).or_default();
        entry.0 += row.focuses;
        entry.1 += row.focused_ms;
        entry.2 += row.abandonments;
    }
    let mut form_fields: Vec<FieldStat> = fields
        .into_iter()
        .map(|(field, (focuses, ms, abandonments))| FieldStat {
            field,
            focuses,
            average_seconds: ratio(ms, focuses) / 1000.0,
            abandonments: Ord::max(abandonments, 0),
        })
        .collect();
    form_fields.sort_by(|a, b| {
        b.abandonments
            .cmp(&a.abandonments)
            .then(b.focuses.cmp(&a.focuses))
            .then(a.field.cmp(&b.field))
    });

    Ok(MetricStats {
        average_time_on_page: Period {
            day: a1,
            week: a7,
            month: a30,
        },
        median_time_on_page: Period {
            day: m1,
            week: m7,
            month: m30,
        },
        visits: Period {
            day: v1,
            week: v7,
            month: v30,
        },
        summary,
        returning_visitor_share: ratio(sum(&window, |r| r.returning_visits), window_visits),
        conversion_rate: ratio(sum(&window, |r| r.converted_visits), window_visits),
        activity,
        series,
        top_clicks,
        form_fields,
    })
}

/// Today by the hour, from local midnight to the current hour: visits from `visit_slots` and
/// orders from the order slots already read, both per quarter hour, summed into local hours.
async fn hourly(
    db: &DatabaseConnection,
    clock: &BusinessClock,
    page: &str,
    from: DateTime<Utc>,
    now: DateTime<Utc>,
    order_slots: &[(i64, i64)],
) -> AppResult<Vec<ActivityBucket>> {
    let first = from.timestamp().div_euclid(SLOT_SECONDS);
    let visit_slots: Vec<(i64, i64, i64)> = visit_slot::Entity::find()
        .select_only()
        .column(visit_slot::Column::Slot)
        .column(visit_slot::Column::Visits)
        .column(visit_slot::Column::EngagedSeconds)
        .filter(visit_slot::Column::Page.eq(page))
        .filter(visit_slot::Column::Slot.gte(first))
        .into_tuple()
        .all(db)
        .await?;
    Ok(hour_buckets(clock, from, now, &visit_slots, order_slots))
}

/// Local hours from `from` (a local midnight) up to the hour of `now`, each with the visits,
/// engaged seconds and orders of its quarter-hour slots. A slot outside the range is left out;
/// an hour that occurs twice (a DST change) is one bucket.
pub fn hour_buckets(
    clock: &BusinessClock,
    from: DateTime<Utc>,
    now: DateTime<Utc>,
    visit_slots: &[(i64, i64, i64)],
    order_slots: &[(i64, i64)],
) -> Vec<ActivityBucket> {
    let hour_of = |at: DateTime<Utc>| {
        let local = clock.local(at);
        local
            .date()
            .and_hms_opt(local.hour(), 0, 0)
            .unwrap_or(local)
    };
    let (first, last) = (hour_of(from), hour_of(now));
    let mut buckets: Vec<ActivityBucket> = Vec::new();
    let mut at = from;
    while at <= now {
        let start = hour_of(at);
        if buckets.last().is_none_or(|b| b.start < start) {
            buckets.push(ActivityBucket {
                start,
                hours: 1,
                visits: 0,
                orders: 0,
                average_engaged_seconds: 0.0,
            });
        }
        at += chrono::Duration::seconds(SLOT_SECONDS);
    }
    let mut engaged: HashMap<NaiveDateTime, i64> = HashMap::new();
    let slot_hour = |slot: i64| {
        DateTime::from_timestamp(slot * SLOT_SECONDS, 0)
            .map(hour_of)
            .filter(|h| (first..=last).contains(h))
    };
    let mut visits: HashMap<NaiveDateTime, i64> = HashMap::new();
    for &(slot, n, seconds) in visit_slots {
        if let Some(hour) = slot_hour(slot) {
            *visits.entry(hour).or_default() += n;
            *engaged.entry(hour).or_default() += seconds;
        }
    }
    let mut orders: HashMap<NaiveDateTime, i64> = HashMap::new();
    for &(slot, n) in order_slots {
        if let Some(hour) = slot_hour(slot) {
            *orders.entry(hour).or_default() += n;
        }
    }
    for bucket in &mut buckets {
        bucket.visits = visits.get(&bucket.start).copied().unwrap_or(0);
        bucket.orders = orders.get(&bucket.start).copied().unwrap_or(0);
        bucket.average_engaged_seconds = ratio(
            engaged.get(&bucket.start).copied().unwrap_or(0),
            bucket.visits,
        );
    }
    buckets
}

#[tracing::instrument(skip(db, clock, snapshots))]
pub async fn heatmap(
    db: &DatabaseConnection,
    clock: &BusinessClock,
    snapshots: &SnapshotCache,
    page: &str,
    days: u32,
    viewport: ViewportClass,
    now: DateTime<Utc>,
) -> AppResult<Heatmap> {
    let today = clock.date(now);
    let start = clock.last_days(now, days).first().copied().unwrap_or(today);
    // Every flushed point of this heatmap is in the cells once its log is folded in. Should
    // the fold fail, the heatmap is still shown: without the last seconds' points, which the
    // next fold brings.
    if let Err(err) = cell_log::compact_heatmap(db, page, viewport).await {
        tracing::warn!(error = ?err, "folding the heatmap log in before a read failed");
    }
    let (anchor, generation) = if snapshot::WINDOWS.contains(&days) {
        snapshot::state(db).await?
    } else {
        Default::default()
    };
    let use_snapshot = anchor == format_day(today);
    // With a snapshot, only today is read from the per-day rows.
    let live_start = if use_snapshot {
        snapshot::live_from(clock, now)
    } else {
        start
    };
    // Both parts are read concurrently, sorted by (x, y), and merged in one pass.
    let live = heatmap_store::cells_since(db, page, viewport, live_start);
    let past = async {
        if !use_snapshot {
            return Ok(snapshot::Cells::default());
        }
        let snapshot = heatmap_snapshot::Entity::find()
            .select_only()
            .column(heatmap_snapshot::Column::X)
            .column(heatmap_snapshot::Column::Y)
            .column_as(heatmap_snapshot::Column::Count, "n")
            .filter(heatmap_snapshot::Column::Page.eq(page))
            .filter(heatmap_snapshot::Column::ViewportClass.eq(viewport))
            .filter(heatmap_snapshot::Column::WindowDays.eq(days as i32))
            .into_query();
        snapshots
            .get_or_read(page, viewport, days, generation, read_cells(db, snapshot))
            .await
    };
    let (live, past) = tokio::try_join!(live, past)?;
    let cells = merge_cells(&live, &past);
    Ok(Heatmap {
        columns: i32::from(HEATMAP_COLUMNS),
        row_height: HEATMAP_ROW_HEIGHT,
        max_count: cells.iter().map(|c| c.2).max().unwrap_or(0),
        cells,
    })
}

/// The snapshot cells `cells` selects (columns `x`, `y`, `n`), sorted by (x, y). A month's
/// heatmap is tens of thousands of cells: on PostgreSQL they come as three arrays in one row,
/// since decoding that many rows one by one was most of the request's time.
async fn read_cells(
    db: &DatabaseConnection,
    cells: SelectStatement,
) -> AppResult<Vec<(i16, i32, i64)>> {
    let mut read: Vec<(i16, i32, i64)> = match db.get_database_backend() {
        DbBackend::Postgres => {
            let agg = |column: &str| Func::cust("array_agg").arg(Expr::col(Alias::new(column)));
            let arrays = Query::select()
                .expr_as(agg("x"), Alias::new("xs"))
                .expr_as(agg("y"), Alias::new("ys"))
                .expr_as(agg("n"), Alias::new("ns"))
                .from_subquery(cells, Alias::new("cells"))
                .to_owned();
            let Some(row) = db.query_one(&arrays).await? else {
                return Ok(Vec::new());
            };
            // NULL (no cells) reads as None.
            let xs: Option<Vec<i16>> = row.try_get("", "xs")?;
            let ys: Option<Vec<i32>> = row.try_get("", "ys")?;
            let ns: Option<Vec<i64>> = row.try_get("", "ns")?;
            let (xs, ys, ns) = (
                xs.unwrap_or_default(),
                ys.unwrap_or_default(),
                ns.unwrap_or_default(),
            );
            xs.into_iter()
                .zip(ys)
                .zip(ns)
                .map(|((x, y), n)| (x, y, n))
                .collect()
        }
        _ => db
            .query_all(&cells)
            .await?
            .into_iter()
            .map(|row| {
                Ok((
                    row.try_get("", "x")?,
                    row.try_get("", "y")?,
                    row.try_get("", "n")?,
                ))
            })
            .collect::<Result<_, sea_orm::DbErr>>()?,
    };
    read.sort_unstable_by_key(|&(x, y, _)| (x, y));
    Ok(read)
}

/// Adds two lists of cells, each sorted by (x, y) with every cell at most once, into one such
/// list; empty cells are left out.
fn merge_cells(a: &[(i16, i32, i64)], b: &[(i16, i32, i64)]) -> Vec<(i32, i32, i64)> {
    let mut merged = Vec::with_capacity(a.len().max(b.len()));
    let (mut a, mut b) = (a.iter().copied().peekable(), b.iter().copied().peekable());
    loop {
        let next = match (a.peek(), b.peek()) {
            (None, None) => break,
            (Some(_), None) => a.next(),
            (None, Some(_)) => b.next(),
            (Some(l), Some(r)) => match (l.0, l.1).cmp(&(r.0, r.1)) {
                Ordering::Less => a.next(),
                Ordering::Greater => b.next(),
                Ordering::Equal => a.next().zip(b.next()).map(|(l, r)| (l.0, l.1, l.2 + r.2)),
            },
        };
        if let Some((x, y, n)) = next.filter(|c| c.2 > 0) {
            merged.push((i32::from(x), y, n));
        }
    }
    merged
}

#[tracing::instrument(skip(db))]
pub async fn visit_summary(
    db: &DatabaseConnection,
    visit_id: Uuid,
) -> AppResult<Option<VisitSummary>> {
    Ok(visit_summaries(db, &[visit_id]).await?.remove(&visit_id))
}

/// Several visits in one query (a page of orders asks for each order's visit).
#[tracing::instrument(skip_all, fields(visits = ids.len()))]
pub async fn visit_summaries(
    db: &DatabaseConnection,
    ids: &[Uuid],
) -> AppResult<HashMap<Uuid, VisitSummary>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = visit::Entity::find()
        .filter(visit::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    rows.into_iter()
        .map(|row| Ok((row.id, summary_of(row)?)))
        .collect()
}

/// A stored visit read back; a damaged row is an error, never an empty or made-up value.
fn summary_of(row: visit::Model) -> AppResult<VisitSummary> {
    let mut clicks: Vec<(String, i64)> = row.clicks.0.into_iter().collect();
    clicks.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Ok(VisitSummary {
        engaged_seconds: row.engaged_seconds,
        visit_number: row.visit_number,
        clicks,
        viewport_class: row.viewport_class,
        first_seen_at: row.first_seen_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slot(at: &str) -> i64 {
        at.parse::<DateTime<Utc>>()
            .unwrap()
            .timestamp()
            .div_euclid(SLOT_SECONDS)
    }

    #[test]
    fn today_is_cut_into_local_hours_up_to_now() {
        // Moscow is UTC+3: local midnight of 2 December is 21:00 UTC on the 1st.
        let clock = BusinessClock::new(chrono_tz::Europe::Moscow);
        let now: DateTime<Utc> = "2026-12-02T02:40:00Z".parse().unwrap(); // 05:40 local
        let from = clock.start_of(clock.date(now));
        let visits = [
            (slot("2026-12-01T20:45:00Z"), 9, 900), // 23:45 yesterday: left out
            (slot("2026-12-01T21:00:00Z"), 2, 60),  // 00:00
            (slot("2026-12-01T21:45:00Z"), 1, 30),  // 00:45
            (slot("2026-12-02T02:30:00Z"), 4, 400), // 05:30
        ];
        let orders = [
            (slot("2026-12-01T21:15:00Z"), 1),
            (slot("2026-12-02T02:15:00Z"), 2),
        ];
        let buckets = hour_buckets(&clock, from, now, &visits, &orders);
        let starts: Vec<String> = buckets
            .iter()
            .map(|b| b.start.format("%d %H:%M").to_string())
            .collect();
        assert_eq!(
            starts,
            [
                "02 00:00", "02 01:00", "02 02:00", "02 03:00", "02 04:00", "02 05:00"
            ]
        );
        assert!(buckets.iter().all(|b| b.hours == 1));
        let counts: Vec<(i64, i64)> = buckets.iter().map(|b| (b.visits, b.orders)).collect();
        assert_eq!(counts, [(3, 1), (0, 0), (0, 0), (0, 0), (0, 0), (4, 2)]);
        assert_eq!(buckets[0].average_engaged_seconds, 30.0);
        assert_eq!(buckets[5].average_engaged_seconds, 100.0);
    }

    #[test]
    fn an_hour_of_a_half_hour_zone_starts_on_its_own_half_hour() {
        // India is UTC+5:30: its hours start at half past in UTC.
        let clock = BusinessClock::new(chrono_tz::Asia::Kolkata);
        let now: DateTime<Utc> = "2026-12-02T00:10:00Z".parse().unwrap(); // 05:40 local
        let from = clock.start_of(clock.date(now));
        let visits = [
            (slot("2026-12-01T23:15:00Z"), 1, 10), // 04:45 local
            (slot("2026-12-01T23:30:00Z"), 1, 10), // 05:00 local
        ];
        let buckets = hour_buckets(&clock, from, now, &visits, &[]);
        assert_eq!(buckets.len(), 6);
        assert_eq!(buckets[4].visits, 1);
        assert_eq!(buckets[5].visits, 1);
    }
}
