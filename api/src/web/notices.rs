//! Rectification notices in the console (issue 13, items 3 and 4): the list
//! each role may read, one notice as its mail tells it with its history, its
//! attachments and the steps the viewer may take in its state, and the
//! attachments' download. The mail's link `{PUBLIC_URL}/notices/{id}` leads
//! here (signed out: through sign-in and back, `shell::SignedIn`).
//!
//! Every read goes through the store with the caller (a notice it may not read
//! is 404, nothing of it shown); every step through
//! `jobs::notices::take_step`, the function the GraphQL mutations call (the
//! same checks, audit entry and mails).

use axum::Form;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use serde::Deserialize;

use crate::error::{DomainError, DomainResult};
use crate::web::Shared;
use crate::web::format::{date_text, local_time};
use crate::web::shell::{Shell, SignedIn};
use domain::actor::Actor;
use domain::notice_attachments::{self, MAX_FILES, Refusal, Upload};
use domain::notices::{self, NoticeKind, NoticeStatus, Step};
use domain::page::MAX_LIMIT;
use domain::reference::notices::Notices;
use domain::reference::regions::Regions;
use domain::reference::vendors::Vendors;
use domain::store::{self, ListFilter};
use entities::notice::Model as NoticeRow;

/// The longest rectification text (characters), as `domain::notices::advance` checks.
const MAX_RECTIFICATION_CHARS: usize = 10_000;

/// A notice's kind in the words of its mail's subject.
pub fn kind_text(kind: NoticeKind) -> &'static str {
    jobs::mail::templates::topic(kind)
}

/// Where a notice is, in Chinese.
pub fn status_text(status: NoticeStatus) -> &'static str {
    match status {
        NoticeStatus::Issued => "待确认收到",
        NoticeStatus::Acknowledged => "已确认收到，待提交整改",
        NoticeStatus::Submitted => "已提交整改，待验收",
        NoticeStatus::Accepted => "已验收通过",
        NoticeStatus::Reopened => "已退回，待重新整改",
        NoticeStatus::Superseded => "已撤销（新的考核结果不再支持）",
    }
}

/// A step as its button says it.
fn step_label(step: Step) -> &'static str {
    match step {
        Step::Acknowledge => "确认收到",
        Step::Submit => "提交整改情况",
        Step::Accept => "验收通过",
        Step::Reopen => "退回重新整改",
    }
}

/// A step as its history line says it.
fn step_done(step: Option<Step>) -> &'static str {
    match step {
        None => "签发通知",
        Some(Step::Acknowledge) => "确认收到",
        Some(Step::Submit) => "提交整改情况",
        Some(Step::Accept) => "验收通过",
        Some(Step::Reopen) => "退回重新整改",
    }
}

/// The statuses the list can be narrowed to (`status=` in the address).
const STATUSES: [NoticeStatus; 6] = [
    NoticeStatus::Issued,
    NoticeStatus::Acknowledged,
    NoticeStatus::Submitted,
    NoticeStatus::Reopened,
    NoticeStatus::Accepted,
    NoticeStatus::Superseded,
];

/// A notice as a list shows it.
pub struct NoticeLine {
    pub id: i64,
    pub document_number: String,
    pub kind: &'static str,
    pub vendor: String,
    pub deadline: String,
    pub status: &'static str,
    pub overdue: bool,
}

/// The lines of `rows`, the vendors named (each read through the store).
pub async fn lines(
    console: &Shared,
    actor: &Actor,
    rows: Vec<NoticeRow>,
) -> DomainResult<Vec<NoticeLine>> {
    let ids = rows.iter().map(|n| n.vendor_id).collect();
    let vendors = store::get_many::<Vendors>(&console.state.db, actor, ids).await?;
    let now = Utc::now();
    Ok(rows
        .into_iter()
        .map(|n| NoticeLine {
            id: n.id,
            overdue: notices::is_overdue(&n, now),
            vendor: vendors
                .get(&n.vendor_id)
                .map_or_else(|| format!("服务商 {}", n.vendor_id), |v| v.name.clone()),
            document_number: n.document_number,
            kind: kind_text(n.kind),
            deadline: date_text(n.deadline),
            status: status_text(n.status),
        })
        .collect())
}

