use sea_orm::entity::prelude::*;

/// One page load of one visitor.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "visits")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub visitor_id: Uuid,
    pub page: String,
    pub day: Date,
    pub first_seen_at: DateTimeUtc,
    pub last_seen_at: DateTimeUtc,
    pub engaged_seconds: i32,
    /// Element → clicks (JSON).
    pub clicks: ClickMap,
    pub viewport_width: i32,
    pub viewport_height: i32,
    pub viewport_class: crate::metrics::ViewportClass,
    pub visit_number: i32,
    pub last_seq: i32,
    /// Bit i: seq `last_seq - i` was applied (see `metrics::ingest`).
    pub applied_seqs: i64,
    pub last_field: Option<String>,
    /// The lead this visit produced, if any.
    #[sea_orm(column_name = "application_id")]
    pub lead_id: Option<Uuid>,
    /// Cursor points credited so far (bounded by the visit's wall time).
    pub points: i64,
}

/// A visit's clicks per element, stored as a JSON object. A stored value of any other shape
/// fails the row's load.
#[derive(
    Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, FromJsonQueryResult,
)]
#[serde(transparent)]
pub struct ClickMap(pub std::collections::BTreeMap<String, i64>);

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
