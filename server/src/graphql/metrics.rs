use std::{borrow::Cow, net::IpAddr};

use async_graphql::{
    ComplexObject, Context, ContextSelectionSet, Enum, InputObject, Object, OutputType, Positioned,
    ServerResult, SimpleObject, Value, parser::types::Field, registry::Registry,
};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::Deserialize;

use super::{auth::AdminGuard, client_ip, state};
use crate::{
    error::{AppError, AppResult, Reason},
    metrics::{self, Batch, BatchInput, labels, stats},
    state::AppState,
    values::now,
};

/// Screen width class: MOBILE < 768 px ≤ TABLET < 1200 px ≤ DESKTOP.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "crate::metrics::ViewportClass")]
pub enum ViewportClass {
    Mobile,
    Tablet,
    Desktop,
}

/// Clicks on one element since the previous batch.
#[derive(InputObject, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClickInput {
    /// The element's id, else its data-track, else a short stable selector (≤ 100 chars).
    pub element: String,
    pub count: i32,
}

/// A cursor (or touch) position.
#[derive(InputObject, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PointInput {
    /// Fraction of the viewport width, 0..1.
    pub x: f64,
    /// Document pixels from the top, 0..100000.
    pub y: i32,
}

/// Form analytics for one field since the previous batch. Never the value.
#[derive(InputObject, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FieldInput {
    /// The field's name attribute.
    pub name: String,
    pub focus_count: i32,
    pub focused_ms: i32,
    /// This is the field the visitor touched last so far in this visit.
    pub last_touched: Option<bool>,
}

/// What the tracker measured since its previous acknowledged batch.
#[derive(InputObject, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MetricsBatchInput {
    /// UUID, random, kept by the browser (no cookie).
    pub visitor_id: String,
    /// UUID per page load.
    pub visit_id: String,
    /// 1, 2, 3… per visit; a batch whose seq was already applied is acknowledged and ignored.
    pub seq: i32,
    /// Path, e.g. "/".
    pub page: String,
    pub viewport_width: i32,
    pub viewport_height: i32,
    /// Engaged seconds since the previous batch (0–60).
    pub engaged_seconds: i32,
    pub clicks: Vec<ClickInput>,
    pub points: Vec<PointInput>,
    pub fields: Option<Vec<FieldInput>>,
}

impl From<MetricsBatchInput> for BatchInput {
    fn from(i: MetricsBatchInput) -> Self {
        Self {
            visitor_id: i.visitor_id,
            visit_id: i.visit_id,
            seq: i.seq,
            page: i.page,
            viewport_width: i.viewport_width,
            viewport_height: i.viewport_height,
            engaged_seconds: i.engaged_seconds,
            clicks: i.clicks.into_iter().map(|c| (c.element, c.count)).collect(),
            points: i.points.into_iter().map(|p| (p.x, p.y)).collect(),
            fields: i
                .fields
                .unwrap_or_default()
                .into_iter()
                .map(|f| metrics::FieldInput {
                    name: f.name,
                    focus_count: f.focus_count,
                    focused_ms: f.focused_ms,
                    last_touched: f.last_touched.unwrap_or(false),
                })
                .collect(),
        }
    }
}

/// Seconds for today, the last 7 days and the last 30 days.
#[derive(SimpleObject)]
pub struct PeriodStat {
    pub day: f64,
    pub week: f64,
    pub month: f64,
}

#[derive(SimpleObject)]
pub struct PeriodCount {
    pub day: i32,
    pub week: i32,
    pub month: i32,
}

#[derive(SimpleObject)]
pub struct DailyActivity {
    /// The day in the business time zone.
    pub date: NaiveDate,
    pub visits: i32,
    pub orders: i32,
    pub average_engaged_seconds: f64,
}

