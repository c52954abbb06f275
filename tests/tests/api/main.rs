//! End-to-end tests against the real server (see `e2e::spawn_app`).

#![allow(clippy::unwrap_used)]

mod access;
mod login;
mod refusals;
mod schema;
mod world;
