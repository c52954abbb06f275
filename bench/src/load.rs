//! Load over HTTP from a real load generator: wrk (Debian's `wrk`), one POST
//! body per read, with its latency distribution.

use std::path::Path;
use std::time::Duration;

use tokio::process::Command;

use crate::error::{Result, failed, io};

/// One read under load: what wrk measured.
#[derive(Clone, Copy, Debug, Default)]
pub struct Load {
    pub clients: u32,
    pub p50: Duration,
    pub p99: Duration,
    pub rps: f64,
    pub errors: u64,
}

/// A POST of `body` with `token`, by `clients` connections for `seconds`,
/// from two threads (one per core) or one for a single connection.
pub async fn wrk(
    url: &str,
    body: &str,
    token: Option<&str>,
    clients: u32,
    seconds: u32,
    work: &Path,
) -> Result<Load> {
    wrk_threads(
        url,
        body,
        token,
        (clients, clients.clamp(1, 2)),
        seconds,
        work,
    )
    .await
}

/// `wrk` with its `(connections, threads)` given: several wrk at once (one
/// per instance) share the cores as one wrk's threads would.
pub async fn wrk_threads(
    url: &str,
    body: &str,
    token: Option<&str>,
    (clients, threads): (u32, u32),
    seconds: u32,
    work: &Path,
) -> Result<Load> {
    let script = work.join("wrk.lua");
    std::fs::write(&script, lua(body, token)).map_err(io("wrk script"))?;
    let threads = threads.clamp(1, clients.max(1)).to_string();
    let out = Command::new("wrk")
        .args([
            "-t",
            &threads,
            "-c",
            &clients.to_string(),
            "-d",
            &format!("{seconds}s"),
            "--timeout",
            "10s",
            "--latency",
            "-s",
        ])
        .arg(&script)
        .arg(url)
        .output()
        .await
        .map_err(io("wrk (install it: apt-get install -y wrk)"))?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() {
        return Err(failed(format!(
            "wrk failed: {}{}",
            text,
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    parse(&text, clients)
}

fn lua(body: &str, token: Option<&str>) -> String {
    let auth = token
        .map(|t| format!("wrk.headers[\"Authorization\"] = \"Bearer {t}\"\n"))
        .unwrap_or_default();
    format!(
        "wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\n{auth}wrk.body = [==[{body}]==]\n"
    )
}

/// Reads the figures from wrk's report.
pub fn parse(report: &str, clients: u32) -> Result<Load> {
    let mut load = Load {
        clients,
        ..Load::default()
    };
    for line in report.lines().map(str::trim) {
        let mut words = line.split_whitespace();
        match (words.next(), words.next()) {
            (Some("50%"), Some(v)) => load.p50 = duration(v)?,
            (Some("99%"), Some(v)) => load.p99 = duration(v)?,
            (Some("Requests/sec:"), Some(v)) => {
                load.rps = v.parse().map_err(|_| failed(format!("wrk rps {v:?}")))?
            }
            (Some("Non-2xx"), _) => {
                load.errors += line
                    .rsplit(' ')
                    .next()
                    .and_then(|n| n.parse::<u64>().ok())
                    .unwrap_or(0)
            }
            (Some("Socket"), Some("errors:")) => load.errors += socket_errors(line),
            _ => {}
        }
    }
    if load.rps == 0.0 {
        return Err(failed(format!("wrk reported no requests:\n{report}")));
    }
    Ok(load)
}

fn socket_errors(line: &str) -> u64 {
    // "Socket errors: connect 0, read 0, write 0, timeout 3"
    line.split(',')
        .filter_map(|part| part.split_whitespace().last()?.parse::<u64>().ok())
        .sum()
}

fn duration(v: &str) -> Result<Duration> {
    let bad = || failed(format!("wrk latency {v:?}"));
    let split = v.find(|c: char| c.is_ascii_alphabetic()).ok_or_else(bad)?;
    let (number, unit) = v.split_at(split);
    let n: f64 = number.parse().map_err(|_| bad())?;
    let seconds = match unit {
        "us" => n / 1e6,
        "ms" => n / 1e3,
        "s" => n,
        "m" => n * 60.0,
        _ => return Err(bad()),
    };
    Ok(Duration::from_secs_f64(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = "Running 5s test @ http://127.0.0.1:8080/graphql
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.10ms    1.20ms  20.00ms   80.00%
  Latency Distribution
     50%    3.90ms
     75%    4.50ms
     90%    5.60ms
     99%   12.34ms
  19000 requests in 5.00s, 30.00MB read
  Socket errors: connect 0, read 0, write 0, timeout 2
  Non-2xx or 3xx responses: 5
Requests/sec:   3800.12
Transfer/sec:      6.00MB
";

    #[test]
    fn reads_percentiles_throughput_and_errors_from_a_wrk_report() {
        let load = parse(REPORT, 16).unwrap_or_default();
        assert_eq!(load.p50, Duration::from_micros(3900));
        assert_eq!(load.p99, Duration::from_micros(12340));
        assert!((load.rps - 3800.12).abs() < 1e-9);
        // 2 timeouts + 5 non-2xx answers.
        assert_eq!(load.errors, 7);
    }

    #[test]
    fn latency_units_are_micro_milli_and_whole_seconds() {
        assert_eq!(duration("850.00us").ok(), Some(Duration::from_micros(850)));
        assert_eq!(duration("1.50s").ok(), Some(Duration::from_millis(1500)));
    }
}