/// One point of the activity chart.
#[derive(SimpleObject)]
pub struct ActivityBucket {
    /// Where the bucket starts, on the wall clock of the business time zone (no offset).
    pub start: NaiveDateTime,
    /// The bucket's length: 1 (an hour) or 24 (a day).
    pub hours: i32,
    pub visits: i32,
    pub orders: i32,
    pub average_engaged_seconds: f64,
}

/// The headline figures of the window the statistics were asked for (`days`).
#[derive(SimpleObject)]
pub struct WindowSummary {
    /// The window's length in days (1 = today).
    pub days: i32,
    /// Visits that started in the window.
    pub visits: i32,
    /// Mean engaged seconds per visit of the window.
    pub average_time_on_page: f64,
    /// Median engaged seconds per visit of the window.
    pub median_time_on_page: f64,
}

#[derive(SimpleObject)]
pub struct ClickCount {
    pub element: String,
    pub count: i32,
}

#[derive(SimpleObject)]
pub struct FieldStat {
    pub field: String,
    pub focuses: i32,
    pub average_seconds: f64,
    /// Visits whose last touched field this was, with no order sent.
    pub abandonments: i32,
}

#[derive(SimpleObject)]
pub struct HeatCell {
    /// Column, 0..columns-1 (1 % of the viewport width each).
    pub x: i32,
    /// Row of `rowHeight` document pixels.
    pub y: i32,
    pub count: i32,
}

/// Sparse cursor heatmap: only cells with points.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct Heatmap {
    pub columns: i32,
    pub row_height: i32,
    pub max_count: i32,
    /// (x, y, count) sorted by x then y; each field below is made from it on demand.
    #[graphql(skip)]
    cells: Vec<(i32, i32, i32)>,
}

#[ComplexObject]
impl Heatmap {
    /// One object per cell. Slow for a large map (tens of thousands of objects).
    #[graphql(deprecation = "Use `packedCells`: the same cells, three integers each.")]
    async fn cells(&self) -> Vec<HeatCell> {
        self.cells
            .iter()
            .map(|&(x, y, count)| HeatCell { x, y, count })
            .collect()
    }

    /// x, y, count of each cell, three integers per cell, sorted by x then y (the same cells
    /// and order as `cells`).
    async fn packed_cells(&self) -> PackedInts {
        PackedInts(
            self.cells
                .iter()
                .flat_map(|&(x, y, count)| [x, y, count])
                .collect(),
        )
    }
}

/// A list of integers that is `[Int!]!` in the schema but turned into one response value in a
/// single pass: a plain `Vec<i32>` is resolved item by item (a future and every extension's
/// hook per integer), which for a 25,000-cell heatmap is 75,000 of them.
pub struct PackedInts(pub Vec<i32>);

impl OutputType for PackedInts {
    fn type_name() -> Cow<'static, str> {
        <Vec<i32> as OutputType>::type_name()
    }

    fn qualified_type_name() -> String {
        <Vec<i32> as OutputType>::qualified_type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        <Vec<i32> as OutputType>::create_type_info(registry)
    }

    async fn resolve(
        &self,
        _ctx: &ContextSelectionSet<'_>,
        _field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        Ok(Value::List(
            self.0.iter().map(|&n| Value::from(n)).collect(),
        ))
    }
}

/// The figures are read once, when the first of them is asked for, and the heatmap only when
/// it is asked for: the statistics page asks for the heatmap in a query of its own.
pub struct MetricStats {
    page: String,
    days: u32,
    at: DateTime<Utc>,
    figures: tokio::sync::OnceCell<Figures>,
}

