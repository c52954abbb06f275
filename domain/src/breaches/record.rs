//! Recording a breach by hand (spec §5: "others are recorded by a supervisor
//! with evidence"), and the charge of an event under its contract's terms,
//! shared with the confirmation of a proposal.
//!
//! Decision: a recorded breach is CONFIRMED at once — the supervisor who
//! records it with evidence is the one who would confirm it; a proposal step
//! would only ask them to agree with themselves. Its notice, mail and the
//! major-incident alert follow as after any confirmation
//! (`jobs::breach_notices`).
//!
//! Security rectification not completed in time (seed 002 §13.6) is recorded
//! with `security_rectification_late` and no rows: charged the terms' rate
//! (5 %) of the contract amount, its `charged_table` naming
//! [`SECURITY_RECTIFICATION_LATE`](super::SECURITY_RECTIFICATION_LATE) with no
//! row number. Terms without that rate refuse it.

use chrono::{DateTime, Utc};
use engine::breach_penalty::{self, ChargeBasis, EventCharge};
use engine::contract_terms::{ContractTerms, RowRef};
use engine::{money_text, percent_text};
use rust_decimal::Decimal;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, Set};

use super::{
    Breach, BreachKind, BreachSource, BreachStatus, Breaches, IncidentLevel,
    SECURITY_RECTIFICATION_LATE, optional_text, required_text,
};
use crate::access::{self, Policy};
use crate::actor::Actor;
use crate::charging;
use crate::error::{DomainError, DomainResult};
use crate::period::local;
use crate::store::Resource;

/// What a supervisor records.
#[derive(Clone, Debug)]
pub struct NewBreach {
    pub region_id: i64,
    pub vendor_id: i64,
    pub system_id: Option<i64>,
    pub occurred_at: DateTime<Utc>,
    pub description: String,
    pub evidence: Option<String>,
    /// The rows of the governing terms the event matches (≥ 1 unless
    /// `security_rectification_late`).
    pub rows: Vec<RowRef>,
    /// Items concerned, for rows charged per item; 1 otherwise.
    pub items: u32,
    /// 附件1: an A- or B-level major incident.
    pub incident_level: Option<IncidentLevel>,
    pub security_rectification_late: bool,
}

/// How an event is charged: the row (or the security pseudo-table), the
/// amount, and the terms it was charged under.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedCharge {
    pub table: String,
    pub row: Option<u32>,
    pub penalty: Decimal,
    pub terms_code: String,
    pub terms_version: u32,
    /// The arithmetic in Chinese: `月服务费 ¥100,000.00 × 60 % = ¥60,000.00`.
    pub basis: String,
}

