//! The settlement statement of a contract (spec §5; issue 15 item 5): what the
//! engine's `settlement::statement` computes, gathered from the stored rows —
//! the amount due, the assessment penalty of the year's published annual
//! result, the confirmed breaches and the major-incident penalty, the
//! instalments paid — and the one write it needs: the day an instalment was
//! paid.
//!
//! Decisions (documented here, where they are applied):
//! - **Period.** A contract with term dates is settled per term (seed 002:
//!   2023-12-28 to 2024-12-27); one without (Shanghai, Songjiang) per its
//!   service year, whose months start in the region's first month.
//! - **Amount due** = the contract amount + its supplementary agreements: an
//!   agreement adds to what is payable under the contract (at most 10 %), and
//!   as the instalments are percentages of the signed amount, it is paid with
//!   the final payment.
//! - **Assessment penalty** = the penalty of the latest published annual
//!   result of the contract's vendor, region and service year (the tier was
//!   applied once, at the annual run, to the settlement amount); 0 when none
//!   is published (the statement says 未发布年度考核). A draft never counts.
//! - **Breach penalties** = the CONFIRMED breaches charged under the contract,
//!   plus the major-incident penalty (annex 1, rate × contract amount) once the
//!   termination right is given. Proposed and dismissed rows never count.
//! - **Instalments paid** = the instalments recorded paid, except the last
//!   (the final payment, 尾款, out of which penalties are deducted).
//! - **Recording a payment.** The final instalment may be recorded paid only
//!   once every earlier one is, and an earlier one may not be cleared while
//!   the final is recorded paid: the 尾款 is paid last, after the deductions
//!   (seed 002: 30 % after the preliminary acceptance).
//!
//! Who reads a statement: administrators, the region's supervisors, the
//! contract's vendor and the contract's agency (its own only); anyone else is
//! answered "not found", like a missing contract.

use chrono::{NaiveDate, Utc};
use engine::ServiceYear;
use engine::contract_terms::{ContractTerms, PenaltyPayment};
use engine::scheme::PenaltyTier;
use engine::settlement::{BreachPenalty, Statement, StatementInput};
use entities::assessment_run::RunKind;
use entities::breach::{self, BreachKind, BreachStatus};
use entities::{contract, contract_instalment, contract_supplement, region, vendor};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Set,
};

use crate::access::{self, AgencyAccess, Policy, Scope};
use crate::actor::Actor;
use crate::assessments::StoredResult;
use crate::audit::{Audit, Change};
use crate::error::{DomainError, DomainResult};
use crate::reference::contracts::Contracts;
use crate::store::Resource;

/// A contract's own read policy, with its agency reading its own.
const STATEMENT_POLICY: Policy = Policy {
    agency: AgencyAccess::ReadOwn,
    ..Policy::FACT
};

/// What a statement is settled over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatementPeriod {
    /// The contract's term, first and last day of service.
    Term { from: NaiveDate, to: NaiveDate },
    /// A service year (named by the year it starts in) of the region.
    ServiceYear { year: i32, first_month: u32 },
}

impl StatementPeriod {
    /// `2023年12月28日 至 2024年12月27日`, `2025 服务年度（2025-07..2026-06）`.
    pub fn text(&self) -> String {
        match self {
            Self::Term { from, to } => {
                format!("{} 至 {}", engine::date_text(*from), engine::date_text(*to))
            }
            Self::ServiceYear { year, first_month } => {
                match ServiceYear::new(*first_month, *year) {
                    Ok(months) => format!("{year} 服务年度（{months}）"),
                    Err(_) => format!("{year} 服务年度"),
                }
            }
        }
    }
}

/// The annual result whose penalty the statement deducts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnualAssessment {
    pub result_id: i64,
    /// The year's exact total.
    pub total: Decimal,
    /// The tier that applied; `None` when the total is below no tier.
    pub tier: Option<PenaltyTier>,
    /// The amount deducted, to the fen.
    pub penalty: Decimal,
}

