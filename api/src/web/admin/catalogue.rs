//! `/admin/catalogue`: the catalogue's items with the prices in force today,
//! and the price import (issue 15 item 1): an administrator uploads an
//! `.xlsx` or `.csv` (编号, 类别, 子类, 服务项, 计价单位, 报价单位, 云服务商,
//! 单价, 起始日期, 截止日期), sees the preview with each refused row's column
//! and reason (nothing written), then confirms: every row in one transaction
//! or none (`domain::catalogue::import`, as `importCataloguePrices`). The
//! preview carries the rows read to the confirmation, so the file is read once.

use axum::extract::State;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::Utc;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Deserialize;
use tower_http::limit::RequestBodyLimitLayer;

use crate::edge::MAX_BODY_BYTES;
use crate::graphql::catalogue_import::{CatalogueImport, PriceRowStatus, report};
use crate::imports::sheet::{self, Cell};
use crate::web::Shared;
use crate::web::format::{date_text, money_text};
use crate::web::shell::{Shell, SignedIn};
use domain::catalogue::import::{Column, PriceRow};
use domain::{DomainError, DomainResult};

/// The page and its two forms; the upload and the confirmation (which
/// carries the rows read) may be as large as an import's file.
pub fn routes(max_bytes: usize) -> Router<Shared> {
    Router::new()
        .route("/admin/catalogue", get(page))
        .route("/admin/catalogue/import", post(upload))
        .route("/admin/catalogue/confirm", post(confirm))
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(RequestBodyLimitLayer::new(4 * max_bytes + MAX_BODY_BYTES))
}

struct PriceView {
    code: String,
    category: String,
    item: String,
    unit: String,
    vendor: String,
    price: String,
    valid: String,
}

struct RowView {
    row: i32,
    status: &'static str,
    refused: bool,
    problem: String,
}

#[derive(askama::Template)]
#[template(path = "admin/catalogue.html")]
struct CataloguePage {
    shell: Shell,
    items: usize,
    prices: Vec<PriceView>,
    message: Option<String>,
    /// The preview or the result of an import.
    outcome: Option<Outcome>,
}

struct Outcome {
    done: bool,
    added: i32,
    already_there: i32,
    refused: i32,
    rows: Vec<RowView>,
    /// The rows read, as JSON, for the confirmation.
    carried: String,
}

#[allow(clippy::result_large_err)]
fn admin_only(signed: &SignedIn) -> Result<(), Response> {
    signed.actor.require_admin().map_err(|e| signed.error(e))
}

/// GET /admin/catalogue
pub async fn page(State(console): State<Shared>, signed: SignedIn) -> Response {
    if let Err(refused) = admin_only(&signed) {
        return refused;
    }
    render(&console, signed, None, None).await
}

async fn render(
    console: &Shared,
    signed: SignedIn,
    message: Option<String>,
    outcome: Option<Outcome>,
) -> Response {
    match in_force(console).await {
        Ok((items, prices)) => crate::web::html(
            StatusCode::OK,
            &CataloguePage {
                shell: signed.shell,
                items,
                prices,
                message,
                outcome,
            },
        ),
        Err(e) => signed.error(e),
    }
}

/// The number of items and the prices in force today (Beijing), by item.
async fn in_force(console: &Shared) -> DomainResult<(usize, Vec<PriceView>)> {
    use entities::catalogue_price::Column as P;
    let db = &console.state.db;
    let today = domain::period::local(Utc::now()).date_naive();
    let _db = domain::db_share::permit().await;
    let items = entities::catalogue_item::Entity::find()
        .order_by_asc(entities::catalogue_item::Column::Code)
        .all(db)
        .await?;
    let prices = entities::catalogue_price::Entity::find()
        .filter(P::ValidFrom.lte(today))
        .filter(P::ValidTo.gte(today))
        .order_by_asc(P::ItemId)
        .all(db)
        .await?;
    let vendors: std::collections::HashMap<i64, String> = entities::vendor::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|v| (v.id, v.name))
        .collect();
    let by_id: std::collections::HashMap<i64, &entities::catalogue_item::Model> =
        items.iter().map(|i| (i.id, i)).collect();
    let mut shown: Vec<PriceView> = prices
        .into_iter()
        .filter_map(|p| {
            let item = by_id.get(&p.item_id)?;
            Some(PriceView {
                code: item.code.clone(),
                category: format!("{} / {}", item.category, item.sub_category),
                item: item.name.clone(),
                unit: format!("{}（{}）", item.unit, item.price_unit),
                vendor: vendors.get(&p.vendor_id).cloned().unwrap_or_default(),
                price: money_text(engine::two_dp(p.unit_price)),
                valid: format!("{} 至 {}", date_text(p.valid_from), date_text(p.valid_to)),
            })
        })
        .collect();
    shown.sort_by(|a, b| (&a.code, &a.vendor).cmp(&(&b.code, &b.vendor)));
    Ok((items.len(), shown))
}

#[derive(Default)]
struct Upload {
    csrf: String,
    file_name: String,
    bytes: Vec<u8>,
}

