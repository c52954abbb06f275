//! Disputes (申诉, issue 14 item 3): a vendor disputes one deduction of a
//! published monthly result of its own, naming the fact the deduction was
//! taken for, with a reason and at most one file, within a window of working
//! days after the result was published. A supervisor of the region decides:
//! accepted, the fact's `vendor_liable` or `confirmed` (the supervisor
//! chooses) is set false through the store, audited like any update, so the
//! fact no longer counts (spec §0: only confirmed, vendor-liable facts do);
//! rejected, nothing changes but the dispute, which keeps the reason.
//!
//! open → accepted | rejected. One open dispute per fact (a unique index on
//! `open_fact`). The re-run of the month and the mails are the caller's
//! (`jobs::disputes`).

use chrono::{DateTime, Datelike, NaiveDate, Utc, Weekday};
use engine::calendar::WorkCalendar;
use engine::{FactKind, FactRef};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseConnection, DatabaseTransaction, EntityTrait,
    FromQueryResult, IntoActiveModel, QueryFilter, QuerySelect, Set,
};

use crate::access::{self, Policy, Scope};
use crate::actor::{Actor, Role};
use crate::assessments::{AssessmentResults, StoredResult};
use crate::audit::{AuditedTxn, Change};
use crate::error::{DomainError, DomainResult};
use crate::facts::{
    changes::Changes, complaints::Complaints, faults::Faults, outages::Outages,
    security_accidents::SecurityAccidents, security_risks::SecurityRisks,
    service_tasks::ServiceTasks, unticketed_deliveries::UnticketedDeliveries,
    violations::Violations, work_orders::WorkOrders,
};
use crate::notice_attachments::Checked;
use crate::period::local;
use crate::store::{self, ListFilter, Resource, TimeColumn, Writable};

use entities::dispute::Column;
pub use entities::dispute::{ClearedFlag, DisputeStatus, Model as Dispute};

/// `DISPUTE_WINDOW_WORKING_DAYS` when unset: a week of work.
pub const DEFAULT_WINDOW_WORKING_DAYS: u32 = 5;
/// The longest reason (characters), of a dispute or of its decision.
pub const MAX_REASON_CHARS: usize = 2000;

resource!(Disputes => dispute, name: "Dispute", policy: Policy::FACT,
    region: Some(Column::RegionId), vendor: Some(Column::VendorId), agency: None,
    time: TimeColumn::MonthText(Column::Period),
    scope: |m| Scope { region: Some(m.region_id), vendor: Some(m.vendor_id), agency: None });

/// The fact kinds a dispute can name: those that record both flags (events).
/// Attendance, trainings and survey responses are measurements, not findings
/// a vendor can be cleared of.
pub const DISPUTABLE: [FactKind; 10] = [
    FactKind::WorkOrder,
    FactKind::UnticketedDelivery,
    FactKind::ServiceTask,
    FactKind::Complaint,
    FactKind::Outage,
    FactKind::Fault,
    FactKind::Change,
    FactKind::Violation,
    FactKind::SecurityRisk,
    FactKind::SecurityAccident,
];

/// The disputable kind named `work_order`, `complaint`, … (as results name them).
pub fn disputable_kind(text: &str) -> Option<FactKind> {
    DISPUTABLE.into_iter().find(|k| k.as_str() == text)
}

/// What a vendor asks.
pub struct NewDispute {
    pub fact_kind: String,
    pub fact_id: i64,
    pub reason: String,
}

/// The last local day a result published at `published_at` may be disputed:
/// `days` working days after the day of publication, by the calendar. A year
/// the calendar does not hold counts Monday to Friday (logged): never a
/// silent refusal.
pub fn last_day(calendar: &WorkCalendar, published_at: DateTime<Utc>, days: u32) -> NaiveDate {
    let published = local(published_at).date_naive();
    calendar
        .add_working_days(published, days)
        .unwrap_or_else(|e| {
            tracing::warn!(error = %e, "no calendar for the dispute window; counting Monday to Friday");
            let mut day = published;
            let mut left = days;
            while left > 0 {
                day = day.succ_opt().unwrap_or(day);
                if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
                    left -= 1;
                }
            }
            day
        })
}

