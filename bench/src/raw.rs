//! The limit: the same data govcloud serves, fetched by raw SQL on the same
//! PostgreSQL database (issue 17, item 1).
//!
//! - Reads: each dashboard read's equivalent statements, loaded by `pgbench`
//!   with as many clients as wrk has connections (`-M prepared`, as sqlx
//!   prepares); its per-transaction log (`--log`) gives p50 and p99.
//! - Runs: the fact rows a run reads, one plain `SELECT *` per fact table over
//!   the run's window (all regions and contracted vendors at once), fetched
//!   by psql; wall time and rows.
//!
//! Each statement says which govcloud read it mirrors. They are read off the
//! server's code (`domain/src/dashboards.rs`, `jobs/src/assessment/facts.rs`
//! with each kind's `window` in `domain/src/facts/`); access checks and
//! sign-in are govcloud's own cost and have no equivalent here.

use std::path::Path;
use std::time::{Duration, Instant};

use tokio::process::Command;

use crate::error::{Result, failed, io};
use crate::load::Load;
use crate::province::{Province, Region, month_of};

/// pgbench of PostgreSQL 15 (Debian's wrapper picks the cluster's version).
const PGBENCH: &str = "pgbench";

/// What a read is about, as the bench's govcloud reads are.
pub struct Subject<'a> {
    pub region_id: &'a str,
    pub month: &'a str,
    pub vendor_id: &'a str,
}

/// The raw statements of one govcloud read (one pgbench transaction), by the
/// read's name in `reads::all`; `None` for a read with no equivalent.
pub fn read_sql(read: &str, s: &Subject<'_>) -> Option<String> {
    let (r, m, v) = (s.region_id, s.month, s.vendor_id);
    let year = m.get(..4).unwrap_or_default();
    Some(match read {
        // `ranking`: dashboards::ranking → `results` (the region's monthly
        // results for the month, every revision) and `vendors` (their names).
        // Joined here, best first, as PostGraphile's equivalent is.
        "ranking" => format!(
            "SELECT r.*, v.name FROM assessment_results r JOIN vendors v ON v.id = r.vendor_id \
             WHERE r.region_id = {r} AND r.kind = 'MONTHLY' AND r.period = '{m}' \
             ORDER BY r.total DESC;"
        ),
        // `vendorTrend`: graphql/dashboards.rs vendor_trend → `vendors` (the
        // vendor exists) and `results` for the twelve months of the year.
        "vendorTrend" => format!(
            "SELECT id, name FROM vendors WHERE id = {v};\n\
             SELECT * FROM assessment_results WHERE region_id = {r} AND kind = 'MONTHLY' \
             AND vendor_id = {v} AND period BETWEEN '{year}-01' AND '{year}-12';"
        ),
        // `noticeCounts`: dashboards::notice_counts, the same GROUP BY.
        "noticeCounts" => format!(
            "SELECT region_id, vendor_id, COUNT(id) AS open, \
             SUM(CASE WHEN deadline < CURRENT_DATE THEN 1 ELSE 0 END) AS overdue \
             FROM notices WHERE status NOT IN ('ACCEPTED', 'SUPERSEDED') AND region_id = {r} \
             GROUP BY region_id, vendor_id ORDER BY region_id, vendor_id;"
        ),
        // `own scores (vendor)`: the assessmentResults list as the vendor
        // sees it (its own published results in the region): a page of 50
        // and the total.
        "own scores (vendor)" => format!(
            "SELECT * FROM assessment_results WHERE region_id = {r} AND vendor_id = {v} \
             AND published ORDER BY id LIMIT 50;\n\
             SELECT COUNT(*) FROM assessment_results WHERE region_id = {r} AND vendor_id = {v} \
             AND published;"
        ),
        _ => return None,
    })
}

