//! The breach register (违约记录) in the console (issue 15 item 4):
//! `/breaches` (the register the caller may read, filtered by status, vendor
//! and month, with the proposals waiting counted), `/breaches/{id}` (the
//! event, the rows matched, the row charged with its arithmetic, the
//! evidence; the supervisor's confirm and dismiss forms on a proposal, the
//! vendor's answer form on its confirmed breach), `/breaches/new` (a
//! supervisor records a breach, choosing rows of the region's terms).
//!
//! Every read goes through the store with the caller (a vendor reads its own
//! confirmed breaches only: another's, or a proposal, is 404); every write
//! through `jobs::breach_notices`, the functions the GraphQL mutations call.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::{NaiveDateTime, TimeZone, Utc};
use engine::contract_terms::{ContractTerms, RowRef};
use sea_orm::{ColumnTrait, Condition};
use serde::Deserialize;

use tower_http::limit::RequestBodyLimitLayer;

use crate::edge::MAX_BODY_BYTES;
use crate::error::{DomainError, DomainResult};
use crate::web::Shared;
use crate::web::format::{local_time, money_text, month_text};
use crate::web::shell::{Shell, SignedIn};
use domain::actor::{Actor, Role};
use domain::breaches::decide::status_text;
use domain::breaches::{self, Breach, BreachStatus, Breaches, Decision, NewBreach, VendorAnswer};
use domain::reference::{regions::Regions, systems::InformationSystems, vendors::Vendors};
use domain::store::{self, ListFilter};
use entities::breach::Column;

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/breaches", get(list))
        .route("/breaches/new", get(new_form).post(record))
        .route("/breaches/{id}", get(page))
        .route("/breaches/{id}/confirm", post(confirm))
        .route("/breaches/{id}/dismiss", post(dismiss))
        .route("/breaches/{id}/answer", post(answer))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
}

/// How a status is coloured.
fn class(status: BreachStatus) -> &'static str {
    match status {
        BreachStatus::Proposed => "hint",
        BreachStatus::Confirmed => "fail",
        BreachStatus::Dismissed => "pass",
    }
}

fn answer_text(a: VendorAnswer) -> &'static str {
    match a {
        VendorAnswer::Accepted => "已接受",
        VendorAnswer::Disputed => "有异议",
    }
}

fn is_supervision(actor: &Actor) -> bool {
    matches!(actor.role, Role::Admin | Role::Supervisor { .. })
}

/// A breach as the list shows it.
pub struct Line {
    pub id: i64,
    pub vendor: String,
    pub month: String,
    pub description: String,
    pub penalty: String,
    pub status: &'static str,
    pub class: &'static str,
    pub answer: &'static str,
}

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(askama::Template)]
#[template(path = "breaches.html")]
struct ListPage {
    shell: Shell,
    supervision: bool,
    waiting: u64,
    statuses: Vec<Choice>,
    vendors: Vec<Choice>,
    month: String,
    breaches: Vec<Line>,
    total: u64,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    vendor: String,
    #[serde(default)]
    month: String,
}

/// GET /breaches?status=&vendor=&month=
pub async fn list(
    State(console): State<Shared>,
    signed: SignedIn,
    Query(q): Query<ListQuery>,
) -> Response {
    match gather_list(&console, &signed.actor, &q).await {
        Ok((waiting, vendors, breaches, total)) => {
            let statuses = [
                ("", "全部状态"),
                ("PROPOSED", "待确认"),
                ("CONFIRMED", "已确认"),
                ("DISMISSED", "不予认定"),
            ]
            .into_iter()
            .map(|(v, l)| Choice {
                value: v.into(),
                label: l.into(),
                selected: q.status == v,
            })
            .collect();
            crate::web::html(
                StatusCode::OK,
                &ListPage {
                    supervision: is_supervision(&signed.actor),
                    shell: signed.shell,
                    waiting,
                    statuses,
                    vendors,
                    month: q.month.clone(),
                    breaches,
                    total,
                },
            )
        }
        Err(e) => signed.error(e),
    }
}

type Listed = (u64, Vec<Choice>, Vec<Line>, u64);

