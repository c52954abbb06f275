//! Quotas and usage through GraphQL (issue 16 items 2–3): the region's
//! supervisors apply for a system's quota of a catalogue item, approve or
//! reject it, record its agreement and delivery days, request and decide its
//! changes (an expansion beyond 120 % of the item's quota is refused with
//! the figures); they enter or import the monthly usage. The vendor and the
//! agency read their own. The rules are `domain::quotas` and `domain::usage`.

use async_graphql::{ComplexObject, Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use rust_decimal::Decimal;

use super::nested::id;
use crate::error::{DomainError, DomainResult, GqlResult};
use crate::graphql::crud;
use domain::period::local;
use domain::quotas::{self as rules, NewChange, NewQuota, QuotaChangeKind, QuotaDecision};
use domain::usage::{self, UsageFilter, UsageLine, UsageRow};

pub use domain::quotas::Quotas;
pub use domain::usage::UsageRecords;

/// Where an application stands.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum QuotaState {
    Applied,
    Approved,
    Delivered,
    Rejected,
}

impl From<rules::QuotaStatus> for QuotaState {
    fn from(s: rules::QuotaStatus) -> Self {
        match s {
            rules::QuotaStatus::Applied => Self::Applied,
            rules::QuotaStatus::Approved => Self::Approved,
            rules::QuotaStatus::Delivered => Self::Delivered,
            rules::QuotaStatus::Rejected => Self::Rejected,
        }
    }
}

/// 扩容 or 回收.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum QuotaChangeType {
    Expand,
    Reclaim,
}

impl From<QuotaChangeType> for QuotaChangeKind {
    fn from(k: QuotaChangeType) -> Self {
        match k {
            QuotaChangeType::Expand => Self::Expand,
            QuotaChangeType::Reclaim => Self::Reclaim,
        }
    }
}

impl From<QuotaChangeKind> for QuotaChangeType {
    fn from(k: QuotaChangeKind) -> Self {
        match k {
            QuotaChangeKind::Expand => Self::Expand,
            QuotaChangeKind::Reclaim => Self::Reclaim,
        }
    }
}

/// Where a change request stands.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum QuotaChangeState {
    Requested,
    Approved,
    Refused,
}

impl From<rules::QuotaChangeStatus> for QuotaChangeState {
    fn from(s: rules::QuotaChangeStatus) -> Self {
        match s {
            rules::QuotaChangeStatus::Requested => Self::Requested,
            rules::QuotaChangeStatus::Approved => Self::Approved,
            rules::QuotaChangeStatus::Refused => Self::Refused,
        }
    }
}

/// A system's quota of one catalogue item (资源申请表).
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct Quota {
    pub id: ID,
    pub region_id: ID,
    pub agency_id: ID,
    pub system_id: ID,
    pub vendor_id: ID,
    pub item_id: ID,
    pub quantity: Decimal,
    pub status: QuotaState,
    /// Test resources (测试资源), free for `testMonths` months.
    pub is_test: bool,
    pub test_months: Option<i32>,
    pub applied_at: DateTime<FixedOffset>,
    /// Who approved or rejected, and when.
    pub approved_by_id: Option<ID>,
    pub approved_at: Option<DateTime<FixedOffset>>,
    /// The three-party agreement's day; delivery is due 5 working days after.
    pub agreement_on: Option<NaiveDate>,
    pub delivered_on: Option<NaiveDate>,
    pub note: Option<String>,
    #[graphql(skip)]
    pub row: rules::Quota,
}

impl From<rules::Quota> for Quota {
    fn from(m: rules::Quota) -> Self {
        Self {
            id: id(m.id),
            region_id: id(m.region_id),
            agency_id: id(m.agency_id),
            system_id: id(m.system_id),
            vendor_id: id(m.vendor_id),
            item_id: id(m.item_id),
            quantity: engine::two_dp(m.quantity),
            status: m.status.into(),
            is_test: m.is_test,
            test_months: m.test_months,
            applied_at: local(m.applied_at),
            approved_by_id: m.approved_by.map(id),
            approved_at: m.approved_at.map(local),
            agreement_on: m.agreement_on,
            delivered_on: m.delivered_on,
            note: m.note.clone(),
            row: m,
        }
    }
}

