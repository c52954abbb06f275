//! The breach register (违约记录), read-only: written when results are published
//! (three consecutive failed monthly assessments, Beijing general breach no. 3).
//!
//! Declared here: who owns a row, who may see it, what a row must satisfy.

use crate::access::{Policy, Scope};
use crate::store::TimeColumn;

resource!(Breaches => breach, name: "Breach", policy: Policy::FACT,
    region: Some(entities::breach::Column::RegionId), vendor: Some(entities::breach::Column::VendorId),
    agency: None, time: TimeColumn::MonthText(entities::breach::Column::Period),
    scope: |m| Scope { region: Some(m.region_id), vendor: Some(m.vendor_id), agency: None });
