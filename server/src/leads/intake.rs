//! Public intake of leads (the visitors' orders): validation, spam guards, scoring, storage,
//! announcement.
//!
//! A lead is committed before the visitor gets an answer, so an acknowledged order is never
//! lost. Spam (a filled honeypot, or the same order again from the same visit within a minute)
//! gets an ordinary-looking answer and stores nothing. An order from the e-mail or phone of a
//! lead an admin marked as spam (`spam_contacts`) is stored with status SPAM, recorded in its
//! history as the system's doing, and announced to nobody: it never enters the work queue.

use std::{
    collections::{BTreeSet, HashMap, HashSet},
    sync::Arc,
};

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityName, EntityTrait,
    IdenStatic, Iterable, QueryFilter, QuerySelect, Statement, TransactionTrait, Value,
    sea_query::{ExprTrait, OnConflict},
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::{
    LeadStatus, history,
    search_index::Merger,
    spam_keys,
    text::{LeadText, Section},
};
use crate::{
    business,
    db::{
        self, WriteTurns,
        entities::{lead, spam_contact},
    },
    error::{AppError, AppResult, Reason},
    events::{Event, Events},
    group_commit::GroupCommit,
    metrics::{Aggregator, ingest},
    notify::{self, Outbox},
    scoring::{self, Priority, ScoreInput},
    services,
    values::{now, optional_text, parse_id},
};

/// The answer a visitor gets. Never the score.
#[derive(Debug, Clone, Copy)]
pub struct Receipt {
    pub id: Uuid,
    pub created_at: DateTime<Utc>,
}

// The form's length limits, used by the table in `text.rs` (the public page's tests read them
// from this file).
pub const NAME_MAX: usize = 100;
pub const PHONE_MAX: usize = 20;
/// Digits a phone needs to be one the business can call back (its own phone's too).
pub const PHONE_MIN_DIGITS: usize = 5;
pub const NICHE_MAX: usize = 100;
pub const COMPANY_SIZE_MAX: usize = 50;
pub const SHORT_TEXT_MAX: usize = 100;
pub const CONTACT_METHOD_MAX: usize = 50;
pub const LONG_TEXT_MAX: usize = 5000;
const DUPLICATE_WINDOW_SECONDS: i64 = 60;

/// What the public form sent, checked.
#[derive(Debug, Clone)]
pub enum Submission {
    Lead(Box<LeadDraft>),
    /// The honeypot was filled: answered like an order, never stored.
    Spam,
}

impl Submission {
    /// The honeypot is looked at first, so a bot's form is never validated (it learns
    /// nothing); then [`LeadDraft::parse`].
    pub fn parse(
        text: LeadText,
        service_id: Option<&str>,
        visit_id: Option<&str>,
        honeypot: Option<&str>,
    ) -> AppResult<Self> {
        if optional_text(honeypot).is_some() {
            return Ok(Self::Spam);
        }
        let draft = LeadDraft::parse(text, service_id, visit_id)?;
        Ok(Self::Lead(Box::new(draft)))
    }

    /// The visitor's consent to the processing of their data: required (checked after every
    /// field, as the box sits under them). Spam stays spam.
    pub fn consented(self, consent: Option<bool>) -> AppResult<Self> {
        match self {
            Self::Lead(mut draft) => {
                if consent != Some(true) {
                    return Err(AppError::validation(
                        "consent",
                        Reason::Required,
                        "Consent to the processing of personal data is required",
                    ));
                }
                draft.consented = true;
                Ok(Self::Lead(draft))
            }
            Self::Spam => Ok(Self::Spam),
        }
    }
}

/// A lead that passed validation, about to be stored.
#[derive(Debug, Clone)]
pub struct LeadDraft {
    text: LeadText,
    service_id: Option<Uuid>,
    visit_id: Option<Uuid>,
    /// The visitor ticked the consent box ([`Submission::consented`]).
    consented: bool,
}

impl LeadDraft {
    /// Checks what the visitor typed field by field in form order (the contact fields, the
    /// service, the rest, then the visit); the first bad field is named.
    pub fn parse(
        mut text: LeadText,
        service_id: Option<&str>,
        visit_id: Option<&str>,
    ) -> AppResult<Self> {
        text.check(Section::Contact)?;
        let service_id = optional_text(service_id)
            .map(|id| parse_id("serviceId", &id))
            .transpose()?;
        text.check(Section::About)?;
        let visit_id = optional_text(visit_id)
            .map(|id| parse_id("visitId", &id))
            .transpose()?;
        Ok(Self {
            text,
            service_id,
            visit_id,
            consented: false,
        })
    }

