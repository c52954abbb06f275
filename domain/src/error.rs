//! The domain's error: what a rule refused, named by the field it refused,
//! or why the store could not answer. The edges map it once (GraphQL: `code`).
//!
//! Use `BadInput` for anything the client can fix (it names the field), `NotFound`
//! also for rows outside the caller's reach (so ids of other vendors' data do not
//! leak their existence), `Conflict` when the same work is under way elsewhere,
//! `Forbidden` for operations the caller's role may never
//! do, `Unavailable` when the database cannot be reached (the request may be
//! tried again), `Busy` when it is up but no pool connection came free in time
//! (likewise), `Internal` for everything else: it is logged and never shown.

use sea_orm::{DbErr, SqlErr};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum DomainError {
    #[error("{field}: {reason}")]
    BadInput { field: String, reason: String },
    #[error("sign in first")]
    Unauthenticated,
    #[error("invalid username or password")]
    BadCredentials,
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("{0} not found")]
    NotFound(String),
    /// The operation is under way elsewhere (e.g. the same period's run):
    /// nothing was done; try again when it has finished.
    #[error("{0}")]
    Conflict(String),
    /// The database is down or restarting: nothing was done that answered
    /// this error (a write's transaction was not committed); try again.
    #[error("the service is temporarily unavailable; try again shortly")]
    Unavailable(#[source] DbErr),
    /// The database is up but every connection was in use for longer than
    /// `DB_ACQUIRE_TIMEOUT_SECONDS`: nothing was done; try again.
    #[error(
        "the service is busy: no database connection came free in time; nothing was done; try again shortly"
    )]
    Busy(#[source] DbErr),
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

pub type DomainResult<T> = Result<T, DomainError>;

/// A conversion that cannot fail (`From`, seen through `TryFrom`) fits where
/// one that can is expected.
impl From<std::convert::Infallible> for DomainError {
    fn from(never: std::convert::Infallible) -> Self {
        match never {}
    }
}

impl DomainError {
    pub fn bad(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::BadInput {
            field: field.into(),
            reason: reason.into(),
        }
    }
    pub fn not_found(what: impl Into<String>) -> Self {
        Self::NotFound(what.into())
    }
    pub fn forbidden(what: impl Into<String>) -> Self {
        Self::Forbidden(what.into())
    }
    pub fn internal(e: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::Internal(Box::new(e))
    }

    pub fn code(&self) -> &'static str {
        match self {
            Self::BadInput { .. } => "BAD_USER_INPUT",
            Self::Unauthenticated | Self::BadCredentials => "UNAUTHENTICATED",
            Self::Forbidden(_) => "FORBIDDEN",
            Self::NotFound(_) => "NOT_FOUND",
            Self::Conflict(_) => "CONFLICT",
            Self::Unavailable(_) => "UNAVAILABLE",
            Self::Busy(_) => "BUSY",
            Self::Internal(_) => "INTERNAL_SERVER_ERROR",
        }
    }
}

impl From<DbErr> for DomainError {
    fn from(e: DbErr) -> Self {
        match e.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(detail)) => {
                Self::bad(unique_field(&detail), "already exists")
            }
            Some(SqlErr::ForeignKeyConstraintViolation(_)) => Self::bad(
                "id",
                "still referenced by other records, or refers to a missing one",
            ),
            // A full pool is busy, not down (see `db_share`).
            _ if acquire_timed_out(&e) && crate::db_share::pool_is_full() => Self::Busy(e),
            _ if connection_lost(&e) => Self::Unavailable(e),
            _ => Self::Internal(Box::new(e)),
        }
    }
}

/// No connection came from the pool within its acquire timeout.
fn acquire_timed_out(e: &DbErr) -> bool {
    use sea_orm::sqlx::Error as Sqlx;
    use sea_orm::{ConnAcquireErr, RuntimeErr};
    match e {
        DbErr::ConnectionAcquire(ConnAcquireErr::Timeout) => true,
        DbErr::Conn(RuntimeErr::SqlxError(sqlx))
        | DbErr::Exec(RuntimeErr::SqlxError(sqlx))
        | DbErr::Query(RuntimeErr::SqlxError(sqlx)) => matches!(sqlx.as_ref(), Sqlx::PoolTimedOut),
        _ => false,
    }
}

/// The database could not be reached or dropped the connection: no pool
/// connection within the acquire timeout, a connection closed or reset under
/// a statement, or PostgreSQL shutting down or starting up (SQLSTATE class 57P:
/// 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now).
fn connection_lost(e: &DbErr) -> bool {
    use sea_orm::RuntimeErr;
    use sea_orm::sqlx::Error as Sqlx;
    let runtime = match e {
        DbErr::ConnectionAcquire(_) => return true,
        DbErr::Conn(r) | DbErr::Exec(r) | DbErr::Query(r) => r,
        _ => return false,
    };
    match runtime {
        RuntimeErr::SqlxError(sqlx) => match sqlx.as_ref() {
            Sqlx::Io(_)
            | Sqlx::Tls(_)
            | Sqlx::PoolTimedOut
            | Sqlx::PoolClosed
            | Sqlx::WorkerCrashed
            | Sqlx::Protocol(_) => true,
            Sqlx::Database(db) => db.code().is_some_and(|c| c.starts_with("57P")),
            _ => false,
        },
        _ => matches!(e, DbErr::Conn(_)),
    }
}

/// Names the input fields of a unique violation. SQLite says "UNIQUE constraint
/// failed: users.username"; PostgreSQL names the index, which the migrations
/// call `uq_<table>__<column>__<column>`.
fn unique_field(detail: &str) -> String {
    let columns: Vec<&str> = if let Some(rest) = detail.split("failed: ").nth(1) {
        rest.split(", ")
            .map(|c| c.rsplit('.').next().unwrap_or(c).trim())
            .collect()
    } else if let Some(name) = detail.split('"').find(|part| part.starts_with("uq_")) {
        name.split("__").skip(1).collect()
    } else {
        Vec::new()
    };
    if columns.is_empty() {
        return "input".to_owned();
    }
    columns
        .iter()
        .map(|c| format!("input.{}", camel_case(c)))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn camel_case(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for ch in snake.chars() {
        if ch == '_' {
            upper = true;
        } else if upper {
            out.extend(ch.to_uppercase());
            upper = false;
        } else {
            out.push(ch);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_violations_name_the_input_fields_on_both_databases() {
        assert_eq!(
            unique_field("UNIQUE constraint failed: users.username"),
            "input.username"
        );
        assert_eq!(
            unique_field(
                r#"duplicate key value violates unique constraint "uq_contracts__vendor_id__region_id__service_year""#
            ),
            "input.vendorId, input.regionId, input.serviceYear"
        );
    }
}
