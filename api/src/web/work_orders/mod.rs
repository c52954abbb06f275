//! The unified work order in the console (issue 16 item 1): `/work-orders`
//! (the systems the caller may read, each with its parts), per system its
//! timeline `/systems/{id}/work-orders` (the four parts in the order
//! submitted with status, received, working days, deadline, delivered, late
//! or overdue in red; the exits' duties) with the buttons of the caller's
//! role, and the part forms `/work-orders/new?system=…&part=…`. Every read
//! and write goes through `domain::work_order_parts` with the caller, the same
//! functions the GraphQL mutations call.

mod form;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::Utc;
use engine::deadlines::DutyStatus;
use serde::Deserialize;
use tower_http::limit::RequestBodyLimitLayer;

use crate::edge::MAX_BODY_BYTES;
use crate::error::DomainError;
use crate::web::Shared;
use crate::web::format::{date_text, local_time};
use crate::web::shell::{Shell, SignedIn};
use domain::access;
use domain::actor::Role;
use domain::page::MAX_LIMIT;
use domain::reference::systems::InformationSystems;
use domain::store::{self, ListFilter, Resource};
use domain::work_order_parts::exit::{self, ExitStep, ExitView, TakenStep};
use domain::work_order_parts::{
    self as rules, PartKind, PartStatus, Submission, TimelineEntry, WorkOrderParts,
};
use form::Field;

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/work-orders", get(list).post(submit))
        .route("/work-orders/new", get(new_form))
        .route("/systems/{id}/work-orders", get(timeline))
        .route("/work-order-parts/{id}/approve", post(approve))
        .route("/work-order-parts/{id}/reject", post(reject))
        .route("/work-order-parts/{id}/complete", post(complete))
        .route(
            "/exit-duties/{id}/migration-request",
            post(request_migration),
        )
        .route("/exit-duties/{id}/migration-done", post(migration_done))
        .route("/exit-duties/{id}/erasure", post(erasure))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
}

const PARTS: [(PartKind, &str); 4] = [
    (PartKind::Onboarding, "ONBOARDING"),
    (PartKind::GoLive, "GO_LIVE"),
    (PartKind::Change, "CHANGE"),
    (PartKind::Exit, "EXIT"),
];

fn part_of(code: &str) -> Option<PartKind> {
    PARTS.iter().find(|(_, c)| *c == code).map(|(k, _)| *k)
}

fn code_of(kind: PartKind) -> &'static str {
    PARTS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("", |(_, c)| c)
}

fn title(kind: PartKind) -> &'static str {
    rules::engine_part(kind).title()
}

/// A standing as words and its colour: late and overdue in red.
fn standing(s: Option<DutyStatus>) -> (String, &'static str) {
    match s {
        None => ("不考核期限".to_owned(), "hint"),
        Some(s) => (
            s.text().to_owned(),
            if s.is_late() { "fail" } else { "pass" },
        ),
    }
}

/// One system in the list.
struct SystemLine {
    id: i64,
    name: String,
    parts: usize,
}

#[derive(askama::Template)]
#[template(path = "work_orders/list.html")]
struct ListPage {
    shell: Shell,
    systems: Vec<SystemLine>,
}

/// GET /work-orders: the systems the caller may read, with their parts.
pub async fn list(State(console): State<Shared>, signed: SignedIn) -> Response {
    let db = &console.state.db;
    let built = async {
        let systems = store::list::<InformationSystems>(
            db,
            &signed.actor,
            ListFilter::default(),
            None,
            Some(MAX_LIMIT as i64),
        )
        .await?
        .items;
        let parts = store::list::<WorkOrderParts>(
            db,
            &signed.actor,
            ListFilter::default(),
            None,
            Some(MAX_LIMIT as i64),
        )
        .await?
        .items;
        Ok::<_, DomainError>(
            systems
                .into_iter()
                .map(|s| SystemLine {
                    parts: parts.iter().filter(|p| p.system_id == s.id).count(),
                    id: s.id,
                    name: s.name,
                })
                .collect(),
        )
    }
    .await;
    match built {
        Ok(systems) => crate::web::html(
            StatusCode::OK,
            &ListPage {
                shell: signed.shell,
                systems,
            },
        ),
        Err(e) => signed.error(e),
    }
}

/// A part on the timeline.
struct PartLine {
    id: i64,
    title: &'static str,
    status: &'static str,
    submitted: String,
    received: String,
    days: String,
    deadline: String,
    completed: String,
    standing: String,
    class: &'static str,
    reason: String,
    can_decide: bool,
    can_complete: bool,
}