/// The newest notices the actor may read (at most `MAX_LIMIT`), newest first.
pub async fn newest(console: &Shared, actor: &Actor) -> DomainResult<Vec<NoticeRow>> {
    let db = &console.state.db;
    let total = store::list::<Notices>(db, actor, ListFilter::default(), None, Some(1))
        .await?
        .total;
    let offset = total.saturating_sub(MAX_LIMIT) as i64;
    let mut rows = store::list::<Notices>(
        db,
        actor,
        ListFilter::default(),
        Some(offset),
        Some(MAX_LIMIT as i64),
    )
    .await?
    .items;
    rows.reverse();
    Ok(rows)
}

/// The open notices of `rows` (not accepted nor superseded).
pub fn open(rows: Vec<NoticeRow>) -> Vec<NoticeRow> {
    rows.into_iter()
        .filter(|n| !NoticeStatus::CLOSED.contains(&n.status))
        .collect()
}

/// An option of the status filter.
pub struct StatusOption {
    pub value: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

#[derive(askama::Template)]
#[template(path = "notices.html")]
struct ListPage {
    shell: Shell,
    options: Vec<StatusOption>,
    notices: Vec<NoticeLine>,
    /// More notices exist than the page lists.
    truncated: bool,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    status: Option<String>,
}

/// GET /notices?status=open|ISSUED|…
pub async fn list(
    State(console): State<Shared>,
    signed: SignedIn,
    Query(query): Query<ListQuery>,
) -> Response {
    let wanted = query.status.unwrap_or_default();
    let rows = match newest(&console, &signed.actor).await {
        Ok(rows) => rows,
        Err(e) => return signed.error(e),
    };
    let truncated = rows.len() as u64 >= MAX_LIMIT;
    let rows: Vec<NoticeRow> = match wanted.as_str() {
        "open" => open(rows),
        "" => rows,
        other => rows
            .into_iter()
            .filter(|n| n.status.as_str() == other)
            .collect(),
    };
    let mut options = vec![
        StatusOption {
            value: "",
            label: "全部",
            selected: wanted.is_empty(),
        },
        StatusOption {
            value: "open",
            label: "未完结",
            selected: wanted == "open",
        },
    ];
    options.extend(STATUSES.iter().map(|s| StatusOption {
        value: s.as_str(),
        label: status_text(*s),
        selected: wanted == s.as_str(),
    }));
    match lines(&console, &signed.actor, rows).await {
        Ok(notices) => crate::web::html(
            StatusCode::OK,
            &ListPage {
                shell: signed.shell,
                options,
                notices,
                truncated,
            },
        ),
        Err(e) => signed.error(e),
    }
}

/// A line of the notice's history.
pub struct HistoryText {
    pub what: &'static str,
    pub by: String,
    pub at: String,
}

/// An attachment as the page lists it.
pub struct AttachmentLine {
    pub href: String,
    pub file_name: String,
    pub size: String,
    pub uploaded_at: String,
}

/// A step the viewer may take now, as a form.
pub struct Action {
    pub path: String,
    pub label: &'static str,
    /// What the confirmation says will happen (supervisors' decisions).
    pub confirm: Option<&'static str>,
}

/// What a refused form says, and where.
#[derive(Default)]
pub struct Feedback {
    /// A refused step, said at the top.
    pub message: Option<String>,
    pub rectification_error: Option<String>,
    pub files_error: Option<String>,
    /// The text the vendor wrote, kept for another try.
    pub rectification: String,
}

#[derive(askama::Template)]
#[template(path = "notice.html")]
struct NoticePage {
    shell: Shell,
    id: i64,
    document_number: String,
    kind: &'static str,
    vendor: String,
    region: String,
    reason: String,
    basis: Vec<String>,
    deadline: String,
    overdue: bool,
    status: &'static str,
    rectification: Option<String>,
    result_href: Option<String>,
    contact: String,
    history: Vec<HistoryText>,
    attachments: Vec<AttachmentLine>,
    actions: Vec<Action>,
    /// The vendor may submit its rectification now (the upload form).
    can_submit: bool,
    max_files: usize,
    max_size: String,
    feedback: Feedback,
}

/// GET /notices/{id}
pub async fn page(
    State(console): State<Shared>,
    signed: SignedIn,
    Path(id): Path<i64>,
) -> Response {
    show(&console, signed, id, StatusCode::OK, Feedback::default()).await
}

/// The notice's page with `feedback`, answered with `status`.
async fn show(
    console: &Shared,
    signed: SignedIn,
    id: i64,
    status: StatusCode,
    feedback: Feedback,
) -> Response {
    match gather(console, &signed.actor, signed.shell, id).await {
        Ok(mut page) => {
            page.feedback = feedback;
            crate::web::html(status, &page)
        }
        Err(e) => crate::web::errors::of_domain(e, &signed.nonce),
    }
}

async fn gather(
    console: &Shared,
    actor: &Actor,
    shell: Shell,
    id: i64,
) -> DomainResult<NoticePage> {
    let db = &console.state.db;
    let n = store::get::<Notices>(db, actor, id).await?;
    let vendor = store::get::<Vendors>(db, actor, n.vendor_id).await?;
    let region = store::get::<Regions>(db, actor, n.region_id).await?;
    let history = notices::history(db, actor, id)
        .await?
        .into_iter()
        .map(|h| HistoryText {
            what: step_done(h.step),
            by: h.by.unwrap_or_else(|| "系统（考核发布）".to_owned()),
            at: local_time(h.at),
        })
        .collect();
    let attachments = notice_attachments::list(db, actor, id)
        .await?
        .into_iter()
        .map(|a| AttachmentLine {
            href: format!("/notices/{id}/attachments/{}", a.id),
            file_name: a.file_name,
            size: size_text(a.size),
            uploaded_at: local_time(a.uploaded_at),
        })
        .collect();
    let theirs = |step: Step| step.allowed_in(n.status) && notices::is_theirs(actor, &n, step);
    let actions = [Step::Acknowledge, Step::Accept, Step::Reopen]
        .into_iter()
        .filter(|s| theirs(*s))
        .map(|s| Action {
            path: format!("/notices/{id}/{}", action_path(s)),
            label: step_label(s),
            confirm: match s {
                Step::Accept => Some("确认验收通过？通知将关闭，并以邮件告知服务商。"),
                Step::Reopen => Some("确认退回重新整改？服务商将收到邮件，需要重新提交整改情况。"),
                _ => None,
            },
        })
        .collect();
    Ok(NoticePage {
        shell,
        id,
        overdue: notices::is_overdue(&n, Utc::now()),
        basis: notices::basis(&n)?,
        can_submit: theirs(Step::Submit),
        document_number: n.document_number,
        kind: kind_text(n.kind),
        vendor: vendor.name,
        contact: jobs::mail::templates::contact_text(region.contact.as_deref(), &region.name),
        region: region.name,
        reason: n.reason,
        deadline: date_text(n.deadline),
        status: status_text(n.status),
        rectification: n.rectification,
        result_href: n.result_id.map(|r| format!("/results/{r}")),
        history,
        attachments,
        actions,
        max_files: MAX_FILES,
        max_size: size_text(console.attachment_max_bytes as i64),
        feedback: Feedback::default(),
    })
}

/// The last segment of a step's form address.
fn action_path(step: Step) -> &'static str {
    match step {
        Step::Acknowledge => "acknowledge",
        Step::Submit => "submit",
        Step::Accept => "accept",
        Step::Reopen => "reopen",
    }
}