/// Records a breach in `txn` (the caller records the audit entry): checked,
/// charged under the covering contract's terms, stored CONFIRMED.
pub async fn record(
    txn: &DatabaseTransaction,
    actor: &Actor,
    new: NewBreach,
    now: DateTime<Utc>,
) -> DomainResult<Breach> {
    let scope = access::Scope {
        region: Some(new.region_id),
        vendor: Some(new.vendor_id),
        agency: None,
    };
    if !access::can_create(actor, &Policy::FACT, scope) {
        return Err(DomainError::forbidden(
            "only the region's supervisors record breaches",
        ));
    }
    let description = required_text("input.description", "违约事件描述", &new.description)?;
    let evidence = optional_text(
        "input.evidence",
        "证据",
        new.evidence.as_deref().unwrap_or(""),
    )?;
    if now < new.occurred_at {
        return Err(DomainError::bad("input.occurredAt", "发生时间不能晚于现在"));
    }
    check_parties(txn, &new).await?;
    let on = local(new.occurred_at).date_naive();
    let contract =
        charging::covering_contract(txn, new.region_id, new.vendor_id, new.system_id, on)
            .await?
            .ok_or_else(|| {
                DomainError::bad(
                    "input.occurredAt",
                    format!(
                        "该服务商在本区域没有覆盖{}（及该系统）的合同，无法按合同计算违约金",
                        engine::date_text(on)
                    ),
                )
            })?;
    let terms = charging::governing_terms(txn, &contract)
        .await?
        .ok_or_else(|| {
            DomainError::bad(
                "input.rows",
                format!(
                    "合同 #{} 及其区域均未指定合同条款（违约条款），无法登记违约",
                    contract.id
                ),
            )
        })?;
    if new.incident_level.is_some() && terms.major_incidents.is_none() {
        return Err(DomainError::bad(
            "input.incidentLevel",
            format!("合同条款“{}”没有重大事件（附件1）的规定", terms.name),
        ));
    }
    let charged = if new.security_rectification_late {
        if !new.rows.is_empty() {
            return Err(DomainError::bad(
                "input.rows",
                "安全整改逾期按合同金额计违约金，不再选择违约条款的行",
            ));
        }
        security_late_charge(&terms, &contract)?
    } else {
        check_rows(&terms, &new.rows)?;
        let items = new.items.max(1);
        let event = charging::charge(txn, &terms, &contract, new.system_id, &new.rows, items)
            .await
            .map_err(rename_field("input.rows"))?;
        row_charge(&terms, &event)
    };
    let rows = serde_json::to_string(&new.rows).map_err(DomainError::internal)?;
    let row = entities::breach::ActiveModel {
        region_id: Set(new.region_id),
        vendor_id: Set(new.vendor_id),
        kind: Set(BreachKind::Recorded),
        period: Set(local(new.occurred_at).format("%Y-%m").to_string()),
        basis: Set(charged.basis.clone()),
        created_at: Set(now),
        contract_id: Set(Some(contract.id)),
        system_id: Set(new.system_id),
        occurred_at: Set(Some(new.occurred_at)),
        description: Set(description),
        evidence: Set(evidence),
        source_ref: Set(None),
        status: Set(BreachStatus::Confirmed),
        source: Set(BreachSource::Recorded),
        incident_level: Set(new.incident_level),
        matched_rows: Set(rows),
        charged_table: Set(Some(charged.table)),
        charged_row: Set(charged.row.map(|r| r as i32)),
        penalty: Set(Some(charged.penalty)),
        terms_code: Set(Some(charged.terms_code)),
        terms_version: Set(Some(charged.terms_version as i32)),
        recorded_by: Set(Some(actor.user_id)),
        decided_by: Set(Some(actor.user_id)),
        decided_at: Set(Some(now)),
        decision_reason: Set(None),
        vendor_answer: Set(None),
        vendor_answer_reason: Set(None),
        answered_at: Set(None),
        notice_id: Set(None),
        rectification_due: Set(None),
        ..Default::default()
    };
    let saved = row.insert(txn).await?;
    debug_assert!(access::can_read(
        actor,
        &Policy::FACT,
        Breaches::scope(&saved)
    ));
    Ok(saved)
}

/// The vendor exists; the system, when named, is the vendor's in the region.
async fn check_parties(txn: &DatabaseTransaction, new: &NewBreach) -> DomainResult<()> {
    entities::vendor::Entity::find_by_id(new.vendor_id)
        .one(txn)
        .await?
        .ok_or_else(|| DomainError::bad("input.vendorId", "没有该服务商"))?;
    if let Some(system_id) = new.system_id {
        entities::information_system::Entity::find_by_id(system_id)
            .one(txn)
            .await?
            .filter(|s| s.region_id == new.region_id && s.vendor_id == new.vendor_id)
            .ok_or_else(|| {
                DomainError::bad("input.systemId", "本区域没有该服务商的这个信息系统")
            })?;
    }
    Ok(())
}

/// Every row is one of the terms' tables (named in the refusal); at least one.
fn check_rows(terms: &ContractTerms, rows: &[RowRef]) -> DomainResult<()> {
    if rows.is_empty() {
        return Err(DomainError::bad(
            "input.rows",
            "请至少选择一条违约条款（附件2、3的行）",
        ));
    }
    for at in rows {
        if terms.row(at).is_none() {
            let tables: Vec<&str> = terms
                .breach_tables
                .iter()
                .map(|t| t.code.as_str())
                .collect();
            return Err(DomainError::bad(
                "input.rows",
                format!(
                    "合同条款“{}”中没有 {} 表第 {} 行（可选的表：{}）",
                    terms.name,
                    at.table,
                    at.number,
                    tables.join("、")
                ),
            ));
        }
    }
    Ok(())
}

