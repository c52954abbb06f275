//! Trainings the vendor held (培训). I1 counts the valid ones in the service year:
//! a training is valid for I1 when it had at least 4 attendees and some evidence
//! (materials, notice, sign-in sheet or minutes).
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
use entities::training::{Column, Model};
use sea_orm::{ColumnTrait as _, Condition};

resource!(Trainings => training, name: "Training", policy: Policy::FACT,
    region: Some(Column::RegionId), vendor: Some(Column::VendorId), agency: None,
    time: TimeColumn::Instant(Column::HeldAt),
    scope: |m| Scope { region: Some(m.region_id), vendor: Some(m.vendor_id), agency: None });

impl Writable for Trainings {
    async fn check<'a>(txn: &'a DatabaseTransaction, row: &'a mut Model) -> DomainResult<()> {
        check_owner(txn, row.region_id, row.vendor_id, None).await
    }
}

impl Assessed for Trainings {
    type Fact = f::Training;

    /// Those held in the period.
    fn window(w: &Window) -> Condition {
        Condition::all()
            .add(Column::HeldAt.gte(w.from))
            .add(Column::HeldAt.lt(w.to))
    }

    fn fact(r: Model) -> DomainResult<f::Training> {
        Ok(f::Training {
            id: r.id,
            title: r.title,
            held_at: r.held_at,
            attendees: r.attendees.max(0) as u32,
            evidence: serde_json::from_value(r.evidence).map_err(|e| {
                DomainError::Internal(
                    format!("evidence of training {} is corrupt: {e}", r.id).into(),
                )
            })?,
        })
    }
}
