//! Quotas and usage in the console (issue 16 items 2–3, 5): `/quotas`
//! (资源配额: per system the items with their quota, approved expansions, the
//! 120 % line, what is in use, the latest usage and its 超配额 flag, test
//! resources and their free months, the delivery), `/quotas/{id}` (the
//! application, its changes, the decision forms), the forms to apply and to
//! request a change; `/usage` (资源用量: month × item per system) with the
//! import of the cloud-management platform's export, previewed then
//! confirmed. Every read and write goes through `domain::quotas` and
//! `domain::usage` with the caller (another vendor's quota is 404), the same
//! functions the GraphQL mutations call.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::{Datelike, NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Deserialize;
use tower_http::limit::RequestBodyLimitLayer;

use crate::edge::MAX_BODY_BYTES;
use crate::error::DomainError;
use crate::imports::sheet::{self, Cell};
use crate::web::Shared;
use crate::web::format::{date_text, local_time, month_text};
use crate::web::shell::{Shell, SignedIn};
use domain::access;
use domain::actor::Role;
use domain::page::MAX_LIMIT;
use domain::quotas::{
    self as rules, NewChange, NewQuota, Quota, QuotaChangeKind, QuotaChangeStatus, QuotaDecision,
    QuotaStatus, Quotas,
};
use domain::reference::{regions::Regions, systems::InformationSystems};
use domain::store::{self, ListFilter, Resource};
use domain::usage::{self, UsageFilter, UsageRow};

/// The pages and forms; the import's upload has the import's body limit.
pub fn routes(import_max_bytes: usize) -> Router<Shared> {
    let upload = Router::new()
        .route("/usage/import", post(upload))
        .layer(DefaultBodyLimit::disable())
        .layer(RequestBodyLimitLayer::new(
            import_max_bytes + MAX_BODY_BYTES,
        ));
    Router::new()
        .route("/quotas", get(list).post(apply))
        .route("/quotas/{id}", get(page))
        .route("/quotas/{id}/approve", post(approve))
        .route("/quotas/{id}/reject", post(reject))
        .route("/quotas/{id}/delivery", post(delivery))
        .route("/quotas/{id}/changes", post(request_change))
        .route("/quota-changes/{id}/approve", post(approve_change))
        .route("/quota-changes/{id}/refuse", post(refuse_change))
        .route("/usage", get(usage_page))
        .route("/usage/import/confirm", post(confirm))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .merge(upload)
}

/// Supervisors and administrators write; vendors and agencies read.
fn writer(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Supervisor { .. })
}

fn quota_status_text(status: QuotaStatus) -> &'static str {
    match status {
        QuotaStatus::Applied => "待审批",
        QuotaStatus::Approved => "已批准",
        QuotaStatus::Delivered => "已交付",
        QuotaStatus::Rejected => "已驳回",
    }
}

fn change_kind_text(kind: QuotaChangeKind) -> &'static str {
    match kind {
        QuotaChangeKind::Expand => "扩容",
        QuotaChangeKind::Reclaim => "回收",
    }
}

fn change_status_text(status: QuotaChangeStatus) -> &'static str {
    match status {
        QuotaChangeStatus::Requested => "待审批",
        QuotaChangeStatus::Approved => "已批准",
        QuotaChangeStatus::Refused => "不予批准",
    }
}

/// A quantity as the tables show it: `100`, `12.5`.
fn qty(value: Decimal) -> String {
    value.normalize().to_string()
}

/// `测试资源（免费 2 个月，至 2025年9月）`: from the month of delivery.
fn test_text(quota: &Quota) -> Option<String> {
    let months = quota.test_months.filter(|_| quota.is_test)?;
    let Some(delivered) = quota.delivered_on else {
        return Some(format!("测试资源（免费 {months} 个月，自交付月起）"));
    };
    // The free months run from the month of delivery (engine::quotas::FreePeriod).
    let index = delivered.year() * 12 + delivered.month0() as i32 + months - 1;
    let last = format!(
        "{:04}-{:02}",
        index.div_euclid(12),
        index.rem_euclid(12) + 1
    );
    Some(format!("测试资源（免费至{}）", month_text(&last)))
}

