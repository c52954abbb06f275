#![recursion_limit = "256"]
//! The supervision platform's server: GraphQL over axum, sea-orm underneath.

pub mod access;
pub mod assessment;
pub mod auth;
pub mod bootstrap;
pub mod calendar;
pub mod client_errors;
pub mod config;
pub mod crud;
pub mod db;
pub mod demo;
pub mod error;
pub mod grading;
pub mod mail;
pub mod graphql;
pub mod period;
pub mod schemes;
pub mod session;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod validate;
