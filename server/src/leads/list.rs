//! The list: by default the work queue (open orders first, each part by score, newest first),
//! or sorted by score, date, name or status, either way — walked with keyset cursors, never
//! OFFSET, so page N costs the same as page 1 and inserts never shift a page. Each sort is a
//! row-value comparison on its own keys ending in (created_at, id) with an index in that
//! order (migrations 3, 12 and 17); see `cursor`.
//!
//! Spam (status SPAM) is not in the list, its totals or the CSV unless the filter asks for it
//! by status.
//!
//! Search normalises phone numbers: a search of digits and phone punctuation ("912 555",
//! "+7 (912) 555") looks for its digits, which the search text holds for every phone, and a
//! number beginning with the trunk prefix 8 or +7 for its digits with either ("8 912 555"
//! finds +7 (912) 555-…, see `other_trunk`). A search shaped like a request number (eight hex
//! digits, `#` or `№` before them allowed) also finds the order with that number.
//!
//! Its total never counts the whole table:
//!
//! * Unfiltered, per priority, per status and per both, it is read from `lead_counts`, which
//!   the database keeps exact itself (triggers on `applications`, migration
//!   `m20261202_000012`), so every writer keeps it right without knowing it exists.
//! * Any other filter (service, dates, search) counts at most [`COUNT_CAP`] matches and says
//!   "more than that" past it: an honest answer that reads a bounded number of rows. A filter
//!   once counted over the cap is not counted again until leads go away (see `over_cap`).
//! * A first page that holds every match is its own total: nothing is counted at all.
//!
//! A page reads each lead's service as it is now in the same statement (a `LEFT JOIN`), so a
//! list shown with its services costs one query, not two.
//!
//! Search is a substring match on the lower-cased `search_text` (`LIKE '%…%'`, the pattern
//! written into the SQL as a literal; see `matches_search`). On PostgreSQL a trigram GIN index over (priority, status, search_text)
//! serves it, whichever of the three a filter names. SQLite, the embedded default for small
//! desks, has no such index: a search reads rows in ranking order until its page is full, and
//! its count stops at the match after [`COUNT_CAP`]; at worst (a rare word) each reads the
//! table once. Past some 100,000 orders, use PostgreSQL.

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait, IdenStatic,
    JoinType, QueryFilter, QueryOrder, QueryResult, QuerySelect, QueryTrait, Select, Statement,
    TryGetable,
    sea_query::{Alias, BinOper, Expr, ExprTrait, Query, QueryStatementBuilder},
};
use uuid::Uuid;

use super::{
    Cursor, Lead, LeadOrder, LeadStatus, LeadText,
    cursor::{Key, KeyValue, SortField},
    over_cap::OverCap,
    text::{FIELDS, fold},
};
use crate::{
    db::entities::{
        lead::{self, Column},
        service,
    },
    error::{AppError, AppResult, Reason},
    scoring::{Priority, ScoreBreakdown},
    services::Service,
};

pub const PAGE_MAX: u64 = 200;

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct LeadFilter {
    pub priority: Option<Priority>,
    pub status: Option<LeadStatus>,
    pub service_id: Option<Uuid>,
    /// Lower-cased, trimmed, non-empty; a phone number as its digits.
    pub search: Option<String>,
    pub created_from: Option<DateTime<Utc>>,
    pub created_to: Option<DateTime<Utc>>,
}

impl LeadFilter {
    /// Normalises the search text; refuses a date range that ends before it starts.
    pub fn validated(mut self) -> AppResult<Self> {
        // Bounded before it is taken apart: a 256 KiB body must not be split into words first.
        if let Some(raw) = &self.search
            && raw.trim().chars().count() > SEARCH_MAX
        {
            return Err(AppError::validation(
                "search",
                Reason::TooLong,
                format!("Search must be at most {SEARCH_MAX} characters"),
            )
            .with("max", SEARCH_MAX));
        }
        self.search = self
            .search
            .map(|s| normalise_search(&s))
            .filter(|s| !s.is_empty());
        if let Some(search) = &self.search {
            crate::values::check_text("search", "Search", search, SEARCH_MAX)?;
            if search.split(' ').count() > SEARCH_WORDS_MAX {
                return Err(AppError::validation(
                    "search",
                    Reason::TooMany,
                    format!("At most {SEARCH_WORDS_MAX} words"),
                )
                .with("max", SEARCH_WORDS_MAX));
            }
        }
        if let (Some(from), Some(to)) = (self.created_from, self.created_to)
            && to < from
        {
            return Err(AppError::validation(
                "createdTo",
                Reason::RangeReversed,
                "The end is before the start",
            ));
        }
        Ok(self)
    }

    /// The (priority, status) view whose count the database keeps, when the filter names
    /// nothing else; `None` when it does.
    pub fn maintained_view(&self) -> Option<(Option<Priority>, Option<LeadStatus>)> {
        // Destructured, so a new filter field must be placed on one side or the other.
        let Self {
            priority,
            status,
            service_id,
            search,
            created_from,
            created_to,
        } = self;
        let other = service_id.is_some()
            || search.is_some()
            || created_from.is_some()
            || created_to.is_some();
        (!other).then_some((*priority, *status))
    }