async fn gather_list(console: &Shared, actor: &Actor, q: &ListQuery) -> DomainResult<Listed> {
    let db = &console.state.db;
    let mut also = Condition::all();
    let status = match q.status.as_str() {
        "PROPOSED" => Some(BreachStatus::Proposed),
        "CONFIRMED" => Some(BreachStatus::Confirmed),
        "DISMISSED" => Some(BreachStatus::Dismissed),
        _ => None,
    };
    if let Some(s) = status {
        also = also.add(Column::Status.eq(s));
    }
    let month = q.month.trim();
    if !month.is_empty() {
        also = also.add(Column::Period.eq(month));
    }
    let filter = ListFilter {
        vendor_id: q.vendor.parse().ok(),
        ..Default::default()
    };
    let page = store::list_where::<Breaches>(db, actor, filter, also, None, Some(200)).await?;
    let proposals = Condition::all().add(Column::Status.eq(BreachStatus::Proposed));
    let waiting =
        store::list_where::<Breaches>(db, actor, ListFilter::default(), proposals, None, Some(1))
            .await?
            .total;
    let everyone =
        store::list::<Vendors>(db, actor, ListFilter::default(), None, Some(200)).await?;
    let names: HashMap<i64, String> = everyone
        .items
        .iter()
        .map(|v| (v.id, v.name.clone()))
        .collect();
    let mut vendors = vec![Choice {
        value: String::new(),
        label: "全部服务商".into(),
        selected: q.vendor.is_empty(),
    }];
    vendors.extend(everyone.items.iter().map(|v| Choice {
        value: v.id.to_string(),
        label: v.name.clone(),
        selected: q.vendor == v.id.to_string(),
    }));
    let lines = page
        .items
        .iter()
        .map(|b| Line {
            id: b.id,
            vendor: names
                .get(&b.vendor_id)
                .cloned()
                .unwrap_or_else(|| format!("服务商 {}", b.vendor_id)),
            month: month_text(&b.period),
            description: b.description.clone(),
            penalty: b.penalty.map(money_text).unwrap_or_else(|| "—".into()),
            status: status_text(b.status),
            class: class(b.status),
            answer: b.vendor_answer.map(answer_text).unwrap_or(""),
        })
        .collect();
    Ok((waiting, vendors, lines, page.total))
}

/// A matched row with its description.
pub struct RowLine {
    pub name: String,
    pub charged: bool,
}

#[derive(askama::Template)]
#[template(path = "breach.html")]
struct BreachPage {
    shell: Shell,
    id: i64,
    vendor: String,
    region: String,
    system: String,
    occurred: String,
    month: String,
    description: String,
    evidence: String,
    rows: Vec<RowLine>,
    basis: String,
    penalty: String,
    level: String,
    status: &'static str,
    class: &'static str,
    decision: Option<String>,
    answer: Option<String>,
    notice: Option<i64>,
    can_decide: bool,
    can_answer: bool,
    message: Option<String>,
}

/// GET /breaches/{id}
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
    match gather(console, &signed.actor, signed.shell, id, message).await {
        Ok(page) => crate::web::html(status, &page),
        Err(e) => crate::web::errors::of_domain(e, &signed.nonce),
    }
}

async fn terms_of(console: &Shared, b: &Breach) -> DomainResult<Option<ContractTerms>> {
    match &b.terms_code {
        Some(code) => {
            let version = b.terms_version.map(|v| v as u32);
            domain::contract_terms::resolve(&console.state.db, code, version).await
        }
        None => Ok(None),
    }
}

fn row_name(terms: Option<&ContractTerms>, at: &RowRef) -> String {
    terms
        .and_then(|t| t.row(at))
        .map(|(table, row)| format!("{} 第{}项：{}", table.name, row.number, row.description))
        .unwrap_or_else(|| format!("{} 第{}项", at.table, at.number))
}

