//! Public intake of leads (the visitors' orders): validation, spam guards, scoring, storage,
//! announcement.
//!
//! A lead is committed before the visitor gets an answer, so an acknowledged order is never
//! lost. Spam (a filled honeypot, or the same order again from the same visit within a minute)
//! gets an ordinary-looking answer and stores nothing.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    sea_query::ExprTrait,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::{
    LeadStatus,
    text::{LeadText, Section},
};
use crate::{
    db::entities::lead,
    error::{AppError, AppResult, Reason, is_unique_violation},
    events::{Event, Events},
    metrics::{Aggregator, ingest},
    scoring::{self, ScoreInput},
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
}

/// A lead that passed validation, about to be stored.
#[derive(Debug, Clone)]
pub struct LeadDraft {
    text: LeadText,
    service_id: Option<Uuid>,
    visit_id: Option<Uuid>,
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

#[tracing::instrument(skip_all, fields(visit_id))]
pub async fn submit(
    db: &DatabaseConnection,
    events: &Events,
    metrics: &Aggregator,
    submission: Submission,
) -> AppResult<Receipt> {
    let draft = match submission {
        Submission::Lead(draft) => *draft,
        Submission::Spam => {
            tracing::info!("honeypot filled: order discarded");
            return Ok(Receipt {
                id: Uuid::now_v7(),
                created_at: now(),
            });
        }
    };
    if let Some(visit_id) = draft.visit_id {
        tracing::Span::current().record("visit_id", tracing::field::display(visit_id));
    }

    let service_name = match draft.service_id {
        Some(id) => Some(
            services::find(db, id)
                .await?
                .ok_or_else(|| {
                    AppError::validation(
                        "serviceId",
                        Reason::Unavailable,
                        "This service is no longer offered",
                    )
                })?
                .name,
        ),
        None => None,
    };

    let created_at = now();
    let fingerprint = draft.visit_id.map(|visit| draft.fingerprint(visit));
    if let Some(fp) = &fingerprint
        && let Some(original) = recent_duplicate(db, fp, created_at).await?
    {
        tracing::info!(id = %original.id, "duplicate order from the same visit: not stored again");
        return Ok(original);
    }
    // Concurrent double submits share a bucket of at least one of two grids: the unique keys
    // let the database keep exactly one.
    let (dedup_key, dedup_key_alt) = fingerprint
        .as_deref()
        .map(|fp| dedup_keys(fp, created_at))
        .unzip();

    let LeadDraft {
        text,
        service_id,
        visit_id,
    } = draft;
    let score = scoring::score(&ScoreInput {
        budget: text.budget.as_deref(),
        company_size: text.company_size.as_deref(),
        deadline: text.deadline.as_deref(),
        comments: text.additional_comments.as_deref(),
    });
    let id = Uuid::now_v7();
    let mut row = lead::ActiveModel {
        id: Set(id),
        service_id: Set(service_id),
        search_text: Set(text.search_text(service_name.as_deref())),
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
        fingerprint: Set(fingerprint.clone()),
        dedup_key: Set(dedup_key.clone()),
        dedup_key_alt: Set(dedup_key_alt.clone()),
        created_at: Set(created_at),
        // The text columns, from the table.
        ..Default::default()
    };
    text.write_to(&mut row);
    match lead::Entity::insert(row).exec_without_returning(db).await {
        Ok(_) => {}
        Err(err) if is_unique_violation(&err) => {
            let original = by_dedup_key(db, dedup_key.zip(dedup_key_alt)).await?;
            tracing::info!(id = %original.id, "concurrent duplicate order: not stored again");
            return Ok(original);
        }
        Err(err) => return Err(err.into()),
    }
    tracing::info!(%id, score = score.total, priority = score.priority.as_str(), "order received");
    if let Some(visit_id) = visit_id {
        // The lead is stored; a failure to mark the visit converted must not fail it.
        if let Err(err) = ingest::link_order(db, metrics, visit_id, id).await {
            tracing::warn!(error = ?err, %visit_id, "could not link the order to its visit");
        }
    }
    events.publish(Event::LeadCreated(id)).await;
    Ok(Receipt { id, created_at })
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

async fn recent_duplicate(
    db: &DatabaseConnection,
    fingerprint: &str,
    now: DateTime<Utc>,
) -> AppResult<Option<Receipt>> {
    let since = now - Duration::seconds(DUPLICATE_WINDOW_SECONDS);
    Ok(lead::Entity::find()
        .filter(lead::Column::Fingerprint.eq(fingerprint))
        .filter(lead::Column::CreatedAt.gte(since))
        .one(db)
        .await?
        .map(|m| Receipt {
            id: m.id,
            created_at: m.created_at,
        }))
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
    use crate::leads::text::FIELDS;

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
            let long = "я".repeat(field.max + 1);
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