    /// The filter's conditions on `query`, as `backend` needs them written (see `moment`).
    fn apply(&self, mut query: Select<lead::Entity>, backend: DbBackend) -> Select<lead::Entity> {
        if let Some(priority) = self.priority {
            query = query.filter(Column::Priority.eq(priority));
        }
        match self.status {
            Some(status) => query = query.filter(Column::Status.eq(status)),
            // A literal, like the search pattern: the planner sees which status is left out.
            None => {
                query = query
                    .filter(col(Column::Status).ne(Expr::Constant(LeadStatus::Spam.name().into())))
            }
        }
        if let Some(service_id) = self.service_id {
            query = query.filter(Column::ServiceId.eq(service_id));
        }
        if let Some(search) = &self.search {
            query = query.filter(matches_search(search));
        }
        if let Some(from) = self.created_from {
            query = query.filter(col(Column::CreatedAt).gte(moment(from, backend)));
        }
        if let Some(to) = self.created_to {
            query = query.filter(col(Column::CreatedAt).lt(moment(to, backend)));
        }
        query
    }
}

/// A date bound of the filter. On PostgreSQL a literal of the statement, like the search
/// pattern (see `matches_search`): planned for no dates in particular, a cached statement
/// sorted every lead of a wide range by rank through the creation-time index to show 50
/// (1.2 s at a million orders), where the walk in ranking order takes a millisecond. SQLite
/// compares stored times as text, so it gets them bound, in the very format it stores.
fn moment(at: DateTime<Utc>, backend: DbBackend) -> Expr {
    match backend {
        DbBackend::Postgres => Expr::Constant(at.into()),
        _ => Expr::value(at),
    }
}

/// Every word of the search in `search_text`, each as `search_text LIKE '%…%' ESCAPE '\'`:
/// "иванова мария" finds Мария Иванова, though her name and surname are apart, and in the
/// other order, in the text. A word of phone characters with three digits or more may also be
/// found by its digits ("(912)", "555-12"), since the search text holds every phone's digits
/// too; as typed it still finds the same characters in a comment ("кв 5-12"). A number that
/// begins with a Russian trunk prefix is also looked for with the other one (see
/// [`other_trunk`]): "8 912 555-01" finds +7 (912) 555-01-68, and the other way round. Every
/// form is a `LIKE` of its own, which the trigram index serves like any word. The patterns are
/// written into the SQL as literals (escaped by sea_query for each database), not bound as
/// parameters: PostgreSQL then plans every search for its own words. A bound pattern lets a
/// connection's cached statement fall back to one plan for any pattern (a generic plan), which
/// at a million orders meant reading the whole trigram index for a two-letter search (10 s) or
/// sorting all 70,000 matches of a common word to show 50 (1 s). Each distinct search is then
/// its own prepared statement. The trigram index serves all the words of a search in one
/// scan. A search shaped like a request number also compares the indexed `request_number`.
fn matches_search(search: &str) -> Expr {
    let contains = |text: &str| {
        let pattern = Expr::Constant(format!("%{}%", escape_like(text)).into());
        col(Column::SearchText).binary(
            BinOper::Like,
            pattern.binary(BinOper::Escape, Expr::Constant('\\'.into())),
        )
    };
    let every_word = search
        .split(' ')
        .map(|word| {
            let Some(digits) = phone_digits(word) else {
                return contains(word);
            };
            // As typed, as digits, then with the other trunk prefix: the forms the word can
            // take in the search text.
            let mut forms = if digits == word {
                contains(&digits)
            } else {
                contains(word).or(contains(&digits))
            };
            if let Some(other) = other_trunk(&digits) {
                forms = forms.or(contains(&other));
            }
            forms
        })
        .reduce(|all, word| all.and(word))
        .unwrap_or_else(|| Expr::value(true));
    match request_number(search) {
        Some(number) => every_word.or(Expr::col((lead::Entity, Alias::new("request_number")))
            .eq(Expr::Constant(number.to_owned().into()))),
        None => every_word,
    }
}

/// A search is at most this many characters, as typed.
pub const SEARCH_MAX: usize = 200;

/// A search has at most this many words (each is a condition of the statement).
pub const SEARCH_WORDS_MAX: usize = 10;

/// A search as the list looks for it: its words [`fold`]ed like the search text, one space
/// between them, each once. A search that is a phone number as a whole ("+7 (912) 555-12",
/// "912 555") becomes its digits, since the search text holds every phone's digits too.
fn normalise_search(raw: &str) -> String {
    let text = fold(raw.trim());
    if let Some(digits) = phone_digits(&text) {
        return digits;
    }
    let mut words: Vec<&str> = Vec::new();
    for word in text.split_whitespace() {
        if !words.contains(&word) {
            words.push(word);
        }
    }
    words.join(" ")
}

/// The digits of text made of phone number characters only, with three digits at least.
fn phone_digits(text: &str) -> Option<String> {
    let phone_like = text
        .chars()
        .all(|c| c.is_ascii_digit() || " +-().".contains(c));
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    (phone_like && digits.len() >= 3).then_some(digits)
}

/// A phone word's digits with the other Russian trunk prefix, when they start with one: 7 (as
/// in +7, the country code) or 8 (as dialled at home) followed by at least
/// [`TRUNK_REST_MIN`] more digits. Russian callers write their number either way, and the
/// search text holds a phone's digits as it was typed: "89125550168" is also looked for as
/// "79125550168", and "791255501" as "891255501".
///
/// The digits must be long enough that the 7 or 8 is likely the prefix rather than a number
/// of its own: "8 15" in a comment, or "7-12", is not widened. What the rule cannot tell is
/// an area code that begins with 8 or 7 typed without a prefix ("812 555", St Petersburg):
/// it is widened too, and also finds numbers holding "712555" — more matches, never fewer,
/// as the digits of any search already match anywhere in a number. A number of another
/// country is widened the same way when its digits start with 7 or 8 ("+86 …"); this is a
/// Russian desk.
fn other_trunk(digits: &str) -> Option<String> {
    let (other, rest) = match digits.split_at_checked(1)? {
        ("7", rest) => ('8', rest),
        ("8", rest) => ('7', rest),
        _ => return None,
    };
    (rest.len() >= TRUNK_REST_MIN).then(|| format!("{other}{rest}"))
}