async fn gather(
    console: &Shared,
    actor: &Actor,
    shell: Shell,
    id: i64,
    message: Option<String>,
) -> DomainResult<BreachPage> {
    let db = &console.state.db;
    let b = store::get::<Breaches>(db, actor, id).await?;
    let vendor = store::get::<Vendors>(db, actor, b.vendor_id).await?;
    let region = store::get::<Regions>(db, actor, b.region_id).await?;
    let system = match b.system_id {
        Some(s) => store::get_many::<InformationSystems>(db, actor, vec![s])
            .await?
            .remove(&s)
            .map_or_else(|| format!("系统 {s}"), |s| s.name),
        None => "—".into(),
    };
    let terms = terms_of(console, &b).await?;
    let charged = b
        .charged_table
        .clone()
        .zip(b.charged_row)
        .map(|(t, n)| RowRef::new(&t, n as u32));
    let rows = breaches::matched_rows(&b)?
        .iter()
        .map(|at| RowLine {
            name: row_name(terms.as_ref(), at),
            charged: charged.as_ref() == Some(at),
        })
        .collect();
    let can_answer = actor.role
        == (Role::Vendor {
            vendor_id: b.vendor_id,
        })
        && b.status == BreachStatus::Confirmed
        && b.vendor_answer.is_none();
    Ok(BreachPage {
        shell,
        id,
        vendor: vendor.name,
        region: region.name,
        system,
        occurred: b.occurred_at.map(local_time).unwrap_or_else(|| "—".into()),
        month: month_text(&b.period),
        description: b.description.clone(),
        evidence: b.evidence.clone().unwrap_or_else(|| "无".into()),
        rows,
        basis: b.basis.clone(),
        penalty: b.penalty.map(money_text).unwrap_or_else(|| "—".into()),
        level: b
            .incident_level
            .map(|l| {
                format!(
                    "{}级重大事件",
                    if l == entities::breach::IncidentLevel::A {
                        "A"
                    } else {
                        "B"
                    }
                )
            })
            .unwrap_or_else(|| "否".into()),
        status: status_text(b.status),
        class: class(b.status),
        decision: b.decision_reason.clone(),
        answer: b.vendor_answer.map(|a| {
            let reason = b
                .vendor_answer_reason
                .as_deref()
                .map(|r| format!("：{r}"))
                .unwrap_or_default();
            format!("{}{reason}", answer_text(a))
        }),
        notice: b.notice_id,
        can_decide: b.status == BreachStatus::Proposed
            && domain::access::can_modify(
                actor,
                &domain::access::Policy::FACT,
                <Breaches as store::Resource>::scope(&b),
            ),
        can_answer,
        message,
    })
}

#[derive(Deserialize)]
pub struct ReasonForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    answer: String,
}

/// POST /breaches/{id}/confirm
pub async fn confirm(
    State(console): State<Shared>,
    signed: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<ReasonForm>,
) -> Response {
    if let Err(refused) = signed.check_csrf(&console, &form.csrf) {
        return refused;
    }
    let reason = Some(form.reason).filter(|r| !r.trim().is_empty());
    decide(&console, signed, id, Decision::Confirm { reason }).await
}

/// POST /breaches/{id}/dismiss: the reason is required.
pub async fn dismiss(
    State(console): State<Shared>,
    signed: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<ReasonForm>,
) -> Response {
    if let Err(refused) = signed.check_csrf(&console, &form.csrf) {
        return refused;
    }
    decide(
        &console,
        signed,
        id,
        Decision::Dismiss {
            reason: form.reason,
        },
    )
    .await
}

async fn decide(console: &Shared, signed: SignedIn, id: i64, decision: Decision) -> Response {
    let audit = signed.audit(decision.operation());
    let state = &console.state;
    let decided = jobs::breach_notices::decide(
        &state.db,
        &signed.actor,
        &audit,
        id,
        decision,
        &state.public_url,
        Utc::now(),
    )
    .await
    .map_err(DomainError::from);
    after_write(console, signed, id, decided).await
}

