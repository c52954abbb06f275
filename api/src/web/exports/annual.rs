//! A service year's annual results for filing: every vendor of the region in
//! rank order with its monthly mean and the part it weighs in the blend, the
//! annual scorecard's indicators and total and its part, the year's total,
//! the verdict, the penalty tier and the amount deducted from the year's
//! settlement. The results are `domain::dashboards::annual_ranking`'s (the
//! latest revision of each vendor, drafts flagged), as GraphQL's
//! `annualResults` gives them; only the supervision team files them.

use engine::{AnnualResult, Blended, percent_text};

use super::report::{Cell, Column, Report, Table};
use super::{Asked, ExportError, ExportResult, Shared, supervision_team};
use crate::error::DomainError;
use crate::web::dashboard::{passed_text, state_text};
use crate::web::format::points_text;
use domain::actor::Actor;
use domain::dashboards::Ranked;
use domain::reference::regions::Regions;

/// A ranked vendor with its annual result.
struct Standing<'a> {
    vendor: String,
    ranked: &'a Ranked,
    year: &'a AnnualResult,
}

/// The annual results of the service year asked for (`/exports/annual.xlsx`,
/// `/print/annual`), and its dashboard.
pub(super) async fn report(
    console: &Shared,
    actor: &Actor,
    asked: &Asked,
) -> ExportResult<(Report, String)> {
    supervision_team(actor, "the annual results are the supervision team's")?;
    let (region_id, year) = (asked.region()?, asked.year()?);
    let db = &console.state.db;
    let region = domain::store::get::<Regions>(db, actor, region_id).await?;
    let scheme = domain::schemes::require_known(db, "region", &region.scheme_code).await?;
    let ranked =
        domain::dashboards::annual_ranking(db, &console.state.results, actor, region.id, year)
            .await?;
    let names = domain::dashboards::vendors(db, ranked.iter().map(|r| r.result.vendor_id)).await?;
    let standings = ranked
        .iter()
        .map(|r| {
            let year = r.stored.annual().ok_or_else(|| {
                DomainError::Internal(
                    format!("result {} of an annual ranking is not annual", r.result.id).into(),
                )
            })?;
            let vendor = names
                .get(&r.result.vendor_id)
                .map_or_else(|| format!("#{}", r.result.vendor_id), |v| v.name.clone());
            Ok(Standing {
                vendor,
                ranked: r,
                year,
            })
        })
        .collect::<Result<Vec<_>, ExportError>>()?;
    // The columns are the first result's (one scheme per region and year).
    let first = standings.first().map(|s| s.year);
    let blend = first.and_then(|y| y.blend.as_ref());
    let dashboard = crate::web::dashboard::href(
        region.id,
        &format!("{year}-{:02}", scheme.service_year_first_month),
    );
    // "2025 服务年度（2025-07..2026-06）": a year not starting in January
    // says which months it is.
    let months = engine::ServiceYear::new(scheme.service_year_first_month, year)
        .map_err(|e| DomainError::bad("year", e.to_string()))?;
    let report = Report {
        region: region.name,
        subject: format!("{year} 服务年度（{months}）考核结果"),
        sheet: "年度考核结果",
        summary: Vec::new(),
        tables: vec![Table {
            caption: None,
            columns: columns(first, blend),
            rows: standings.iter().map(|s| row(s, blend.is_some())).collect(),
        }],
        notes: Vec::new(),
        wide: true,
    };
    Ok((report, dashboard))
}

/// 名次, 云服务商, (月度平均分, 月度折算), each annual indicator, 年度指标得分,
/// (年度折算), 年度总分, 结论, 扣罚档次, 结算金额, 扣款金额, 状态; the blend's
/// columns only for a scheme that blends.
fn columns(first: Option<&AnnualResult>, blend: Option<&Blended>) -> Vec<Column> {
    let mut columns = vec![Column::new("名次"), Column::new("云服务商")];
    if let Some(b) = blend {
        columns.push(Column::new("月度考核平均分"));
        columns.push(Column::new(format!(
            "月度折算（× {}）",
            percent_text(b.monthly_share)
        )));
    }
    columns.extend(first.into_iter().flat_map(|y| {
        y.annual.indicators.iter().map(|i| {
            let code = i.code.to_string();
            let heading = format!("{code} {}（满分 {}）", i.name.zh, points_text(i.weight));
            Column::indicator(&code, heading)
        })
    }));
    columns.push(Column::new("年度指标得分"));
    if let Some(b) = blend {
        columns.push(Column::new(format!(
            "年度折算（× {}）",
            percent_text(b.annual_share)
        )));
    }
    columns.extend(
        [
            "年度总分",
            "结论",
            "扣罚档次",
            "结算金额",
            "扣款金额",
            "状态",
        ]
        .map(Column::new),
    );
    columns
}

fn row(s: &Standing<'_>, blended: bool) -> Vec<Cell> {
    let (result, year) = (&s.ranked.result, s.year);
    let rank = s.ranked.rank.map_or(Cell::Empty, |n| Cell::Whole(n.into()));
    let mut cells = vec![rank, Cell::text(s.vendor.clone())];
    let b = year.blend.as_ref();
    if blended {
        cells.push(Cell::score_or_empty(b.map(|b| b.monthly_mean)));
        cells.push(Cell::score_or_empty(
            b.map(|b| b.monthly_mean * b.monthly_share),
        ));
    }
    cells.extend(year.annual.indicators.iter().map(|i| Cell::Score(i.score)));
    cells.push(Cell::Score(year.annual.total));
    if blended {
        cells.push(Cell::score_or_empty(
            b.map(|b| b.annual_total * b.annual_share),
        ));
    }
    let p = &year.penalty;
    cells.extend([
        Cell::Score(s.ranked.total),
        Cell::text(passed_text(result.passed)),
        Cell::Text(p.tier.as_ref().map_or_else(
            || "不扣罚".to_owned(),
            |t| format!("低于 {} 分：{}", points_text(t.below), percent_text(t.rate)),
        )),
        Cell::money_or_empty(p.settlement_amount),
        Cell::money_or_empty(p.amount),
        Cell::Text(state_text(result.published, result.revision)),
    ]);
    cells
}

/// The dashboard's links to the service year's results.
pub fn xlsx_href(region_id: i64, year: i32) -> String {
    format!("/exports/annual.xlsx?region={region_id}&year={year}")
}

pub fn print_href(region_id: i64, year: i32) -> String {
    format!("/print/annual?region={region_id}&year={year}")
}
