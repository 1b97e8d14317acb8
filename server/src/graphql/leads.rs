use std::{collections::HashMap, net::IpAddr};

use async_graphql::{
    ComplexObject, Context, Enum, ID, InputObject, Object, SimpleObject, Subscription,
    dataloader::Loader,
};
use chrono::{DateTime, Utc};
use futures_util::{Stream, StreamExt};
use uuid::Uuid;

use super::{
    auth::{AdminGuard, RequestAuth, current_admin},
    client_ip,
    services::Service,
    state,
};
use crate::{
    admins,
    error::{AppError, AppResult},
    events::Event,
    leads::{self, Actor, Cursor, LeadOrder, LeadText, Seen, intake::Submission, stats},
    services,
    state::AppState,
    values::parse_id,
};

/// Lead temperature: 🔴 URGENT (score > 80), 🟡 MEDIUM (50–80), 🟢 LOW (< 50).
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "crate::scoring::Priority")]
pub enum Priority {
    Urgent,
    Medium,
    Low,
}

/// Where a lead is in the pipeline.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "crate::leads::LeadStatus")]
pub enum LeadStatus {
    New,
    InProgress,
    Won,
    Lost,
    /// Not an order: out of the list (unless asked for), the CSV and the statistics.
    Spam,
}

/// Why a factor of the score earned its points.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum ScoreReasonKind {
    /// Nothing was typed: the lowest band.
    NotGiven,
    /// Typed, but no number or duration could be read (`text`): the lowest band.
    Unreadable,
    /// A number was read (`amount`: roubles or people); the points name its band.
    Amount,
    /// An urgent word or phrase (`text`: "срочно", "asap") in the deadline or comments.
    UrgentWord,
    /// A deadline read as `days` days: ≤ 7 now, under 90 soon, else later.
    Deadline,
}

/// One factor's points and the reason for them, for the admin to read in their language.
#[derive(SimpleObject)]
pub struct ScoreReason {
    pub points: i32,
    /// The factor's most points (40, 30, 30).
    pub max: i32,
    pub kind: ScoreReasonKind,
    /// UNREADABLE: what was typed; URGENT_WORD: the word as matched (lower case).
    pub text: Option<String>,
    /// AMOUNT: the number read.
    pub amount: Option<f64>,
    /// DEADLINE: the days read.
    pub days: Option<i32>,
}

impl From<crate::scoring::Factor> for ScoreReason {
    fn from(f: crate::scoring::Factor) -> Self {
        use crate::scoring::Why;
        let (kind, text, amount, days) = match f.why {
            Why::NotGiven => (ScoreReasonKind::NotGiven, None, None, None),
            Why::Unreadable { text } => (ScoreReasonKind::Unreadable, Some(text), None, None),
            Why::Amount { value, .. } => (ScoreReasonKind::Amount, None, Some(value as f64), None),
            Why::UrgentWord { word } => (ScoreReasonKind::UrgentWord, Some(word), None, None),
            Why::Deadline { days } => (
                ScoreReasonKind::Deadline,
                None,
                None,
                Some(i32::try_from(days).unwrap_or(i32::MAX)),
            ),
        };
        Self {
            points: f.points,
            max: f.max,
            kind,
            text,
            amount,
            days,
        }
    }
}

/// The score's three factors, each with why.
#[derive(SimpleObject)]
pub struct ScoreReasons {
    pub budget: ScoreReason,
    pub company_size: ScoreReason,
    pub urgency: ScoreReason,
}

/// Who moved a lead.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "crate::leads::ActorKind")]
pub enum ActorKind {
    /// An admin of this desk (`actorName` is their e-mail).
    Admin,
    /// A Telegram user, from a notification's button (`actorName` is their name there).
    Telegram,
    /// The server itself (the spam guard).
    System,
}

/// One move of a lead in the pipeline, or a new reason for a lost lead (LOST → LOST).
#[derive(SimpleObject)]
pub struct LeadHistoryEntry {
    pub id: ID,
    /// Null for an order stored straight into a status (the spam guard).
    pub from_status: Option<LeadStatus>,
    pub to_status: LeadStatus,
    pub actor_kind: ActorKind,
    /// The admin's e-mail or the Telegram user's name; empty for the system.
    pub actor_name: String,
    pub at: DateTime<Utc>,
    /// The reason given, on an entry to LOST. An entry LOST → LOST is a new reason for a lost
    /// lead. Null on other entries and on those written before reasons were recorded.
    pub lost_reason: Option<String>,
}