/// Digits a number needs after its trunk prefix to be looked for with the other prefix: three,
/// an operator's or city's code, so the list finds "8 912" as it is being typed ("+7 912"
/// already did), while "8 15" is left alone.
const TRUNK_REST_MIN: usize = 3;

/// The request number in a search shaped like one: eight hex digits, `#` or `№` before them
/// allowed.
fn request_number(search: &str) -> Option<&str> {
    let number = search
        .strip_prefix('#')
        .or_else(|| search.strip_prefix('№'))
        .unwrap_or(search)
        .trim();
    (number.len() == 8 && number.chars().all(|c| c.is_ascii_hexdigit())).then_some(number)
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

#[derive(Debug)]
pub struct LeadPage {
    pub leads: Vec<Lead>,
    pub has_next_page: bool,
    /// The page starts the list (no cursor).
    pub is_first: bool,
    /// The view's kept count, when asked for with the page and the page has a row to carry it
    /// (see [`page`]).
    kept_total: Option<u64>,
}

impl LeadPage {
    /// The total, when the page itself tells it: a first page with nothing after it holds
    /// every match, and a page asked for with its kept count read it in the same statement.
    pub fn known_total(&self) -> Option<Total> {
        let whole = self.is_first && !self.has_next_page;
        whole
            .then(|| Total::exact(self.leads.len() as u64))
            .or(self.kept_total.map(Total::exact))
    }
}

/// How many leads match a filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Total {
    /// The number of matches when `exact`; otherwise [`COUNT_CAP`], and more than that match.
    pub count: u64,
    pub exact: bool,
}

impl Total {
    /// More than [`COUNT_CAP`] match.
    pub const OVER_CAP: Self = Self {
        count: COUNT_CAP,
        exact: false,
    };

    pub fn exact(count: u64) -> Self {
        Self { count, exact: true }
    }
}

/// Filters other than priority and status count this many matches at most.
pub const COUNT_CAP: u64 = 1000;

/// A column of `applications`, named with its table: a page joins `services`, which has an
/// `id` and a `created_at` too.
fn col(column: Column) -> Expr {
    Expr::col((lead::Entity, column))
}

/// A sort key's column in SQL.
fn key_column(key: Key) -> Expr {
    match key {
        Key::Score => col(Column::Score),
        other => Expr::col((lead::Entity, Alias::new(other.column()))),
    }
}

/// Rows strictly after `cursor` in its order, as one row-value comparison: both databases
/// start the sort's index walk at the cursor, so page 200 reads 50 rows, not 10,000 (spelled
/// as `score < s OR (score = s AND …)`, PostgreSQL filtered every row before the cursor).
/// The comparison names every key of the walk, a walked priority too (see [`Walk`]): without
/// it, PostgreSQL could not start its walk of the priority's queue index at the cursor, and
/// sorted all of the priority's matches instead (400 ms for a deep page of "LOW + мария").
fn after(cursor: &Cursor, walk: &Walk) -> Expr {
    let keys = cursor.order.field.keys();
    let skip = keys.len().saturating_sub(walk.keys.len());
    let mut columns: Vec<Expr> = Vec::new();
    let mut values: Vec<Expr> = Vec::new();
    if let Some(priority) = walk.priority {
        columns.push(col(Column::Priority));
        values.push(priority_literal(priority));
    }
    columns.extend(walk.keys.iter().copied().map(key_column));
    values.extend(cursor.keys.iter().skip(skip).map(|key| match key {
        KeyValue::Int(n) => Expr::value(*n),
        KeyValue::Text(text) => Expr::value(text.clone()),
    }));
    columns.extend([col(Column::CreatedAt), col(Column::Id)]);
    values.extend([Expr::value(cursor.created_at), Expr::value(cursor.id)]);
    let (columns, values) = (Expr::tuple(columns), Expr::tuple(values));
    if cursor.order.ascending {
        columns.gt(values)
    } else {
        columns.lt(values)
    }
}

/// How the database walks a page's sort: its keys, then `created_at` and `id`.
#[derive(Debug, PartialEq, Eq)]
struct Walk {
    /// The filter's priority as the walk's first key: on PostgreSQL, the queue filtered by a
    /// priority walks that priority's own queue index (priority, queue_rank, score,
    /// created_at, id). Written as an equality, the priority drops out of the ORDER BY (it is
    /// the same on every row), and PostgreSQL is free to walk the whole queue's index
    /// instead, skipping the other priorities' entries inside it — which it costs a little
    /// lower and which is slower: at a million orders "LOW + мария" read 2,257 buffers
    /// against 1,558, and the bench's four searches ran at 273–287 requests a second against
    /// 411–444. So the priority is asked for as a range of one value, and sorted by first:
    /// only its own index serves that order.
    /// SQLite needs no help: it walks the priority's queue index already.
    priority: Option<Priority>,
    /// On PostgreSQL, the filter's priority also as its band of scores, redundant as it is
    /// (a priority is a band of scores), where score is a key of the walk's index (the score
    /// sort's, the status sort's, the queue's within one status): the walk skips the other
    /// bands inside the index instead of fetching every row of them. Without it, assuming
    /// priorities spread evenly, PostgreSQL once read 117,000 rows for the first page of
    /// "LOW + мария" at a million orders (640 ms; 15 ms with it). Not on counts: there it led
    /// PostgreSQL to a sequential scan (70 ms for "LOW + мария", 21 ms through the trigram
    /// index without it). Not on SQLite, which walks the priority's own indexes already: the
    /// band led it to the score index and a sort instead (0.1 → 57 ms at 100,000 orders).
    band: Option<Priority>,
    /// The sort keys walked after it (see [`Walk::of`]), a tail of the cursor's.
    keys: Vec<Key>,
}