/// An exit's duties on the timeline.
struct ExitLine {
    id: i64,
    exit_on: String,
    migration_days: String,
    migration: String,
    migration_class: &'static str,
    erasure_due: String,
    vendor: String,
    vendor_class: &'static str,
    agency: String,
    agency_class: &'static str,
    can_request: bool,
    can_finish_migration: bool,
    can_confirm: bool,
}

#[derive(askama::Template)]
#[template(path = "work_orders/timeline.html")]
struct TimelinePage {
    shell: Shell,
    system_id: i64,
    system: String,
    parts: Vec<PartLine>,
    exits: Vec<ExitLine>,
    can_submit: bool,
    message: Option<String>,
}

fn part_line(signed: &SignedIn, e: TimelineEntry) -> PartLine {
    let p = &e.part;
    let scope = WorkOrderParts::scope(p);
    let supervisor = access::can_modify(&signed.actor, &rules::POLICY, scope);
    let vendor =
        matches!(signed.actor.role, Role::Vendor { vendor_id } if vendor_id == p.vendor_id);
    let (standing, class) = match e.received_at {
        Some(_) => standing(e.standing),
        None => (String::new(), "hint"),
    };
    PartLine {
        id: p.id,
        title: title(p.part),
        status: rules::status_text(p.status),
        submitted: local_time(p.submitted_at),
        received: e.received_at.map(local_time).unwrap_or_default(),
        days: e
            .working_days
            .map(|d| format!("{d} 个工作日"))
            .unwrap_or_else(|| "—".to_owned()),
        deadline: e.deadline.map(date_text).unwrap_or_default(),
        completed: e.completed_at.map(local_time).unwrap_or_default(),
        standing,
        class,
        reason: p.decision_reason.clone().unwrap_or_default(),
        can_decide: supervisor && p.status == PartStatus::Submitted,
        can_complete: (supervisor || vendor) && p.status == PartStatus::Approved,
    }
}

fn duty_text(s: Option<DutyStatus>, due: Option<chrono::NaiveDate>) -> (String, &'static str) {
    match (s, due) {
        (Some(s), Some(due)) => (
            format!("{}（期限 {}）", s.text(), date_text(due)),
            if s.is_late() { "fail" } else { "pass" },
        ),
        _ => ("未提出".to_owned(), "hint"),
    }
}

fn erasure_text(erased: Option<bool>, s: DutyStatus) -> (String, &'static str) {
    let answer = match erased {
        Some(true) => "清除：是；",
        Some(false) => "清除：否；",
        None => "",
    };
    (
        format!("{answer}{}", s.text()),
        if s.is_late() { "fail" } else { "pass" },
    )
}

fn exit_line(signed: &SignedIn, v: ExitView) -> ExitLine {
    let d = &v.duty;
    let scope = exit::ExitDuties::scope(d);
    let supervisor = access::can_modify(&signed.actor, &rules::POLICY, scope);
    let vendor =
        matches!(signed.actor.role, Role::Vendor { vendor_id } if vendor_id == d.vendor_id);
    let agency =
        matches!(signed.actor.role, Role::Agency { agency_id } if agency_id == d.agency_id);
    let (migration, migration_class) = duty_text(v.migration, d.migration_due);
    let (vendor_text, vendor_class) = erasure_text(d.vendor_erased, v.vendor_erasure);
    let (agency_text, agency_class) = erasure_text(d.agency_erased, v.agency_erasure);
    let confirmed = if vendor {
        d.vendor_erased == Some(true)
    } else {
        d.agency_erased == Some(true)
    };
    ExitLine {
        id: d.id,
        exit_on: date_text(d.exit_on),
        migration_days: d
            .migration_days
            .map(|n| format!("{n} 天"))
            .unwrap_or_else(|| "合同未约定".to_owned()),
        migration,
        migration_class,
        erasure_due: date_text(d.erasure_due),
        vendor: vendor_text,
        vendor_class,
        agency: agency_text,
        agency_class,
        can_request: (agency || supervisor)
            && d.migration_days.is_some()
            && d.migration_requested_at.is_none(),
        can_finish_migration: (vendor || supervisor)
            && d.migration_requested_at.is_some()
            && d.migration_done_at.is_none(),
        can_confirm: (vendor || agency) && !confirmed,
    }
}

/// GET /systems/{id}/work-orders
pub async fn timeline(
    State(console): State<Shared>,
    signed: SignedIn,
    Path(id): Path<i64>,
) -> Response {
    show(&console, signed, id, StatusCode::OK, None).await
}

