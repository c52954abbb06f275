//! Rectification notices as rows: supervisors see and raise their region's,
//! vendors see their own (their lifecycle is `crate::notices`).
//!
//! Declared here: who owns a row, who may see it, what a row must satisfy.

use crate::access::{Policy, Scope};
use crate::store::TimeColumn;

resource!(Notices => notice, name: "Notice", policy: Policy::FACT,
    region: Some(entities::notice::Column::RegionId), vendor: Some(entities::notice::Column::VendorId),
    agency: None, time: TimeColumn::Date(entities::notice::Column::Deadline),
    scope: |m| Scope { region: Some(m.region_id), vendor: Some(m.vendor_id), agency: None });