/// A size as people read it: `512 字节`, `12.5 KB`, `10 MB`.
pub fn size_text(bytes: i64) -> String {
    const KIB: i64 = 1024;
    match bytes {
        b if b < KIB => format!("{b} 字节"),
        b if b < KIB * KIB => format!("{:.1} KB", b as f64 / KIB as f64),
        b => format!("{:.1} MB", b as f64 / (KIB * KIB) as f64),
    }
    .replace(".0 ", " ")
}

#[derive(Deserialize, Default)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// The parts of a step's request every form shares.
pub struct StepRequest {
    console: Shared,
    signed: SignedIn,
    id: i64,
}

/// POST /notices/{id}/acknowledge
pub async fn acknowledge(request: StepRequest, Form(form): Form<CsrfForm>) -> Response {
    decide(request, Step::Acknowledge, &form.csrf).await
}

/// POST /notices/{id}/accept
pub async fn accept(request: StepRequest, Form(form): Form<CsrfForm>) -> Response {
    decide(request, Step::Accept, &form.csrf).await
}

/// POST /notices/{id}/reopen
pub async fn reopen(request: StepRequest, Form(form): Form<CsrfForm>) -> Response {
    decide(request, Step::Reopen, &form.csrf).await
}

impl axum::extract::FromRequestParts<Shared> for StepRequest {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        console: &Shared,
    ) -> Result<Self, Response> {
        let signed = SignedIn::from_request_parts(parts, console).await?;
        let Path(id) = Path::<i64>::from_request_parts(parts, console)
            .await
            .map_err(|_| signed.error(DomainError::not_found("Notice")))?;
        Ok(Self {
            console: console.clone(),
            signed,
            id,
        })
    }
}