/// The deduction of `card` that names `fact`: its indicator and points.
pub fn deduction_of(card: &engine::ScoreCard, fact: FactRef) -> Option<(String, Decimal)> {
    card.indicators.iter().find_map(|i| {
        i.deductions
            .iter()
            .find(|d| d.facts.contains(&fact))
            .map(|d| (i.code.to_string(), d.points))
    })
}

/// The disputed deduction as the result states it, one line:
/// `C1 有责投诉 扣 5.00 分：…`; the dispute's own figures if the result no
/// longer names the fact.
pub fn deduction_text(result: &entities::assessment_result::Model, dispute: &Dispute) -> String {
    let points = engine::points_text(dispute.points);
    let fact = disputable_kind(&dispute.fact_kind).map(|kind| FactRef {
        kind,
        id: dispute.fact_id,
    });
    let found = StoredResult::of(result).ok().and_then(|stored| {
        let fact = fact?;
        stored.scorecard().indicators.iter().find_map(|i| {
            i.deductions
                .iter()
                .find(|d| d.facts.contains(&fact))
                .map(|d| format!("{} {} 扣 {points} 分：{}", i.code, i.name.zh, d.reason))
        })
    });
    found.unwrap_or_else(|| format!("{} 扣 {points} 分", dispute.indicator))
}

/// `complaint:7`: the key of a fact's one open dispute.
fn open_key(kind: FactKind, id: i64) -> String {
    format!("{}:{id}", kind.as_str())
}

/// Whether the vendor may still dispute the result at `now` and until when:
/// `Ok(last day)` inside the window, `Err` (the reason, with the last day)
/// outside it or for a result that cannot be disputed at all.
pub async fn window(
    conn: &impl sea_orm::ConnectionTrait,
    result: &entities::assessment_result::Model,
    days: u32,
    now: DateTime<Utc>,
) -> DomainResult<NaiveDate> {
    let field = "input.resultId";
    if result.kind != entities::assessment_run::RunKind::Monthly {
        return Err(DomainError::bad(field, "只能对月度考核结果的扣分提出申诉"));
    }
    let Some(published_at) = result.published_at.filter(|_| result.published) else {
        return Err(DomainError::bad(field, "只能对已发布的考核结果提出申诉"));
    };
    let latest = crate::assessments::latest_published(
        conn,
        result.region_id,
        result.vendor_id,
        result.kind,
        &result.period,
    )
    .await?;
    if latest.is_some_and(|l| l.id != result.id) {
        return Err(DomainError::bad(
            field,
            "该考核结果已有更新的发布版本，请对最新发布的结果提出申诉",
        ));
    }
    let calendar = crate::calendar::load(conn).await?;
    let last = last_day(&calendar, published_at, days);
    if local(now).date_naive() > last {
        return Err(DomainError::bad(
            field,
            format!(
                "申诉期限已过：考核结果于{}发布，须在发布后 {days} 个工作日内（{}前，含当日）提出申诉",
                engine::date_text(local(published_at).date_naive()),
                engine::date_text(last),
            ),
        ));
    }
    Ok(last)
}