impl Walk {
    /// With one status asked for, the queue and status ranks are the same for every row, so
    /// those sorts walk the status's own rank index (score, created_at, id) — the same rows in
    /// the same order.
    fn of(order: LeadOrder, filter: &LeadFilter, backend: DbBackend) -> Self {
        let postgres = backend == DbBackend::Postgres;
        let (priority, keys) = match (order.field, filter.status) {
            (SortField::Queue | SortField::Status, Some(_)) => (None, vec![Key::Score]),
            (SortField::Queue, None) => (
                filter.priority.filter(|_| postgres),
                order.field.keys().to_vec(),
            ),
            (field, _) => (None, field.keys().to_vec()),
        };
        let band = filter
            .priority
            .filter(|_| postgres && priority.is_none() && keys.contains(&Key::Score));
        Self {
            priority,
            band,
            keys,
        }
    }
}

/// A priority written into the SQL, like the other filter literals: a walked priority is
/// planned for itself (see [`Walk`]).
fn priority_literal(priority: Priority) -> Expr {
    Expr::Constant(priority.as_str().into())
}

/// A page of leads. With `kept_total`, a view whose count the database keeps (see
/// [`LeadFilter::maintained_view`]) reads that count in the page's own statement, a column of
/// every row: the same snapshot as the page, and no second statement, connection or round trip
/// (which were a tenth of a first page's CPU). An empty page carries none; its total is then
/// counted apart, when asked for (an empty first page's is known: 0).
#[tracing::instrument(skip(db))]
pub async fn page(
    db: &DatabaseConnection,
    filter: &LeadFilter,
    order: LeadOrder,
    first: u64,
    cursor: Option<&Cursor>,
    kept_total: bool,
) -> AppResult<LeadPage> {
    let backend = db.get_database_backend();
    let kept_view = filter.maintained_view().filter(|_| kept_total);
    let statement = statement(backend, filter, order, first, cursor, kept_view)?;
    let mut rows = db.query_all_raw(statement).await?;
    let has_next_page = rows.len() as u64 > first;
    rows.truncate(first as usize);
    let kept_total = match (kept_view, rows.first()) {
        (Some(_), Some(row)) => Some(checked_count(row.try_get_by_index(KEPT_TOTAL_AT)?)?),
        _ => None,
    };
    let leads = rows
        .iter()
        .map(|row| {
            let mut places = Places { row, next: 0 };
            let mut lead = lead_at(&mut places)?;
            lead.current_service = Some(service_at(&mut places)?);
            Ok(lead)
        })
        .collect::<Result<_, DbErr>>()?;
    Ok(LeadPage {
        leads,
        has_next_page,
        is_first: cursor.is_none(),
        kept_total,
    })
}

/// Where a page's row holds the kept count: after the lead's columns, its text fields and the
/// service's.
const KEPT_TOTAL_AT: usize = LEAD_COLUMNS.len() + FIELDS.len() + SERVICE_COLUMNS.len();

/// What a page reads of each lead, in this order, then its text fields in the table's order
/// ([`FIELDS`]) and the service's columns: everything a [`Lead`] holds and nothing it does not
/// (the fingerprint, the duplicate keys and the search text are about a third of a stored
/// row). Read by place, see [`Places`].
const LEAD_COLUMNS: [Column; 16] = [
    Column::Id,
    Column::ServiceId,
    Column::ServiceName,
    Column::Score,
    Column::ScoreBudget,
    Column::ScoreCompanySize,
    Column::ScoreUrgency,
    Column::Status,
    Column::LostReason,
    Column::FirstResponseAt,
    Column::VisitId,
    Column::ConsentAt,
    Column::ConsentVersion,
    Column::ConsentText,
    Column::OpenedAt,
    Column::CreatedAt,
];

/// A page's row read by place, in the order of the SELECT list. By name, every value's name
/// was formatted and hashed, and every empty optional value formatted its name into an error
/// that sea-orm threw away (by place it formats the index, far cheaper): reading a page's leads
/// that way was a fifth of the server's time for the list.
struct Places<'a> {
    row: &'a QueryResult,
    next: usize,
}

impl Places<'_> {
    fn next<T: TryGetable>(&mut self) -> Result<T, DbErr> {
        let value = self.row.try_get_by_index(self.next)?;
        self.next += 1;
        Ok(value)
    }
}

/// The lead of a page's row, from [`LEAD_COLUMNS`] and the text fields; its service is not
/// read yet.
fn lead_at(row: &mut Places) -> Result<Lead, DbErr> {
    let id = row.next()?;
    let service_id = row.next()?;
    let service_name = row.next()?;
    let score = row.next()?;
    let breakdown = ScoreBreakdown {
        budget: row.next()?,
        company_size: row.next()?,
        urgency: row.next()?,
    };
    let status = row.next()?;
    let lost_reason = row.next()?;
    let first_response_at = row.next()?;
    let visit_id = row.next()?;
    let consent_at = row.next()?;
    let consent_version = row.next()?;
    let consent_text = row.next()?;
    let opened_at = row.next()?;
    let created_at = row.next()?;
    let mut text = LeadText::default();
    for field in &FIELDS {
        field.set(&mut text, row.next()?);
    }
    Ok(Lead {
        id,
        text,
        service_id,
        service_name,
        current_service: None,
        score,
        breakdown,
        // Derived from the stored score, as for every stored lead (`Lead::from`).
        priority: Priority::from_score(score),
        status,
        lost_reason,
        first_response_at,
        visit_id,
        consent_at,
        consent_version,
        consent_text,
        opened_at,
        created_at,
    })
}

