//! The exit's duties (part 4, 信息系统退出): opened when the part is approved,
//! with the days of the contract covering the system — migration help within
//! 45 days of the agency's request under the SLA (seed 000), 10 under the
//! lease contract (seed 002), counted as the Civil Code counts periods
//! (`engine::work_order::period_last_day`) — and the vendor's and the
//! agency's data-erasure confirmations (清除与否), due on the exit date.
//!
//! The agency (or a supervisor) requests the migration help, the vendor (or a
//! supervisor) records it done; each party confirms its own erasure. A duty
//! past its day raises one notice to the vendor (`jobs::exit_duties`).

use chrono::{DateTime, Utc};
use engine::deadlines::{DutyStatus, duty_status};
use engine::period::local_day;
use engine::work_order::{ExitDuty as Duty, period_last_day};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Set,
};

use super::forms::PartForm;
use super::{POLICY, WorkOrderPart, deadlines};
use crate::access::{self, Scope};
use crate::actor::{Actor, Role};
use crate::audit::{Audit, AuditedTxn, Change};
use crate::error::{DomainError, DomainResult};
use crate::store::{Resource, TimeColumn};

use entities::exit_duty::Column;
pub use entities::exit_duty::Model as ExitDutyRow;

resource!(ExitDuties => exit_duty, name: "ExitDuty", policy: POLICY,
    region: Some(Column::RegionId), vendor: Some(Column::VendorId), agency: Some(Column::AgencyId),
    time: TimeColumn::Date(Column::ExitOn),
    scope: |m| Scope { region: Some(m.region_id), vendor: Some(m.vendor_id), agency: Some(m.agency_id) });

/// Opens the duties of the approved part 4 `part`.
pub(super) async fn open(
    txn: &mut AuditedTxn<'_>,
    part: &WorkOrderPart,
) -> DomainResult<ExitDutyRow> {
    let PartForm::Exit(form) = PartForm::stored(part.part, &part.form)? else {
        return Err(DomainError::Internal("an exit without its form".into()));
    };
    let system = entities::information_system::Entity::find_by_id(part.system_id)
        .one(&**txn)
        .await?
        .ok_or_else(|| DomainError::not_found(format!("InformationSystem {}", part.system_id)))?;
    // The contract in force on the exit date gives the days.
    let exit_on = form.exit_on();
    let (contract_id, terms) = deadlines::exit_terms(&**txn, &system, exit_on).await?;
    // The seeds set no day for the erasure: the engine's default (on the exit date).
    let erasure_days = terms.map_or(0, |t| t.erasure_days);
    let calendar = crate::calendar::load(&**txn).await?;
    let erasure_due = period_last_day(&calendar, exit_on, erasure_days)
        .map_err(|e| DomainError::bad("form.exitOn", e.to_string()))?;
    let saved = entities::exit_duty::ActiveModel {
        part_id: Set(part.id),
        region_id: Set(part.region_id),
        vendor_id: Set(part.vendor_id),
        agency_id: Set(part.agency_id),
        system_id: Set(part.system_id),
        contract_id: Set(contract_id),
        migration_days: Set(terms.map(|t| t.migration_days as i32)),
        erasure_days: Set(erasure_days as i32),
        exit_on: Set(exit_on),
        erasure_due: Set(erasure_due),
        ..Default::default()
    }
    .insert(&**txn)
    .await?;
    let change =
        Change::on(ExitDuties::NAME, Some(saved.id), ExitDuties::scope(&saved)).created(&saved)?;
    txn.record(change).await?;
    Ok(saved)
}

/// Where an exit's duties stand.
#[derive(Clone, Debug)]
pub struct ExitView {
    pub duty: ExitDutyRow,
    /// `None` until the migration help is requested.
    pub migration: Option<DutyStatus>,
    pub vendor_erasure: DutyStatus,
    pub agency_erasure: DutyStatus,
}