impl AnnualAssessment {
    /// `年度总分 85.50，低于 90.00 分：扣 5 %` or `年度总分 95.00，不扣罚`.
    pub fn tier_text(&self) -> String {
        let total = engine::points_text(self.total);
        match &self.tier {
            Some(t) => format!(
                "年度总分 {total}，低于 {} 分：扣 {}",
                engine::points_text(t.below),
                engine::percent_text(t.rate)
            ),
            None => format!("年度总分 {total}，不扣罚"),
        }
    }
}

/// A breach penalty of the statement and the breach it comes from (`None`:
/// the major-incident penalty, which is the contract's, not one event's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChargedBreach {
    pub breach_id: Option<i64>,
    pub label: String,
    pub amount: Decimal,
}

/// A statement with what it was drawn from.
#[derive(Debug, Clone)]
pub struct Settlement {
    pub contract: contract::Model,
    pub region: region::Model,
    pub vendor: vendor::Model,
    pub period: StatementPeriod,
    /// The supplementary agreements' sum (part of the amount due).
    pub supplements: Decimal,
    /// `None`: no annual result published for the year (未发布年度考核).
    pub assessment: Option<AnnualAssessment>,
    pub breaches: Vec<ChargedBreach>,
    /// The instalments in order; the last is the final payment.
    pub instalments: Vec<contract_instalment::Model>,
    /// The governing terms' name and payment rule (default: deducted).
    pub terms_name: Option<String>,
    pub payment: PenaltyPayment,
    pub statement: Statement,
}

impl Settlement {
    /// True when the caller may record instalments paid (the contract's
    /// writers: administrators and the region's supervisors).
    pub fn may_record_payments(&self, actor: &Actor) -> bool {
        access::can_modify(actor, &Contracts::POLICY, Contracts::scope(&self.contract))
    }
}

