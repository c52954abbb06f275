//! outage: who owns a row, who may see it, and what a row must satisfy.

use sea_orm::DatabaseTransaction;

use super::{check_owner, ensure_after};
use crate::access::{Policy, Scope};
use crate::error::DomainResult;
use crate::store::TimeColumn;
use crate::store::Writable;
use entities::outage::{Column, Model};

resource!(Outages => outage, name: "Outage", policy: Policy::FACT,
    region: Some(Column::RegionId), vendor: Some(Column::VendorId), agency: None,
    time: TimeColumn::Instant(Column::StartedAt),
    scope: |m| Scope { region: Some(m.region_id), vendor: Some(m.vendor_id), agency: None });

impl Writable for Outages {
    async fn check<'a>(txn: &'a DatabaseTransaction, row: &'a mut Model) -> DomainResult<()> {
        check_owner(txn, row.region_id, row.vendor_id, None).await?;
        ensure_after("input.endedAt", row.ended_at, "startedAt", row.started_at)?;
        match row.ended_at {
            Some(end) => crate::validate::at_most_a_year("input.endedAt", row.started_at, end),
            None => Ok(()),
        }
    }
}
