//! Spreadsheets for filing (issue 14, item 2): the month's ranking with every
//! vendor's indicators as `.xlsx`, for the supervision team's records. The
//! figures are the dashboard's, read through `domain::dashboards::ranking`
//! with the caller (the same access); scores are written as numbers with a
//! two-decimal format, so a spreadsheet sums them, never as text.

use axum::extract::{Query, State};
use axum::response::Response;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet, XlsxError};
use serde::Deserialize;

use crate::error::{DomainError, DomainResult};
use crate::web::Shared;
use crate::web::format::month_text;
use crate::web::shell::SignedIn;
use domain::actor::{Actor, Role};
use domain::dashboards::Ranked;
use domain::reference::regions::Regions;

/// The `.xlsx` content type.
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

#[derive(Deserialize)]
pub struct RankingQuery {
    region: i64,
    /// `YYYY-MM`.
    month: String,
}

/// GET /exports/ranking.xlsx?region=…&month=…: the month's ranking, as the
/// dashboard shows it, for supervisors and administrators.
pub async fn ranking(
    State(console): State<Shared>,
    signed: SignedIn,
    Query(query): Query<RankingQuery>,
) -> Response {
    match ranking_file(&console, &signed.actor, &query).await {
        Ok((name, bytes)) => crate::web::download::attachment(bytes, XLSX, &name),
        Err(e) => signed.error(e),
    }
}

async fn ranking_file(
    console: &Shared,
    actor: &Actor,
    query: &RankingQuery,
) -> DomainResult<(String, Vec<u8>)> {
    if !matches!(actor.role, Role::Admin | Role::Supervisor { .. }) {
        return Err(DomainError::forbidden(
            "the ranking is the supervision team's",
        ));
    }
    let db = &console.state.db;
    let region = domain::store::get::<Regions>(db, actor, query.region).await?;
    let ranked = domain::dashboards::ranking(db, actor, region.id, &query.month).await?;
    let names = domain::dashboards::vendors(db, ranked.iter().map(|r| r.result.vendor_id)).await?;
    let title = format!("{}{}月度考核排名", region.name, month_text(&query.month));
    let rows: Vec<(String, &Ranked)> = ranked
        .iter()
        .map(|r| {
            let name = names
                .get(&r.result.vendor_id)
                .map_or_else(|| format!("#{}", r.result.vendor_id), |v| v.name.clone());
            (name, r)
        })
        .collect();
    let bytes = workbook(&title, &rows)
        .map_err(|e| DomainError::Internal(format!("ranking workbook: {e}").into()))?;
    Ok((format!("{title}.xlsx"), bytes))
}

/// One sheet: a title line, the header, a row per vendor in rank order.
fn workbook(title: &str, rows: &[(String, &Ranked)]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("月度排名")?;
    let bold = Format::new().set_bold();
    let score = Format::new()
        .set_num_format("0.00")
        .set_align(FormatAlign::Right);
    sheet.write_string_with_format(0, 0, title, &bold)?;
    let indicators: Vec<String> = rows
        .first()
        .map(|(_, r)| {
            r.stored
                .scorecard()
                .indicators
                .iter()
                .map(|i| format!("{} {}（满分 {}）", i.code, i.name.zh, points(i.weight)))
                .collect()
        })
        .unwrap_or_default();
    let header = ["名次", "云服务商"]
        .into_iter()
        .map(str::to_owned)
        .chain(indicators)
        .chain(["总分", "结论", "状态"].map(str::to_owned));
    for (col, text) in (0u16..).zip(header) {
        sheet.write_string_with_format(2, col, text, &bold)?;
    }
    for (row, (name, ranked)) in (3u32..).zip(rows) {
        write_row(sheet, row, name, ranked, &score)?;
    }
    sheet.set_column_width(1, 28)?;
    book.save_to_buffer()
}

fn write_row(
    sheet: &mut Worksheet,
    row: u32,
    name: &str,
    ranked: &Ranked,
    score: &Format,
) -> Result<(), XlsxError> {
    if let Some(rank) = ranked.rank {
        sheet.write_number(row, 0, f64::from(rank))?;
    }
    sheet.write_string(row, 1, name)?;
    let mut col = 2u16;
    for indicator in &ranked.stored.scorecard().indicators {
        sheet.write_number_with_format(row, col, number(indicator.score), score)?;
        col += 1;
    }
    sheet.write_number_with_format(row, col, number(ranked.total), score)?;
    sheet.write_string(
        row,
        col + 1,
        if ranked.result.passed {
            "达标"
        } else {
            "未达标"
        },
    )?;
    let state = if ranked.result.published {
        format!("已发布（第 {} 版）", ranked.result.revision)
    } else {
        format!("草稿（第 {} 版）", ranked.result.revision)
    };
    sheet.write_string(row, col + 2, state)?;
    Ok(())
}

/// A score as the cell's number: rounded half-up to two decimals first
/// (what people read), then as the spreadsheet's own number type.
fn number(value: Decimal) -> f64 {
    engine::two_dp(value).to_f64().unwrap_or_default()
}

fn points(value: Decimal) -> String {
    engine::points_text(value)
}

/// The dashboard's link to the export.
pub fn ranking_href(region_id: i64, month: &str) -> String {
    format!("/exports/ranking.xlsx?region={region_id}&month={month}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_score_is_written_as_the_number_people_read() {
        // 88.375 rounds half-up to 88.38, as the dashboard shows it.
        assert_eq!(number(Decimal::new(88_375, 3)), 88.38);
        assert_eq!(number(Decimal::new(95, 0)), 95.0);
    }

    #[test]
    fn the_link_names_region_and_month() {
        assert_eq!(
            ranking_href(3, "2025-03"),
            "/exports/ranking.xlsx?region=3&month=2025-03"
        );
    }
}
