//! Contracts as they are signed (spec §5; seed 002 §3, §8): line items whose
//! sum is the contract amount, each unit price capped by the vendor's
//! catalogue price in force on the day of signing (seed 001 art. 31(3):
//! 服务目录价格是最高限价); a term whose service months are derived;
//! supplementary agreements together at most 10 % of the amount; payment
//! instalments whose percentages sum to 100 %.
//!
//! The amount is kept in `contracts.settlement_amount`, the column every
//! assessment penalty already reads: a signed contract writes its lines' sum
//! there, a contract entered the old way keeps its typed-in amount.

use chrono::{Months, NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder,
};

use crate::access;
use crate::actor::Actor;
use crate::audit::{Audit, AuditedTxn, Change};
use crate::catalogue::{self, CatalogueItems};
use crate::contract_scope::{self, ScopeInput};
use crate::error::{DomainError, DomainResult};
use crate::reference::contracts::Contracts;
use crate::reference::{regions::Regions, vendors::Vendors};
use crate::store::{self, Resource};
use engine::round_half_up_2dp;
use entities::{contract, contract_instalment, contract_line, contract_supplement};

/// Supplementary agreements together may add at most this share of the amount.
pub const SUPPLEMENT_CAP_PERCENT: Decimal = Decimal::TEN;

/// A line as entered.
pub struct LineInput {
    pub item_id: Option<i64>,
    pub description: String,
    pub unit: String,
    pub unit_price: Decimal,
    pub quantity: Decimal,
    pub months: i32,
}

/// An instalment as entered.
pub struct InstalmentInput {
    pub percent: Decimal,
    pub condition: String,
}

/// A contract as signed, before it is saved.
pub struct Signing {
    pub vendor_id: i64,
    pub region_id: i64,
    pub service_year: i32,
    pub signed_on: NaiveDate,
    pub term_start: NaiveDate,
    pub term_end: NaiveDate,
    pub lines: Vec<LineInput>,
    pub instalments: Vec<InstalmentInput>,
    /// Agency, systems, contacts and terms (`crate::contract_scope`).
    pub scope: ScopeInput,
}

/// A line's total: unit price × quantity × months, to the fen (half up).
pub fn line_total(unit_price: Decimal, quantity: Decimal, months: i32) -> Decimal {
    round_half_up_2dp(unit_price * quantity * Decimal::from(months))
}

/// The service months of a term: whole months from its first day to the day
/// after its last (2023-12-28 to 2024-12-27: 12); a month begun counts whole.
pub fn service_months(start: NaiveDate, end: NaiveDate) -> DomainResult<i32> {
    if end < start {
        return Err(DomainError::bad(
            "input.termEnd",
            format!("must not be before termStart ({start}), got {end}"),
        ));
    }
    let on = |months: u32| start.checked_add_months(Months::new(months));
    let after = end.succ_opt().unwrap_or(end);
    // At most ten years (120 months): a longer term is a typing error.
    let whole = (0..=MAX_TERM_MONTHS)
        .take_while(|&m| on(m).is_some_and(|d| d <= after))
        .last()
        .unwrap_or(0);
    let begun = if on(whole) == Some(after) {
        whole
    } else {
        whole + 1
    };
    if begun > MAX_TERM_MONTHS {
        return Err(DomainError::bad(
            "input.termEnd",
            format!("a term is at most {MAX_TERM_MONTHS} months, got {start} to {end}"),
        ));
    }
    Ok(begun as i32)
}

/// The longest term a contract may have, in months.
pub const MAX_TERM_MONTHS: u32 = 120;

/// Each instalment's amount: its percentage of the amount, to the fen (half
/// up); the last (the final payment) takes what the others leave, so the
/// instalments always add up to the amount exactly.
pub fn instalment_amounts(amount: Decimal, percents: &[Decimal]) -> Vec<Decimal> {
    let mut out = Vec::with_capacity(percents.len());
    let mut left = amount;
    for (i, percent) in percents.iter().enumerate() {
        let share = if i + 1 == percents.len() {
            left
        } else {
            round_half_up_2dp(amount * percent / Decimal::ONE_HUNDRED)
        };
        left -= share;
        out.push(share);
    }
    out
}

