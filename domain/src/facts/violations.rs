//! Violations of the cloud management rules (违反云管理制度). G1 deducts each
//! confirmed one.
//!
//! Declared here: who owns a row, who may see it, what a row must satisfy,
//! and which rows a period's assessment loads and what the engine reads.

use sea_orm::DatabaseTransaction;

use super::check_owner;
use super::{Assessed, Window};
use crate::access::{Policy, Scope};
use crate::error::DomainResult;
use crate::store::TimeColumn;
use crate::store::Writable;
use engine::facts as f;
use entities::violation::{Column, Model};
use sea_orm::{ColumnTrait as _, Condition};

resource!(Violations => violation, name: "Violation", policy: Policy::FACT,
    region: Some(Column::RegionId), vendor: Some(Column::VendorId), agency: None,
    time: TimeColumn::Instant(Column::OccurredAt),
    scope: |m| Scope { region: Some(m.region_id), vendor: Some(m.vendor_id), agency: None });

impl Writable for Violations {
    async fn check<'a>(txn: &'a DatabaseTransaction, row: &'a mut Model) -> DomainResult<()> {
        check_owner(txn, row.region_id, row.vendor_id, None).await
    }
}

impl Assessed for Violations {
    type Fact = f::Violation;

    /// Those that occurred in the period.
    fn window(w: &Window) -> Condition {
        Condition::all()
            .add(Column::OccurredAt.gte(w.from))
            .add(Column::OccurredAt.lt(w.to))
    }

    fn fact(r: Model) -> DomainResult<f::Violation> {
        Ok(f::Violation {
            id: r.id,
            title: r.description,
            confirmed: r.confirmed,
            vendor_liable: r.vendor_liable,
            occurred_at: r.occurred_at,
        })
    }
}
