//! End-to-end tests against the real server (see `e2e::spawn_app`).

#![allow(clippy::unwrap_used)]
#![recursion_limit = "256"]

mod access;
mod assessment;
mod audit;
mod breach_detection;
mod breach_register;
mod catalogue;
mod catalogue_import;
mod console;
mod console_access;
mod console_admin;
mod console_agency;
mod console_breaches;
mod console_contracts;
mod console_dashboards;
mod console_exports;
mod console_facts;
mod console_imports;
mod console_metering;
mod console_notices;
mod console_quotas;
mod console_settlement;
mod console_work_orders;
mod contract_scope;
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
mod metering;
mod notice_mail;
mod ops;
mod quotas;
mod refusals;
mod schedule;
mod schema;
mod seed_contract;
mod settlement;
mod signed_contracts;
mod statements;
mod usage;
mod words;
mod work_order_parts;
mod world;