/// Files the vendor's dispute in `txn` (the caller reads the result through
/// the store, so a result the vendor may not read is `NOT_FOUND`, and
/// records the audit entry). Refused, nothing is written.
pub async fn file(
    txn: &DatabaseTransaction,
    actor: &Actor,
    result: &entities::assessment_result::Model,
    new: NewDispute,
    attachment: Option<Checked>,
    window_days: u32,
    now: DateTime<Utc>,
) -> DomainResult<Dispute> {
    if actor.role
        != (Role::Vendor {
            vendor_id: result.vendor_id,
        })
    {
        return Err(DomainError::forbidden(
            "only the vendor of the result disputes its deductions",
        ));
    }
    let reason = reason("input.reason", new.reason)?;
    window(txn, result, window_days, now).await?;
    let kind = disputable_kind(&new.fact_kind).ok_or_else(|| {
        DomainError::bad(
            "input.factKind",
            format!(
                "“{}”类事实不能申诉（只有事件类事实记录责任与确认）",
                new.fact_kind
            ),
        )
    })?;
    let fact = FactRef {
        kind,
        id: new.fact_id,
    };
    let stored = StoredResult::of(result)?;
    let (indicator, points) = deduction_of(stored.scorecard(), fact)
        .ok_or_else(|| DomainError::bad("input.factId", "该考核结果中没有依据此事实的扣分"))?;
    let key = open_key(kind, fact.id);
    let open = entities::dispute::Entity::find()
        .filter(Column::OpenFact.eq(key.clone()))
        .one(txn)
        .await?;
    if let Some(open) = open {
        return Err(DomainError::bad(
            "input.factId",
            format!(
                "该扣分已有待处理的申诉（申诉 #{}），请等待处理结果",
                open.id
            ),
        ));
    }
    let dispute = entities::dispute::ActiveModel {
        result_id: Set(result.id),
        region_id: Set(result.region_id),
        vendor_id: Set(result.vendor_id),
        period: Set(result.period.clone()),
        fact_kind: Set(kind.as_str().to_owned()),
        fact_id: Set(fact.id),
        indicator: Set(indicator),
        points: Set(points),
        reason: Set(reason),
        status: Set(DisputeStatus::Open),
        open_fact: Set(Some(key)),
        cleared: Set(None),
        decision_reason: Set(None),
        decided_by: Set(None),
        decided_at: Set(None),
        rerun_id: Set(None),
        created_by: Set(actor.user_id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    if let Some(file) = attachment {
        let (file_name, content_type, bytes) = file.into_parts();
        let size = i64::try_from(bytes.len()).map_err(DomainError::internal)?;
        entities::dispute_attachment::ActiveModel {
            dispute_id: Set(dispute.id),
            file_name: Set(file_name),
            content_type: Set(content_type.to_owned()),
            size: Set(size),
            bytes: Set(bytes),
            uploaded_by: Set(actor.user_id),
            uploaded_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    Ok(dispute)
}

/// A reason as given: trimmed, required, at most `MAX_REASON_CHARS`; the
/// refusal in Chinese, naming `field`.
pub fn reason(field: &str, text: String) -> DomainResult<String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(DomainError::bad(field, "请填写理由（不能为空）"));
    }
    if text.contains('\0') || text.chars().count() > MAX_REASON_CHARS {
        return Err(DomainError::bad(
            field,
            format!("理由不能超过 {MAX_REASON_CHARS} 字，且不能含控制字符"),
        ));
    }
    Ok(text.to_owned())
}

/// A supervisor's decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// The fact's flag is set false; the reason is optional.
    Accept {
        clear: ClearedFlag,
        reason: Option<String>,
    },
    /// Nothing changes but the dispute; the reason is required.
    Reject { reason: String },
}

impl Decision {
    /// The operation its audit entry names (the GraphQL mutation's name).
    pub fn operation(&self) -> &'static str {
        match self {
            Self::Accept { .. } => "acceptDispute",
            Self::Reject { .. } => "rejectDispute",
        }
    }
}

/// The region's supervisors (and administrators) decide.
pub fn may_decide(actor: &Actor, dispute: &Dispute) -> bool {
    access::can_modify(actor, &Policy::FACT, Disputes::scope(dispute))
}

