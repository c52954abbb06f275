//! A vendor's monthly trend (issue 13, items 2 and 3): its PUBLISHED monthly
//! totals over twelve months as a line chart, one line per region it is
//! scored in (or the one asked for), the months named 2026年11月, the pass
//! line of the scheme its results were scored by. [`vendor_trend`] is the
//! reusable part (the vendor's home page draws it too); [`page`] is
//! `/vendors/{vendor_id}/trend?region={id}`.
//!
//! Everything is read through the store with the caller: a vendor reads only
//! its own vendor row and results (another vendor's trend is `NOT_FOUND`),
//! supervisors and administrators any vendor's, in the regions they may read.

use std::collections::{BTreeMap, BTreeSet};

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use crate::error::DomainResult;
use crate::web::Shared;
use crate::web::charts::{Chart, Series};
use crate::web::format::{month_text, points_text};
use crate::web::shell::{Shell, SignedIn};
use domain::actor::Actor;
use domain::assessments::{AssessmentResults, StoredResult};
use domain::page::MAX_LIMIT;
use domain::reference::regions::Regions;
use domain::reference::vendors::Vendors;
use domain::store::{self, ListFilter};
use entities::assessment_result::Model as ResultRow;
use entities::assessment_run::RunKind;

/// How many months the trend shows.
pub const MONTHS: u32 = 12;

/// One month of one region, as the table under the chart shows it.
pub struct TrendRow {
    pub region: String,
    pub month: String,
    pub total: String,
    pub passed: bool,
    pub result_id: i64,
}

/// The chart and the same numbers as rows (for who reads tables, not charts).
pub struct Trend {
    pub vendor_name: String,
    pub chart: Chart,
    pub rows: Vec<TrendRow>,
}

/// The twelve months up to the vendor's latest published month (up to this
/// month when it has none), of every region it is scored in, or of
/// `region_id` only.
pub async fn vendor_trend(
    console: &Shared,
    actor: &Actor,
    vendor_id: i64,
    region_id: Option<i64>,
) -> DomainResult<Trend> {
    let db = &console.state.db;
    let vendor = store::get::<Vendors>(db, actor, vendor_id).await?;
    let filter = ListFilter {
        vendor_id: Some(vendor_id),
        region_id,
        history: true,
        ..ListFilter::default()
    };
    // Newest first: the latest rows are the ones the twelve months need.
    let rows = store::list::<AssessmentResults>(db, actor, filter, None, Some(MAX_LIMIT as i64))
        .await?
        .items;
    let published = latest_published_months(rows);
    let end = published
        .keys()
        .map(|(_, period)| period.clone())
        .max()
        .unwrap_or_else(|| {
            domain::period::local(chrono::Utc::now())
                .format("%Y-%m")
                .to_string()
        });
    let months = months_up_to(&end, MONTHS);
    let region_names = names_of_regions(console, actor).await?;
    let regions: BTreeSet<i64> = published.keys().map(|(region, _)| *region).collect();
    let mut series = Vec::new();
    let mut table = Vec::new();
    let mut pass_mark = None;
    for region in regions {
        let name = region_names
            .get(&region)
            .cloned()
            .unwrap_or_else(|| format!("区域 {region}"));
        let mut data = Vec::with_capacity(months.len());
        for month in &months {
            let Some(r) = published.get(&(region, month.clone())) else {
                data.push(None);
                continue;
            };
            let stored = StoredResult::of(r)?;
            let total = engine::two_dp(stored.total());
            pass_mark = Some(stored.scorecard().pass_mark);
            data.push(Some(total));
            table.push(TrendRow {
                region: name.clone(),
                month: month_text(month),
                total: points_text(total),
                passed: r.passed,
                result_id: r.id,
            });
        }
        series.push(Series { name, data });
    }
    let categories = months.iter().map(|m| month_text(m)).collect();
    let mut chart = Chart::scores("line", categories, series);
    if let Some(mark) = pass_mark {
        chart = chart.with_pass_line(mark, format!("合格线 {} 分", mark.normalize()));
    }
    Ok(Trend {
        vendor_name: vendor.name,
        chart,
        rows: table,
    })
}

/// Of each (region, month) the latest published monthly revision.
fn latest_published_months(rows: Vec<ResultRow>) -> BTreeMap<(i64, String), ResultRow> {
    let mut latest: BTreeMap<(i64, String), ResultRow> = BTreeMap::new();
    for r in rows
        .into_iter()
        .filter(|r| r.published && r.kind == RunKind::Monthly)
    {
        let key = (r.region_id, r.period.clone());
        if latest
            .get(&key)
            .is_none_or(|seen| seen.revision < r.revision)
        {
            latest.insert(key, r);
        }
    }
    latest
}

/// `count` months ending with `end` (`YYYY-MM`), oldest first.
fn months_up_to(end: &str, count: u32) -> Vec<String> {
    let (year, month) = end
        .split_once('-')
        .and_then(|(y, m)| Some((y.parse::<i32>().ok()?, m.parse::<i32>().ok()?)))
        .unwrap_or((2026, 1));
    let last = year * 12 + (month - 1);
    (0..count as i32)
        .rev()
        .map(|back| {
            let index = last - back;
            format!(
                "{:04}-{:02}",
                index.div_euclid(12),
                index.rem_euclid(12) + 1
            )
        })
        .collect()
}

async fn names_of_regions(console: &Shared, actor: &Actor) -> DomainResult<BTreeMap<i64, String>> {
    let regions = store::list::<Regions>(
        &console.state.db,
        actor,
        ListFilter::default(),
        None,
        Some(MAX_LIMIT as i64),
    )
    .await?;
    Ok(regions.items.into_iter().map(|r| (r.id, r.name)).collect())
}

#[derive(askama::Template)]
#[template(path = "trend.html")]
struct TrendPage {
    shell: Shell,
    trend: Trend,
}

#[derive(Deserialize, Default)]
pub struct TrendQuery {
    #[serde(default)]
    region: Option<String>,
}

/// GET /vendors/{vendor_id}/trend?region={id}
pub async fn page(
    State(console): State<Shared>,
    signed: SignedIn,
    Path(vendor_id): Path<i64>,
    Query(query): Query<TrendQuery>,
) -> Response {
    // A region that is not a number is no region of this vendor: not found.
    let region = match query
        .region
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
    {
        None => None,
        Some(r) => match r.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => return signed.error(crate::error::DomainError::not_found("region")),
        },
    };
    match vendor_trend(&console, &signed.actor, vendor_id, region).await {
        Ok(trend) => crate::web::html(
            StatusCode::OK,
            &TrendPage {
                shell: signed.shell.with_charts(),
                trend,
            },
        ),
        Err(e) => signed.error(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twelve_months_end_with_the_last_and_cross_the_year() {
        let months = months_up_to("2026-03", 12);
        assert_eq!(months.first().map(String::as_str), Some("2025-04"));
        assert_eq!(months.last().map(String::as_str), Some("2026-03"));
        assert_eq!(months.len(), 12);
        assert!(months.contains(&"2025-12".to_owned()));
    }
}
