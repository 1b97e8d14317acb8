use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "admin_invitations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Whom the invitation is for: their account gets this e-mail.
    pub email: String,
    /// SHA-256 (hex) of the one-time code; the code itself is shown once and never stored.
    #[sea_orm(unique)]
    pub code_hash: String,
    /// The inviting admin (null once they are removed).
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    /// Set when the code is redeemed, with the new account in the same transaction.
    pub used_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
