//! The ranked list: score desc, newest first, then id — walked with keyset cursors, never
//! OFFSET, so page N costs the same as page 1 and inserts never shift a page.

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Select,
    sea_query::{Expr, ExprTrait, LikeExpr},
};
use uuid::Uuid;

use super::{Cursor, Lead, LeadStatus};
use crate::{
    db::entities::lead::{self, Column},
    error::{AppError, AppResult, Reason},
    scoring::Priority,
};

pub const PAGE_MAX: u64 = 200;

#[derive(Debug, Clone, Default)]
pub struct LeadFilter {
    pub priority: Option<Priority>,
    pub status: Option<LeadStatus>,
    pub service_id: Option<Uuid>,
    /// Lower-cased, trimmed, non-empty.
    pub search: Option<String>,
    pub created_from: Option<DateTime<Utc>>,
    pub created_to: Option<DateTime<Utc>>,
}

impl LeadFilter {
    /// Normalises the search text; refuses a date range that ends before it starts.
    pub fn validated(mut self) -> AppResult<Self> {
        self.search = self
            .search
            .map(|s| s.trim().to_lowercase())
            .filter(|s| !s.is_empty());
        if let Some(search) = &self.search {
            crate::values::check_text("search", "Search", search, 200)?;
        }
        if let (Some(from), Some(to)) = (self.created_from, self.created_to)
            && to < from
        {
            return Err(AppError::validation(
                "createdTo",
                Reason::RangeReversed,
                "The end is before the start",
            ));
        }
        Ok(self)
    }

    fn apply(&self, mut query: Select<lead::Entity>) -> Select<lead::Entity> {
        if let Some(priority) = self.priority {
            query = query.filter(Column::Priority.eq(priority));
        }
        if let Some(status) = self.status {
            query = query.filter(Column::Status.eq(status));
        }
        if let Some(service_id) = self.service_id {
            query = query.filter(Column::ServiceId.eq(service_id));
        }
        if let Some(search) = &self.search {
            let pattern = format!("%{}%", escape_like(search));
            query = query
                .filter(Expr::col(Column::SearchText).like(LikeExpr::new(pattern).escape('\\')));
        }
        if let Some(from) = self.created_from {
            query = query.filter(Column::CreatedAt.gte(from));
        }
        if let Some(to) = self.created_to {
            query = query.filter(Column::CreatedAt.lt(to));
        }
        query
    }
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

#[derive(Debug)]
pub struct LeadPage {
    pub leads: Vec<Lead>,
    pub has_next_page: bool,
}

/// Rows strictly after `cursor` in ranking order.
fn after(cursor: &Cursor) -> Condition {
    Condition::any()
        .add(Column::Score.lt(cursor.score))
        .add(
            Condition::all()
                .add(Column::Score.eq(cursor.score))
                .add(Column::CreatedAt.lt(cursor.created_at)),
        )
        .add(
            Condition::all()
                .add(Column::Score.eq(cursor.score))
                .add(Column::CreatedAt.eq(cursor.created_at))
                .add(Column::Id.lt(cursor.id)),
        )
}

#[tracing::instrument(skip(db))]
pub async fn page(
    db: &DatabaseConnection,
    filter: &LeadFilter,
    first: u64,
    cursor: Option<&Cursor>,
) -> AppResult<LeadPage> {
    if !(1..=PAGE_MAX).contains(&first) {
        return Err(AppError::validation(
            "first",
            Reason::OutOfRange,
            format!("Ask for 1 to {PAGE_MAX} leads at a time"),
        )
        .with("min", 1)
        .with("max", PAGE_MAX));
    }
    let mut query = filter.apply(lead::Entity::find());
    if let Some(cursor) = cursor {
        query = query.filter(after(cursor));
    }
    // One extra row tells whether another page exists.
    let mut rows = query
        .order_by_desc(Column::Score)
        .order_by_desc(Column::CreatedAt)
        .order_by_desc(Column::Id)
        .limit(first + 1)
        .all(db)
        .await?;
    let has_next_page = rows.len() as u64 > first;
    rows.truncate(first as usize);
    Ok(LeadPage {
        leads: rows.into_iter().map(Lead::from).collect(),
        has_next_page,
    })
}

#[tracing::instrument(skip(db))]
pub async fn count(db: &DatabaseConnection, filter: &LeadFilter) -> AppResult<u64> {
    Ok(filter.apply(lead::Entity::find()).count(db).await?)
}