/// The columns of `services` a page reads after the lead's own, in this order.
const SERVICE_COLUMNS: [service::Column; 7] = [
    service::Column::Id,
    service::Column::Name,
    service::Column::Description,
    service::Column::PriceFrom,
    service::Column::Hidden,
    service::Column::CreatedAt,
    service::Column::UpdatedAt,
];

/// The service read from [`SERVICE_COLUMNS`], the columns after the lead's; `None` when the
/// lead has none, or it was deleted (the rest of its columns are then null and left unread: the
/// kept count after them is read by its own place, [`KEPT_TOTAL_AT`]).
fn service_at(row: &mut Places) -> Result<Option<Service>, DbErr> {
    let Some(id) = row.next::<Option<Uuid>>()? else {
        return Ok(None);
    };
    Ok(Some(Service {
        id,
        name: row.next()?,
        description: row.next()?,
        price_from: row.next()?,
        hidden: row.next()?,
        created_at: row.next()?,
        updated_at: row.next()?,
    }))
}

/// The statement of a page: `first` rows and one more, which tells whether another page
/// exists. Public so tests can ask PostgreSQL how it would run one (`EXPLAIN`).
pub fn page_statement(
    backend: DbBackend,
    filter: &LeadFilter,
    order: LeadOrder,
    first: u64,
    cursor: Option<&Cursor>,
) -> AppResult<Statement> {
    statement(backend, filter, order, first, cursor, None)
}

/// [`page_statement`], with the kept count of `kept_view` as the rows' last column.
fn statement(
    backend: DbBackend,
    filter: &LeadFilter,
    order: LeadOrder,
    first: u64,
    cursor: Option<&Cursor>,
    kept_view: Option<(Option<Priority>, Option<LeadStatus>)>,
) -> AppResult<Statement> {
    if !(1..=PAGE_MAX).contains(&first) {
        return Err(AppError::validation(
            "first",
            Reason::OutOfRange,
            format!("Ask for 1 to {PAGE_MAX} leads at a time"),
        )
        .with("min", 1)
        .with("max", PAGE_MAX));
    }
    let walk = Walk::of(order, filter, backend);
    let mut query = match walk.priority {
        // The priority as a range of one value, walked first (see `Walk`), instead of the
        // filter's equality and score band.
        Some(priority) => {
            let rest = LeadFilter {
                priority: None,
                ..filter.clone()
            };
            rest.apply(lead_select(), backend).filter(
                col(Column::Priority)
                    .between(priority_literal(priority), priority_literal(priority)),
            )
        }
        None => filter.apply(lead_select(), backend),
    };
    if let Some(priority) = walk.band {
        let (min, max) = priority.score_range();
        query = query.filter(
            col(Column::Score).between(Expr::Constant(min.into()), Expr::Constant(max.into())),
        );
    }
    // Each lead's service as it is now, from the same statement: a page asked for with its
    // services (as the SPA's is) needs no second query. Read after the lead's own columns
    // (`service_at`).
    query = query.join(
        JoinType::LeftJoin,
        lead::Entity::belongs_to(service::Entity)
            .from(Column::ServiceId)
            .to(service::Column::Id)
            .into(),
    );
    // Aliased apart from the lead's own columns (it has a `service_name`).
    for column in SERVICE_COLUMNS {
        query = query.column_as(column, format!("service__{}", column.as_str()));
    }
    if let Some((priority, status)) = kept_view {
        let count = Expr::SubQuery(
            None,
            Box::new(kept_count(priority, status).into_sub_query_statement()),
        );
        query = query.expr_as(count, "kept_total");
    }
    if let Some(cursor) = cursor {
        if cursor.order != order {
            return Err(AppError::validation(
                "after",
                Reason::InvalidId,
                "Invalid cursor",
            ));
        }
        query = query.filter(after(cursor, &walk));
    }
    let direction = if order.ascending {
        sea_orm::Order::Asc
    } else {
        sea_orm::Order::Desc
    };
    if walk.priority.is_some() {
        query = query.order_by(col(Column::Priority), direction.clone());
    }
    for &key in &walk.keys {
        query = query.order_by(key_column(key), direction.clone());
    }
    let ordered = query
        .order_by(Column::CreatedAt, direction.clone())
        .order_by(Column::Id, direction)
        .build(backend);
    Ok(with_literal_limit(ordered, first + 1))
}

/// The leads' columns a page reads, in the order [`lead_at`] reads them.
fn lead_select() -> Select<lead::Entity> {
    let text = FIELDS
        .iter()
        .map(|field| Expr::col((lead::Entity, Alias::new(field.column))));
    lead::Entity::find()
        .select_only()
        .columns(LEAD_COLUMNS)
        .exprs(text)
}

/// `statement` (a query ending in its ORDER BY) limited to `rows`, the number written into the
/// SQL rather than bound. PostgreSQL runs a prepared statement on one plan for all parameter
/// values only when that plan costs no more than planning for the values at hand, and a
/// generic plan with an unknown limit is costed as reading a tenth of the table: so every
/// page was planned afresh, and planning the first page took longer than running it (1.3 ms
/// against 0.2 ms at a million orders). With the limit in the text, the first page's
/// statement has no parameter left and is planned once per connection (30 % more of them a
/// second in `pgbench`). The limit is a number the server checked (1 to `PAGE_MAX + 1`).
fn with_literal_limit(mut statement: Statement, rows: u64) -> Statement {
    statement.sql = format!("{} LIMIT {rows}", statement.sql);
    statement
}

