//! Contracts: one vendor serving one region for one service year, with the
//! year's settlement amount (the base of the penalty) and the monthly fee.
//!
//! Declared here: who owns a row, who may see it, what a row must satisfy.

use sea_orm::DatabaseTransaction;

use super::{regions::Regions, vendors::Vendors};
use crate::access::{Policy, Scope};
use crate::error::DomainResult;
use crate::store::Writable;
use crate::store::{self, TimeColumn};

resource!(Contracts => contract, name: "Contract", policy: Policy::FACT,
    region: Some(entities::contract::Column::RegionId), vendor: Some(entities::contract::Column::VendorId),
    agency: None, time: TimeColumn::ServiceYear(entities::contract::Column::ServiceYear),
    scope: |m| Scope { region: Some(m.region_id), vendor: Some(m.vendor_id), agency: None });

impl Writable for Contracts {
    async fn check<'a>(
        txn: &'a DatabaseTransaction,
        row: &'a mut entities::contract::Model,
    ) -> DomainResult<()> {
        store::require::<Vendors>(txn, "input.vendorId", row.vendor_id).await?;
        store::require::<Regions>(txn, "input.regionId", row.region_id).await?;
        Ok(())
    }
}
