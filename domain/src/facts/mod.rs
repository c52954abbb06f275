//! The facts supervision teams record, one module per kind: who owns a row
//! (region, vendor, agency), who may see it, the period column lists filter
//! on, and what a row must satisfy before it is saved. Every fact belongs to a
//! region and a vendor and records who recorded it and when; event facts also
//! carry `confirmed` and `vendor_liable`, since only confirmed, vendor-liable
//! facts count in an assessment and a dispute may flip either.

use chrono::{DateTime, Utc};
use sea_orm::DatabaseTransaction;

use crate::error::DomainResult;
use crate::reference::{agencies::Agencies, regions::Regions, vendors::Vendors};
use crate::store;

pub mod attendances;
pub mod changes;
pub mod complaints;
pub mod faults;
pub mod outages;
pub mod security_accidents;
pub mod security_risks;
pub mod service_tasks;
pub mod survey_responses;
pub mod trainings;
pub mod unticketed_deliveries;
pub mod violations;
pub mod work_orders;

/// The region and vendor exist; an agency, if any, is of that region (one of
/// another region answers as a missing one).
pub async fn check_owner(
    txn: &DatabaseTransaction,
    region_id: i64,
    vendor_id: i64,
    agency_id: Option<i64>,
) -> DomainResult<()> {
    store::require::<Regions>(txn, "input.regionId", region_id).await?;
    store::require::<Vendors>(txn, "input.vendorId", vendor_id).await?;
    if let Some(agency_id) = agency_id {
        store::require_in_region::<Agencies>(txn, "input.agencyId", agency_id, region_id).await?;
    }
    Ok(())
}

/// An optional instant after a required one: `later` must not be before `earlier`.
pub fn ensure_after(
    field: &str,
    later: Option<DateTime<Utc>>,
    other_field: &str,
    earlier: DateTime<Utc>,
) -> DomainResult<()> {
    match later {
        Some(l) => store::ensure_not_before(field, l, other_field, earlier),
        None => Ok(()),
    }
}
