//! Pipeline statistics: counts, whether the temperature predicts wins, speed to lead. Spam is
//! not an order: it counts nowhere here.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::LeadStatus;
use crate::{
    db::entities::lead::{self, Column},
    error::AppResult,
    scoring::Priority,
};

#[derive(Debug, Clone)]
pub struct PriorityStats {
    pub priority: Priority,
    pub count: u64,
    pub won: u64,
    pub lost: u64,
}

impl PriorityStats {
    /// Won among decided (won or lost) leads; `None` until one is decided.
    pub fn win_rate(&self) -> Option<f64> {
        let decided = self.won + self.lost;
        (decided > 0).then(|| self.won as f64 / decided as f64)
    }
}

#[derive(Debug, Clone)]
pub struct LeadStats {
    pub total: u64,
    pub by_priority: Vec<PriorityStats>,
    pub by_status: Vec<(LeadStatus, u64)>,
    pub median_first_response_seconds: Option<i64>,
}

/// First responses the speed to lead is the median of: the latest, so it says how fast orders
/// are answered now, and the work stays the same however many orders the desk has.
pub const RESPONSES_IN_MEDIAN: u64 = 1_000;

/// Cheap at any size: the counts are the ones the database keeps (`lead_counts`), and the
/// median reads the latest [`RESPONSES_IN_MEDIAN`] first responses by their partial index.
#[tracing::instrument(skip(db))]
pub async fn lead_stats(db: &DatabaseConnection) -> AppResult<LeadStats> {
    let mut by_priority: Vec<PriorityStats> = Priority::ALL
        .iter()
        .map(|&priority| PriorityStats {
            priority,
            count: 0,
            won: 0,
            lost: 0,
        })
        .collect();
    let mut by_status: Vec<(LeadStatus, u64)> =
        LeadStatus::PIPELINE.iter().map(|&s| (s, 0)).collect();
    let mut total = 0;
    for (priority, status, n) in super::list::kept_counts(db).await? {
        if status == LeadStatus::Spam {
            continue;
        }
        total += n;
        if let Some(entry) = by_status.iter_mut().find(|(s, _)| *s == status) {
            entry.1 += n;
        }
        if let Some(stats) = by_priority.iter_mut().find(|p| p.priority == priority) {
            stats.count += n;
            match status {
                LeadStatus::Won => stats.won += n,
                LeadStatus::Lost => stats.lost += n,
                _ => {}
            }
        }
    }

    let responded: Vec<(DateTime<Utc>, Option<DateTime<Utc>>)> = lead::Entity::find()
        .select_only()
        .column(Column::CreatedAt)
        .column(Column::FirstResponseAt)
        .filter(Column::FirstResponseAt.is_not_null())
        .filter(Column::Status.ne(LeadStatus::Spam))
        .order_by_desc(Column::FirstResponseAt)
        .limit(RESPONSES_IN_MEDIAN)
        .into_tuple()
        .all(db)
        .await?;
    let mut waits: Vec<i64> = responded
        .into_iter()
        .filter_map(|(created, responded)| Some((responded? - created).num_seconds().max(0)))
        .collect();

    Ok(LeadStats {
        total,
        by_priority,
        by_status,
        median_first_response_seconds: median(&mut waits),
    })
}

fn median(values: &mut [i64]) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2
    } else {
        values[mid]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [5]), Some(5));
        assert_eq!(median(&mut [9, 1, 5]), Some(5));
        assert_eq!(median(&mut [10, 1, 3, 7]), Some(5));
    }

    #[test]
    fn win_rate_counts_decided_leads_only() {
        let stats = PriorityStats {
            priority: Priority::Urgent,
            count: 10,
            won: 3,
            lost: 1,
        };
        assert_eq!(stats.win_rate(), Some(0.75));
        let none = PriorityStats {
            priority: Priority::Low,
            count: 4,
            won: 0,
            lost: 0,
        };
        assert_eq!(none.win_rate(), None);
    }
}
