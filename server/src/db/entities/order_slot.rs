use sea_orm::entity::prelude::*;

/// Orders that arrived in one quarter hour (UTC), striped; kept by triggers on `applications`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "order_slots")]
pub struct Model {
    /// Seconds since the epoch / [`SLOT_SECONDS`].
    #[sea_orm(primary_key, auto_increment = false)]
    pub slot: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub shard: i16,
    pub n: i64,
}

/// A slot's length: every time zone's days start on a quarter hour.
pub const SLOT_SECONDS: i64 = 900;

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
