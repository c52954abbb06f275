//! Resources delivered without a work order (无工单交付). A4 deducts each one in
//! the month it occurred, and again in each later month at whose end it was
//! still not rectified (`rectifiedAt` null or after that month).
//!
//! Declared here: who owns a row, who may see it, what a row must satisfy,
//! and which rows a period's assessment loads and what the engine reads.

use sea_orm::DatabaseTransaction;

use super::{Assessed, Window};
use super::{check_owner, ensure_after};
use crate::access::{Policy, Scope};
use crate::error::DomainResult;
use crate::store::TimeColumn;
use crate::store::Writable;
use engine::facts as f;
use entities::unticketed_delivery::{Column, Model};
use sea_orm::{ColumnTrait as _, Condition};

resource!(UnticketedDeliveries => unticketed_delivery, name: "UnticketedDelivery", policy: Policy::FACT,
    region: Some(Column::RegionId), vendor: Some(Column::VendorId), agency: None,
    time: TimeColumn::Instant(Column::OccurredAt),
    scope: |m| Scope { region: Some(m.region_id), vendor: Some(m.vendor_id), agency: None });

impl Writable for UnticketedDeliveries {
    async fn check<'a>(txn: &'a DatabaseTransaction, row: &'a mut Model) -> DomainResult<()> {
        check_owner(txn, row.region_id, row.vendor_id, None).await?;
        ensure_after(
            "input.rectifiedAt",
            row.rectified_at,
            "occurredAt",
            row.occurred_at,
        )
    }
}

impl Assessed for UnticketedDeliveries {
    type Fact = f::UnticketedDelivery;

    /// Those of the period, and older ones still not rectified at its end: they count again every month, however old (A4).
    fn window(w: &Window) -> Condition {
        Condition::all().add(Column::OccurredAt.lt(w.to)).add(
            Condition::any()
                .add(Column::OccurredAt.gte(w.from))
                .add(Column::RectifiedAt.is_null())
                .add(Column::RectifiedAt.gte(w.to)),
        )
    }

    fn fact(r: Model) -> DomainResult<f::UnticketedDelivery> {
        Ok(f::UnticketedDelivery {
            id: r.id,
            title: r.description,
            confirmed: r.confirmed,
            vendor_liable: r.vendor_liable,
            occurred_at: r.occurred_at,
            rectified_at: r.rectified_at,
        })
    }
}