/// What [`MetricStats`] answers besides the heatmap, as read together.
struct Figures {
    /// Mean engaged seconds per visit started today / in the last 7 / 30 days.
    pub average_time_on_page: PeriodStat,
    pub median_time_on_page: PeriodStat,
    pub visits: PeriodCount,
    /// Visits, mean and median time on page of the window.
    pub summary: WindowSummary,
    /// Visits with visit number > 1, over visits of the window.
    pub returning_visitor_share: f64,
    /// Visits that sent an order, over visits of the window.
    pub conversion_rate: f64,
    /// Per day of the window (zero-filled), oldest first.
    pub activity: Vec<DailyActivity>,
    /// The activity chart's points, oldest first, zero-filled: for a 1-day window each hour
    /// of today up to the current one (local time), else each day of the window.
    pub series: Vec<ActivityBucket>,
    /// The 10 most clicked elements of the window.
    pub top_clicks: Vec<ClickCount>,
    /// Form analytics per field, most abandoned first.
    pub form_fields: Vec<FieldStat>,
}

impl Figures {
    fn new(s: stats::MetricStats, days: u32) -> Self {
        let period = |p: stats::Period<f64>| PeriodStat {
            day: p.day,
            week: p.week,
            month: p.month,
        };
        Self {
            average_time_on_page: period(s.average_time_on_page),
            median_time_on_page: period(s.median_time_on_page),
            visits: PeriodCount {
                day: int(s.visits.day),
                week: int(s.visits.week),
                month: int(s.visits.month),
            },
            summary: WindowSummary {
                days: int(i64::from(days)),
                visits: int(s.summary.visits),
                average_time_on_page: s.summary.average_time_on_page,
                median_time_on_page: s.summary.median_time_on_page,
            },
            returning_visitor_share: s.returning_visitor_share,
            conversion_rate: s.conversion_rate,
            activity: s
                .activity
                .into_iter()
                .map(|a| DailyActivity {
                    date: a.date,
                    visits: int(a.visits),
                    orders: int(a.orders),
                    average_engaged_seconds: a.average_engaged_seconds,
                })
                .collect(),
            series: s
                .series
                .into_iter()
                .map(|b| ActivityBucket {
                    start: b.start,
                    hours: int(i64::from(b.hours)),
                    visits: int(b.visits),
                    orders: int(b.orders),
                    average_engaged_seconds: b.average_engaged_seconds,
                })
                .collect(),
            top_clicks: clicks(s.top_clicks),
            form_fields: s
                .form_fields
                .into_iter()
                .map(|f| FieldStat {
                    field: f.field,
                    focuses: int(f.focuses),
                    average_seconds: f.average_seconds,
                    abandonments: int(f.abandonments),
                })
                .collect(),
        }
    }
}

/// Visitor statistics of one page. Averages and medians are per visit, not per batch.
#[Object]
impl MetricStats {
    /// Mean engaged seconds per visit started today / in the last 7 / 30 days.
    #[graphql(deprecation = "Use `summary`, which follows `days`.")]
    async fn average_time_on_page(&self, ctx: &Context<'_>) -> async_graphql::Result<&PeriodStat> {
        Ok(&self.figures(ctx).await?.average_time_on_page)
    }

    #[graphql(deprecation = "Use `summary`, which follows `days`.")]
    async fn median_time_on_page(&self, ctx: &Context<'_>) -> async_graphql::Result<&PeriodStat> {
        Ok(&self.figures(ctx).await?.median_time_on_page)
    }

    #[graphql(deprecation = "Use `summary`, which follows `days`.")]
    async fn visits(&self, ctx: &Context<'_>) -> async_graphql::Result<&PeriodCount> {
        Ok(&self.figures(ctx).await?.visits)
    }

    /// The business time zone (IANA, `TIMEZONE`) the days and hours here are counted in.
    async fn time_zone(&self, ctx: &Context<'_>) -> String {
        state(ctx).config.timezone.name().to_owned()
    }

    /// Visits, mean and median time on page of the window.
    async fn summary(&self, ctx: &Context<'_>) -> async_graphql::Result<&WindowSummary> {
        Ok(&self.figures(ctx).await?.summary)
    }

    /// Visits with visit number > 1, over visits of the window.
    async fn returning_visitor_share(&self, ctx: &Context<'_>) -> async_graphql::Result<f64> {
        Ok(self.figures(ctx).await?.returning_visitor_share)
    }

