//! Security risks found on the platform (安全风险: vulnerabilities, hidden faults,
//! inspection findings), each with a rectification deadline. J1 deducts each one
//! not rectified by its deadline.
//!
//! Declared here: who owns a row, who may see it, what a row must satisfy,
//! and which rows a period's assessment loads and what the engine reads.

use sea_orm::DatabaseTransaction;

use super::{Assessed, Window};
use super::{check_owner, ensure_after};
use crate::access::{Policy, Scope};
use crate::error::DomainResult;
use crate::period::local;
use crate::store::Writable;
use crate::store::{self, TimeColumn};
use engine::facts as f;
use entities::security_risk::{Column, Model};
use sea_orm::{ColumnTrait as _, Condition};

resource!(SecurityRisks => security_risk, name: "SecurityRisk", policy: Policy::FACT,
    region: Some(Column::RegionId), vendor: Some(Column::VendorId), agency: None,
    time: TimeColumn::Date(Column::Deadline),
    scope: |m| Scope { region: Some(m.region_id), vendor: Some(m.vendor_id), agency: None });

impl Writable for SecurityRisks {
    async fn check<'a>(txn: &'a DatabaseTransaction, row: &'a mut Model) -> DomainResult<()> {
        check_owner(txn, row.region_id, row.vendor_id, None).await?;
        let found_on = local(row.found_at).date_naive();
        store::ensure_date_not_before("input.deadline", row.deadline, "foundAt", found_on)?;
        crate::validate::deadline("input.deadline", row.deadline, found_on)?;
        ensure_after(
            "input.rectifiedAt",
            row.rectified_at,
            "foundAt",
            row.found_at,
        )
    }
}

impl Assessed for SecurityRisks {
    type Fact = f::SecurityRisk;

    /// Those whose deadline falls in the period (local days).
    fn window(w: &Window) -> Condition {
        Condition::all()
            .add(Column::Deadline.gte(local(w.from).date_naive()))
            .add(Column::Deadline.lt(local(w.to).date_naive()))
    }

    fn fact(r: Model) -> DomainResult<f::SecurityRisk> {
        Ok(f::SecurityRisk {
            id: r.id,
            title: r.description,
            confirmed: r.confirmed,
            vendor_liable: r.vendor_liable,
            found_at: r.found_at,
            deadline: r.deadline,
            rectified_at: r.rectified_at,
        })
    }
}