/// `sql` as one pgbench transaction, by `clients` clients for `seconds`.
pub async fn pgbench(
    url: &str,
    sql: &str,
    clients: u32,
    seconds: u32,
    work: &Path,
) -> Result<Load> {
    let dir = work.join("pgbench");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(io("pgbench folder"))?;
    let script = dir.join("read.sql");
    std::fs::write(&script, sql).map_err(io("pgbench script"))?;
    let threads = clients.clamp(1, 2).to_string();
    let out = Command::new(PGBENCH)
        .args([
            "-n",
            "-M",
            "prepared",
            "-c",
            &clients.to_string(),
            "-j",
            &threads,
        ])
        .args(["-T", &seconds.to_string(), "--log", "--log-prefix"])
        .arg(dir.join("tx"))
        .arg("-f")
        .arg(&script)
        .arg(url)
        .current_dir(&dir)
        .output()
        .await
        .map_err(io("pgbench (PostgreSQL's client tools)"))?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() {
        return Err(failed(format!(
            "pgbench failed: {text}{}",
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    let mut latencies = transaction_log(&dir)?;
    let mut load = summary(&text, clients)?;
    let (p50, p99) = percentiles(&mut latencies);
    (load.p50, load.p99) = (p50, p99);
    Ok(load)
}

/// tps and failed transactions from pgbench's summary.
fn summary(report: &str, clients: u32) -> Result<Load> {
    let mut load = Load {
        clients,
        ..Load::default()
    };
    for line in report.lines().map(str::trim) {
        // "tps = 1815.123456 (without initial connection time)"
        if let Some(rest) = line.strip_prefix("tps = ") {
            let n = rest.split_whitespace().next().unwrap_or_default();
            load.rps = n
                .parse()
                .map_err(|_| failed(format!("pgbench tps {n:?}")))?;
        }
        // "number of failed transactions: 0 (0.000%)"
        if let Some(rest) = line.strip_prefix("number of failed transactions: ") {
            load.errors = rest
                .split_whitespace()
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
        }
    }
    if load.rps == 0.0 {
        return Err(failed(format!(
            "pgbench reported no transactions:\n{report}"
        )));
    }
    Ok(load)
}

/// Latencies of every transaction from pgbench's logs (one file per
/// thread): `client_id transaction_no time_us script_no epoch us`.
fn transaction_log(dir: &Path) -> Result<Vec<u64>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io("pgbench logs"))? {
        let path = entry.map_err(io("pgbench logs"))?.path();
        let is_log = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("tx."));
        if !is_log {
            continue;
        }
        let text = std::fs::read_to_string(&path).map_err(io(path.display().to_string()))?;
        out.extend(latencies(&text));
    }
    Ok(out)
}

fn latencies(log: &str) -> impl Iterator<Item = u64> + '_ {
    log.lines()
        .filter_map(|l| l.split_whitespace().nth(2)?.parse::<u64>().ok())
}

/// p50 and p99 (nearest rank) of microsecond latencies.
fn percentiles(us: &mut [u64]) -> (Duration, Duration) {
    if us.is_empty() {
        return (Duration::ZERO, Duration::ZERO);
    }
    us.sort_unstable();
    let rank = |p: f64| {
        let i = ((p * us.len() as f64).ceil() as usize).clamp(1, us.len()) - 1;
        Duration::from_micros(us[i])
    };
    (rank(0.50), rank(0.99))
}

/// One run's fact rows read raw: wall time and rows.
#[derive(Clone, Copy, Debug, Default)]
pub struct RawRead {
    pub wall: Duration,
    pub rows: u64,
}

/// A run's window as the server builds it (`jobs/src/assessment/mod.rs`
/// `window`): from and to (00:00 Asia/Shanghai, exclusive end) and the
/// service year whose survey counts.
struct Window {
    from: String,
    to: String,
    survey_year: i32,
    /// The contracts of this service year say which vendors are assessed.
    service_year: i32,
    regions: Vec<String>,
}

/// `YYYY-MM-01 00:00:00+08` of a `YYYY-MM` month.
fn midnight(month: &str) -> String {
    format!("{month}-01 00:00:00+08")
}

fn next_month(month: &str) -> String {
    let year: i32 = month[..4].parse().unwrap_or_default();
    let m: u32 = month[5..].parse().unwrap_or(1);
    month_of(year, m, 1)
}

