//! `/admin/users`: the accounts — the list (username, role, what the role is
//! bound to by name, e-mail, disabled), a new account, and one account's page
//! with its disable/enable and password reset. Every write is the
//! `createUser`/`updateUser` mutation's (`graphql::users`): the same checks
//! (a role bound to exactly its one region, vendor or agency; the password
//! policy), and a disable or a new password ends the user's sessions.

use async_graphql::{ID, MaybeUndefined};
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{Cell, Control, FormPage, Paging, TablePage, admin_form, admin_only, explain};
use crate::graphql::crud;
use crate::graphql::facts::fields::Pick;
use crate::graphql::users::{CreateUserInput, RoleKind, UpdateUserInput, Users};
use crate::web::Shared;
use crate::web::facts::pickers::Pickers;
use crate::web::format::local_time;
use crate::web::shell::{Shell, SignedIn, role_kind_name};
use domain::store;
use domain::{DomainError, DomainResult};
use entities::user::Model as UserRow;

/// The form's fields by the input's keys, for the refusals.
pub const LABELS: &[(&str, &str)] = &[
    ("username", "用户名"),
    ("password", "初始密码"),
    ("role", "角色"),
    ("regionId", "监管区域"),
    ("vendorId", "云服务商"),
    ("agencyId", "使用单位"),
    ("email", "电子邮箱"),
];

/// What a user's role is bound to, by name.
fn binding(user: &UserRow, names: &Pickers) -> String {
    let named = |pick, id: Option<i64>| {
        id.map(|id| {
            names
                .name(pick, id)
                .map_or_else(|| format!("#{id}"), str::to_owned)
        })
    };
    named(Pick::Region, user.region_id)
        .or_else(|| named(Pick::Vendor, user.vendor_id))
        .or_else(|| named(Pick::Agency, user.agency_id))
        .unwrap_or_else(|| "—".to_owned())
}

fn role_text(user: &UserRow) -> &'static str {
    domain::actor::RoleKind::parse(&user.role).map_or("未知角色", role_kind_name)
}

/// GET /admin/users
pub async fn list(
    State(console): State<Shared>,
    signed: SignedIn,
    Query(paging): Query<Paging>,
) -> Response {
    let page = match super::listed::<Users>(&console, &signed, &paging).await {
        Ok(page) => page,
        Err(refused) => return refused,
    };
    let names = match Pickers::load(&console.state.db, &signed.actor).await {
        Ok(names) => names,
        Err(e) => return signed.error(e),
    };
    let rows = page
        .items
        .iter()
        .map(|u| {
            vec![
                Cell::link(&u.username, format!("/admin/users/{}", u.id)),
                Cell::text(role_text(u)),
                Cell::text(binding(u, &names)),
                Cell::text(u.email.clone().unwrap_or_default()),
                Cell::text(if u.disabled { "已停用" } else { "正常" }),
            ]
        })
        .collect();
    let (previous, next) = super::pager("/admin/users?", page.offset, page.total);
    crate::web::html(
        StatusCode::OK,
        &TablePage {
            shell: signed.shell,
            title: "用户",
            new: Some(("/admin/users/new", "新建用户")),
            headers: &["用户名", "角色", "绑定", "电子邮箱", "状态"],
            rows,
            total: page.total,
            previous,
            next,
        },
    )
}

/// What the new-user form posts.
#[derive(Deserialize, Default)]
pub struct NewUser {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    role: String,
    #[serde(default, rename = "regionId")]
    region_id: String,
    #[serde(default, rename = "vendorId")]
    vendor_id: String,
    #[serde(default, rename = "agencyId")]
    agency_id: String,
    #[serde(default)]
    email: String,
}

fn options(names: &Pickers, pick: Pick) -> Vec<(String, String)> {
    names
        .of(pick)
        .iter()
        .map(|n| (n.id.to_string(), n.name.clone()))
        .collect()
}

