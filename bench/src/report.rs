//! The printed tables: runs, reads under load, and the PostGraphile ratio,
//! with the targets of issue 5 checked against the figures.

use crate::args::Backend;
use crate::import::ImportFigures;
use crate::load::Load;
use crate::province::RunFigures;

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
    /// PostGraphile's ranking-equivalent read, per client count (PostgreSQL only).
    pub postgraphile: Vec<Load>,
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
    println!("\n### Reads under load (wrk, keep-alive connections = clients)\n");
    println!("| database | scale | read | clients | p50 ms | p99 ms | req/s | errors |");
    println!("|---|---|---|---|---|---|---|---|");
    for m in all {
        for (name, loads) in &m.reads {
            for l in loads {
                println!(
                    "| {} | {}× | {} | {} | {} | {} | {:.0} | {} |",
                    m.backend.name(),
                    m.scale,
                    name,
                    l.clients,
                    ms(l.p50),
                    ms(l.p99),
                    l.rps,
                    l.errors
                );
            }
        }
    }
    print_imports(all);
    print_postgraphile(all);
    print_targets(all);
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

fn print_postgraphile(all: &[Measured]) {
    let with: Vec<&Measured> = all.iter().filter(|m| !m.postgraphile.is_empty()).collect();
    if with.is_empty() {
        return;
    }
    println!(
        "\n### Ranking with breakdown: govcloud vs PostGraphile 4 (same PostgreSQL database)\n"
    );
    println!(
        "| scale | clients | govcloud req/s | PostGraphile req/s | ratio | govcloud p99 ms | PostGraphile p99 ms |"
    );
    println!("|---|---|---|---|---|---|---|");
    for m in with {
        let ours = ranking(m);
        for (o, p) in ours.iter().zip(&m.postgraphile) {
            println!(
                "| {}× | {} | {:.0} | {:.0} | {:.2} | {} | {} |",
                m.scale,
                o.clients,
                o.rps,
                p.rps,
                o.rps / p.rps,
                ms(o.p99),
                ms(p.p99)
            );
        }
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

/// The targets are stated for PostgreSQL.
fn print_targets(all: &[Measured]) {
    println!("\n### Targets (PostgreSQL)\n");
    for m in all.iter().filter(|m| m.backend == Backend::Postgres) {
        let monthly = m.monthly.wall.as_secs_f64();
        let annual = m.annual.wall.as_secs_f64();
        println!(
            "- {}×: monthly run {:.2} s < 2 s: {}; annual run {:.2} s < 5 s: {}; server peak {:.0} MiB < 300 MiB: {}",
            m.scale,
            monthly,
            verdict(monthly < 2.0),
            annual,
            verdict(annual < 5.0),
            m.peak_mib,
            verdict(m.peak_mib < 300.0)
        );
        if let Some(l) = ranking(m).iter().find(|l| l.clients == 16) {
            println!(
                "  ranking p99 at 16 clients {} ms < 50 ms: {}",
                ms(l.p99),
                verdict(l.p99.as_secs_f64() < 0.050)
            );
        }
        for (o, p) in ranking(m).iter().zip(&m.postgraphile) {
            println!(
                "  ranking throughput at {} clients {:.0} req/s ≥ PostGraphile's {:.0}: {}",
                o.clients,
                o.rps,
                p.rps,
                verdict(o.rps >= p.rps)
            );
        }
    }
    growth(all);
}

/// Doubling the data: run time ratio (target ≤ 2) per database.
fn growth(all: &[Measured]) {
    for pair in all.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        if a.backend != b.backend || a.fact_rows == 0 {
            continue;
        }
        let rows = b.fact_rows as f64 / a.fact_rows as f64;
        let monthly = b.monthly.wall.as_secs_f64() / a.monthly.wall.as_secs_f64();
        let annual = b.annual.wall.as_secs_f64() / a.annual.wall.as_secs_f64();
        println!(
            "- {} {}× → {}×: data ×{:.2}, monthly run ×{:.2}, annual run ×{:.2} (linear means ≤ data ratio): {}",
            a.backend.name(),
            a.scale,
            b.scale,
            rows,
            monthly,
            annual,
            verdict(monthly <= rows * 1.1 && annual <= rows * 1.1)
        );
    }
}
