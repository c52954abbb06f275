//! What the business allows, over any connection or transaction: who may read
//! and write what (`access`), who is calling (`actor`), the audit record, the
//! access-checked store (`store`), the fact kinds and their checks (`facts`),
//! schemes, the working-day calendar, notices and their lifecycle, periods and
//! validation. It knows no HTTP, no GraphQL and no cron: the edges (`api`) and
//! the jobs (`jobs`) call it.

#[macro_use]
mod macros;

pub mod access;
pub mod actor;
pub mod assessments;
pub mod audit;
pub mod breaches;
pub mod calendar;
pub mod catalogue;
pub mod charging;
pub mod contract_scope;
pub mod contract_terms;
pub mod contracts;
pub mod dashboards;
pub mod db;
pub mod db_share;
pub mod disputes;
pub mod error;
pub mod facts;
pub mod grading;
pub mod imports;
pub mod metering;
pub mod notice_attachments;
pub mod notices;
pub mod page;
pub mod period;
pub mod quotas;
pub mod reference;
pub mod result_cache;
pub mod schemes;
pub mod secret;
pub mod settlement;
pub mod store;
pub mod usage;
pub mod validate;
pub mod work_order_parts;

pub use actor::{Actor, Role, RoleKind};
pub use error::{DomainError, DomainResult};
