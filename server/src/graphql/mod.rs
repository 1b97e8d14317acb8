//! The GraphQL schema: types and thin resolvers that call the domain modules.

mod admin;
pub mod auth;
mod business;
pub mod cost;
pub mod error;
mod executor;
mod introspection;
pub(crate) mod leads;
pub mod metrics;
mod notifications;
mod services;

use std::net::{IpAddr, Ipv4Addr};

use async_graphql::{
    Context, MergedObject, MergedSubscription, Schema, SchemaBuilder,
    dataloader::{DataLoader, HashMapCache},
};

use crate::state::AppState;
pub use executor::GuardedSchema;

#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub struct QueryRoot(
    admin::AdminQuery,
    business::BusinessQuery,
    services::ServiceQuery,
    leads::LeadQuery,
    metrics::MetricsQuery,
    notifications::NotificationQuery,
);

#[derive(MergedObject, Default)]
#[graphql(name = "Mutation")]
pub struct MutationRoot(
    admin::AdminMutation,
    business::BusinessMutation,
    services::ServiceMutation,
    leads::LeadMutation,
    metrics::MetricsMutation,
    notifications::NotificationMutation,
);

#[derive(MergedSubscription, Default)]
#[graphql(name = "Subscription")]
pub struct SubscriptionRoot(
    services::ServiceSubscription,
    business::BusinessSubscription,
    leads::LeadSubscription,
);

pub type AppSchema = Schema<QueryRoot, MutationRoot, SubscriptionRoot>;

/// Deep enough for GraphiQL's introspection query, shallow enough to stop abuse.
const MAX_DEPTH: usize = 15;
const MAX_COMPLEXITY: usize = 1000;

fn builder() -> SchemaBuilder<QueryRoot, MutationRoot, SubscriptionRoot> {
    Schema::build(
        QueryRoot::default(),
        MutationRoot::default(),
        SubscriptionRoot::default(),
    )
    // Depth and complexity, once `executor::GuardedSchema` has bounded the document (before
    // anything expands its fragments). No extensions: see `executor`.
    .limit_depth(MAX_DEPTH)
    .limit_complexity(MAX_COMPLEXITY)
    // Not returned by any field: documents `extensions.reason` in the schema, and gives
    // clients a generated type to switch on.
    .register_output_type::<error::ValidationReason>()
}

pub fn build_schema(state: AppState) -> GuardedSchema {
    let production = state.config.app_env.is_production();
    let builder = builder().data(state);
    let schema = if production {
        // No introspection, and no "Did you mean …?" that would reveal field names anyway.
        builder
            .disable_introspection()
            .disable_suggestions()
            .finish()
    } else {
        builder.finish()
    };
    GuardedSchema::new(schema, production)
}

/// Loaders live for one HTTP request: they batch and de-duplicate within it, and can never
/// serve a later request stale data. (Subscriptions deliver one lead at a time and have none.)
pub struct RequestLoaders {
    pub services: DataLoader<leads::ServiceLoader, HashMapCache>,
    pub visits: DataLoader<leads::VisitLoader, HashMapCache>,
}

pub fn request_loaders(state: &AppState) -> RequestLoaders {
    let db = state.db.clone();
    RequestLoaders {
        services: DataLoader::with_cache(
            leads::ServiceLoader { db: db.clone() },
            tokio::spawn,
            HashMapCache::default(),
        ),
        visits: DataLoader::with_cache(
            leads::VisitLoader { db },
            tokio::spawn,
            HashMapCache::default(),
        ),
    }
}

/// The SDL committed as `schema.graphql`.
pub fn sdl() -> String {
    builder().finish().sdl()
}

/// The client's address, as the HTTP layer determined it (proxy headers only from trusted
/// proxies).
#[derive(Clone, Copy, Debug)]
pub struct ClientIp(pub IpAddr);

pub(crate) fn client_ip(ctx: &Context<'_>) -> IpAddr {
    ctx.data_opt::<ClientIp>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |ip| ip.0)
}

pub(crate) fn state<'a>(ctx: &Context<'a>) -> &'a AppState {
    ctx.data_unchecked::<AppState>()
}