/// Decides an open dispute in `txn`: accepted, the fact's flag cleared
/// through the store (its own audit entry); the dispute closed either way,
/// with its own entry. The dispute is read in `txn` by the caller's reach
/// (`NOT_FOUND` outside it, `FORBIDDEN` for a reader who may not decide).
pub async fn decide(
    txn: &mut AuditedTxn<'_>,
    actor: &Actor,
    dispute_id: i64,
    decision: Decision,
    now: DateTime<Utc>,
) -> DomainResult<Dispute> {
    let dispute = entities::dispute::Entity::find_by_id(dispute_id)
        .one(&**txn)
        .await?
        .filter(|d| access::can_read(actor, &Policy::FACT, Disputes::scope(d)))
        .ok_or_else(|| DomainError::not_found(format!("Dispute {dispute_id}")))?;
    if !may_decide(actor, &dispute) {
        return Err(DomainError::forbidden(
            "only the region's supervisors decide disputes",
        ));
    }
    if dispute.status != DisputeStatus::Open {
        return Err(DomainError::bad("id", "该申诉已处理，不能再次处理"));
    }
    let before = dispute.clone();
    let mut active = dispute.into_active_model();
    match decision {
        Decision::Accept { clear, reason: r } => {
            let r = r
                .filter(|t| !t.trim().is_empty())
                .map(|t| reason("reason", t))
                .transpose()?;
            let kind = disputable_kind(&before.fact_kind).ok_or_else(|| {
                DomainError::Internal(
                    format!(
                        "dispute {}: kind {} is not disputable",
                        before.id, before.fact_kind
                    )
                    .into(),
                )
            })?;
            clear_flag(txn, actor, kind, before.fact_id, clear).await?;
            active.status = Set(DisputeStatus::Accepted);
            active.cleared = Set(Some(clear));
            active.decision_reason = Set(r);
        }
        Decision::Reject { reason: r } => {
            active.status = Set(DisputeStatus::Rejected);
            active.decision_reason = Set(Some(reason("reason", r)?));
        }
    }
    active.open_fact = Set(None);
    active.decided_by = Set(Some(actor.user_id));
    active.decided_at = Set(Some(now));
    let saved = active.update(&**txn).await?;
    let change = Change::on(Disputes::NAME, Some(saved.id), Disputes::scope(&saved))
        .updated(&before, &saved)?;
    txn.record(change).await?;
    Ok(saved)
}

/// A fact model with both flags.
trait Flagged: Writable {
    fn flag(row: &mut Self::Model, which: ClearedFlag) -> &mut bool;
}

macro_rules! flagged {
    ($($resource:ty),+ $(,)?) => {$(
        impl Flagged for $resource {
            fn flag(row: &mut Self::Model, which: ClearedFlag) -> &mut bool {
                match which {
                    ClearedFlag::VendorLiable => &mut row.vendor_liable,
                    ClearedFlag::Confirmed => &mut row.confirmed,
                }
            }
        }
    )+};
}

flagged!(
    WorkOrders,
    UnticketedDeliveries,
    ServiceTasks,
    Complaints,
    Outages,
    Faults,
    Changes,
    Violations,
    SecurityRisks,
    SecurityAccidents,
);

async fn clear_flag(
    txn: &mut AuditedTxn<'_>,
    actor: &Actor,
    kind: FactKind,
    id: i64,
    which: ClearedFlag,
) -> DomainResult<()> {
    async fn clear<R: Flagged>(
        txn: &mut AuditedTxn<'_>,
        actor: &Actor,
        id: i64,
        which: ClearedFlag,
    ) -> DomainResult<()> {
        store::update_in::<R>(txn, actor, id, |row| {
            *R::flag(row, which) = false;
            Ok(())
        })
        .await
        .map(|_| ())
    }
    match kind {
        FactKind::WorkOrder => clear::<WorkOrders>(txn, actor, id, which).await,
        FactKind::UnticketedDelivery => clear::<UnticketedDeliveries>(txn, actor, id, which).await,
        FactKind::ServiceTask => clear::<ServiceTasks>(txn, actor, id, which).await,
        FactKind::Complaint => clear::<Complaints>(txn, actor, id, which).await,
        FactKind::Outage => clear::<Outages>(txn, actor, id, which).await,
        FactKind::Fault => clear::<Faults>(txn, actor, id, which).await,
        FactKind::Change => clear::<Changes>(txn, actor, id, which).await,
        FactKind::Violation => clear::<Violations>(txn, actor, id, which).await,
        FactKind::SecurityRisk => clear::<SecurityRisks>(txn, actor, id, which).await,
        FactKind::SecurityAccident => clear::<SecurityAccidents>(txn, actor, id, which).await,
        other => Err(DomainError::Internal(
            format!("{} has no flags to clear", other.as_str()).into(),
        )),
    }
}

