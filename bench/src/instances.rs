//! Several server processes on one PostgreSQL database, as `compose.yaml`
//! deploys two behind nginx: each read must answer the same on every
//! instance, and its load is split across them (one wrk per instance with its
//! share of the connections, all at once), to compare with one instance.

use std::path::{Path, PathBuf};

use crate::client::Client;
use crate::error::{Result, failed, io};
use crate::load::{self, Load};
use crate::reads::Read;
use crate::server::{self, Server};

/// The servers beyond the first, each with its own folder (log, wrk script).
pub struct Extra {
    pub servers: Vec<(Server, PathBuf)>,
}

impl Extra {
    pub async fn start(url: &str, more: u32, work: &Path) -> Result<Self> {
        let mut servers = Vec::new();
        for i in 2..=more + 1 {
            let dir = work.join(format!("instance-{i}"));
            std::fs::create_dir_all(&dir).map_err(io(dir.display().to_string()))?;
            let s = Server::start(url, server::free_port()?, &dir).await?;
            servers.push((s, dir));
        }
        Ok(Self { servers })
    }

    pub async fn stop(self) {
        for (s, _) in self.servers {
            s.stop().await;
        }
    }
}

/// Scheduled runs with every instance running the scheduler, as compose.yaml
/// deploys them: the runs recorded and the periods run more than once.
#[derive(Clone, Copy, Debug, Default)]
pub struct Scheduled {
    pub runs: u64,
    pub duplicates: u64,
}

/// Starts `n` fresh instances with `SCHEDULER=1` (start-up catch-up of the
/// last two months: at least one month whose scheduled instant, the 5th at
/// 02:00, has passed and that the benchmark did not run by hand), waits until
/// their scheduled runs have settled (no run under way and the count
/// unchanged for 3 s; 3 minutes at most), stops them and counts. The leases
/// (`jobs/src/leases.rs`) must make each (kind, region, period) run once;
/// no scheduled run at all is a failure, since it would show nothing.
pub async fn scheduled_once(url: &str, n: u32, work: &Path) -> Result<Scheduled> {
    const COUNT: &str = "SELECT COUNT(*) FROM assessment_runs WHERE trigger <> 'MANUAL'";
    const RUNNING: &str = "SELECT COUNT(*) FROM assessment_runs WHERE status = 'RUNNING'";
    const TWICE: &str = "SELECT COUNT(*) FROM (SELECT kind, region_id, period FROM assessment_runs \
        WHERE trigger <> 'MANUAL' GROUP BY kind, region_id, period HAVING COUNT(*) > 1) d";
    let before: u64 = number(&server::psql(url, COUNT).await?)?;
    let mut servers = Vec::new();
    for i in 1..=n {
        let dir = work.join(format!("scheduling-{i}"));
        std::fs::create_dir_all(&dir).map_err(io(dir.display().to_string()))?;
        let env = [("SCHEDULER", "1"), ("CATCH_UP_MONTHS", "2")];
        servers.push(Server::start_with(url, server::free_port()?, &dir, &env).await?);
    }
    let mut last = (u64::MAX, 0);
    for _ in 0..180 {
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        let count: u64 = number(&server::psql(url, COUNT).await?)?;
        let running: u64 = number(&server::psql(url, RUNNING).await?)?;
        last = if count == last.0 && running == 0 {
            (count, last.1 + 1)
        } else {
            (count, 0)
        };
        if last.1 >= 3 {
            break;
        }
    }
    for s in servers {
        s.stop().await;
    }
    let runs = last.0.saturating_sub(before);
    if runs == 0 {
        return Err(failed(
            "no scheduled run happened on the instances: nothing shows that each runs once",
        ));
    }
    Ok(Scheduled {
        runs,
        duplicates: number(&server::psql(url, TWICE).await?)?,
    })
}

fn number(text: &str) -> Result<u64> {
    text.trim()
        .parse()
        .map_err(|_| failed(format!("a count, not {text:?}")))
}

/// Fails unless every instance gives the first one's answer to `read`.
pub async fn same_answers(first: &Client, extra: &Extra, read: &Read) -> Result<()> {
    let expected = answer(first, read).await?;
    for (s, _) in &extra.servers {
        let mut other = Client::new(&s.base);
        other.token = read.token.clone();
        let got = answer(&other, read).await?;
        if got != expected {
            return Err(failed(format!(
                "{} differs between {} and {}:\n{expected}\n{got}",
                read.name, first.endpoint, other.endpoint
            )));
        }
    }
    Ok(())
}

async fn answer(client: &Client, read: &Read) -> Result<serde_json::Value> {
    let mut signed = client.clone();
    signed.token = read.token.clone();
    signed
        .must(
            read.body["query"].as_str().unwrap_or_default(),
            read.body["variables"].clone(),
        )
        .await
}

/// `read` under load split across the first server and the extra ones:
/// `clients` connections in all (at least one per instance), summed req/s,
/// the worst p50 and p99.
pub async fn split_load(
    first: (&str, &Path),
    extra: &Extra,
    read: &Read,
    clients: u32,
    seconds: u32,
) -> Result<Load> {
    let mut targets: Vec<(String, PathBuf)> = vec![(first.0.to_owned(), first.1.to_owned())];
    targets.extend(
        extra
            .servers
            .iter()
            .map(|(s, dir)| (format!("{}/graphql", s.base), dir.clone())),
    );
    let share = (clients / targets.len() as u32).max(1);
    // As many wrk threads in all as one instance's load has (two cores).
    let threads = (2 / targets.len() as u32).max(1);
    let body = read.body.to_string();
    let token = read.token.clone();
    // One wrk per instance, all at once.
    let mut running = tokio::task::JoinSet::new();
    for (endpoint, dir) in targets.clone() {
        let (body, token) = (body.clone(), token.clone());
        running.spawn(async move {
            load::wrk_threads(
                &endpoint,
                &body,
                token.as_deref(),
                (share, threads),
                seconds,
                &dir,
            )
            .await
        });
    }
    let mut loads = Vec::new();
    while let Some(done) = running.join_next().await {
        loads.push(done.map_err(|e| failed(format!("wrk task: {e}")))??);
    }
    Ok(combined(&loads, share * targets.len() as u32))
}

/// The instances' figures as one: summed throughput and errors, worst latencies.
fn combined(loads: &[Load], clients: u32) -> Load {
    Load {
        clients,
        p50: loads.iter().map(|l| l.p50).max().unwrap_or_default(),
        p99: loads.iter().map(|l| l.p99).max().unwrap_or_default(),
        rps: loads.iter().map(|l| l.rps).sum(),
        errors: loads.iter().map(|l| l.errors).sum(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn instances_add_their_throughput_and_keep_the_worst_latency() {
        let a = Load {
            clients: 8,
            p50: Duration::from_millis(10),
            p99: Duration::from_millis(40),
            rps: 300.0,
            errors: 1,
        };
        let b = Load {
            p50: Duration::from_millis(12),
            p99: Duration::from_millis(30),
            rps: 250.0,
            ..a
        };
        let both = combined(&[a, b], 16);
        // 300 + 250 req/s; p50 max(10, 12); p99 max(40, 30); errors 1 + 1.
        assert_eq!(both.rps, 550.0);
        assert_eq!(both.p50, Duration::from_millis(12));
        assert_eq!(both.p99, Duration::from_millis(40));
        assert_eq!((both.clients, both.errors), (16, 2));
    }
}
