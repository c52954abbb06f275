//! Work orders (工单): resources approved for an agency and delivered by the
//! vendor. A1 counts late ones, A2 those provisioned differently from approval.
//!
//! Declared here: who owns a row, who may see it, what a row must satisfy,
//! and which rows a period's assessment loads and what the engine reads.

use sea_orm::DatabaseTransaction;

use super::{Assessed, Window};
use super::{check_owner, check_system, ensure_after};
use crate::access::{Policy, Scope};
use crate::error::DomainResult;
use crate::store::TimeColumn;
use crate::store::Writable;
use engine::facts as f;
use entities::work_order::{Column, Model};
use sea_orm::{ColumnTrait as _, Condition};

resource!(WorkOrders => work_order, name: "WorkOrder", policy: Policy::FACT,
    region: Some(Column::RegionId), vendor: Some(Column::VendorId), agency: Some(Column::AgencyId),
    time: TimeColumn::Instant(Column::ApprovedAt),
    scope: |m| Scope { region: Some(m.region_id), vendor: Some(m.vendor_id), agency: m.agency_id });

impl Writable for WorkOrders {
    async fn check<'a>(txn: &'a DatabaseTransaction, row: &'a mut Model) -> DomainResult<()> {
        check_owner(txn, row.region_id, row.vendor_id, row.agency_id).await?;
        ensure_after(
            "input.completedAt",
            row.completed_at,
            "approvedAt",
            row.approved_at,
        )?;
        check_system(
            txn,
            row.system_id,
            row.region_id,
            row.vendor_id,
            row.agency_id,
        )
        .await
    }
}

impl Assessed for WorkOrders {
    type Fact = f::WorkOrder;

    /// A work order approved up to `LOOKBACK_DAYS` before the period can still fall due inside it.
    fn window(w: &Window) -> Condition {
        Condition::all()
            .add(Column::ApprovedAt.gte(w.early()))
            .add(Column::ApprovedAt.lt(w.to))
    }

    fn fact(r: Model) -> DomainResult<f::WorkOrder> {
        Ok(f::WorkOrder {
            id: r.id,
            title: r.title,
            confirmed: r.confirmed,
            vendor_liable: r.vendor_liable,
            approved_at: r.approved_at,
            completed_at: r.completed_at,
            provisioned_differently: r.provisioned_differently,
        })
    }
}