    /// Same visit and same content hash the same; the duplicate guard compares these.
    fn fingerprint(&self, visit_id: Uuid) -> String {
        let mut hasher = Sha256::new();
        hasher.update(visit_id.as_bytes());
        for value in self.text.values() {
            // A separator that cannot appear in text keeps ("ab", "c") apart from ("a", "bc").
            hasher.update([0u8]);
            hasher.update(value.unwrap_or("").as_bytes());
        }
        hasher.update(self.service_id.map(|id| *id.as_bytes()).unwrap_or_default());
        hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// An order about to be stored: a validated draft and when it arrived.
#[derive(Debug)]
pub struct Order {
    draft: LeadDraft,
    created_at: DateTime<Utc>,
}

/// Stores requests' orders, many per round trip (see `group_commit`), with one writer: twins
/// (the same order sent twice from one visit) meet in one group or in consecutive ones.
#[derive(Clone)]
pub struct OrderWriter(GroupCommit<Order, Receipt>);

/// One writer, on PostgreSQL too. Unlike tracker batches, two writers' groups of orders do not
/// overlap usefully: each group inserts into one table with a trigram search index (its pending
/// list takes inserts one at a time), keeps counters by trigger and links visits, so a second
/// writer mostly halves the groups and doubles the statements per order. Measured under the
/// orders bench (32 connections, alternated runs): 2,594-2,663 orders a second with two
/// writers, 3,283-3,287 with one, p50 11 -> 8.4 ms.
const WRITERS: usize = 1;

impl OrderWriter {
    /// Starts the writer. Orders hot enough for `outbox` get their notifications written in
    /// the transaction that stores them; `search` hears how many orders each group stored. On
    /// SQLite each group waits for its turn among the writers (`turns`).
    pub fn spawn(
        db: DatabaseConnection,
        events: Events,
        metrics: Arc<Aggregator>,
        outbox: Outbox,
        search: Merger,
        turns: WriteTurns,
    ) -> Self {
        Self(GroupCommit::spawn(
            "order",
            WRITERS,
            move |orders: Vec<Order>| {
                let (db, events, metrics, outbox, search, turns) = (
                    db.clone(),
                    events.clone(),
                    metrics.clone(),
                    outbox.clone(),
                    search.clone(),
                    turns.clone(),
                );
                async move {
                    let stored = orders.len();
                    let turn = turns.take().await;
                    let answers = store_all(&db, &events, &metrics, Some(&outbox), orders).await;
                    drop(turn);
                    // Every order of the group counts, stored or not (a twin, a refusal): the
                    // count only times the next merge.
                    search.added(stored);
                    answers
                }
            },
        ))
    }

    /// Stores every order handed over so far and stops (see `GroupCommit::drain`).
    pub async fn drain(&self) {
        self.0.drain().await;
    }
}

/// Takes a visitor's order; answers once it is stored.
pub async fn submit(orders: &OrderWriter, submission: Submission) -> AppResult<Receipt> {
    match submission {
        Submission::Lead(draft) => {
            let order = Order {
                draft: *draft,
                created_at: now(),
            };
            // One lane (see `WRITERS`).
            orders.0.submit(0, order).await
        }
        Submission::Spam => Ok(spam_receipt()),
    }
}

/// Stores one order on its own (the demo seeder; requests go through the writer). It sends no
/// notifications: demo orders must not reach a real chat.
pub async fn store(
    db: &DatabaseConnection,
    events: &Events,
    metrics: &Aggregator,
    submission: Submission,
) -> AppResult<Receipt> {
    let draft = match submission {
        Submission::Lead(draft) => *draft,
        Submission::Spam => return Ok(spam_receipt()),
    };
    let mut receipts = store_group(db, events, metrics, vec![draft]).await?;
    receipts.pop().expect("one receipt per order")
}

/// Stores orders as one group, as the writer stores what arrived together, without
/// notifications; each has its answer (see `store_all`).
pub async fn store_group(
    db: &DatabaseConnection,
    events: &Events,
    metrics: &Aggregator,
    drafts: Vec<LeadDraft>,
) -> AppResult<Vec<AppResult<Receipt>>> {
    let orders = drafts
        .into_iter()
        .map(|draft| Order {
            draft,
            created_at: now(),
        })
        .collect();
    store_all(db, events, metrics, None, orders).await
}

fn spam_receipt() -> Receipt {
    tracing::info!("honeypot filled: order discarded");
    Receipt {
        id: Uuid::now_v7(),
        created_at: now(),
    }
}

/// An order of the group that is to be inserted.
struct NewLead {
    /// Its place among the group's answers.
    index: usize,
    id: Uuid,
    visit_id: Option<Uuid>,
    dedup_keys: Option<(String, String)>,
    priority: Priority,
    /// From a spam-marked contact: stored as spam, announced to nobody.
    spam: bool,
}

/// Stores `orders` in arrival order with a few statements for all of them: their services
/// and recent twins are read at once, the new rows go in with one INSERT, their visits are
/// linked with one UPDATE, and the events go out in one NOTIFY statement. Orders that `outbox`
/// announces get their notification rows in the same transaction as the INSERT (only those
/// actually inserted). The outer error means none was stored; otherwise each order has its own
/// answer: stored, a duplicate of an order stored within the minute (answered with that
/// order's receipt), or refused.
#[tracing::instrument(skip_all, fields(orders = orders.len()))]
async fn store_all(
    db: &DatabaseConnection,
    events: &Events,
    metrics: &Aggregator,
    outbox: Option<&Outbox>,
    orders: Vec<Order>,
) -> AppResult<Vec<AppResult<Receipt>>> {
    let fingerprints: Vec<Option<String>> = orders
        .iter()
        .map(|o| o.draft.visit_id.map(|visit| o.draft.fingerprint(visit)))
        .collect();
    // Side by side, on two connections: neither depends on the other.
    let contacts: Vec<Vec<String>> = orders
        .iter()
        .map(|o| spam_keys(&o.draft.text.email, o.draft.text.phone.as_deref()))
        .collect();
    let (service_names, mut stored, consent, spammers) = tokio::try_join!(
        service_names(db, &orders),
        recent_orders(db, &orders, &fingerprints),
        business::consent(db),
        spam_contacts(db, &contacts)
    )?;

    let mut answers = Vec::with_capacity(orders.len());
    let mut rows = Vec::new();
    let mut new_leads = Vec::new();
    // A twin within the group answers as the order it repeats: (its place, the order's place).
    let mut first_of: HashMap<Uuid, usize> = HashMap::new();
    let mut group_twins: Vec<(usize, usize)> = Vec::new();
    for (index, ((order, fingerprint), contacts)) in orders
        .into_iter()
        .zip(fingerprints)
        .zip(contacts)
        .enumerate()
    {
        let Order { draft, created_at } = order;
        let spam = contacts.iter().any(|c| spammers.contains(c));
        // A repeat is answered as the order it repeats before its service is looked at: one
        // resent after its answer was lost gets its receipt even if the service was hidden or
        // deleted meanwhile.
        if let Some(original) = fingerprint.as_ref().and_then(|fp| {
            let since = created_at - Duration::seconds(DUPLICATE_WINDOW_SECONDS);
            stored.get(fp).filter(|r| r.created_at >= since).copied()
        }) {
            tracing::info!(id = %original.id, "duplicate order from the same visit: not stored again");
            if let Some(&first) = first_of.get(&original.id) {
                group_twins.push((index, first));
            }
            answers.push(Ok(original));
            continue;
        }
        let service_name = match draft.service_id {
            None => None,
            Some(id) => match service_names.get(&id) {
                Some(name) => Some(name.clone()),
                None => {
                    answers.push(Err(AppError::validation(
                        "serviceId",
                        Reason::Unavailable,
                        "This service is not offered now",
                    )));
                    continue;
                }
            },
        };
        let id = Uuid::now_v7();
        first_of.insert(id, index);
        let dedup_keys = fingerprint.as_deref().map(|fp| dedup_keys(fp, created_at));
        if let Some(fp) = &fingerprint {
            stored.insert(fp.clone(), Receipt { id, created_at });
        }
        let visit_id = draft.visit_id;
        let (row, priority) = lead_row(
            draft,
            id,
            created_at,
            service_name,
            fingerprint,
            dedup_keys.clone(),
            &consent,
        );
        new_leads.push(NewLead {
            index,
            id,
            visit_id,
            dedup_keys,
            priority,
            spam,
        });
        let mut row = row;
        if spam {
            row.status = Set(LeadStatus::Spam);
        }
        rows.push(row);
        answers.push(Ok(Receipt { id, created_at }));
    }
    if rows.is_empty() {
        return Ok(answers);
    }

    // Concurrent double submits (on another replica, or committed since our read) share a
    // bucket of at least one of two grids: the unique keys let the database keep exactly one,
    // and the other gets the kept one's receipt.
    let ids: Vec<Uuid> = new_leads.iter().map(|l| l.id).collect();
    // Spam (the guard's catches) is announced to nobody.
    let announced = outbox.filter(|o| new_leads.iter().any(|l| !l.spam && o.announces(l.priority)));
    let present = match announced {
        // Only without notifications to write is the INSERT a transaction of its own.
        None => insert_leads(db, rows, ids).await?,
        Some(outbox) => {
            let txn = db.begin().await?;
            let present = insert_leads(&txn, rows, ids).await?;
            let stored = new_leads
                .iter()
                .filter(|l| !l.spam && present.as_ref().is_none_or(|p| p.contains(&l.id)))
                .map(|l| (l.id, l.priority));
            notify::insert_rows(&txn, outbox.new_order_rows(stored, now())).await?;
            txn.commit().await?;
            outbox.wake();
            present
        }
    };
    if let Some(present) = present {
        let mut kept = Vec::with_capacity(new_leads.len());
        for lead in new_leads {
            if present.contains(&lead.id) {
                kept.push(lead);
                continue;
            }
            let original = by_dedup_key(db, lead.dedup_keys).await;
            if let Ok(original) = &original {
                tracing::info!(id = %original.id, "concurrent duplicate order: not stored again");
            }
            answers[lead.index] = original;
        }
        new_leads = kept;
        // The order a twin repeats may have just been refused for one stored elsewhere: the
        // twin names that one too, never an id that was not stored.
        for (twin, first) in group_twins {
            answers[twin] = match &answers[first] {
                Ok(receipt) => Ok(*receipt),
                Err(_) => Err(AppError::internal(anyhow::anyhow!(
                    "the order this one repeats was not stored"
                ))),
            };
        }
    }
    for lead in &new_leads {
        tracing::info!(id = %lead.id, spam = lead.spam, "order received");
    }
    let caught: Vec<Uuid> = new_leads.iter().filter(|l| l.spam).map(|l| l.id).collect();
    if let Err(err) = history::record_spam_guard(db, &caught).await {
        tracing::warn!(error = ?err, "could not record the spam guard in the history");
    }
    new_leads.retain(|l| !l.spam);

    // The orders are stored; failing to mark their visits converted must not fail them.
    let links: Vec<(Uuid, Uuid)> = new_leads
        .iter()
        .filter_map(|l| Some((l.visit_id?, l.id)))
        .collect();
    let announced = events.publish_all(new_leads.iter().map(|l| Event::LeadCreated(l.id)));
    let (linked, ()) = tokio::join!(ingest::link_orders(db, metrics, &links), announced);
    if let Err(err) = linked {
        tracing::warn!(error = ?err, "could not link orders to their visits");
    }
    Ok(answers)
}

/// Inserts the group's rows; a row the unique keys refused (a concurrent twin) is skipped.
/// Returns the ids that are stored when some were skipped, `None` when all were inserted.
async fn insert_leads(
    conn: &impl ConnectionTrait,
    rows: Vec<lead::ActiveModel>,
    ids: Vec<Uuid>,
) -> AppResult<Option<HashSet<Uuid>>> {
    let expected = rows.len() as u64;
    let inserted = match conn.get_database_backend() {
        DbBackend::Postgres => insert_as_json(conn, &rows).await?,
        _ => {
            lead::Entity::insert_many(rows)
                .on_conflict(OnConflict::new().do_nothing().to_owned())
                .exec_without_returning(conn)
                .await?
        }
    };
    if inserted == expected {
        return Ok(None);
    }
    let present = lead::Entity::find()
        .select_only()
        .column(lead::Column::Id)
        .filter(lead::Column::Id.is_in(ids))
        .into_tuple()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    Ok(Some(present))
}

/// PostgreSQL: the group's rows go as one JSON array, read back as the table's own row type.
/// The statement's text is then the same for any number of rows, so it stays prepared and its
/// plan (a function scan feeding the insert, nothing to choose) is reused; a multi-row `VALUES`
/// is parsed and planned again for each new group size. Measured under the orders bench
/// (README, Performance): with `one_of` in the reads, 5–11 % more orders a second.
async fn insert_as_json(conn: &impl ConnectionTrait, rows: &[lead::ActiveModel]) -> AppResult<u64> {
    // Every row is made by `lead_row`, so all set the same columns; the ones it leaves unset
    // are left out, and get their defaults, as with `insert_many`.
    let columns: Vec<lead::Column> = lead::Column::iter()
        .filter(|c| rows.first().is_some_and(|row| row.get(*c).is_set()))
        .collect();
    let mut records = Vec::with_capacity(rows.len());
    for row in rows {
        let mut record = serde_json::Map::with_capacity(columns.len());
        for column in &columns {
            let value = row.get(*column).into_value().ok_or_else(|| {
                AppError::internal(anyhow::anyhow!(
                    "{} unset in one row of a group",
                    column.as_str()
                ))
            })?;
            record.insert(column.as_str().to_owned(), json_of(*column, value)?);
        }
        records.push(serde_json::Value::Object(record));
    }
    let names = columns
        .iter()
        .map(|c| format!("\"{}\"", c.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    let table = lead::Entity.table_name();
    let sql = format!(
        "INSERT INTO {table} ({names}) SELECT {names} \
         FROM json_populate_recordset(NULL::{table}, $1::json) ON CONFLICT DO NOTHING"
    );
    let json = serde_json::Value::Array(records).to_string();
    let result = conn
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            sql,
            [json.into()],
        ))
        .await?;
    Ok(result.rows_affected())
}

/// A column's value as `json_populate_recordset` reads it: text in the type's input syntax
/// (times to the microsecond, as stored), numbers as numbers, null as null.
fn json_of(column: lead::Column, value: Value) -> AppResult<serde_json::Value> {
    use serde_json::Value as Json;
    Ok(match value {
        Value::Uuid(v) => v.map_or(Json::Null, |v| Json::String(v.to_string())),
        Value::String(v) => v.map_or(Json::Null, Json::String),
        Value::Int(v) => v.map_or(Json::Null, Json::from),
        Value::ChronoDateTimeUtc(v) => v.map_or(Json::Null, |v| {
            Json::String(v.to_rfc3339_opts(chrono::SecondsFormat::Micros, true))
        }),
        // Named by its column only: a value may be someone's data.
        _ => {
            return Err(AppError::internal(anyhow::anyhow!(
                "{} is of a type the JSON insert does not write",
                column.as_str()
            )));
        }
    })
}

/// Which of `contacts` belong to a spam-marked lead.
async fn spam_contacts(
    db: &DatabaseConnection,
    contacts: &[Vec<String>],
) -> AppResult<HashSet<String>> {
    let wanted: BTreeSet<&str> = contacts.iter().flatten().map(String::as_str).collect();
    if wanted.is_empty() {
        return Ok(HashSet::new());
    }
    Ok(spam_contact::Entity::find()
        .select_only()
        .column(spam_contact::Column::Contact)
        .filter(db::one_of(
            db.get_database_backend(),
            spam_contact::Column::Contact,
            wanted.into_iter().map(str::to_owned).collect(),
        ))
        .into_tuple::<String>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

/// The names of the services the orders chose (ones deleted or hidden since are absent).
async fn service_names(
    db: &DatabaseConnection,
    orders: &[Order],
) -> AppResult<HashMap<Uuid, String>> {
    let ids: Vec<Uuid> = orders.iter().filter_map(|o| o.draft.service_id).collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(services::find_many(db, &ids, services::Listed::Offered)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect())
}

/// Orders stored within the duplicate window of the oldest order of the group with one of
/// these fingerprints.
async fn recent_orders(
    db: &DatabaseConnection,
    orders: &[Order],
    fingerprints: &[Option<String>],
) -> AppResult<HashMap<String, Receipt>> {
    let wanted: BTreeSet<&str> = fingerprints.iter().flatten().map(String::as_str).collect();
    let Some(oldest) = orders.iter().map(|o| o.created_at).min() else {
        return Ok(HashMap::new());
    };
    if wanted.is_empty() {
        return Ok(HashMap::new());
    }
    let since = oldest - Duration::seconds(DUPLICATE_WINDOW_SECONDS);
    let rows: Vec<(Option<String>, Uuid, DateTime<Utc>)> = lead::Entity::find()
        .select_only()
        .columns([
            lead::Column::Fingerprint,
            lead::Column::Id,
            lead::Column::CreatedAt,
        ])
        .filter(lead::Column::Fingerprint.is_in(wanted))
        .filter(lead::Column::CreatedAt.gte(since))
        .into_tuple()
        .all(db)
        .await?;
    let mut recent = HashMap::new();
    for (fingerprint, id, created_at) in rows {
        // The newest of several is the one a repeat within the window duplicates.
        let receipt = Receipt { id, created_at };
        recent
            .entry(fingerprint.unwrap_or_default())
            .and_modify(|r: &mut Receipt| {
                if receipt.created_at > r.created_at {
                    *r = receipt;
                }
            })
            .or_insert(receipt);
    }
    Ok(recent)
}

/// The row of a new lead, scored, and its temperature.
fn lead_row(
    draft: LeadDraft,
    id: Uuid,
    created_at: DateTime<Utc>,
    service_name: Option<String>,
    fingerprint: Option<String>,
    dedup_keys: Option<(String, String)>,
    (consent_version, consent_text): &(i32, Option<String>),
) -> (lead::ActiveModel, Priority) {
    let LeadDraft {
        text,
        service_id,
        visit_id,
        consented,
    } = draft;
    let score = scoring::score(&ScoreInput {
        budget: text.budget.as_deref().map(super::choices::scoring_text),
        company_size: text
            .company_size
            .as_deref()
            .map(super::choices::scoring_text),
        deadline: text.deadline.as_deref().map(super::choices::scoring_text),
        comments: text.additional_comments.as_deref(),
    });
    let (dedup_key, dedup_key_alt) = dedup_keys.unzip();
    let mut row = lead::ActiveModel {
        id: Set(id),
        service_id: Set(service_id),
        search_text: Set(text.search_text(service_name.as_deref())),
        sort_name: Set(text.sort_name()),
        service_name: Set(service_name),
        score: Set(score.total),
        score_budget: Set(score.breakdown.budget),
        score_company_size: Set(score.breakdown.company_size),
        score_urgency: Set(score.breakdown.urgency),
        priority: Set(score.priority),
        status: Set(LeadStatus::New),
        lost_reason: Set(None),
        first_response_at: Set(None),
        visit_id: Set(visit_id),
        fingerprint: Set(fingerprint),
        dedup_key: Set(dedup_key),
        dedup_key_alt: Set(dedup_key_alt),
        consent_at: Set(consented.then_some(created_at)),
        consent_version: Set(consented.then_some(*consent_version)),
        consent_text: Set(consented.then(|| consent_text.clone()).flatten()),
        created_at: Set(created_at),
        // The text columns, from the table.
        ..Default::default()
    };
    text.write_to(&mut row);
    (row, score.priority)
}

/// The two duplicate keys of a lead: its fingerprint with the minute bucket of `at`, and
/// with the bucket of a grid offset by half a minute. Two moments less than half a minute
/// apart can cross a boundary of one grid but not of both, so concurrent twins always share
/// one key, and a unique index on each keeps exactly one of them.
pub fn dedup_keys(fingerprint: &str, at: DateTime<Utc>) -> (String, String) {
    let t = at.timestamp();
    (
        format!("{fingerprint}:{}", t.div_euclid(DUPLICATE_WINDOW_SECONDS)),
        format!(
            "{fingerprint}:{}+",
            (t + DUPLICATE_WINDOW_SECONDS / 2).div_euclid(DUPLICATE_WINDOW_SECONDS)
        ),
    )
}

async fn by_dedup_key(
    db: &DatabaseConnection,
    keys: Option<(String, String)>,
) -> AppResult<Receipt> {
    let (key, alt) =
        keys.ok_or_else(|| AppError::internal(anyhow::anyhow!("unique violation without a key")))?;
    lead::Entity::find()
        .filter(
            lead::Column::DedupKey
                .eq(key)
                .or(lead::Column::DedupKeyAlt.eq(alt)),
        )
        .one(db)
        .await?
        .map(|m| Receipt {
            id: m.id,
            created_at: m.created_at,
        })
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("duplicate order vanished")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::leads::text::{FIELDS, PHONE_CONTACT_METHODS};

    fn text() -> LeadText {
        LeadText {
            name: "Иван".into(),
            surname: "Петров".into(),
            email: "ivan@example.com".into(),
            ..LeadText::default()
        }
    }

    /// `text()` with the field named `api` as typed.
    fn with(api: &str, value: &str) -> LeadText {
        let mut text = text();
        let field = FIELDS.iter().find(|f| f.api == api).unwrap();
        field.set(&mut text, Some(value.to_owned()));
        text
    }

    fn refusal(text: LeadText, service_id: Option<&str>, visit_id: Option<&str>) -> String {
        match LeadDraft::parse(text, service_id, visit_id) {
            Err(AppError::Validation { field, .. }) => field,
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn each_bad_field_is_named() {
        // Past its limit, every field of the table is refused by its own name, with the limit.
        for field in &FIELDS {
            // A phone names letters before its length (text.rs): digits are over the limit only.
            let filler = if field.api == "phone" { "1" } else { "я" };
            let long = filler.repeat(field.max + 1);
            match LeadDraft::parse(with(field.api, &long), None, None) {
                Err(AppError::Validation {
                    field: name,
                    reason: Reason::TooLong,
                    params,
                    ..
                }) => {
                    assert_eq!(name, field.api);
                    assert_eq!(params, vec![("max", field.max as i64)]);
                }
                other => panic!("{}: expected TOO_LONG, got {other:?}", field.api),
            }
        }
        let cases = [
            ("name", with("name", "  ")),
            ("surname", with("surname", "")),
            ("email", with("email", "nope")),
            ("phone", with("phone", "call me")),
            ("phone", with("phone", "+7 (999) 123-45-67-89")),
            ("phone", with("phone", "+()")),
            ("patronymic", with("patronymic", "Iv\u{200B}an")),
            ("additionalComments", with("additionalComments", "a\u{0}b")),
        ];
        for (expected, text) in cases {
            assert_eq!(refusal(text, None, None), expected);
        }
        assert_eq!(refusal(text(), Some("7"), None), "serviceId");
        assert_eq!(refusal(text(), None, Some("visit-1")), "visitId");
    }

    #[test]
    fn the_first_bad_field_in_form_order_is_named() {
        // The service sits between the contact fields and the rest.
        let late = with("businessInfo", &"я".repeat(5001));
        assert_eq!(refusal(late.clone(), Some("7"), None), "serviceId");
        let mut early = late.clone();
        early.phone = Some("call me".into());
        assert_eq!(refusal(early, Some("7"), None), "phone");
        assert_eq!(refusal(late, None, Some("visit-1")), "businessInfo");
    }

    /// `reason` on `field`, or a panic saying what came instead.
    fn refused(text: LeadText, service_id: Option<&str>) -> (String, Reason) {
        match LeadDraft::parse(text, service_id, None) {
            Err(AppError::Validation { field, reason, .. }) => (field, reason),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn a_contact_method_that_needs_a_phone_makes_the_phone_required() {
        let phone_required = ("phone".to_owned(), Reason::Required);
        for code in PHONE_CONTACT_METHODS {
            for phone in [None, Some(""), Some("   ")] {
                let mut text = with("preferredContactMethod", code);
                text.phone = phone.map(str::to_owned);
                assert_eq!(
                    refused(text, None),
                    phone_required,
                    "{code}, phone {phone:?}"
                );
            }
            // As the value is stored: trimmed.
            let padded = with("preferredContactMethod", &format!(" {code} "));
            assert_eq!(refused(padded, None), phone_required, "{code} padded");
            let mut with_phone = with("preferredContactMethod", code);
            with_phone.phone = Some("+7 (912) 555-01-68".into());
            assert!(LeadDraft::parse(with_phone, None, None).is_ok(), "{code}");
        }
        // E-mail needs no phone; free text from other clients is kept as typed, asking nothing.
        for method in ["contact_email", "WhatsApp", "по телефону"] {
            let text = with("preferredContactMethod", method);
            assert!(LeadDraft::parse(text, None, None).is_ok(), "{method}");
        }
        // Named where the phone sits in the form: after a bad name, before the service and the
        // fields after it.
        let mut late = with("preferredContactMethod", "contact_whatsapp");
        late.business_info = Some("я".repeat(5001));
        assert_eq!(refused(late.clone(), Some("7")), phone_required);
        late.name = String::new();
        assert_eq!(refused(late, Some("7")).0, "name");
    }

    #[test]
    fn limits_are_inclusive_and_blank_optionals_are_absent() {
        let mut text = with("name", &"я".repeat(100));
        text.phone = Some("+7 (999) 123-45-67".into());
        text.budget = Some("   ".into());
        text.additional_comments = Some("я".repeat(5000));
        let ok = LeadDraft::parse(text, None, None).unwrap();
        assert_eq!(ok.text.budget, None);
        assert_eq!(ok.text.phone.as_deref(), Some("+7 (999) 123-45-67"));
    }

    #[test]
    fn consent_is_required_after_every_field() {
        let lead = || Submission::parse(text(), None, None, None).unwrap();
        for missing in [None, Some(false)] {
            match lead().consented(missing) {
                Err(AppError::Validation { field, .. }) => assert_eq!(field, "consent"),
                other => panic!("expected a refusal, got {other:?}"),
            }
        }
        assert!(matches!(
            lead().consented(Some(true)),
            Ok(Submission::Lead(d)) if d.consented
        ));
        let spam = Submission::parse(text(), None, None, Some("x")).unwrap();
        assert!(matches!(spam.consented(None), Ok(Submission::Spam)));
    }

    #[test]
    fn a_filled_honeypot_is_spam_before_anything_is_checked() {
        let bad = with("name", "");
        assert!(matches!(
            Submission::parse(bad.clone(), Some("7"), None, Some("http://spam")),
            Ok(Submission::Spam)
        ));
        assert!(Submission::parse(bad, None, None, Some("  ")).is_err());
        assert!(matches!(
            Submission::parse(text(), None, None, None),
            Ok(Submission::Lead(_))
        ));
    }

    #[test]
    fn moments_under_half_a_minute_apart_share_a_duplicate_key() {
        let at = |s: i64| DateTime::from_timestamp(1_800_000_000 + s, 0).unwrap();
        // 1_800_000_000 is a minute boundary (divisible by 60).
        let shares = |a: i64, b: i64| {
            let (x, y) = (dedup_keys("fp", at(a)), dedup_keys("fp", at(b)));
            x.0 == y.0 || x.1 == y.1
        };
        assert!(shares(-1, 1), "across a minute boundary: the offset grid");
        assert!(shares(29, 31), "across an offset boundary: the minute grid");
        for start in -120..120 {
            for gap in 0..30 {
                assert!(shares(start, start + gap), "{start} and {}", start + gap);
            }
        }
        assert!(!shares(0, 90), "far apart orders keep their own keys");
        let (key, alt) = dedup_keys("fp", at(0));
        assert_ne!(key, alt, "the grids never collide with each other");
    }

    #[test]
    fn fingerprints_separate_visits_and_content() {
        let lead = LeadDraft::parse(text(), None, None).unwrap();
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        assert_eq!(lead.fingerprint(a), lead.fingerprint(a));
        assert_ne!(lead.fingerprint(a), lead.fingerprint(b));
        let other = LeadDraft::parse(with("budget", "1 млн"), None, None).unwrap();
        assert_ne!(lead.fingerprint(a), other.fingerprint(a));
    }

    #[test]
    fn fingerprints_of_stored_leads_do_not_change() {
        // Stored rows deduplicate against new ones, so the hash of a known lead is pinned. (A new
        // field changes every fingerprint; duplicates are looked for within a minute, so only
        // that minute around the deploy is affected: update the pin with it.)
        let mut text = text();
        for field in FIELDS.iter().filter(|f| !f.check.required()) {
            field.set(&mut text, Some(format!("{} 1", field.label)));
        }
        text.phone = Some("+7 999 123".into());
        let service = "0190f0f0-0000-7000-8000-000000000001";
        let lead = LeadDraft::parse(text, Some(service), None).unwrap();
        let visit = Uuid::parse_str("0190f0f0-0000-7000-8000-0000000000ff").unwrap();
        assert_eq!(
            lead.fingerprint(visit),
            "380edd5eac36c83644a0ecdcb5b589fb9964da102b27bd4f511fb73654b80268"
        );
    }
}