fn new_form(shell: Shell, names: &Pickers, written: &NewUser, error: Option<String>) -> FormPage {
    let roles = [
        domain::actor::RoleKind::Admin,
        domain::actor::RoleKind::Supervisor,
        domain::actor::RoleKind::Vendor,
        domain::actor::RoleKind::Agency,
    ]
    .into_iter()
    .map(|r| (r.as_str().to_owned(), role_kind_name(r).to_owned()))
    .collect();
    let bound = "按角色选择：监管人员选区域，云服务商用户选云服务商，使用单位用户选单位";
    FormPage {
        shell,
        section: ("/admin/users", "用户"),
        title: "新建用户".to_owned(),
        action: "/admin/users/new".to_owned(),
        controls: vec![
            Control::text("username", "用户名", &written.username)
                .required()
                .hint("字母、数字和 . _ - @，至多 60 个字符"),
            Control::text("password", "初始密码", "")
                .of_kind("password")
                .required()
                .hint("至少 10 个字符，须同时包含字母和数字"),
            Control::text("role", "角色", &written.role)
                .required()
                .select(Some("请选择"), roles)
                .hint(bound),
            Control::text("regionId", "监管区域", &written.region_id)
                .select(Some("—"), options(names, Pick::Region)),
            Control::text("vendorId", "云服务商", &written.vendor_id)
                .select(Some("—"), options(names, Pick::Vendor)),
            Control::text("agencyId", "使用单位", &written.agency_id)
                .select(Some("—"), options(names, Pick::Agency)),
            Control::text("email", "电子邮箱", &written.email).of_kind("email"),
        ],
        error,
        saved: false,
        multipart: false,
    }
}

/// GET /admin/users/new
pub async fn new(State(console): State<Shared>, signed: SignedIn) -> Response {
    if let Err(refused) = admin_only(&signed) {
        return refused;
    }
    match Pickers::load(&console.state.db, &signed.actor).await {
        Ok(names) => new_form(signed.shell, &names, &NewUser::default(), None).answer(false),
        Err(e) => signed.error(e),
    }
}

/// An empty choice is no choice; anything else is an id (the input checks it).
fn chosen(text: &str) -> Option<ID> {
    let t = text.trim();
    (!t.is_empty()).then(|| ID::from(t))
}