/// The contract `id` if the caller may read its statement, else `NOT_FOUND`.
async fn readable_contract(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> DomainResult<contract::Model> {
    let found = contract::Entity::find_by_id(id).one(conn).await?;
    found
        .filter(|c| access::can_read(actor, &STATEMENT_POLICY, scope(c)))
        .ok_or_else(|| DomainError::not_found(format!("Contract {id}")))
}

fn scope(c: &contract::Model) -> Scope {
    Scope {
        region: Some(c.region_id),
        vendor: Some(c.vendor_id),
        agency: c.agency_id,
    }
}

/// The settlement statement of contract `contract_id`, for a caller who may
/// read it.
pub async fn statement(
    db: &DatabaseConnection,
    actor: &Actor,
    contract_id: i64,
) -> DomainResult<Settlement> {
    let _db = crate::db_share::permit().await;
    let contract = readable_contract(db, actor, contract_id).await?;
    let region = region::Entity::find_by_id(contract.region_id)
        .one(db)
        .await?
        .ok_or_else(|| DomainError::not_found(format!("Region {}", contract.region_id)))?;
    let vendor = vendor::Entity::find_by_id(contract.vendor_id)
        .one(db)
        .await?
        .ok_or_else(|| DomainError::not_found(format!("Vendor {}", contract.vendor_id)))?;
    let terms = crate::charging::governing_terms(db, &contract).await?;
    let supplements: Decimal = contract_supplement::Entity::find()
        .filter(contract_supplement::Column::ContractId.eq(contract.id))
        .all(db)
        .await?
        .iter()
        .map(|s| s.amount)
        .sum();
    let instalments = instalments_of(db, contract.id).await?;
    let assessment = annual_assessment(db, &contract).await?;
    let mut breaches = confirmed_breaches(db, &contract, terms.as_ref()).await?;
    if let Some(terms) = &terms {
        breaches.extend(major_incident_penalty(db, terms, &contract).await?);
    }
    let payment = terms
        .as_ref()
        .map(|t| t.penalty_payment)
        .unwrap_or_default();
    let input = StatementInput {
        amount_due: money(contract.settlement_amount + supplements),
        assessment_penalty: assessment.as_ref().map_or(Decimal::ZERO, |a| a.penalty),
        breach_penalties: breaches
            .iter()
            .map(|b| BreachPenalty {
                label: b.label.clone(),
                amount: b.amount,
            })
            .collect(),
        instalments_paid: instalments_paid(&instalments),
        payment,
    };
    let statement = engine::settlement::statement(input)
        .map_err(|e| DomainError::bad("contractId", e.to_string()))?;
    Ok(Settlement {
        period: period_of(&contract, &region),
        supplements: money(supplements),
        terms_name: terms.as_ref().map(|t| t.name.clone()),
        contract,
        region,
        vendor,
        assessment,
        breaches,
        instalments,
        payment,
        statement,
    })
}

/// SQLite hands decimals back through f64: amounts are stored to the fen, so
/// two decimals restore the exact value on both databases.
fn money(value: Decimal) -> Decimal {
    engine::two_dp(value)
}

fn period_of(contract: &contract::Model, region: &region::Model) -> StatementPeriod {
    match (contract.term_start, contract.term_end) {
        (Some(from), Some(to)) => StatementPeriod::Term { from, to },
        _ => StatementPeriod::ServiceYear {
            year: contract.service_year,
            first_month: region.service_year_start_month.clamp(1, 12) as u32,
        },
    }
}

async fn instalments_of(
    conn: &impl ConnectionTrait,
    contract_id: i64,
) -> DomainResult<Vec<contract_instalment::Model>> {
    Ok(contract_instalment::Entity::find()
        .filter(contract_instalment::Column::ContractId.eq(contract_id))
        .order_by_asc(contract_instalment::Column::Position)
        .all(conn)
        .await?)
}

/// The instalments recorded paid, except the last (the final payment).
fn instalments_paid(instalments: &[contract_instalment::Model]) -> Decimal {
    let before_final = instalments.len().saturating_sub(1);
    instalments[..before_final]
        .iter()
        .filter(|i| i.paid_on.is_some())
        .map(|i| money(i.amount))
        .sum()
}

/// The latest published annual result of the contract's vendor, region and
/// service year, with its penalty; `None` when none is published.
async fn annual_assessment(
    conn: &impl ConnectionTrait,
    contract: &contract::Model,
) -> DomainResult<Option<AnnualAssessment>> {
    let period = contract.service_year.to_string();
    let found = crate::assessments::latest_published(
        conn,
        contract.region_id,
        contract.vendor_id,
        RunKind::Annual,
        &period,
    )
    .await?;
    let Some(row) = found else {
        return Ok(None);
    };
    let stored = StoredResult::of(&row)?;
    let Some(year) = stored.annual() else {
        return Ok(None);
    };
    let p = &year.penalty;
    // Without a settlement amount at the run, the rate applies to today's.
    let penalty = p
        .amount
        .unwrap_or_else(|| engine::round_half_up_2dp(money(contract.settlement_amount) * p.rate));
    Ok(Some(AnnualAssessment {
        result_id: row.id,
        total: year.total,
        tier: p.tier.clone(),
        penalty: money(penalty),
    }))
}

/// The confirmed breaches charged under the contract, oldest first.
async fn confirmed_breaches(
    conn: &impl ConnectionTrait,
    contract: &contract::Model,
    terms: Option<&ContractTerms>,
) -> DomainResult<Vec<ChargedBreach>> {
    let rows = breach::Entity::find()
        .filter(breach::Column::ContractId.eq(contract.id))
        .filter(breach::Column::Status.eq(BreachStatus::Confirmed))
        .order_by_asc(breach::Column::OccurredAt)
        .order_by_asc(breach::Column::Id)
        .all(conn)
        .await?;
    Ok(rows
        .iter()
        .filter_map(|b| {
            let amount = b.penalty?;
            Some(ChargedBreach {
                breach_id: Some(b.id),
                label: breach_label(b, terms),
                amount: money(amount),
            })
        })
        .collect())
}

/// `附件3 第6项 2024-03-05 系统宕机`: the charged row's table as the contract
/// prints it (its first word), the row, the day (Beijing) and what happened.
pub fn breach_label(b: &breach::Model, terms: Option<&ContractTerms>) -> String {
    let row = match (&b.charged_table, b.charged_row) {
        (Some(table), Some(number)) => {
            let name = terms
                .and_then(|t| t.breach_tables.iter().find(|x| &x.code == table))
                .and_then(|x| x.name.split_whitespace().next().map(str::to_owned))
                .unwrap_or_else(|| table.clone());
            format!("{name} 第{number}项")
        }
        _ => kind_text(b.kind).to_owned(),
    };
    let day = b
        .occurred_at
        .map(|t| crate::period::local(t).date_naive().to_string())
        .unwrap_or_else(|| b.period.clone());
    let what: String = b.description.trim().chars().take(40).collect();
    [row, day, what]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn kind_text(kind: BreachKind) -> &'static str {
    match kind {
        BreachKind::ThreeConsecutiveFailedMonths => "连续三个月考核不合格",
        BreachKind::Outage => "系统宕机",
        BreachKind::AvailabilityComplaints => "可用性不达标且投诉",
        BreachKind::Recorded => "违约事件",
    }
}

/// Annex 1's penalty once the termination right is given:
/// `重大事件违约金（合同金额×5%）`.
async fn major_incident_penalty(
    conn: &impl ConnectionTrait,
    terms: &ContractTerms,
    contract: &contract::Model,
) -> DomainResult<Option<ChargedBreach>> {
    let Some(count) = crate::charging::major_incidents(conn, terms, contract).await? else {
        return Ok(None);
    };
    if count.assessed.termination_right.is_none() || count.assessed.penalty.is_zero() {
        return Ok(None);
    }
    let rate = terms
        .major_incidents
        .as_ref()
        .map_or(Decimal::ZERO, |r| r.penalty_rate);
    let percent = (rate * Decimal::ONE_HUNDRED).normalize();
    Ok(Some(ChargedBreach {
        breach_id: None,
        label: format!("重大事件违约金（合同金额×{percent}%）"),
        amount: money(count.assessed.penalty),
    }))
}

/// Records the day instalment `instalment_id` was paid (`None`: clears it),
/// audited; administrators and the region's supervisors. Refused: a day
/// before the signing or after today (Beijing); the final instalment before
/// the others are paid; clearing an earlier one while the final is paid.
pub async fn record_instalment_paid(
    db: &DatabaseConnection,
    actor: &Actor,
    audit: &Audit,
    instalment_id: i64,
    paid_on: Option<NaiveDate>,
) -> DomainResult<contract_instalment::Model> {
    let not_found = || DomainError::not_found(format!("ContractInstalment {instalment_id}"));
    let _db = crate::db_share::permit().await;
    let mut txn = audit.begin(db).await?;
    let before = contract_instalment::Entity::find_by_id(instalment_id)
        .one(&*txn)
        .await?
        .ok_or_else(not_found)?;
    // An instalment of a contract the caller may not read is not found,
    // like a missing one (its id reveals nothing).
    let contract = match readable_contract(&*txn, actor, before.contract_id).await {
        Err(DomainError::NotFound(_)) => return Err(not_found()),
        other => other?,
    };
    if !access::can_modify(actor, &Contracts::POLICY, Contracts::scope(&contract)) {
        return Err(DomainError::forbidden(
            "only the region's supervisors record instalments paid",
        ));
    }
    if let Some(day) = paid_on {
        check_day(&contract, day)?;
    }
    let all = instalments_of(&*txn, contract.id).await?;
    check_order(&all, &before, paid_on)?;
    let mut active = before.clone().into_active_model();
    active.paid_on = Set(paid_on);
    let after = active.update(&*txn).await?;
    let change = Change::on(
        "ContractInstalment",
        Some(after.id),
        Contracts::scope(&contract),
    )
    .updated(&before, &after)?;
    txn.record(change).await?;
    txn.commit().await?;
    Ok(after)
}

fn check_day(contract: &contract::Model, day: NaiveDate) -> DomainResult<()> {
    if let Some(signed) = contract.signed_on.filter(|s| day < *s) {
        return Err(DomainError::bad(
            "paidOn",
            format!("must not be before the contract was signed ({signed}), got {day}"),
        ));
    }
    let today = crate::period::local(Utc::now()).date_naive();
    if day > today {
        return Err(DomainError::bad(
            "paidOn",
            format!("must not be after today ({today}), got {day}"),
        ));
    }
    Ok(())
}

/// The final payment is paid last: not recorded before the others, and no
/// earlier one cleared while it is recorded.
fn check_order(
    all: &[contract_instalment::Model],
    this: &contract_instalment::Model,
    paid_on: Option<NaiveDate>,
) -> DomainResult<()> {
    let Some(last) = all.last() else {
        return Ok(());
    };
    let is_final = last.id == this.id;
    let unpaid = all[..all.len() - 1].iter().find(|i| i.paid_on.is_none());
    if let (true, Some(_), Some(unpaid)) = (is_final, paid_on, unpaid) {
        return Err(DomainError::bad(
            "instalmentId",
            format!(
                "the final payment is recorded paid after the others; instalment {} is not paid yet",
                unpaid.position
            ),
        ));
    }
    if !is_final && paid_on.is_none() && last.paid_on.is_some() {
        return Err(DomainError::bad(
            "paidOn",
            "the final payment is recorded paid: clear it first",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn instalment(id: i64, amount: Decimal, paid: bool) -> contract_instalment::Model {
        contract_instalment::Model {
            id,
            contract_id: 1,
            position: id as i32,
            percent: dec!(50),
            condition: String::new(),
            amount,
            paid_on: paid.then(|| NaiveDate::from_ymd_opt(2024, 1, 10).unwrap_or_default()),
        }
    }

    #[test]
    fn instalments_paid_leave_out_the_final_payment() {
        // 774,009.60 paid, the final 331,718.40 recorded paid too: only the
        // 774,009.60 counts (the final is what deductions come out of).
        let all = [
            instalment(1, dec!(774009.60), true),
            instalment(2, dec!(331718.40), true),
        ];
        assert_eq!(instalments_paid(&all), dec!(774009.60));
        // An unpaid earlier instalment counts nothing; one instalment is the final.
        assert_eq!(instalments_paid(&all[..1]), dec!(0));
        let unpaid = [instalment(1, dec!(1), false), instalment(2, dec!(1), false)];
        assert_eq!(instalments_paid(&unpaid), dec!(0));
    }

    #[test]
    fn the_final_payment_is_recorded_paid_last() {
        let day = NaiveDate::from_ymd_opt(2025, 1, 10);
        let unpaid = [instalment(1, dec!(1), false), instalment(2, dec!(1), false)];
        let refused = check_order(&unpaid, &unpaid[1], day).expect_err("first unpaid");
        assert!(refused.to_string().contains("instalment 1 is not paid"));
        assert!(check_order(&unpaid, &unpaid[0], day).is_ok());
        let all_paid = [instalment(1, dec!(1), true), instalment(2, dec!(1), true)];
        assert!(check_order(&all_paid, &all_paid[0], None).is_err());
        assert!(check_order(&all_paid, &all_paid[1], None).is_ok());
    }

    #[test]
    fn a_service_year_names_its_months() {
        let year = StatementPeriod::ServiceYear {
            year: 2025,
            first_month: 7,
        };
        assert_eq!(year.text(), "2025 服务年度（2025-07..2026-06）");
        let term = StatementPeriod::Term {
            from: NaiveDate::from_ymd_opt(2023, 12, 28).unwrap_or_default(),
            to: NaiveDate::from_ymd_opt(2024, 12, 27).unwrap_or_default(),
        };
        assert_eq!(term.text(), "2023年12月28日 至 2024年12月27日");
    }
}