    /// Visits that sent an order, over visits of the window.
    async fn conversion_rate(&self, ctx: &Context<'_>) -> async_graphql::Result<f64> {
        Ok(self.figures(ctx).await?.conversion_rate)
    }

    /// Per day of the window (zero-filled), oldest first.
    async fn activity(&self, ctx: &Context<'_>) -> async_graphql::Result<&[DailyActivity]> {
        Ok(&self.figures(ctx).await?.activity)
    }

    /// The activity chart's points, oldest first, zero-filled: for a 1-day window each hour
    /// of today up to the current one (local time), else each day of the window.
    async fn series(&self, ctx: &Context<'_>) -> async_graphql::Result<&[ActivityBucket]> {
        Ok(&self.figures(ctx).await?.series)
    }

    /// The 10 most clicked elements of the window.
    async fn top_clicks(&self, ctx: &Context<'_>) -> async_graphql::Result<&[ClickCount]> {
        Ok(&self.figures(ctx).await?.top_clicks)
    }

    /// Form analytics per field, most abandoned first.
    async fn form_fields(&self, ctx: &Context<'_>) -> async_graphql::Result<&[FieldStat]> {
        Ok(&self.figures(ctx).await?.form_fields)
    }

    async fn heatmap(
        &self,
        ctx: &Context<'_>,
        #[graphql(default_with = "Some(ViewportClass::Desktop)")] viewport: Option<ViewportClass>,
    ) -> async_graphql::Result<Heatmap> {
        let state = state(ctx);
        let viewport = viewport.unwrap_or(ViewportClass::Desktop);
        let map = stats::heatmap(
            &state.db,
            &state.clock,
            &state.heatmap_snapshots,
            &self.page,
            self.days,
            viewport.into(),
            self.at,
        )
        .await?;
        Ok(Heatmap {
            columns: map.columns,
            row_height: map.row_height,
            max_count: int(map.max_count),
            cells: map
                .cells
                .into_iter()
                .map(|(x, y, count)| (x, y, int(count)))
                .collect(),
        })
    }
}

impl MetricStats {
    /// The figures, read by the first field that needs them; the fields resolved beside it
    /// wait for that one read.
    async fn figures(&self, ctx: &Context<'_>) -> AppResult<&Figures> {
        self.figures
            .get_or_try_init(|| async {
                let state = state(ctx);
                let s =
                    stats::metric_stats(&state.db, &state.clock, &self.page, self.days, self.at)
                        .await?;
                Ok(Figures::new(s, self.days))
            })
            .await
    }
}

/// What the visitor did on the visit that produced an order.
#[derive(SimpleObject)]
pub struct VisitSummary {
    pub engaged_seconds: i32,
    /// 1 for a first visit; more for a returning visitor.
    pub visit_number: i32,
    pub clicks: Vec<ClickCount>,
    pub viewport_class: ViewportClass,
    pub first_seen_at: DateTime<Utc>,
}

impl From<stats::VisitSummary> for VisitSummary {
    fn from(v: stats::VisitSummary) -> Self {
        Self {
            engaged_seconds: v.engaged_seconds,
            visit_number: v.visit_number,
            clicks: clicks(v.clicks),
            viewport_class: v.viewport_class.into(),
            first_seen_at: v.first_seen_at,
        }
    }
}

fn int(n: i64) -> i32 {
    i32::try_from(n.max(0)).unwrap_or(i32::MAX)
}

fn clicks(list: Vec<(String, i64)>) -> Vec<ClickCount> {
    list.into_iter()
        .map(|(element, count)| ClickCount {
            element,
            count: int(count),
        })
        .collect()
}

/// What an element label names.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "crate::metrics::labels::ElementKind")]
pub enum ElementKind {
    /// A click target, by the tracker's key (`topClicks.element`, a visit's clicks).
    Element,
    /// A form field, by its name (`formFields.field`).
    Field,
}