/// Links the run that re-assessed the month to the accepted dispute. Not an
/// audit entry of its own: the decision and the run each have theirs; this
/// only lets the dispute's page lead to the new revision.
pub async fn link_rerun(db: &DatabaseConnection, dispute_id: i64, run_id: i64) -> DomainResult<()> {
    use sea_orm::sea_query::Expr;
    entities::dispute::Entity::update_many()
        .col_expr(Column::RerunId, Expr::value(run_id))
        .filter(Column::Id.eq(dispute_id))
        .exec(db)
        .await?;
    Ok(())
}

/// The disputes of a vendor's month the actor may read, oldest first (a
/// scorecard shows them against its deductions, whatever the revision).
pub async fn of_month(
    db: &DatabaseConnection,
    actor: &Actor,
    region_id: i64,
    vendor_id: i64,
    period: &str,
) -> DomainResult<Vec<Dispute>> {
    let filter = ListFilter {
        region_id: Some(region_id),
        vendor_id: Some(vendor_id),
        ..ListFilter::default()
    };
    let also = Condition::all().add(Column::Period.eq(period));
    Ok(store::list_where::<Disputes>(
        db,
        actor,
        filter,
        also,
        None,
        Some(crate::page::MAX_LIMIT as i64),
    )
    .await?
    .items)
}

/// The disputes the actor may read (at most `MAX_LIMIT`): open ones first,
/// then the newest.
pub async fn open_first(db: &DatabaseConnection, actor: &Actor) -> DomainResult<Vec<Dispute>> {
    let limit = crate::page::MAX_LIMIT as i64;
    let mut rows = Vec::new();
    for open in [true, false] {
        let also = if open {
            Condition::all().add(Column::Status.eq(DisputeStatus::Open))
        } else {
            Condition::all().add(Column::Status.ne(DisputeStatus::Open))
        };
        let total = store::list_where::<Disputes>(
            db,
            actor,
            ListFilter::default(),
            also.clone(),
            None,
            Some(1),
        )
        .await?
        .total;
        let offset = total.saturating_sub(limit as u64) as i64;
        let mut page = store::list_where::<Disputes>(
            db,
            actor,
            ListFilter::default(),
            also,
            Some(offset),
            Some(limit),
        )
        .await?
        .items;
        page.reverse();
        rows.extend(page);
    }
    rows.truncate(limit as usize);
    Ok(rows)
}

/// A dispute's file as listed: everything but its bytes.
#[derive(Clone, Debug, FromQueryResult)]
pub struct AttachmentInfo {
    pub id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub uploaded_at: DateTime<Utc>,
}

/// The file of a dispute the actor may read, if it has one.
pub async fn attachment(
    db: &DatabaseConnection,
    actor: &Actor,
    dispute_id: i64,
) -> DomainResult<Option<AttachmentInfo>> {
    use entities::dispute_attachment::{Column as C, Entity};
    let dispute = store::get::<Disputes>(db, actor, dispute_id).await?;
    let _db = crate::db_share::permit().await;
    Ok(Entity::find()
        .select_only()
        .columns([C::Id, C::FileName, C::ContentType, C::Size, C::UploadedAt])
        .filter(C::DisputeId.eq(dispute.id))
        .into_model::<AttachmentInfo>()
        .one(db)
        .await?)
}