/// The fact tables as `jobs/src/assessment/facts.rs` loads them for a run:
/// one statement per table, each with its kind's `window`
/// (`domain/src/facts/<kind>.rs`), over the regions and contracted vendors
/// of the window at once.
fn fact_selects(w: &Window) -> Vec<String> {
    const LOOKBACK: &str = "INTERVAL '100 days'"; // domain::facts::LOOKBACK_DAYS
    let (from, to) = (
        format!("TIMESTAMPTZ '{}'", w.from),
        format!("TIMESTAMPTZ '{}'", w.to),
    );
    let early = format!("({from} - {LOOKBACK})");
    let windows = [
        // work_orders: approved from LOOKBACK before the period to its end.
        (
            "work_orders",
            format!("t.approved_at >= {early} AND t.approved_at < {to}"),
        ),
        // unticketed_deliveries: before the end, and in the period or not rectified by its end.
        (
            "unticketed_deliveries",
            format!(
                "t.occurred_at < {to} AND (t.occurred_at >= {from} OR t.rectified_at IS NULL OR t.rectified_at >= {to})"
            ),
        ),
        (
            "service_tasks",
            format!("t.planned_at >= {early} AND t.planned_at < {to}"),
        ),
        // attendances: the months of the period, by their 'YYYY-MM' text.
        (
            "attendances",
            format!(
                "t.period >= to_char({from} AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') \
                 AND t.period <= to_char(({to} - INTERVAL '1 second') AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')"
            ),
        ),
        (
            "complaints",
            format!("t.received_at >= {from} AND t.received_at < {to}"),
        ),
        (
            "outages",
            format!(
                "t.started_at < {to} AND (t.ended_at IS NULL OR t.ended_at >= {from}) \
                 AND (t.started_at >= {early} OR t.ended_at IS NULL)"
            ),
        ),
        (
            "faults",
            format!("t.occurred_at >= {early} AND t.occurred_at < {to}"),
        ),
        (
            "changes",
            format!("t.planned_at >= {early} AND t.planned_at < ({to} + {LOOKBACK})"),
        ),
        (
            "violations",
            format!("t.occurred_at >= {from} AND t.occurred_at < {to}"),
        ),
        (
            "trainings",
            format!("t.held_at >= {from} AND t.held_at < {to}"),
        ),
        // security_risks: deadlines (local dates) within the period.
        (
            "security_risks",
            format!(
                "t.deadline >= ({from} AT TIME ZONE 'Asia/Shanghai')::date \
                 AND t.deadline < ({to} AT TIME ZONE 'Asia/Shanghai')::date"
            ),
        ),
        (
            "security_accidents",
            format!("t.occurred_at >= {from} AND t.occurred_at < {to}"),
        ),
        (
            "survey_responses",
            format!("t.service_year = {}", w.survey_year),
        ),
    ];
    let regions = w.regions.join(", ");
    windows
        .into_iter()
        .map(|(table, window)| {
            format!(
                "SELECT t.* FROM {table} t WHERE t.region_id IN ({regions}) AND ({window}) \
                 AND EXISTS (SELECT 1 FROM contracts c WHERE c.region_id = t.region_id \
                 AND c.vendor_id = t.vendor_id AND c.service_year = {});",
                w.service_year
            )
        })
        .collect()
}

/// Regions grouped by the month `month(region)` gives (schemes start their
/// service years in different months), as windows from that month for `span`
/// months.
fn windows(
    p: &Province,
    regions: &[&Region],
    first: impl Fn(&Region) -> String,
    span: u32,
) -> Vec<Window> {
    let mut out: Vec<Window> = Vec::new();
    for r in regions {
        let from = first(r);
        match out.iter_mut().find(|w| w.from == midnight(&from)) {
            Some(w) => w.regions.push(r.id.clone()),
            None => {
                let mut to = from.clone();
                for _ in 0..span {
                    to = next_month(&to);
                }
                out.push(Window {
                    from: midnight(&from),
                    to: midnight(&to),
                    survey_year: p.service_year,
                    service_year: p.service_year,
                    regions: vec![r.id.clone()],
                });
            }
        }
    }
    out
}