/// The owner's name for an element or form field of a page.
#[derive(SimpleObject)]
pub struct ElementLabel {
    pub kind: ElementKind,
    /// The tracker's key.
    pub element: String,
    pub label: String,
    pub updated_at: DateTime<Utc>,
}

impl From<labels::ElementLabel> for ElementLabel {
    fn from(l: labels::ElementLabel) -> Self {
        Self {
            kind: l.kind.into(),
            element: l.element,
            label: l.label,
            updated_at: l.updated_at,
        }
    }
}

#[derive(InputObject)]
pub struct ElementLabelInput {
    #[graphql(default_with = "\"/\".to_owned()")]
    pub page: String,
    pub kind: ElementKind,
    /// The tracker's key (1–100 characters).
    pub element: String,
    /// The name to show (at most 100 characters, one line); empty removes the owner's name,
    /// so the page's own label shows again.
    pub label: String,
}

/// One of this site's pages (default "/"), validated like the tracker's: statistics exist for
/// the site's pages only.
fn site_page(ctx: &Context<'_>, page: Option<String>) -> async_graphql::Result<String> {
    let page = page
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| "/".to_owned());
    if !state(ctx).config.site_pages.contains(&page) {
        return Err(AppError::validation(
            "page",
            Reason::UnknownValue,
            "Not one of this site's pages",
        )
        .into());
    }
    Ok(page)
}

#[derive(Default)]
pub struct MetricsQuery;

#[Object]
impl MetricsQuery {
    /// The owner's names for elements and form fields of `page`.
    #[graphql(guard = "AdminGuard")]
    async fn element_labels(
        &self,
        ctx: &Context<'_>,
        #[graphql(default_with = "Some(\"/\".to_owned())")] page: Option<String>,
    ) -> async_graphql::Result<Vec<ElementLabel>> {
        let page = site_page(ctx, page)?;
        Ok(labels::list(&state(ctx).db, &page)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// Visitor statistics for `page` over the last `days` days (1–366).
    #[graphql(guard = "AdminGuard")]
    async fn metric_stats(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 30)] days: Option<i32>,
        #[graphql(default_with = "Some(\"/\".to_owned())")] page: Option<String>,
    ) -> async_graphql::Result<MetricStats> {
        let days = stats::check_days(days.unwrap_or(30))?;
        let page = site_page(ctx, page)?;
        Ok(MetricStats {
            page,
            days,
            at: now(),
            figures: tokio::sync::OnceCell::new(),
        })
    }
}

#[derive(Default)]
pub struct MetricsMutation;

#[Object]
impl MetricsMutation {
    /// Names an element or form field of a page in the statistics (the owner's words, shown
    /// in both languages instead of the page's own label). Null once an empty label removed
    /// the name.
    #[graphql(guard = "AdminGuard")]
    async fn set_element_label(
        &self,
        ctx: &Context<'_>,
        input: ElementLabelInput,
    ) -> async_graphql::Result<Option<ElementLabel>> {
        let page = site_page(ctx, Some(input.page))?;
        let saved = labels::set(
            &state(ctx).db,
            &page,
            input.kind.into(),
            &input.element,
            &input.label,
            now(),
        )
        .await?;
        Ok(saved.map(Into::into))
    }

    /// Records one tracker batch (public). True once applied or already applied before.
    async fn submit_metrics(
        &self,
        ctx: &Context<'_>,
        input: MetricsBatchInput,
    ) -> async_graphql::Result<bool> {
        submit(state(ctx), client_ip(ctx), input).await?;
        Ok(true)
    }
}

/// `submitMetrics`, for the resolver and for the tracker's own document, which `http::known`
/// answers without the executor.
pub async fn submit(state: &AppState, ip: IpAddr, input: MetricsBatchInput) -> AppResult<()> {
    state.limits.metrics.check(ip)?;
    let batch = Batch::parse(&input.into(), &state.config.site_pages)?;
    state.visits.apply(batch, now()).await?;
    Ok(())
}
