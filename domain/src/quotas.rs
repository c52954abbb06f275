//! Songjiang's resource quotas (issue 16 item 2, spec §6; seed 004 §5): a
//! system's quota of one catalogue item applied for on the district's
//! 资源申请表, approved or rejected by the region's supervisor, delivered within
//! 5 working days of the three-party agreement; its changes on the
//! 资源变更申请表: an expansion that would bring the item beyond 120 % of its
//! quota is refused with the figures, a reclaim lowers use, not the quota.
//!
//! Supervisors of the region (and administrators) write; the vendor of the
//! quota and the agency of the system read their own. Every write is audited.
//! The arithmetic is the engine's (`engine::quotas`).

use chrono::{DateTime, NaiveDate, Utc};
use engine::calendar::WorkCalendar;
use engine::quotas::{DELIVERY_WORKING_DAYS, ExpansionRule, FreePeriod, ItemQuota, QuotaError};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Set,
};

use crate::access::{self, AgencyAccess, Policy, Scope, SupervisorAccess};
use crate::actor::Actor;
use crate::audit::{Audit, AuditedTxn, Change};
use crate::error::{DomainError, DomainResult};
use crate::store::{Resource, TimeColumn};

use entities::quota::Column;
pub use entities::quota::{Model as Quota, QuotaStatus};
pub use entities::quota_change::{Model as QuotaChange, QuotaChangeKind, QuotaChangeStatus};

/// Supervisors of the region write; the vendor and the agency read their own.
pub const POLICY: Policy = Policy {
    everyone_reads: false,
    supervisor: SupervisorAccess::Region,
    vendor_reads_own: true,
    agency: AgencyAccess::ReadOwn,
};

resource!(Quotas => quota, name: "Quota", policy: POLICY,
    region: Some(Column::RegionId), vendor: Some(Column::VendorId), agency: Some(Column::AgencyId),
    time: TimeColumn::Instant(Column::AppliedAt),
    scope: |m| Scope { region: Some(m.region_id), vendor: Some(m.vendor_id), agency: Some(m.agency_id) });

/// The longest note or reason (characters).
pub const MAX_TEXT_CHARS: usize = 2000;

/// What the 资源申请表 asks for.
#[derive(Clone, Debug)]
pub struct NewQuota {
    pub system_id: i64,
    pub item_id: i64,
    pub quantity: Decimal,
    /// Test resources: their free months (1–3); `None` for formal resources.
    pub test_months: Option<i32>,
    pub note: Option<String>,
}

/// The scope of a system: the quota inherits its region, vendor and agency.
fn system_scope(system: &entities::information_system::Model) -> Scope {
    Scope {
        region: Some(system.region_id),
        vendor: Some(system.vendor_id),
        agency: Some(system.agency_id),
    }
}

/// A positive quantity with at most two decimals.
pub fn quantity(field: &str, value: Decimal) -> DomainResult<Decimal> {
    let value = crate::validate::money(field, value)?;
    if value.is_zero() {
        return Err(DomainError::bad(field, "数量必须大于 0"));
    }
    Ok(value)
}

/// A required text (a reason), trimmed, at most `MAX_TEXT_CHARS`.
pub fn required_text(field: &str, text: String) -> DomainResult<String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(DomainError::bad(field, "请填写理由（不能为空）"));
    }
    optional_text(field, Some(text.to_owned())).map(Option::unwrap_or_default)
}

fn optional_text(field: &str, text: Option<String>) -> DomainResult<Option<String>> {
    let Some(text) = text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if text.contains('\0') || text.chars().count() > MAX_TEXT_CHARS {
        return Err(DomainError::bad(
            field,
            format!("不能超过 {MAX_TEXT_CHARS} 字，且不能含控制字符"),
        ));
    }
    Ok(Some(text))
}

