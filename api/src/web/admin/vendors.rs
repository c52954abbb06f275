//! `/admin/vendors`: the vendors (云服务商) with the addresses their notices
//! are mailed to, listed, created and edited as `createVendor`/`updateVendor`
//! do (`graphql::vendors`).

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::edited::{Choices, Edited, Written, field, written_of};
use super::{Cell, Control, Paging, TablePage};
use crate::graphql::vendors::{CreateVendorInput, UpdateVendorInput, Vendors};
use crate::web::Shared;
use crate::web::shell::SignedIn;
use domain::DomainResult;
use domain::reference::vendors::contact_emails;
use entities::vendor::Model as VendorRow;

/// GET /admin/vendors
pub async fn list(
    State(console): State<Shared>,
    signed: SignedIn,
    Query(paging): Query<Paging>,
) -> Response {
    let page = match super::listed::<Vendors>(&console, &signed, &paging).await {
        Ok(page) => page,
        Err(refused) => return refused,
    };
    let mut rows = Vec::new();
    for v in &page.items {
        let emails = match contact_emails(v) {
            Ok(list) => list.join("，"),
            Err(e) => return signed.error(e),
        };
        rows.push(vec![
            Cell::text(&v.code),
            Cell::link(&v.name, format!("/admin/vendors/{}", v.id)),
            Cell::text(emails),
        ]);
    }
    let (previous, next) = super::pager("/admin/vendors?", page.offset, page.total);
    crate::web::html(
        StatusCode::OK,
        &TablePage {
            shell: signed.shell,
            title: "云服务商",
            new: Some(("/admin/vendors/new", "新建云服务商")),
            headers: &["编码", "名称", "通知邮箱"],
            rows,
            total: page.total,
            previous,
            next,
        },
    )
}

/// The addresses as written: one a line (commas and semicolons also part them).
fn emails(written: &Written) -> Vec<String> {
    field(written, "contactEmails")
        .split(['\n', ',', ';', '，', '；'])
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(str::to_owned)
        .collect()
}

impl Edited for Vendors {
    const PATH: &'static str = "/admin/vendors";
    const NOUN: &'static str = "云服务商";
    const LABELS: &'static [(&'static str, &'static str)] = &[
        ("code", "编码"),
        ("name", "名称"),
        ("contactEmails", "通知邮箱"),
    ];
    const CREATE: &'static str = "createVendor";
    const UPDATE: &'static str = "updateVendor";

    fn written(row: &VendorRow) -> Written {
        let emails = contact_emails(row).unwrap_or_default().join("\n");
        written_of([
            ("code", row.code.clone()),
            ("name", row.name.clone()),
            ("contactEmails", emails),
        ])
    }

    fn controls(w: &Written, _choices: &Choices) -> Vec<Control> {
        vec![
            Control::text("code", "编码", field(w, "code"))
                .required()
                .hint("至多 40 个字符"),
            Control::text("name", "名称", field(w, "name")).required(),
            Control::text("contactEmails", "通知邮箱", field(w, "contactEmails"))
                .of_kind("textarea")
                .hint("整改通知发往这些地址；每行一个，至多 20 个"),
        ]
    }

    fn create_input(w: &Written) -> DomainResult<CreateVendorInput> {
        Ok(CreateVendorInput {
            code: field(w, "code").to_owned(),
            name: field(w, "name").to_owned(),
            contact_emails: emails(w),
        })
    }

    fn update_input(w: &Written) -> DomainResult<UpdateVendorInput> {
        Ok(UpdateVendorInput {
            code: Some(field(w, "code").to_owned()),
            name: Some(field(w, "name").to_owned()),
            contact_emails: Some(emails(w)),
        })
    }
}
