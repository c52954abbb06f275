//! The month's ranking for filing: every vendor of the region in rank order
//! with each indicator's score, the total, the verdict and the result's
//! state. The figures are the dashboard's, read through
//! `domain::dashboards::ranking` with the caller (the same access); only the
//! supervision team files it.

use super::report::{Cell, Column, Report, Table};
use super::{Asked, ExportResult, Shared, supervision_team};
use crate::web::dashboard::{passed_text, state_text};
use crate::web::format::{month_text, points_text};
use domain::actor::Actor;
use domain::dashboards::Ranked;
use domain::reference::regions::Regions;

/// The ranking of the month asked for (`/exports/ranking.xlsx`,
/// `/print/ranking`), and its dashboard.
pub(super) async fn report(
    console: &Shared,
    actor: &Actor,
    asked: &Asked,
) -> ExportResult<(Report, String)> {
    supervision_team(actor, "the ranking is the supervision team's")?;
    let (region_id, month) = (asked.region()?, asked.month()?);
    let db = &console.state.db;
    let region = domain::store::get::<Regions>(db, actor, region_id).await?;
    let ranked =
        domain::dashboards::ranking(db, &console.state.results, actor, region.id, &month).await?;
    let names = domain::dashboards::vendors(db, ranked.iter().map(|r| r.result.vendor_id)).await?;
    let name = |id: i64| {
        names
            .get(&id)
            .map_or_else(|| format!("#{id}"), |v| v.name.clone())
    };
    let dashboard = crate::web::dashboard::href(region.id, &month);
    let report = Report {
        region: region.name,
        subject: format!("{}月度考核排名", month_text(&month)),
        sheet: "月度排名",
        summary: Vec::new(),
        tables: vec![Table {
            caption: None,
            columns: columns(ranked.first()),
            rows: ranked
                .iter()
                .map(|r| row(name(r.result.vendor_id), r))
                .collect(),
        }],
        notes: Vec::new(),
        wide: true,
    };
    Ok((report, dashboard))
}

/// 名次, 云服务商, one column per indicator of the scheme, 总分, 结论, 状态.
fn columns(first: Option<&Ranked>) -> Vec<Column> {
    let indicators: Vec<Column> = first
        .map(|r| {
            r.stored
                .scorecard()
                .indicators
                .iter()
                .map(|i| {
                    let code = i.code.to_string();
                    let heading = format!("{code} {}（满分 {}）", i.name.zh, points_text(i.weight));
                    Column::indicator(&code, heading)
                })
                .collect()
        })
        .unwrap_or_default();
    [Column::new("名次"), Column::new("云服务商")]
        .into_iter()
        .chain(indicators)
        .chain(["总分", "结论", "状态"].map(Column::new))
        .collect()
}

fn row(vendor: String, ranked: &Ranked) -> Vec<Cell> {
    let rank = ranked.rank.map_or(Cell::Empty, |n| Cell::Whole(n.into()));
    [rank, Cell::Text(vendor)]
        .into_iter()
        .chain(
            ranked
                .stored
                .scorecard()
                .indicators
                .iter()
                .map(|i| Cell::Score(i.score)),
        )
        .chain([
            Cell::Score(ranked.total),
            Cell::text(passed_text(ranked.result.passed)),
            Cell::Text(state_text(ranked.result.published, ranked.result.revision)),
        ])
        .collect()
}

/// The dashboard's link to the export.
pub fn xlsx_href(region_id: i64, month: &str) -> String {
    format!("/exports/ranking.xlsx?region={region_id}&month={month}")
}

/// The dashboard's link to the print page.
pub fn print_href(region_id: i64, month: &str) -> String {
    format!("/print/ranking?region={region_id}&month={month}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_links_name_region_and_month() {
        assert_eq!(
            xlsx_href(3, "2025-03"),
            "/exports/ranking.xlsx?region=3&month=2025-03"
        );
        assert_eq!(
            print_href(3, "2025-03"),
            "/print/ranking?region=3&month=2025-03"
        );
    }
}
