//! A supervisor decides a proposal: confirmed (charged anew under the
//! contract's current terms — they may have changed since detection — and,
//! for a major incident, counted) or dismissed with a reason. Only a
//! PROPOSED breach is decided; any other answers `CONFLICT`.

use chrono::{DateTime, Utc};
use engine::breach_penalty::IncidentLevel as Level;
use sea_orm::{ActiveModelTrait, DatabaseTransaction, EntityTrait, IntoActiveModel, Set};

use super::record::recharge;
use super::{
    Breach, BreachStatus, Breaches, IncidentLevel, find_visible, optional_text, required_text,
};
use crate::access::{self, Policy};
use crate::actor::Actor;
use crate::audit::{AuditedTxn, Change};
use crate::charging::{self, MajorIncidentCount};
use crate::error::{DomainError, DomainResult};
use crate::period::local;
use crate::store::Resource;

/// A supervisor's decision on a proposal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Charged; the reason is optional.
    Confirm { reason: Option<String> },
    /// Not a breach; the reason is required.
    Dismiss { reason: String },
}

impl Decision {
    /// The operation its audit entry names (the GraphQL mutation's name).
    pub fn operation(&self) -> &'static str {
        match self {
            Self::Confirm { .. } => "confirmBreach",
            Self::Dismiss { .. } => "dismissBreach",
        }
    }
}

/// A decided breach and, when this confirmation is the one that gives the
/// agency the right to terminate (the A-level event, the N-th B-level), the
/// count behind it: the caller alerts the region's supervisors.
#[derive(Clone, Debug)]
pub struct Decided {
    pub breach: Breach,
    pub termination_right: Option<MajorIncidentCount>,
}

/// Decides a proposal in `txn`, audited. One the actor may not read is
/// `NOT_FOUND`; one it reads but may not decide, `FORBIDDEN`.
pub async fn decide(
    txn: &mut AuditedTxn<'_>,
    actor: &Actor,
    breach_id: i64,
    decision: Decision,
    now: DateTime<Utc>,
) -> DomainResult<Decided> {
    let breach = find_visible(&**txn, actor, breach_id).await?;
    if !access::can_modify(actor, &Policy::FACT, Breaches::scope(&breach)) {
        return Err(DomainError::forbidden(
            "only the region's supervisors decide breaches",
        ));
    }
    if breach.status != BreachStatus::Proposed {
        return Err(DomainError::Conflict(format!(
            "违约记录 #{breach_id} 已{}，不能再次处理",
            status_text(breach.status)
        )));
    }
    let before = breach.clone();
    let mut active = breach.clone().into_active_model();
    match decision {
        Decision::Confirm { reason } => {
            let contract = contract_of(txn, &breach).await?;
            let charged = recharge(&**txn, &breach, &contract).await?;
            active.status = Set(BreachStatus::Confirmed);
            active.decision_reason = Set(optional_text(
                "reason",
                "理由",
                reason.as_deref().unwrap_or(""),
            )?);
            active.contract_id = Set(Some(contract.id));
            active.charged_table = Set(Some(charged.table));
            active.charged_row = Set(charged.row.map(|r| r as i32));
            active.penalty = Set(Some(charged.penalty));
            active.terms_code = Set(Some(charged.terms_code));
            active.terms_version = Set(Some(charged.terms_version as i32));
        }
        Decision::Dismiss { reason } => {
            active.status = Set(BreachStatus::Dismissed);
            active.decision_reason = Set(Some(required_text("reason", "不予认定的理由", &reason)?));
        }
    }
    active.decided_by = Set(Some(actor.user_id));
    active.decided_at = Set(Some(now));
    let saved = active.update(&**txn).await?;
    let change = Change::on(Breaches::NAME, Some(saved.id), Breaches::scope(&saved))
        .updated(&before, &saved)?;
    txn.record(change).await?;
    let termination_right = termination_right_given(txn, &saved).await?;
    Ok(Decided {
        breach: saved,
        termination_right,
    })
}

/// The contract a proposal is charged under: its own, else the one covering
/// the event (a row from before the register named none).
async fn contract_of(
    txn: &DatabaseTransaction,
    breach: &Breach,
) -> DomainResult<entities::contract::Model> {
    if let Some(id) = breach.contract_id {
        return entities::contract::Entity::find_by_id(id)
            .one(txn)
            .await?
            .ok_or_else(|| {
                DomainError::Internal(format!("breach {}: no contract {id}", breach.id).into())
            });
    }
    let on = local(breach.occurred_at.unwrap_or(breach.created_at)).date_naive();
    charging::covering_contract(
        txn,
        breach.region_id,
        breach.vendor_id,
        breach.system_id,
        on,
    )
    .await?
    .ok_or_else(|| {
        DomainError::bad(
            "id",
            format!(
                "该服务商在本区域没有覆盖{}的合同，无法按合同计算违约金",
                engine::date_text(on)
            ),
        )
    })
}

/// Whether the confirmed `breach` is the event that gives the right to
/// terminate: its level's count, now that it is counted, is the terms'
/// threshold (`MajorIncidentRule::reached_by`: true exactly once per term).
pub async fn termination_right_given(
    txn: &DatabaseTransaction,
    breach: &Breach,
) -> DomainResult<Option<MajorIncidentCount>> {
    let (Some(level), Some(contract_id)) = (breach.incident_level, breach.contract_id) else {
        return Ok(None);
    };
    if breach.status != BreachStatus::Confirmed {
        return Ok(None);
    }
    let contract = entities::contract::Entity::find_by_id(contract_id)
        .one(txn)
        .await?
        .ok_or_else(|| {
            DomainError::Internal(format!("breach {}: no contract", breach.id).into())
        })?;
    let Some(terms) = charging::governing_terms(txn, &contract).await? else {
        return Ok(None);
    };
    let Some(rule) = terms.major_incidents.as_ref() else {
        return Ok(None);
    };
    let Some(count) = charging::major_incidents(txn, &terms, &contract).await? else {
        return Ok(None);
    };
    let (level, reached) = match level {
        IncidentLevel::A => (Level::A, count.a_level),
        IncidentLevel::B => (Level::B, count.b_level),
    };
    Ok(rule.reached_by(level, reached).then_some(count))
}

/// A status in the console's words.
pub fn status_text(status: BreachStatus) -> &'static str {
    match status {
        BreachStatus::Proposed => "待确认",
        BreachStatus::Confirmed => "确认",
        BreachStatus::Dismissed => "不予认定",
    }
}
