use sea_orm::entity::prelude::*;

/// Declares `Model` with the text columns of the one table, `leads::text::lead_text_fields!`.
macro_rules! model {
    (
        contact { $($c:ident: $ct:ty { $($cspec:tt)* },)* }
        about { $($a:ident: $at:ty { $($aspec:tt)* },)* }
    ) => {
        /// A lead as stored (the table keeps its first name, `applications`).
        #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
        #[sea_orm(table_name = "applications")]
        pub struct Model {
            #[sea_orm(primary_key, auto_increment = false)]
            pub id: Uuid,
            $(pub $c: $ct,)*
            pub service_id: Option<Uuid>,
            pub service_name: Option<String>,
            $(pub $a: $at,)*
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
            /// The name sort's key, `LeadText::sort_name` (migration 29).
            pub sort_name: String,
            /// When the visitor ticked the consent box (orders from before it existed: none).
            pub consent_at: Option<DateTimeUtc>,
            /// The business's consent wording version then, and the wording itself (none: the
            /// page's built-in wording).
            pub consent_version: Option<i32>,
            pub consent_text: Option<String>,
            /// When an admin first opened the card; null while unread.
            pub opened_at: Option<DateTimeUtc>,
            pub created_at: DateTimeUtc,
        }
    };
}

crate::leads::text::lead_text_fields!(model);

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
