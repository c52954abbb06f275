//! Disputes (申诉) through GraphQL: a vendor disputes a deduction of its
//! published monthly result (`disputeDeduction`), a supervisor of the region
//! accepts (`acceptDispute`, clearing the fact's liability or confirmation and
//! re-running the month as a draft) or rejects it with a reason
//! (`rejectDispute`). Vendors read their own disputes, supervisors their
//! region's. The file a vendor may attach is sent through the console.

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, FixedOffset, Utc};
use rust_decimal::Decimal;

use super::nested::id;
use crate::error::{DomainError, DomainResult, GqlResult};
use crate::graphql::crud;
use domain::disputes::{ClearedFlag, Decision, NewDispute};
use domain::period::local;

pub use domain::disputes::Disputes;

/// Which flag of the fact an accepted dispute sets false.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum DisputeClearing {
    /// 取消服务商责任: the fact stays, the vendor was not liable.
    VendorLiable,
    /// 取消确认: the fact is no longer confirmed.
    Confirmed,
}

impl From<DisputeClearing> for ClearedFlag {
    fn from(c: DisputeClearing) -> Self {
        match c {
            DisputeClearing::VendorLiable => Self::VendorLiable,
            DisputeClearing::Confirmed => Self::Confirmed,
        }
    }
}

#[derive(SimpleObject)]
pub struct Dispute {
    pub id: ID,
    /// The published result whose deduction is disputed.
    pub result_id: ID,
    pub region_id: ID,
    pub vendor_id: ID,
    /// The result's month, `2026-10`.
    pub period: String,
    /// The fact's kind as results name it (`complaint`).
    pub fact_kind: String,
    pub fact_id: ID,
    /// The indicator of the deduction (`C1`).
    pub indicator: String,
    /// The deduction's points as the scorecard shows them, rounded half-up
    /// to 2 decimals ("5.00"); the exact value is the `pointsExact` of the
    /// deduction on the result's `scorecard`.
    pub points: Decimal,
    pub reason: String,
    /// OPEN, ACCEPTED or REJECTED.
    pub status: String,
    /// Of an accepted dispute: VENDOR_LIABLE or CONFIRMED, the flag cleared.
    pub cleared: Option<String>,
    pub decision_reason: Option<String>,
    pub decided_by_id: Option<ID>,
    pub decided_at: Option<DateTime<FixedOffset>>,
    /// The run that re-assessed the month after acceptance (drafts).
    pub rerun_id: Option<ID>,
    pub created_at: DateTime<FixedOffset>,
}

impl From<domain::disputes::Dispute> for Dispute {
    fn from(m: domain::disputes::Dispute) -> Self {
        Self {
            id: id(m.id),
            result_id: id(m.result_id),
            region_id: id(m.region_id),
            vendor_id: id(m.vendor_id),
            period: m.period,
            fact_kind: m.fact_kind,
            fact_id: id(m.fact_id),
            indicator: m.indicator,
            points: engine::two_dp(m.points),
            reason: m.reason,
            status: m.status.as_str().to_owned(),
            cleared: m.cleared.map(|c| c.as_str().to_owned()),
            decision_reason: m.decision_reason,
            decided_by_id: m.decided_by.map(id),
            decided_at: m.decided_at.map(local),
            rerun_id: m.rerun_id.map(id),
            created_at: local(m.created_at),
        }
    }
}

crud_api!(@read resource: Disputes, object: Dispute, page: DisputePage, query: DisputeQuery { dispute, disputes });

#[derive(InputObject)]
pub struct DisputeDeductionInput {
    /// A published monthly result of the caller's vendor (its latest revision).
    pub result_id: ID,
    /// The fact the deduction names: its kind (`complaint`) and id.
    pub fact_kind: String,
    pub fact_id: ID,
    /// Why the deduction is wrong (required).
    pub reason: String,
}

#[derive(Default)]
pub struct DisputeMutation;

#[Object]
impl DisputeMutation {
    /// The vendor disputes one deduction of its published monthly result,
    /// within `DISPUTE_WINDOW_WORKING_DAYS` working days of publication; the
    /// region's supervisors are mailed. One open dispute per fact.
    async fn dispute_deduction(
        &self,
        ctx: &Context<'_>,
        input: DisputeDeductionInput,
    ) -> async_graphql::Result<Dispute> {
        async {
            let (state, actor) = crud::env(ctx)?;
            let result_id = crud::parse_id("input.resultId", &input.result_id)?;
            let new = NewDispute {
                fact_kind: input.fact_kind,
                fact_id: crud::parse_id("input.factId", &input.fact_id)?,
                reason: input.reason,
            };
            let audit = crate::graphql::audit::of(ctx, actor);
            let filed = jobs::disputes::file(
                &state.db,
                actor,
                &audit,
                result_id,
                new,
                None,
                state.dispute_settings(),
                Utc::now(),
            )
            .await?;
            Ok::<_, DomainError>(Dispute::from(filed))
        }
        .await
        .gql()
    }

    /// A supervisor of the region accepts: the fact's flag `clear` is set
    /// false (audited), the dispute closed, both sides mailed, and the month
    /// re-run as a new draft revision (`rerunId`).
    async fn accept_dispute(
        &self,
        ctx: &Context<'_>,
        id: ID,
        clear: DisputeClearing,
        reason: Option<String>,
    ) -> async_graphql::Result<Dispute> {
        let decision = Decision::Accept {
            clear: clear.into(),
            reason,
        };
        decide(ctx, &id, decision).await.gql()
    }

    /// A supervisor of the region rejects with a reason (required): nothing
    /// but the dispute changes; both sides are mailed.
    async fn reject_dispute(
        &self,
        ctx: &Context<'_>,
        id: ID,
        reason: String,
    ) -> async_graphql::Result<Dispute> {
        decide(ctx, &id, Decision::Reject { reason }).await.gql()
    }
}

/// A decision through the same function as the console's forms.
async fn decide(ctx: &Context<'_>, dispute_id: &ID, decision: Decision) -> DomainResult<Dispute> {
    let (state, actor) = crud::env(ctx)?;
    let dispute_id = crud::parse_id("id", dispute_id)?;
    let audit = crate::graphql::audit::of(ctx, actor);
    let decided = jobs::disputes::decide(
        &state.db,
        &state.lease,
        &*state.metrics,
        actor,
        &audit,
        dispute_id,
        decision,
        state.dispute_settings(),
        Utc::now(),
    )
    .await?;
    Ok(Dispute::from(decided.dispute))
}

/// `AssessmentResult.disputes`: the disputes of a result's vendor and month
/// the caller may read (whichever revision they were filed on).
pub async fn of_month(
    ctx: &Context<'_>,
    region_id: &ID,
    vendor_id: &ID,
    period: &str,
) -> DomainResult<Vec<Dispute>> {
    let (state, actor) = crud::env(ctx)?;
    let rows = domain::disputes::of_month(
        &state.db,
        actor,
        crud::parse_id("regionId", region_id)?,
        crud::parse_id("vendorId", vendor_id)?,
        period,
    )
    .await?;
    Ok(rows.into_iter().map(Dispute::from).collect())
}