/// The delivery as a line and its colour: 逾期 N 天 in red.
fn delivery_text(
    calendar: &engine::calendar::WorkCalendar,
    quota: &Quota,
) -> (String, &'static str) {
    let today = domain::period::local(Utc::now()).date_naive();
    match rules::delivery(calendar, quota, today) {
        Ok(None) => ("未登记三方协议".to_owned(), "hint"),
        Err(e) => (format!("无法计算交付期限：{e}"), "hint"),
        Ok(Some(d)) => {
            let due = date_text(d.due_on);
            match (d.delivered_on, d.days_late) {
                (Some(on), 0) => (
                    format!("已按期交付（{}，期限 {due}）", date_text(on)),
                    "pass",
                ),
                (Some(on), late) => (
                    format!("逾期 {late} 天交付（{}，期限 {due}）", date_text(on)),
                    "fail",
                ),
                (None, 0) => (format!("待交付（期限 {due}）"), "hint"),
                (None, late) => (format!("逾期 {late} 天未交付（期限 {due}）"), "fail"),
            }
        }
    }
}

struct QuotaLine {
    id: i64,
    system: String,
    item: String,
    quantity: String,
    status: &'static str,
    test: Option<String>,
    expanded: String,
    limit: String,
    in_use: String,
    latest: String,
    beyond: bool,
    delivery: String,
    delivery_class: &'static str,
}

struct Choice {
    id: i64,
    name: String,
}

/// What a form offers to choose from: the rows of `R` the caller may list.
async fn choices<R: Resource>(
    console: &Shared,
    signed: &SignedIn,
    named: fn(&R::Model) -> (i64, String),
) -> Result<Vec<Choice>, DomainError> {
    let page = store::list::<R>(
        &console.state.db,
        &signed.actor,
        ListFilter::default(),
        None,
        Some(MAX_LIMIT as i64),
    )
    .await?;
    Ok(page
        .items
        .iter()
        .map(|row| {
            let (id, name) = named(row);
            Choice { id, name }
        })
        .collect())
}

#[derive(askama::Template)]
#[template(path = "quotas/list.html")]
struct ListPage {
    shell: Shell,
    quotas: Vec<QuotaLine>,
    can_write: bool,
    systems: Vec<Choice>,
    items: Vec<Choice>,
    message: Option<String>,
}

/// GET /quotas
pub async fn list(State(console): State<Shared>, signed: SignedIn) -> Response {
    show_list(&console, signed, StatusCode::OK, None).await
}

async fn names(
    console: &Shared,
    signed: &SignedIn,
    system_ids: Vec<i64>,
) -> Result<
    (
        HashMap<i64, String>,
        HashMap<i64, entities::catalogue_item::Model>,
    ),
    DomainError,
> {
    let db = &console.state.db;
    let systems = store::get_many::<InformationSystems>(db, &signed.actor, system_ids)
        .await?
        .into_iter()
        .map(|(id, s)| (id, s.name))
        .collect();
    let items = entities::catalogue_item::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.id, i))
        .collect();
    Ok((systems, items))
}

