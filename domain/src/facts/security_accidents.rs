//! Security-liability accidents (安全责任事故), levels 1 (most severe) to 5. J2
//! deducts each confirmed one by its level.
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
use entities::security_accident::{Column, Model};
use sea_orm::{ColumnTrait as _, Condition};

resource!(SecurityAccidents => security_accident, name: "SecurityAccident", policy: Policy::FACT,
    region: Some(Column::RegionId), vendor: Some(Column::VendorId), agency: None,
    time: TimeColumn::Instant(Column::OccurredAt),
    scope: |m| Scope { region: Some(m.region_id), vendor: Some(m.vendor_id), agency: None });

impl Writable for SecurityAccidents {
    async fn check<'a>(txn: &'a DatabaseTransaction, row: &'a mut Model) -> DomainResult<()> {
        check_owner(txn, row.region_id, row.vendor_id, None).await
    }
}

impl Assessed for SecurityAccidents {
    type Fact = f::SecurityAccident;

    /// Those that occurred in the period.
    fn window(w: &Window) -> Condition {
        Condition::all()
            .add(Column::OccurredAt.gte(w.from))
            .add(Column::OccurredAt.lt(w.to))
    }

    fn fact(r: Model) -> DomainResult<f::SecurityAccident> {
        Ok(f::SecurityAccident {
            id: r.id,
            title: r.description,
            confirmed: r.confirmed,
            vendor_liable: r.vendor_liable,
            occurred_at: r.occurred_at,
            level: r.level.clamp(1, 5) as u8,
        })
    }
}
