//! `/imports`: facts in from spreadsheets, for the supervision team
//! (administrators, and supervisors into their own region). The page offers
//! each kind's template and an upload; an upload is kept as the uploader's
//! pending batch and shown as a preview (`/imports/batches/{id}`): every row
//! with what would become of it and, for a refused row, each reason next to
//! its column — nothing is written. 确认导入 commits the very file previewed,
//! all or nothing (`imports::run`, audited as `importFacts`); rows imported
//! before are skipped, so the same file twice adds nothing.

use axum::Router;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, RawForm, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;
use tower_http::limit::RequestBodyLimitLayer;

use crate::edge::MAX_BODY_BYTES;
use crate::imports::kinds::{self, Importable};
use crate::imports::{self, Refusal, Report, Status, template};
use crate::web::Shared;
use crate::web::notices::size_text;
use crate::web::shell::{Shell, SignedIn};
use domain::DomainError;
use domain::imports::Mode;

/// The console's import routes; the upload may carry a file of up to
/// `max_bytes` (`IMPORT_MAX_BYTES`).
pub fn routes(max_bytes: usize) -> Router<Shared> {
    let upload = Router::new()
        .route("/imports", get(page).post(upload))
        .layer(DefaultBodyLimit::disable())
        .layer(RequestBodyLimitLayer::new(max_bytes + MAX_BODY_BYTES));
    Router::new()
        .route("/imports/{slug}/template.xlsx", get(template_file))
        .route("/imports/batches/{id}", get(preview).post(commit))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .merge(upload)
}

/// A kind as the page offers it.
struct Offered {
    slug: &'static str,
    label: &'static str,
    selected: bool,
}

#[derive(askama::Template)]
#[template(path = "imports/index.html")]
struct IndexPage {
    shell: Shell,
    kinds: Vec<Offered>,
    max_size: String,
    error: Option<String>,
}

/// One row of the preview.
struct Line {
    line: usize,
    external_id: String,
    status: &'static str,
    refused: bool,
    /// `列：原因`, each.
    problems: Vec<String>,
}

#[derive(askama::Template)]
#[template(path = "imports/preview.html")]
struct PreviewPage {
    shell: Shell,
    id: i64,
    label: &'static str,
    file_name: String,
    /// The file itself could not be read: why.
    file_error: Option<String>,
    lines: Vec<Line>,
    new: usize,
    skipped: usize,
    refused: usize,
    /// The commit wrote the new rows.
    done: bool,
    /// Rows imported by the commit.
    imported: usize,
}

#[derive(Deserialize)]
pub struct Chosen {
    kind: Option<String>,
}

/// Policy: the page, the templates and the uploads are the supervision team's.
#[allow(clippy::result_large_err)]
fn importer(signed: &SignedIn) -> Result<(), Response> {
    domain::imports::require_importer(&signed.actor).map_err(|e| signed.error(e))
}

/// GET /imports: the kinds, their templates and the upload.
pub async fn page(
    State(console): State<Shared>,
    signed: SignedIn,
    Query(chosen): Query<Chosen>,
) -> Response {
    if let Err(refused) = importer(&signed) {
        return refused;
    }
    index(&console, signed, chosen.kind.as_deref(), None)
}

fn index(
    console: &Shared,
    signed: SignedIn,
    chosen: Option<&str>,
    error: Option<String>,
) -> Response {
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let kinds = kinds::all()
        .map(|k| Offered {
            slug: k.slug(),
            label: k.label(),
            selected: Some(k.slug()) == chosen,
        })
        .collect();
    crate::web::html(
        status,
        &IndexPage {
            shell: signed.shell,
            kinds,
            max_size: size_text(console.import_max_bytes as i64),
            error,
        },
    )
}

/// GET /imports/{slug}/template.xlsx: the kind's template.
pub async fn template_file(signed: SignedIn, Path(slug): Path<String>) -> Response {
    if let Err(refused) = importer(&signed) {
        return refused;
    }
    let Some(kind) = kinds::of(&slug) else {
        return signed.error(DomainError::not_found(slug));
    };
    match template::workbook(kind) {
        Ok(bytes) => {
            crate::web::download::attachment(bytes, template::XLSX, &template::file_name(kind))
        }
        Err(e) => signed.error(DomainError::Internal(format!("template: {e}").into())),
    }
}

/// What the upload form carried.
#[derive(Default)]
pub(crate) struct Upload {
    pub(crate) csrf: String,
    kind: String,
    /// The region a usage import is for (`web::quotas`); unused here.
    pub(crate) region: String,
    pub(crate) file_name: String,
    pub(crate) bytes: Vec<u8>,
}

/// POST /imports (multipart: the kind and the file): keeps the file as the
/// caller's pending batch and shows its preview.
pub async fn upload(
    State(console): State<Shared>,
    signed: SignedIn,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let max = console.import_max_bytes;
    let form = match received(&console, &signed, multipart).await {
        Ok(form) => form,
        Err(refused) => return refused,
    };
    if let Err(refused) = importer(&signed) {
        return refused;
    }
    let chosen = Some(form.kind.as_str());
    let Some(kind) = kinds::of(&form.kind) else {
        return index(
            &console,
            signed,
            chosen,
            Some("请选择要导入的记录类别。".into()),
        );
    };
    let error = if form.bytes.is_empty() {
        Some("请选择要上传的文件。".to_owned())
    } else if form.bytes.len() > max {
        Some(format!(
            "文件超过了 {} 的大小限制，未写入任何内容。",
            size_text(max as i64)
        ))
    } else {
        None
    };
    if let Some(error) = error {
        return index(&console, signed, chosen, Some(error));
    }
    let kept = domain::imports::keep(
        &console.state.db,
        &signed.actor,
        kind.slug(),
        &form.file_name,
        form.bytes,
    )
    .await;
    match kept {
        Ok(id) => Redirect::to(&format!("/imports/batches/{id}")).into_response(),
        Err(e) => signed.error(e),
    }
}

