//! Order Desk server: a GraphQL API for order (lead) intake, scoring and visitor statistics.
//!
//! Dependencies point one way: `http` → `graphql` → domain modules (`admins`, `services`,
//! `auth`) → `db`.

pub mod admins;
pub mod app;
pub mod auth;
pub mod config;
pub mod db;
pub mod demo;
pub mod error;
pub mod events;
pub mod graphql;
pub mod http;
pub mod leads;
pub mod metrics;
pub mod rate_limit;
pub mod scoring;
pub mod services;
pub mod state;
pub mod telemetry;
pub mod values;