fn rename_field(field: &'static str) -> impl Fn(DomainError) -> DomainError {
    move |e| match e {
        DomainError::BadInput { reason, .. } => DomainError::bad(field, reason),
        other => other,
    }
}

/// A row's charge with its arithmetic.
pub fn row_charge(terms: &ContractTerms, event: &EventCharge) -> RecordedCharge {
    let name = terms
        .row(&event.row)
        .map(|(table, row)| format!("{}第{}项（{}）", table.name, row.number, row.description))
        .unwrap_or_else(|| event.row.to_string());
    RecordedCharge {
        table: event.row.table.clone(),
        row: Some(event.row.number),
        penalty: event.amount,
        terms_code: terms.code.clone(),
        terms_version: terms.version,
        basis: format!("{name}：{}", arithmetic(&event.basis, event.amount)),
    }
}

/// `月服务费 ¥100,000.00 × 60 % = ¥60,000.00`, `每次 ¥100,000.00`, …
pub fn arithmetic(basis: &ChargeBasis, amount: Decimal) -> String {
    match basis {
        ChargeBasis::MonthlyFee {
            monthly_fee,
            coefficient,
        } => format!(
            "月服务费 {} × {} = {}",
            money_text(*monthly_fee),
            percent_text(*coefficient),
            money_text(amount)
        ),
        ChargeBasis::PerEvent { amount: each } => format!("每次 {}", money_text(*each)),
        ChargeBasis::PerItem {
            amount: each,
            items,
        } => format!(
            "每项 {} × {items} 项 = {}",
            money_text(*each),
            money_text(amount)
        ),
    }
}

/// Seed 002 §13.6: the terms' rate × the contract amount.
pub fn security_late_charge(
    terms: &ContractTerms,
    contract: &entities::contract::Model,
) -> DomainResult<RecordedCharge> {
    let field = "input.securityRectificationLate";
    let penalty = breach_penalty::security_rectification_penalty(terms, contract.settlement_amount)
        .map_err(|e| DomainError::bad(field, e.to_string()))?
        .ok_or_else(|| {
            DomainError::bad(
                field,
                format!("合同条款“{}”没有安全整改逾期违约金的规定", terms.name),
            )
        })?;
    let rate = terms.security_rectification_late_rate.unwrap_or_default();
    Ok(RecordedCharge {
        table: super::SECURITY_RECTIFICATION_LATE.to_owned(),
        row: None,
        penalty,
        terms_code: terms.code.clone(),
        terms_version: terms.version,
        basis: format!(
            "安全整改未按期完成：合同金额 {} × {} = {}",
            money_text(contract.settlement_amount),
            percent_text(rate),
            money_text(penalty)
        ),
    })
}

/// Recharges a breach under `contract`'s current terms (a proposal confirmed
/// after the terms changed): the same rows, or the security pseudo-table.
pub async fn recharge(
    conn: &impl ConnectionTrait,
    breach: &Breach,
    contract: &entities::contract::Model,
) -> DomainResult<RecordedCharge> {
    let terms = charging::governing_terms(conn, contract)
        .await?
        .ok_or_else(|| {
            DomainError::bad(
                "id",
                format!(
                    "合同 #{} 及其区域均未指定合同条款（违约条款），无法确认违约",
                    contract.id
                ),
            )
        })?;
    if breach.charged_table.as_deref() == Some(SECURITY_RECTIFICATION_LATE) {
        return security_late_charge(&terms, contract).map_err(rename_field("id"));
    }
    let rows = super::matched_rows(breach)?;
    check_rows(&terms, &rows).map_err(rename_field("id"))?;
    let event = charging::charge(conn, &terms, contract, breach.system_id, &rows, 1)
        .await
        .map_err(rename_field("id"))?;
    Ok(row_charge(&terms, &event))
}
