//! The province as the server sees it after generation, and the timed runs:
//! the monthly run of every region for one month, then (after the other months
//! of the service year are run and published) the annual run of every region.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::client::Client;
use crate::error::{Result, failed};

pub struct Region {
    pub id: String,
    pub code: String,
    pub first_month: u32,
    /// False for a scheme assessed only once a year (松江区's).
    pub monthly: bool,
    pub vendors: usize,
}

pub struct Province {
    pub regions: Vec<Region>,
    /// The latest service year with contracts (its first calendar year).
    pub service_year: i32,
}

/// `(year, month)` of the n-th month (0-based) of a service year.
pub fn month_of(start_year: i32, first_month: u32, n: u32) -> String {
    let index = first_month - 1 + n;
    format!(
        "{:04}-{:02}",
        start_year + (index / 12) as i32,
        index % 12 + 1
    )
}

impl Province {
    pub async fn read(admin: &Client) -> Result<Self> {
        let data = admin
            .must(
                "{ regions(limit: 500) { items { id code schemeCode } }
                   schemes { code version serviceYearFirstMonth document }
                   contracts(limit: 500) { total items { regionId serviceYear } } }",
                json!({}),
            )
            .await?;
        let contracts = items(&data["contracts"]);
        let latest_first_month = items(&data["regions"])
            .iter()
            .map(|r| {
                latest(&data["schemes"], &text(&r["schemeCode"]))["serviceYearFirstMonth"]
                    .as_u64()
                    .unwrap_or(1) as u32
            })
            .max()
            .unwrap_or(1);
        // The latest service year that has ended everywhere: a run of a month
        // still under way would assess half a month.
        let now = chrono::Utc::now().format("%Y-%m").to_string();
        let service_year = contracts
            .iter()
            .filter_map(|c| c["serviceYear"].as_i64())
            .map(|y| y as i32)
            .filter(|y| month_of(*y, latest_first_month, 11) < now)
            .max()
            .ok_or_else(|| failed("no contracts for a service year that has ended"))?;
        let regions = items(&data["regions"])
            .iter()
            .map(|r| {
                let id = text(&r["id"]);
                let vendors = contracts
                    .iter()
                    .filter(|c| text(&c["regionId"]) == id)
                    .filter(|c| c["serviceYear"].as_i64() == Some(service_year as i64))
                    .count();
                let scheme = latest(&data["schemes"], &text(&r["schemeCode"]));
                Region {
                    first_month: scheme["serviceYearFirstMonth"].as_u64().unwrap_or(1) as u32,
                    monthly: !scheme["document"]["monthly"].is_null(),
                    code: text(&r["code"]),
                    id,
                    vendors,
                }
            })
            .collect();
        Ok(Self {
            regions,
            service_year,
        })
    }

    /// The timed month: the last month of the service year, per region.
    pub fn timed_month(&self, region: &Region) -> String {
        month_of(self.service_year, region.first_month, 11)
    }

    /// The region with the most contracted vendors (the municipality).
    pub fn busiest(&self) -> Result<&Region> {
        self.regions
            .iter()
            .filter(|r| r.monthly)
            .max_by_key(|r| r.vendors)
            .ok_or_else(|| failed("the data set has no regions"))
    }
}

fn items(page: &Value) -> Vec<Value> {
    page["items"].as_array().cloned().unwrap_or_default()
}

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_owned()
}

/// The latest version of a scheme.
fn latest(schemes: &Value, code: &str) -> Value {
    schemes
        .as_array()
        .into_iter()
        .flatten()
        .filter(|s| s["code"] == code)
        .max_by_key(|s| s["version"].as_i64())
        .cloned()
        .unwrap_or_default()
}

/// What a timed set of runs cost.
#[derive(Default, Clone, Copy)]
pub struct RunFigures {
    pub wall: Duration,
    pub runs: usize,
    pub rows_read: i64,
    pub statements: f64,
}

const RUN_MONTHLY: &str = "mutation RunMonthly($r: ID!, $p: String!) {
  runMonthlyAssessment(regionId: $r, period: $p) { id status rowsRead } }";
const RUN_ANNUAL: &str = "mutation RunAnnual($r: ID!, $y: Int!) {
  runAnnualAssessment(regionId: $r, serviceYear: $y) { id status rowsRead } }";
const PUBLISH: &str =
    "mutation Publish($id: ID!) { publishAssessmentRun(runId: $id) { id status } }";

/// Runs (and publishes) each `(mutation, variables)` in turn, timing the runs
/// and counting the statements the server issued for them.
async fn timed(admin: &Client, runs: Vec<(&str, Value)>) -> Result<RunFigures> {
    let before = admin.metric("govcloud_db_statements_total").await?;
    let mut figures = RunFigures::default();
    let mut ids = Vec::new();
    let started = Instant::now();
    for (mutation, variables) in runs {
        let data = admin.must(mutation, variables).await?;
        let run = data
            .as_object()
            .and_then(|o| o.values().next())
            .cloned()
            .unwrap_or_default();
        if run["status"] != "SUCCEEDED" {
            return Err(failed(format!("run did not succeed: {run}")));
        }
        figures.runs += 1;
        figures.rows_read += run["rowsRead"].as_i64().unwrap_or(0);
        ids.push(text(&run["id"]));
    }
    figures.wall = started.elapsed();
    let after = admin.metric("govcloud_db_statements_total").await?;
    figures.statements = after - before - scrape_cost(admin).await?;
    for id in ids {
        admin.must(PUBLISH, json!({ "id": id })).await?;
    }
    Ok(figures)
}

/// The statements one `/metrics` scrape itself issues (its gauges may query),
/// taken off the runs' count.
async fn scrape_cost(admin: &Client) -> Result<f64> {
    let a = admin.metric("govcloud_db_statements_total").await?;
    let b = admin.metric("govcloud_db_statements_total").await?;
    Ok(b - a)
}

/// The monthly run of every region for its timed month.
pub async fn monthly(admin: &Client, p: &Province) -> Result<RunFigures> {
    let runs = p
        .regions
        .iter()
        .filter(|r| r.monthly)
        .map(|r| (RUN_MONTHLY, json!({ "r": r.id, "p": p.timed_month(r) })))
        .collect();
    timed(admin, runs).await
}

/// The other eleven months of the service year, run and published so that the
/// annual run has every month to blend.
pub async fn remaining_months(admin: &Client, p: &Province) -> Result<RunFigures> {
    let runs = p
        .regions
        .iter()
        .filter(|r| r.monthly)
        .flat_map(|r| {
            (0..11).map(|n| {
                (
                    RUN_MONTHLY,
                    json!({ "r": r.id, "p": month_of(p.service_year, r.first_month, n) }),
                )
            })
        })
        .collect();
    timed(admin, runs).await
}

pub async fn annual(admin: &Client, p: &Province) -> Result<RunFigures> {
    let runs = p
        .regions
        .iter()
        .map(|r| (RUN_ANNUAL, json!({ "r": r.id, "y": p.service_year })))
        .collect();
    timed(admin, runs).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_service_year_from_july_ends_in_june_of_the_next_year() {
        assert_eq!(month_of(2024, 7, 0), "2024-07");
        // 7 - 1 + 5 = 11 → December of the first year.
        assert_eq!(month_of(2024, 7, 5), "2024-12");
        // 7 - 1 + 11 = 17 → 17 / 12 = 1 year on, 17 % 12 + 1 = June.
        assert_eq!(month_of(2024, 7, 11), "2025-06");
        assert_eq!(month_of(2024, 1, 11), "2024-12");
    }
}
