//! Disputes (申诉) in the console (issue 14, item 3): a vendor disputes a
//! deduction from its scorecard (`POST /results/{id}/disputes`, a reason and
//! at most one file), its disputes and the region's are listed at
//! `/disputes` (open ones first), and one dispute's page
//! `/disputes/{id}` (the mails' link) shows the deduction, the reason, the
//! file and the outcome, with the supervisor's accept (取消服务商责任 or
//! 取消确认) and reject forms while it is open.
//!
//! Every read goes through the store with the caller (another vendor's
//! dispute or file is 404); filing and deciding go through
//! `jobs::disputes`, the functions the GraphQL mutations call (the same
//! checks, audit entries, mails and re-run).

use std::collections::HashMap;

use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::Utc;
use engine::{FactKind, FactRef};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Deserialize;
use tower_http::limit::RequestBodyLimitLayer;

use crate::edge::MAX_BODY_BYTES;
use crate::error::{DomainError, DomainResult};
use crate::web::Shared;
use crate::web::format::{date_text, local_time, month_text, points_text};
use crate::web::notices::{UploadForm, read_file, read_upload, refusal_text, size_text};
use crate::web::shell::{Shell, SignedIn};
use domain::actor::{Actor, Role};
use domain::assessments::AssessmentResults;
use domain::disputes::{self, ClearedFlag, Decision, Dispute, DisputeStatus, Disputes};
use domain::notice_attachments::{self, Upload};
use domain::reference::{regions::Regions, vendors::Vendors};
use domain::store;

/// The console's dispute pages and forms; the filing form, which may carry
/// a file, has its own body limit (`ATTACHMENT_MAX_BYTES` and the form).
pub fn routes(attachment_max_bytes: usize) -> Router<Shared> {
    let upload = Router::new()
        .route("/results/{id}/disputes", post(file))
        .layer(DefaultBodyLimit::disable())
        .layer(RequestBodyLimitLayer::new(
            attachment_max_bytes + MAX_BODY_BYTES,
        ));
    Router::new()
        .route("/disputes", get(list))
        .route("/disputes/{id}", get(page))
        .route("/disputes/{id}/accept", post(accept))
        .route("/disputes/{id}/reject", post(reject))
        .route("/disputes/{id}/attachment", get(download))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .merge(upload)
}

/// Where a dispute is, in Chinese.
pub fn status_text(status: DisputeStatus) -> &'static str {
    match status {
        DisputeStatus::Open => "待处理",
        DisputeStatus::Accepted => "已采纳",
        DisputeStatus::Rejected => "已驳回",
    }
}

/// `complaint:7`: how a scorecard's form names the disputed fact.
pub fn fact_key(fact: FactRef) -> String {
    format!("{}:{}", fact.kind.as_str(), fact.id)
}

fn parse_fact_key(key: &str) -> Option<(String, i64)> {
    let (kind, id) = key.split_once(':')?;
    Some((kind.to_owned(), id.parse().ok()?))
}

/// A dispute as the scorecard shows it beside its fact.
#[derive(Clone)]
pub struct DisputeMark {
    pub href: String,
    pub status: &'static str,
    /// `pass`, `fail` or `hint`: how the status is coloured.
    pub class: &'static str,
    /// What follows the status: `（取消服务商责任）：…` (the flag cleared,
    /// the decision's reason), `：…` of a rejection; empty while open.
    pub detail: String,
}

/// What a scorecard shows of its month's disputes.
#[derive(Default)]
pub struct OnScorecard {
    /// The reader is the result's vendor and may dispute now: until when.
    pub open_until: Option<String>,
    /// Why the vendor may not dispute this result (past the window, …).
    pub closed_because: Option<String>,
    /// The latest dispute of each fact.
    pub by_fact: HashMap<FactRef, DisputeMark>,
    /// The facts that already have an open or accepted dispute (no form).
    pub settled: Vec<FactRef>,
}

impl OnScorecard {
    /// The form's value for a fact the vendor may dispute now.
    pub fn form_for(&self, fact: FactRef) -> Option<String> {
        let open = self.open_until.is_some()
            && disputes::DISPUTABLE.contains(&fact.kind)
            && !self.settled.contains(&fact);
        open.then(|| fact_key(fact))
    }
}

