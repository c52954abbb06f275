//! `govcloud-bench`: the province-scale benchmark of issues 5 and 17. For each
//! database and size it generates the data set, starts the real server, times
//! the province's monthly and annual runs, loads the dashboards with wrk, and
//! (on PostgreSQL) measures the limit beside them: the same data read by raw
//! SQL (pgbench, psql) and PostGraphile's equivalent ranking read, and, with
//! `--instances N`, the reads split across N server processes; then prints
//! the tables. Build and run from the repository root:
//!
//! ```sh
//! cargo build --release -p api -p bench && target/release/govcloud-bench --help
//! ```

mod args;
mod client;
mod error;
mod import;
mod instances;
mod load;
mod postgraphile;
mod province;
mod raw;
mod reads;
mod report;
mod server;

use std::path::{Path, PathBuf};

use serde_json::json;

use args::{Args, Backend};
use client::Client;
use error::{Result, failed};
use report::{Measured, RawRuns};
use server::Server;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let outcome = async {
        let args = <Args as clap::Parser>::parse();
        let mut all = Vec::new();
        for &backend in &args.backends {
            for scale in &args.scales {
                eprintln!("== {} at {scale}× ==", backend.name());
                all.push(measure(&args, backend, scale).await?);
            }
        }
        report::print(&all);
        Ok::<_, error::BenchError>(())
    };
    match outcome.await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("benchmark failed: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn work_dir(backend: Backend, scale: &str) -> PathBuf {
    PathBuf::from("target/bench").join(format!("{}-{scale}", backend.name().to_lowercase()))
}

async fn measure(args: &Args, backend: Backend, scale: &str) -> Result<Measured> {
    let work = work_dir(backend, scale);
    std::fs::create_dir_all(&work).map_err(error::io(work.display().to_string()))?;
    let work = work.canonicalize().map_err(error::io("work directory"))?;
    let url = server::fresh_database(backend, &args.postgres, &work).await?;
    let (generated, report) = server::generate(&url, scale, args.seed).await?;
    eprintln!("{report}");
    if backend == Backend::Postgres {
        // After a bulk load autovacuum would vacuum every table for minutes,
        // on the cores the timed runs use (the first monthly run measured
        // 1.02 s beside it, 0.40–0.49 s without): vacuumed first, uncounted,
        // as an operator does after a load.
        eprintln!("vacuuming the loaded tables");
        server::psql(&url, "VACUUM").await?;
    }
    let server = Server::start(&url, server::free_port()?, &work).await?;
    let measured = exercise(args, backend, scale, &server, &url, &work).await;
    let peak = server.peak_memory_mib();
    server.stop().await;
    let mut measured = measured?;
    measured.generate_seconds = generated.as_secs_f64();
    measured.peak_mib = peak?;
    Ok(measured)
}

async fn exercise(
    args: &Args,
    backend: Backend,
    scale: &str,
    server: &Server,
    url: &str,
    work: &Path,
) -> Result<Measured> {
    let admin = Client::signed_in(&server.base, "admin", server::ADMIN_PASSWORD).await?;
    let fact_rows = count_facts(&admin).await?;
    let p = province::Province::read(&admin).await?;
    eprintln!("{fact_rows} fact rows; timing the monthly run");
    let monthly = province::monthly(&admin, &p).await?;
    eprintln!(
        "running the other 11 months of service year {}",
        p.service_year
    );
    let other_months = province::remaining_months(&admin, &p).await?;
    eprintln!("timing the annual run");
    let annual = province::annual(&admin, &p).await?;
    let raw_runs = if backend == Backend::Postgres {
        eprintln!("reading the runs' fact rows raw");
        Some(RawRuns {
            monthly: raw::monthly(url, &p).await?,
            other_months: raw::remaining_months(url, &p).await?,
            annual: raw::annual(url, &p).await?,
        })
    } else {
        None
    };
    let region = p.busiest()?;
    let month = p.timed_month(region);
    let vendor = Client::signed_in(&server.base, "vendor-01", server::USER_PASSWORD).await?;
    let me = vendor.must("{ me { vendorId } }", json!({})).await?;
    let vendor_id = me["me"]["vendorId"].as_str().unwrap_or_default().to_owned();
    let subject = reads::Subject {
        region_id: &region.id,
        month: &month,
        admin: &admin,
        vendor: &vendor,
        vendor_id: &vendor_id,
    };
    let raw_subject = raw::Subject {
        region_id: &region.id,
        month: &month,
        vendor_id: &vendor_id,
    };
    let mut loaded = Vec::new();
    let mut raw_reads = Vec::new();
    for read in reads::all(&subject) {
        reads::check(&admin, &read).await?;
        eprintln!("loading {} ({})", read.name, region.code);
        let loads =
            reads::under_load(&admin.endpoint, &read, &args.clients, args.seconds, work).await?;
        loaded.push((read.name, loads));
        let mut raw_loads = Vec::new();
        if let (Backend::Postgres, Some(sql)) = (backend, raw::read_sql(read.name, &raw_subject)) {
            eprintln!("pgbench of the same data");
            for &c in &args.clients {
                raw_loads.push(raw::pgbench(url, &sql, c, args.seconds, work).await?);
            }
        }
        raw_reads.push(raw_loads);
    }
    let postgraphile = if backend == Backend::Postgres && args.postgraphile {
        compare(args, url, &region.id, &month, work).await?
    } else {
        Vec::new()
    };
    // Last but the import: the scheduled runs it starts add runs and notices.
    let (split, scheduled) = if backend == Backend::Postgres && args.instances > 1 {
        several(args, url, &admin, &subject, work).await?
    } else {
        (Vec::new(), None)
    };
    eprintln!("importing {} work orders ({})", import::ROWS, region.code);
    let import = import::five_thousand_work_orders(
        &server.base,
        &admin,
        server::ADMIN_PASSWORD,
        &region.id,
        &month,
    )
    .await?;
    Ok(Measured {
        backend,
        scale: scale.to_owned(),
        fact_rows,
        generate_seconds: 0.0,
        monthly,
        other_months,
        annual,
        peak_mib: 0.0,
        reads: loaded,
        raw_reads,
        raw_runs,
        postgraphile,
        instances: args.instances,
        split,
        scheduled,
        import,
    })
}