/// A step without text or files (acknowledge, accept, reopen).
async fn decide(r: StepRequest, step: Step, csrf: &str) -> Response {
    if let Err(refused) = r.signed.check_csrf(&r.console, csrf) {
        return refused;
    }
    take(r, step, None, Vec::new(), String::new()).await
}

/// Takes the step through the jobs' function; back to the notice's page on
/// success, the page with the reason in Chinese when the step is refused.
async fn take(
    r: StepRequest,
    step: Step,
    text: Option<String>,
    files: Vec<notice_attachments::Checked>,
    kept_text: String,
) -> Response {
    let audit = r.signed.audit(step.operation());
    let outcome = jobs::notices::take_step(
        &r.console.state.db,
        &r.signed.actor,
        &audit,
        r.id,
        step,
        text,
        files,
        &r.console.state.public_url,
        Utc::now(),
    )
    .await
    .map_err(DomainError::from);
    match outcome {
        Ok(_) => Redirect::to(&format!("/notices/{}", r.id)).into_response(),
        Err(DomainError::Forbidden(_)) => {
            let message = format!(
                "您不能执行“{}”：确认收到和提交整改由被通知的云服务商办理，验收通过和退回重新整改由本区域监管人员办理。",
                step_label(step)
            );
            refused(r, StatusCode::FORBIDDEN, message, kept_text).await
        }
        Err(DomainError::BadInput { field, .. }) if field == "id" => {
            let message = format!(
                "该通知当前的状态不允许“{}”（请刷新页面查看最新状态）。",
                step_label(step)
            );
            refused(r, StatusCode::CONFLICT, message, kept_text).await
        }
        Err(DomainError::BadInput { .. }) => {
            let feedback = Feedback {
                rectification_error: Some("整改情况说明无效，请检查后重新提交。".to_owned()),
                rectification: kept_text,
                ..Feedback::default()
            };
            show(
                &r.console,
                r.signed,
                r.id,
                StatusCode::UNPROCESSABLE_ENTITY,
                feedback,
            )
            .await
        }
        Err(e) => r.signed.error(e),
    }
}

async fn refused(r: StepRequest, status: StatusCode, message: String, kept: String) -> Response {
    let feedback = Feedback {
        message: Some(message),
        rectification: kept,
        ..Feedback::default()
    };
    show(&r.console, r.signed, r.id, status, feedback).await
}

/// What the submission form carried.
#[derive(Default)]
struct Submission {
    csrf: String,
    text: String,
    uploads: Vec<Upload>,
}

/// POST /notices/{id}/submit (multipart): the rectification's text and its
/// files. The files are checked (type by their bytes, size, count) before
/// anything is written and written with the submission in one transaction.
pub async fn submit(
    request: StepRequest,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let StepRequest {
        console,
        signed,
        id,
    } = request;
    let form = match read_upload(&console, &signed, multipart, read_submission).await {
        Ok(form) => form,
        Err(refused) => return refused,
    };
    let request = StepRequest {
        console,
        signed,
        id,
    };
    let text = form.text.trim().to_owned();
    let text_error = if text.is_empty() {
        Some("请填写整改情况说明。".to_owned())
    } else if text.chars().count() > MAX_RECTIFICATION_CHARS {
        Some(format!(
            "整改情况说明不能超过 {MAX_RECTIFICATION_CHARS} 字。"
        ))
    } else {
        None
    };
    let max = request.console.attachment_max_bytes;
    let checked = notice_attachments::check(form.uploads, max);
    if text_error.is_some() || checked.is_err() {
        let feedback = Feedback {
            rectification_error: text_error,
            files_error: checked.err().map(|r| refusal_text(&r)),
            rectification: form.text,
            ..Feedback::default()
        };
        return show(
            &request.console,
            request.signed,
            id,
            StatusCode::UNPROCESSABLE_ENTITY,
            feedback,
        )
        .await;
    }
    let files = checked.unwrap_or_default();
    take(request, Step::Submit, Some(text), files, form.text).await
}

/// A form that carries files, as its reader returns it: its CSRF token.
pub(crate) trait UploadForm {
    fn csrf(&self) -> &str;
}