/// Applies for a quota (资源申请表), as the region's supervisor enters it.
pub async fn apply(
    db: &DatabaseConnection,
    actor: &Actor,
    audit: &Audit,
    new: NewQuota,
    now: DateTime<Utc>,
) -> DomainResult<Quota> {
    let quantity = quantity("input.quantity", new.quantity)?;
    if let Some(months) = new.test_months {
        let months = u32::try_from(months).unwrap_or(0);
        if FreePeriod::new(engine::period::Month::of(now), months).is_err() {
            return Err(DomainError::bad(
                "input.testMonths",
                "测试资源的免费期为 1–3 个月",
            ));
        }
    }
    let note = optional_text("input.note", new.note)?;
    let _db = crate::db_share::permit().await;
    let mut txn = audit.begin(db).await?;
    let system = entities::information_system::Entity::find_by_id(new.system_id)
        .one(&*txn)
        .await?
        .filter(|s| access::can_read(actor, &POLICY, system_scope(s)))
        .ok_or_else(|| DomainError::bad("input.systemId", "没有该信息系统"))?;
    if !access::can_create(actor, &POLICY, system_scope(&system)) {
        return Err(DomainError::forbidden(
            "only the region's supervisors apply for quotas",
        ));
    }
    item(&*txn, new.item_id).await?;
    let saved = entities::quota::ActiveModel {
        region_id: Set(system.region_id),
        agency_id: Set(system.agency_id),
        system_id: Set(system.id),
        vendor_id: Set(system.vendor_id),
        item_id: Set(new.item_id),
        quantity: Set(quantity),
        status: Set(QuotaStatus::Applied),
        is_test: Set(new.test_months.is_some()),
        test_months: Set(new.test_months),
        applied_at: Set(now),
        applied_by: Set(Some(actor.user_id)),
        approved_by: Set(None),
        approved_at: Set(None),
        agreement_on: Set(None),
        delivered_on: Set(None),
        note: Set(note),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    let change = Change::on(Quotas::NAME, Some(saved.id), Quotas::scope(&saved)).created(&saved)?;
    txn.record(change).await?;
    txn.commit().await?;
    Ok(saved)
}

/// The catalogue item `id`, or a refusal naming `input.itemId`.
pub async fn item(
    conn: &impl ConnectionTrait,
    id: i64,
) -> DomainResult<entities::catalogue_item::Model> {
    entities::catalogue_item::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(|| DomainError::bad("input.itemId", "服务目录中没有该项目"))
}

/// The quota `id` as the actor may write it: `NOT_FOUND` outside its reading
/// reach, `FORBIDDEN` for a reader who may not write.
async fn writable(txn: &AuditedTxn<'_>, actor: &Actor, id: i64) -> DomainResult<Quota> {
    let quota = entities::quota::Entity::find_by_id(id)
        .one(&**txn)
        .await?
        .filter(|q| access::can_read(actor, &POLICY, Quotas::scope(q)))
        .ok_or_else(|| DomainError::not_found(format!("Quota {id}")))?;
    if !access::can_modify(actor, &POLICY, Quotas::scope(&quota)) {
        return Err(DomainError::forbidden(
            "only the region's supervisors decide on quotas",
        ));
    }
    Ok(quota)
}

/// Saves `after` over `before` with its audit entry; `extra` adds a field
/// the row has no column for (a rejection's reason).
async fn save(
    txn: &mut AuditedTxn<'_>,
    before: &Quota,
    after: Quota,
    extra: Option<(&str, String)>,
) -> DomainResult<Quota> {
    let saved = after.into_active_model().reset_all().update(&**txn).await?;
    let mut change =
        Change::on(Quotas::NAME, Some(saved.id), Quotas::scope(&saved)).updated(before, &saved)?;
    if let Some((key, value)) = extra {
        change = change.with_after_field(key, value.into());
    }
    txn.record(change).await?;
    Ok(saved)
}

/// A supervisor's decision on an application.
#[derive(Clone, Debug)]
pub enum QuotaDecision {
    Approve,
    Reject { reason: String },
}

impl QuotaDecision {
    /// The GraphQL mutation its audit entry names.
    pub fn operation(&self) -> &'static str {
        match self {
            Self::Approve => "approveQuota",
            Self::Reject { .. } => "rejectQuota",
        }
    }
}

/// Approves or rejects an applied quota: the approver and the instant are
/// recorded; a rejection's reason is kept in the audit entry.
pub async fn decide(
    db: &DatabaseConnection,
    actor: &Actor,
    audit: &Audit,
    id: i64,
    decision: QuotaDecision,
    now: DateTime<Utc>,
) -> DomainResult<Quota> {
    let _db = crate::db_share::permit().await;
    let mut txn = audit.begin(db).await?;
    let before = writable(&txn, actor, id).await?;
    if before.status != QuotaStatus::Applied {
        return Err(DomainError::bad("id", "该配额申请已处理，不能再次审批"));
    }
    let mut after = before.clone();
    after.approved_by = Some(actor.user_id);
    after.approved_at = Some(now);
    let extra = match decision {
        QuotaDecision::Approve => {
            after.status = QuotaStatus::Approved;
            None
        }
        QuotaDecision::Reject { reason } => {
            after.status = QuotaStatus::Rejected;
            Some(("reason", required_text("reason", reason)?))
        }
    };
    let saved = save(&mut txn, &before, after, extra).await?;
    txn.commit().await?;
    Ok(saved)
}

