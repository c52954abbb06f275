//! vendor: who owns a row, who may see it, and what a row must satisfy.

use sea_orm::DatabaseTransaction;

use crate::access::{AgencyAccess, Policy, Scope, SupervisorAccess};
use crate::error::DomainResult;
use crate::store::TimeColumn;

use crate::store::Writable;

resource!(Vendors => vendor, name: "Vendor",
    policy: Policy { everyone_reads: false, supervisor: SupervisorAccess::ReadAll, vendor_reads_own: true, agency: AgencyAccess::None },
    region: None, vendor: Some(entities::vendor::Column::Id), agency: None, time: TimeColumn::None,
    scope: |m| Scope { vendor: Some(m.id), ..Scope::default() });

impl Writable for Vendors {
    async fn check<'a>(
        _txn: &'a DatabaseTransaction,
        _row: &'a mut entities::vendor::Model,
    ) -> DomainResult<()> {
        Ok(())
    }
}
