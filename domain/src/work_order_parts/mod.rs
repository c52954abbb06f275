//! The unified work order (北京市市级政务云服务统一工单, seed 001 附件1-3; issue
//! 16 item 1): its four parts as the agency (使用单位) fills them, approved or
//! rejected by the supervising body (the region's supervisors), delivered by
//! the vendor; part 4 leaves exit duties (`exit`).
//!
//! Who does what (access denied by default):
//! - the agency submits parts for its own systems; a supervisor of the region
//!   (or an administrator) may submit for any system of the region;
//! - the region's supervisors approve (the vendor receives the part: the
//!   `work_orders` fact A1 assesses is written with `approved_at` = now) or
//!   reject with a reason;
//! - the vendor records the delivery (completion) of an approved part of its
//!   own systems (a supervisor may record it for the vendor);
//! - the vendor and the agency read their own parts only.
//!
//! The days a part has come from the contract's terms when they set them
//! (Beijing `bj-sla`/`bj-lease`: part 1 3 working days, part 2 1, parts 3–4
//! none), else from the scheme's A1 (Shanghai: 5 working days for every
//! part); see [`deadlines`].

pub mod deadlines;
pub mod exit;
pub mod forms;

use chrono::{DateTime, NaiveDate, Utc};
use engine::deadlines::DutyStatus;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};

use crate::access::{self, AgencyAccess, Policy, Scope, SupervisorAccess};
use crate::actor::{Actor, Role};
use crate::audit::{Audit, AuditedTxn, Change};
use crate::error::{DomainError, DomainResult};
use crate::facts::work_orders::WorkOrders;
use crate::store::{Resource, TimeColumn};

use entities::work_order_part::Column;
pub use entities::work_order_part::{Model as WorkOrderPart, PartKind, PartStatus};
pub use forms::PartForm;

/// Supervisors of the region write; the agency creates its own; the vendor
/// and the agency read their own.
pub const POLICY: Policy = Policy {
    everyone_reads: false,
    supervisor: SupervisorAccess::Region,
    vendor_reads_own: true,
    agency: AgencyAccess::ReadAndCreateOwn,
};

resource!(WorkOrderParts => work_order_part, name: "WorkOrderPart", policy: POLICY,
    region: Some(Column::RegionId), vendor: Some(Column::VendorId), agency: Some(Column::AgencyId),
    time: TimeColumn::Instant(Column::SubmittedAt),
    scope: |m| Scope { region: Some(m.region_id), vendor: Some(m.vendor_id), agency: Some(m.agency_id) });

/// The engine's part of an entity's part kind.
pub fn engine_part(kind: PartKind) -> engine::work_order::Part {
    use engine::work_order::Part;
    match kind {
        PartKind::Onboarding => Part::Onboarding,
        PartKind::GoLive => Part::GoLive,
        PartKind::Change => Part::Change,
        PartKind::Exit => Part::Exit,
    }
}

/// What the agency hands in.
#[derive(Clone, Debug)]
pub struct Submission {
    pub system_id: i64,
    pub part: PartKind,
    /// The part's fields (see [`forms`]).
    pub form: serde_json::Value,
    /// When the agency handed it in, if earlier than now (a paper form
    /// entered later); default now.
    pub submitted_at: Option<DateTime<Utc>>,
}

/// The instant of a step: `at` as given (a step taken on paper and entered
/// later), else now; never in the future, never before `after`.
pub fn instant(
    field: &str,
    at: Option<DateTime<Utc>>,
    after: Option<(&str, DateTime<Utc>)>,
    now: DateTime<Utc>,
) -> DomainResult<DateTime<Utc>> {
    let at = at.unwrap_or(now);
    if at > now {
        return Err(DomainError::bad(field, "不能晚于当前时间"));
    }
    if let Some((what, earlier)) = after
        && at < earlier
    {
        return Err(DomainError::bad(field, format!("不能早于{what}")));
    }
    Ok(at)
}

