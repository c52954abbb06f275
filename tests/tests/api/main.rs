//! End-to-end tests against the real server (see `e2e::spawn_app`).

#![allow(clippy::unwrap_used)]
#![recursion_limit = "256"]

mod access;
mod assessment;
mod audit;
mod catalogue;
mod console;
mod console_access;
mod console_admin;
mod console_agency;
mod console_dashboards;
mod console_exports;
mod console_facts;
mod console_imports;
mod console_notices;
mod console_quotas;
mod contract_terms;
mod dashboards;
mod demo;
mod disputes;
mod facts;
mod failures;
mod flow;
mod hostile;
mod hostile_auth;
mod hostile_limits;
mod imports;
mod lifecycle;
mod login;
mod mail;
mod notice_mail;
mod ops;
mod quotas;
mod refusals;
mod schedule;
mod schema;
mod signed_contracts;
mod statements;
mod usage;
mod words;
mod world;