async fn show_list(
    console: &Shared,
    signed: SignedIn,
    status: StatusCode,
    message: Option<String>,
) -> Response {
    let db = &console.state.db;
    let built = async {
        let page = store::list::<Quotas>(
            db,
            &signed.actor,
            ListFilter::default(),
            None,
            Some(MAX_LIMIT as i64),
        )
        .await?;
        let ids = page.items.iter().map(|q| q.system_id).collect();
        let (systems, items) = names(console, &signed, ids).await?;
        let calendar = domain::calendar::load(db).await?;
        let mut lines = Vec::with_capacity(page.items.len());
        for q in &page.items {
            let state = rules::item_state(db, q.system_id, q.item_id).await?;
            let latest = entities::usage_record::Entity::find()
                .filter(entities::usage_record::Column::SystemId.eq(q.system_id))
                .filter(entities::usage_record::Column::ItemId.eq(q.item_id))
                .order_by_desc(entities::usage_record::Column::Month)
                .one(db)
                .await?;
            let (delivery, delivery_class) = delivery_text(&calendar, q);
            lines.push(QuotaLine {
                id: q.id,
                system: systems.get(&q.system_id).cloned().unwrap_or_default(),
                item: items
                    .get(&q.item_id)
                    .map(|i| i.name.clone())
                    .unwrap_or_default(),
                quantity: qty(q.quantity),
                status: quota_status_text(q.status),
                test: test_text(q),
                expanded: qty(state.expanded),
                limit: qty(state.limit()),
                in_use: qty(state.in_use()),
                latest: latest.as_ref().map_or_else(
                    || "—".to_owned(),
                    |u| format!("{}：{}", month_text(&u.month), qty(u.quantity)),
                ),
                beyond: latest.is_some_and(|u| u.beyond_approved),
                delivery,
                delivery_class,
            });
        }
        lines.sort_by(|a, b| (&a.system, a.id).cmp(&(&b.system, b.id)));
        let can_write = writer(signed.actor.role);
        let systems = if can_write {
            choices::<InformationSystems>(console, &signed, |s| (s.id, s.name.clone())).await?
        } else {
            Vec::new()
        };
        let mut items: Vec<Choice> = items
            .into_values()
            .map(|i| Choice {
                id: i.id,
                name: format!("{} {}（{}）", i.code, i.name, i.unit),
            })
            .collect();
        items.sort_by(|a, b| a.name.cmp(&b.name));
        Ok::<_, DomainError>((lines, can_write, systems, items))
    }
    .await;
    match built {
        Ok((quotas, can_write, systems, items)) => crate::web::html(
            status,
            &ListPage {
                shell: signed.shell,
                quotas,
                can_write,
                systems,
                items,
                message,
            },
        ),
        Err(e) => signed.error(e),
    }
}

#[derive(Deserialize)]
pub struct ApplyForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    system_id: String,
    #[serde(default)]
    item_id: String,
    #[serde(default)]
    quantity: String,
    #[serde(default)]
    test_months: String,
    #[serde(default)]
    note: String,
}

/// A refusal as the form shows it, in Chinese.
fn refusal(e: &DomainError) -> Option<String> {
    match e {
        DomainError::BadInput { reason, .. } => Some(format!("{reason}。")),
        DomainError::Forbidden(_) => Some("只有本区域监管人员可以办理。".to_owned()),
        _ => None,
    }
}

/// POST /quotas: 资源申请表.
pub async fn apply(
    State(console): State<Shared>,
    signed: SignedIn,
    Form(form): Form<ApplyForm>,
) -> Response {
    if let Err(refused) = signed.check_csrf(&console, &form.csrf) {
        return refused;
    }
    let parsed = parse_apply(&form);
    let audit = signed.audit("applyQuota");
    let result = match parsed {
        Ok(new) => rules::apply(&console.state.db, &signed.actor, &audit, new, Utc::now()).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(q) => Redirect::to(&format!("/quotas/{}", q.id)).into_response(),
        Err(e) => match refusal(&e) {
            Some(m) => show_list(&console, signed, StatusCode::UNPROCESSABLE_ENTITY, Some(m)).await,
            None => signed.error(e),
        },
    }
}

/// The 资源申请表 as posted, field by field.
fn parse_apply(form: &ApplyForm) -> Result<NewQuota, DomainError> {
    let id = |field: &str, text: &str| {
        text.trim()
            .parse::<i64>()
            .map_err(|_| DomainError::bad(field, "请选择"))
    };
    let test_months = match form.test_months.trim() {
        "" | "0" => None,
        t => Some(
            t.parse::<i32>()
                .map_err(|_| DomainError::bad("input.testMonths", "测试资源的免费期为 1–3 个月"))?,
        ),
    };
    Ok(NewQuota {
        system_id: id("input.systemId", &form.system_id)?,
        item_id: id("input.itemId", &form.item_id)?,
        quantity: decimal("input.quantity", &form.quantity)?,
        test_months,
        note: Some(form.note.clone()),
    })
}

fn decimal(field: &str, text: &str) -> Result<Decimal, DomainError> {
    text.trim()
        .parse::<Decimal>()
        .map_err(|_| DomainError::bad(field, "请填写数字"))
}

struct ChangeLine {
    id: i64,
    kind: &'static str,
    quantity: String,
    status: &'static str,
    reason: String,
    requested_at: String,
    decision: String,
    open: bool,
}

#[derive(askama::Template)]
#[template(path = "quotas/page.html")]
struct QuotaPage {
    shell: Shell,
    line: QuotaLine,
    applied_at: String,
    approved: String,
    note: String,
    agreement_on: String,
    delivered_on: String,
    changes: Vec<ChangeLine>,
    can_write: bool,
    can_decide: bool,
    can_deliver: bool,
    message: Option<String>,
}

