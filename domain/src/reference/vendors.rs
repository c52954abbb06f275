//! Vendors (云服务商) and their contact addresses for notices. Supervisors read
//! all of them (they record facts about any); a vendor reads only itself.
//! An agency reads only the names of the vendors that serve it
//! (`servingVendors`: it names them in complaints and surveys), never a vendor
//! that does not, nor any vendor's contacts, contracts or systems.
//!
//! Declared here: who owns a row, who may see it, what a row must satisfy.

use sea_orm::DatabaseTransaction;

use crate::access::{AgencyAccess, Policy, Scope, SupervisorAccess};
use crate::error::{DomainError, DomainResult};
use crate::store::TimeColumn;
use entities::vendor::Model;

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

/// The vendor's contact addresses as stored (a JSON array of texts, checked
/// when written); one that does not read back is an internal error naming the
/// vendor, so a notice is never written with its mail silently dropped.
pub fn contact_emails(vendor: &Model) -> DomainResult<Vec<String>> {
    serde_json::from_value(vendor.contact_emails.clone()).map_err(|e| {
        DomainError::Internal(
            format!("contact e-mails of vendor {} do not parse: {e}", vendor.id).into(),
        )
    })
}
