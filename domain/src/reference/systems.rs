//! Information systems on the cloud: whose (agency), hosted by whom (vendor), how
//! important (class A/B/C, used by fault grading) and their 等保 level.
//!
//! Declared here: who owns a row, who may see it, what a row must satisfy.

use sea_orm::DatabaseTransaction;

use super::{agencies::Agencies, regions::Regions, vendors::Vendors};
use crate::access::{AgencyAccess, Policy, Scope, SupervisorAccess};
use crate::error::DomainResult;
use crate::store::Writable;
use crate::store::{self, TimeColumn};

resource!(InformationSystems => information_system, name: "InformationSystem",
    policy: Policy { everyone_reads: false, supervisor: SupervisorAccess::Region, vendor_reads_own: true, agency: AgencyAccess::ReadOwn },
    region: Some(entities::information_system::Column::RegionId),
    vendor: Some(entities::information_system::Column::VendorId),
    agency: Some(entities::information_system::Column::AgencyId),
    time: TimeColumn::None,
    scope: |m| Scope { region: Some(m.region_id), vendor: Some(m.vendor_id), agency: Some(m.agency_id) });

impl Writable for InformationSystems {
    async fn check<'a>(
        txn: &'a DatabaseTransaction,
        row: &'a mut entities::information_system::Model,
    ) -> DomainResult<()> {
        store::require::<Regions>(txn, "input.regionId", row.region_id).await?;
        store::require::<Vendors>(txn, "input.vendorId", row.vendor_id).await?;
        store::require_in_region::<Agencies>(txn, "input.agencyId", row.agency_id, row.region_id)
            .await?;
        if let Some(off) = row.offline_on {
            store::ensure_date_not_before("input.offlineOn", off, "onlineOn", row.online_on)?;
        }
        Ok(())
    }
}
