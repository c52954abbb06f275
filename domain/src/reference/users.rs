//! User accounts, managed by administrators. Every user can read itself (`me`).
//!
//! Declared here: who owns a row, who may see it, what a row must satisfy.

use sea_orm::DatabaseTransaction;

use super::{agencies::Agencies, regions::Regions, vendors::Vendors};
use crate::access::{Policy, Scope};
use crate::error::DomainResult;
use crate::store::Writable;
use crate::store::{self, TimeColumn};

resource!(Users => user, name: "User", policy: Policy::ADMIN_ONLY,
    region: Some(entities::user::Column::RegionId), vendor: Some(entities::user::Column::VendorId),
    agency: Some(entities::user::Column::AgencyId), time: TimeColumn::None,
    scope: |m| Scope { region: m.region_id, vendor: m.vendor_id, agency: m.agency_id });

impl Writable for Users {
    async fn check<'a>(
        txn: &'a DatabaseTransaction,
        row: &'a mut entities::user::Model,
    ) -> DomainResult<()> {
        if let Some(r) = row.region_id {
            store::require::<Regions>(txn, "input.regionId", r).await?;
        }
        if let Some(v) = row.vendor_id {
            store::require::<Vendors>(txn, "input.vendorId", v).await?;
        }
        if let Some(a) = row.agency_id {
            store::require::<Agencies>(txn, "input.agencyId", a).await?;
        }
        Ok(())
    }
}
