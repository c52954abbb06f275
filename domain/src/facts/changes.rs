//! change: who owns a row, who may see it, and what a row must satisfy.

use sea_orm::DatabaseTransaction;

use super::check_owner;
use crate::access::{Policy, Scope};
use crate::error::{DomainError, DomainResult};
use crate::store::TimeColumn;
use crate::store::Writable;
use entities::change::{Column, Model};

resource!(Changes => change, name: "Change", policy: Policy::FACT,
    region: Some(Column::RegionId), vendor: Some(Column::VendorId), agency: None,
    time: TimeColumn::Instant(Column::PlannedAt),
    scope: |m| Scope { region: Some(m.region_id), vendor: Some(m.vendor_id), agency: None });

impl Writable for Changes {
    async fn check<'a>(txn: &'a DatabaseTransaction, row: &'a mut Model) -> DomainResult<()> {
        check_owner(txn, row.region_id, row.vendor_id, None).await?;
        if row.outcome != "PENDING" && row.executed_at.is_none() {
            return Err(DomainError::bad(
                "input.executedAt",
                "required once the change has an outcome",
            ));
        }
        Ok(())
    }
}
