//! The API integration suite: one binary, every case against SQLite and PostgreSQL through the
//! real HTTP router on a real socket.

#[macro_use]
mod helpers;

mod auth;
mod business;
mod cli;
mod hardening;
mod health;
mod leads;
mod metrics;
mod notify;
mod queue;
mod scale_out;
mod security;
mod services;
mod statistics;
