//! Behavior metrics: validated batches from the page tracker, idempotent per-visit updates,
//! in-memory aggregation of the hot counters, and statistics read from day rollups.
//!
//! What a crash can lose: at most the last second of aggregated analytics (heatmap cells,
//! click and field counters, day rollups) that the aggregator had not flushed yet. (On
//! PostgreSQL flushed heatmap cells wait in a log before they are folded into the cells; see
//! [`cell_log`].) Visit rows
//! are written before a batch is acknowledged, and orders are never buffered.

pub mod aggregator;
mod batch;
pub mod buckets;
pub mod cell_log;
pub mod clock;
mod day_elements;
pub mod heatmap_store;
pub mod ingest;
pub mod labels;
pub mod retention;
pub mod snapshot;
pub mod stats;

pub use aggregator::Aggregator;
pub use batch::{Batch, BatchInput, FieldInput};
pub use clock::BusinessClock;
pub use ingest::VisitWriter;

/// Screen width classes: mobile < 768 ≤ tablet < 1200 ≤ desktop. Stored as its spelling (a
/// SeaORM active enum): a row with any other value fails to load.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    sea_orm::EnumIter,
    sea_orm::DeriveActiveEnum,
)]
#[sea_orm(
    rs_type = "String",
    db_type = "String(sea_orm::sea_query::StringLen::None)"
)]
pub enum ViewportClass {
    #[sea_orm(string_value = "MOBILE")]
    Mobile,
    #[sea_orm(string_value = "TABLET")]
    Tablet,
    #[sea_orm(string_value = "DESKTOP")]
    Desktop,
}

impl ViewportClass {
    pub const ALL: [Self; 3] = [Self::Mobile, Self::Tablet, Self::Desktop];

    pub fn from_width(width: i32) -> Self {
        match width {
            w if w < 768 => Self::Mobile,
            w if w < 1200 => Self::Tablet,
            _ => Self::Desktop,
        }
    }
}

/// Heatmap geometry: x in 1 % columns of the viewport width, y in 16 px rows of the document.
pub const HEATMAP_COLUMNS: i16 = 100;
pub const HEATMAP_ROW_HEIGHT: i32 = 16;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viewport_classes_split_at_768_and_1200() {
        assert_eq!(ViewportClass::from_width(767), ViewportClass::Mobile);
        assert_eq!(ViewportClass::from_width(768), ViewportClass::Tablet);
        assert_eq!(ViewportClass::from_width(1199), ViewportClass::Tablet);
        assert_eq!(ViewportClass::from_width(1200), ViewportClass::Desktop);
    }
}
