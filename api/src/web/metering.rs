//! 计量结算 in the console (issue 16 item 4): `/metering?region=…&year=…`
//! shows a region's service year metered — totals per vendor (after the
//! purchaser's caps) and per agency, the lines with their flags — and, for
//! the region's supervisors while it is open, the 关闭计量 form (with a
//! confirmation); `/exports/metering/{region}/{year}.xlsx` downloads it with
//! one sheet per vendor and per agency. Every read goes through
//! `domain::metering` with the caller: a vendor sees only its own lines, an
//! agency only its own systems'.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::Utc;
use engine::metering::MeteringState;
use engine::{Month, ServiceYear};
use serde::Deserialize;

use crate::error::{DomainError, DomainResult};
use crate::graphql::metering::read_bill;
use crate::web::Shared;
use crate::web::exports::report::{Cell, Column, Report, Table};
use crate::web::exports::{document_date, xlsx};
use crate::web::format::{local_time, money_text};
use crate::web::shell::{Shell, SignedIn};
use domain::actor::Role;
use domain::metering::{Bill, Line};

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/metering", get(page))
        .route("/metering/close", post(close))
        .route("/exports/metering/{region}/{file}", get(download))
}

#[derive(Deserialize, Default)]
pub struct Asked {
    region: Option<String>,
    year: Option<String>,
}

struct LineView {
    system: String,
    vendor: String,
    agency: String,
    item: String,
    month: String,
    quantity: String,
    metered_quantity: String,
    unit_price: String,
    amount: String,
    flags: String,
}

struct TotalView {
    name: String,
    metered: String,
    payable: String,
    free: String,
    fixed: String,
}

#[derive(askama::Template)]
#[template(path = "metering.html")]
struct MeteringPage {
    shell: Shell,
    region_id: i64,
    region: String,
    year: i32,
    period: String,
    state: &'static str,
    closed_at: String,
    capped: bool,
    metered: String,
    payable: String,
    vendors: Vec<TotalView>,
    agencies: Vec<TotalView>,
    lines: Vec<LineView>,
    can_close: bool,
    xlsx: String,
}

/// The region asked for, else the supervisor's own; the year asked for, else
/// the service year under way.
async fn target(console: &Shared, signed: &SignedIn, asked: &Asked) -> DomainResult<(i64, i32)> {
    let region_id = match (asked.region.as_deref(), signed.actor.role) {
        (Some(r), _) => r
            .parse()
            .map_err(|_| DomainError::bad("region", format!("“{r}”不是区域编号")))?,
        (None, Role::Supervisor { region_id }) => region_id,
        (None, Role::Agency { agency_id }) => {
            domain::store::get::<domain::reference::agencies::Agencies>(
                &console.state.db,
                &signed.actor,
                agency_id,
            )
            .await?
            .region_id
        }
        (None, role) => metered_region(&console.state.db, role)
            .await?
            .ok_or_else(|| DomainError::bad("region", "请指定区域（region）"))?,
    };
    let year = match asked.year.as_deref() {
        Some(y) => y
            .parse()
            .map_err(|_| DomainError::bad("year", format!("“{y}”不是服务年度")))?,
        None => {
            let region = domain::store::get::<domain::reference::regions::Regions>(
                &console.state.db,
                &signed.actor,
                region_id,
            )
            .await?;
            let first = u32::try_from(region.service_year_start_month).unwrap_or(1);
            ServiceYear::containing(first, Month::of(Utc::now()))
                .map_err(|e| DomainError::bad("year", e.to_string()))?
                .first_month()
                .year()
        }
    };
    Ok((region_id, year))
}

/// For the administrator (and a vendor) coming from the menu: the first region
/// with metered usage (the vendor's own); `None` when there is none.
async fn metered_region(db: &sea_orm::DatabaseConnection, role: Role) -> DomainResult<Option<i64>> {
    use entities::usage_record::{Column, Entity};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let mut first = Entity::find().order_by_asc(Column::RegionId);
    if let Role::Vendor { vendor_id } = role {
        first = first.filter(Column::VendorId.eq(vendor_id));
    }
    Ok(first.one(db).await?.map(|u| u.region_id))
}

