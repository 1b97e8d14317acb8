use sea_orm::entity::prelude::*;

/// An e-mail (`email:…`) or phone (`phone:<digits>`) of a spam-marked lead.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "spam_contacts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub contact: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub lead_id: Uuid,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