/// GET /quotas/{id}
pub async fn page(
    State(console): State<Shared>,
    signed: SignedIn,
    Path(id): Path<i64>,
) -> Response {
    show(&console, signed, id, StatusCode::OK, None).await
}

async fn show(
    console: &Shared,
    signed: SignedIn,
    id: i64,
    status: StatusCode,
    message: Option<String>,
) -> Response {
    let db = &console.state.db;
    let built = async {
        let q = store::get::<Quotas>(db, &signed.actor, id).await?;
        let (systems, items) = names(console, &signed, vec![q.system_id]).await?;
        let state = rules::item_state(db, q.system_id, q.item_id).await?;
        let calendar = domain::calendar::load(db).await?;
        let (delivery, delivery_class) = delivery_text(&calendar, &q);
        let changes = rules::changes(db, &signed.actor, id)
            .await?
            .into_iter()
            .map(|c| ChangeLine {
                id: c.id,
                kind: change_kind_text(c.kind),
                quantity: qty(c.quantity),
                status: change_status_text(c.status),
                reason: c.reason,
                requested_at: local_time(c.requested_at),
                decision: match (c.decided_at, c.decision_reason) {
                    (Some(at), Some(r)) => format!("{}：{r}", local_time(at)),
                    (Some(at), None) => local_time(at),
                    _ => String::new(),
                },
                open: c.status == QuotaChangeStatus::Requested,
            })
            .collect();
        let can_write = access::can_modify(&signed.actor, &rules::POLICY, Quotas::scope(&q));
        let approver = match q.approved_by {
            Some(user) => entities::user::Entity::find_by_id(user)
                .one(db)
                .await?
                .map_or_else(|| format!("用户 #{user}"), |u| u.username),
            None => String::new(),
        };
        let line = QuotaLine {
            id: q.id,
            system: systems.get(&q.system_id).cloned().unwrap_or_default(),
            item: items
                .get(&q.item_id)
                .map(|i| i.name.clone())
                .unwrap_or_default(),
            quantity: qty(q.quantity),
            status: quota_status_text(q.status),
            test: test_text(&q),
            expanded: qty(state.expanded),
            limit: qty(state.limit()),
            in_use: qty(state.in_use()),
            latest: String::new(),
            beyond: false,
            delivery,
            delivery_class,
        };
        Ok::<_, DomainError>(QuotaPage {
            line,
            applied_at: local_time(q.applied_at),
            approved: match q.approved_at {
                Some(at) => format!("{}（{}）", local_time(at), approver),
                None => String::new(),
            },
            note: q.note.clone().unwrap_or_default(),
            agreement_on: q.agreement_on.map(|d| d.to_string()).unwrap_or_default(),
            delivered_on: q.delivered_on.map(|d| d.to_string()).unwrap_or_default(),
            changes,
            can_write,
            can_decide: can_write && q.status == QuotaStatus::Applied,
            can_deliver: can_write
                && matches!(q.status, QuotaStatus::Approved | QuotaStatus::Delivered),
            message,
            shell: Shell::anonymous(&signed.nonce, ""),
        })
    }
    .await;
    match built {
        Ok(mut page) => {
            page.shell = signed.shell;
            crate::web::html(status, &page)
        }
        Err(e) => signed.error(e),
    }
}

/// After a write: back to the quota's page, or the page with the refusal.
async fn after(
    console: &Shared,
    signed: SignedIn,
    id: i64,
    result: Result<(), DomainError>,
) -> Response {
    match result {
        Ok(()) => Redirect::to(&format!("/quotas/{id}")).into_response(),
        Err(e) => match refusal(&e) {
            Some(m) => {
                show(
                    console,
                    signed,
                    id,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Some(m),
                )
                .await
            }
            None => signed.error(e),
        },
    }
}

#[derive(Deserialize)]
pub struct ReasonForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reason: String,
}

/// POST /quotas/{id}/approve
pub async fn approve(
    State(console): State<Shared>,
    signed: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<ReasonForm>,
) -> Response {
    decide(console, signed, id, form.csrf, QuotaDecision::Approve).await
}

