//! `/admin/…`: the administrator's pages (issue 14, item 4) — users, regions,
//! vendors, scoring schemes, working-day calendar years and the audit trail.
//!
//! Another edge over the functions the GraphQL mutations call: a form becomes
//! the mutation's input (`CreateUserInput`, …) and goes through
//! `graphql::crud`/`domain::store` with the signed-in actor, audited as the
//! mutation (`createUser`), so the checks, the access rules and the trail are
//! the API's. Only administrators open these pages; the audit trail is also
//! open to a region's supervisor, who reads its region's entries as
//! `auditEntries` lets it (`domain::audit::list` decides).
//!
//! A refused form is shown again with what was written and the reason in
//! Chinese, naming the field (`explain`); nothing is written.

use axum::Router;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;

use crate::graphql::facts::fields;
use crate::graphql::regions::Regions;
use crate::graphql::vendors::Vendors;
use crate::web::Shared;
use crate::web::shell::{Shell, SignedIn};
use domain::DomainError;
use domain::page::Page;
use domain::store::{self, ListFilter, Resource};

pub mod audit;
pub mod calendar;
pub mod catalogue;
pub mod edited;
pub mod regions;
pub mod schemes;
pub mod users;
pub mod vendors;

/// Rows per page of the administrator's lists.
pub const PAGE: i64 = 50;

/// The administration pages.
pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/admin", get(index))
        .route("/admin/users", get(users::list))
        .route("/admin/users/new", get(users::new).post(users::create))
        .route("/admin/users/{id}", get(users::page))
        .route("/admin/users/{id}/{step}", post(users::step))
        .route("/admin/regions", get(regions::list))
        .route(
            "/admin/regions/new",
            get(edited::new::<Regions>).post(edited::create::<Regions>),
        )
        .route(
            "/admin/regions/{id}",
            get(edited::edit::<Regions>).post(edited::update::<Regions>),
        )
        .route("/admin/vendors", get(vendors::list))
        .route(
            "/admin/vendors/new",
            get(edited::new::<Vendors>).post(edited::create::<Vendors>),
        )
        .route(
            "/admin/vendors/{id}",
            get(edited::edit::<Vendors>).post(edited::update::<Vendors>),
        )
        .route("/admin/schemes", get(schemes::list))
        .route(
            "/admin/schemes/new",
            get(schemes::new).post(schemes::create),
        )
        .route("/admin/schemes/{code}/{version}", get(schemes::page))
        .route("/admin/calendar", get(calendar::page).post(calendar::load))
        .route("/admin/audit", get(audit::page))
}

/// The page is the administrator's: anyone else gets the 403 page.
#[allow(clippy::result_large_err)]
pub fn admin_only(signed: &SignedIn) -> Result<(), Response> {
    signed.actor.require_admin().map_err(|e| signed.error(e))
}

/// A posted form's CSRF token and the administrator check, in that order
/// (a forged form is refused as such, whoever posts it).
#[allow(clippy::result_large_err)]
pub fn admin_form(console: &Shared, signed: &SignedIn, csrf: &str) -> Result<(), Response> {
    signed.check_csrf(console, csrf)?;
    admin_only(signed)
}

/// One field of an administration form as the template draws it.
pub struct Control {
    pub key: &'static str,
    pub label: &'static str,
    /// `text`, `password`, `email`, `number`, `textarea` or `select`.
    pub kind: &'static str,
    pub value: String,
    /// A select's choices: (value, label).
    pub options: Vec<(String, String)>,
    pub required: bool,
    pub hint: &'static str,
}

impl Control {
    pub fn text(key: &'static str, label: &'static str, value: &str) -> Self {
        Self {
            key,
            label,
            kind: "text",
            value: value.to_owned(),
            options: Vec::new(),
            required: false,
            hint: "",
        }
    }

    pub fn of_kind(mut self, kind: &'static str) -> Self {
        self.kind = kind;
        self
    }

    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    pub fn hint(mut self, hint: &'static str) -> Self {
        self.hint = hint;
        self
    }

    /// A select of `options`, with an empty choice first when `empty` names it.
    pub fn select(mut self, empty: Option<&str>, options: Vec<(String, String)>) -> Self {
        self.kind = "select";
        self.options = empty
            .map(|label| (String::new(), label.to_owned()))
            .into_iter()
            .chain(options)
            .collect();
        self
    }
}

/// An administration form: new or edit.
#[derive(askama::Template)]
#[template(path = "admin/form.html")]
pub struct FormPage {
    pub shell: Shell,
    /// (href, label) of the list the form belongs to.
    pub section: (&'static str, &'static str),
    pub title: String,
    pub action: String,
    pub controls: Vec<Control>,
    /// Why the form was refused, in Chinese, naming the field.
    pub error: Option<String>,
    pub saved: bool,
    pub multipart: bool,
}

impl FormPage {
    pub fn answer(&self, refused: bool) -> Response {
        crate::web::html(status_of(refused), self)
    }
}

/// One cell of a list: its text and, for the row's name, its link.
pub struct Cell {
    pub text: String,
    pub href: Option<String>,
}

