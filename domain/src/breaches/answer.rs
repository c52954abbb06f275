//! The vendor's answer to a confirmed breach of its own: it accepts, or
//! disputes with a reason. Once: a second answer is a `CONFLICT` (a change
//! of mind goes to the supervision team, not over the first answer).

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};

use super::{
    Breach, BreachStatus, Breaches, VendorAnswer, find_visible, optional_text, required_text,
};
use crate::actor::{Actor, Role};
use crate::audit::{AuditedTxn, Change};
use crate::error::{DomainError, DomainResult};
use crate::store::Resource;

/// Writes the vendor's answer in `txn`, audited. Another vendor's breach, or
/// a proposal, is `NOT_FOUND` (the vendor cannot see it).
pub async fn answer(
    txn: &mut AuditedTxn<'_>,
    actor: &Actor,
    breach_id: i64,
    answer: VendorAnswer,
    reason: Option<String>,
    now: DateTime<Utc>,
) -> DomainResult<Breach> {
    let breach = find_visible(&**txn, actor, breach_id).await?;
    if actor.role
        != (Role::Vendor {
            vendor_id: breach.vendor_id,
        })
    {
        return Err(DomainError::forbidden(
            "only the vendor answers its breaches",
        ));
    }
    if breach.status != BreachStatus::Confirmed {
        return Err(DomainError::Conflict(format!(
            "违约记录 #{breach_id} 尚未确认，不能答复"
        )));
    }
    if breach.vendor_answer.is_some() {
        return Err(DomainError::Conflict(format!(
            "违约记录 #{breach_id} 已答复，不能再次答复"
        )));
    }
    let reason = match answer {
        VendorAnswer::Disputed => Some(required_text(
            "reason",
            "异议理由",
            reason.as_deref().unwrap_or(""),
        )?),
        VendorAnswer::Accepted => optional_text("reason", "说明", reason.as_deref().unwrap_or(""))?,
    };
    let before = breach.clone();
    let mut active = breach.into_active_model();
    active.vendor_answer = Set(Some(answer));
    active.vendor_answer_reason = Set(reason);
    active.answered_at = Set(Some(now));
    let saved = active.update(&**txn).await?;
    let change = Change::on(Breaches::NAME, Some(saved.id), Breaches::scope(&saved))
        .updated(&before, &saved)?;
    txn.record(change).await?;
    Ok(saved)
}
