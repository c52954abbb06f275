//! One vendor's scorecard for filing: the result's region, vendor, period,
//! revision and state, every indicator with its maximum, the points deducted
//! and the score, every deduction with its reason and the titles of the facts
//! it was taken for, and the total (for an annual result also the blend with
//! the monthly results and the penalty on the settlement).
//!
//! Read through the store with the caller, as the scorecard page is
//! (`web::scorecard::load`): the
//! result's own access (supervision teams every result of their regions,
//! drafts included; a vendor its own published ones; anyone else "not
//! found"), and a fact the caller may not read is named by its kind only.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::response::Response;
use engine::{AnnualResult, FactRef, IndicatorResult, ScoreCard};
use rust_decimal::Decimal;

use super::report::{Cell, Column, Report, Table};
use super::{ExportResult, Shared};
use crate::web::dashboard::{passed_text, run_kind};
use crate::web::scorecard::{fact_line, load, period_text, tier_text};
use crate::web::shell::SignedIn;
use domain::actor::Actor;
use domain::facts::named::Named;

/// GET /exports/results/{id}.xlsx
pub async fn xlsx(
    State(console): State<Shared>,
    signed: SignedIn,
    Path(file): Path<String>,
) -> Response {
    super::xlsx_by_id(&signed, &file, |id| report(&console, &signed.actor, id)).await
}

/// GET /print/results/{id}
pub async fn print(
    State(console): State<Shared>,
    signed: SignedIn,
    Path(id): Path<i64>,
) -> Response {
    let made = report(&console, &signed.actor, id).await;
    super::print::answer(
        signed,
        made.map(|report| (report, format!("/results/{id}"))),
    )
}

async fn report(console: &Shared, actor: &Actor, id: i64) -> ExportResult<Report> {
    let loaded = load(console, actor, id).await?;
    let (row, stored, named) = (&loaded.row, &loaded.stored, &loaded.named);
    let (vendor, region) = (&loaded.vendor, &loaded.region);
    let card = stored.scorecard();
    let annual = stored.annual();
    let period = period_text(row, annual);
    let mut summary = vec![
        ("监管区域".to_owned(), Cell::text(region.name.clone())),
        ("云服务商".to_owned(), Cell::text(vendor.name.clone())),
        ("考核期间".to_owned(), Cell::text(period.clone())),
        ("考核类型".to_owned(), Cell::text(run_kind(row.kind))),
        ("版本".to_owned(), Cell::Whole(row.revision.into())),
        (
            "状态".to_owned(),
            Cell::text(if row.published {
                "已发布"
            } else {
                "草稿（未发布）"
            }),
        ),
        ("总分".to_owned(), Cell::Score(stored.total())),
        ("合格线".to_owned(), Cell::Score(card.pass_mark)),
        ("结论".to_owned(), Cell::text(passed_text(row.passed))),
    ];
    summary.extend(annual.map(year_summary).unwrap_or_default());
    let mut tables = vec![indicator_table(card, annual.is_some())];
    let mut notes = Vec::new();
    match deduction_table(card, named) {
        Some(table) => tables.push(table),
        None => notes.push("本期没有扣分。".to_owned()),
    }
    notes.extend(annual.map(months_notes).unwrap_or_default());
    notes.extend(
        card.warnings
            .iter()
            .chain(annual.into_iter().flat_map(|y| y.warnings.iter()))
            .map(|w| format!("提示：{w}")),
    );
    Ok(Report {
        subject: format!("{} · {}{}评分表", vendor.name, period, run_kind(row.kind)),
        region: region.name.clone(),
        sheet: "评分表",
        summary,
        tables,
        notes,
        wide: false,
    })
}

/// An annual result's blend and penalty, as the scorecard page explains them.
fn year_summary(year: &AnnualResult) -> Vec<(String, Cell)> {
    let mut lines = Vec::new();
    if let Some(b) = &year.blend {
        let monthly = engine::percent_text(b.monthly_share);
        let annual = engine::percent_text(b.annual_share);
        lines.extend([
            ("月度考核平均分".to_owned(), Cell::Score(b.monthly_mean)),
            (
                format!("月度折算得分（× {monthly}）"),
                Cell::Score(b.monthly_mean * b.monthly_share),
            ),
            ("年度指标得分".to_owned(), Cell::Score(b.annual_total)),
            (
                format!("年度折算得分（× {annual}）"),
                Cell::Score(b.annual_total * b.annual_share),
            ),
        ]);
    }
    let p = &year.penalty;
    lines.extend([
        (
            "扣罚档次".to_owned(),
            Cell::Text(
                p.tier
                    .as_ref()
                    .map_or_else(|| "未落入扣罚档次，不扣款".to_owned(), tier_text),
            ),
        ),
        (
            "结算金额".to_owned(),
            Cell::money_or_empty(p.settlement_amount),
        ),
        ("扣款金额".to_owned(), Cell::money_or_empty(p.amount)),
    ]);
    lines
}

