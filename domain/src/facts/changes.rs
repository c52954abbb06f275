//! Changes to the platform (变更). F1 deducts each change not completed as planned
//! (a failed one; one rolled back according to its plan is not deducted); F2 each
//! non-emergency change not reported, or reported later than the lead time before
//! its execution.
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
use engine::facts as f;
use entities::change::{Column, Model};
use sea_orm::{ColumnTrait as _, Condition};

resource!(Changes => change, name: "Change", policy: Policy::FACT,
    region: Some(Column::RegionId), vendor: Some(Column::VendorId), agency: None,
    time: TimeColumn::Instant(Column::PlannedAt),
    scope: |m| Scope { region: Some(m.region_id), vendor: Some(m.vendor_id), agency: None });

impl Writable for Changes {
    async fn check<'a>(txn: &'a DatabaseTransaction, row: &'a mut Model) -> DomainResult<()> {
        check_owner(txn, row.region_id, row.vendor_id, None).await?;
        if row.outcome != "PENDING" && row.executed_at.is_none() {
            return Err(DomainError::bad(
                "input.executedAt",
                "required once the change has an outcome",
            ));
        }
        Ok(())
    }
}

impl Assessed for Changes {
    type Fact = f::Change;

    /// Changes planned around the period: one planned later may have been submitted (F2) inside it.
    fn window(w: &Window) -> Condition {
        Condition::all()
            .add(Column::PlannedAt.gte(w.early()))
            .add(Column::PlannedAt.lt(w.to + chrono::Duration::days(super::LOOKBACK_DAYS)))
    }

    fn fact(r: Model) -> DomainResult<f::Change> {
        Ok(f::Change {
            id: r.id,
            title: r.title,
            confirmed: r.confirmed,
            vendor_liable: r.vendor_liable,
            submitted_at: r.submitted_at,
            planned_at: r.planned_at,
            executed_at: r.executed_at,
            emergency: r.emergency,
            outcome: outcome(&r.outcome),
        })
    }
}

/// A pending change has not failed: F1 has nothing to deduct for it yet (F2
/// still judges its notice).
fn outcome(text: &str) -> f::ChangeOutcome {
    match text {
        "FAILED" => f::ChangeOutcome::Failed,
        "ROLLED_BACK" => f::ChangeOutcome::RolledBack,
        _ => f::ChangeOutcome::Succeeded,
    }
}