fn system_scope(system: &entities::information_system::Model) -> Scope {
    Scope {
        region: Some(system.region_id),
        vendor: Some(system.vendor_id),
        agency: Some(system.agency_id),
    }
}

/// The system `id` as the actor may read it, or a refusal naming `field`.
pub async fn readable_system(
    conn: &impl sea_orm::ConnectionTrait,
    actor: &Actor,
    id: i64,
    field: &str,
) -> DomainResult<entities::information_system::Model> {
    entities::information_system::Entity::find_by_id(id)
        .one(conn)
        .await?
        .filter(|s| access::can_read(actor, &POLICY, system_scope(s)))
        .ok_or_else(|| DomainError::bad(field, "没有该信息系统"))
}

/// The agency submits a part for its system (a supervisor may for it).
pub async fn submit(
    db: &DatabaseConnection,
    actor: &Actor,
    audit: &Audit,
    submission: Submission,
    now: DateTime<Utc>,
) -> DomainResult<WorkOrderPart> {
    let form = PartForm::read(submission.part, &submission.form)?;
    let form = form.to_json()?;
    let submitted_at = instant("input.submittedAt", submission.submitted_at, None, now)?;
    let _db = crate::db_share::permit().await;
    let mut txn = audit.begin(db).await?;
    let system = readable_system(&*txn, actor, submission.system_id, "input.systemId").await?;
    if !access::can_create(actor, &POLICY, system_scope(&system)) {
        return Err(DomainError::forbidden(
            "only the system's agency or the region's supervisors submit work-order parts",
        ));
    }
    let saved = entities::work_order_part::ActiveModel {
        region_id: Set(system.region_id),
        vendor_id: Set(system.vendor_id),
        agency_id: Set(system.agency_id),
        system_id: Set(system.id),
        part: Set(submission.part),
        form: Set(form),
        status: Set(PartStatus::Submitted),
        submitted_by: Set(actor.user_id),
        submitted_at: Set(submitted_at),
        decided_by: Set(None),
        decided_at: Set(None),
        decision_reason: Set(None),
        work_order_id: Set(None),
        completed_by: Set(None),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    let change = Change::on(
        WorkOrderParts::NAME,
        Some(saved.id),
        WorkOrderParts::scope(&saved),
    )
    .created(&saved)?;
    txn.record(change).await?;
    txn.commit().await?;
    Ok(saved)
}

/// The part `id` as the actor may read it (`NOT_FOUND` otherwise).
async fn readable(txn: &AuditedTxn<'_>, actor: &Actor, id: i64) -> DomainResult<WorkOrderPart> {
    entities::work_order_part::Entity::find_by_id(id)
        .one(&**txn)
        .await?
        .filter(|p| access::can_read(actor, &POLICY, WorkOrderParts::scope(p)))
        .ok_or_else(|| DomainError::not_found(format!("WorkOrderPart {id}")))
}

/// The part `id` as a supervisor of its region decides it.
async fn decidable(txn: &AuditedTxn<'_>, actor: &Actor, id: i64) -> DomainResult<WorkOrderPart> {
    let part = readable(txn, actor, id).await?;
    if !access::can_modify(actor, &POLICY, WorkOrderParts::scope(&part)) {
        return Err(DomainError::forbidden(
            "only the region's supervisors approve or reject work-order parts",
        ));
    }
    if part.status != PartStatus::Submitted {
        return Err(DomainError::bad(
            "id",
            format!("该工单已{}，不能再审批", status_text(part.status)),
        ));
    }
    Ok(part)
}

async fn save(
    txn: &mut AuditedTxn<'_>,
    before: &WorkOrderPart,
    after: WorkOrderPart,
) -> DomainResult<WorkOrderPart> {
    let saved = after.into_active_model().reset_all().update(&**txn).await?;
    let change = Change::on(
        WorkOrderParts::NAME,
        Some(saved.id),
        WorkOrderParts::scope(&saved),
    )
    .updated(before, &saved)?;
    txn.record(change).await?;
    Ok(saved)
}

/// The supervising body approves: the vendor receives the part now, written
/// as the `work_orders` fact A1 reads; an exit (part 4) opens its duties.
pub async fn approve(
    db: &DatabaseConnection,
    actor: &Actor,
    audit: &Audit,
    id: i64,
    at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> DomainResult<WorkOrderPart> {
    let _db = crate::db_share::permit().await;
    let mut txn = audit.begin(db).await?;
    let before = decidable(&txn, actor, id).await?;
    let at = instant("at", at, Some(("提交时间", before.submitted_at)), now)?;
    let system = entities::information_system::Entity::find_by_id(before.system_id)
        .one(&*txn)
        .await?
        .ok_or_else(|| DomainError::not_found(format!("InformationSystem {}", before.system_id)))?;
    let order = entities::work_order::ActiveModel {
        region_id: Set(before.region_id),
        vendor_id: Set(before.vendor_id),
        agency_id: Set(Some(before.agency_id)),
        system_id: Set(Some(before.system_id)),
        title: Set(format!(
            "{}：{}",
            engine_part(before.part).title(),
            system.name
        )),
        approved_at: Set(at),
        completed_at: Set(None),
        provisioned_differently: Set(false),
        // Approved by the supervising body and the vendor's to deliver.
        confirmed: Set(true),
        vendor_liable: Set(true),
        recorded_by: Set(actor.user_id),
        recorded_at: Set(now),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    let change =
        Change::on(WorkOrders::NAME, Some(order.id), WorkOrders::scope(&order)).created(&order)?;
    txn.record(change).await?;
    let mut after = before.clone();
    after.status = PartStatus::Approved;
    after.decided_by = Some(actor.user_id);
    after.decided_at = Some(at);
    after.work_order_id = Some(order.id);
    let saved = save(&mut txn, &before, after).await?;
    if saved.part == PartKind::Exit {
        exit::open(&mut txn, &saved).await?;
    }
    txn.commit().await?;
    Ok(saved)
}

/// The supervising body rejects, with its reason.
pub async fn reject(
    db: &DatabaseConnection,
    actor: &Actor,
    audit: &Audit,
    id: i64,
    reason: String,
    now: DateTime<Utc>,
) -> DomainResult<WorkOrderPart> {
    let reason = crate::quotas::required_text("input.reason", reason)?;
    let _db = crate::db_share::permit().await;
    let mut txn = audit.begin(db).await?;
    let before = decidable(&txn, actor, id).await?;
    let mut after = before.clone();
    after.status = PartStatus::Rejected;
    after.decided_by = Some(actor.user_id);
    after.decided_at = Some(now);
    after.decision_reason = Some(reason);
    let saved = save(&mut txn, &before, after).await?;
    txn.commit().await?;
    Ok(saved)
}

/// The vendor records the delivery of an approved part of its own system (a
/// supervisor of the region may record it): the fact's `completed_at`.
pub async fn complete(
    db: &DatabaseConnection,
    actor: &Actor,
    audit: &Audit,
    id: i64,
    at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> DomainResult<WorkOrderPart> {
    let _db = crate::db_share::permit().await;
    let mut txn = audit.begin(db).await?;
    let before = readable(&txn, actor, id).await?;
    let vendors_own =
        matches!(actor.role, Role::Vendor { vendor_id } if vendor_id == before.vendor_id);
    if !vendors_own && !access::can_modify(actor, &POLICY, WorkOrderParts::scope(&before)) {
        return Err(DomainError::forbidden(
            "only the system's vendor or the region's supervisors record a delivery",
        ));
    }
    let (PartStatus::Approved, Some(order_id)) = (before.status, before.work_order_id) else {
        return Err(DomainError::bad(
            "id",
            format!(
                "该工单{}，只有已审批的工单可以登记完成",
                status_text(before.status)
            ),
        ));
    };
    let order = entities::work_order::Entity::find_by_id(order_id)
        .one(&*txn)
        .await?
        .ok_or_else(|| DomainError::not_found(format!("WorkOrder {order_id}")))?;
    let at = instant("at", at, Some(("审批时间", order.approved_at)), now)?;
    let mut done = order.clone();
    done.completed_at = Some(at);
    let done = done.into_active_model().reset_all().update(&*txn).await?;
    let change = Change::on(WorkOrders::NAME, Some(done.id), WorkOrders::scope(&done))
        .updated(&order, &done)?;
    txn.record(change).await?;
    let mut after = before.clone();
    after.status = PartStatus::Completed;
    after.completed_by = Some(actor.user_id);
    let saved = save(&mut txn, &before, after).await?;
    txn.commit().await?;
    Ok(saved)
}

/// 已提交, 已审批, 已退回, 已完成.
pub fn status_text(status: PartStatus) -> &'static str {
    match status {
        PartStatus::Submitted => "提交待审批",
        PartStatus::Approved => "审批通过",
        PartStatus::Rejected => "退回",
        PartStatus::Completed => "完成",
    }
}

/// One part on a system's timeline.
#[derive(Clone, Debug)]
pub struct TimelineEntry {
    pub part: WorkOrderPart,
    /// When the vendor received it (approval) and delivered it.
    pub received_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    /// The working days it has, and its last day; `None`: not assessed.
    pub working_days: Option<u32>,
    pub deadline: Option<NaiveDate>,
    /// On time, late, open or overdue (received parts with days only).
    pub standing: Option<DutyStatus>,
}

/// A system's parts in the order submitted, with their deadlines, and its
/// exits' duties.
#[derive(Clone, Debug)]
pub struct Timeline {
    pub system: entities::information_system::Model,
    pub entries: Vec<TimelineEntry>,
    pub exits: Vec<exit::ExitView>,
}

/// The timeline of a system the actor may read.
pub async fn timeline(
    db: &DatabaseConnection,
    actor: &Actor,
    system_id: i64,
    now: DateTime<Utc>,
) -> DomainResult<Timeline> {
    let _db = crate::db_share::permit().await;
    let system = readable_system(db, actor, system_id, "systemId").await?;
    let parts = entities::work_order_part::Entity::find()
        .filter(Column::SystemId.eq(system_id))
        .order_by_asc(Column::SubmittedAt)
        .order_by_asc(Column::Id)
        .all(db)
        .await?;
    let order_ids: Vec<i64> = parts.iter().filter_map(|p| p.work_order_id).collect();
    let orders: std::collections::HashMap<i64, entities::work_order::Model> =
        entities::work_order::Entity::find()
            .filter(entities::work_order::Column::Id.is_in(order_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|o| (o.id, o))
            .collect();
    let calendar = crate::calendar::load(db).await?;
    let mut entries = Vec::with_capacity(parts.len());
    for part in parts {
        let order = part.work_order_id.and_then(|id| orders.get(&id));
        let received_at = order.map(|o| o.approved_at);
        let completed_at = order.and_then(|o| o.completed_at);
        let (working_days, deadline, standing) = match received_at {
            Some(received) => {
                let days = deadlines::part_deadlines(db, &system, received).await?;
                let part_kind = engine_part(part.part);
                let deadline =
                    engine::work_order::part_deadline(&calendar, &days, part_kind, received)
                        .ok()
                        .flatten();
                let standing = engine::work_order::part_status(
                    &calendar,
                    &days,
                    part_kind,
                    received,
                    completed_at,
                    now,
                )
                .ok()
                .flatten();
                (days.working_days(part_kind), deadline, standing)
            }
            None => (None, None, None),
        };
        entries.push(TimelineEntry {
            part,
            received_at,
            completed_at,
            working_days,
            deadline,
            standing,
        });
    }
    let exits = exit::of_system(db, system_id, now).await?;
    Ok(Timeline {
        system,
        entries,
        exits,
    })
}