/// POST /breaches/{id}/answer: `answer` is ACCEPTED or DISPUTED.
pub async fn answer(
    State(console): State<Shared>,
    signed: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<ReasonForm>,
) -> Response {
    if let Err(refused) = signed.check_csrf(&console, &form.csrf) {
        return refused;
    }
    let answer = match form.answer.as_str() {
        "ACCEPTED" => VendorAnswer::Accepted,
        "DISPUTED" => VendorAnswer::Disputed,
        _ => {
            let message = "请选择接受或提出异议。".to_owned();
            return show(
                &console,
                signed,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(message),
            )
            .await;
        }
    };
    let audit = signed.audit("answerBreach");
    let reason = Some(form.reason).filter(|r| !r.trim().is_empty());
    let answered = jobs::breach_notices::answer(
        &console.state.db,
        &signed.actor,
        &audit,
        id,
        answer,
        reason,
        Utc::now(),
    )
    .await
    .map_err(DomainError::from);
    after_write(&console, signed, id, answered).await
}

async fn after_write(
    console: &Shared,
    signed: SignedIn,
    id: i64,
    written: DomainResult<Breach>,
) -> Response {
    let (status, message) = match written {
        Ok(_) => return Redirect::to(&format!("/breaches/{id}")).into_response(),
        Err(DomainError::Conflict(m)) => (StatusCode::CONFLICT, format!("{m}（请刷新页面查看）。")),
        Err(DomainError::BadInput { reason, .. }) => {
            (StatusCode::UNPROCESSABLE_ENTITY, format!("{reason}。"))
        }
        Err(e) => return signed.error(e),
    };
    show(console, signed, id, status, Some(message)).await
}

/// A row of the terms as a checkbox.
pub struct RowChoice {
    pub value: String,
    pub label: String,
}

pub struct TableChoice {
    pub name: String,
    pub rows: Vec<RowChoice>,
}

