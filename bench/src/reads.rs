//! The dashboard reads under load: the ranking with its breakdown, one vendor's
//! year trend and the notice counts (a supervision team's), and a vendor's own
//! scores. Each is checked once (no errors, some rows) before it is loaded.

use std::path::Path;

use serde_json::{Value, json};

use crate::client::Client;
use crate::error::{Result, failed};
use crate::load::{self, Load};

/// The uncounted load before each read's measured ones.
pub const WARM_UP_SECONDS: u32 = 1;

pub struct Read {
    pub name: &'static str,
    pub body: Value,
    pub token: Option<String>,
}

const RANKING: &str = "query Ranking($r: ID!, $p: String!) {
  ranking(regionId: $r, period: $p) { rank total passed published vendor { name }
    scorecard { total indicators { code score deductions { points reason } } } } }";
const TREND: &str = "query Trend($v: ID!, $r: ID!, $y: Int!) {
  vendorTrend(vendorId: $v, regionId: $r, year: $y) { period total passed } }";
const NOTICES: &str =
    "query NoticeCounts($r: ID) { noticeCounts(regionId: $r) { vendor { name } open overdue } }";
const OWN: &str = "query OwnScores($r: ID!) {
  assessmentResults(filter: { regionId: $r }, limit: 50) { total items { period total passed
    scorecard { indicators { code score deductions { points reason } } } } } }";

pub struct Subject<'a> {
    pub region_id: &'a str,
    pub month: &'a str,
    pub admin: &'a Client,
    pub vendor: &'a Client,
    pub vendor_id: &'a str,
}

pub fn ranking_body(region_id: &str, month: &str) -> Value {
    json!({ "query": RANKING, "variables": { "r": region_id, "p": month } })
}

pub fn all(s: &Subject<'_>) -> Vec<Read> {
    let year: i32 = s.month[..4].parse().unwrap_or_default();
    let admin = s.admin.token.clone();
    vec![
        Read {
            name: "ranking",
            body: ranking_body(s.region_id, s.month),
            token: admin.clone(),
        },
        Read {
            name: "vendorTrend",
            body: json!({ "query": TREND, "variables": { "v": s.vendor_id, "r": s.region_id, "y": year } }),
            token: admin.clone(),
        },
        Read {
            name: "noticeCounts",
            body: json!({ "query": NOTICES, "variables": { "r": s.region_id } }),
            token: admin,
        },
        Read {
            name: "own scores (vendor)",
            body: json!({ "query": OWN, "variables": { "r": s.region_id } }),
            token: s.vendor.token.clone(),
        },
    ]
}

/// Fails unless the read answers without errors and with some data.
pub async fn check(client: &Client, read: &Read) -> Result<()> {
    let mut signed = client.clone();
    signed.token = read.token.clone();
    let data = signed
        .must(
            read.body["query"].as_str().unwrap_or_default(),
            read.body["variables"].clone(),
        )
        .await?;
    let empty = data
        .as_object()
        .and_then(|o| o.values().next())
        .is_none_or(|v| v.as_array().is_some_and(Vec::is_empty) || v.is_null());
    if empty {
        return Err(failed(format!("{} returned nothing: {data}", read.name)));
    }
    Ok(())
}

pub async fn under_load(
    endpoint: &str,
    read: &Read,
    clients: &[u32],
    seconds: u32,
    work: &Path,
) -> Result<Vec<Load>> {
    let body = read.body.to_string();
    // Steady state, not start-up: a second at the most connections first
    // (the server's pool opens its connections, its kept documents and
    // parses fill), not counted.
    let most = clients.iter().copied().max().unwrap_or(1);
    load::wrk(
        endpoint,
        &body,
        read.token.as_deref(),
        most,
        WARM_UP_SECONDS,
        work,
    )
    .await?;
    let mut out = Vec::new();
    for &c in clients {
        out.push(load::wrk(endpoint, &body, read.token.as_deref(), c, seconds, work).await?);
    }
    Ok(out)
}