/// The monthly run's rows: every monthly region, its timed month.
pub async fn monthly(url: &str, p: &Province) -> Result<RawRead> {
    let regions: Vec<&Region> = p.regions.iter().filter(|r| r.monthly).collect();
    read_all(url, windows(p, &regions, |r| p.timed_month(r), 1)).await
}

/// The other eleven months' rows, one window of eleven months per group (a
/// row in two months' windows is read once here, so this is a lower bound).
pub async fn remaining_months(url: &str, p: &Province) -> Result<RawRead> {
    let regions: Vec<&Region> = p.regions.iter().filter(|r| r.monthly).collect();
    let first = |r: &Region| month_of(p.service_year, r.first_month, 0);
    read_all(url, windows(p, &regions, first, 11)).await
}

/// The annual run's rows: every region, its whole service year.
pub async fn annual(url: &str, p: &Province) -> Result<RawRead> {
    let regions: Vec<&Region> = p.regions.iter().collect();
    let first = |r: &Region| month_of(p.service_year, r.first_month, 0);
    read_all(url, windows(p, &regions, first, 12)).await
}

/// Fetches every row of every statement with psql (to /dev/null, unaligned),
/// timed; then counts the rows (untimed).
async fn read_all(url: &str, windows: Vec<Window>) -> Result<RawRead> {
    let statements: Vec<String> = windows.iter().flat_map(fact_selects).collect();
    let started = Instant::now();
    psql_script(url, &statements.join("\n")).await?;
    let wall = started.elapsed();
    let counts: Vec<String> = statements
        .iter()
        .map(|s| format!("(SELECT COUNT(*) FROM ({}) q)", s.trim_end_matches(';')))
        .collect();
    let total = crate::server::psql(url, &format!("SELECT {}", counts.join(" + "))).await?;
    let rows = total
        .parse()
        .map_err(|_| failed(format!("row count {total:?}")))?;
    Ok(RawRead { wall, rows })
}

async fn psql_script(url: &str, sql: &str) -> Result<()> {
    let out = Command::new("psql")
        .args([
            url,
            "-X",
            "-q",
            "-A",
            "-t",
            "-o",
            "/dev/null",
            "-v",
            "ON_ERROR_STOP=1",
            "-c",
            sql,
        ])
        .output()
        .await
        .map_err(io("psql (PostgreSQL's client)"))?;
    if !out.status.success() {
        return Err(failed(format!(
            "psql: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUMMARY: &str = "transaction type: read.sql
scaling factor: 1
query mode: prepared
number of clients: 16
number of threads: 2
duration: 3 s
number of transactions actually processed: 5445
number of failed transactions: 0 (0.000%)
latency average = 8.812 ms
initial connection time = 21.527 ms
tps = 1815.733910 (without initial connection time)
";

    #[test]
    fn tps_and_failures_come_from_pgbench_summary() {
        let load = summary(SUMMARY, 16).expect("a summary");
        assert!((load.rps - 1815.733910).abs() < 1e-9);
        assert_eq!((load.clients, load.errors), (16, 0));
    }

    #[test]
    fn p99_is_the_nearest_rank_of_the_logged_latencies() {
        // 100 transactions of 1..=100 ms: nearest rank 50 → 50 ms, rank 99 → 99 ms.
        let log: String = (1..=100)
            .map(|i| format!("0 {i} {} 0 1700000000 {i}\n", i * 1000))
            .collect();
        let mut us: Vec<u64> = latencies(&log).collect();
        assert_eq!(us.len(), 100);
        let (p50, p99) = percentiles(&mut us);
        assert_eq!(p50, Duration::from_millis(50));
        assert_eq!(p99, Duration::from_millis(99));
    }

    #[test]
    fn a_month_window_runs_from_shanghai_midnight_to_the_next_month() {
        assert_eq!(midnight("2025-12"), "2025-12-01 00:00:00+08");
        // December rolls over into January of the next year.
        assert_eq!(next_month("2025-12"), "2026-01");
        assert_eq!(next_month("2025-06"), "2025-07");
    }
}