impl UploadForm for Submission {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// A multipart form read by `read` (files up to `ATTACHMENT_MAX_BYTES`) with
/// its CSRF token checked; otherwise the answer that refuses it, nothing
/// written: a body that is not multipart carries no token of ours, one cut
/// short or too big failed to upload, a wrong token is refused.
pub(crate) async fn read_upload<T, Fut>(
    console: &Shared,
    signed: &SignedIn,
    multipart: Result<Multipart, MultipartRejection>,
    read: impl FnOnce(Multipart, usize) -> Fut,
) -> Result<T, Response>
where
    T: UploadForm,
    Fut: std::future::Future<Output = Result<T, StatusCode>>,
{
    let Ok(multipart) = multipart else {
        return Err(crate::web::errors::csrf_refused(&signed.nonce));
    };
    let form = read(multipart, console.attachment_max_bytes)
        .await
        .map_err(|status| {
            crate::web::errors::page(
                status,
                &signed.nonce,
                "上传失败",
                "上传的内容不完整或超过了允许的大小，未保存任何内容。请返回重新提交。",
            )
        })?;
    signed.check_csrf(console, form.csrf())?;
    Ok(form)
}

/// Reads the form's fields. A file is kept up to one byte over `max_bytes`
/// (enough to know it is too big) and at most `MAX_FILES + 1` of them (enough
/// to know there are too many), so memory stays bounded.
async fn read_submission(
    mut multipart: Multipart,
    max_bytes: usize,
) -> Result<Submission, StatusCode> {
    let mut form = Submission::default();
    let status = |e: axum::extract::multipart::MultipartError| e.status();
    while let Some(mut field) = multipart.next_field().await.map_err(status)? {
        match field.name() {
            Some("csrf") => form.csrf = field.text().await.map_err(status)?,
            Some("rectification") => form.text = field.text().await.map_err(status)?,
            Some("files") => {
                let Some(upload) = read_file(&mut field, max_bytes).await? else {
                    continue;
                };
                if form.uploads.len() <= MAX_FILES {
                    form.uploads.push(upload);
                }
            }
            _ => {}
        }
    }
    Ok(form)
}

/// A file part of a form, kept up to one byte over `max_bytes` (enough to
/// know it is too big); `None` for a file input left empty (it still sends a
/// part, without a name or bytes).
pub(crate) async fn read_file(
    field: &mut axum::extract::multipart::Field<'_>,
    max_bytes: usize,
) -> Result<Option<Upload>, StatusCode> {
    let status = |e: axum::extract::multipart::MultipartError| e.status();
    let file_name = field.file_name().unwrap_or("").to_owned();
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(status)? {
        let room = (max_bytes + 1).saturating_sub(bytes.len());
        bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
    }
    if file_name.is_empty() && bytes.is_empty() {
        return Ok(None);
    }
    Ok(Some(Upload { file_name, bytes }))
}

/// A refused file, said next to the file field.
pub(crate) fn refusal_text(refusal: &Refusal) -> String {
    match refusal {
        Refusal::TooMany { max } => format!("一次最多上传 {max} 个附件，未保存任何内容。"),
        Refusal::TooBig {
            file_name,
            max_bytes,
        } => format!(
            "附件“{file_name}”超过了 {} 的大小限制，未保存任何内容。",
            size_text(*max_bytes as i64)
        ),
        Refusal::WrongType { file_name } => format!(
            "附件“{file_name}”不是 PDF、PNG 或 JPEG 文件（按文件内容判断），未保存任何内容。"
        ),
        Refusal::Empty { file_name } => format!("附件“{file_name}”是空文件，未保存任何内容。"),
    }
}

/// GET /notices/{id}/attachments/{attachment_id}: the file, to who may read
/// the notice, as a download of its stored type.
pub async fn download(
    State(console): State<Shared>,
    signed: SignedIn,
    Path((id, attachment_id)): Path<(i64, i64)>,
) -> Response {
    let file =
        match notice_attachments::download(&console.state.db, &signed.actor, id, attachment_id)
            .await
        {
            Ok(file) => file,
            Err(e) => return signed.error(e),
        };
    crate::web::download::attachment(file.bytes, &file.content_type, &file.file_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_say_them() {
        assert_eq!(size_text(512), "512 字节");
        // 10 MiB = 10 × 1024 × 1024 bytes.
        assert_eq!(size_text(10 * 1024 * 1024), "10 MB");
        // 1536 bytes = 1.5 KiB.
        assert_eq!(size_text(1536), "1.5 KB");
    }
}
