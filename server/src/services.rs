//! The services a visitor can order. Every change is announced so open pages update live.

mod positions;

pub use positions::{Direction, move_service};

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder,
};
use uuid::Uuid;

use crate::{
    db::entities::service,
    error::{AppError, AppResult, Reason, is_unique_violation},
    events::{Event, Events},
    values::{check_text, optional_text},
};

#[derive(Debug, Clone)]
pub struct Service {
    pub id: Uuid,
    pub name: String,
    pub description: Option<String>,
    /// "From …" price in whole units of the business's currency.
    pub price_from: Option<i64>,
    /// Off the order form for now: visitors neither see it nor can order it.
    pub hidden: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<service::Model> for Service {
    fn from(m: service::Model) -> Self {
        Self {
            id: m.id,
            name: m.name,
            description: m.description,
            price_from: m.price_from,
            hidden: m.hidden,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

/// A validated name, description and price.
#[derive(Debug, Clone)]
pub struct ServiceDraft {
    name: String,
    description: Option<String>,
    price_from: Option<i64>,
}

impl ServiceDraft {
    pub const NAME_MAX: usize = 255;
    pub const DESCRIPTION_MAX: usize = 5000;
    pub const PRICE_MAX: i64 = 1_000_000_000;

    pub fn parse(name: &str, description: Option<&str>) -> AppResult<Self> {
        Self::parse_priced(name, description, None)
    }

    /// With a "from" price: a whole number from 0 to [`Self::PRICE_MAX`].
    pub fn parse_priced(
        name: &str,
        description: Option<&str>,
        price_from: Option<i64>,
    ) -> AppResult<Self> {
        let name = name.trim();
        if name.is_empty() {
            return Err(AppError::validation(
                "name",
                Reason::Required,
                "Name is required",
            ));
        }
        check_text("name", "Name", name, Self::NAME_MAX)?;
        // The unique key is the lower-cased name, which can be longer ("İ" lower-cases to two
        // characters) than its column allows.
        check_text("name", "Name", &name.to_lowercase(), Self::NAME_MAX)?;
        let description = optional_text(description);
        if let Some(d) = &description {
            check_text("description", "Description", d, Self::DESCRIPTION_MAX)?;
        }
        if let Some(price) = price_from
            && !(0..=Self::PRICE_MAX).contains(&price)
        {
            return Err(AppError::validation(
                "priceFrom",
                Reason::OutOfRange,
                format!("Price must be from 0 to {}", Self::PRICE_MAX),
            )
            .with("min", 0)
            .with("max", Self::PRICE_MAX));
        }
        Ok(Self {
            name: name.to_owned(),
            description,
            price_from,
        })
    }

    fn name_key(&self) -> String {
        self.name.to_lowercase()
    }
}

/// Which services a list holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listed {
    /// The ones on the order form: what visitors see.
    Offered,
    /// Hidden ones too: what the admin manages.
    All,
}

/// The services in the business's order (`positions`).
#[tracing::instrument(skip(db))]
pub async fn list(db: &DatabaseConnection, listed: Listed) -> AppResult<Vec<Service>> {
    let mut query = service::Entity::find();
    if listed == Listed::Offered {
        query = query.filter(service::Column::Hidden.eq(false));
    }
    Ok(query
        .order_by_asc(service::Column::Position)
        .order_by_asc(service::Column::NameKey)
        .all(db)
        .await?
        .into_iter()
        .map(Service::from)
        .collect())
}

#[tracing::instrument(skip(db))]
pub async fn find(db: &DatabaseConnection, id: Uuid) -> AppResult<Option<Service>> {
    Ok(service::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(Service::from))
}

/// The services with these ids (missing ones are simply absent; so are hidden ones unless
/// `listed` is [`Listed::All`]). One query: the DataLoader batches a page of leads into a
/// single call, the order writer a group of orders.
#[tracing::instrument(skip(db))]
pub async fn find_many(
    db: &DatabaseConnection,
    ids: &[Uuid],
    listed: Listed,
) -> AppResult<Vec<Service>> {
    let mut query = service::Entity::find().filter(crate::db::one_of(
        db.get_database_backend(),
        service::Column::Id,
        ids.to_vec(),
    ));
    if listed == Listed::Offered {
        query = query.filter(service::Column::Hidden.eq(false));
    }
    Ok(query
        .all(db)
        .await?
        .into_iter()
        .map(Service::from)
        .collect())
}

#[tracing::instrument(skip(db, events))]
pub async fn create(
    db: &DatabaseConnection,
    events: &Events,
    draft: ServiceDraft,
) -> AppResult<Service> {
    let now = crate::values::now();
    let row = service::ActiveModel {
        id: Set(Uuid::now_v7()),
        name_key: Set(draft.name_key()),
        name: Set(draft.name),
        description: Set(draft.description),
        price_from: Set(draft.price_from),
        hidden: Set(false),
        position: Set(positions::next(db).await?),
        created_at: Set(now),
        updated_at: Set(now),
    };
    let created = service::Entity::insert(row)
        .exec_with_returning(db)
        .await
        .map_err(map_write_error)?;
    events.publish(Event::ServicesChanged).await;
    Ok(created.into())
}

#[tracing::instrument(skip(db, events))]
pub async fn update(
    db: &DatabaseConnection,
    events: &Events,
    id: Uuid,
    draft: ServiceDraft,
) -> AppResult<Service> {
    let row = service::ActiveModel {
        name_key: Set(draft.name_key()),
        name: Set(draft.name),
        description: Set(draft.description),
        price_from: Set(draft.price_from),
        ..Default::default()
    };
    save_changes(db, events, id, row).await
}

/// Takes a service off the order form (`hidden`) or puts it back. Pages open on the form
/// drop it, or show it again, at once; orders that chose it keep it.
#[tracing::instrument(skip(db, events))]
pub async fn set_hidden(
    db: &DatabaseConnection,
    events: &Events,
    id: Uuid,
    hidden: bool,
) -> AppResult<Service> {
    let row = service::ActiveModel {
        hidden: Set(hidden),
        ..Default::default()
    };
    save_changes(db, events, id, row).await
}

/// Writes the columns `changes` sets to service `id`, stamped now, and announces the change.
async fn save_changes(
    db: &DatabaseConnection,
    events: &Events,
    id: Uuid,
    changes: service::ActiveModel,
) -> AppResult<Service> {
    let row = service::ActiveModel {
        id: sea_orm::ActiveValue::Unchanged(id),
        updated_at: Set(crate::values::now()),
        ..changes
    };
    let updated = row.update(db).await.map_err(|err| match err {
        sea_orm::DbErr::RecordNotUpdated => not_found(),
        other => map_write_error(other),
    })?;
    events.publish(Event::ServicesChanged).await;
    Ok(updated.into())
}

/// Deletes a service. Orders that named it keep the name they were sent with.
#[tracing::instrument(skip(db, events))]
pub async fn delete(db: &DatabaseConnection, events: &Events, id: Uuid) -> AppResult<Uuid> {
    let result = service::Entity::delete_by_id(id).exec(db).await?;
    if result.rows_affected == 0 {
        return Err(not_found());
    }
    events.publish(Event::ServicesChanged).await;
    Ok(id)
}

fn not_found() -> AppError {
    AppError::NotFound("Service not found")
}

fn map_write_error(err: sea_orm::DbErr) -> AppError {
    if is_unique_violation(&err) {
        AppError::validation(
            "name",
            Reason::Duplicate,
            "A service with this name already exists",
        )
    } else {
        err.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(err: AppError) -> String {
        match err {
            AppError::Validation { field, .. } => field,
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn drafts_are_trimmed_and_bounded() {
        let draft = ServiceDraft::parse("  Аудит сайта ", Some("   ")).unwrap();
        assert_eq!(draft.name, "Аудит сайта");
        assert_eq!(draft.description, None);
        assert_eq!(draft.name_key(), "аудит сайта");
        assert_eq!(
            field_of(ServiceDraft::parse("   ", None).unwrap_err()),
            "name"
        );
        assert!(ServiceDraft::parse(&"я".repeat(255), None).is_ok());
        assert_eq!(
            field_of(ServiceDraft::parse(&"я".repeat(256), None).unwrap_err()),
            "name"
        );
        assert_eq!(
            field_of(ServiceDraft::parse_priced("x", None, Some(-1)).unwrap_err()),
            "priceFrom"
        );
        assert!(ServiceDraft::parse_priced("x", None, Some(15_000)).is_ok());
        let long = "d".repeat(5001);
        assert_eq!(
            field_of(ServiceDraft::parse("x", Some(&long)).unwrap_err()),
            "description"
        );
    }
}