impl Cell {
    pub fn text(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            href: None,
        }
    }

    pub fn link(text: impl Into<String>, href: String) -> Self {
        Self {
            text: text.into(),
            href: Some(href),
        }
    }
}

/// A list of an administration section.
#[derive(askama::Template)]
#[template(path = "admin/table.html")]
pub struct TablePage {
    pub shell: Shell,
    pub title: &'static str,
    /// (href, label) of the "new" link.
    pub new: Option<(&'static str, &'static str)>,
    pub headers: &'static [&'static str],
    pub rows: Vec<Vec<Cell>>,
    pub total: u64,
    pub previous: Option<String>,
    pub next: Option<String>,
}

/// The addresses of the previous and next pages of a list at `offset` of
/// `total` rows, `PAGE` a page; `base` already carries its query (`?…&`).
pub fn pager(base: &str, offset: u64, total: u64) -> (Option<String>, Option<String>) {
    let page = PAGE as u64;
    let previous = (offset > 0).then(|| format!("{base}offset={}", offset.saturating_sub(page)));
    let next = (offset + page < total).then(|| format!("{base}offset={}", offset + page));
    (previous, next)
}

#[derive(Deserialize, Default)]
pub struct Paging {
    pub offset: Option<i64>,
}

/// A domain refusal as the form shows it: `用户名：只能包含字母、数字和 . _ - @`.
/// `labels` names the form's fields by the input's keys (`username`); the
/// reasons of the checks these forms reach are told here, the ones shared
/// with the fact forms (lengths, ranges, missing references) by `fields`.
/// `None`: not a refusal of the input (the error page tells it).
pub fn explain(error: &DomainError, labels: &[(&str, &'static str)]) -> Option<String> {
    let DomainError::BadInput { field, reason } = error else {
        return None;
    };
    let key = field
        .strip_prefix("input.")
        .or_else(|| field.strip_prefix("document."))
        .unwrap_or(field);
    let (key, index) = match key.split_once('[') {
        Some((key, rest)) => (key, rest.split(']').next()),
        None => (key, None),
    };
    let label = labels
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, label)| *label)
        .unwrap_or("填写内容");
    let label_of = |k: &str| {
        labels
            .iter()
            .find(|(key, _)| *key == k)
            .map(|(_, label)| *label)
            .unwrap_or("相关字段")
    };
    let reason = admin_reason(reason).unwrap_or_else(|| fields::reason_text(reason, label_of));
    Some(match index.and_then(|i| i.parse::<usize>().ok()) {
        Some(i) => format!("{label}（第 {} 项）：{reason}", i + 1),
        None => format!("{label}：{reason}"),
    })
}

/// The reasons of the checks only these forms reach, in Chinese.
fn admin_reason(reason: &str) -> Option<String> {
    let table: &[(&str, &str)] = &[
        ("may contain only letters", "只能包含字母、数字和 . _ - @"),
        (
            "contain a letter and a digit",
            "至少 10 个字符，且须同时包含字母和数字",
        ),
        ("is not an e-mail address", "不是有效的电子邮箱地址"),
        (
            "takes only its own binding",
            "该角色只能绑定与其对应的一项（监管区域、云服务商或使用单位）",
        ),
        ("own parent", "上级区域不能是本区域"),
        ("own ancestor", "上级区域不能是本区域的下级区域"),
        ("unknown scheme", "没有这个考核方案"),
        (
            "runs its service year from month",
            "须与所选考核方案的服务年度起始月份一致",
        ),
        ("at most 20 addresses", "最多 20 个地址"),
        (
            "exists already; a new version must be above it",
            "该方案已有相同或更高的版本，新版本号须更大",
        ),
    ];
    if reason.starts_with("required for role") {
        return Some("该角色必须选择此项".to_owned());
    }
    table
        .iter()
        .find(|(english, _)| reason.contains(english))
        .map(|(_, chinese)| (*chinese).to_owned())
}

/// The administration's sections.
#[derive(askama::Template)]
#[template(path = "admin/index.html")]
struct IndexPage {
    shell: Shell,
}

/// GET /admin
pub async fn index(signed: SignedIn) -> Response {
    if let Err(refused) = admin_only(&signed) {
        return refused;
    }
    crate::web::html(
        StatusCode::OK,
        &IndexPage {
            shell: signed.shell,
        },
    )
}

/// A page of `R`'s rows for the administrator's list, through the store with
/// the caller (anyone else gets the 403 page).
pub async fn listed<R: Resource>(
    console: &Shared,
    signed: &SignedIn,
    paging: &Paging,
) -> Result<Page<R::Model>, Response> {
    admin_only(signed)?;
    let offset = paging.offset.filter(|o| *o >= 0);
    let filter = ListFilter::default();
    store::list::<R>(&console.state.db, &signed.actor, filter, offset, Some(PAGE))
        .await
        .map_err(|e| signed.error(e))
}

/// A page shown again with a refusal is 422; otherwise 200.
pub fn status_of(refused: bool) -> StatusCode {
    if refused {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    }
}