/// POST /admin/catalogue/import (multipart: the file): the preview.
pub async fn upload(
    State(console): State<Shared>,
    signed: SignedIn,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let Ok(mut multipart) = multipart else {
        return crate::web::errors::csrf_refused(&signed.nonce);
    };
    let mut form = Upload::default();
    let max = console.import_max_bytes;
    while let Ok(Some(mut field)) = multipart.next_field().await {
        match field.name() {
            Some("csrf") => form.csrf = field.text().await.unwrap_or_default(),
            Some("file") => {
                form.file_name = field.file_name().unwrap_or("").to_owned();
                while let Ok(Some(chunk)) = field.chunk().await {
                    let room = (max + 1).saturating_sub(form.bytes.len());
                    form.bytes
                        .extend_from_slice(&chunk[..chunk.len().min(room)]);
                }
            }
            _ => {}
        }
    }
    if let Err(refused) = signed.check_csrf(&console, &form.csrf) {
        return refused;
    }
    if let Err(refused) = admin_only(&signed) {
        return refused;
    }
    if form.bytes.is_empty() || form.bytes.len() > max {
        let message = "请选择不超过大小限制的 .xlsx 或 .csv 文件。".to_owned();
        return render(&console, signed, Some(message), None).await;
    }
    let rows = match sheet::read(&form.file_name, &form.bytes).and_then(|s| price_rows(&s)) {
        Ok(rows) => rows,
        Err(message) => {
            let message = format!("{message}；未写入任何内容。");
            return render(&console, signed, Some(message), None).await;
        }
    };
    run(&console, signed, rows, true).await
}

#[derive(Deserialize)]
pub struct Confirmed {
    csrf: String,
    rows: String,
}

/// POST /admin/catalogue/confirm: the previewed rows, written.
pub async fn confirm(
    State(console): State<Shared>,
    signed: SignedIn,
    Form(form): Form<Confirmed>,
) -> Response {
    if let Err(refused) = signed.check_csrf(&console, &form.csrf) {
        return refused;
    }
    if let Err(refused) = admin_only(&signed) {
        return refused;
    }
    let rows: Vec<PriceRow> = match serde_json::from_str(&form.rows) {
        Ok(rows) => rows,
        Err(_) => {
            let e = DomainError::bad("rows", "导入的内容不完整，请重新上传文件");
            return signed.error(e);
        }
    };
    run(&console, signed, rows, false).await
}

async fn run(console: &Shared, signed: SignedIn, rows: Vec<PriceRow>, dry_run: bool) -> Response {
    let carried = serde_json::to_string(&rows).unwrap_or_default();
    let audit = signed.audit("importCataloguePrices");
    let outcomes =
        domain::catalogue::import::import(&console.state.db, &signed.actor, &audit, rows, dry_run)
            .await;
    match outcomes {
        Ok(outcomes) => {
            let outcome = shown(report(outcomes, dry_run), !dry_run, carried);
            render(console, signed, None, Some(outcome)).await
        }
        Err(e) => signed.error(e),
    }
}

fn shown(r: CatalogueImport, done: bool, carried: String) -> Outcome {
    Outcome {
        done,
        added: r.added,
        already_there: r.already_there,
        refused: r.refused,
        rows: r
            .rows
            .into_iter()
            .map(|row| RowView {
                row: row.row,
                status: match row.status {
                    PriceRowStatus::Added if row.new_item => "新增价格（并新增服务项）",
                    PriceRowStatus::Added => "新增价格",
                    PriceRowStatus::AlreadyThere => "已有相同价格，跳过",
                    PriceRowStatus::Refused => "有错误",
                },
                refused: row.status == PriceRowStatus::Refused,
                problem: match (row.column, row.reason) {
                    (Some(c), Some(r)) => format!("{c}：{r}"),
                    _ => String::new(),
                },
            })
            .collect(),
        carried,
    }
}

/// The sheet's rows by the columns' headers; a missing column is named.
fn price_rows(sheet: &sheet::Sheet) -> Result<Vec<PriceRow>, String> {
    let index = |column: Column| sheet.header.iter().position(|h| h == column.label());
    let mut at = std::collections::HashMap::new();
    for column in Column::ALL {
        match index(column) {
            Some(i) => {
                at.insert(column.key(), i);
            }
            // 报价单位 may be left out (元/月).
            None if column == Column::PriceUnit => {}
            None => return Err(format!("缺少“{}”列（第 1 行为表头）", column.label())),
        }
    }
    let cell = |row: &[Cell], column: Column| -> String {
        at.get(column.key())
            .and_then(|&i| row.get(i))
            .map(text)
            .unwrap_or_default()
    };
    Ok(sheet
        .rows
        .iter()
        .map(|r| PriceRow {
            code: cell(r, Column::Code),
            category: cell(r, Column::Category),
            sub_category: cell(r, Column::SubCategory),
            item: cell(r, Column::Item),
            unit: cell(r, Column::Unit),
            price_unit: cell(r, Column::PriceUnit),
            vendor: cell(r, Column::Vendor),
            unit_price: cell(r, Column::UnitPrice),
            valid_from: cell(r, Column::ValidFrom),
            valid_to: cell(r, Column::ValidTo),
        })
        .collect())
}

/// A cell as text: a date as `YYYY-MM-DD`, a number as typed.
fn text(cell: &Cell) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(t) => t.trim().to_owned(),
        Cell::Number(n) => n.to_string(),
        Cell::Bool(b) => if *b { "是" } else { "否" }.to_owned(),
        Cell::When(t) => t.date().to_string(),
    }
}