/// POST /quotas/{id}/reject: the reason is required.
pub async fn reject(
    State(console): State<Shared>,
    signed: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<ReasonForm>,
) -> Response {
    let decision = QuotaDecision::Reject {
        reason: form.reason,
    };
    decide(console, signed, id, form.csrf, decision).await
}

async fn decide(
    console: Shared,
    signed: SignedIn,
    id: i64,
    csrf: String,
    decision: QuotaDecision,
) -> Response {
    if let Err(refused) = signed.check_csrf(&console, &csrf) {
        return refused;
    }
    let audit = signed.audit(decision.operation());
    let result = rules::decide(
        &console.state.db,
        &signed.actor,
        &audit,
        id,
        decision,
        Utc::now(),
    )
    .await
    .map(|_| ());
    after(&console, signed, id, result).await
}

#[derive(Deserialize)]
pub struct DeliveryForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    agreement_on: String,
    #[serde(default)]
    delivered_on: String,
}

fn date(field: &str, text: &str) -> Result<Option<NaiveDate>, DomainError> {
    match text.trim() {
        "" => Ok(None),
        t => NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| DomainError::bad(field, "请填写日期（年-月-日）")),
    }
}

/// POST /quotas/{id}/delivery: the agreement's day and the delivery's.
pub async fn delivery(
    State(console): State<Shared>,
    signed: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<DeliveryForm>,
) -> Response {
    if let Err(refused) = signed.check_csrf(&console, &form.csrf) {
        return refused;
    }
    let audit = signed.audit("recordQuotaDelivery");
    let result = async {
        let agreement = date("input.agreementOn", &form.agreement_on)?
            .ok_or_else(|| DomainError::bad("input.agreementOn", "请填写三方协议签订日期"))?;
        let delivered = date("input.deliveredOn", &form.delivered_on)?;
        rules::record_delivery(
            &console.state.db,
            &signed.actor,
            &audit,
            id,
            agreement,
            delivered,
        )
        .await
        .map(|_| ())
    }
    .await;
    after(&console, signed, id, result).await
}

#[derive(Deserialize)]
pub struct ChangeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    quantity: String,
    #[serde(default)]
    reason: String,
}

/// POST /quotas/{id}/changes: 资源变更申请表.
pub async fn request_change(
    State(console): State<Shared>,
    signed: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<ChangeForm>,
) -> Response {
    if let Err(refused) = signed.check_csrf(&console, &form.csrf) {
        return refused;
    }
    let audit = signed.audit("requestQuotaChange");
    let result = async {
        let kind = match form.kind.as_str() {
            "RECLAIM" => QuotaChangeKind::Reclaim,
            _ => QuotaChangeKind::Expand,
        };
        let new = NewChange {
            kind,
            quantity: decimal("input.quantity", &form.quantity)?,
            reason: form.reason,
        };
        rules::request_change(
            &console.state.db,
            &signed.actor,
            &audit,
            id,
            new,
            Utc::now(),
        )
        .await
        .map(|_| ())
    }
    .await;
    after(&console, signed, id, result).await
}

/// POST /quota-changes/{id}/approve
pub async fn approve_change(
    State(console): State<Shared>,
    signed: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<ReasonForm>,
) -> Response {
    decide_change(console, signed, id, form, true).await
}

/// POST /quota-changes/{id}/refuse: the reason is required.
pub async fn refuse_change(
    State(console): State<Shared>,
    signed: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<ReasonForm>,
) -> Response {
    decide_change(console, signed, id, form, false).await
}

async fn decide_change(
    console: Shared,
    signed: SignedIn,
    change_id: i64,
    form: ReasonForm,
    approve: bool,
) -> Response {
    if let Err(refused) = signed.check_csrf(&console, &form.csrf) {
        return refused;
    }
    let db = &console.state.db;
    // The quota's page to come back to; a change outside the caller's reach
    // is 404 like a missing one.
    let quota_id = match entities::quota_change::Entity::find_by_id(change_id)
        .one(db)
        .await
    {
        Ok(Some(c)) => c.quota_id,
        Ok(None) => {
            return signed.error(DomainError::not_found(format!("QuotaChange {change_id}")));
        }
        Err(e) => return signed.error(e.into()),
    };
    let operation = if approve {
        "approveQuotaChange"
    } else {
        "refuseQuotaChange"
    };
    let audit = signed.audit(operation);
    let reason = Some(form.reason).filter(|r| !r.trim().is_empty());
    let result = rules::decide_change(
        db,
        &signed.actor,
        &audit,
        change_id,
        approve,
        reason,
        Utc::now(),
    )
    .await
    .map(|_| ());
    after(&console, signed, quota_id, result).await
}

