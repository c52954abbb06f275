//! The printed tables: runs and reads, each beside the same data read by raw
//! SQL and (the ranking) by PostGraphile with the ratios, several instances
//! against one, and the targets of issues 5 and 17 checked against the
//! figures, with the growth from one size to the next.

use crate::args::Backend;
use crate::import::ImportFigures;
use crate::load::Load;
use crate::province::RunFigures;
use crate::raw::RawRead;

/// The runs' fact rows read raw (PostgreSQL only).
pub struct RawRuns {
    pub monthly: RawRead,
    pub other_months: RawRead,
    pub annual: RawRead,
}

pub struct Measured {
    pub backend: Backend,
    pub scale: String,
    pub fact_rows: u64,
    pub generate_seconds: f64,
    pub monthly: RunFigures,
    pub other_months: RunFigures,
    pub annual: RunFigures,
    pub peak_mib: f64,
    pub reads: Vec<(&'static str, Vec<Load>)>,
    /// pgbench of each read's raw statements, per client count (empty where
    /// there is none: SQLite).
    pub raw_reads: Vec<Vec<Load>>,
    pub raw_runs: Option<RawRuns>,
    /// PostGraphile's ranking-equivalent read, per client count (PostgreSQL only).
    pub postgraphile: Vec<Load>,
    /// `--instances`, and the reads with their load split across them.
    pub instances: u32,
    pub split: Vec<(&'static str, Vec<Load>)>,
    /// With the scheduler on in every instance: runs recorded, periods run twice.
    pub scheduled: Option<crate::instances::Scheduled>,
    /// A file of 5,000 work orders through the console (issue 14).
    pub import: ImportFigures,
}

fn ms(d: std::time::Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

pub fn print(all: &[Measured]) {
    println!("\n### Runs (whole province: every region, every contracted vendor)\n");
    println!(
        "| database | scale | fact rows | generate s | monthly run s | rows read | SQL statements | annual run s | rows read | SQL statements | 11 other months s | server peak MiB |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    for m in all {
        println!(
            "| {} | {}× | {} | {:.1} | {:.2} | {} | {} | {:.2} | {} | {} | {:.1} | {:.0} |",
            m.backend.name(),
            m.scale,
            m.fact_rows,
            m.generate_seconds,
            m.monthly.wall.as_secs_f64(),
            m.monthly.rows_read,
            m.monthly.statements,
            m.annual.wall.as_secs_f64(),
            m.annual.rows_read,
            m.annual.statements,
            m.other_months.wall.as_secs_f64(),
            m.peak_mib,
        );
    }
    print_raw_runs(all);
    print_reads(all);
    print_imports(all);
    print_instances(all);
    print_targets(all);
}

/// "—" where there is no figure.
fn or_dash(v: Option<String>) -> String {
    v.unwrap_or_else(|| "—".into())
}

fn print_raw_runs(all: &[Measured]) {
    let with: Vec<(&Measured, &RawRuns)> = all
        .iter()
        .filter_map(|m| m.raw_runs.as_ref().map(|r| (m, r)))
        .collect();
    if with.is_empty() {
        return;
    }
    println!(
        "\n### Runs beside their fact rows read raw (one SELECT per fact table and window, psql, PostgreSQL)\n"
    );
    println!("| scale | run | govcloud s | rows read | raw SELECT s | raw rows | govcloud/raw |");
    println!("|---|---|---|---|---|---|---|");
    for (m, raw) in with {
        for (run, ours, theirs) in [
            ("monthly", &m.monthly, &raw.monthly),
            ("11 other months", &m.other_months, &raw.other_months),
            ("annual", &m.annual, &raw.annual),
        ] {
            println!(
                "| {}× | {run} | {:.2} | {} | {:.2} | {} | {:.1} |",
                m.scale,
                ours.wall.as_secs_f64(),
                ours.rows_read,
                theirs.wall.as_secs_f64(),
                theirs.rows,
                ours.wall.as_secs_f64() / theirs.wall.as_secs_f64().max(1e-6)
            );
        }
    }
}

fn print_reads(all: &[Measured]) {
    println!(
        "\n### Reads under load (wrk, keep-alive connections = clients) beside raw SQL (pgbench, same clients) and PostGraphile\n"
    );
    println!(
        "| database | scale | read | clients | p50 ms | p99 ms | req/s | errors | raw SQL tps | raw p99 ms | govcloud/raw | PostGraphile req/s | PostGraphile p99 ms | govcloud/PostGraphile |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for m in all {
        for (i, (name, loads)) in m.reads.iter().enumerate() {
            for (j, l) in loads.iter().enumerate() {
                let raw = m.raw_reads.get(i).and_then(|r| r.get(j));
                let pg = (*name == "ranking")
                    .then(|| m.postgraphile.get(j))
                    .flatten();
                println!(
                    "| {} | {}× | {} | {} | {} | {} | {:.0} | {} | {} | {} | {} | {} | {} | {} |",
                    m.backend.name(),
                    m.scale,
                    name,
                    l.clients,
                    ms(l.p50),
                    ms(l.p99),
                    l.rps,
                    l.errors,
                    or_dash(raw.map(|r| format!("{:.0}", r.rps))),
                    or_dash(raw.map(|r| ms(r.p99))),
                    or_dash(raw.map(|r| format!("{:.2}", l.rps / r.rps))),
                    or_dash(pg.map(|p| format!("{:.0}", p.rps))),
                    or_dash(pg.map(|p| ms(p.p99))),
                    or_dash(pg.map(|p| format!("{:.2}", l.rps / p.rps))),
                );
            }
        }
    }
}

fn print_instances(all: &[Measured]) {
    let with: Vec<&Measured> = all.iter().filter(|m| !m.split.is_empty()).collect();
    if with.is_empty() {
        return;
    }
    println!(
        "\n### Several instances on one PostgreSQL database (load split evenly, one wrk each; answers checked equal)\n"
    );
    println!(
        "| scale | read | clients | 1 instance req/s | instances | req/s | ratio | 1 instance p99 ms | worst p99 ms | errors |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for m in with {
        for ((name, ones), (_, splits)) in m.reads.iter().zip(&m.split) {
            for (one, split) in ones.iter().zip(splits) {
                println!(
                    "| {}× | {} | {} | {:.0} | {} | {:.0} | {:.2} | {} | {} | {} |",
                    m.scale,
                    name,
                    split.clients,
                    one.rps,
                    m.instances,
                    split.rps,
                    split.rps / one.rps,
                    ms(one.p99),
                    ms(split.p99),
                    split.errors
                );
            }
        }
        if let Some(s) = m.scheduled {
            println!(
                "\n{}× with the scheduler on in all {} instances (start-up catch-up of the last two months): {} scheduled runs recorded, {} periods run more than once.",
                m.scale, m.instances, s.runs, s.duplicates
            );
        }
    }
}

fn print_imports(all: &[Measured]) {
    println!("\n### Import (one .csv of work orders through the console, all or nothing)\n");
    println!("| database | scale | rows | preview s | import s |");
    println!("|---|---|---|---|---|");
    for m in all {
        println!(
            "| {} | {}× | {} | {:.2} | {:.2} |",
            m.backend.name(),
            m.scale,
            m.import.rows,
            m.import.preview.as_secs_f64(),
            m.import.commit.as_secs_f64(),
        );
    }
}

fn ranking(m: &Measured) -> &[Load] {
    m.reads
        .iter()
        .find(|(n, _)| *n == "ranking")
        .map_or(&[], |(_, l)| l.as_slice())
}

fn verdict(ok: bool) -> &'static str {
    if ok { "met" } else { "MISSED" }
}

/// The targets are stated for PostgreSQL (issue 17's, and issue 5's memory bound).
fn print_targets(all: &[Measured]) {
    println!("\n### Targets (PostgreSQL)\n");
    for m in all.iter().filter(|m| m.backend == Backend::Postgres) {
        let monthly = m.monthly.wall.as_secs_f64();
        let annual = m.annual.wall.as_secs_f64();
        let within = m
            .raw_runs
            .as_ref()
            .map(|r| monthly / r.monthly.wall.as_secs_f64().max(1e-6));
        println!(
            "- {}×: monthly run {:.2} s within 2× of its rows read raw (×{}): {}; annual run {:.2} s < 1 s: {}; server peak {:.0} MiB < 300 MiB: {}",
            m.scale,
            monthly,
            or_dash(within.map(|w| format!("{w:.1}"))),
            within.map_or("—", |w| verdict(w <= 2.0)),
            annual,
            verdict(annual < 1.0),
            m.peak_mib,
            verdict(m.peak_mib < 300.0)
        );
        // The fact rows over the whole `govcloud generate` (start, COPY, ANALYZE).
        let loaded = m.fact_rows as f64 / m.generate_seconds.max(1e-6);
        println!(
            "  generator: {loaded:.0} fact rows/s ≥ 100000: {}",
            verdict(loaded >= 100_000.0)
        );
        let at16 = ranking(m).iter().position(|l| l.clients == 16);
        if let Some(i) = at16 {
            let ours = ranking(m)[i];
            println!(
                "  ranking at 16 clients: p99 {} ms < 30 ms: {}",
                ms(ours.p99),
                verdict(ours.p99.as_secs_f64() < 0.030)
            );
            if let Some(p) = m.postgraphile.get(i) {
                println!(
                    "  ranking at 16 clients: {:.0} req/s ≥ 3 × PostGraphile's {:.0}: {}",
                    ours.rps,
                    p.rps,
                    verdict(ours.rps >= 3.0 * p.rps)
                );
            }
            let raw = m.raw_reads.first().and_then(|r| r.get(i));
            if let Some(r) = raw {
                println!(
                    "  ranking at 16 clients: {:.0} req/s ≥ 40 % of raw SQL's {:.0} tps: {}",
                    ours.rps,
                    r.rps,
                    verdict(ours.rps >= 0.4 * r.rps)
                );
            }
        }
    }
    growth(all);
}

/// From one size to the next of the same database: the data grows ×d; every
/// run and every read (its mean time per request at each client count, the
/// inverse of req/s) must grow no more than ×d (linear; 10 % noise allowed).
/// The dashboard reads should stay flat (×1), shown by their ratios.
fn growth(all: &[Measured]) {
    for pair in all.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        if a.backend != b.backend || a.fact_rows == 0 {
            continue;
        }
        let data = b.fact_rows as f64 / a.fact_rows as f64;
        let linear = |x: f64| verdict(x <= data * 1.1);
        println!(
            "- {} {}× → {}×: data ×{data:.2}",
            a.backend.name(),
            a.scale,
            b.scale
        );
        for (run, x, y) in [
            ("monthly run", &a.monthly, &b.monthly),
            ("11 other months", &a.other_months, &b.other_months),
            ("annual run", &a.annual, &b.annual),
        ] {
            let t = y.wall.as_secs_f64() / x.wall.as_secs_f64().max(1e-6);
            println!("  {run} time ×{t:.2} ≤ ×{data:.2}: {}", linear(t));
        }
        for ((name, xs), (_, ys)) in a.reads.iter().zip(&b.reads) {
            let ratios: Vec<String> = xs
                .iter()
                .zip(ys)
                .map(|(x, y)| {
                    let t = x.rps / y.rps.max(1e-6);
                    format!("{} clients ×{t:.2} {}", x.clients, linear(t))
                })
                .collect();
            println!("  {name} time per request: {}", ratios.join(", "));
        }
    }
}
