//! Public order intake: validation, spam guards, scoring, storage, announcement.
//!
//! The order is committed before the visitor gets an answer, so an acknowledged order is never
//! lost. Spam (a filled honeypot, or the same order again from the same visit within a minute)
//! gets an ordinary-looking answer and stores nothing.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    sea_query::ExprTrait,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::LeadStatus;
use crate::{
    db::entities::lead,
    error::{AppError, AppResult, Reason, is_unique_violation},
    events::{Event, Events},
    metrics::{Aggregator, ingest},
    scoring::{self, ScoreInput},
    services,
    values::{Email, check_identity, check_text, now, optional_text, parse_id},
};

/// What the visitor sent, as typed. Field names are the GraphQL input's.
#[derive(Debug, Clone, Default)]
pub struct OrderForm {
    pub name: String,
    pub surname: String,
    pub patronymic: Option<String>,
    pub email: String,
    pub phone: Option<String>,
    pub service_id: Option<String>,
    pub business_info: Option<String>,
    pub business_niche: Option<String>,
    pub company_size: Option<String>,
    pub budget: Option<String>,
    pub deadline: Option<String>,
    pub convenient_time: Option<String>,
    pub preferred_contact_method: Option<String>,
    pub additional_comments: Option<String>,
    pub visit_id: Option<String>,
    /// Honeypot: hidden from people, filled by naive bots.
    pub website: Option<String>,
}

/// The answer a visitor gets. Never the score.
#[derive(Debug, Clone, Copy)]
pub struct Receipt {
    pub id: Uuid,
    pub created_at: DateTime<Utc>,
}

pub const NAME_MAX: usize = 100;
pub const PHONE_MAX: usize = 20;
pub const NICHE_MAX: usize = 100;
pub const COMPANY_SIZE_MAX: usize = 50;
pub const SHORT_TEXT_MAX: usize = 100;
pub const CONTACT_METHOD_MAX: usize = 50;
pub const LONG_TEXT_MAX: usize = 5000;
const DUPLICATE_WINDOW_SECONDS: i64 = 60;

/// A form that passed validation.
#[derive(Debug, Clone)]
struct ValidOrder {
    name: String,
    surname: String,
    patronymic: Option<String>,
    email: Email,
    phone: Option<String>,
    service_id: Option<Uuid>,
    business_info: Option<String>,
    business_niche: Option<String>,
    company_size: Option<String>,
    budget: Option<String>,
    deadline: Option<String>,
    convenient_time: Option<String>,
    preferred_contact_method: Option<String>,
    additional_comments: Option<String>,
    visit_id: Option<Uuid>,
}

/// A required name: trimmed, within `max`, nothing invisible.
fn required(field: &str, label: &str, value: &str, max: usize) -> AppResult<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(AppError::validation(
            field,
            Reason::Required,
            format!("{label} is required"),
        ));
    }
    check_identity(field, label, value, max)?;
    Ok(value.to_owned())
}

fn optional(
    field: &str,
    label: &str,
    value: Option<&str>,
    max: usize,
) -> AppResult<Option<String>> {
    let value = optional_text(value);
    if let Some(v) = &value {
        check_text(field, label, v, max)?;
    }
    Ok(value)
}

/// An optional name or contact: nothing invisible.
fn optional_identity(
    field: &str,
    label: &str,
    value: Option<&str>,
    max: usize,
) -> AppResult<Option<String>> {
    let value = optional(field, label, value, max)?;
    if let Some(v) = &value {
        check_identity(field, label, v, max)?;
    }
    Ok(value)
}

fn phone(value: Option<&str>) -> AppResult<Option<String>> {
    let Some(phone) = optional_identity("phone", "Phone", value, PHONE_MAX)? else {
        return Ok(None);
    };
    let allowed = phone
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '(' | ')' | '-'));
    if !allowed || !phone.chars().any(|c| c.is_ascii_digit()) {
        return Err(AppError::validation(
            "phone",
            Reason::InvalidPhone,
            "Phone may contain only digits, spaces and + ( ) -",
        ));
    }
    Ok(Some(phone))
}