fn optional(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

impl NewUser {
    /// The `createUser` input the form stands for.
    fn input(&self) -> DomainResult<CreateUserInput> {
        let role = domain::actor::RoleKind::parse(self.role.trim())
            .ok_or_else(|| DomainError::bad("input.role", "must be one of the roles"))?;
        Ok(CreateUserInput {
            username: self.username.trim().to_owned(),
            password: self.password.clone(),
            role: RoleKind::from(role),
            region_id: chosen(&self.region_id),
            vendor_id: chosen(&self.vendor_id),
            agency_id: chosen(&self.agency_id),
            email: optional(&self.email),
        })
    }
}

/// POST /admin/users/new
pub async fn create(
    State(console): State<Shared>,
    signed: SignedIn,
    Form(form): Form<NewUser>,
) -> Response {
    if let Err(refused) = admin_form(&console, &signed, &form.csrf) {
        return refused;
    }
    let db = &console.state.db;
    let audit = signed.audit("createUser");
    let created = match form.input() {
        Ok(input) => crud::create::<Users>(db, &signed.actor, &audit, input).await,
        Err(e) => Err(e),
    };
    let e = match created {
        Ok(user) => {
            return Redirect::to(&format!("/admin/users/{}?done=created", user.id)).into_response();
        }
        Err(e) => e,
    };
    let Some(reason) = explain(&e, LABELS) else {
        return signed.error(e);
    };
    match Pickers::load(db, &signed.actor).await {
        Ok(names) => new_form(signed.shell, &names, &form, Some(reason)).answer(true),
        Err(e) => signed.error(e),
    }
}

/// One account as its page shows it.
#[derive(askama::Template)]
#[template(path = "admin/user.html")]
struct UserPage {
    shell: Shell,
    id: i64,
    lines: Vec<(&'static str, String)>,
    username: String,
    disabled: bool,
    done: Option<&'static str>,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct Done {
    done: Option<String>,
}

fn done_text(done: Option<&str>) -> Option<&'static str> {
    match done? {
        "created" => Some("用户已创建。"),
        "disable" => Some("已停用：该用户不能再登录，已登录的会话已失效。"),
        "enable" => Some("已启用：该用户可以重新登录。"),
        "password" => Some("密码已重置：该用户已登录的会话已失效，请将新密码告知本人。"),
        _ => None,
    }
}

async fn user_page(
    console: &Shared,
    signed: SignedIn,
    id: i64,
    done: Option<&str>,
    error: Option<String>,
) -> Response {
    let db = &console.state.db;
    let read = async {
        let user = store::get::<Users>(db, &signed.actor, id).await?;
        Ok::<_, DomainError>((user, Pickers::load(db, &signed.actor).await?))
    }
    .await;
    let (user, names) = match read {
        Ok(read) => read,
        Err(e) => return signed.error(e),
    };
    let lines = vec![
        ("用户名", user.username.clone()),
        ("角色", role_text(&user).to_owned()),
        ("绑定", binding(&user, &names)),
        (
            "电子邮箱",
            user.email.clone().unwrap_or_else(|| "—".to_owned()),
        ),
        (
            "状态",
            if user.disabled { "已停用" } else { "正常" }.to_owned(),
        ),
        ("创建时间", local_time(user.created_at)),
        ("密码修改时间", local_time(user.password_changed_at)),
    ];
    crate::web::html(
        super::status_of(error.is_some()),
        &UserPage {
            shell: signed.shell,
            id,
            lines,
            username: user.username,
            disabled: user.disabled,
            done: done_text(done),
            error,
        },
    )
}

/// GET /admin/users/{id}
pub async fn page(
    State(console): State<Shared>,
    signed: SignedIn,
    Path(id): Path<i64>,
    Query(done): Query<Done>,
) -> Response {
    if let Err(refused) = admin_only(&signed) {
        return refused;
    }
    user_page(&console, signed, id, done.done.as_deref(), None).await
}

/// What a user's page posts: its token, and a new password for a reset.
#[derive(Deserialize)]
pub struct UserStep {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    password: String,
}

/// `updateUser` with `input`, then back to the user's page saying `done`.
async fn change(
    console: Shared,
    signed: SignedIn,
    id: i64,
    csrf: &str,
    input: UpdateUserInput,
    done: &str,
) -> Response {
    if let Err(refused) = admin_form(&console, &signed, csrf) {
        return refused;
    }
    let audit = signed.audit("updateUser");
    match crud::update::<Users>(&console.state.db, &signed.actor, &audit, id, input).await {
        Ok(_) => Redirect::to(&format!("/admin/users/{id}?done={done}")).into_response(),
        Err(e) => match explain(&e, &[("password", "新密码")]) {
            Some(reason) => user_page(&console, signed, id, None, Some(reason)).await,
            None => signed.error(e),
        },
    }
}

/// POST /admin/users/{id}/{step}: `disable` (the user cannot sign in and its
/// sessions end), `enable` (it may sign in again; its old sessions stay
/// ended) or `password` (the administrator sets a new one; the user's
/// sessions end).
pub async fn step(
    State(console): State<Shared>,
    signed: SignedIn,
    Path((id, step)): Path<(i64, String)>,
    Form(form): Form<UserStep>,
) -> Response {
    let (password, disabled) = match step.as_str() {
        "disable" => (None, Some(true)),
        "enable" => (None, Some(false)),
        "password" => (Some(form.password), None),
        _ => return signed.error(DomainError::not_found(step)),
    };
    let input = UpdateUserInput {
        email: MaybeUndefined::Undefined,
        password,
        disabled,
    };
    change(console, signed, id, &form.csrf, input, &step).await
}