/// One system's month × item table.
struct SystemUsage {
    name: String,
    items: Vec<String>,
    months: Vec<MonthRow>,
}

/// One month of a system: one cell per item, empty where nothing was recorded.
struct MonthRow {
    month: String,
    cells: Vec<Option<UsageCell>>,
}

struct UsageCell {
    quantity: String,
    /// 超配额.
    beyond: bool,
}

#[derive(askama::Template)]
#[template(path = "quotas/usage.html")]
struct UsagePage {
    shell: Shell,
    systems: Vec<SystemUsage>,
    can_import: bool,
    regions: Vec<Choice>,
    message: Option<String>,
}

/// GET /usage
pub async fn usage_page(State(console): State<Shared>, signed: SignedIn) -> Response {
    show_usage(&console, signed, StatusCode::OK, None).await
}

async fn show_usage(
    console: &Shared,
    signed: SignedIn,
    status: StatusCode,
    message: Option<String>,
) -> Response {
    let db = &console.state.db;
    let built = async {
        let page = usage::list(
            db,
            &signed.actor,
            UsageFilter::default(),
            None,
            Some(MAX_LIMIT as i64),
        )
        .await?;
        let ids = page.items.iter().map(|u| u.system_id).collect();
        let (systems, items) = names(console, &signed, ids).await?;
        let mut by_system: BTreeMap<String, Vec<&usage::UsageRecord>> = BTreeMap::new();
        for u in &page.items {
            let name = systems.get(&u.system_id).cloned().unwrap_or_default();
            by_system.entry(name).or_default().push(u);
        }
        let tables = by_system
            .into_iter()
            .map(|(name, rows)| {
                let item_ids: BTreeSet<i64> = rows.iter().map(|u| u.item_id).collect();
                let months: BTreeSet<&str> = rows.iter().map(|u| u.month.as_str()).collect();
                SystemUsage {
                    name,
                    items: item_ids
                        .iter()
                        .map(|i| items.get(i).map(|i| i.name.clone()).unwrap_or_default())
                        .collect(),
                    months: months
                        .into_iter()
                        .map(|m| {
                            let cells = item_ids
                                .iter()
                                .map(|i| {
                                    rows.iter()
                                        .find(|u| u.month == m && u.item_id == *i)
                                        .map(|u| UsageCell {
                                            quantity: qty(u.quantity),
                                            beyond: u.beyond_approved,
                                        })
                                })
                                .collect();
                            MonthRow {
                                month: month_text(m),
                                cells,
                            }
                        })
                        .collect(),
                }
            })
            .collect();
        let can_import = writer(signed.actor.role);
        let regions = if can_import {
            choices::<Regions>(console, &signed, |r| (r.id, r.name.clone())).await?
        } else {
            Vec::new()
        };
        Ok::<_, DomainError>((tables, can_import, regions))
    }
    .await;
    match built {
        Ok((systems, can_import, regions)) => crate::web::html(
            status,
            &UsagePage {
                shell: signed.shell,
                systems,
                can_import,
                regions,
                message,
            },
        ),
        Err(e) => signed.error(e),
    }
}

/// The rows of the platform's export: the columns found by their headers
/// (月份; 系统名称; 服务项目编码, else 服务项目名称 or 服务项目; 用量).
fn usage_rows(sheet: &sheet::Sheet) -> Result<Vec<UsageRow>, String> {
    let find = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| sheet.header.iter().position(|h| h.trim() == *n))
    };
    let month = find(&["月份"]).ok_or("表头缺少“月份”列")?;
    let system = find(&["系统名称"]).ok_or("表头缺少“系统名称”列")?;
    let item = find(&["服务项目编码", "服务项目名称", "服务项目"])
        .ok_or("表头缺少“服务项目编码”或“服务项目名称”列")?;
    let quantity = find(&["用量"]).ok_or("表头缺少“用量”列")?;
    let text = |cell: Option<&Cell>| match cell {
        Some(Cell::Text(t)) => t.trim().to_owned(),
        Some(Cell::Number(n)) => n.to_string(),
        Some(Cell::When(t)) => t.format("%Y-%m").to_string(),
        Some(Cell::Bool(b)) => b.to_string(),
        Some(Cell::Empty) | None => String::new(),
    };
    Ok(sheet
        .rows
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.iter().all(Cell::is_empty))
        .map(|(i, r)| UsageRow {
            month: text(r.get(month)),
            system: text(r.get(system)),
            item: text(r.get(item)),
            quantity: text(r.get(quantity)),
            line: Some(sheet.first_line + i),
        })
        .collect())
}

