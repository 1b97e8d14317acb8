use sea_orm::entity::prelude::*;

/// Visits that started in one quarter hour (UTC) and their engaged seconds so far; added to by
/// the metrics aggregator. The 1-day chart sums them into local hours.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "visit_slots")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub page: String,
    /// Seconds since the epoch / [`super::order_slot::SLOT_SECONDS`].
    #[sea_orm(primary_key, auto_increment = false)]
    pub slot: i64,
    pub visits: i64,
    pub engaged_seconds: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
