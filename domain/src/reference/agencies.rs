//! Agencies (使用单位): the government bodies whose systems run on the cloud.
//!
//! Declared here: who owns a row, who may see it, what a row must satisfy.

use sea_orm::DatabaseTransaction;

use super::regions::Regions;
use crate::access::{AgencyAccess, Policy, Scope, SupervisorAccess};
use crate::error::DomainResult;
use crate::store::{self, TimeColumn};

use crate::store::Writable;

resource!(Agencies => agency, name: "Agency",
    policy: Policy { everyone_reads: false, supervisor: SupervisorAccess::Region, vendor_reads_own: false, agency: AgencyAccess::ReadOwn },
    region: Some(entities::agency::Column::RegionId), vendor: None, agency: Some(entities::agency::Column::Id),
    time: TimeColumn::None,
    scope: |m| Scope { region: Some(m.region_id), vendor: None, agency: Some(m.id) });

impl Writable for Agencies {
    async fn check<'a>(
        txn: &'a DatabaseTransaction,
        row: &'a mut entities::agency::Model,
    ) -> DomainResult<()> {
        store::require::<Regions>(txn, "input.regionId", row.region_id)
            .await
            .map(drop)
    }
}
