//! The work queue's own operations: deleting an order, and the unread mark (an order is
//! unread until an admin opens its card; the count prefixes the admin's tab title).

use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect,
    QueryTrait, TransactionTrait,
    sea_query::{Alias, Expr, Query},
};
use uuid::Uuid;

use super::{Lead, LeadStatus};
use crate::{
    db::entities::{lead, visit},
    error::{AppError, AppResult},
    values::now,
};

/// Deletes an order with its history, notes and spam marks (foreign keys cascade); the visit
/// that produced it stays, no longer linked. `NOT_FOUND` when there is none.
#[tracing::instrument(skip(db))]
pub async fn delete(db: &DatabaseConnection, id: Uuid) -> AppResult<()> {
    let txn = db.begin().await?;
    let deleted = lead::Entity::delete_by_id(id)
        .exec(&txn)
        .await?
        .rows_affected;
    if deleted == 0 {
        txn.rollback().await?;
        return Err(AppError::NotFound("Lead not found"));
    }
    visit::Entity::update_many()
        .col_expr(visit::Column::LeadId, Expr::value(Option::<Uuid>::None))
        .filter(visit::Column::LeadId.eq(id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    tracing::info!(%id, "order deleted");
    Ok(())
}

/// Marks an order read (an admin opened its card); the first opening is kept.
#[tracing::instrument(skip(db))]
pub async fn mark_opened(db: &DatabaseConnection, id: Uuid) -> AppResult<Lead> {
    lead::Entity::update_many()
        .col_expr(lead::Column::OpenedAt, Expr::value(now()))
        .filter(lead::Column::Id.eq(id))
        .filter(lead::Column::OpenedAt.is_null())
        .exec(db)
        .await?;
    super::find(db, id)
        .await?
        .ok_or(AppError::NotFound("Lead not found"))
}

/// Counted at most: the tab title says "99+" past it anyway.
pub const UNREAD_CAP: u64 = 1000;

/// Orders no admin has opened yet (spam aside), up to [`UNREAD_CAP`]; read through the
/// partial index of unread orders, so it costs the unread, not the table.
#[tracing::instrument(skip(db))]
pub async fn unread_count(db: &DatabaseConnection) -> AppResult<u64> {
    let unread = lead::Entity::find()
        .select_only()
        .expr(Expr::cust("1"))
        .filter(lead::Column::OpenedAt.is_null())
        .filter(lead::Column::Status.ne(LeadStatus::Spam))
        .limit(UNREAD_CAP)
        .into_query();
    let query = Query::select()
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
        .from_subquery(unread, Alias::new("unread"))
        .to_owned();
    let n: i64 = match db.query_one(&query).await? {
        Some(row) => row.try_get("", "n")?,
        None => 0,
    };
    Ok(u64::try_from(n).unwrap_or(0))
}
