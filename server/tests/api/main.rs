//! The API integration suite: one binary, every case against SQLite and PostgreSQL through the
//! real HTTP router on a real socket.

#[macro_use]
mod helpers;

mod accounts;
mod auth;
mod business;
mod choices;
mod cli;
mod hardening;
mod health;
mod heatmap_log;
mod leads;
mod metrics;
mod moves;
mod notify;
mod queue;
mod scale_out;
mod security;
mod services;
mod static_files;
mod statistics;