struct PreviewLine {
    month: String,
    system: String,
    item: String,
    quantity: String,
    approved: String,
    beyond: bool,
    replaces: String,
}

#[derive(askama::Template)]
#[template(path = "quotas/preview.html")]
struct PreviewPage {
    shell: Shell,
    region: i64,
    rows: String,
    lines: Vec<PreviewLine>,
}

/// POST /usage/import (multipart: the region and the file): the preview.
pub async fn upload(
    State(console): State<Shared>,
    signed: SignedIn,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let max = console.import_max_bytes;
    let form = match crate::web::imports::received(&console, &signed, multipart).await {
        Ok(form) => form,
        Err(refused) => return refused,
    };
    let region = match (form.region.trim().parse::<i64>(), signed.actor.role) {
        (Ok(r), _) => r,
        (Err(_), Role::Supervisor { region_id }) => region_id,
        (Err(_), _) => {
            let m = Some("请选择区域。".to_owned());
            return show_usage(&console, signed, StatusCode::UNPROCESSABLE_ENTITY, m).await;
        }
    };
    if form.bytes.len() > max {
        let m = Some("文件超过了大小限制，未写入任何内容。".to_owned());
        return show_usage(&console, signed, StatusCode::UNPROCESSABLE_ENTITY, m).await;
    }
    let rows = match sheet::read(&form.file_name, &form.bytes).and_then(|s| usage_rows(&s)) {
        Ok(rows) => rows,
        Err(m) => {
            return show_usage(&console, signed, StatusCode::UNPROCESSABLE_ENTITY, Some(m)).await;
        }
    };
    import(console, signed, region, rows, true).await
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    rows: String,
}

/// POST /usage/import/confirm: the previewed rows, written.
pub async fn confirm(
    State(console): State<Shared>,
    signed: SignedIn,
    Form(form): Form<ConfirmForm>,
) -> Response {
    if let Err(refused) = signed.check_csrf(&console, &form.csrf) {
        return refused;
    }
    // The rows the preview showed, checked again in full by the import.
    let rows: Vec<UsageRow> = serde_json::from_str(&form.rows).unwrap_or_default();
    let region = form.region.trim().parse::<i64>().unwrap_or(0);
    import(console, signed, region, rows, false).await
}

async fn import(
    console: Shared,
    signed: SignedIn,
    region: i64,
    rows: Vec<UsageRow>,
    dry_run: bool,
) -> Response {
    let kept = serde_json::to_string(&rows).unwrap_or_default();
    let audit = signed.audit("importUsage");
    let planned = usage::import(
        &console.state.db,
        &signed.actor,
        &audit,
        region,
        rows,
        dry_run,
        Utc::now(),
    )
    .await;
    match planned {
        Ok(_) if !dry_run => Redirect::to("/usage").into_response(),
        Ok(lines) => crate::web::html(
            StatusCode::OK,
            &PreviewPage {
                region,
                rows: kept,
                lines: lines
                    .into_iter()
                    .map(|p| PreviewLine {
                        month: month_text(&p.line.month),
                        system: p.system_name,
                        item: format!("{} {}", p.item_code, p.item_name),
                        quantity: qty(p.line.quantity),
                        approved: qty(p.approved),
                        beyond: p.beyond_approved,
                        replaces: p.replaces.map(qty).unwrap_or_default(),
                    })
                    .collect(),
                shell: signed.shell,
            },
        ),
        Err(e) => match refusal(&e) {
            Some(m) => {
                let m = format!("未写入任何内容：{m}");
                show_usage(&console, signed, StatusCode::UNPROCESSABLE_ENTITY, Some(m)).await
            }
            None => signed.error(e),
        },
    }
}