/// A spreadsheet's upload form as received, its CSRF token checked (here and
/// in `web::quotas`' usage import); else the page that refuses it.
#[allow(clippy::result_large_err)]
pub(crate) async fn received(
    console: &Shared,
    signed: &SignedIn,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Upload, Response> {
    // A body that is not this form's carries no token of ours.
    let Ok(multipart) = multipart else {
        return Err(crate::web::errors::csrf_refused(&signed.nonce));
    };
    let Ok(form) = read_upload(multipart, console.import_max_bytes).await else {
        return Err(crate::web::errors::page(
            StatusCode::BAD_REQUEST,
            &signed.nonce,
            "上传失败",
            "上传的内容不完整或超过了允许的大小，未写入任何内容。请返回重新上传。",
        ));
    };
    signed.check_csrf(console, &form.csrf)?;
    Ok(form)
}

/// Reads the form; the file is kept up to one byte over `max_bytes` (enough
/// to know it is too big), so memory stays bounded.
async fn read_upload(mut multipart: Multipart, max_bytes: usize) -> Result<Upload, StatusCode> {
    let mut form = Upload::default();
    let status = |e: axum::extract::multipart::MultipartError| e.status();
    while let Some(mut field) = multipart.next_field().await.map_err(status)? {
        match field.name() {
            Some("csrf") => form.csrf = field.text().await.map_err(status)?,
            Some("kind") => form.kind = field.text().await.map_err(status)?,
            Some("region") => form.region = field.text().await.map_err(status)?,
            Some("file") => {
                form.file_name = field.file_name().unwrap_or("").to_owned();
                while let Some(chunk) = field.chunk().await.map_err(status)? {
                    let room = (max_bytes + 1).saturating_sub(form.bytes.len());
                    form.bytes
                        .extend_from_slice(&chunk[..chunk.len().min(room)]);
                }
            }
            _ => {}
        }
    }
    Ok(form)
}

/// GET /imports/batches/{id}: the caller's pending upload, previewed.
pub async fn preview(
    State(console): State<Shared>,
    signed: SignedIn,
    Path(id): Path<i64>,
) -> Response {
    run(&console, signed, id, Mode::Preview).await
}

/// POST /imports/batches/{id}: 确认导入.
pub async fn commit(
    State(console): State<Shared>,
    signed: SignedIn,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> Response {
    let csrf = form_urlencoded::parse(&body)
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    if let Err(refused) = signed.check_csrf(&console, &csrf) {
        return refused;
    }
    run(&console, signed, id, Mode::Commit).await
}

async fn run(console: &Shared, signed: SignedIn, id: i64, mode: Mode) -> Response {
    let db = &console.state.db;
    let batch = match domain::imports::pending(db, &signed.actor, id).await {
        Ok(batch) => batch,
        Err(e) => return signed.error(e),
    };
    let Some(kind) = kinds::of(&batch.kind) else {
        return signed.error(DomainError::not_found(batch.kind));
    };
    let audit = signed.audit(imports::OPERATION);
    let ran = imports::run_file(
        db,
        &signed.actor,
        &audit,
        kind,
        &batch.file_name,
        &batch.bytes,
        mode,
    )
    .await;
    let (report, file_error) = match ran {
        Ok(report) => (Some(report), None),
        Err(Refusal::File(reason)) => (None, Some(reason)),
        Err(Refusal::Domain(e)) => return signed.error(e),
    };
    if report.as_ref().is_some_and(|r| r.written)
        && let Err(e) = domain::imports::forget(db, &signed.actor, id).await
    {
        // Harmless: the batch's rows are imported, so committing it again adds nothing.
        tracing::warn!(error = %e, batch = id, "console: a committed import batch was not dropped");
    }
    shown(signed, id, kind, batch.file_name, report, file_error)
}

fn shown(
    signed: SignedIn,
    id: i64,
    kind: &dyn Importable,
    file_name: String,
    report: Option<Report>,
    file_error: Option<String>,
) -> Response {
    let report = report.unwrap_or(Report {
        rows: Vec::new(),
        written: false,
    });
    let lines = report
        .rows
        .iter()
        .map(|r| Line {
            line: r.line,
            external_id: r.external_id.clone(),
            status: r.status.text(),
            refused: r.status == Status::Refused,
            problems: r
                .problems
                .iter()
                .map(|p| match p.label {
                    Some(label) => format!("{label}：{}", p.reason),
                    None => p.reason.clone(),
                })
                .collect(),
        })
        .collect();
    let refused = report.count(Status::Refused);
    let status = if refused > 0 || file_error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    crate::web::html(
        status,
        &PreviewPage {
            shell: signed.shell,
            id,
            label: kind.label(),
            file_name,
            file_error,
            lines,
            new: report.count(Status::New),
            skipped: report.count(Status::AlreadyImported),
            refused,
            done: report.written,
            imported: report.count(Status::Imported),
        },
    )
}