impl From<leads::history::HistoryEntry> for LeadHistoryEntry {
    fn from(e: leads::history::HistoryEntry) -> Self {
        Self {
            id: ID(e.id.to_string()),
            from_status: e.from.map(Into::into),
            to_status: e.to.into(),
            actor_kind: e.actor_kind.into(),
            actor_name: e.actor_name,
            at: e.at,
            lost_reason: e.lost_reason,
        }
    }
}

/// A note an admin keeps on a lead.
#[derive(SimpleObject)]
pub struct LeadNote {
    pub id: ID,
    /// The e-mail of the admin who wrote it.
    pub author_email: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
    /// When its author last corrected it; null: as written.
    pub edited_at: Option<DateTime<Utc>>,
}

impl From<leads::history::Note> for LeadNote {
    fn from(n: leads::history::Note) -> Self {
        Self {
            id: ID(n.id.to_string()),
            author_email: n.author_email,
            body: n.body,
            created_at: n.created_at,
            edited_at: n.edited_at,
        }
    }
}

/// Why a lead is as hot as it is: points per factor (they add up to the score).
#[derive(SimpleObject, Clone, Copy)]
pub struct ScoreBreakdown {
    /// 40 / 30 / 20 / 10
    pub budget: i32,
    /// 30 / 20 / 15 / 5
    pub company_size: i32,
    /// 30 / 15 / 5
    pub urgency: i32,
}

/// Generates the API's halves of a lead's text from the one table
/// (`leads::text::lead_text_fields!`): the contact fields and the rest, flattened into `Lead`
/// and `ApplicationInput` on either side of the service, where the form asks for it.
macro_rules! text_types {
    (
        contact { $($c:ident: $ct:ty { $($cspec:tt)* },)* }
        about { $($a:ident: $at:ty { $($aspec:tt)* },)* }
    ) => {
        /// `Lead`'s fields before `serviceName` (flattened: no type of its own in the schema).
        #[derive(SimpleObject, Clone)]
        pub struct LeadContact {
            $(pub $c: $ct,)*
        }

        /// `Lead`'s fields after `serviceName`.
        #[derive(SimpleObject, Clone)]
        pub struct LeadAbout {
            $(pub $a: $at,)*
        }

        /// `ApplicationInput`'s fields before `serviceId`.
        #[derive(InputObject)]
        pub struct LeadContactInput {
            $(pub $c: $ct,)*
        }

        /// `ApplicationInput`'s fields after `serviceId`.
        #[derive(InputObject)]
        pub struct LeadAboutInput {
            $(pub $a: $at,)*
        }

        /// `ApplicationInput` as one flat record with the same field names, for the public
        /// page's own document (`http::known`), which reads it straight from the request body:
        /// serde cannot refuse unknown fields through `flatten`, and anything this record
        /// cannot read goes to the executor instead.
        #[derive(serde::Deserialize)]
        #[serde(rename_all = "camelCase", deny_unknown_fields)]
        pub struct ApplicationFields {
            $(pub $c: $ct,)*
            pub service_id: Option<String>,
            $(pub $a: $at,)*
            pub visit_id: Option<String>,
            pub website: Option<String>,
            pub consent: Option<bool>,
        }

        impl From<ApplicationFields> for ApplicationInput {
            fn from(f: ApplicationFields) -> Self {
                Self {
                    contact: LeadContactInput { $($c: f.$c,)* },
                    service_id: f.service_id.map(ID),
                    about: LeadAboutInput { $($a: f.$a,)* },
                    visit_id: f.visit_id,
                    website: f.website,
                    consent: f.consent,
                }
            }
        }

        fn split_text(text: LeadText) -> (LeadContact, LeadAbout) {
            (
                LeadContact { $($c: text.$c,)* },
                LeadAbout { $($a: text.$a,)* },
            )
        }

        /// The text as typed, to be checked by `LeadDraft::parse`.
        fn typed_text(contact: LeadContactInput, about: LeadAboutInput) -> LeadText {
            LeadText {
                $($c: contact.$c,)*
                $($a: about.$a,)*
            }
        }
    };
}

leads::text::lead_text_fields!(text_types);

