use sea_orm::entity::prelude::*;

/// The owner's name for an element or form field of a page (only where it differs from the
/// page's own label).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "element_labels")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub page: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub kind: crate::metrics::labels::ElementKind,
    /// The tracker's key: a click target's id/selector, or a field's name.
    #[sea_orm(primary_key, auto_increment = false)]
    pub element: String,
    pub label: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