/// GET /metering?region=…&year=…
pub async fn page(
    State(console): State<Shared>,
    signed: SignedIn,
    Query(asked): Query<Asked>,
) -> Response {
    let made = async {
        let (region_id, year) = target(&console, &signed, &asked).await?;
        read_bill(&console.state.db, &signed.actor, region_id, year).await
    }
    .await;
    match made {
        Ok(bill) => {
            let can_close = bill.state == MeteringState::Open
                && domain::access::can_modify(
                    &signed.actor,
                    &domain::access::Policy::FACT,
                    domain::access::Scope {
                        region: Some(bill.region.id),
                        ..Default::default()
                    },
                );
            crate::web::html(StatusCode::OK, &view(signed.shell, bill, can_close))
        }
        Err(e) => signed.error(e),
    }
}

fn view(shell: Shell, bill: Bill, can_close: bool) -> MeteringPage {
    MeteringPage {
        shell,
        region_id: bill.region.id,
        xlsx: format!(
            "/exports/metering/{}/{}.xlsx",
            bill.region.id, bill.start_year
        ),
        region: bill.region.name.clone(),
        year: bill.start_year,
        period: bill.year.to_string(),
        state: state_text(bill.state),
        closed_at: bill.closed_at.map(local_time).unwrap_or_default(),
        capped: bill.capped,
        metered: money_text(bill.metered),
        payable: money_text(bill.payable),
        vendors: bill
            .vendors
            .iter()
            .map(|v| TotalView {
                name: v.name.clone(),
                metered: money_text(v.metered),
                payable: money_text(v.payable),
                free: money_text(v.free_beyond_cap),
                fixed: v
                    .fixed
                    .map(money_text)
                    .unwrap_or_else(|| "待关闭".to_owned()),
            })
            .collect(),
        agencies: bill
            .agencies
            .iter()
            .map(|a| TotalView {
                name: a.name.clone(),
                metered: money_text(a.amount),
                payable: String::new(),
                free: String::new(),
                fixed: String::new(),
            })
            .collect(),
        lines: bill.lines.iter().map(line_view).collect(),
        can_close,
    }
}

fn line_view(l: &Line) -> LineView {
    LineView {
        system: l.system_name.clone(),
        vendor: l.vendor_name.clone(),
        agency: l.agency_name.clone(),
        item: format!("{} {}", l.item_code, l.item_name),
        month: engine::month_text(&l.month),
        quantity: format!("{} {}", l.quantity.normalize(), l.unit),
        metered_quantity: l.metered_quantity.normalize().to_string(),
        unit_price: money_text(l.unit_price),
        amount: money_text(l.amount),
        flags: l.flags.join("；"),
    }
}

fn state_text(state: MeteringState) -> &'static str {
    match state {
        MeteringState::Open => "计量中（年度考核扣减金额待计量结算）",
        MeteringState::Closed => "已关闭（金额已确定）",
    }
}

#[derive(Deserialize)]
pub struct CloseForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    year: String,
}

/// POST /metering/close: region and year; the supervisor confirmed in the page.
pub async fn close(
    State(console): State<Shared>,
    signed: SignedIn,
    Form(form): Form<CloseForm>,
) -> Response {
    if let Err(refused) = signed.check_csrf(&console, &form.csrf) {
        return refused;
    }
    let asked = Asked {
        region: Some(form.region),
        year: Some(form.year),
    };
    let closed = async {
        let (region_id, year) = target(&console, &signed, &asked).await?;
        let audit = signed.audit("closeMetering");
        domain::metering::close(
            &console.state.db,
            &signed.actor,
            &audit,
            region_id,
            year,
            Utc::now(),
        )
        .await?;
        Ok::<_, DomainError>((region_id, year))
    }
    .await;
    match closed {
        Ok((region, year)) => {
            Redirect::to(&format!("/metering?region={region}&year={year}")).into_response()
        }
        Err(e) => signed.error(e),
    }
}