/// The disputes of a result's month and whether its reader may dispute now.
pub async fn on_scorecard(
    console: &Shared,
    actor: &Actor,
    row: &entities::assessment_result::Model,
) -> DomainResult<OnScorecard> {
    let db = &console.state.db;
    let rows = disputes::of_month(db, actor, row.region_id, row.vendor_id, &row.period).await?;
    let mut out = OnScorecard::default();
    for d in rows {
        let Some(kind) = disputes::disputable_kind(&d.fact_kind) else {
            continue;
        };
        let fact = FactRef {
            kind,
            id: d.fact_id,
        };
        if d.status != DisputeStatus::Rejected {
            out.settled.push(fact);
        }
        out.by_fact.insert(fact, mark(&d));
    }
    if actor.role
        == (Role::Vendor {
            vendor_id: row.vendor_id,
        })
    {
        let window = console.state.dispute_window_working_days;
        match disputes::window(db, row, window, Utc::now()).await {
            Ok(last) => out.open_until = Some(date_text(last)),
            Err(DomainError::BadInput { reason, .. }) => out.closed_because = Some(reason),
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

fn mark(d: &Dispute) -> DisputeMark {
    DisputeMark {
        href: format!("/disputes/{}", d.id),
        status: status_text(d.status),
        class: match d.status {
            DisputeStatus::Open => "hint",
            DisputeStatus::Accepted => "pass",
            DisputeStatus::Rejected => "fail",
        },
        detail: detail(d),
    }
}

/// `（取消服务商责任）：…` or `：…` (a rejection's reason); empty while open.
fn detail(d: &Dispute) -> String {
    let cleared = d
        .cleared
        .map(|flag| format!("（{}）", jobs::disputes::cleared_text(flag)))
        .unwrap_or_default();
    let reason = d
        .decision_reason
        .as_deref()
        .map(|r| format!("：{r}"))
        .unwrap_or_default();
    format!("{cleared}{reason}")
}

/// `已采纳（取消服务商责任）：…` or `已驳回：…`; none while open.
fn outcome(d: &Dispute) -> Option<String> {
    (d.status != DisputeStatus::Open).then(|| format!("{}{}", status_text(d.status), detail(d)))
}

/// A refused dispute form, shown on the scorecard beside its fact.
pub struct Refused {
    /// The form's fact (`complaint:7`).
    pub fact: String,
    pub message: String,
    /// The reason as the vendor wrote it, kept for another try.
    pub reason: String,
}

/// What the filing form carried.
#[derive(Default)]
struct Filing {
    csrf: String,
    fact: String,
    reason: String,
    uploads: Vec<Upload>,
}

/// POST /results/{id}/disputes (multipart: `fact`, `reason`, `file`).
pub async fn file(
    State(console): State<Shared>,
    signed: SignedIn,
    Path(result_id): Path<i64>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let form = match read_upload(&console, &signed, multipart, read_filing).await {
        Ok(form) => form,
        Err(refused) => return refused,
    };
    let refuse = |message: String| Refused {
        fact: form.fact.clone(),
        message,
        reason: form.reason.clone(),
    };
    let Some((fact_kind, fact_id)) = parse_fact_key(&form.fact) else {
        let refused = refuse("请选择要申诉的扣分。".to_owned());
        return again(&console, signed, result_id, refused).await;
    };
    if form.uploads.len() > 1 {
        let refused = refuse("申诉只能附一个文件（PDF、PNG 或 JPEG）。".to_owned());
        return again(&console, signed, result_id, refused).await;
    }
    let attachment = match notice_attachments::check(form.uploads, console.attachment_max_bytes) {
        Ok(mut files) => files.pop(),
        Err(r) => {
            let refused = refuse(refusal_text(&r));
            return again(&console, signed, result_id, refused).await;
        }
    };
    let new = disputes::NewDispute {
        fact_kind,
        fact_id,
        reason: form.reason.clone(),
    };
    let audit = signed.audit("disputeDeduction");
    let filed = jobs::disputes::file(
        &console.state.db,
        &signed.actor,
        &audit,
        result_id,
        new,
        attachment,
        console.state.dispute_settings(),
        Utc::now(),
    )
    .await
    .map_err(DomainError::from);
    match filed {
        Ok(d) => Redirect::to(&format!("/disputes/{}", d.id)).into_response(),
        Err(DomainError::BadInput { field, reason }) => {
            let message = if field == "input.reason" && form.reason.trim().is_empty() {
                "请填写申诉理由（不能为空）。".to_owned()
            } else {
                format!("{reason}。")
            };
            again(&console, signed, result_id, refuse(message)).await
        }
        Err(DomainError::Forbidden(_)) => {
            let refused = refuse("只有该考核结果的云服务商可以对其扣分提出申诉。".to_owned());
            crate::web::scorecard::answer(
                &console,
                signed,
                result_id,
                StatusCode::FORBIDDEN,
                Some(refused),
            )
            .await
        }
        Err(e) => signed.error(e),
    }
}

/// The scorecard again, with the refusal beside the form (422).
async fn again(console: &Shared, signed: SignedIn, result_id: i64, refused: Refused) -> Response {
    crate::web::scorecard::answer(
        console,
        signed,
        result_id,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some(refused),
    )
    .await
}

impl UploadForm for Filing {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

async fn read_filing(mut multipart: Multipart, max_bytes: usize) -> Result<Filing, StatusCode> {
    let mut form = Filing::default();
    let status = |e: axum::extract::multipart::MultipartError| e.status();
    while let Some(mut field) = multipart.next_field().await.map_err(status)? {
        match field.name() {
            Some("csrf") => form.csrf = field.text().await.map_err(status)?,
            Some("fact") => form.fact = field.text().await.map_err(status)?,
            Some("reason") => form.reason = field.text().await.map_err(status)?,
            // Two are enough to know there are too many.
            Some("file") if form.uploads.len() < 2 => {
                if let Some(upload) = read_file(&mut field, max_bytes).await? {
                    form.uploads.push(upload);
                }
            }
            _ => {}
        }
    }
    Ok(form)
}

/// A dispute as the list shows it.
pub struct DisputeLine {
    pub id: i64,
    pub vendor: String,
    pub month: String,
    pub indicator: String,
    pub points: String,
    pub fact: String,
    pub status: &'static str,
    pub class: &'static str,
    pub created_at: String,
}

#[derive(askama::Template)]
#[template(path = "disputes.html")]
struct ListPage {
    shell: Shell,
    vendor_view: bool,
    disputes: Vec<DisputeLine>,
}

/// GET /disputes: the disputes the caller may read, open ones first.
pub async fn list(State(console): State<Shared>, signed: SignedIn) -> Response {
    let db = &console.state.db;
    let lines = async {
        let rows = disputes::open_first(db, &signed.actor).await?;
        let ids = rows.iter().map(|d| d.vendor_id).collect();
        let vendors = store::get_many::<Vendors>(db, &signed.actor, ids).await?;
        Ok::<_, DomainError>(
            rows.into_iter()
                .map(|d| DisputeLine {
                    id: d.id,
                    vendor: vendors
                        .get(&d.vendor_id)
                        .map_or_else(|| format!("服务商 {}", d.vendor_id), |v| v.name.clone()),
                    month: month_text(&d.period),
                    indicator: d.indicator.clone(),
                    points: points_text(d.points),
                    fact: fact_text(&d),
                    status: status_text(d.status),
                    class: mark(&d).class,
                    created_at: local_time(d.created_at),
                })
                .collect::<Vec<_>>(),
        )
    }
    .await;
    match lines {
        Ok(disputes) => crate::web::html(
            StatusCode::OK,
            &ListPage {
                vendor_view: matches!(signed.actor.role, Role::Vendor { .. }),
                shell: signed.shell,
                disputes,
            },
        ),
        Err(e) => signed.error(e),
    }
}

/// `投诉 #7`.
fn fact_text(d: &Dispute) -> String {
    match disputes::disputable_kind(&d.fact_kind) {
        Some(kind) => format!("{} #{}", crate::web::facts::kind_label(kind), d.fact_id),
        None => format!("{} #{}", d.fact_kind, d.fact_id),
    }
}

/// A link with its text.
pub struct Link {
    pub href: String,
    pub text: String,
}

#[derive(askama::Template)]
#[template(path = "dispute.html")]
struct DisputePage {
    shell: Shell,
    id: i64,
    vendor: String,
    region: String,
    month: String,
    result: Option<Link>,
    deduction: String,
    fact: Link,
    reason: String,
    attachment: Option<Link>,
    filed_by: String,
    filed_at: String,
    status: &'static str,
    class: &'static str,
    outcome: Option<String>,
    decided: Option<String>,
    rerun: Option<Link>,
    /// Accepted, but the month was not re-run (another run under way…).
    rerun_missing: bool,
    can_decide: bool,
    message: Option<String>,
}

/// GET /disputes/{id}
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

async fn gather(
    console: &Shared,
    actor: &Actor,
    shell: Shell,
    id: i64,
    message: Option<String>,
) -> DomainResult<DisputePage> {
    let db = &console.state.db;
    let d = store::get::<Disputes>(db, actor, id).await?;
    let vendor = store::get::<Vendors>(db, actor, d.vendor_id).await?;
    let region = store::get::<Regions>(db, actor, d.region_id).await?;
    let result = disputes::result_of(db, actor, &d).await?;
    let deduction = match &result {
        Some(r) => disputes::deduction_text(r, &d),
        None => format!("{} 扣 {} 分", d.indicator, points_text(d.points)),
    };
    let kind = disputes::disputable_kind(&d.fact_kind).unwrap_or(FactKind::Complaint);
    let fact_ref = FactRef {
        kind,
        id: d.fact_id,
    };
    let named = domain::facts::named::named(db, actor, &[fact_ref]).await?;
    let fact = Link {
        href: crate::web::facts::fact_url(kind, d.fact_id),
        text: named
            .get(&fact_ref)
            .and_then(|n| n.title.clone())
            .map_or_else(
                || fact_text(&d),
                |t| format!("{}「{t}」", crate::web::facts::kind_label(kind)),
            ),
    };
    let attachment = disputes::attachment(db, actor, id).await?.map(|a| Link {
        href: format!("/disputes/{id}/attachment"),
        text: format!("{}（{}）", a.file_name, size_text(a.size)),
    });
    let users = user_names(console, [Some(d.created_by), d.decided_by]).await?;
    let name = |u: i64| {
        users
            .get(&u)
            .cloned()
            .unwrap_or_else(|| format!("用户 {u}"))
    };
    let rerun = match d.rerun_id {
        Some(run) => rerun_link(console, actor, run, d.vendor_id).await?,
        None => None,
    };
    Ok(DisputePage {
        shell,
        id,
        vendor: vendor.name,
        region: region.name,
        month: month_text(&d.period),
        result: result.as_ref().map(|r| Link {
            href: format!("/results/{}", r.id),
            text: format!("第 {} 版（已发布）", r.revision),
        }),
        deduction,
        fact,
        reason: d.reason.clone(),
        attachment,
        filed_by: name(d.created_by),
        filed_at: local_time(d.created_at),
        status: status_text(d.status),
        class: mark(&d).class,
        outcome: outcome(&d),
        decided: d
            .decided_by
            .zip(d.decided_at)
            .map(|(by, at)| format!("{}，{}", name(by), local_time(at))),
        rerun_missing: d.status == DisputeStatus::Accepted && d.rerun_id.is_none(),
        rerun,
        can_decide: d.status == DisputeStatus::Open && disputes::may_decide(actor, &d),
        message,
    })
}

/// The usernames of the given users.
async fn user_names(console: &Shared, ids: [Option<i64>; 2]) -> DomainResult<HashMap<i64, String>> {
    let ids: Vec<i64> = ids.into_iter().flatten().collect();
    let users = entities::user::Entity::find()
        .filter(entities::user::Column::Id.is_in(ids))
        .all(&console.state.db)
        .await?;
    Ok(users.into_iter().map(|u| (u.id, u.username)).collect())
}

/// The vendor's result of the re-run, if the reader may read it.
async fn rerun_link(
    console: &Shared,
    actor: &Actor,
    run_id: i64,
    vendor_id: i64,
) -> DomainResult<Option<Link>> {
    use entities::assessment_result::{Column, Entity};
    let found = Entity::find()
        .filter(Column::RunId.eq(run_id))
        .filter(Column::VendorId.eq(vendor_id))
        .one(&console.state.db)
        .await?;
    let Some(found) = found else {
        return Ok(None);
    };
    let readable = store::get_many::<AssessmentResults>(&console.state.db, actor, vec![found.id])
        .await?
        .remove(&found.id);
    Ok(readable.map(|r| Link {
        href: format!("/results/{}", r.id),
        text: format!(
            "第 {} 版（{}），总分 {}",
            r.revision,
            if r.published {
                "已发布"
            } else {
                "草稿，待发布"
            },
            points_text(r.total)
        ),
    }))
}

#[derive(Deserialize)]
pub struct AcceptForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    clear: String,
    #[serde(default)]
    reason: String,
}

#[derive(Deserialize)]
pub struct RejectForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reason: String,
}

/// POST /disputes/{id}/accept: `clear` is `VENDOR_LIABLE` or `CONFIRMED`.
pub async fn accept(
    State(console): State<Shared>,
    signed: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<AcceptForm>,
) -> Response {
    if let Err(refused) = signed.check_csrf(&console, &form.csrf) {
        return refused;
    }
    let clear = match form.clear.as_str() {
        "VENDOR_LIABLE" => ClearedFlag::VendorLiable,
        "CONFIRMED" => ClearedFlag::Confirmed,
        _ => {
            let message = "请选择采纳方式：取消服务商责任或取消确认。".to_owned();
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
    let reason = Some(form.reason).filter(|r| !r.trim().is_empty());
    decide(&console, signed, id, Decision::Accept { clear, reason }).await
}

/// POST /disputes/{id}/reject: the reason is required.
pub async fn reject(
    State(console): State<Shared>,
    signed: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<RejectForm>,
) -> Response {
    if let Err(refused) = signed.check_csrf(&console, &form.csrf) {
        return refused;
    }
    decide(
        &console,
        signed,
        id,
        Decision::Reject {
            reason: form.reason,
        },
    )
    .await
}

async fn decide(console: &Shared, signed: SignedIn, id: i64, decision: Decision) -> Response {
    let rejecting = matches!(decision, Decision::Reject { .. });
    let audit = signed.audit(decision.operation());
    let state = &console.state;
    let decided = jobs::disputes::decide(
        &state.db,
        &state.lease,
        &*state.metrics,
        &signed.actor,
        &audit,
        id,
        decision,
        state.dispute_settings(),
        Utc::now(),
    )
    .await
    .map_err(DomainError::from);
    let refused = |status: StatusCode, message: &str| (status, Some(message.to_owned()));
    let (status, message) = match decided {
        Ok(_) => return Redirect::to(&format!("/disputes/{id}")).into_response(),
        Err(DomainError::Forbidden(_)) => refused(
            StatusCode::FORBIDDEN,
            "申诉由本区域监管人员处理，您不能处理此申诉。",
        ),
        Err(DomainError::BadInput { field, .. }) if field == "id" => refused(
            StatusCode::CONFLICT,
            "该申诉已处理，不能再次处理（请刷新页面查看处理结果）。",
        ),
        Err(DomainError::BadInput { .. }) if rejecting => refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            "驳回申诉须填写驳回理由（不能为空，不超过 2000 字）。",
        ),
        Err(DomainError::BadInput { reason, .. }) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(format!("{reason}。")),
        ),
        Err(e) => return signed.error(e),
    };
    show(console, signed, id, status, message).await
}

/// GET /disputes/{id}/attachment: the dispute's file, to who may read it.
pub async fn download(
    State(console): State<Shared>,
    signed: SignedIn,
    Path(id): Path<i64>,
) -> Response {
    match disputes::download(&console.state.db, &signed.actor, id).await {
        Ok(file) => {
            crate::web::download::attachment(file.bytes, &file.content_type, &file.file_name)
        }
        Err(e) => signed.error(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_names_its_fact_by_kind_and_id() {
        let fact = FactRef {
            kind: FactKind::Complaint,
            id: 7,
        };
        assert_eq!(fact_key(fact), "complaint:7");
        assert_eq!(parse_fact_key("complaint:7"), Some(("complaint".into(), 7)));
        assert_eq!(parse_fact_key("complaint"), None);
        assert_eq!(parse_fact_key("complaint:x"), None);
    }
}
