//! `/admin/regions`: the regions (a municipality and its districts) with their
//! parent, scoring scheme and service year, listed, created and edited as
//! `createRegion`/`updateRegion` do (`graphql::regions`).

use async_graphql::{ID, MaybeUndefined};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::edited::{Choices, Edited, Written, field, optional, written_of};
use super::{Cell, Control, Paging, TablePage};
use crate::graphql::regions::{CreateRegionInput, Regions, UpdateRegionInput};
use crate::web::Shared;
use crate::web::shell::SignedIn;
use domain::store;
use domain::{DomainError, DomainResult};
use entities::region::Model as RegionRow;

/// GET /admin/regions
pub async fn list(
    State(console): State<Shared>,
    signed: SignedIn,
    Query(paging): Query<Paging>,
) -> Response {
    let page = match super::listed::<Regions>(&console, &signed, &paging).await {
        Ok(page) => page,
        Err(refused) => return refused,
    };
    let db = &console.state.db;
    let parents: Vec<i64> = page.items.iter().filter_map(|r| r.parent_id).collect();
    let parents = match store::get_many::<Regions>(db, &signed.actor, parents).await {
        Ok(p) => p,
        Err(e) => return signed.error(e),
    };
    let rows = page
        .items
        .iter()
        .map(|r| {
            let parent = r
                .parent_id
                .and_then(|p| parents.get(&p))
                .map_or("—".to_owned(), |p| p.name.clone());
            vec![
                Cell::text(&r.code),
                Cell::link(&r.name, format!("/admin/regions/{}", r.id)),
                Cell::text(parent),
                Cell::text(&r.scheme_code),
                Cell::text(format!("{} 月", r.service_year_start_month)),
                Cell::text(r.notice_prefix.clone().unwrap_or_else(|| "—".to_owned())),
                Cell::text(r.contact.clone().unwrap_or_else(|| "—".to_owned())),
                Cell::text(r.terms_code.clone().unwrap_or_else(|| "—".to_owned())),
            ]
        })
        .collect();
    let (previous, next) = super::pager("/admin/regions?", page.offset, page.total);
    crate::web::html(
        StatusCode::OK,
        &TablePage {
            shell: signed.shell,
            title: "监管区域",
            new: Some(("/admin/regions/new", "新建监管区域")),
            headers: &[
                "编码",
                "名称",
                "上级区域",
                "考核方案",
                "服务年度起始",
                "通知编号前缀",
                "监管联系人",
                "合同条款",
            ],
            rows,
            total: page.total,
            previous,
            next,
        },
    )
}

/// The month the service year starts in; empty: January, as the API's default.
fn start_month(written: &Written) -> DomainResult<i32> {
    let text = field(written, "serviceYearStartMonth");
    if text.is_empty() {
        return Ok(1);
    }
    text.parse()
        .map_err(|_| DomainError::bad("input.serviceYearStartMonth", "must be from 1 to 12"))
}

/// An optional field of an update: empty removes it.
fn cleared(written: &Written, key: &str) -> MaybeUndefined<String> {
    optional(written, key).map_or(MaybeUndefined::Null, MaybeUndefined::Value)
}

impl Edited for Regions {
    const PATH: &'static str = "/admin/regions";
    const NOUN: &'static str = "监管区域";
    const LABELS: &'static [(&'static str, &'static str)] = &[
        ("code", "编码"),
        ("name", "名称"),
        ("parentId", "上级区域"),
        ("schemeCode", "考核方案"),
        ("serviceYearStartMonth", "服务年度起始月份"),
        ("noticePrefix", "通知编号前缀"),
        ("contact", "监管联系人"),
        ("termsCode", "合同条款"),
    ];
    const CREATE: &'static str = "createRegion";
    const UPDATE: &'static str = "updateRegion";

    fn written(row: &RegionRow) -> Written {
        written_of([
            ("code", row.code.clone()),
            ("name", row.name.clone()),
            (
                "parentId",
                row.parent_id.map(|p| p.to_string()).unwrap_or_default(),
            ),
            ("schemeCode", row.scheme_code.clone()),
            (
                "serviceYearStartMonth",
                row.service_year_start_month.to_string(),
            ),
            (
                "noticePrefix",
                row.notice_prefix.clone().unwrap_or_default(),
            ),
            ("contact", row.contact.clone().unwrap_or_default()),
            ("termsCode", row.terms_code.clone().unwrap_or_default()),
        ])
    }

    fn controls(w: &Written, choices: &Choices) -> Vec<Control> {
        vec![
            Control::text("code", "编码", field(w, "code"))
                .required()
                .hint("如 SH-SJ，至多 40 个字符"),
            Control::text("name", "名称", field(w, "name")).required(),
            Control::text("parentId", "上级区域", field(w, "parentId"))
                .select(Some("无（市级）"), choices.regions.clone()),
            Control::text("schemeCode", "考核方案", field(w, "schemeCode"))
                .required()
                .select(Some("请选择"), choices.schemes.clone()),
            Control::text(
                "serviceYearStartMonth",
                "服务年度起始月份",
                field(w, "serviceYearStartMonth"),
            )
            .of_kind("number")
            .hint("1 表示自然年；须与考核方案一致（松江方案为 7）"),
            Control::text("noticePrefix", "通知编号前缀", field(w, "noticePrefix"))
                .hint("如 沪政云监；不填则由名称生成"),
            Control::text("contact", "监管联系人", field(w, "contact"))
                .hint("整改通知邮件中写明的联系人与电话"),
            Control::text("termsCode", "合同条款", field(w, "termsCode"))
                .select(Some("无（不设违约登记）"), choices.terms.clone())
                .hint("本区域合同未约定条款时适用，如北京租赁合同条款 bj-lease"),
        ]
    }

    fn create_input(w: &Written) -> DomainResult<CreateRegionInput> {
        Ok(CreateRegionInput {
            code: field(w, "code").to_owned(),
            name: field(w, "name").to_owned(),
            parent_id: optional(w, "parentId").map(ID::from),
            scheme_code: field(w, "schemeCode").to_owned(),
            service_year_start_month: start_month(w)?,
            notice_prefix: optional(w, "noticePrefix"),
            contact: optional(w, "contact"),
            terms_code: optional(w, "termsCode"),
        })
    }

    fn update_input(w: &Written) -> DomainResult<UpdateRegionInput> {
        Ok(UpdateRegionInput {
            code: Some(field(w, "code").to_owned()),
            name: Some(field(w, "name").to_owned()),
            parent_id: match optional(w, "parentId") {
                Some(p) => MaybeUndefined::Value(ID::from(p)),
                None => MaybeUndefined::Null,
            },
            scheme_code: Some(field(w, "schemeCode").to_owned()),
            service_year_start_month: Some(start_month(w)?),
            notice_prefix: cleared(w, "noticePrefix"),
            contact: cleared(w, "contact"),
            terms_code: cleared(w, "termsCode"),
        })
    }
}