fn check_instalments(instalments: &[InstalmentInput]) -> DomainResult<()> {
    if instalments.is_empty() {
        return Err(DomainError::bad(
            "input.instalments",
            "at least one instalment",
        ));
    }
    for (i, inst) in instalments.iter().enumerate() {
        let field = format!("input.instalments[{i}].percent");
        if inst.percent <= Decimal::ZERO || inst.percent > Decimal::ONE_HUNDRED {
            return Err(DomainError::bad(
                field,
                format!(
                    "must be greater than 0 and at most 100, got {}",
                    inst.percent
                ),
            ));
        }
        if inst.percent.normalize().scale() > 2 {
            return Err(DomainError::bad(
                field,
                "must have at most 2 decimal places",
            ));
        }
    }
    let sum: Decimal = instalments.iter().map(|i| i.percent).sum();
    if sum != Decimal::ONE_HUNDRED {
        return Err(DomainError::bad(
            "input.instalments",
            format!(
                "the percentages must sum to 100, they sum to {}",
                sum.normalize()
            ),
        ));
    }
    Ok(())
}

fn check_line(i: usize, line: &LineInput) -> DomainResult<()> {
    let field = |name: &str| format!("input.lines[{i}].{name}");
    crate::validate::money(&field("unitPrice"), line.unit_price)?;
    if line.quantity <= Decimal::ZERO || line.quantity.normalize().scale() > 2 {
        return Err(DomainError::bad(
            field("quantity"),
            format!(
                "must be greater than 0 with at most 2 decimal places, got {}",
                line.quantity
            ),
        ));
    }
    crate::validate::in_range(&field("months"), line.months, 1, 120)?;
    Ok(())
}

/// Signs a contract: the contract, its lines and its instalments, written in
/// one audited transaction or not at all. Who may create a contract may sign
/// one (an administrator; a supervisor in its region).
pub async fn sign(
    db: &DatabaseConnection,
    actor: &Actor,
    audit: &Audit,
    signing: Signing,
) -> DomainResult<contract::Model> {
    let months = service_months(signing.term_start, signing.term_end)?;
    crate::validate::in_range("input.serviceYear", signing.service_year, 2000, 2100)?;
    if signing.lines.is_empty() {
        return Err(DomainError::bad("input.lines", "at least one line"));
    }
    for (i, line) in signing.lines.iter().enumerate() {
        check_line(i, line)?;
    }
    check_instalments(&signing.instalments)?;
    let totals: Vec<Decimal> = signing
        .lines
        .iter()
        .map(|l| line_total(l.unit_price, l.quantity, l.months))
        .collect();
    let amount: Decimal = totals.iter().sum();
    let scope = signing.scope;
    let (systems, contacts) = (scope.systems, scope.contacts);
    let row = contract::Model {
        id: 0,
        vendor_id: signing.vendor_id,
        region_id: signing.region_id,
        service_year: signing.service_year,
        settlement_amount: amount,
        // A system's monthly fee = its share of the amount / service months
        // (spec §5); the contract's is the whole amount's.
        monthly_fee: round_half_up_2dp(amount / Decimal::from(months)),
        signed_on: Some(signing.signed_on),
        term_start: Some(signing.term_start),
        term_end: Some(signing.term_end),
        created_at: Utc::now(),
        agency_id: scope.agency_id,
        terms_code: scope.terms_code.map(|c| c.trim().to_owned()),
        terms_version: scope.terms_version,
    };
    if !access::can_create(actor, &Contracts::POLICY, Contracts::scope(&row)) {
        return Err(DomainError::forbidden("you may not create this Contract"));
    }
    let _db = crate::db_share::permit().await;
    let mut txn = audit.begin(db).await?;
    store::require::<Vendors>(&txn, "input.vendorId", row.vendor_id).await?;
    store::require::<Regions>(&txn, "input.regionId", row.region_id).await?;
    let mut active = row.into_active_model().reset_all();
    active.not_set(contract::Column::Id);
    let saved = active.insert(&*txn).await?;
    let change =
        Change::on(Contracts::NAME, Some(saved.id), Contracts::scope(&saved)).created(&saved)?;
    txn.record(change).await?;
    for (i, (line, total)) in signing.lines.into_iter().zip(totals).enumerate() {
        add_line(&mut txn, &saved, i, line, total).await?;
    }
    let percents: Vec<Decimal> = signing.instalments.iter().map(|i| i.percent).collect();
    let amounts = instalment_amounts(amount, &percents);
    for (i, (inst, share)) in signing.instalments.into_iter().zip(amounts).enumerate() {
        add_instalment(&mut txn, &saved, i, inst, share).await?;
    }
    contract_scope::apply(&mut txn, &saved, systems, contacts).await?;
    txn.commit().await?;
    Ok(saved)
}

