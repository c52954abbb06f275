//! A contract's settlement statement for filing: the contract, vendor,
//! period, terms and annual assessment as the summary, the figures (each
//! breach on its own line) and the instalments as tables, the shortfall and
//! negotiation notes — as `.xlsx` (`/exports/statements/{id}.xlsx`, money
//! cells `¥#,##0.00`) and as the A4 print page (`/print/statements/{id}`).
//! Read with the caller through `domain::settlement::statement`, as the
//! statement page and GraphQL read it.

use axum::extract::{Path, State};
use axum::response::Response;

use super::report::{Cell, Column, Report, Table};
use super::{ExportResult, Shared};
use crate::web::settlement::{figures, notes, payment_text};
use crate::web::shell::SignedIn;
use domain::actor::Actor;
use domain::settlement::Settlement;

/// GET /exports/statements/{id}.xlsx
pub async fn xlsx(
    State(console): State<Shared>,
    signed: SignedIn,
    Path(file): Path<String>,
) -> Response {
    super::xlsx_by_id(&signed, &file, |id| report(&console, &signed.actor, id)).await
}

/// GET /print/statements/{id}
pub async fn print(
    State(console): State<Shared>,
    signed: SignedIn,
    Path(id): Path<i64>,
) -> Response {
    let made = report(&console, &signed.actor, id).await;
    super::print::answer(
        signed,
        made.map(|report| (report, format!("/contracts/{id}/statement"))),
    )
}

async fn report(console: &Shared, actor: &Actor, id: i64) -> ExportResult<Report> {
    let s = domain::settlement::statement(&console.state.db, actor, id).await?;
    Ok(statement_report(&s))
}

/// The statement as a document.
pub fn statement_report(s: &Settlement) -> Report {
    let period = s.period.text();
    let summary = vec![
        ("合同编号".to_owned(), Cell::Whole(s.contract.id)),
        ("云服务商".to_owned(), Cell::text(s.vendor.name.clone())),
        ("结算期间".to_owned(), Cell::text(period.clone())),
        (
            "合同条款".to_owned(),
            Cell::text(s.terms_name.clone().unwrap_or_else(|| "未指定".to_owned())),
        ),
        (
            "违约金支付方式".to_owned(),
            Cell::text(payment_text(s.payment)),
        ),
        (
            "年度考核".to_owned(),
            Cell::text(
                s.assessment
                    .as_ref()
                    .map_or_else(|| "未发布年度考核".to_owned(), |a| a.tier_text()),
            ),
        ),
    ];
    let figures = Table {
        caption: Some("结算金额".to_owned()),
        columns: vec![Column::new("项目"), Column::new("金额")],
        rows: figures(s)
            .into_iter()
            .map(|f| vec![Cell::Text(f.label), Cell::Money(f.amount)])
            .collect(),
    };
    let last = s.instalments.last().map(|i| i.id);
    let instalments = Table {
        caption: Some("付款计划".to_owned()),
        columns: ["期次", "比例", "付款条件", "金额", "付款日期"]
            .map(Column::new)
            .to_vec(),
        rows: s
            .instalments
            .iter()
            .map(|i| {
                let final_mark = if Some(i.id) == last {
                    "（尾款）"
                } else {
                    ""
                };
                vec![
                    Cell::text(format!("第 {} 期{final_mark}", i.position)),
                    Cell::text(engine::percent_text(
                        i.percent / rust_decimal::Decimal::ONE_HUNDRED,
                    )),
                    Cell::text(i.condition.clone()),
                    Cell::Money(i.amount),
                    Cell::text(
                        i.paid_on
                            .map_or_else(|| "未付".to_owned(), engine::date_text),
                    ),
                ]
            })
            .collect(),
    };
    let mut tables = vec![figures];
    if !instalments.rows.is_empty() {
        tables.push(instalments);
    }
    Report {
        region: s.region.name.clone(),
        subject: format!("{} · {period} 结算单", s.vendor.name),
        sheet: "结算单",
        summary,
        tables,
        notes: notes(s),
        wide: false,
    }
}