/// GET /exports/metering/{region}/{year}.xlsx
pub async fn download(
    State(console): State<Shared>,
    signed: SignedIn,
    Path((region_id, file)): Path<(i64, String)>,
) -> Response {
    let Some(year) = file
        .strip_suffix(".xlsx")
        .and_then(|y| y.parse::<i32>().ok())
    else {
        return signed.error(DomainError::bad(
            "year",
            format!("“{file}”不是服务年度文件名"),
        ));
    };
    let made = read_bill(&console.state.db, &signed.actor, region_id, year).await;
    let bill = match made {
        Ok(bill) => bill,
        Err(e) => return signed.error(e),
    };
    let sheets = workbook_reports(&bill);
    let refs: Vec<(&str, &Report)> = sheets.iter().map(|(n, r)| (n.as_str(), r)).collect();
    match xlsx::workbook_of(&refs, &document_date()) {
        Ok(bytes) => crate::web::download::attachment(
            bytes,
            xlsx::CONTENT_TYPE,
            &format!(
                "{} 服务年度{} 计量结算.xlsx",
                bill.region.name, bill.start_year
            ),
        ),
        Err(e) => signed.error(DomainError::internal(e)),
    }
}

/// A sheet per vendor and per agency the reader may see, each with its
/// totals and lines; money cells are numbers (`¥#,##0.00`).
fn workbook_reports(bill: &Bill) -> Vec<(String, Report)> {
    let mut sheets = Vec::new();
    for v in &bill.vendors {
        let lines: Vec<&Line> = bill
            .lines
            .iter()
            .filter(|l| l.vendor_id == v.vendor_id)
            .collect();
        sheets.push(sheet(
            bill,
            format!("云服务商 {}", v.name),
            vec![
                ("计量金额".to_owned(), Cell::Money(v.metered)),
                ("应付金额（封顶后）".to_owned(), Cell::Money(v.payable)),
                ("封顶免费部分".to_owned(), Cell::Money(v.free_beyond_cap)),
                ("关闭时确定的金额".to_owned(), Cell::money_or_empty(v.fixed)),
            ],
            &lines,
        ));
    }
    for a in &bill.agencies {
        let lines: Vec<&Line> = bill.lines.iter().filter(|l| l.agency_id == a.id).collect();
        sheets.push(sheet(
            bill,
            format!("预算单位 {}", a.name),
            vec![("计量金额".to_owned(), Cell::Money(a.amount))],
            &lines,
        ));
    }
    sheets
}

/// A sheet's name (unique per vendor or agency) and its report.
fn sheet(
    bill: &Bill,
    subject: String,
    summary: Vec<(String, Cell)>,
    lines: &[&Line],
) -> (String, Report) {
    let report = Report {
        region: bill.region.name.clone(),
        subject: format!(
            "服务年度{}（{}）计量结算 {subject}",
            bill.start_year, bill.year
        ),
        sheet: "计量结算",
        summary,
        tables: vec![Table {
            caption: Some("计量明细".to_owned()),
            columns: [
                "系统",
                "预算单位",
                "服务项目",
                "月份",
                "用量",
                "计量用量",
                "单价",
                "金额",
                "标记",
            ]
            .map(Column::new)
            .into(),
            rows: lines
                .iter()
                .map(|l| {
                    vec![
                        Cell::Text(l.system_name.clone()),
                        Cell::Text(l.agency_name.clone()),
                        Cell::Text(format!("{} {}", l.item_code, l.item_name)),
                        Cell::Text(l.month.clone()),
                        Cell::Text(l.quantity.normalize().to_string()),
                        Cell::Text(l.metered_quantity.normalize().to_string()),
                        Cell::Money(l.unit_price),
                        Cell::Money(l.amount),
                        Cell::Text(l.flags.join("；")),
                    ]
                })
                .collect(),
        }],
        notes: Vec::new(),
        wide: true,
    };
    (sheet_name(&subject), report)
}

/// An Excel sheet name: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(subject: &str) -> String {
    subject
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect()
}
