//! complaint: who owns a row, who may see it, and what a row must satisfy.

use sea_orm::DatabaseTransaction;

use super::check_owner;
use crate::access::{Policy, Scope};
use crate::error::DomainResult;
use crate::store::TimeColumn;
use crate::store::Writable;
use entities::complaint::{Column, Model};

resource!(Complaints => complaint, name: "Complaint", policy: Policy::AGENCY_FILED_FACT,
    region: Some(Column::RegionId), vendor: Some(Column::VendorId), agency: Some(Column::AgencyId),
    time: TimeColumn::Instant(Column::ReceivedAt),
    scope: |m| Scope { region: Some(m.region_id), vendor: Some(m.vendor_id), agency: m.agency_id });

impl Writable for Complaints {
    async fn check<'a>(txn: &'a DatabaseTransaction, row: &'a mut Model) -> DomainResult<()> {
        check_owner(txn, row.region_id, row.vendor_id, row.agency_id).await
    }
}