impl ValidOrder {
    fn parse(form: &OrderForm) -> AppResult<Self> {
        Ok(Self {
            name: required("name", "Name", &form.name, NAME_MAX)?,
            surname: required("surname", "Surname", &form.surname, NAME_MAX)?,
            patronymic: optional_identity(
                "patronymic",
                "Patronymic",
                form.patronymic.as_deref(),
                NAME_MAX,
            )?,
            email: Email::parse("email", &form.email)?,
            phone: phone(form.phone.as_deref())?,
            service_id: optional_text(form.service_id.as_deref())
                .map(|id| parse_id("serviceId", &id))
                .transpose()?,
            business_info: optional(
                "businessInfo",
                "Business info",
                form.business_info.as_deref(),
                LONG_TEXT_MAX,
            )?,
            business_niche: optional(
                "businessNiche",
                "Business niche",
                form.business_niche.as_deref(),
                NICHE_MAX,
            )?,
            company_size: optional(
                "companySize",
                "Company size",
                form.company_size.as_deref(),
                COMPANY_SIZE_MAX,
            )?,
            budget: optional("budget", "Budget", form.budget.as_deref(), SHORT_TEXT_MAX)?,
            deadline: optional(
                "deadline",
                "Deadline",
                form.deadline.as_deref(),
                SHORT_TEXT_MAX,
            )?,
            convenient_time: optional(
                "convenientTime",
                "Convenient time",
                form.convenient_time.as_deref(),
                SHORT_TEXT_MAX,
            )?,
            preferred_contact_method: optional(
                "preferredContactMethod",
                "Contact method",
                form.preferred_contact_method.as_deref(),
                CONTACT_METHOD_MAX,
            )?,
            additional_comments: optional(
                "additionalComments",
                "Comments",
                form.additional_comments.as_deref(),
                LONG_TEXT_MAX,
            )?,
            visit_id: optional_text(form.visit_id.as_deref())
                .map(|id| parse_id("visitId", &id))
                .transpose()?,
        })
    }