async fn show(
    console: &Shared,
    signed: SignedIn,
    system_id: i64,
    status: StatusCode,
    message: Option<String>,
) -> Response {
    let built = rules::timeline(&console.state.db, &signed.actor, system_id, Utc::now()).await;
    match built {
        Ok(t) => {
            let scope = domain::access::Scope {
                region: Some(t.system.region_id),
                vendor: Some(t.system.vendor_id),
                agency: Some(t.system.agency_id),
            };
            let page = TimelinePage {
                system_id,
                system: t.system.name.clone(),
                can_submit: access::can_create(&signed.actor, &rules::POLICY, scope),
                parts: t
                    .entries
                    .into_iter()
                    .map(|e| part_line(&signed, e))
                    .collect(),
                exits: t.exits.into_iter().map(|v| exit_line(&signed, v)).collect(),
                message,
                shell: signed.shell,
            };
            crate::web::html(status, &page)
        }
        // A system outside the caller's reach is not found, like a missing one.
        Err(DomainError::BadInput { .. }) => signed.error(DomainError::not_found(format!(
            "InformationSystem {system_id}"
        ))),
        Err(e) => signed.error(e),
    }
}

/// A refusal the page shows; other errors are the error page.
fn refusal(e: &DomainError) -> Option<String> {
    match e {
        DomainError::BadInput { field, reason } => Some(format!("{reason}（{field}）。")),
        DomainError::Forbidden(_) => Some("您的角色不能办理该事项。".to_owned()),
        _ => None,
    }
}