/// Leads matching `filter`: exact for the views the database keeps a count of, capped at
/// [`COUNT_CAP`] for the rest; a filter `over_cap` remembers is not counted again.
#[tracing::instrument(skip(db, over_cap))]
pub async fn count(
    db: &DatabaseConnection,
    filter: &LeadFilter,
    over_cap: &OverCap,
) -> AppResult<Total> {
    if let Some((priority, status)) = filter.maintained_view() {
        return Ok(Total::exact(maintained(db, priority, status).await?));
    }
    if over_cap.holds(filter) {
        return Ok(Total::OVER_CAP);
    }
    let gate = over_cap.gate(filter);
    let _turn = gate.enter().await;
    // Counted over the cap while this one waited its turn.
    if over_cap.holds(filter) {
        return Ok(Total::OVER_CAP);
    }
    let ticket = over_cap.ticket();
    let total = capped(db, filter).await?;
    if !total.exact {
        over_cap.remember(filter, ticket);
    }
    Ok(total)
}

/// `lead_counts`, kept by triggers: a few rows (one per stripe) per (priority, status).
#[derive(sea_orm::DeriveIden)]
enum LeadCounts {
    Table,
    Priority,
    Status,
}

/// The sum of the view's stripes, in this statement's snapshot: as exact as `COUNT(*)`.
async fn maintained(
    db: &DatabaseConnection,
    priority: Option<Priority>,
    status: Option<LeadStatus>,
) -> AppResult<u64> {
    read_count(db, &kept_count(priority, status)).await
}

/// Every (priority, status) the table has leads of, with its count (spam too): the sums of
/// `lead_counts`' stripes, a few dozen rows whatever the desk's size.
pub(super) async fn kept_counts(
    db: &DatabaseConnection,
) -> AppResult<Vec<(Priority, LeadStatus, u64)>> {
    let mut query = Query::select();
    query
        .column(LeadCounts::Priority)
        .column(LeadCounts::Status)
        .expr_as(
            Expr::cust("CAST(COALESCE(SUM(n), 0) AS BIGINT)"),
            Alias::new("n"),
        )
        .from(LeadCounts::Table)
        .group_by_col(LeadCounts::Priority)
        .group_by_col(LeadCounts::Status);
    db.query_all(&query)
        .await?
        .iter()
        .map(|row| {
            let n: i64 = row.try_get("", "n")?;
            Ok((
                row.try_get("", "priority")?,
                row.try_get("", "status")?,
                checked_count(n)?,
            ))
        })
        .collect()
}

/// The statement summing a view's stripes, as `n`. The priority and status are written into
/// the SQL, like the page's filter literals: inside a page's statement, a bound value would
/// leave it a parameter, and so a plan made for each run instead of once (see
/// `with_literal_limit`).
fn kept_count(
    priority: Option<Priority>,
    status: Option<LeadStatus>,
) -> sea_orm::sea_query::SelectStatement {
    let literal = |status: LeadStatus| Expr::Constant(status.name().into());
    let mut query = Query::select();
    // SUM of a bigint is numeric on PostgreSQL: read it back as a bigint on both.
    query
        .expr_as(
            Expr::cust("CAST(COALESCE(SUM(n), 0) AS BIGINT)"),
            Alias::new("n"),
        )
        .from(LeadCounts::Table);
    if let Some(priority) = priority {
        query.and_where(Expr::col(LeadCounts::Priority).eq(priority_literal(priority)));
    }
    match status {
        Some(status) => query.and_where(Expr::col(LeadCounts::Status).eq(literal(status))),
        None => query.and_where(Expr::col(LeadCounts::Status).ne(literal(LeadStatus::Spam))),
    };
    query
}

/// Counts the first `COUNT_CAP + 1` matches: one more than the cap tells "more than".
async fn capped(db: &DatabaseConnection, filter: &LeadFilter) -> AppResult<Total> {
    let matches = filter
        .apply(lead::Entity::find(), db.get_database_backend())
        .select_only()
        .expr(Expr::cust("1"))
        .limit(COUNT_CAP + 1)
        .into_query();
    let query = Query::select()
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
        .from_subquery(matches, Alias::new("matches"))
        .to_owned();
    let n = read_count(db, &query).await?;
    Ok(if n > COUNT_CAP {
        Total::OVER_CAP
    } else {
        Total::exact(n)
    })
}

async fn read_count(
    db: &DatabaseConnection,
    query: &sea_orm::sea_query::SelectStatement,
) -> AppResult<u64> {
    let n: i64 = match db.query_one(query).await? {
        Some(row) => row.try_get("", "n")?,
        None => 0,
    };
    checked_count(n)
}