fn months_notes(year: &AnnualResult) -> Vec<String> {
    let Some(b) = &year.blend else {
        return Vec::new();
    };
    let month = |m: &engine::Month| engine::month_text(&m.to_string());
    let mut notes = vec![format!(
        "计入平均分的月份：{}",
        b.monthly_totals
            .iter()
            .map(|m| format!("{} {} 分", month(&m.month), engine::points_text(m.total)))
            .collect::<Vec<_>>()
            .join("；")
    )];
    if !b.months_without_result.is_empty() {
        notes.push(format!(
            "无已发布结果、未计入的月份：{}",
            b.months_without_result
                .iter()
                .map(month)
                .collect::<Vec<_>>()
                .join("、")
        ));
    }
    notes
}

/// Every indicator: maximum, points deducted (of which not applied: the
/// score stops at zero), score; then the sums and the scorecard's total.
fn indicator_table(card: &ScoreCard, annual: bool) -> Table {
    let sum = |f: fn(&IndicatorResult) -> Decimal| card.indicators.iter().map(f).sum::<Decimal>();
    let mut rows: Vec<Vec<Cell>> = card
        .indicators
        .iter()
        .map(|i| {
            vec![
                Cell::text(i.code.to_string()),
                Cell::text(i.name.zh.to_string()),
                Cell::Score(i.weight),
                Cell::Score(i.deducted),
                Cell::Score(i.capped),
                Cell::Score(i.score),
            ]
        })
        .collect();
    rows.push(vec![
        Cell::text("合计"),
        Cell::Empty,
        Cell::Score(sum(|i| i.weight)),
        Cell::Score(sum(|i| i.deducted)),
        Cell::Score(sum(|i| i.capped)),
        Cell::Score(card.total),
    ]);
    Table {
        caption: Some(
            if annual {
                "年度指标"
            } else {
                "各项指标"
            }
            .to_owned(),
        ),
        columns: [
            "指标",
            "名称",
            "满分",
            "扣分",
            "其中未计（扣完为止）",
            "得分",
        ]
        .map(Column::new)
        .to_vec(),
        rows,
    }
}

/// Every deduction with its reason and the facts it was taken for; none
/// without deductions.
fn deduction_table(card: &ScoreCard, named: &HashMap<FactRef, Named>) -> Option<Table> {
    let rows: Vec<Vec<Cell>> = card
        .indicators
        .iter()
        .flat_map(|i| {
            i.deductions.iter().map(|d| {
                let facts = d
                    .facts
                    .iter()
                    .map(|f| {
                        let line = fact_line(*f, named.get(f));
                        if line.when.is_empty() {
                            line.title
                        } else {
                            format!("{}（{}）", line.title, line.when)
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("；");
                vec![
                    Cell::text(i.code.to_string()),
                    Cell::Score(d.points),
                    Cell::text(d.reason.clone()),
                    Cell::Text(facts),
                ]
            })
        })
        .collect();
    (!rows.is_empty()).then(|| Table {
        caption: Some("扣分明细".to_owned()),
        columns: ["指标", "扣分", "扣分原因", "依据的事实"]
            .map(Column::new)
            .to_vec(),
        rows,
    })
}

/// The scorecard page's links.
pub fn xlsx_href(result_id: i64) -> String {
    format!("/exports/results/{result_id}.xlsx")
}

pub fn print_href(result_id: i64) -> String {
    format!("/print/results/{result_id}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::exports::id_of_file;

    #[test]
    fn the_file_names_the_result() {
        assert_eq!(id_of_file("12.xlsx"), Some(12));
        assert_eq!(id_of_file("12"), None);
        assert_eq!(id_of_file("x.xlsx"), None);
        assert_eq!(
            id_of_file(&xlsx_href(7)["/exports/results/".len()..]),
            Some(7)
        );
    }
}
