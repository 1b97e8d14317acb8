//! SeaORM entities. They stay inside `db` and the domain modules; GraphQL types wrap domain
//! structs, never these.

pub mod admin;
pub mod admin_invitation;
pub mod business_settings;
pub mod click_daily;
pub mod element_label;
pub mod engagement_bucket;
pub mod field_daily;
pub mod heatmap_cell;
pub mod heatmap_snapshot;
pub mod heatmap_snapshot_state;
pub mod lead;
pub mod lead_history;
pub mod lead_note;
pub mod notification;
pub mod order_slot;
pub mod service;
pub mod spam_contact;
pub mod visit;
pub mod visit_daily;
pub mod visit_slot;