/// The file of a dispute with its bytes, for who may read the dispute; none
/// (or a dispute out of reach) is `NOT_FOUND`.
pub async fn download(
    db: &DatabaseConnection,
    actor: &Actor,
    dispute_id: i64,
) -> DomainResult<entities::dispute_attachment::Model> {
    use entities::dispute_attachment::{Column as C, Entity};
    let dispute = store::get::<Disputes>(db, actor, dispute_id).await?;
    let _db = crate::db_share::permit().await;
    Entity::find()
        .filter(C::DisputeId.eq(dispute.id))
        .one(db)
        .await?
        .ok_or_else(|| DomainError::not_found(format!("attachment of dispute {dispute_id}")))
}

/// The result row of a dispute's page: the vendor's read goes through the
/// store (its own published results only).
pub async fn result_of(
    db: &DatabaseConnection,
    actor: &Actor,
    dispute: &Dispute,
) -> DomainResult<Option<entities::assessment_result::Model>> {
    Ok(
        store::get_many::<AssessmentResults>(db, actor, vec![dispute.result_id])
            .await?
            .remove(&dispute.result_id),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(t: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(t)
            .expect("instant")
            .with_timezone(&Utc)
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    /// Published on Tuesday 30 September 2025 (Shanghai): 1–8 October is the
    /// National Day holiday and Saturday 11 October a make-up working day, so
    /// the 5 working days are 9, 10, 11, 13 and 14 October: the last day is
    /// 14 October 2025.
    #[test]
    fn the_window_counts_working_days_by_the_calendar() {
        let calendar = WorkCalendar::builtin();
        let last = last_day(&calendar, at("2025-09-30T10:00:00+08:00"), 5);
        assert_eq!(last, date(2025, 10, 14));
    }

    /// 23:30 on 30 September in Shanghai is 15:30 UTC the same day, 00:30 on
    /// 1 October in Shanghai is 16:30 UTC on 30 September: the day of
    /// publication is the local one. Published on the holiday 1 October, the
    /// count starts on the same 9 October: last day 14 October again; on
    /// Thursday 25 September (26, 28 make-up Sunday, 29, 30, 9 October), 9
    /// October.
    #[test]
    fn the_day_of_publication_is_the_local_day() {
        let calendar = WorkCalendar::builtin();
        assert_eq!(
            last_day(&calendar, at("2025-09-30T15:30:00Z"), 5),
            date(2025, 10, 14)
        );
        assert_eq!(
            last_day(&calendar, at("2025-09-30T16:30:00Z"), 5),
            date(2025, 10, 14)
        );
        assert_eq!(
            last_day(&calendar, at("2025-09-25T10:00:00+08:00"), 5),
            date(2025, 10, 9)
        );
    }

    /// Without the year in the calendar, Monday to Friday count: published on
    /// Friday 7 January 2095, the 5 days are 10 to 14 January.
    #[test]
    fn a_year_without_a_calendar_counts_weekdays() {
        let calendar = WorkCalendar::empty();
        assert_eq!(
            last_day(&calendar, at("2095-01-07T10:00:00+08:00"), 5),
            date(2095, 1, 14)
        );
    }

    #[test]
    fn only_events_are_disputable() {
        assert_eq!(disputable_kind("complaint"), Some(FactKind::Complaint));
        assert_eq!(disputable_kind("work_order"), Some(FactKind::WorkOrder));
        assert_eq!(disputable_kind("attendance"), None);
        assert_eq!(disputable_kind("survey_response"), None);
        assert_eq!(disputable_kind("nonsense"), None);
    }

    #[test]
    fn a_reason_is_required() {
        assert!(reason("input.reason", "  ".into()).is_err());
        assert_eq!(
            reason("input.reason", " 该投诉系用户误报 ".into()).expect("ok"),
            "该投诉系用户误报"
        );
    }
}
