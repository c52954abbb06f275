//! Complaints about a vendor (投诉), filed by a supervisor or by the agency itself.
//! C1 deducts each liable complaint; only a supervisor confirms one or finds the
//! vendor liable.
//!
//! Declared here: who owns a row, who may see it, what a row must satisfy,
//! and which rows a period's assessment loads and what the engine reads.

use sea_orm::DatabaseTransaction;

use super::{Assessed, Window};
use super::{check_owner, check_system};
use crate::access::{Policy, Scope};
use crate::actor::{Actor, Role};
use crate::error::{DomainError, DomainResult};
use crate::store::TimeColumn;
use crate::store::Writable;
use engine::facts as f;
use entities::complaint::{Column, Model};
use sea_orm::{ColumnTrait as _, Condition};

resource!(Complaints => complaint, name: "Complaint", policy: Policy::AGENCY_FILED_FACT,
    region: Some(Column::RegionId), vendor: Some(Column::VendorId), agency: Some(Column::AgencyId),
    time: TimeColumn::Instant(Column::ReceivedAt),
    scope: |m| Scope { region: Some(m.region_id), vendor: Some(m.vendor_id), agency: m.agency_id });

impl Writable for Complaints {
    async fn check<'a>(txn: &'a DatabaseTransaction, row: &'a mut Model) -> DomainResult<()> {
        check_owner(txn, row.region_id, row.vendor_id, row.agency_id).await?;
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

/// An agency files a complaint as itself (the access layer then checks that
/// the agency is the actor's own) and may not confirm it or find the vendor
/// liable: only a supervisor does. Every edge applies it to the row it built.
pub fn filed_by_an_agency(row: &mut Model, actor: &Actor) -> DomainResult<()> {
    let Role::Agency { agency_id: own } = actor.role else {
        return Ok(());
    };
    if row.confirmed {
        return Err(DomainError::bad(
            "input.confirmed",
            "only a supervisor confirms a complaint",
        ));
    }
    if row.vendor_liable {
        return Err(DomainError::bad(
            "input.vendorLiable",
            "only a supervisor confirms a complaint",
        ));
    }
    row.agency_id = row.agency_id.or(Some(own));
    Ok(())
}

impl Assessed for Complaints {
    type Fact = f::Complaint;

    /// Those received in the period.
    fn window(w: &Window) -> Condition {
        Condition::all()
            .add(Column::ReceivedAt.gte(w.from))
            .add(Column::ReceivedAt.lt(w.to))
    }

    fn fact(r: Model) -> DomainResult<f::Complaint> {
        Ok(f::Complaint {
            id: r.id,
            title: r.description,
            confirmed: r.confirmed,
            vendor_liable: r.vendor_liable,
            received_at: r.received_at,
        })
    }
}
