use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "visit_daily")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub page: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub day: Date,
    pub visits: i64,
    pub engaged_seconds: i64,
    pub returning_visits: i64,
    pub converted_visits: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