/// The delivery of a quota: due 5 working days after the agreement.
#[derive(SimpleObject)]
pub struct QuotaDelivery {
    pub agreement_on: NaiveDate,
    pub due_on: NaiveDate,
    pub delivered_on: Option<NaiveDate>,
    /// Days past the due day (逾期), delivered late or still undelivered; 0 otherwise.
    pub days_late: i64,
}

/// The system's item as approved, over all its approved quotas of the item.
#[derive(SimpleObject)]
pub struct QuotaFigures {
    /// The approved quota (配额).
    pub quota: Decimal,
    /// Approved expansions and reclaims.
    pub expanded: Decimal,
    pub reclaimed: Decimal,
    /// Quota + expansions − reclaims.
    pub in_use: Decimal,
    /// Quota + expansions: usage above it is flagged (超配额).
    pub approved: Decimal,
    /// 120 % of the quota (上限): no expansion goes beyond it.
    pub limit: Decimal,
}

impl From<rules::ItemState> for QuotaFigures {
    fn from(s: rules::ItemState) -> Self {
        Self {
            quota: engine::two_dp(s.quota),
            expanded: engine::two_dp(s.expanded),
            reclaimed: engine::two_dp(s.reclaimed),
            in_use: engine::two_dp(s.in_use()),
            approved: engine::two_dp(s.approved()),
            limit: engine::two_dp(s.limit()),
        }
    }
}