    /// Same visit and same content hash the same; the duplicate guard compares these.
    fn fingerprint(&self, visit_id: Uuid) -> String {
        let mut hasher = Sha256::new();
        hasher.update(visit_id.as_bytes());
        let fields = [
            Some(self.name.as_str()),
            Some(self.surname.as_str()),
            self.patronymic.as_deref(),
            Some(self.email.as_str()),
            self.phone.as_deref(),
            self.business_info.as_deref(),
            self.business_niche.as_deref(),
            self.company_size.as_deref(),
            self.budget.as_deref(),
            self.deadline.as_deref(),
            self.convenient_time.as_deref(),
            self.preferred_contact_method.as_deref(),
            self.additional_comments.as_deref(),
        ];
        for field in fields {
            // A separator that cannot appear in text keeps ("ab", "c") apart from ("a", "bc").
            hasher.update([0u8]);
            hasher.update(field.unwrap_or("").as_bytes());
        }
        hasher.update(self.service_id.map(|id| *id.as_bytes()).unwrap_or_default());
        hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// Lower-cased text the admin's search looks in (Unicode-aware, so Cyrillic folds too).
pub fn search_text(parts: &[Option<&str>]) -> String {
    let mut text = parts
        .iter()
        .flatten()
        .copied()
        .collect::<Vec<_>>()
        .join("\n")
        .to_lowercase();
    // Digits of phone numbers too, so "9991234567" finds "+7 (999) 123-45-67".
    for part in parts.iter().flatten() {
        let digits: String = part.chars().filter(char::is_ascii_digit).collect();
        if digits.len() >= 5 && digits.len() != part.len() {
            text.push('\n');
            text.push_str(&digits);
        }
    }
    text
}

#[tracing::instrument(skip_all, fields(visit_id = form.visit_id.as_deref()))]
pub async fn submit(
    db: &DatabaseConnection,
    events: &Events,
    metrics: &Aggregator,
    form: &OrderForm,
) -> AppResult<Receipt> {
    if optional_text(form.website.as_deref()).is_some() {
        tracing::info!("honeypot filled: order discarded");
        return Ok(Receipt {
            id: Uuid::now_v7(),
            created_at: now(),
        });
    }
    let order = ValidOrder::parse(form)?;

    let service_name = match order.service_id {
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
    let fingerprint = order.visit_id.map(|visit| order.fingerprint(visit));
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

    let score = scoring::score(&ScoreInput {
        budget: order.budget.as_deref(),
        company_size: order.company_size.as_deref(),
        deadline: order.deadline.as_deref(),
        comments: order.additional_comments.as_deref(),
    });
    let search = search_text(&[
        Some(&order.name),
        Some(&order.surname),
        order.patronymic.as_deref(),
        Some(order.email.as_str()),
        order.phone.as_deref(),
        service_name.as_deref(),
        order.business_info.as_deref(),
        order.business_niche.as_deref(),
        order.additional_comments.as_deref(),
    ]);
    let id = Uuid::now_v7();
    let row = lead::ActiveModel {
        id: Set(id),
        name: Set(order.name),
        surname: Set(order.surname),
        patronymic: Set(order.patronymic),
        email: Set(order.email.as_str().to_owned()),
        phone: Set(order.phone),
        service_id: Set(order.service_id),
        service_name: Set(service_name),
        business_info: Set(order.business_info),
        business_niche: Set(order.business_niche),
        company_size: Set(order.company_size),
        budget: Set(order.budget),
        deadline: Set(order.deadline),
        convenient_time: Set(order.convenient_time),
        preferred_contact_method: Set(order.preferred_contact_method),
        additional_comments: Set(order.additional_comments),
        score: Set(score.total),
        score_budget: Set(score.breakdown.budget),
        score_company_size: Set(score.breakdown.company_size),
        score_urgency: Set(score.breakdown.urgency),
        priority: Set(score.priority),
        status: Set(LeadStatus::New),
        lost_reason: Set(None),
        first_response_at: Set(None),
        visit_id: Set(order.visit_id),
        fingerprint: Set(fingerprint.clone()),
        dedup_key: Set(dedup_key.clone()),
        dedup_key_alt: Set(dedup_key_alt.clone()),
        search_text: Set(search),
        created_at: Set(created_at),
    };
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
    if let Some(visit_id) = order.visit_id {
        // The order is stored; a failure to mark the visit converted must not fail it.
        if let Err(err) = ingest::link_order(db, metrics, visit_id, id).await {
            tracing::warn!(error = ?err, %visit_id, "could not link the order to its visit");
        }
    }
    events.publish(Event::LeadCreated(id)).await;
    Ok(Receipt { id, created_at })
}

/// The two duplicate keys of an order: its fingerprint with the minute bucket of `at`, and
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

    fn form() -> OrderForm {
        OrderForm {
            name: "Иван".into(),
            surname: "Петров".into(),
            email: "ivan@example.com".into(),
            ..Default::default()
        }
    }

    fn field(form: &OrderForm) -> String {
        match ValidOrder::parse(form) {
            Err(AppError::Validation { field, .. }) => field,
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn each_bad_field_is_named() {
        let long = |n: usize| Some("я".repeat(n));
        let cases: Vec<(&str, OrderForm)> = vec![
            (
                "name",
                OrderForm {
                    name: "  ".into(),
                    ..form()
                },
            ),
            (
                "name",
                OrderForm {
                    name: "я".repeat(101),
                    ..form()
                },
            ),
            (
                "surname",
                OrderForm {
                    surname: String::new(),
                    ..form()
                },
            ),
            (
                "patronymic",
                OrderForm {
                    patronymic: long(101),
                    ..form()
                },
            ),
            (
                "email",
                OrderForm {
                    email: "nope".into(),
                    ..form()
                },
            ),
            (
                "phone",
                OrderForm {
                    phone: Some("call me".into()),
                    ..form()
                },
            ),
            (
                "phone",
                OrderForm {
                    phone: Some("+7 (999) 123-45-67-89".into()),
                    ..form()
                },
            ),
            (
                "phone",
                OrderForm {
                    phone: Some("+()".into()),
                    ..form()
                },
            ),
            (
                "serviceId",
                OrderForm {
                    service_id: Some("7".into()),
                    ..form()
                },
            ),
            (
                "businessInfo",
                OrderForm {
                    business_info: long(5001),
                    ..form()
                },
            ),
            (
                "businessNiche",
                OrderForm {
                    business_niche: long(101),
                    ..form()
                },
            ),
            (
                "companySize",
                OrderForm {
                    company_size: long(51),
                    ..form()
                },
            ),
            (
                "budget",
                OrderForm {
                    budget: long(101),
                    ..form()
                },
            ),
            (
                "deadline",
                OrderForm {
                    deadline: long(101),
                    ..form()
                },
            ),
            (
                "convenientTime",
                OrderForm {
                    convenient_time: long(101),
                    ..form()
                },
            ),
            (
                "preferredContactMethod",
                OrderForm {
                    preferred_contact_method: long(51),
                    ..form()
                },
            ),
            (
                "additionalComments",
                OrderForm {
                    additional_comments: long(5001),
                    ..form()
                },
            ),
            (
                "visitId",
                OrderForm {
                    visit_id: Some("visit-1".into()),
                    ..form()
                },
            ),
        ];
        for (expected, form) in cases {
            assert_eq!(field(&form), expected);
        }
    }

    #[test]
    fn limits_are_inclusive_and_blank_optionals_are_absent() {
        let ok = ValidOrder::parse(&OrderForm {
            name: "я".repeat(100),
            phone: Some("+7 (999) 123-45-67".into()),
            budget: Some("   ".into()),
            additional_comments: Some("я".repeat(5000)),
            ..form()
        })
        .unwrap();
        assert_eq!(ok.budget, None);
        assert_eq!(ok.phone.as_deref(), Some("+7 (999) 123-45-67"));
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
        let order = ValidOrder::parse(&form()).unwrap();
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        assert_eq!(order.fingerprint(a), order.fingerprint(a));
        assert_ne!(order.fingerprint(a), order.fingerprint(b));
        let other = ValidOrder::parse(&OrderForm {
            budget: Some("1 млн".into()),
            ..form()
        })
        .unwrap();
        assert_ne!(order.fingerprint(a), other.fingerprint(a));
    }

    #[test]
    fn search_text_folds_cyrillic_and_phone_digits() {
        let text = search_text(&[Some("ИВАН"), None, Some("+7 (999) 123-45-67")]);
        assert!(text.contains("иван"));
        assert!(text.contains("79991234567"));
    }
}
