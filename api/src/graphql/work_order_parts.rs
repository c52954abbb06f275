//! The unified work order through GraphQL (issue 16 item 1): the agency
//! submits a part (its form as JSON, checked per part by
//! `domain::work_order_parts::forms`), the region's supervisors approve or
//! reject it, the vendor records its delivery; part 4's exit duties: the
//! agency requests migration help, the vendor records it, each party confirms
//! its data erasure. A system's timeline shows every part with its deadline
//! (working days from the contract's terms or the scheme's A1).

use async_graphql::{Context, Enum, ID, InputObject, Json, Object, SimpleObject};
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde_json::Value;

use super::nested::id;
use crate::error::{DomainError, DomainResult, GqlResult};
use crate::graphql::crud;
use domain::period::local;
use domain::work_order_parts::exit::{self, ExitStep, ExitView, TakenStep};
use domain::work_order_parts::{self as rules, PartKind, Submission, Timeline, TimelineEntry};

/// 入云, 上线, 变更, 退出.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "entities::work_order_part::PartKind")]
pub enum WorkOrderPartKind {
    Onboarding,
    GoLive,
    Change,
    Exit,
}

/// SUBMITTED → APPROVED → COMPLETED, or REJECTED.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "entities::work_order_part::PartStatus")]
pub enum WorkOrderPartState {
    Submitted,
    Approved,
    Rejected,
    Completed,
}

/// Where a duty with a last day stands.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "engine::deadlines::DutyStatus")]
pub enum DutyStanding {
    OnTime,
    Late,
    Open,
    Overdue,
}

/// One part of a system's unified work order.
#[derive(SimpleObject)]
pub struct WorkOrderPart {
    pub id: ID,
    pub system_id: ID,
    pub vendor_id: ID,
    pub agency_id: ID,
    pub part: WorkOrderPartKind,
    /// The part's title as the form prints it.
    pub title: String,
    pub status: WorkOrderPartState,
    /// The part's fields as submitted.
    pub form: Json<Value>,
    pub submitted_at: DateTime<FixedOffset>,
    pub submitted_by_id: ID,
    pub decided_at: Option<DateTime<FixedOffset>>,
    pub decided_by_id: Option<ID>,
    pub decision_reason: Option<String>,
    /// The work order A1 assesses (written at approval).
    pub work_order_id: Option<ID>,
    /// When the vendor received it (the approval) and delivered it.
    pub received_at: Option<DateTime<FixedOffset>>,
    pub completed_at: Option<DateTime<FixedOffset>>,
    /// The working days it has and its last day; null: no fixed deadline.
    pub working_days: Option<u32>,
    pub deadline: Option<NaiveDate>,
    pub standing: Option<DutyStanding>,
}

impl From<TimelineEntry> for WorkOrderPart {
    fn from(e: TimelineEntry) -> Self {
        let p = e.part;
        Self {
            id: id(p.id),
            system_id: id(p.system_id),
            vendor_id: id(p.vendor_id),
            agency_id: id(p.agency_id),
            part: p.part.into(),
            title: rules::engine_part(p.part).title().to_owned(),
            status: p.status.into(),
            form: Json(serde_json::from_str(&p.form).unwrap_or(Value::Null)),
            submitted_at: local(p.submitted_at),
            submitted_by_id: id(p.submitted_by),
            decided_at: p.decided_at.map(local),
            decided_by_id: p.decided_by.map(id),
            decision_reason: p.decision_reason,
            work_order_id: p.work_order_id.map(id),
            received_at: e.received_at.map(local),
            completed_at: e.completed_at.map(local),
            working_days: e.working_days,
            deadline: e.deadline,
            standing: e.standing.map(DutyStanding::from),
        }
    }
}

/// The duties part 4 leaves: migration help, the two erasure confirmations.
#[derive(SimpleObject)]
pub struct WorkOrderExit {
    pub id: ID,
    pub part_id: ID,
    pub system_id: ID,
    pub contract_id: Option<ID>,
    /// Calendar days for the migration help (45 SLA, 10 lease); null: the
    /// contract sets none.
    pub migration_days: Option<i32>,
    pub exit_on: NaiveDate,
    pub migration_requested_at: Option<DateTime<FixedOffset>>,
    pub migration_due: Option<NaiveDate>,
    pub migration_done_at: Option<DateTime<FixedOffset>>,
    pub migration: Option<DutyStanding>,
    /// Both confirmations are due on this day.
    pub erasure_due: NaiveDate,
    /// 清除与否 as each party confirmed it (null: not yet).
    pub vendor_erased: Option<bool>,
    pub vendor_erasure_at: Option<DateTime<FixedOffset>>,
    pub vendor_erasure: DutyStanding,
    pub agency_erased: Option<bool>,
    pub agency_erasure_at: Option<DateTime<FixedOffset>>,
    pub agency_erasure: DutyStanding,
    /// The overdue notices issued (one per duty).
    pub notice_ids: Vec<ID>,
}

