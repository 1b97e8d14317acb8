//! Recomputes every stored score with the current rules (`server rescore`), in batches.

use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::{
    db::entities::lead::{self, Column},
    error::AppResult,
    scoring::{self, ScoreInput},
};

const BATCH: u64 = 500;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct RescoreReport {
    pub checked: u64,
    pub changed: u64,
}

#[tracing::instrument(skip(db))]
pub async fn rescore_all(db: &DatabaseConnection) -> AppResult<RescoreReport> {
    let mut report = RescoreReport::default();
    let mut last_id = None;
    loop {
        let mut query = lead::Entity::find().order_by_asc(Column::Id).limit(BATCH);
        if let Some(id) = last_id {
            query = query.filter(Column::Id.gt(id));
        }
        let rows = query.all(db).await?;
        let Some(last) = rows.last() else {
            break;
        };
        last_id = Some(last.id);
        for row in rows {
            report.checked += 1;
            let score = scoring::score(&ScoreInput {
                budget: row.budget.as_deref().map(super::choices::scoring_text),
                company_size: row
                    .company_size
                    .as_deref()
                    .map(super::choices::scoring_text),
                deadline: row.deadline.as_deref().map(super::choices::scoring_text),
                comments: row.additional_comments.as_deref(),
            });
            let unchanged = row.score == score.total
                && row.score_budget == score.breakdown.budget
                && row.score_company_size == score.breakdown.company_size
                && row.score_urgency == score.breakdown.urgency
                && row.priority == score.priority;
            if unchanged {
                continue;
            }
            lead::Entity::update(lead::ActiveModel {
                id: sea_orm::ActiveValue::Unchanged(row.id),
                score: Set(score.total),
                score_budget: Set(score.breakdown.budget),
                score_company_size: Set(score.breakdown.company_size),
                score_urgency: Set(score.breakdown.urgency),
                priority: Set(score.priority),
                ..Default::default()
            })
            .exec(db)
            .await?;
            report.changed += 1;
        }
    }
    Ok(report)
}