/// An order, with its temperature and place in the pipeline.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct Lead {
    pub id: ID,
    #[graphql(flatten)]
    pub contact: LeadContact,
    /// The name of the service as the visitor chose it (kept after renames and deletion).
    pub service_name: Option<String>,
    #[graphql(flatten)]
    pub about: LeadAbout,
    /// 0–100.
    pub score: i32,
    pub priority: Priority,
    pub score_breakdown: ScoreBreakdown,
    pub status: LeadStatus,
    pub lost_reason: Option<String>,
    /// When the lead first left NEW (speed to lead).
    pub first_response_at: Option<DateTime<Utc>>,
    /// When the visitor consented to the processing of their data (null: before consent
    /// existed).
    pub consent_at: Option<DateTime<Utc>>,
    /// The version of the business's consent wording they agreed to.
    pub consent_version: Option<i32>,
    /// That wording; null: the page's built-in wording.
    pub consent_text: Option<String>,
    pub created_at: DateTime<Utc>,
    /// The number the visitor was shown after sending (the id's last eight hex digits); the
    /// list's search finds it.
    pub request_number: String,
    /// No admin has opened its card yet (see `markLeadOpened`).
    pub unread: bool,
    #[graphql(skip)]
    pub service_id: Option<Uuid>,
    /// The service as it is now when it was read with the lead (see `leads::Lead`).
    #[graphql(skip)]
    pub current_service: Option<Option<services::Service>>,
    #[graphql(skip)]
    pub visit_id: Option<Uuid>,
}

impl From<leads::Lead> for Lead {
    fn from(l: leads::Lead) -> Self {
        let request_number = l.request_number();
        let (contact, about) = split_text(l.text);
        Self {
            request_number,
            unread: l.opened_at.is_none(),
            id: ID(l.id.to_string()),
            contact,
            service_name: l.service_name,
            about,
            score: l.score,
            priority: l.priority.into(),
            score_breakdown: ScoreBreakdown {
                budget: l.breakdown.budget,
                company_size: l.breakdown.company_size,
                urgency: l.breakdown.urgency,
            },
            status: l.status.into(),
            lost_reason: l.lost_reason,
            first_response_at: l.first_response_at,
            consent_at: l.consent_at,
            consent_version: l.consent_version,
            consent_text: l.consent_text,
            created_at: l.created_at,
            service_id: l.service_id,
            current_service: l.current_service,
            visit_id: l.visit_id,
        }
    }
}

