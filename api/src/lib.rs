#![recursion_limit = "256"]
//! The supervision platform's server: configuration, start-up, HTTP, the
//! GraphQL edge (`graphql`), the web console (`web`), metrics, the demo data and the load generator,
//! over the domain (`domain`) and the jobs (`jobs`).

pub mod auth;
pub mod bootstrap;
pub mod client_addr;
pub mod client_errors;
pub mod config;
pub mod demo;
pub mod demo_metering;
pub mod edge;
pub mod embedded;
pub mod error;
pub mod generate;
pub mod graphiql;
pub mod graphql;
pub mod imports;
pub mod kept_rows;
pub mod metrics;
pub mod request_id;
pub mod run_due;
pub mod session;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod web;
