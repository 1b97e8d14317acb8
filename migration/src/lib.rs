//! Every schema change, forward-only, one timestamped file each.
//! The server runs these at start-up; `server migrate` runs them alone.

pub use sea_orm_migration::prelude::*;

mod m20261124_000001_create_admins;
mod m20261124_000002_create_services;
mod m20261124_000003_create_applications;
mod m20261124_000004_create_metrics;
mod m20261124_000005_create_heatmap_snapshots;
mod m20261124_000006_visit_applied_seqs;
mod m20261124_000007_application_dedup_key_alt;
mod m20261201_000008_admin_session_version;
mod m20261201_000009_visit_points;
mod m20261201_000010_snapshot_anchor_marker;
mod m20261201_000011_typed_metrics_columns;
mod m20261202_000012_lead_counts_and_search_index;
mod m20261202_000013_application_fingerprint_index;
mod m20261202_000014_order_slots;
mod m20261202_000015_notification_outbox;
mod m20261202_000018_element_labels;
mod m20261202_000019_business_settings;
mod m20261202_000020_work_queue;
mod m20261202_000021_accounts_and_choice_codes;
mod m20261202_000022_heatmap_snapshot_generation;
mod m20261203_000023_update_room;
mod m20261203_000024_search_index_pending_list;
mod m20261203_000025_heatmap_cell_log;
mod m20261203_000026_heatmap_rows;
mod m20261204_000027_search_index_merged_apart;
mod m20261205_000028_search_folds_yo;
mod m20261206_000029_name_sort_folds;
mod m20261207_000030_history_lost_reason;
mod m20261207_000031_notification_error_kind;
mod m20261207_000032_builtin_consent_names_operator;
mod m20261208_000033_first_response_index;
mod m20261208_000034_note_edits;
mod m20261209_000035_service_hidden;
mod m20261209_000036_service_positions;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261124_000001_create_admins::Migration),
            Box::new(m20261124_000002_create_services::Migration),
            Box::new(m20261124_000003_create_applications::Migration),
            Box::new(m20261124_000004_create_metrics::Migration),
            Box::new(m20261124_000005_create_heatmap_snapshots::Migration),
            Box::new(m20261124_000006_visit_applied_seqs::Migration),
            Box::new(m20261124_000007_application_dedup_key_alt::Migration),
            Box::new(m20261201_000008_admin_session_version::Migration),
            Box::new(m20261201_000009_visit_points::Migration),
            Box::new(m20261201_000010_snapshot_anchor_marker::Migration),
            Box::new(m20261201_000011_typed_metrics_columns::Migration),
            Box::new(m20261202_000012_lead_counts_and_search_index::Migration),
            Box::new(m20261202_000013_application_fingerprint_index::Migration),
            Box::new(m20261202_000014_order_slots::Migration),
            Box::new(m20261202_000015_notification_outbox::Migration),
            Box::new(m20261202_000018_element_labels::Migration),
            Box::new(m20261202_000019_business_settings::Migration),
            Box::new(m20261202_000020_work_queue::Migration),
            Box::new(m20261202_000021_accounts_and_choice_codes::Migration),
            Box::new(m20261202_000022_heatmap_snapshot_generation::Migration),
            Box::new(m20261203_000023_update_room::Migration),
            Box::new(m20261203_000024_search_index_pending_list::Migration),
            Box::new(m20261203_000025_heatmap_cell_log::Migration),
            Box::new(m20261203_000026_heatmap_rows::Migration),
            Box::new(m20261204_000027_search_index_merged_apart::Migration),
            Box::new(m20261205_000028_search_folds_yo::Migration),
            Box::new(m20261206_000029_name_sort_folds::Migration),
            Box::new(m20261207_000030_history_lost_reason::Migration),
            Box::new(m20261207_000031_notification_error_kind::Migration),
            Box::new(m20261207_000032_builtin_consent_names_operator::Migration),
            Box::new(m20261208_000033_first_response_index::Migration),
            Box::new(m20261208_000034_note_edits::Migration),
            Box::new(m20261209_000035_service_hidden::Migration),
            Box::new(m20261209_000036_service_positions::Migration),
        ]
    }
}
