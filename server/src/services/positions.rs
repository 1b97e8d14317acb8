//! The order of the services on the page, which the business chooses: each has a position
//! from 0, a new one goes last, and the admin moves one a place up or down at a time.
//!
//! A move renumbers the whole list (a few dozen rows at most) from what it read, in one
//! transaction: every row is written, each write conditional on the position it read, so a
//! move that raced another's (or a create's) finds a row changed, writes nothing and starts
//! again from a fresh read. Rows whose place stays are written too: two moves that change
//! different rows of the same stale read (possible when positions tie) would otherwise both
//! commit. No lock is held across the read, so this works the same on SQLite (whose deferred
//! transactions cannot turn a read into a write once another writer has committed; here the
//! transaction's first statement is a write) and PostgreSQL (where each write locks its row
//! and checks it again). Two services made at the same moment may share a position; the list
//! then goes by name, and the next move makes the positions distinct again.

use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, TransactionTrait, sea_query::Expr,
};
use uuid::Uuid;

use super::{Listed, Service, list, not_found};
use crate::{
    db::entities::service,
    error::{AppError, AppResult, Reason},
    events::{Event, Events},
};

/// Where a service moves: a place earlier on the page, or later.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
}

/// How many fresh reads a move tries before it gives up (each lost only to another move
/// committed meanwhile).
const ATTEMPTS: usize = 3;

/// The position a new service takes: after every other.
pub(super) async fn next(db: &impl ConnectionTrait) -> AppResult<i32> {
    let last: Option<Option<i32>> = service::Entity::find()
        .select_only()
        .column_as(service::Column::Position.max(), "last")
        .into_tuple()
        .one(db)
        .await?;
    Ok(last.flatten().map_or(0, |p| p.saturating_add(1)))
}

/// Moves service `id` one place and returns every service (hidden ones too) in the new order.
/// At either end of the list it stays where it is, and nothing is announced.
#[tracing::instrument(skip(db, events))]
pub async fn move_service(
    db: &DatabaseConnection,
    events: &Events,
    id: Uuid,
    direction: Direction,
) -> AppResult<Vec<Service>> {
    for _ in 0..ATTEMPTS {
        let mut order: Vec<(Uuid, i32)> = service::Entity::find()
            .select_only()
            .columns([service::Column::Id, service::Column::Position])
            .order_by_asc(service::Column::Position)
            .order_by_asc(service::Column::NameKey)
            .into_tuple()
            .all(db)
            .await?;
        let at = order
            .iter()
            .position(|(service, _)| *service == id)
            .ok_or_else(not_found)?;
        let to = match direction {
            Direction::Up => at.checked_sub(1),
            Direction::Down => Some(at + 1).filter(|&to| to < order.len()),
        };
        let Some(to) = to else {
            return list(db, Listed::All).await;
        };
        order.swap(at, to);
        if renumber(db, &order).await? {
            events.publish(Event::ServicesChanged).await;
            return list(db, Listed::All).await;
        }
    }
    Err(AppError::validation(
        "id",
        Reason::Changed,
        "The services were being reordered meanwhile: try again",
    ))
}

/// Gives each service of `order` its place as position; false (and nothing written) if any
/// row no longer has the position read, or is gone.
async fn renumber(db: &DatabaseConnection, order: &[(Uuid, i32)]) -> AppResult<bool> {
    let mut writes = Vec::with_capacity(order.len());
    for (place, &(id, read)) in order.iter().enumerate() {
        let place = i32::try_from(place).map_err(AppError::internal)?;
        writes.push((id, read, place));
    }
    // In the order of their ids: two moves at once on PostgreSQL lock rows in the same order,
    // so one waits for the other instead of deadlocking.
    writes.sort_unstable();
    let txn = db.begin().await?;
    for (id, read, place) in writes {
        let written = service::Entity::update_many()
            .col_expr(service::Column::Position, Expr::value(place))
            .filter(service::Column::Id.eq(id))
            .filter(service::Column::Position.eq(read))
            .exec(&txn)
            .await?;
        if written.rows_affected != 1 {
            txn.rollback().await?;
            return Ok(false);
        }
    }
    txn.commit().await?;
    Ok(true)
}