async fn add_line(
    txn: &mut AuditedTxn<'_>,
    contract: &contract::Model,
    i: usize,
    line: LineInput,
    total: Decimal,
) -> DomainResult<()> {
    let field = |name: &str| format!("input.lines[{i}].{name}");
    let mut catalogue_price = None;
    if let Some(item_id) = line.item_id {
        let item = store::require::<CatalogueItems>(txn, &field("itemId"), item_id).await?;
        let day = contract.signed_on.unwrap_or_default();
        let price = catalogue::in_force(&**txn, contract.vendor_id, item_id, day).await?;
        if let Some(price) = &price {
            let ceiling = engine::two_dp(price.unit_price);
            if line.unit_price > ceiling {
                return Err(DomainError::bad(
                    field("unitPrice"),
                    format!(
                        "{} is above the vendor's catalogue price {ceiling} of item {} in force on {day} (the catalogue price is the ceiling)",
                        engine::two_dp(line.unit_price),
                        item.code
                    ),
                ));
            }
            catalogue_price = Some(ceiling);
        }
    }
    let row = contract_line::Model {
        id: 0,
        contract_id: contract.id,
        position: i as i32 + 1,
        item_id: line.item_id,
        description: crate::validate::text(&field("description"), line.description, 1000)?,
        unit: crate::validate::text(&field("unit"), line.unit, 100)?,
        unit_price: line.unit_price,
        quantity: line.quantity,
        months: line.months,
        line_total: total,
        needs_review: catalogue_price.is_none(),
        catalogue_price,
    };
    let mut active = row.into_active_model().reset_all();
    active.not_set(contract_line::Column::Id);
    let saved = active.insert(&**txn).await?;
    let change =
        Change::on("ContractLine", Some(saved.id), Contracts::scope(contract)).created(&saved)?;
    txn.record(change).await?;
    Ok(())
}

async fn add_instalment(
    txn: &mut AuditedTxn<'_>,
    contract: &contract::Model,
    i: usize,
    inst: InstalmentInput,
    amount: Decimal,
) -> DomainResult<()> {
    let row = contract_instalment::Model {
        id: 0,
        contract_id: contract.id,
        position: i as i32 + 1,
        percent: inst.percent,
        condition: crate::validate::text(
            &format!("input.instalments[{i}].condition"),
            inst.condition,
            1000,
        )?,
        amount,
        paid_on: None,
    };
    let mut active = row.into_active_model().reset_all();
    active.not_set(contract_instalment::Column::Id);
    let saved = active.insert(&**txn).await?;
    let change = Change::on(
        "ContractInstalment",
        Some(saved.id),
        Contracts::scope(contract),
    )
    .created(&saved)?;
    txn.record(change).await?;
    Ok(())
}

/// Adds a supplementary agreement; refused when the agreements together would
/// exceed 10 % of the contract amount, naming the figures.
pub async fn add_supplement(
    db: &DatabaseConnection,
    actor: &Actor,
    audit: &Audit,
    contract_id: i64,
    signed_on: NaiveDate,
    amount: Decimal,
    description: String,
) -> DomainResult<contract_supplement::Model> {
    let amount = crate::validate::money("input.amount", amount)?;
    if amount.is_zero() {
        return Err(DomainError::bad("input.amount", "must be greater than 0"));
    }
    let description = crate::validate::text("input.description", description, 1000)?;
    let contract = store::get::<Contracts>(db, actor, contract_id).await?;
    if !access::can_modify(actor, &Contracts::POLICY, Contracts::scope(&contract)) {
        return Err(DomainError::forbidden("you may not change this Contract"));
    }
    let _db = crate::db_share::permit().await;
    let mut txn = audit.begin(db).await?;
    let before: Decimal = supplements_in(&*txn, contract_id)
        .await?
        .iter()
        .map(|s| s.amount)
        .sum();
    let contract_amount = engine::two_dp(contract.settlement_amount);
    let cap = round_half_up_2dp(contract_amount * SUPPLEMENT_CAP_PERCENT / Decimal::ONE_HUNDRED);
    let together = engine::two_dp(before + amount);
    if together > cap {
        return Err(DomainError::bad(
            "input.amount",
            format!(
                "the supplementary agreements would total {together}, above 10 % of the contract amount {contract_amount} ({cap}); at most {} more may be added",
                engine::two_dp(cap - engine::two_dp(before))
            ),
        ));
    }
    let row = contract_supplement::Model {
        id: 0,
        contract_id,
        signed_on,
        amount,
        description,
        created_at: Utc::now(),
    };
    let mut active = row.into_active_model().reset_all();
    active.not_set(contract_supplement::Column::Id);
    let saved = active.insert(&*txn).await?;
    let change = Change::on(
        "ContractSupplement",
        Some(saved.id),
        Contracts::scope(&contract),
    )
    .created(&saved)?;
    txn.record(change).await?;
    txn.commit().await?;
    Ok(saved)
}

async fn supplements_in(
    conn: &impl ConnectionTrait,
    contract_id: i64,
) -> DomainResult<Vec<contract_supplement::Model>> {
    use contract_supplement::Column as S;
    Ok(contract_supplement::Entity::find()
        .filter(S::ContractId.eq(contract_id))
        .order_by_asc(S::Id)
        .all(conn)
        .await?)
}

