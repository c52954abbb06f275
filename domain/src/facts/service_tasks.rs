//! Service tasks (服务任务) with a planned deadline. A3 deducts each task not
//! finished as planned; finishing early is fine, so finished and planned have no
//! order rule.
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
use entities::service_task::{Column, Model};
use sea_orm::{ColumnTrait as _, Condition};

resource!(ServiceTasks => service_task, name: "ServiceTask", policy: Policy::FACT,
    region: Some(Column::RegionId), vendor: Some(Column::VendorId), agency: None,
    time: TimeColumn::Instant(Column::PlannedAt),
    scope: |m| Scope { region: Some(m.region_id), vendor: Some(m.vendor_id), agency: None });

impl Writable for ServiceTasks {
    async fn check<'a>(txn: &'a DatabaseTransaction, row: &'a mut Model) -> DomainResult<()> {
        check_owner(txn, row.region_id, row.vendor_id, None).await
    }
}

impl Assessed for ServiceTasks {
    type Fact = f::ServiceTask;

    /// Tasks planned up to `LOOKBACK_DAYS` before the period may finish late inside it.
    fn window(w: &Window) -> Condition {
        Condition::all()
            .add(Column::PlannedAt.gte(w.early()))
            .add(Column::PlannedAt.lt(w.to))
    }

    fn fact(r: Model) -> DomainResult<f::ServiceTask> {
        Ok(f::ServiceTask {
            id: r.id,
            title: r.title,
            confirmed: r.confirmed,
            vendor_liable: r.vendor_liable,
            planned_at: r.planned_at,
            finished_at: r.finished_at,
        })
    }
}
