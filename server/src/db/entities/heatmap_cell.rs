use sea_orm::entity::prelude::*;

/// A heatmap cell of one day, on SQLite. PostgreSQL keeps rows of cells instead
/// (`heatmap_rows`, no entity: see `metrics::heatmap_store`), and has no such table.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "heatmap_cells")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub page: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub viewport_class: crate::metrics::ViewportClass,
    #[sea_orm(primary_key, auto_increment = false)]
    pub day: Date,
    #[sea_orm(primary_key, auto_increment = false)]
    pub x: i16,
    #[sea_orm(primary_key, auto_increment = false)]
    pub y: i32,
    pub count: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