/// The reads again, each checked to answer the same on every instance, with
/// their load split across `--instances` server processes.
async fn several(
    args: &Args,
    url: &str,
    admin: &Client,
    subject: &reads::Subject<'_>,
    work: &Path,
) -> Result<(
    Vec<(&'static str, Vec<load::Load>)>,
    Option<instances::Scheduled>,
)> {
    eprintln!("starting {} more instances", args.instances - 1);
    let extra = instances::Extra::start(url, args.instances - 1, work).await?;
    let outcome = async {
        let mut out = Vec::new();
        for read in reads::all(subject) {
            instances::same_answers(admin, &extra, &read).await?;
            eprintln!("loading {} across {} instances", read.name, args.instances);
            let first = (admin.endpoint.as_str(), work);
            // Uncounted, as before the one instance's loads: the new
            // instances start cold.
            let most = args.clients.iter().copied().max().unwrap_or(1);
            instances::split_load(first, &extra, &read, most, reads::WARM_UP_SECONDS).await?;
            let mut loads = Vec::new();
            for &c in &args.clients {
                loads.push(instances::split_load(first, &extra, &read, c, args.seconds).await?);
            }
            out.push((read.name, loads));
        }
        Ok::<_, error::BenchError>(out)
    }
    .await;
    extra.stop().await;
    let loads = outcome?;
    eprintln!("{} instances with the scheduler on", args.instances);
    let scheduled = instances::scheduled_once(url, args.instances, work).await?;
    Ok((loads, Some(scheduled)))
}

/// PostGraphile's ranking-equivalent read under the same load.
async fn compare(
    args: &Args,
    url: &str,
    region_id: &str,
    month: &str,
    work: &Path,
) -> Result<Vec<load::Load>> {
    eprintln!("starting PostGraphile");
    let pg = postgraphile::PostGraphile::start(url, server::free_port()?).await?;
    let body =
        json!({ "query": postgraphile::RANKING, "variables": { "r": region_id, "p": month } });
    let outcome = async {
        if pg.check(&body).await? == 0 {
            return Err(failed("PostGraphile's ranking read returned no rows"));
        }
        let read = reads::Read {
            name: "ranking (PostGraphile)",
            body,
            token: None,
        };
        reads::under_load(&pg.endpoint, &read, &args.clients, args.seconds, work).await
    }
    .await;
    pg.stop().await;
    outcome
}

const FACT_LISTS: [&str; 13] = [
    "workOrders",
    "unticketedDeliveries",
    "serviceTasks",
    "attendances",
    "complaints",
    "outages",
    "faults",
    "changes",
    "violations",
    "trainings",
    "securityRisks",
    "securityAccidents",
    "surveyResponses",
];

async fn count_facts(admin: &Client) -> Result<u64> {
    let fields: Vec<String> = FACT_LISTS
        .iter()
        .map(|l| format!("{l}(limit: 1) {{ total }}"))
        .collect();
    let data = admin
        .must(&format!("{{ {} }}", fields.join(" ")), json!({}))
        .await?;
    Ok(FACT_LISTS
        .iter()
        .filter_map(|l| data[*l]["total"].as_u64())
        .sum())
}
