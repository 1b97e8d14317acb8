use sea_orm::entity::prelude::*;

/// One move of a lead in the pipeline: from, to, who and when (and why, for LOST).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "lead_history")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub lead_id: Uuid,
    /// Null for the first entry of a lead that had none.
    pub from_status: Option<crate::leads::LeadStatus>,
    pub to_status: crate::leads::LeadStatus,
    /// `ADMIN`, `TELEGRAM` or `SYSTEM` (see `leads::Actor`).
    pub actor_kind: String,
    pub actor_id: Option<String>,
    pub actor_name: String,
    pub created_at: DateTimeUtc,
    /// The reason given with a move to LOST, or the new reason of a lost lead (LOST → LOST);
    /// null before migration 30 and for every other move.
    pub lost_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
