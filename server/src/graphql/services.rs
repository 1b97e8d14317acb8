use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject, Subscription};
use chrono::{DateTime, Utc};
use futures_util::{Stream, StreamExt, future};

use super::{
    auth::{AdminGuard, current_admin},
    state,
};
use crate::{
    events::Event,
    services::{self, Listed, ServiceDraft},
    values::parse_id,
};

/// Something the business offers; visitors pick one when ordering.
#[derive(SimpleObject, Clone)]
pub struct Service {
    pub id: ID,
    pub name: String,
    pub description: Option<String>,
    /// "From …" price in whole units of the business's currency; null: not shown.
    pub price_from: Option<i32>,
    /// Off the order form for now (`setServiceHidden`): only admins see it, with
    /// `services(includeHidden: true)`, and it cannot be ordered; orders that chose it keep it.
    pub hidden: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<services::Service> for Service {
    fn from(s: services::Service) -> Self {
        Self {
            id: ID(s.id.to_string()),
            name: s.name,
            description: s.description,
            price_from: s.price_from.and_then(|p| i32::try_from(p).ok()),
            hidden: s.hidden,
            created_at: s.created_at,
            updated_at: s.updated_at,
        }
    }
}

/// Where `moveService` moves a service on the page.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "services::Direction")]
pub enum MoveDirection {
    /// A place earlier.
    Up,
    /// A place later.
    Down,
}

#[derive(InputObject)]
pub struct ServiceInput {
    /// 1–255 characters after trimming; unique regardless of case.
    pub name: String,
    /// Up to 5000 characters; blank means none.
    pub description: Option<String>,
    /// "From …" price, 0 to 1000000000 whole units of the business's currency; null means none.
    pub price_from: Option<i32>,
}

impl ServiceInput {
    fn parse(&self) -> crate::error::AppResult<ServiceDraft> {
        ServiceDraft::parse_priced(
            &self.name,
            self.description.as_deref(),
            self.price_from.map(i64::from),
        )
    }
}

fn to_graphql(list: Vec<services::Service>) -> Vec<Service> {
    list.into_iter().map(Service::from).collect()
}

#[derive(Default)]
pub struct ServiceQuery;

#[Object]
impl ServiceQuery {
    /// The services on offer, in the business's order (`moveService`); with `includeHidden`
    /// (admins only) the hidden ones too.
    async fn services(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = false)] include_hidden: bool,
    ) -> async_graphql::Result<Vec<Service>> {
        let listed = if include_hidden {
            current_admin(ctx).await?;
            Listed::All
        } else {
            Listed::Offered
        };
        Ok(to_graphql(services::list(&state(ctx).db, listed).await?))
    }
}

#[derive(Default)]
pub struct ServiceMutation;

#[Object]
impl ServiceMutation {
    #[graphql(guard = "AdminGuard")]
    async fn create_service(
        &self,
        ctx: &Context<'_>,
        input: ServiceInput,
    ) -> async_graphql::Result<Service> {
        let state = state(ctx);
        Ok(services::create(&state.db, &state.events, input.parse()?)
            .await?
            .into())
    }

    #[graphql(guard = "AdminGuard")]
    async fn update_service(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: ServiceInput,
    ) -> async_graphql::Result<Service> {
        let state = state(ctx);
        let id = parse_id("id", &id)?;
        Ok(
            services::update(&state.db, &state.events, id, input.parse()?)
                .await?
                .into(),
        )
    }

    /// Takes a service off the order form (`hidden: true`) or puts it back; open pages follow
    /// at once (`servicesChanged`).
    #[graphql(guard = "AdminGuard")]
    async fn set_service_hidden(
        &self,
        ctx: &Context<'_>,
        id: ID,
        hidden: bool,
    ) -> async_graphql::Result<Service> {
        let state = state(ctx);
        let id = parse_id("id", &id)?;
        Ok(services::set_hidden(&state.db, &state.events, id, hidden)
            .await?
            .into())
    }

    /// Moves a service one place up or down the page and returns every service, hidden ones
    /// too, in the new order; at either end it stays. Open pages follow at once.
    #[graphql(guard = "AdminGuard")]
    async fn move_service(
        &self,
        ctx: &Context<'_>,
        id: ID,
        direction: MoveDirection,
    ) -> async_graphql::Result<Vec<Service>> {
        let state = state(ctx);
        let id = parse_id("id", &id)?;
        Ok(to_graphql(
            services::move_service(&state.db, &state.events, id, direction.into()).await?,
        ))
    }

    /// Deletes a service and returns its id. Orders that named it keep the name.
    #[graphql(guard = "AdminGuard")]
    async fn delete_service(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<ID> {
        let state = state(ctx);
        let id = parse_id("id", &id)?;
        Ok(ID(services::delete(&state.db, &state.events, id)
            .await?
            .to_string()))
    }
}

#[derive(Default)]
pub struct ServiceSubscription;

#[Subscription]
impl ServiceSubscription {
    /// The services on offer, the whole list, after every change to any service (a hidden
    /// one's too, so an admin's screen knows to ask `services(includeHidden: true)` again).
    async fn services_changed(
        &self,
        ctx: &Context<'_>,
    ) -> impl Stream<Item = async_graphql::Result<Vec<Service>>> + use<> {
        let state = state(ctx).clone();
        state
            .events
            .subscribe()
            // A lagging subscriber missed some changes: reloading the list covers them all.
            .filter(|event| future::ready(matches!(event, Ok(Event::ServicesChanged) | Err(_))))
            .then(move |_| {
                let db = state.db.clone();
                async move { Ok(to_graphql(services::list(&db, Listed::Offered).await?)) }
            })
    }
}
