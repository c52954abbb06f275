//! Faults affecting information systems (故障). E1 deducts each confirmed fault by
//! its level, E2 each one recovered later than its level allows, E3 each one
//! reported later than its level allows, E4 each misreported or concealed one.
//!
//! Declared here: who owns a row, who may see it, what a row must satisfy,
//! and which rows a period's assessment loads and what the engine reads.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QuerySelect};

use super::{Assessed, Window};
use super::{check_owner, ensure_after};
use crate::access::{Policy, Scope};
use crate::error::{DomainError, DomainResult};
use crate::reference::systems::InformationSystems;
use crate::store::Writable;
use crate::store::{Resource, TimeColumn};
use engine::facts as f;
use entities::fault::{Column, Model};
use sea_orm::Condition;

resource!(Faults => fault, name: "Fault", policy: Policy::FACT,
    region: Some(Column::RegionId), vendor: Some(Column::VendorId), agency: None,
    time: TimeColumn::Instant(Column::OccurredAt),
    scope: |m| Scope { region: Some(m.region_id), vendor: Some(m.vendor_id), agency: None });

impl Writable for Faults {
    async fn check<'a>(txn: &'a DatabaseTransaction, row: &'a mut Model) -> DomainResult<()> {
        check_owner(txn, row.region_id, row.vendor_id, None).await?;
        ensure_after(
            "input.reportedAt",
            row.reported_at,
            "occurredAt",
            row.occurred_at,
        )?;
        ensure_after(
            "input.recoveredAt",
            row.recovered_at,
            "occurredAt",
            row.occurred_at,
        )?;
        if let Some(recovered) = row.recovered_at {
            crate::validate::at_most_a_year("input.recoveredAt", row.occurred_at, recovered)?;
        }
        check_systems(txn, row).await?;
        crate::grading::grade_fault(txn, row, Utc::now())
            .await
            .map(drop)
    }
}

/// Every affected system exists and is hosted by the fault's vendor in the
/// fault's region (the region supervising the fault; the grading's platform is
/// the vendor's systems in every region). One query per
/// chunk of ids rather than one per id (a fault may name thousands); the
/// messages are those of `store::require`.
async fn check_systems(txn: &DatabaseTransaction, row: &Model) -> DomainResult<()> {
    use entities::information_system as system;
    let ids = affected_system_ids(row)?;
    let mut owner_of: HashMap<i64, (i64, i64)> = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let found: Vec<(i64, i64, i64)> = system::Entity::find()
            .select_only()
            .column(system::Column::Id)
            .column(system::Column::RegionId)
            .column(system::Column::VendorId)
            .filter(system::Column::Id.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(txn)
            .await?;
        owner_of.extend(
            found
                .into_iter()
                .map(|(id, region, vendor)| (id, (region, vendor))),
        );
    }
    for (i, system_id) in ids.iter().enumerate() {
        let field = format!("input.affectedSystemIds[{i}]");
        match owner_of.get(system_id) {
            None => {
                return Err(DomainError::bad(
                    field,
                    format!("no {} with id {system_id}", InformationSystems::NAME),
                ));
            }
            Some(&(region_id, vendor_id))
                if region_id != row.region_id || vendor_id != row.vendor_id =>
            {
                return Err(DomainError::bad(
                    field,
                    "the system is not hosted by this vendor in this region",
                ));
            }
            Some(_) => {}
        }
    }
    Ok(())
}

impl Assessed for Faults {
    type Fact = f::Fault;

    /// Faults that occurred up to `LOOKBACK_DAYS` before the period may be recovered or reported inside it.
    fn window(w: &Window) -> Condition {
        Condition::all()
            .add(Column::OccurredAt.gte(w.early()))
            .add(Column::OccurredAt.lt(w.to))
    }

    fn fact(r: Model) -> DomainResult<f::Fault> {
        Ok(f::Fault {
            id: r.id,
            title: r.title,
            confirmed: r.confirmed,
            vendor_liable: r.vendor_liable,
            // A supervisor's override wins over the graded level.
            level: r.level_override.unwrap_or(r.level).clamp(1, 6) as u8,
            occurred_at: r.occurred_at,
            reported_at: r.reported_at,
            recovered_at: r.recovered_at,
            misreported: r.misreported,
        })
    }
}

/// The affected systems' ids as stored (a JSON array of numbers, checked when
/// written); one that does not read back is an internal error naming the fault.
pub fn affected_system_ids(row: &Model) -> DomainResult<Vec<i64>> {
    serde_json::from_value(row.affected_system_ids.clone()).map_err(|e| {
        DomainError::Internal(
            format!("affected systems of fault {} do not parse: {e}", row.id).into(),
        )
    })
}