#[ComplexObject]
impl Quota {
    /// Null until the agreement's day is recorded.
    async fn delivery(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<QuotaDelivery>> {
        async {
            let (state, _) = crud::env(ctx)?;
            let calendar = domain::calendar::load(&state.db).await?;
            let today = local(Utc::now()).date_naive();
            Ok::<_, DomainError>(rules::delivery(&calendar, &self.row, today)?.map(|d| {
                QuotaDelivery {
                    agreement_on: d.agreement_on,
                    due_on: d.due_on,
                    delivered_on: d.delivered_on,
                    days_late: d.days_late,
                }
            }))
        }
        .await
        .gql()
    }

    /// The system's figures of this quota's item.
    async fn figures(&self, ctx: &Context<'_>) -> async_graphql::Result<QuotaFigures> {
        async {
            let (state, _) = crud::env(ctx)?;
            let s = rules::item_state(&state.db, self.row.system_id, self.row.item_id).await?;
            Ok::<_, DomainError>(QuotaFigures::from(s))
        }
        .await
        .gql()
    }

    /// Its change requests, oldest first.
    async fn changes(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<QuotaChange>> {
        async {
            let (state, actor) = crud::env(ctx)?;
            let rows = rules::changes(&state.db, actor, self.row.id).await?;
            Ok::<_, DomainError>(rows.into_iter().map(QuotaChange::from).collect())
        }
        .await
        .gql()
    }
}

crud_api!(@read resource: Quotas, object: Quota, page: QuotaPage, query: QuotaQuery { quota, quotas });

/// A change of a quota (资源变更申请表).
#[derive(SimpleObject)]
pub struct QuotaChange {
    pub id: ID,
    pub quota_id: ID,
    pub kind: QuotaChangeType,
    pub quantity: Decimal,
    pub status: QuotaChangeState,
    pub reason: String,
    pub requested_at: DateTime<FixedOffset>,
    pub decided_by_id: Option<ID>,
    pub decided_at: Option<DateTime<FixedOffset>>,
    pub decision_reason: Option<String>,
}

impl From<rules::QuotaChange> for QuotaChange {
    fn from(m: rules::QuotaChange) -> Self {
        Self {
            id: id(m.id),
            quota_id: id(m.quota_id),
            kind: m.kind.into(),
            quantity: engine::two_dp(m.quantity),
            status: m.status.into(),
            reason: m.reason,
            requested_at: local(m.requested_at),
            decided_by_id: m.decided_by.map(id),
            decided_at: m.decided_at.map(local),
            decision_reason: m.decision_reason,
        }
    }
}

/// A system's use of an item in a month.
#[derive(SimpleObject)]
pub struct UsageRecord {
    pub id: ID,
    pub region_id: ID,
    pub vendor_id: ID,
    pub agency_id: ID,
    pub system_id: ID,
    pub item_id: ID,
    /// `2025-07`.
    pub month: String,
    pub quantity: Decimal,
    /// Above the quota plus approved expansions (超配额).
    pub beyond_approved: bool,
    /// IMPORTED or ENTERED.
    pub source: String,
    pub created_at: DateTime<FixedOffset>,
}

impl From<usage::UsageRecord> for UsageRecord {
    fn from(m: usage::UsageRecord) -> Self {
        Self {
            id: id(m.id),
            region_id: id(m.region_id),
            vendor_id: id(m.vendor_id),
            agency_id: id(m.agency_id),
            system_id: id(m.system_id),
            item_id: id(m.item_id),
            month: m.month,
            quantity: engine::two_dp(m.quantity),
            beyond_approved: m.beyond_approved,
            source: match m.source {
                usage::UsageSource::Imported => "IMPORTED",
                usage::UsageSource::Entered => "ENTERED",
            }
            .to_owned(),
            created_at: local(m.created_at),
        }
    }
}

/// One page of usage records.
#[derive(SimpleObject)]
pub struct UsagePage {
    pub items: Vec<UsageRecord>,
    pub total: u64,
    pub offset: u64,
    pub limit: u64,
}

#[derive(InputObject, Default)]
pub struct UsageFilterInput {
    pub region_id: Option<ID>,
    pub system_id: Option<ID>,
    /// First and last month, `YYYY-MM`, inclusive.
    pub from: Option<String>,
    pub to: Option<String>,
}

#[derive(Default)]
pub struct UsageQuery;

#[Object]
impl UsageQuery {
    /// The monthly usage the caller may read (a vendor its own, an agency its
    /// own systems'), by region, system and month range.
    #[graphql(complexity = "crate::graphql::crud::page_complexity(limit, child_complexity)")]
    async fn usage(
        &self,
        ctx: &Context<'_>,
        filter: Option<UsageFilterInput>,
        offset: Option<i64>,
        limit: Option<i64>,
    ) -> async_graphql::Result<UsagePage> {
        async {
            let (state, actor) = crud::env(ctx)?;
            let f = filter.unwrap_or_default();
            let filter = UsageFilter {
                region_id: crud::parse_opt_id("filter.regionId", &f.region_id)?,
                system_id: crud::parse_opt_id("filter.systemId", &f.system_id)?,
                from: f.from,
                to: f.to,
            };
            let page = usage::list(&state.db, actor, filter, offset, limit).await?;
            Ok::<_, DomainError>(UsagePage {
                items: page.items.into_iter().map(UsageRecord::from).collect(),
                total: page.total,
                offset: page.offset,
                limit: page.limit,
            })
        }
        .await
        .gql()
    }
}

#[derive(InputObject)]
pub struct ApplyQuotaInput {
    pub system_id: ID,
    pub item_id: ID,
    pub quantity: Decimal,
    /// Test resources: the free months, 1–3; omitted for formal resources.
    pub test_months: Option<i32>,
    pub note: Option<String>,
}

#[derive(InputObject)]
pub struct QuotaDeliveryInput {
    /// The day of the three-party agreement.
    pub agreement_on: NaiveDate,
    /// The day the resources were delivered; omitted while not yet delivered.
    pub delivered_on: Option<NaiveDate>,
}

#[derive(InputObject)]
pub struct QuotaChangeInput {
    pub kind: QuotaChangeType,
    pub quantity: Decimal,
    pub reason: String,
}

#[derive(InputObject)]
pub struct RecordUsageInput {
    pub system_id: ID,
    pub item_id: ID,
    /// `YYYY-MM`.
    pub month: String,
    pub quantity: Decimal,
}

/// A row of the platform's export: 月份, 系统名称, 服务项目编码 or 名称, 用量.
#[derive(InputObject)]
pub struct UsageRowInput {
    pub month: String,
    /// The system's name in the region.
    pub system: String,
    /// The catalogue item's code (编号) or name.
    pub item: String,
    pub quantity: String,
}

/// One line of an import as checked (and, unless a dry run, written).
#[derive(SimpleObject)]
pub struct UsageImportLine {
    pub month: String,
    pub system_id: ID,
    pub system_name: String,
    pub item_id: ID,
    pub item_code: String,
    pub item_name: String,
    pub quantity: Decimal,
    /// The quota plus approved expansions.
    pub approved: Decimal,
    pub beyond_approved: bool,
    /// The figure it replaces, if the month was recorded before.
    pub replaces: Option<Decimal>,
}

#[derive(SimpleObject)]
pub struct UsageImport {
    pub dry_run: bool,
    /// Records written (0 for a dry run).
    pub written: i32,
    pub lines: Vec<UsageImportLine>,
}

impl From<usage::Planned> for UsageImportLine {
    fn from(p: usage::Planned) -> Self {
        Self {
            month: p.line.month,
            system_id: id(p.line.system_id),
            system_name: p.system_name,
            item_id: id(p.line.item_id),
            item_code: p.item_code,
            item_name: p.item_name,
            quantity: engine::two_dp(p.line.quantity),
            approved: p.approved,
            beyond_approved: p.beyond_approved,
            replaces: p.replaces,
        }
    }
}

#[derive(Default)]
pub struct QuotaMutation;

#[Object]
impl QuotaMutation {
    /// Applies for a system's quota of a catalogue item (资源申请表).
    async fn apply_quota(
        &self,
        ctx: &Context<'_>,
        input: ApplyQuotaInput,
    ) -> async_graphql::Result<Quota> {
        async {
            let (state, actor) = crud::env(ctx)?;
            let new = NewQuota {
                system_id: crud::parse_id("input.systemId", &input.system_id)?,
                item_id: crud::parse_id("input.itemId", &input.item_id)?,
                quantity: input.quantity,
                test_months: input.test_months,
                note: input.note,
            };
            let audit = crate::graphql::audit::of(ctx, actor);
            let saved = rules::apply(&state.db, actor, &audit, new, Utc::now()).await?;
            Ok::<_, DomainError>(Quota::from(saved))
        }
        .await
        .gql()
    }

    /// Approves an application; the approver and the instant are recorded.
    async fn approve_quota(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Quota> {
        decide(ctx, &id, QuotaDecision::Approve).await.gql()
    }

    /// Rejects an application with a reason (kept in the audit trail).
    async fn reject_quota(
        &self,
        ctx: &Context<'_>,
        id: ID,
        reason: String,
    ) -> async_graphql::Result<Quota> {
        decide(ctx, &id, QuotaDecision::Reject { reason })
            .await
            .gql()
    }

    /// Records the agreement's day and, once delivered, the delivery's.
    async fn record_quota_delivery(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: QuotaDeliveryInput,
    ) -> async_graphql::Result<Quota> {
        async {
            let (state, actor) = crud::env(ctx)?;
            let key = crud::parse_id("id", &id)?;
            let audit = crate::graphql::audit::of(ctx, actor);
            let saved = rules::record_delivery(
                &state.db,
                actor,
                &audit,
                key,
                input.agreement_on,
                input.delivered_on,
            )
            .await?;
            Ok::<_, DomainError>(Quota::from(saved))
        }
        .await
        .gql()
    }

    /// Requests an expansion or a reclaim (资源变更申请表); an expansion that
    /// would bring the item beyond 120 % of its quota is refused at once.
    async fn request_quota_change(
        &self,
        ctx: &Context<'_>,
        quota_id: ID,
        input: QuotaChangeInput,
    ) -> async_graphql::Result<QuotaChange> {
        async {
            let (state, actor) = crud::env(ctx)?;
            let key = crud::parse_id("quotaId", &quota_id)?;
            let new = NewChange {
                kind: input.kind.into(),
                quantity: input.quantity,
                reason: input.reason,
            };
            let audit = crate::graphql::audit::of(ctx, actor);
            let saved =
                rules::request_change(&state.db, actor, &audit, key, new, Utc::now()).await?;
            Ok::<_, DomainError>(QuotaChange::from(saved))
        }
        .await
        .gql()
    }

    /// Approves a change, checked again against the ceiling.
    async fn approve_quota_change(
        &self,
        ctx: &Context<'_>,
        id: ID,
        reason: Option<String>,
    ) -> async_graphql::Result<QuotaChange> {
        decide_change(ctx, &id, true, reason).await.gql()
    }

    /// Refuses a change with a reason.
    async fn refuse_quota_change(
        &self,
        ctx: &Context<'_>,
        id: ID,
        reason: String,
    ) -> async_graphql::Result<QuotaChange> {
        decide_change(ctx, &id, false, Some(reason)).await.gql()
    }

    /// Enters a system's use of an item in a month, replacing that month's
    /// figure of the item if there is one.
    async fn record_usage(
        &self,
        ctx: &Context<'_>,
        input: RecordUsageInput,
    ) -> async_graphql::Result<UsageRecord> {
        async {
            let (state, actor) = crud::env(ctx)?;
            let line = UsageLine {
                month: input.month,
                system_id: crud::parse_id("input.systemId", &input.system_id)?,
                item_id: crud::parse_id("input.itemId", &input.item_id)?,
                quantity: input.quantity,
            };
            let audit = crate::graphql::audit::of(ctx, actor);
            let saved = usage::record(&state.db, actor, &audit, line, Utc::now()).await?;
            Ok::<_, DomainError>(UsageRecord::from(saved))
        }
        .await
        .gql()
    }

    /// Imports the platform's export for a region: all rows checked first
    /// (one bad row: nothing written, its row and column named); written
    /// unless `dryRun`, each system's month replaced, never added to.
    async fn import_usage(
        &self,
        ctx: &Context<'_>,
        region_id: ID,
        rows: Vec<UsageRowInput>,
        dry_run: bool,
    ) -> async_graphql::Result<UsageImport> {
        async {
            let (state, actor) = crud::env(ctx)?;
            let region = crud::parse_id("regionId", &region_id)?;
            let rows = rows
                .into_iter()
                .map(|r| UsageRow {
                    month: r.month,
                    system: r.system,
                    item: r.item,
                    quantity: r.quantity,
                    line: None,
                })
                .collect();
            let audit = crate::graphql::audit::of(ctx, actor);
            let planned =
                usage::import(&state.db, actor, &audit, region, rows, dry_run, Utc::now()).await?;
            let written = if dry_run { 0 } else { planned.len() };
            Ok::<_, DomainError>(UsageImport {
                dry_run,
                written: i32::try_from(written).unwrap_or(i32::MAX),
                lines: planned.into_iter().map(UsageImportLine::from).collect(),
            })
        }
        .await
        .gql()
    }
}

async fn decide(ctx: &Context<'_>, quota_id: &ID, decision: QuotaDecision) -> DomainResult<Quota> {
    let (state, actor) = crud::env(ctx)?;
    let key = crud::parse_id("id", quota_id)?;
    let audit = crate::graphql::audit::of(ctx, actor);
    let saved = rules::decide(&state.db, actor, &audit, key, decision, Utc::now()).await?;
    Ok(Quota::from(saved))
}

async fn decide_change(
    ctx: &Context<'_>,
    change_id: &ID,
    approve: bool,
    reason: Option<String>,
) -> DomainResult<QuotaChange> {
    let (state, actor) = crud::env(ctx)?;
    let key = crud::parse_id("id", change_id)?;
    let audit = crate::graphql::audit::of(ctx, actor);
    let saved =
        rules::decide_change(&state.db, actor, &audit, key, approve, reason, Utc::now()).await?;
    Ok(QuotaChange::from(saved))
}
