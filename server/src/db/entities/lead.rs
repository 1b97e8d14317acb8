use sea_orm::entity::prelude::*;

/// A lead as stored (the table keeps its first name, `applications`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "applications")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    pub surname: String,
    pub patronymic: Option<String>,
    pub email: String,
    pub phone: Option<String>,
    pub service_id: Option<Uuid>,
    pub service_name: Option<String>,
    pub business_info: Option<String>,
    pub business_niche: Option<String>,
    pub company_size: Option<String>,
    pub budget: Option<String>,
    pub deadline: Option<String>,
    pub convenient_time: Option<String>,
    pub preferred_contact_method: Option<String>,
    pub additional_comments: Option<String>,
    pub score: i32,
    pub score_budget: i32,
    pub score_company_size: i32,
    pub score_urgency: i32,
    pub priority: crate::scoring::Priority,
    pub status: crate::leads::LeadStatus,
    pub lost_reason: Option<String>,
    pub first_response_at: Option<DateTimeUtc>,
    pub visit_id: Option<Uuid>,
    pub fingerprint: Option<String>,
    pub dedup_key: Option<String>,
    /// The same on a grid offset by half the window (see `leads::intake::dedup_keys`).
    pub dedup_key_alt: Option<String>,
    pub search_text: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
