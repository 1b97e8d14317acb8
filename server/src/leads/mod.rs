//! Leads (the visitors' "orders"): intake from the public page, temperature, the ranked list,
//! the pipeline. The code says lead; the API keeps its first names (`submitApplication`,
//! `ApplicationInput`) and the table its (`applications`).

pub mod choices;
pub mod cursor;
pub mod export;
pub mod history;
pub mod intake;
pub mod list;
pub mod over_cap;
pub mod queue;
pub mod rescore;
pub mod search_index;
pub mod stats;
mod status;
pub mod text;

use chrono::{DateTime, Utc};
use uuid::Uuid;

pub use cursor::{Cursor, LeadOrder, SortField};
use cursor::{Key, KeyValue};
pub use history::{Actor, ActorKind};
pub use list::{LeadFilter, LeadPage};
pub use status::{LeadStatus, Seen, mark_spam, move_if, set_status, spam_keys};
pub use text::LeadText;

use crate::{
    db::entities::lead,
    scoring::{Priority, ScoreBreakdown},
};

/// A lead as the admin sees it.
#[derive(Debug, Clone)]
pub struct Lead {
    pub id: Uuid,
    /// Who is asking and about their business, as they wrote it.
    pub text: LeadText,
    pub service_id: Option<Uuid>,
    pub service_name: Option<String>,
    /// The chosen service as it is now, when it was read along with the lead (the list's
    /// page joins it): `Some(None)` once the service was deleted; `None` when not read.
    pub current_service: Option<Option<crate::services::Service>>,
    pub score: i32,
    pub breakdown: ScoreBreakdown,
    pub priority: Priority,
    pub status: LeadStatus,
    pub lost_reason: Option<String>,
    pub first_response_at: Option<DateTime<Utc>>,
    pub visit_id: Option<Uuid>,
    /// When the visitor gave consent, and to which wording (version; text unless built-in).
    pub consent_at: Option<DateTime<Utc>>,
    pub consent_version: Option<i32>,
    pub consent_text: Option<String>,
    /// When an admin first opened the card; `None` while unread.
    pub opened_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// A stored row read as a lead. (A status that cannot be read fails the row's load, an error,
/// never a guess: showing a lost lead as new would be worse than saying the row is damaged.)
impl From<lead::Model> for Lead {
    fn from(mut m: lead::Model) -> Self {
        Self {
            id: m.id,
            text: LeadText::take_from(&mut m),
            service_id: m.service_id,
            service_name: m.service_name,
            current_service: None,
            score: m.score,
            breakdown: ScoreBreakdown {
                budget: m.score_budget,
                company_size: m.score_company_size,
                urgency: m.score_urgency,
            },
            // Derived from the stored score, so a row can never disagree with the rules.
            priority: Priority::from_score(m.score),
            status: m.status,
            lost_reason: m.lost_reason,
            first_response_at: m.first_response_at,
            visit_id: m.visit_id,
            consent_at: m.consent_at,
            consent_version: m.consent_version,
            consent_text: m.consent_text,
            opened_at: m.opened_at,
            created_at: m.created_at,
        }
    }
}

impl Lead {
    /// The number the visitor was shown after sending: the id's last eight hex digits.
    pub fn request_number(&self) -> String {
        let hex = self.id.simple().to_string();
        hex[hex.len() - 8..].to_owned()
    }

    /// Where the lead stands in `order`: its keys, then (created_at, id).
    pub fn cursor(&self, order: LeadOrder) -> Cursor {
        let keys = order
            .field
            .keys()
            .iter()
            .map(|key| match key {
                Key::QueueRank => KeyValue::Int(cursor::queue_rank(self.status)),
                Key::StatusRank => KeyValue::Int(cursor::status_rank(self.status)),
                Key::Score => KeyValue::Int(i64::from(self.score)),
                Key::SortName => KeyValue::Text(self.text.sort_name()),
            })
            .collect();
        Cursor {
            order,
            keys,
            created_at: self.created_at,
            id: self.id,
        }
    }
}

#[tracing::instrument(skip(db))]
pub async fn find(
    db: &sea_orm::DatabaseConnection,
    id: Uuid,
) -> crate::error::AppResult<Option<Lead>> {
    use sea_orm::EntityTrait;
    Ok(lead::Entity::find_by_id(id).one(db).await?.map(Lead::from))
}
