//! Which scoring schemes a region may name.

use sea_orm::DatabaseTransaction;

use crate::error::{AppError, AppResult};

/// The scheme codes built into the engine.
pub const BUILTIN: [&str; 2] = ["sh-municipal", "sh-songjiang"];

pub async fn require_known(_txn: &DatabaseTransaction, field: &str, code: &str) -> AppResult<()> {
    if BUILTIN.contains(&code) {
        Ok(())
    } else {
        Err(AppError::bad(field, format!("unknown scheme \"{code}\"; known: {}", BUILTIN.join(", "))))
    }
}