impl From<ExitView> for WorkOrderExit {
    fn from(v: ExitView) -> Self {
        let d = v.duty;
        Self {
            id: id(d.id),
            part_id: id(d.part_id),
            system_id: id(d.system_id),
            contract_id: d.contract_id.map(id),
            migration_days: d.migration_days,
            exit_on: d.exit_on,
            migration_requested_at: d.migration_requested_at.map(local),
            migration_due: d.migration_due,
            migration_done_at: d.migration_done_at.map(local),
            migration: v.migration.map(DutyStanding::from),
            erasure_due: d.erasure_due,
            vendor_erased: d.vendor_erased,
            vendor_erasure_at: d.vendor_erasure_at.map(local),
            vendor_erasure: v.vendor_erasure.into(),
            agency_erased: d.agency_erased,
            agency_erasure_at: d.agency_erasure_at.map(local),
            agency_erasure: v.agency_erasure.into(),
            notice_ids: [
                d.migration_notice_id,
                d.vendor_erasure_notice_id,
                d.agency_erasure_notice_id,
            ]
            .into_iter()
            .flatten()
            .map(id)
            .collect(),
        }
    }
}

/// A system's parts in the order submitted, and its exits.
#[derive(SimpleObject)]
pub struct WorkOrderTimeline {
    pub system_id: ID,
    pub system_name: String,
    pub parts: Vec<WorkOrderPart>,
    pub exits: Vec<WorkOrderExit>,
}

impl From<Timeline> for WorkOrderTimeline {
    fn from(t: Timeline) -> Self {
        Self {
            system_id: id(t.system.id),
            system_name: t.system.name,
            parts: t.entries.into_iter().map(WorkOrderPart::from).collect(),
            exits: t.exits.into_iter().map(WorkOrderExit::from).collect(),
        }
    }
}

#[derive(Default)]
pub struct WorkOrderPartQuery;

#[Object]
impl WorkOrderPartQuery {
    /// A system's unified work order: its parts with their deadlines and its
    /// exit duties (a vendor its own systems, an agency its own).
    async fn work_order_timeline(
        &self,
        ctx: &Context<'_>,
        system_id: ID,
    ) -> async_graphql::Result<WorkOrderTimeline> {
        async {
            let (state, actor) = crud::env(ctx)?;
            let system_id = crud::parse_id("systemId", &system_id)?;
            let timeline = rules::timeline(&state.db, actor, system_id, Utc::now()).await?;
            Ok::<_, DomainError>(WorkOrderTimeline::from(timeline))
        }
        .await
        .gql()
    }
}

#[derive(InputObject)]
pub struct SubmitWorkOrderPartInput {
    pub system_id: ID,
    pub part: WorkOrderPartKind,
    /// The part's fields, camelCase keys (see the README's example).
    pub form: Json<Value>,
    /// When the agency handed it in, if before now (a paper form entered later).
    pub submitted_at: Option<DateTime<FixedOffset>>,
}

/// The part `part_id` as the timeline shows it after a step.
async fn entry(ctx: &Context<'_>, system_id: i64, part_id: i64) -> DomainResult<WorkOrderPart> {
    let (state, actor) = crud::env(ctx)?;
    rules::timeline(&state.db, actor, system_id, Utc::now())
        .await?
        .entries
        .into_iter()
        .find(|e| e.part.id == part_id)
        .map(WorkOrderPart::from)
        .ok_or_else(|| DomainError::not_found(format!("WorkOrderPart {part_id}")))
}

/// What a supervisor or the vendor does to a part, and when (default now).
enum PartStep {
    Approve(Option<DateTime<FixedOffset>>),
    Reject(String),
    Complete(Option<DateTime<FixedOffset>>),
}

fn utc(at: Option<DateTime<FixedOffset>>) -> Option<DateTime<Utc>> {
    at.map(|t| t.with_timezone(&Utc))
}

