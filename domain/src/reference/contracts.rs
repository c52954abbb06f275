//! Contracts: one vendor serving one region for one service year, with the
//! year's settlement amount (the base of the penalty) and the monthly fee.
//!
//! Declared here: who owns a row, who may see it, what a row must satisfy.

use sea_orm::DatabaseTransaction;

use super::{regions::Regions, vendors::Vendors};
use crate::access::{Policy, Scope};
use crate::error::{DomainError, DomainResult};
use crate::store::Writable;
use crate::store::{self, TimeColumn};

resource!(Contracts => contract, name: "Contract", policy: Policy::FACT,
    region: Some(entities::contract::Column::RegionId), vendor: Some(entities::contract::Column::VendorId),
    agency: None, time: TimeColumn::ServiceYear(entities::contract::Column::ServiceYear),
    scope: |m| Scope { region: Some(m.region_id), vendor: Some(m.vendor_id), agency: None });

impl Writable for Contracts {
    async fn check<'a>(
        txn: &'a DatabaseTransaction,
        row: &'a mut entities::contract::Model,
    ) -> DomainResult<()> {
        store::require::<Vendors>(txn, "input.vendorId", row.vendor_id).await?;
        store::require::<Regions>(txn, "input.regionId", row.region_id).await?;
        amount_is_the_lines_sum(txn, row).await
    }
}

/// A contract with lines has their sum as its amount: it is not entered.
async fn amount_is_the_lines_sum(
    txn: &DatabaseTransaction,
    row: &entities::contract::Model,
) -> DomainResult<()> {
    use entities::contract_line::{Column as L, Entity as Lines};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let lines = Lines::find()
        .filter(L::ContractId.eq(row.id))
        .all(txn)
        .await?;
    if lines.is_empty() {
        return Ok(());
    }
    let sum: rust_decimal::Decimal = lines.iter().map(|l| l.line_total).sum();
    if engine::two_dp(sum) != engine::two_dp(row.settlement_amount) {
        return Err(DomainError::bad(
            "input.settlementAmount",
            format!(
                "is the sum of the contract's lines ({}) and cannot be entered",
                engine::two_dp(sum)
            ),
        ));
    }
    Ok(())
}