/// Records the day of the three-party agreement and, once delivered, the day
/// of delivery of an approved quota.
pub async fn record_delivery(
    db: &DatabaseConnection,
    actor: &Actor,
    audit: &Audit,
    id: i64,
    agreement_on: NaiveDate,
    delivered_on: Option<NaiveDate>,
) -> DomainResult<Quota> {
    if delivered_on.is_some_and(|d| d < agreement_on) {
        return Err(DomainError::bad(
            "input.deliveredOn",
            "交付日期不能早于三方协议签订日期",
        ));
    }
    let _db = crate::db_share::permit().await;
    let mut txn = audit.begin(db).await?;
    let before = writable(&txn, actor, id).await?;
    if !is_approved(before.status) {
        return Err(DomainError::bad("id", "配额尚未批准，不能登记交付"));
    }
    let mut after = before.clone();
    after.agreement_on = Some(agreement_on);
    after.delivered_on = delivered_on;
    after.status = if delivered_on.is_some() {
        QuotaStatus::Delivered
    } else {
        QuotaStatus::Approved
    };
    let saved = save(&mut txn, &before, after, None).await?;
    txn.commit().await?;
    Ok(saved)
}

fn is_approved(status: QuotaStatus) -> bool {
    matches!(status, QuotaStatus::Approved | QuotaStatus::Delivered)
}

/// Where a quota's delivery stands: due 5 working days after the agreement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delivery {
    pub agreement_on: NaiveDate,
    pub due_on: NaiveDate,
    pub delivered_on: Option<NaiveDate>,
    /// Calendar days past the due day (delivered late, or still undelivered
    /// after it): shown as 逾期 N 天; 0 when on time or not yet due.
    pub days_late: i64,
}

/// The delivery of `quota` on `today`; `None` before the agreement is
/// recorded. A year the calendar does not hold is an error, not a guess.
pub fn delivery(
    calendar: &WorkCalendar,
    quota: &Quota,
    today: NaiveDate,
) -> DomainResult<Option<Delivery>> {
    let Some(agreement_on) = quota.agreement_on else {
        return Ok(None);
    };
    let due_on = engine::quotas::delivery_deadline(calendar, agreement_on, DELIVERY_WORKING_DAYS)
        .map_err(|e| DomainError::bad("agreementOn", e.to_string()))?;
    let until = quota.delivered_on.unwrap_or(today);
    Ok(Some(Delivery {
        agreement_on,
        due_on,
        delivered_on: quota.delivered_on,
        days_late: (until - due_on).num_days().max(0),
    }))
}

/// What a change asks.
#[derive(Clone, Debug)]
pub struct NewChange {
    pub kind: QuotaChangeKind,
    pub quantity: Decimal,
    pub reason: String,
}

/// An item of a system as approved: the quotas, the approved expansions and
/// reclaims, in the engine's terms.
pub async fn item_state(
    conn: &impl ConnectionTrait,
    system_id: i64,
    item_id: i64,
) -> DomainResult<ItemState> {
    let quotas = entities::quota::Entity::find()
        .filter(Column::SystemId.eq(system_id))
        .filter(Column::ItemId.eq(item_id))
        .filter(Column::Status.is_in([QuotaStatus::Approved, QuotaStatus::Delivered]))
        .all(conn)
        .await?;
    let ids: Vec<i64> = quotas.iter().map(|q| q.id).collect();
    let changes = entities::quota_change::Entity::find()
        .filter(entities::quota_change::Column::QuotaId.is_in(ids))
        .filter(entities::quota_change::Column::Status.eq(QuotaChangeStatus::Approved))
        .all(conn)
        .await?;
    let sum = |kind: QuotaChangeKind| -> Decimal {
        changes
            .iter()
            .filter(|c| c.kind == kind)
            .map(|c| c.quantity)
            .sum()
    };
    Ok(ItemState {
        quota: quotas.iter().map(|q| q.quantity).sum(),
        expanded: sum(QuotaChangeKind::Expand),
        reclaimed: sum(QuotaChangeKind::Reclaim),
    })
}

/// An item's approved figures, summed over the system's approved quotas of it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ItemState {
    pub quota: Decimal,
    pub expanded: Decimal,
    pub reclaimed: Decimal,
}

impl ItemState {
    /// What is in use: the quota, plus expansions, minus what was reclaimed.
    pub fn in_use(&self) -> Decimal {
        self.quota + self.expanded - self.reclaimed
    }

    /// What usage may reach without a flag: the quota plus approved expansions.
    pub fn approved(&self) -> Decimal {
        self.quota + self.expanded
    }

    /// The 120 % line (上限): reclaiming never lowers it.
    pub fn limit(&self) -> Decimal {
        self.quota * ExpansionRule::default().ceiling
    }

    /// The engine's view of the item named `name`.
    pub fn engine(&self, name: &str) -> ItemQuota {
        ItemQuota {
            item: name.to_owned(),
            quota: self.quota,
            in_use: self.in_use(),
        }
    }