impl ExitView {
    pub fn of(duty: ExitDutyRow, now: DateTime<Utc>) -> Self {
        // A 否 (not erased) does not discharge the duty.
        let erased = |e: Option<bool>, at: Option<DateTime<Utc>>| at.filter(|_| e == Some(true));
        let migration = duty
            .migration_due
            .map(|due| duty_status(due, duty.migration_done_at, now));
        let vendor_erasure = duty_status(
            duty.erasure_due,
            erased(duty.vendor_erased, duty.vendor_erasure_at),
            now,
        );
        let agency_erasure = duty_status(
            duty.erasure_due,
            erased(duty.agency_erased, duty.agency_erasure_at),
            now,
        );
        Self {
            duty,
            migration,
            vendor_erasure,
            agency_erasure,
        }
    }

    /// The duties overdue and not yet noticed.
    pub fn unnoticed_overdue(&self) -> Vec<Duty> {
        let d = &self.duty;
        [
            (Duty::Migration, self.migration, d.migration_notice_id),
            (
                Duty::VendorErasure,
                Some(self.vendor_erasure),
                d.vendor_erasure_notice_id,
            ),
            (
                Duty::AgencyErasure,
                Some(self.agency_erasure),
                d.agency_erasure_notice_id,
            ),
        ]
        .into_iter()
        .filter(|(_, status, notice)| *status == Some(DutyStatus::Overdue) && notice.is_none())
        .map(|(duty, _, _)| duty)
        .collect()
    }
}

/// The exits of a system (no access check: the caller read the system).
pub(super) async fn of_system(
    conn: &impl ConnectionTrait,
    system_id: i64,
    now: DateTime<Utc>,
) -> DomainResult<Vec<ExitView>> {
    Ok(entities::exit_duty::Entity::find()
        .filter(Column::SystemId.eq(system_id))
        .order_by_asc(Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(|d| ExitView::of(d, now))
        .collect())
}

/// Every exit with a duty overdue at `now` and not yet noticed (for the
/// daily check; no actor).
pub async fn unnoticed_overdue(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> DomainResult<Vec<(ExitView, Vec<Duty>)>> {
    let today = local_day(now);
    let candidates = entities::exit_duty::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(Column::MigrationDue.lt(today))
                .add(Column::ErasureDue.lt(today)),
        )
        .order_by_asc(Column::Id)
        .all(conn)
        .await?;
    Ok(candidates
        .into_iter()
        .map(|d| ExitView::of(d, now))
        .filter_map(|v| {
            let due = v.unnoticed_overdue();
            (!due.is_empty()).then_some((v, due))
        })
        .collect())
}

/// Records the notice issued for `duty` (idempotency: never issued twice).
pub async fn mark_noticed(
    conn: &impl ConnectionTrait,
    row: ExitDutyRow,
    duty: Duty,
    notice_id: i64,
) -> DomainResult<ExitDutyRow> {
    let mut active = row.into_active_model();
    match duty {
        Duty::Migration => active.migration_notice_id = Set(Some(notice_id)),
        Duty::VendorErasure => active.vendor_erasure_notice_id = Set(Some(notice_id)),
        Duty::AgencyErasure => active.agency_erasure_notice_id = Set(Some(notice_id)),
    }
    Ok(active.update(conn).await?)
}

/// What a party does to an exit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStep {
    /// The agency asks for the migration help (提出系统迁出需求).
    RequestMigration,
    /// The vendor has helped migrate the system.
    CompleteMigration,
    /// The actor's party confirms the erasure: 是 (true) or 否.
    ConfirmErasure { erased: bool },
}

/// A step and the instant it was taken (default now).
#[derive(Clone, Copy, Debug)]
pub struct TakenStep {
    pub step: ExitStep,
    pub at: Option<DateTime<Utc>>,
}

fn is_vendor_of(actor: &Actor, duty: &ExitDutyRow) -> bool {
    matches!(actor.role, Role::Vendor { vendor_id } if vendor_id == duty.vendor_id)
}

