//! Outages of a cloud service (服务中断). D1 computes each service's monthly
//! availability from them; an outage crossing a month boundary is split at it.
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
use entities::outage::{Column, Model};
use sea_orm::{ColumnTrait as _, Condition};

resource!(Outages => outage, name: "Outage", policy: Policy::FACT,
    region: Some(Column::RegionId), vendor: Some(Column::VendorId), agency: None,
    time: TimeColumn::Instant(Column::StartedAt),
    scope: |m| Scope { region: Some(m.region_id), vendor: Some(m.vendor_id), agency: None });

impl Writable for Outages {
    async fn check<'a>(txn: &'a DatabaseTransaction, row: &'a mut Model) -> DomainResult<()> {
        check_owner(txn, row.region_id, row.vendor_id, None).await?;
        ensure_after("input.endedAt", row.ended_at, "startedAt", row.started_at)?;
        match row.ended_at {
            Some(end) => crate::validate::at_most_a_year("input.endedAt", row.started_at, end),
            None => Ok(()),
        }
    }
}

impl Assessed for Outages {
    type Fact = f::Outage;

    /// Those overlapping the period: begun before its end, not ended before its start (an ongoing one however old).
    fn window(w: &Window) -> Condition {
        Condition::all()
            .add(Column::StartedAt.lt(w.to))
            .add(
                Condition::any()
                    .add(Column::EndedAt.is_null())
                    .add(Column::EndedAt.gte(w.from)),
            )
            .add(
                Condition::any()
                    .add(Column::StartedAt.gte(w.early()))
                    .add(Column::EndedAt.is_null()),
            )
    }

    fn fact(r: Model) -> DomainResult<f::Outage> {
        Ok(f::Outage {
            id: r.id,
            title: r.description,
            confirmed: r.confirmed,
            vendor_liable: r.vendor_liable,
            service: r.service,
            started_at: r.started_at,
            ended_at: r.ended_at,
        })
    }
}
