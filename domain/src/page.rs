//! One page of a list: where it starts, how long it may be, and the total.

use crate::error::{DomainError, DomainResult};

pub struct Page<M> {
    pub items: Vec<M>,
    pub total: u64,
    pub offset: u64,
    pub limit: u64,
}

pub const MAX_LIMIT: u64 = 500;
pub const DEFAULT_LIMIT: u64 = 50;

/// The checked offset and limit of a page (defaults: 0 and `DEFAULT_LIMIT`).
pub fn paging(offset: Option<i64>, limit: Option<i64>) -> DomainResult<(u64, u64)> {
    let offset = match offset {
        None => 0,
        Some(o) if o >= 0 => o as u64,
        Some(_) => return Err(DomainError::bad("offset", "must not be negative")),
    };
    let limit = match limit {
        None => DEFAULT_LIMIT,
        Some(l) if (1..=MAX_LIMIT as i64).contains(&l) => l as u64,
        Some(_) => {
            return Err(DomainError::bad(
                "limit",
                format!("must be from 1 to {MAX_LIMIT}"),
            ));
        }
    };
    Ok((offset, limit))
}