async fn part_step(ctx: &Context<'_>, part_id: &ID, step: PartStep) -> DomainResult<WorkOrderPart> {
    let (state, actor) = crud::env(ctx)?;
    let key = crud::parse_id("id", part_id)?;
    let audit = crate::graphql::audit::of(ctx, actor);
    let now = Utc::now();
    let db = &state.db;
    let saved = match step {
        PartStep::Approve(at) => rules::approve(db, actor, &audit, key, utc(at), now).await?,
        PartStep::Reject(reason) => rules::reject(db, actor, &audit, key, reason, now).await?,
        PartStep::Complete(at) => rules::complete(db, actor, &audit, key, utc(at), now).await?,
    };
    entry(ctx, saved.system_id, saved.id).await
}

async fn exit_step(
    ctx: &Context<'_>,
    exit_id: &ID,
    step: ExitStep,
    at: Option<DateTime<FixedOffset>>,
) -> DomainResult<WorkOrderExit> {
    let (state, actor) = crud::env(ctx)?;
    let key = crud::parse_id("exitId", exit_id)?;
    let audit = crate::graphql::audit::of(ctx, actor);
    let taken = TakenStep { step, at: utc(at) };
    let view = exit::step(&state.db, actor, &audit, key, taken, Utc::now()).await?;
    Ok(WorkOrderExit::from(view))
}

#[derive(Default)]
pub struct WorkOrderPartMutation;

#[Object]
impl WorkOrderPartMutation {
    /// The agency (or a supervisor of the region) submits a part for a system.
    async fn submit_work_order_part(
        &self,
        ctx: &Context<'_>,
        input: SubmitWorkOrderPartInput,
    ) -> async_graphql::Result<WorkOrderPart> {
        async {
            let (state, actor) = crud::env(ctx)?;
            let submission = Submission {
                system_id: crud::parse_id("input.systemId", &input.system_id)?,
                part: PartKind::from(input.part),
                form: input.form.0,
                submitted_at: input.submitted_at.map(|t| t.with_timezone(&Utc)),
            };
            let audit = crate::graphql::audit::of(ctx, actor);
            let saved = rules::submit(&state.db, actor, &audit, submission, Utc::now()).await?;
            entry(ctx, saved.system_id, saved.id).await
        }
        .await
        .gql()
    }

    /// The supervising body approves: the vendor receives the part then
    /// (`at`, default now; its working days count from that day).
    async fn approve_work_order_part(
        &self,
        ctx: &Context<'_>,
        id: ID,
        at: Option<DateTime<FixedOffset>>,
    ) -> async_graphql::Result<WorkOrderPart> {
        part_step(ctx, &id, PartStep::Approve(at)).await.gql()
    }

    /// The supervising body rejects, with its reason.
    async fn reject_work_order_part(
        &self,
        ctx: &Context<'_>,
        id: ID,
        reason: String,
    ) -> async_graphql::Result<WorkOrderPart> {
        part_step(ctx, &id, PartStep::Reject(reason)).await.gql()
    }

    /// The vendor records the delivery of an approved part of its system
    /// (`at`, default now).
    async fn complete_work_order_part(
        &self,
        ctx: &Context<'_>,
        id: ID,
        at: Option<DateTime<FixedOffset>>,
    ) -> async_graphql::Result<WorkOrderPart> {
        part_step(ctx, &id, PartStep::Complete(at)).await.gql()
    }

    /// The agency asks for the migration help; due by the contract's days.
    async fn request_migration_help(
        &self,
        ctx: &Context<'_>,
        exit_id: ID,
        at: Option<DateTime<FixedOffset>>,
    ) -> async_graphql::Result<WorkOrderExit> {
        exit_step(ctx, &exit_id, ExitStep::RequestMigration, at)
            .await
            .gql()
    }

    /// The vendor records the migration help done.
    async fn complete_migration_help(
        &self,
        ctx: &Context<'_>,
        exit_id: ID,
        at: Option<DateTime<FixedOffset>>,
    ) -> async_graphql::Result<WorkOrderExit> {
        exit_step(ctx, &exit_id, ExitStep::CompleteMigration, at)
            .await
            .gql()
    }

    /// The vendor or the agency confirms its data erasure: 是 (true) or 否.
    async fn confirm_erasure(
        &self,
        ctx: &Context<'_>,
        exit_id: ID,
        erased: bool,
        at: Option<DateTime<FixedOffset>>,
    ) -> async_graphql::Result<WorkOrderExit> {
        exit_step(ctx, &exit_id, ExitStep::ConfirmErasure { erased }, at)
            .await
            .gql()
    }
}