/// A contract's lines, instalments and supplementary agreements, for a caller
/// who may read the contract (else `NOT_FOUND`).
#[derive(Default, Clone)]
pub struct Terms {
    pub lines: Vec<contract_line::Model>,
    pub instalments: Vec<contract_instalment::Model>,
    pub supplements: Vec<contract_supplement::Model>,
}

pub async fn terms(
    db: &DatabaseConnection,
    actor: &Actor,
    contract_id: i64,
) -> DomainResult<Terms> {
    store::get::<Contracts>(db, actor, contract_id).await?;
    let mut all = parts_of(db, vec![contract_id]).await?;
    Ok(all.remove(&contract_id).unwrap_or_default())
}

/// The lines, instalments and supplements of several contracts in three
/// queries, by contract (a contract with none is absent). No access check:
/// the caller has read the contracts (a list's batch loader).
pub async fn parts_of(
    db: &DatabaseConnection,
    contract_ids: Vec<i64>,
) -> DomainResult<std::collections::HashMap<i64, Terms>> {
    let _db = crate::db_share::permit().await;
    let lines = contract_line::Entity::find()
        .filter(contract_line::Column::ContractId.is_in(contract_ids.clone()))
        .order_by_asc(contract_line::Column::Position)
        .all(db)
        .await?;
    let instalments = contract_instalment::Entity::find()
        .filter(contract_instalment::Column::ContractId.is_in(contract_ids.clone()))
        .order_by_asc(contract_instalment::Column::Position)
        .all(db)
        .await?;
    let supplements = contract_supplement::Entity::find()
        .filter(contract_supplement::Column::ContractId.is_in(contract_ids))
        .order_by_asc(contract_supplement::Column::Id)
        .all(db)
        .await?;
    let mut out: std::collections::HashMap<i64, Terms> = Default::default();
    for l in lines {
        out.entry(l.contract_id).or_default().lines.push(l);
    }
    for i in instalments {
        out.entry(i.contract_id).or_default().instalments.push(i);
    }
    for s in supplements {
        out.entry(s.contract_id).or_default().supplements.push(s);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn service_months_run_from_the_first_day_to_the_day_after_the_last() {
        // Seed 002: 2023-12-28 to 2024-12-27 → 2024-12-28 is 12 months on.
        assert_eq!(
            service_months(day(2023, 12, 28), day(2024, 12, 27)).unwrap(),
            12
        );
        // A calendar year: 2025-01-01 to 2025-12-31 → 12.
        assert_eq!(
            service_months(day(2025, 1, 1), day(2025, 12, 31)).unwrap(),
            12
        );
        // One day past a whole month begins the next: 2025-01-01 to 2025-02-01 → 2.
        assert_eq!(service_months(day(2025, 1, 1), day(2025, 2, 1)).unwrap(), 2);
        // A single day is a month begun: 1.
        assert_eq!(service_months(day(2025, 1, 1), day(2025, 1, 1)).unwrap(), 1);
        assert!(service_months(day(2025, 1, 2), day(2025, 1, 1)).is_err());
    }

    #[test]
    fn the_last_instalment_takes_what_the_others_leave() {
        // 1,105,728.00 × 70 % = 774,009.60; 1,105,728.00 − 774,009.60 = 331,718.40.
        let amounts = instalment_amounts(Decimal::new(110_572_800, 2), &[70.into(), 30.into()]);
        assert_eq!(
            amounts,
            vec![Decimal::new(77_400_960, 2), Decimal::new(33_171_840, 2)]
        );
        // 100.00 in thirds: 33.33 + 33.33 + (100.00 − 66.66 = 33.34).
        let thirds: Vec<Decimal> = vec![
            Decimal::new(3333, 2),
            Decimal::new(3333, 2),
            Decimal::new(3334, 2),
        ];
        let amounts = instalment_amounts(Decimal::new(10_000, 2), &thirds);
        assert_eq!(
            amounts,
            vec![
                Decimal::new(3333, 2),
                Decimal::new(3333, 2),
                Decimal::new(3334, 2)
            ]
        );
    }

    #[test]
    fn a_line_total_is_rounded_to_the_fen_half_up() {
        // 0.22 × 27,000 × 12 = 71,280.00 (seed 002 line 4).
        assert_eq!(
            line_total(Decimal::new(22, 2), 27_000.into(), 12),
            Decimal::new(7_128_000, 2)
        );
        // 0.05 × 0.5 × 1 = 0.025 → 0.03.
        assert_eq!(
            line_total(Decimal::new(5, 2), Decimal::new(5, 1), 1),
            Decimal::new(3, 2)
        );
    }
}
