use sea_orm::entity::prelude::*;

/// The business's settings: one row, id 1 (absent until the owner first saves).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "business_settings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i32,
    pub name: Option<String>,
    pub about: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub telegram: Option<String>,
    pub whatsapp: Option<String>,
    pub address: Option<String>,
    pub policy_text: Option<String>,
    pub policy_url: Option<String>,
    pub consent_text: Option<String>,
    pub consent_version: i32,
    pub primary_color: Option<String>,
    pub currency: String,
    pub logo_url: Option<String>,
    pub logo_data: Option<Vec<u8>>,
    pub logo_content_type: Option<String>,
    pub logo_version: i32,
    pub updated_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
