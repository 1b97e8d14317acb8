//! Order Desk server: a GraphQL API for order (lead) intake, scoring and visitor statistics.
//!
//! Dependencies point one way: `http` → `graphql` → domain modules (`admins`, `auth`,
//! `leads`, `services`, `metrics`, `scoring`, `values`, `events`) → `db`. `app` assembles them;
//! `config`, `error`, `state` and `telemetry` are shared by all.

pub mod admins;
pub mod app;
pub mod auth;
pub mod business;
pub mod config;
pub mod db;
pub mod demo;
pub mod error;
pub mod events;
pub mod graphql;
pub mod group_commit;
pub mod http;
pub mod leads;
pub mod metrics;
pub mod notify;
pub mod rate_limit;
pub mod scoring;
pub mod services;
pub mod state;
pub mod telemetry;
pub mod values;