#[derive(askama::Template)]
#[template(path = "breach_new.html")]
struct NewPage {
    shell: Shell,
    region: String,
    region_id: i64,
    terms: Option<String>,
    systems: Vec<Choice>,
    tables: Vec<TableChoice>,
    message: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct RegionQuery {
    region: Option<i64>,
}

/// The region a supervisor records in: its own; an administrator's choice,
/// else the first region.
async fn region_for(
    console: &Shared,
    actor: &Actor,
    asked: Option<i64>,
) -> DomainResult<entities::region::Model> {
    let db = &console.state.db;
    match (actor.role, asked) {
        (Role::Supervisor { region_id }, _) => store::get::<Regions>(db, actor, region_id).await,
        (Role::Admin, Some(id)) => store::get::<Regions>(db, actor, id).await,
        (Role::Admin, None) => {
            store::list::<Regions>(db, actor, ListFilter::default(), None, Some(1))
                .await?
                .items
                .into_iter()
                .next()
                .ok_or_else(|| DomainError::not_found("Region"))
        }
        _ => Err(DomainError::forbidden(
            "only the supervision team records breaches",
        )),
    }
}

/// GET /breaches/new
pub async fn new_form(
    State(console): State<Shared>,
    signed: SignedIn,
    Query(q): Query<RegionQuery>,
) -> Response {
    let nonce = signed.nonce.clone();
    match new_page(&console, &signed.actor, signed.shell, q.region, None).await {
        Ok(page) => crate::web::html(StatusCode::OK, &page),
        Err(e) => crate::web::errors::of_domain(e, &nonce),
    }
}

async fn new_page(
    console: &Shared,
    actor: &Actor,
    shell: Shell,
    asked: Option<i64>,
    message: Option<String>,
) -> DomainResult<NewPage> {
    let db = &console.state.db;
    let region = region_for(console, actor, asked).await?;
    let terms = match &region.terms_code {
        Some(code) => domain::contract_terms::resolve(db, code, None).await?,
        None => None,
    };
    let filter = ListFilter {
        region_id: Some(region.id),
        ..Default::default()
    };
    let systems = store::list::<InformationSystems>(db, actor, filter, None, Some(200))
        .await?
        .items
        .into_iter()
        .map(|s| Choice {
            value: s.id.to_string(),
            label: s.name,
            selected: false,
        })
        .collect();
    let tables = terms
        .as_ref()
        .map(|t| {
            t.breach_tables
                .iter()
                .map(|table| TableChoice {
                    name: table.name.clone(),
                    rows: table
                        .rows
                        .iter()
                        .map(|r| RowChoice {
                            value: format!("{}:{}", table.code, r.number),
                            label: format!("第{}项 {}", r.number, r.description),
                        })
                        .collect(),
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(NewPage {
        shell,
        region: region.name,
        region_id: region.id,
        terms: terms.map(|t| t.name),
        systems,
        tables,
        message,
    })
}

/// POST /breaches/new: fields `region`, `system`, `occurred_at`
/// (`2024-03-05T10:00`, Beijing time), `description`, `evidence`, `row`
/// (repeated, `general:5`), `items`, `level` (A, B or empty),
/// `security_late`.
pub async fn record(
    State(console): State<Shared>,
    signed: SignedIn,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let get = |k: &str| field(&pairs, k);
    if let Err(refused) = signed.check_csrf(&console, &get("csrf")) {
        return refused;
    }
    let asked = get("region").parse().ok();
    let parsed = parse_new(&console, &signed.actor, &pairs, asked).await;
    let written = match parsed {
        Ok(new) => {
            let audit = signed.audit("recordBreach");
            jobs::breach_notices::record(
                &console.state.db,
                &signed.actor,
                &audit,
                new,
                &console.state.public_url,
                Utc::now(),
            )
            .await
            .map_err(DomainError::from)
        }
        Err(e) => Err(e),
    };
    let message = match written {
        Ok(b) => return Redirect::to(&format!("/breaches/{}", b.id)).into_response(),
        Err(DomainError::BadInput { reason, .. }) => format!("{reason}。"),
        Err(e) => return signed.error(e),
    };
    let nonce = signed.nonce.clone();
    match new_page(&console, &signed.actor, signed.shell, asked, Some(message)).await {
        Ok(page) => crate::web::html(StatusCode::UNPROCESSABLE_ENTITY, &page),
        Err(e) => crate::web::errors::of_domain(e, &nonce),
    }
}

/// A form field's value, trimmed; empty when absent.
fn field(pairs: &[(String, String)], key: &str) -> String {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_default()
}

async fn parse_new(
    console: &Shared,
    actor: &Actor,
    pairs: &[(String, String)],
    asked: Option<i64>,
) -> DomainResult<NewBreach> {
    let get = |k: &str| field(pairs, k);
    let region = region_for(console, actor, asked).await?;
    let system_id: i64 = get("system")
        .parse()
        .map_err(|_| DomainError::bad("system", "请选择信息系统"))?;
    let system = store::get_many::<InformationSystems>(&console.state.db, actor, vec![system_id])
        .await?
        .remove(&system_id)
        .filter(|s| s.region_id == region.id)
        .ok_or_else(|| DomainError::bad("system", "请选择本区域的信息系统"))?;
    let occurred = NaiveDateTime::parse_from_str(&get("occurred_at"), "%Y-%m-%dT%H:%M")
        .map_err(|_| DomainError::bad("occurred_at", "请填写发生时间（北京时间）"))?;
    let occurred_at = domain::period::shanghai()
        .from_local_datetime(&occurred)
        .single()
        .ok_or_else(|| DomainError::bad("occurred_at", "发生时间无效"))?
        .with_timezone(&Utc);
    let rows = pairs
        .iter()
        .filter(|(k, _)| k == "row")
        .filter_map(|(_, v)| {
            let (table, number) = v.split_once(':')?;
            Some(RowRef::new(table, number.parse().ok()?))
        })
        .collect();
    let items = match get("items").as_str() {
        "" => 1,
        n => n
            .parse::<u32>()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or_else(|| DomainError::bad("items", "数量应为正整数"))?,
    };
    let incident_level = match get("level").as_str() {
        "A" => Some(entities::breach::IncidentLevel::A),
        "B" => Some(entities::breach::IncidentLevel::B),
        _ => None,
    };
    let evidence = get("evidence");
    Ok(NewBreach {
        region_id: region.id,
        vendor_id: system.vendor_id,
        system_id: Some(system.id),
        occurred_at,
        description: get("description"),
        evidence: (!evidence.is_empty()).then_some(evidence),
        rows,
        items,
        incident_level,
        security_rectification_late: !get("security_late").is_empty(),
    })
}