fn is_agency_of(actor: &Actor, duty: &ExitDutyRow) -> bool {
    matches!(actor.role, Role::Agency { agency_id } if agency_id == duty.agency_id)
}

/// A party takes a step on the exit `id`.
pub async fn step(
    db: &DatabaseConnection,
    actor: &Actor,
    audit: &Audit,
    id: i64,
    taken: TakenStep,
    now: DateTime<Utc>,
) -> DomainResult<ExitView> {
    let at = super::instant("at", taken.at, None, now)?;
    let _db = crate::db_share::permit().await;
    let mut txn = audit.begin(db).await?;
    let before = entities::exit_duty::Entity::find_by_id(id)
        .one(&*txn)
        .await?
        .filter(|d| access::can_read(actor, &POLICY, ExitDuties::scope(d)))
        .ok_or_else(|| DomainError::not_found(format!("ExitDuty {id}")))?;
    let supervisor = access::can_modify(actor, &POLICY, ExitDuties::scope(&before));
    let mut after = before.clone();
    match taken.step {
        ExitStep::RequestMigration => {
            if !is_agency_of(actor, &before) && !supervisor {
                return Err(DomainError::forbidden(
                    "only the system's agency or the region's supervisors request migration help",
                ));
            }
            let Some(days) = before.migration_days else {
                return Err(DomainError::bad("id", "该系统的合同未约定迁移协助期限"));
            };
            if before.migration_requested_at.is_some() {
                return Err(DomainError::bad("id", "已提出迁移协助需求"));
            }
            let calendar = crate::calendar::load(&*txn).await?;
            let due = period_last_day(&calendar, local_day(at), days as u32)
                .map_err(|e| DomainError::bad("at", e.to_string()))?;
            after.migration_requested_at = Some(at);
            after.migration_requested_by = Some(actor.user_id);
            after.migration_due = Some(due);
        }
        ExitStep::CompleteMigration => {
            if !is_vendor_of(actor, &before) && !supervisor {
                return Err(DomainError::forbidden(
                    "only the system's vendor or the region's supervisors record the migration help",
                ));
            }
            if before.migration_requested_at.is_none() {
                return Err(DomainError::bad("id", "使用单位尚未提出迁移协助需求"));
            }
            if before.migration_done_at.is_some() {
                return Err(DomainError::bad("id", "迁移协助已登记完成"));
            }
            if before.migration_requested_at.is_some_and(|r| at < r) {
                return Err(DomainError::bad("at", "不能早于提出迁移需求的时间"));
            }
            after.migration_done_at = Some(at);
            after.migration_done_by = Some(actor.user_id);
        }
        ExitStep::ConfirmErasure { erased } => {
            // Each party confirms its own box on the form; nobody for another.
            let (done, field) = if is_vendor_of(actor, &before) {
                (before.vendor_erased, "vendor")
            } else if is_agency_of(actor, &before) {
                (before.agency_erased, "agency")
            } else {
                return Err(DomainError::forbidden(
                    "only the vendor and the agency confirm their own data erasure",
                ));
            };
            if done == Some(true) {
                return Err(DomainError::bad("id", "已确认数据清除"));
            }
            if field == "vendor" {
                after.vendor_erased = Some(erased);
                after.vendor_erasure_at = Some(at);
                after.vendor_erasure_by = Some(actor.user_id);
            } else {
                after.agency_erased = Some(erased);
                after.agency_erasure_at = Some(at);
                after.agency_erasure_by = Some(actor.user_id);
            }
        }
    }
    let saved = after.into_active_model().reset_all().update(&*txn).await?;
    let change = Change::on(ExitDuties::NAME, Some(saved.id), ExitDuties::scope(&saved))
        .updated(&before, &saved)?;
    txn.record(change).await?;
    txn.commit().await?;
    Ok(ExitView::of(saved, now))
}