/// A stripe may go below zero (a lead counted in on one, out on another); a sum never, unless
/// the table was damaged: say so rather than show a number.
fn checked_count(n: i64) -> AppResult<u64> {
    u64::try_from(n).map_err(|_| AppError::Internal(anyhow::anyhow!("lead count below zero: {n}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sql(backend: DbBackend, search: &str) -> (String, usize) {
        let filter = LeadFilter {
            search: Some(search.to_owned()),
            ..LeadFilter::default()
        };
        let statement = filter.apply(lead::Entity::find(), backend).build(backend);
        let params = statement.values.map_or(0, |v| v.0.len());
        (statement.sql, params)
    }

    /// The search condition PostgreSQL is given for `words`, each word its forms (as typed, as
    /// digits, with the other trunk prefix): every word, any of its forms. Plain text only (the
    /// escaping has a test of its own).
    fn pg_search(words: &[&[&str]]) -> String {
        let joined = |parts: Vec<String>, with: &str| match parts.len() {
            1 => parts.concat(),
            _ => format!("({})", parts.join(with)),
        };
        let word = |forms: &[&str]| {
            let likes = forms
                .iter()
                .map(|form| format!(r#""applications"."search_text" LIKE '%{form}%' ESCAPE E'\\'"#))
                .collect();
            joined(likes, " OR ")
        };
        joined(words.iter().map(|forms| word(forms)).collect(), " AND ")
    }

    #[test]
    fn phone_searches_are_their_digits() {
        for (typed, searched) in [
            ("912 555", "912555"),
            ("+7 (912) 555-12-34", "79125551234"),
            ("  9125551234 ", "9125551234"),
            // Too few digits, or words among them: searched as typed.
            ("12", "12"),
            ("ИВАН 912", "иван 912"),
            ("ул. Ленина, 5", "ул. ленина, 5"),
            // Among other words, phone characters stay as typed (see `matches_search`).
            ("Иванова +7 (912) 555-12", "иванова +7 (912) 555-12"),
        ] {
            assert_eq!(normalise_search(typed), searched, "{typed}");
        }
    }

    #[test]
    fn searches_are_their_words_folded_each_once() {
        assert_eq!(
            normalise_search("  Иванова\tМария   ИВАНОВА Фёдоровна "),
            "иванова мария федоровна"
        );
        let too_many = LeadFilter {
            search: Some("a b c d e f g h i j k".to_owned()),
            ..LeadFilter::default()
        };
        assert!(too_many.validated().is_err(), "eleven words");
        let ten = LeadFilter {
            search: Some("a b c d e f g h i j j".to_owned()),
            ..LeadFilter::default()
        };
        assert_eq!(
            ten.validated().unwrap().search.as_deref(),
            Some("a b c d e f g h i j")
        );
    }

    #[test]
    fn request_numbers_are_eight_hex_digits() {
        assert_eq!(request_number("0a1b2c3d"), Some("0a1b2c3d"));
        assert_eq!(request_number("#0a1b2c3d"), Some("0a1b2c3d"));
        assert_eq!(request_number("№ 0a1b2c3d"), Some("0a1b2c3d"));
        assert_eq!(request_number("0a1b2c3"), None);
        assert_eq!(request_number("0a1b2c3g"), None);
        assert_eq!(request_number("иван"), None);
    }

    /// The first page of the queue binds nothing, so PostgreSQL plans its prepared statement
    /// once per connection (see `with_literal_limit`); a later page binds its cursor only. A
    /// kept count read with a page binds nothing more, whichever view it counts.
    #[test]
    fn a_page_binds_no_limit() {
        let order = LeadOrder {
            field: SortField::Queue,
            ascending: false,
        };
        let filter = LeadFilter::default();
        for backend in [DbBackend::Postgres, DbBackend::Sqlite] {
            let first = page_statement(backend, &filter, order, 50, None).unwrap();
            assert!(first.values.is_none_or(|v| v.0.is_empty()), "{}", first.sql);
            assert!(
                first.sql.ends_with(r#""id" DESC LIMIT 51"#),
                "{}",
                first.sql
            );
            for (priority, status) in [
                (None, None),
                (Some(Priority::Low), None),
                (None, Some(LeadStatus::Won)),
                (Some(Priority::Urgent), Some(LeadStatus::New)),
            ] {
                let view = LeadFilter {
                    priority,
                    status,
                    ..LeadFilter::default()
                };
                let binds = |statement: Statement| statement.values.map_or(0, |v| v.0.len());
                let kept = view.maintained_view();
                let with_total = statement(backend, &view, order, 50, None, kept).unwrap();
                assert!(with_total.sql.contains("lead_counts"), "{}", with_total.sql);
                let without = page_statement(backend, &view, order, 50, None).unwrap();
                assert_eq!(binds(with_total), binds(without));
            }

            let cursor = Cursor {
                order,
                keys: vec![KeyValue::Int(2), KeyValue::Int(70)],
                created_at: "2026-02-01T00:00:00Z".parse().unwrap(),
                id: Uuid::nil(),
            };
            let later = page_statement(backend, &filter, order, 50, Some(&cursor)).unwrap();
            assert_eq!(later.values.map_or(0, |v| v.0.len()), 4, "{}", later.sql);
            assert!(later.sql.ends_with(" LIMIT 51"), "{}", later.sql);
        }
    }

    /// On PostgreSQL the queue filtered by a priority walks that priority first, asked for as
    /// a range of one value, and its cursor names it too (see `Walk`); SQLite and the other
    /// sorts keep the equality.
    #[test]
    fn a_priority_leads_the_queue_walk_on_postgres() {
        let queue = LeadOrder {
            field: SortField::Queue,
            ascending: false,
        };
        let filter = LeadFilter {
            priority: Some(Priority::Low),
            ..LeadFilter::default()
        };
        let cursor = Cursor {
            order: queue,
            keys: vec![KeyValue::Int(1), KeyValue::Int(30)],
            created_at: "2026-02-01T00:00:00Z".parse().unwrap(),
            id: Uuid::nil(),
        };
        let pg = page_statement(DbBackend::Postgres, &filter, queue, 50, Some(&cursor)).unwrap();
        for part in [
            r#""applications"."priority" BETWEEN 'LOW' AND 'LOW'"#,
            r#"("applications"."priority", "applications"."queue_rank", "applications"."score", "applications"."created_at", "applications"."id") < ('LOW', $1, $2, $3, $4)"#,
            r#"ORDER BY "applications"."priority" DESC, "applications"."queue_rank" DESC"#,
        ] {
            assert!(pg.sql.contains(part), "{part} in {}", pg.sql);
        }
        assert!(!pg.sql.contains(r#""priority" = "#), "{}", pg.sql);
        assert!(!pg.sql.contains(r#""score" BETWEEN"#), "{}", pg.sql);

        let score = LeadOrder {
            field: SortField::Score,
            ascending: false,
        };
        for (backend, order) in [(DbBackend::Sqlite, queue), (DbBackend::Postgres, score)] {
            let other = page_statement(backend, &filter, order, 50, None).unwrap();
            assert!(other.sql.contains(r#""priority" = "#), "{}", other.sql);
            assert!(
                !other.sql.contains(r#"BY "applications"."priority""#),
                "{}",
                other.sql
            );
            // The score band, where score is walked on PostgreSQL (see `Walk::band`).
            let band = r#""applications"."score" BETWEEN 0 AND 49"#;
            assert_eq!(
                other.sql.contains(band),
                backend == DbBackend::Postgres,
                "{}",
                other.sql
            );
        }
    }

    /// Date bounds are literals on PostgreSQL (see `moment`), bound values on SQLite.
    #[test]
    fn date_bounds_are_literals_on_postgres() {
        let filter = LeadFilter {
            created_from: "2026-02-01T00:00:00Z".parse().ok(),
            ..LeadFilter::default()
        };
        let pg = filter
            .apply(lead::Entity::find(), DbBackend::Postgres)
            .build(DbBackend::Postgres);
        assert!(pg.values.is_none_or(|v| v.0.is_empty()), "{}", pg.sql);
        assert!(
            pg.sql
                .ends_with(r#""created_at" >= '2026-02-01 00:00:00.000000 +00:00'"#),
            "{}",
            pg.sql
        );
        let sqlite = filter
            .apply(lead::Entity::find(), DbBackend::Sqlite)
            .build(DbBackend::Sqlite);
        assert_eq!(sqlite.values.map_or(0, |v| v.0.len()), 1, "{}", sqlite.sql);
    }

    /// A word of phone characters is looked for as typed or as its digits.
    #[test]
    fn a_number_group_is_looked_for_as_typed_or_as_digits() {
        let (pg, params) = sql(DbBackend::Postgres, "кв 5-12");
        assert_eq!(params, 0, "{pg}");
        assert!(
            pg.ends_with(&pg_search(&[&["кв"], &["5-12", "512"]])),
            "{pg}"
        );
    }

    /// A number with a Russian trunk prefix (7 or 8, three digits or more after it) is also
    /// looked for with the other prefix, each form a literal pattern of its own; a short one
    /// ("8 15") or one without the prefix is looked for as before.
    #[test]
    fn a_trunk_prefixed_number_is_looked_for_with_either_prefix() {
        for (search, forms) in [
            ("89125550168", vec!["89125550168", "79125550168"]),
            ("79125550168", vec!["79125550168", "89125550168"]),
            ("891255501", vec!["891255501", "791255501"]),
            ("791255", vec!["791255", "891255"]),
            ("8-912-555", vec!["8-912-555", "8912555", "7912555"]),
            ("79125", vec!["79125", "89125"]),
            ("8912", vec!["8912", "7912"]),
            // Too short to be a prefix and a number, or no prefix: as before.
            ("815", vec!["815"]),
            ("712", vec!["712"]),
            ("9125550168", vec!["9125550168"]),
            ("5-12", vec!["5-12", "512"]),
        ] {
            let (pg, params) = sql(DbBackend::Postgres, search);
            assert_eq!(params, 0, "{pg}");
            let expected = pg_search(&[&forms]);
            assert!(pg.ends_with(&format!("AND {expected}")), "{search}: {pg}");
        }
        // Among other words, each word by itself.
        let (pg, _) = sql(DbBackend::Postgres, "иванова 89125550168");
        let expected = pg_search(&[&["иванова"], &["89125550168", "79125550168"]]);
        assert!(pg.ends_with(&expected), "{pg}");
        // A whole search of phone characters is its digits first ("8 15" in a comment).
        assert_eq!(normalise_search("8 15"), "815");
        assert_eq!(normalise_search("8 912 555-01-68"), "89125550168");
    }

    /// A single word that is not a number is one pattern, as it always was.
    #[test]
    fn a_word_is_one_pattern() {
        let (pg, params) = sql(DbBackend::Postgres, "иванова");
        assert_eq!(params, 0, "{pg}");
        assert!(
            pg.ends_with(&format!("AND {}", pg_search(&[&["иванова"]]))),
            "{pg}"
        );
        let (sqlite, _) = sql(DbBackend::Sqlite, "иванова");
        assert!(
            sqlite.ends_with(r#"AND "applications"."search_text" LIKE '%иванова%' ESCAPE '\'"#),
            "{sqlite}"
        );
    }

    /// Each word's pattern is a literal of the statement, escaped for each database, never a
    /// parameter (see `matches_search`); quotes, backslashes, `%` and `_` stay text.
    #[test]
    fn the_search_pattern_is_written_into_the_statement() {
        let (pg, params) = sql(DbBackend::Postgres, "о'нил 100%_ \\");
        assert_eq!(params, 0, "{pg}");
        assert!(
            pg.ends_with(concat!(
                r#"("applications"."search_text" LIKE E'%о\'нил%' ESCAPE E'\\' AND "#,
                r#""applications"."search_text" LIKE E'%100\\%\\_%' ESCAPE E'\\' AND "#,
                r#""applications"."search_text" LIKE E'%\\\\%' ESCAPE E'\\')"#,
            )),
            "{pg}"
        );
        let (sqlite, params) = sql(DbBackend::Sqlite, "о'нил 100%_ \\");
        assert_eq!(params, 0, "{sqlite}");
        assert!(
            sqlite.ends_with(concat!(
                r#"("applications"."search_text" LIKE '%о''нил%' ESCAPE '\' AND "#,
                r#""applications"."search_text" LIKE '%100\%\_%' ESCAPE '\' AND "#,
                r#""applications"."search_text" LIKE '%\\%' ESCAPE '\')"#,
            )),
            "{sqlite}"
        );
    }
}