#[ComplexObject]
impl Lead {
    /// The service as it is now; null once it was deleted (see `serviceName`).
    async fn service(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Service>> {
        let Some(id) = self.service_id else {
            return Ok(None);
        };
        if let Some(known) = &self.current_service {
            return Ok(known.clone().map(Service::from));
        }
        let service = match ctx.data_opt::<super::RequestLoaders>() {
            Some(loaders) => loaders.services.load_one(id).await?,
            // Subscriptions deliver one lead at a time and keep no request-scoped cache.
            None => services::find(&state(ctx).db, id).await?,
        };
        Ok(service.map(Service::from))
    }

    /// The visitor's behavior on the visit that produced this order; null without one.
    async fn behavior(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<super::metrics::VisitSummary>> {
        let Some(visit_id) = self.visit_id else {
            return Ok(None);
        };
        let summary = match ctx.data_opt::<super::RequestLoaders>() {
            Some(loaders) => loaders.visits.load_one(visit_id).await?,
            None => crate::metrics::stats::visit_summary(&state(ctx).db, visit_id).await?,
        };
        Ok(summary.map(Into::into))
    }

    /// Why each factor of the score earned its points ("budget not given → minimum 10 of
    /// 40", "urgency: «срочно» +30"), read from what the visitor typed by today's rules.
    async fn score_reasons(&self) -> ScoreReasons {
        let explained = crate::scoring::explain(&crate::scoring::ScoreInput {
            budget: self.about.budget.as_deref(),
            company_size: self.about.company_size.as_deref(),
            deadline: self.about.deadline.as_deref(),
            comments: self.about.additional_comments.as_deref(),
        });
        ScoreReasons {
            budget: explained.budget.into(),
            company_size: explained.company_size.into(),
            urgency: explained.urgency.into(),
        }
    }

    /// Every move in the pipeline, oldest first: from, to, who, when.
    async fn history(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<LeadHistoryEntry>> {
        let id = parse_id("id", &self.id)?;
        Ok(leads::history::history(&state(ctx).db, id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// The admins' notes, oldest first.
    async fn notes(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<LeadNote>> {
        let id = parse_id("id", &self.id)?;
        Ok(leads::history::notes(&state(ctx).db, id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }
}

/// Batches every `Lead.service` of a response into one query.
pub struct ServiceLoader {
    pub db: sea_orm::DatabaseConnection,
}

impl Loader<Uuid> for ServiceLoader {
    type Value = services::Service;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        Ok(services::find_many(&self.db, keys, services::Listed::All)
            .await?
            .into_iter()
            .map(|s| (s.id, s))
            .collect())
    }
}

/// Batches every `Lead.behavior` of a response into one query.
pub struct VisitLoader {
    pub db: sea_orm::DatabaseConnection,
}

impl Loader<Uuid> for VisitLoader {
    type Value = crate::metrics::stats::VisitSummary;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        Ok(crate::metrics::stats::visit_summaries(&self.db, keys).await?)
    }
}

/// Loads every visit of the page in one query when the selection asks for them, so the
/// per-lead resolvers find them cached whatever the timing of their polls. (Their services
/// came with the page.)
async fn prime_loaders(ctx: &Context<'_>, page: &[leads::Lead]) -> async_graphql::Result<()> {
    let Some(loaders) = ctx.data_opt::<super::RequestLoaders>() else {
        return Ok(());
    };
    let look = ctx.look_ahead();
    let wants = |field: &str| {
        look.field("nodes").field(field).exists()
            || look.field("edges").field("node").field(field).exists()
    };
    if wants("behavior") {
        let ids: Vec<Uuid> = page.iter().filter_map(|lead| lead.visit_id).collect();
        loaders.visits.load_many(ids).await?;
    }
    Ok(())
}

#[derive(InputObject, Default)]
#[graphql(name = "LeadFilter")]
pub struct LeadFilterInput {
    pub priority: Option<Priority>,
    pub status: Option<LeadStatus>,
    pub service_id: Option<ID>,
    /// Orders holding every word (at most 10), each anywhere in name, surname, patronymic,
    /// email, phone, service, business info and niche, and comments; case-insensitive
    /// (Cyrillic too), ё and е alike. A phone number matches by its digits ("912 555" finds
    /// +7 (912) 555-…), with either Russian trunk prefix ("8 912 555" finds it too); eight hex
    /// digits (`#` allowed) also find the order with that request number.
    pub search: Option<String>,
    /// Inclusive.
    pub created_from: Option<DateTime<Utc>>,
    /// Exclusive.
    pub created_to: Option<DateTime<Utc>>,
}

impl LeadFilterInput {
    fn parse(self) -> AppResult<leads::LeadFilter> {
        leads::LeadFilter {
            priority: self.priority.map(Into::into),
            status: self.status.map(Into::into),
            service_id: self
                .service_id
                .map(|id| parse_id("serviceId", &id))
                .transpose()?,
            search: self.search,
            created_from: self.created_from,
            created_to: self.created_to,
        }
        .validated()
    }
}

/// What the list is sorted by; every sort ends newest first (then by id).
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "crate::leads::SortField")]
pub enum LeadSortField {
    /// The work queue (the default): open orders (NEW, IN_PROGRESS) first, then the rest;
    /// each part hottest first.
    Queue,
    /// Temperature: score.
    Score,
    /// When the order arrived.
    Date,
    /// "Surname name patronymic", letter by letter regardless of case, ё as е.
    Name,
    /// Pipeline order: NEW, IN_PROGRESS, WON, LOST; then score.
    Status,
}

/// DESC is each sort's natural reading (open first, hottest, newest, pipeline order; names
/// Z–A); ASC reverses it.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug, Default)]
pub enum SortDirection {
    Asc,
    #[default]
    Desc,
}

#[derive(SimpleObject)]
pub struct PageInfo {
    pub has_next_page: bool,
    pub has_previous_page: bool,
    pub start_cursor: Option<String>,
    pub end_cursor: Option<String>,
}

#[derive(SimpleObject)]
pub struct LeadEdge {
    pub cursor: String,
    pub node: Lead,
}

/// A page of the ranked list (score desc, newest first).
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct LeadConnection {
    pub edges: Vec<LeadEdge>,
    pub page_info: PageInfo,
    #[graphql(skip)]
    filter: leads::LeadFilter,
    /// Counted once, for whichever of the total's fields asks first.
    #[graphql(skip)]
    total: tokio::sync::OnceCell<leads::list::Total>,
}

impl LeadConnection {
    async fn total(&self, ctx: &Context<'_>) -> AppResult<leads::list::Total> {
        self.total
            .get_or_try_init(|| {
                let state = state(ctx);
                leads::list::count(&state.db, &self.filter, &state.over_cap)
            })
            .await
            .copied()
    }
}

#[ComplexObject]
impl LeadConnection {
    // The page's leads without their cursors (`edges { node }`), taken from the edges only when
    // asked for: the panel asks for edges, and copying every lead's text for nothing cost the
    // list some of its time. (No doc comment: the schema's field has no description.)
    async fn nodes(&self) -> Vec<&Lead> {
        self.edges.iter().map(|edge| &edge.node).collect()
    }

    /// Leads matching the filter, on all pages; counted only when asked for. Exact when
    /// `totalCountIsExact`; otherwise more than this many match.
    async fn total_count(&self, ctx: &Context<'_>) -> async_graphql::Result<i32> {
        Ok(int(self.total(ctx).await?.count))
    }

    /// Whether `totalCount` is exact. It always is with no filter and with priority and
    /// status alone (the database keeps those counts); other filters (service, dates, search)
    /// count 1,000 matches at most, and past that this is false and `totalCount` is 1,000,
    /// meaning more than 1,000.
    async fn total_count_is_exact(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        Ok(self.total(ctx).await?.exact)
    }
}

#[derive(SimpleObject)]
pub struct PriorityStat {
    pub priority: Priority,
    pub count: i32,
    pub won: i32,
    pub lost: i32,
    /// Won among decided (won + lost) leads of this temperature; null until one is decided.
    pub win_rate: Option<f64>,
}

#[derive(SimpleObject)]
pub struct StatusCount {
    pub status: LeadStatus,
    pub count: i32,
}

#[derive(SimpleObject)]
pub struct LeadStats {
    pub total: i32,
    pub by_priority: Vec<PriorityStat>,
    pub by_status: Vec<StatusCount>,
    /// Median time from order to first status change, in seconds, of the latest 1,000 first
    /// responses (how fast orders are answered now); null until one.
    pub median_first_response_seconds: Option<i32>,
}

fn int(n: u64) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

impl From<stats::LeadStats> for LeadStats {
    fn from(s: stats::LeadStats) -> Self {
        Self {
            total: int(s.total),
            by_priority: s
                .by_priority
                .iter()
                .map(|p| PriorityStat {
                    priority: p.priority.into(),
                    count: int(p.count),
                    won: int(p.won),
                    lost: int(p.lost),
                    win_rate: p.win_rate(),
                })
                .collect(),
            by_status: s
                .by_status
                .iter()
                .map(|&(status, count)| StatusCount {
                    status: status.into(),
                    count: int(count),
                })
                .collect(),
            median_first_response_seconds: s
                .median_first_response_seconds
                .map(|v| i32::try_from(v).unwrap_or(i32::MAX)),
        }
    }
}

/// An order from the public page. Field limits follow the form; see the server's README.
#[derive(InputObject)]
pub struct ApplicationInput {
    #[graphql(flatten)]
    pub contact: LeadContactInput,
    pub service_id: Option<ID>,
    #[graphql(flatten)]
    pub about: LeadAboutInput,
    /// The tracker's visit id; links the order to the visitor's behavior.
    pub visit_id: Option<String>,
    /// Honeypot: real people leave it empty.
    pub website: Option<String>,
    /// The visitor agreed to the processing of their personal data (the form's consent box):
    /// required, `BAD_USER_INPUT` on `consent` otherwise. The order records when, and which
    /// wording (`BusinessSettings.consentVersion`) was in force.
    pub consent: Option<bool>,
}

impl ApplicationInput {
    /// Straight into the domain's checked lead (`LeadDraft::parse`), or spam.
    fn validate(self) -> AppResult<Submission> {
        Submission::parse(
            typed_text(self.contact, self.about),
            self.service_id.as_deref().map(String::as_str),
            self.visit_id.as_deref(),
            self.website.as_deref(),
        )?
        .consented(self.consent)
    }
}

/// An order from the public page: the rate limit, the domain's checks, then the order writer
/// (group commit). The resolver and the page's own document (`http::known`) share it.
pub async fn submit(
    state: &AppState,
    ip: IpAddr,
    input: ApplicationInput,
) -> AppResult<SubmitApplicationPayload> {
    state.limits.orders.check(ip)?;
    let submission = input.validate()?;
    let receipt = leads::intake::submit(&state.orders, submission).await?;
    Ok(SubmitApplicationPayload {
        id: ID(receipt.id.to_string()),
        created_at: receipt.created_at,
    })
}

/// The acknowledgement a visitor gets. Never the score.
#[derive(SimpleObject)]
pub struct SubmitApplicationPayload {
    pub id: ID,
    pub created_at: DateTime<Utc>,
}

#[derive(Default)]
pub struct LeadQuery;

#[Object]
impl LeadQuery {
    /// The list, by default the work queue: open orders first, hottest first, newest first
    /// within a score. Keyset pages: a cursor belongs to its sort and direction. Spam is left
    /// out unless `filter.status` is SPAM.
    #[graphql(guard = "AdminGuard")]
    async fn leads(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 50)] first: Option<i32>,
        after: Option<String>,
        filter: Option<LeadFilterInput>,
        #[graphql(default_with = "Some(LeadSortField::Queue)")] sort: Option<LeadSortField>,
        #[graphql(default_with = "Some(SortDirection::Desc)")] direction: Option<SortDirection>,
    ) -> async_graphql::Result<LeadConnection> {
        let filter = filter.unwrap_or_default().parse()?;
        let order = LeadOrder {
            // An explicit null (or an unset variable) means the default too.
            field: sort.unwrap_or(LeadSortField::Queue).into(),
            ascending: direction == Some(SortDirection::Asc),
        };
        let cursor = after
            .map(|a| Cursor::decode("after", &a, order))
            .transpose()?;
        // An explicit null (or an unset variable) means the default page size too.
        let first = u64::try_from(first.unwrap_or(50)).unwrap_or(0);
        let state = state(ctx);
        let look = ctx.look_ahead();
        let wants_total =
            look.field("totalCount").exists() || look.field("totalCountIsExact").exists();
        // A total the database keeps is read by the page's own statement; other totals wait
        // for the page, which may hold every match and so need no count.
        let page = leads::list::page(
            &state.db,
            &filter,
            order,
            first,
            cursor.as_ref(),
            wants_total,
        )
        .await?;
        prime_loaders(ctx, &page.leads).await?;
        let total = tokio::sync::OnceCell::new_with(page.known_total());
        let edges: Vec<LeadEdge> = page
            .leads
            .into_iter()
            .map(|lead| LeadEdge {
                cursor: lead.cursor(order).encode(),
                node: lead.into(),
            })
            .collect();
        Ok(LeadConnection {
            page_info: PageInfo {
                has_next_page: page.has_next_page,
                has_previous_page: cursor.is_some(),
                start_cursor: edges.first().map(|e| e.cursor.clone()),
                end_cursor: edges.last().map(|e| e.cursor.clone()),
            },
            edges,
            filter,
            total,
        })
    }

    /// One lead; null if there is none with this id.
    #[graphql(guard = "AdminGuard")]
    async fn lead(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Lead>> {
        let id = parse_id("id", &id)?;
        Ok(leads::find(&state(ctx).db, id).await?.map(Lead::from))
    }

    /// Orders no admin has opened yet (spam aside); at most 1,000 are counted.
    #[graphql(guard = "AdminGuard")]
    async fn unread_lead_count(&self, ctx: &Context<'_>) -> async_graphql::Result<i32> {
        Ok(int(leads::queue::unread_count(&state(ctx).db).await?))
    }

    /// Counts per temperature and status, win rate per temperature, speed to lead.
    #[graphql(guard = "AdminGuard")]
    async fn lead_stats(&self, ctx: &Context<'_>) -> async_graphql::Result<LeadStats> {
        Ok(stats::lead_stats(&state(ctx).db).await?.into())
    }
}

#[derive(Default)]
pub struct LeadMutation;

#[Object]
impl LeadMutation {
    /// Sends an order (public). Rate-limited per client.
    async fn submit_application(
        &self,
        ctx: &Context<'_>,
        input: ApplicationInput,
    ) -> async_graphql::Result<SubmitApplicationPayload> {
        Ok(submit(state(ctx), client_ip(ctx), input).await?)
    }

    /// Moves a lead in the pipeline. LOST needs a reason.
    ///
    /// `expectedStatus`: the status the admin saw. When given and the lead is no longer in it
    /// (another admin, or Telegram, moved it meanwhile), nothing changes and the answer is
    /// `BAD_USER_INPUT` with reason `CHANGED` on `expectedStatus`, so nobody overwrites a move
    /// they never saw.
    ///
    /// `expectedLostReason`: the reason the admin saw, empty when none. When given and the
    /// lead's reason is no longer it (another admin rewrote it meanwhile), nothing changes and
    /// the answer is `BAD_USER_INPUT` with reason `CHANGED` on `expectedLostReason`.
    #[graphql(guard = "AdminGuard")]
    async fn update_lead_status(
        &self,
        ctx: &Context<'_>,
        id: ID,
        status: LeadStatus,
        lost_reason: Option<String>,
        expected_status: Option<LeadStatus>,
        expected_lost_reason: Option<String>,
    ) -> async_graphql::Result<Lead> {
        let id = parse_id("id", &id)?;
        let actor = Actor::from(&current_admin(ctx).await?);
        let state = state(ctx);
        let lead = leads::set_status(
            &state.db,
            id,
            status.into(),
            lost_reason.as_deref(),
            Seen {
                status: expected_status.map(Into::into),
                lost_reason: expected_lost_reason,
            },
            &actor,
        )
        .await;
        // After the write, whatever came of it: a count started before it is not remembered.
        state.over_cap.forget_all();
        Ok(lead?.into())
    }

    /// Marks a lead as spam (`spam: true`): it leaves the list, the CSV and the statistics,
    /// and new orders from its e-mail or phone are stored as spam at once. `spam: false` puts
    /// it back in the status it had before.
    #[graphql(guard = "AdminGuard")]
    async fn mark_lead_spam(
        &self,
        ctx: &Context<'_>,
        id: ID,
        spam: bool,
    ) -> async_graphql::Result<Lead> {
        let id = parse_id("id", &id)?;
        let actor = Actor::from(&current_admin(ctx).await?);
        let state = state(ctx);
        let lead = leads::mark_spam(&state.db, id, spam, &actor).await;
        state.over_cap.forget_all();
        Ok(lead?.into())
    }

    /// Deletes a lead with its history and notes, for good. Answers its id.
    #[graphql(guard = "AdminGuard")]
    async fn delete_lead(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<ID> {
        let uuid = parse_id("id", &id)?;
        let state = state(ctx);
        let deleted = leads::queue::delete(&state.db, uuid).await;
        state.over_cap.forget_all();
        deleted?;
        Ok(id)
    }

    /// Adds a note to a lead (1–5,000 characters), signed by the admin.
    #[graphql(guard = "AdminGuard")]
    async fn add_lead_note(
        &self,
        ctx: &Context<'_>,
        id: ID,
        body: String,
    ) -> async_graphql::Result<LeadNote> {
        let id = parse_id("id", &id)?;
        let admin = current_admin(ctx).await?;
        Ok(leads::history::add_note(&state(ctx).db, id, &admin, &body)
            .await?
            .into())
    }

    /// Corrects a note (1–5,000 characters). Only its author may (`FORBIDDEN`): a note is
    /// signed.
    #[graphql(guard = "AdminGuard")]
    async fn edit_lead_note(
        &self,
        ctx: &Context<'_>,
        id: ID,
        body: String,
    ) -> async_graphql::Result<LeadNote> {
        let id = parse_id("id", &id)?;
        let admin = current_admin(ctx).await?;
        Ok(leads::history::edit_note(&state(ctx).db, id, &admin, &body)
            .await?
            .into())
    }

    /// Deletes a note. Only its author may (`FORBIDDEN`). Answers its id.
    #[graphql(guard = "AdminGuard")]
    async fn delete_lead_note(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<ID> {
        let note = parse_id("id", &id)?;
        let admin = current_admin(ctx).await?;
        leads::history::delete_note(&state(ctx).db, note, &admin).await?;
        Ok(id)
    }

    /// The admin opened the lead's card: it is no longer unread.
    #[graphql(guard = "AdminGuard")]
    async fn mark_lead_opened(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Lead> {
        let id = parse_id("id", &id)?;
        Ok(leads::queue::mark_opened(&state(ctx).db, id).await?.into())
    }
}

#[derive(Default)]
pub struct LeadSubscription;

#[Subscription]
impl LeadSubscription {
    /// Every new order as it arrives (admins; token in `connection_init`). The stream ends
    /// with `UNAUTHENTICATED` when the session expires or is revoked.
    #[graphql(guard = "AdminGuard")]
    async fn lead_created(
        &self,
        ctx: &Context<'_>,
    ) -> impl Stream<Item = async_graphql::Result<Lead>> + use<> {
        let state = state(ctx).clone();
        // The guard admitted the token, so it names a session.
        let session = ctx
            .data_opt::<RequestAuth>()
            .and_then(|auth| auth.session(&state));
        let (admin_id, session_version, expires_at) = session.unwrap_or_default();
        let left = (expires_at - chrono::Utc::now().timestamp()).max(0);
        let session_over = tokio::time::sleep(std::time::Duration::from_secs(left as u64));
        let expired = futures_util::stream::once(async {
            Err(AppError::Unauthenticated("Session expired").into())
        });
        let events = state.events.subscribe().map(Some);
        // A revocation announced where no event reaches us (the CLI on SQLite is another
        // process) is found by looking, every few seconds.
        let ticks =
            tokio_stream::wrappers::IntervalStream::new(tokio::time::interval(SESSION_RECHECK))
                .map(|_| None);
        let events = futures_util::stream::select(events, ticks)
            .filter_map(move |event| {
                let state = state.clone();
                async move {
                    let revoked = async || {
                        matches!(
                            admins::session_admin(&state.db, admin_id, session_version).await,
                            Err(AppError::Unauthenticated(_))
                        )
                        .then_some(Delivery::Revoked)
                    };
                    match event {
                        None => revoked().await,
                        // A revocation event is a cue to look, not a verdict: on PostgreSQL it
                        // comes back through NOTIFY a moment after its commit, so one made
                        // before this session signed in can arrive after it started.
                        Some(Ok(Event::SessionsRevoked(id))) if id == admin_id => revoked().await,
                        // Checked again before every delivery: a revocation announced by
                        // another process (the CLI on SQLite) is seen here too.
                        Some(Ok(Event::LeadCreated(id))) => Some(
                            match admins::session_admin(&state.db, admin_id, session_version).await
                            {
                                Err(AppError::Unauthenticated(_)) => Delivery::Revoked,
                                Err(err) => Delivery::Lead(Box::new(Err(err.into()))),
                                Ok(_) => match leads::find(&state.db, id).await {
                                    Ok(Some(lead)) => {
                                        Delivery::Lead(Box::new(Ok(Lead::from(lead))))
                                    }
                                    Ok(None) => return None,
                                    Err(err) => Delivery::Lead(Box::new(Err(err.into()))),
                                },
                            },
                        ),
                        _ => None,
                    }
                }
            })
            .take_while(|delivery| std::future::ready(matches!(delivery, Delivery::Lead(_))))
            .filter_map(|delivery| {
                std::future::ready(match delivery {
                    Delivery::Lead(lead) => Some(*lead),
                    Delivery::Revoked => None,
                })
            });
        let revoked = futures_util::stream::once(async {
            Err(AppError::Unauthenticated("Session revoked: sign in again").into())
        });
        // Whichever ends first: the session's expiry, or a revocation.
        events
            .chain(revoked)
            .take_until(session_over)
            .chain(expired)
            .scan(false, |ended, item: async_graphql::Result<Lead>| {
                // After the first error that ends the session, nothing more.
                if *ended {
                    return std::future::ready(None);
                }
                *ended = item.as_ref().is_err_and(is_session_end);
                std::future::ready(Some(item))
            })
    }
}

/// How often an open `leadCreated` checks its session even when no event says anything.
const SESSION_RECHECK: std::time::Duration = std::time::Duration::from_secs(5);

/// What the subscription does with one event.
enum Delivery {
    Lead(Box<async_graphql::Result<Lead>>),
    Revoked,
}

fn is_session_end(err: &async_graphql::Error) -> bool {
    err.extensions
        .as_ref()
        .and_then(|e| e.get("code"))
        .is_some_and(|code| *code == async_graphql::Value::from("UNAUTHENTICATED"))
}