/// After a step: back to the timeline, or the timeline with the refusal.
async fn after(
    console: &Shared,
    signed: SignedIn,
    system_id: i64,
    result: Result<(), DomainError>,
) -> Response {
    match result {
        Ok(()) => Redirect::to(&format!("/systems/{system_id}/work-orders")).into_response(),
        Err(e) => match refusal(&e) {
            Some(m) => {
                show(
                    console,
                    signed,
                    system_id,
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
pub struct NewQuery {
    system: i64,
    part: String,
}

#[derive(askama::Template)]
#[template(path = "work_orders/form.html")]
struct FormPage {
    shell: Shell,
    system_id: i64,
    system: String,
    part: &'static str,
    title: &'static str,
    fields: Vec<Field>,
    message: Option<String>,
}

async fn form_page(
    console: &Shared,
    signed: SignedIn,
    system_id: i64,
    part: PartKind,
    posted: &[(String, String)],
    status: StatusCode,
    message: Option<String>,
) -> Response {
    let system =
        rules::readable_system(&console.state.db, &signed.actor, system_id, "system").await;
    let system = system.and_then(|s| {
        let scope = domain::access::Scope {
            region: Some(s.region_id),
            vendor: Some(s.vendor_id),
            agency: Some(s.agency_id),
        };
        if access::can_create(&signed.actor, &rules::POLICY, scope) {
            Ok(s)
        } else {
            Err(DomainError::forbidden(
                "only the system's agency or the region's supervisors submit work-order parts",
            ))
        }
    });
    match system {
        Ok(system) => crate::web::html(
            status,
            &FormPage {
                system_id,
                system: system.name,
                part: code_of(part),
                title: title(part),
                fields: form::fields(part, posted),
                message,
                shell: signed.shell,
            },
        ),
        Err(e @ DomainError::Forbidden(_)) => signed.error(e),
        Err(_) => signed.error(DomainError::not_found(format!(
            "InformationSystem {system_id}"
        ))),
    }
}

/// GET /work-orders/new?system=…&part=ONBOARDING
pub async fn new_form(
    State(console): State<Shared>,
    signed: SignedIn,
    Query(q): Query<NewQuery>,
) -> Response {
    let Some(part) = part_of(&q.part) else {
        return signed.error(DomainError::bad("part", "没有该工单部分"));
    };
    form_page(&console, signed, q.system, part, &[], StatusCode::OK, None).await
}

/// POST /work-orders: a part's form.
pub async fn submit(
    State(console): State<Shared>,
    signed: SignedIn,
    Form(posted): Form<Vec<(String, String)>>,
) -> Response {
    let value = |name: &str| {
        posted
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    if let Err(refused) = signed.check_csrf(&console, &value("csrf")) {
        return refused;
    }
    let (Some(part), Ok(system_id)) = (part_of(&value("part")), value("system").parse::<i64>())
    else {
        return signed.error(DomainError::bad("part", "没有该工单部分"));
    };
    let submission = Submission {
        system_id,
        part,
        form: form::json(part, &posted),
        submitted_at: None,
    };
    let audit = signed.audit("submitWorkOrderPart");
    match rules::submit(
        &console.state.db,
        &signed.actor,
        &audit,
        submission,
        Utc::now(),
    )
    .await
    {
        Ok(_) => Redirect::to(&format!("/systems/{system_id}/work-orders")).into_response(),
        Err(e) => match refusal(&e) {
            Some(m) => {
                form_page(
                    &console,
                    signed,
                    system_id,
                    part,
                    &posted,
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
pub struct StepForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    erased: String,
}

/// The system of a part or an exit the caller may read (for the redirect).
async fn system_of_part(console: &Shared, signed: &SignedIn, id: i64) -> Result<i64, DomainError> {
    Ok(
        store::get::<WorkOrderParts>(&console.state.db, &signed.actor, id)
            .await?
            .system_id,
    )
}

async fn system_of_exit(console: &Shared, signed: &SignedIn, id: i64) -> Result<i64, DomainError> {
    Ok(
        store::get::<exit::ExitDuties>(&console.state.db, &signed.actor, id)
            .await?
            .system_id,
    )
}

enum PartAction {
    Approve,
    Reject,
    Complete,
}

async fn part_action(
    console: Shared,
    signed: SignedIn,
    id: i64,
    form: StepForm,
    action: PartAction,
) -> Response {
    if let Err(refused) = signed.check_csrf(&console, &form.csrf) {
        return refused;
    }
    let system_id = match system_of_part(&console, &signed, id).await {
        Ok(s) => s,
        Err(e) => return signed.error(e),
    };
    let db = &console.state.db;
    let now = Utc::now();
    let result = match action {
        PartAction::Approve => {
            let audit = signed.audit("approveWorkOrderPart");
            rules::approve(db, &signed.actor, &audit, id, None, now).await
        }
        PartAction::Reject => {
            let audit = signed.audit("rejectWorkOrderPart");
            rules::reject(db, &signed.actor, &audit, id, form.reason, now).await
        }
        PartAction::Complete => {
            let audit = signed.audit("completeWorkOrderPart");
            rules::complete(db, &signed.actor, &audit, id, None, now).await
        }
    };
    after(&console, signed, system_id, result.map(|_| ())).await
}

/// POST /work-order-parts/{id}/approve
pub async fn approve(
    State(console): State<Shared>,
    signed: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<StepForm>,
) -> Response {
    part_action(console, signed, id, form, PartAction::Approve).await
}

/// POST /work-order-parts/{id}/reject: the reason is required.
pub async fn reject(
    State(console): State<Shared>,
    signed: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<StepForm>,
) -> Response {
    part_action(console, signed, id, form, PartAction::Reject).await
}

/// POST /work-order-parts/{id}/complete
pub async fn complete(
    State(console): State<Shared>,
    signed: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<StepForm>,
) -> Response {
    part_action(console, signed, id, form, PartAction::Complete).await
}

async fn exit_action(
    console: Shared,
    signed: SignedIn,
    id: i64,
    csrf: &str,
    step: ExitStep,
    operation: &str,
) -> Response {
    if let Err(refused) = signed.check_csrf(&console, csrf) {
        return refused;
    }
    let system_id = match system_of_exit(&console, &signed, id).await {
        Ok(s) => s,
        Err(e) => return signed.error(e),
    };
    let audit = signed.audit(operation);
    let taken = TakenStep { step, at: None };
    let result = exit::step(
        &console.state.db,
        &signed.actor,
        &audit,
        id,
        taken,
        Utc::now(),
    )
    .await
    .map(|_| ());
    after(&console, signed, system_id, result).await
}

/// POST /exit-duties/{id}/migration-request
pub async fn request_migration(
    State(console): State<Shared>,
    signed: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<StepForm>,
) -> Response {
    let step = ExitStep::RequestMigration;
    exit_action(
        console,
        signed,
        id,
        &form.csrf,
        step,
        "requestMigrationHelp",
    )
    .await
}

/// POST /exit-duties/{id}/migration-done
pub async fn migration_done(
    State(console): State<Shared>,
    signed: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<StepForm>,
) -> Response {
    let step = ExitStep::CompleteMigration;
    exit_action(
        console,
        signed,
        id,
        &form.csrf,
        step,
        "completeMigrationHelp",
    )
    .await
}

/// POST /exit-duties/{id}/erasure: erased = `yes` (是) or `no` (否).
pub async fn erasure(
    State(console): State<Shared>,
    signed: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<StepForm>,
) -> Response {
    let step = ExitStep::ConfirmErasure {
        erased: form.erased == "yes",
    };
    exit_action(console, signed, id, &form.csrf, step, "confirmErasure").await
}
