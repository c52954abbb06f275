//! The facts supervision teams record, one module per kind: who owns a row
//! (region, vendor, agency), who may see it, the period column lists filter
//! on, and what a row must satisfy before it is saved. Every fact belongs to a
//! region and a vendor and records who recorded it and when; event facts also
//! carry `confirmed` and `vendor_liable`, since only confirmed, vendor-liable
//! facts count in an assessment and a dispute may flip either.

use chrono::{DateTime, Utc};
use sea_orm::DatabaseTransaction;

use crate::error::{DomainError, DomainResult};
use crate::reference::systems::InformationSystems;
use crate::reference::{agencies::Agencies, regions::Regions, vendors::Vendors};
use crate::store;

pub mod attendances;
pub mod changes;
pub mod complaints;
pub mod faults;
pub mod named;
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

/// A fact's system, if any, is in the fact's region, hosted by its vendor and
/// of its agency (a system of another region answers as a missing one).
pub async fn check_system(
    txn: &DatabaseTransaction,
    system_id: Option<i64>,
    region_id: i64,
    vendor_id: i64,
    agency_id: Option<i64>,
) -> DomainResult<()> {
    let Some(system_id) = system_id else {
        return Ok(());
    };
    let system =
        store::require_in_region::<InformationSystems>(txn, "input.systemId", system_id, region_id)
            .await?;
    if system.vendor_id != vendor_id {
        return Err(DomainError::bad(
            "input.systemId",
            "the system is not hosted by this vendor",
        ));
    }
    if agency_id.is_some_and(|a| a != system.agency_id) {
        return Err(DomainError::bad(
            "input.systemId",
            "the system belongs to another agency",
        ));
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

/// How far before a period facts are loaded: a work order approved this long
/// ago can still fall due inside it (5 working days plus the longest holidays).
pub const LOOKBACK_DAYS: i64 = 100;

/// One vendor's facts in one region that a period's assessment may count:
/// the engine decides which count; a kind's window is generous enough to hold
/// them all (late work orders approved weeks before, outages that began before
/// the period, deliveries still unrectified from earlier months).
#[derive(Clone, Copy, Debug)]
pub struct Window {
    pub region_id: i64,
    pub vendor_id: i64,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// The service year whose survey responses count (H1).
    pub survey_year: i32,
}

impl Window {
    /// `LOOKBACK_DAYS` before the period.
    pub fn early(&self) -> DateTime<Utc> {
        self.from - chrono::Duration::days(LOOKBACK_DAYS)
    }
}

/// A fact kind the engine assesses: which of the vendor's rows in the region a
/// period's window holds, and what the engine reads of each. The loader
/// (`jobs::assessment::facts`) is the same for every kind.
pub trait Assessed: store::Resource {
    type Fact;

    /// Beyond being the vendor's in the region: the rows the window holds.
    fn window(w: &Window) -> sea_orm::Condition;

    /// What the engine reads of a row; a row that does not read back is an
    /// internal error naming it, never a silent default.
    fn fact(row: Self::Model) -> DomainResult<Self::Fact>;
}
