//! On-site staff attendance (驻场人员出勤), one record per vendor, region and month.
//! B1 scores actual hours / required hours; a month without a record scores in
//! full with a warning.
//!
//! Declared here: who owns a row, who may see it, what a row must satisfy,
//! and which rows a period's assessment loads and what the engine reads.

use sea_orm::DatabaseTransaction;

use super::check_owner;
use super::{Assessed, Window};
use crate::access::{Policy, Scope};
use crate::error::{DomainError, DomainResult};
use crate::store::TimeColumn;
use crate::store::Writable;
use engine::Month;
use engine::facts as f;
use entities::attendance::{Column, Model};
use sea_orm::{ColumnTrait as _, Condition};

resource!(Attendances => attendance, name: "Attendance", policy: Policy::FACT,
    region: Some(Column::RegionId), vendor: Some(Column::VendorId), agency: None,
    time: TimeColumn::MonthText(Column::Period),
    scope: |m| Scope { region: Some(m.region_id), vendor: Some(m.vendor_id), agency: None });

impl Writable for Attendances {
    async fn check<'a>(txn: &'a DatabaseTransaction, row: &'a mut Model) -> DomainResult<()> {
        check_owner(txn, row.region_id, row.vendor_id, None).await
    }
}

impl Assessed for Attendances {
    type Fact = f::Attendance;

    /// The months of the period (a `YYYY-MM` text column).
    fn window(w: &Window) -> Condition {
        Condition::all()
            .add(Column::Period.gte(Month::of(w.from).to_string()))
            .add(Column::Period.lte(Month::of(w.to - chrono::Duration::seconds(1)).to_string()))
    }

    fn fact(r: Model) -> DomainResult<f::Attendance> {
        let corrupt = |what: &str| {
            DomainError::Internal(format!("{what} of attendance {} is corrupt", r.id).into())
        };
        let (y, m) = r.period.split_once('-').ok_or_else(|| corrupt("period"))?;
        let period = Month::new(
            y.parse().map_err(|_| corrupt("year"))?,
            m.parse().map_err(|_| corrupt("month"))?,
        )
        .map_err(|_| corrupt("period"))?;
        Ok(f::Attendance {
            id: r.id,
            period,
            // SQLite returns decimals through f64: back to the stored scale.
            required_hours: r.required_hours.round_dp(2),
            actual_hours: r.actual_hours.round_dp(2),
        })
    }
}