    /// Checks `change` against the ceiling (expansion) or the use (reclaim):
    /// the refusal in Chinese with the figures, naming `input.quantity`.
    pub fn admits(&self, name: &str, kind: QuotaChangeKind, amount: Decimal) -> DomainResult<()> {
        let item = self.engine(name);
        let checked = match kind {
            QuotaChangeKind::Expand => item.expand(amount, &ExpansionRule::default()),
            QuotaChangeKind::Reclaim => item.reclaim(amount),
        };
        checked.map(|_| ()).map_err(|e| {
            let reason = match e {
                QuotaError::BeyondCeiling(refusal) => refusal.text(),
                QuotaError::ReclaimBeyondUse {
                    item,
                    reclaimed,
                    in_use,
                } => format!(
                    "回收数量 {} 超过{}在用数量 {}",
                    reclaimed.normalize(),
                    item,
                    in_use.normalize()
                ),
                other => other.to_string(),
            };
            DomainError::bad("input.quantity", reason)
        })
    }
}

/// Requests a change (资源变更申请表) of an approved quota: an expansion beyond
/// the ceiling, or a reclaim beyond use, is refused at once.
pub async fn request_change(
    db: &DatabaseConnection,
    actor: &Actor,
    audit: &Audit,
    quota_id: i64,
    new: NewChange,
    now: DateTime<Utc>,
) -> DomainResult<QuotaChange> {
    let amount = quantity("input.quantity", new.quantity)?;
    let reason = required_text("input.reason", new.reason)?;
    let _db = crate::db_share::permit().await;
    let mut txn = audit.begin(db).await?;
    let quota = writable(&txn, actor, quota_id).await?;
    if !is_approved(quota.status) {
        return Err(DomainError::bad("quotaId", "配额尚未批准，不能申请变更"));
    }
    let item = item(&*txn, quota.item_id).await?;
    item_state(&*txn, quota.system_id, quota.item_id)
        .await?
        .admits(&item.name, new.kind, amount)?;
    let saved = entities::quota_change::ActiveModel {
        quota_id: Set(quota.id),
        kind: Set(new.kind),
        quantity: Set(amount),
        status: Set(QuotaChangeStatus::Requested),
        reason: Set(reason),
        requested_by: Set(Some(actor.user_id)),
        requested_at: Set(now),
        decided_by: Set(None),
        decided_at: Set(None),
        decision_reason: Set(None),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    let change =
        Change::on("QuotaChange", Some(saved.id), Quotas::scope(&quota)).created(&saved)?;
    txn.record(change).await?;
    txn.commit().await?;
    Ok(saved)
}

/// Approves (checked again against the ceiling: other changes may have been
/// approved since the request) or refuses a requested change.
pub async fn decide_change(
    db: &DatabaseConnection,
    actor: &Actor,
    audit: &Audit,
    change_id: i64,
    approve: bool,
    reason: Option<String>,
    now: DateTime<Utc>,
) -> DomainResult<QuotaChange> {
    let _db = crate::db_share::permit().await;
    let mut txn = audit.begin(db).await?;
    let not_found = || DomainError::not_found(format!("QuotaChange {change_id}"));
    let before = entities::quota_change::Entity::find_by_id(change_id)
        .one(&*txn)
        .await?
        .ok_or_else(not_found)?;
    let quota = writable(&txn, actor, before.quota_id)
        .await
        .map_err(|e| match e {
            DomainError::NotFound(_) => not_found(),
            other => other,
        })?;
    if before.status != QuotaChangeStatus::Requested {
        return Err(DomainError::bad("id", "该变更申请已处理，不能再次处理"));
    }
    let mut after = before.clone();
    if approve {
        let item = item(&*txn, quota.item_id).await?;
        item_state(&*txn, quota.system_id, quota.item_id)
            .await?
            .admits(&item.name, before.kind, before.quantity)?;
        after.status = QuotaChangeStatus::Approved;
        after.decision_reason = optional_text("reason", reason)?;
    } else {
        after.status = QuotaChangeStatus::Refused;
        after.decision_reason = Some(required_text("reason", reason.unwrap_or_default())?);
    }
    after.decided_by = Some(actor.user_id);
    after.decided_at = Some(now);
    let saved = after.into_active_model().reset_all().update(&*txn).await?;
    let change = Change::on("QuotaChange", Some(saved.id), Quotas::scope(&quota))
        .updated(&before, &saved)?;
    txn.record(change).await?;
    txn.commit().await?;
    Ok(saved)
}

/// The changes of a quota the actor may read, oldest first.
pub async fn changes(
    db: &DatabaseConnection,
    actor: &Actor,
    quota_id: i64,
) -> DomainResult<Vec<QuotaChange>> {
    crate::store::get::<Quotas>(db, actor, quota_id).await?;
    let _db = crate::db_share::permit().await;
    Ok(entities::quota_change::Entity::find()
        .filter(entities::quota_change::Column::QuotaId.eq(quota_id))
        .order_by_asc(entities::quota_change::Column::Id)
        .all(db)
        .await?)
}
