//! The command line (clap): which databases, which sizes, how long each load
//! lasts, and how many server processes share the load.

use clap::{Parser, ValueEnum};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Self::Sqlite => "SQLite",
            Self::Postgres => "PostgreSQL",
        }
    }
}

/// The province-scale benchmark: for each database and size, generates the
/// data, starts the release `govcloud`, times the monthly and annual runs,
/// loads the dashboard reads with wrk and compares them with the same data
/// read by raw SQL (pgbench, PostgreSQL) and by PostGraphile.
#[derive(Parser, Debug)]
#[command(name = "govcloud-bench", version)]
pub struct Args {
    /// Databases to measure, separated by commas.
    #[arg(
        long = "db",
        value_enum,
        value_delimiter = ',',
        default_value = "sqlite,postgres"
    )]
    pub backends: Vec<Backend>,
    /// Sizes of the province (× 1,029,721 facts and 5,000 systems), separated by commas.
    #[arg(long, value_delimiter = ',', default_value = "0.5,1,2", value_parser = scale)]
    pub scales: Vec<String>,
    /// The generator's seed: the same seed and scale give the same rows.
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    /// Keep-alive connections of each load (wrk), and pgbench's clients.
    #[arg(long, value_delimiter = ',', default_value = "1,16,64")]
    pub clients: Vec<u32>,
    /// Seconds each load lasts.
    #[arg(long, default_value_t = 5)]
    pub seconds: u32,
    /// The PostgreSQL server; the benchmark creates and drops its own database on it.
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432", value_parser = server_url)]
    pub postgres: String,
    /// Skip PostGraphile (it needs node and npm).
    #[arg(long = "no-postgraphile", action = clap::ArgAction::SetFalse)]
    pub postgraphile: bool,
    /// Server processes on the database (PostgreSQL; as compose.yaml deploys
    /// two): the reads' load is split across them and compared with one.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=8))]
    pub instances: u32,
}

/// A scale is a positive number, kept as written (it names the work folder).
fn scale(value: &str) -> Result<String, String> {
    match value.trim().parse::<f64>() {
        Ok(n) if n > 0.0 => Ok(value.trim().to_owned()),
        _ => Err(format!("{value:?} is not a positive number")),
    }
}

fn server_url(value: &str) -> Result<String, String> {
    if value.starts_with("postgres://") || value.starts_with("postgresql://") {
        Ok(value.trim_end_matches('/').to_owned())
    } else {
        Err(format!("{value:?} is not a postgres:// URL"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Result<Args, clap::Error> {
        Args::try_parse_from(std::iter::once("govcloud-bench").chain(line.split_whitespace()))
    }

    #[test]
    fn defaults_are_both_databases_three_sizes_and_one_instance() {
        let a = parse("").expect("no flags is valid");
        assert_eq!(a.backends, vec![Backend::Sqlite, Backend::Postgres]);
        assert_eq!(a.scales, vec!["0.5", "1", "2"]);
        assert_eq!((a.seed, a.seconds, a.instances), (2026, 5, 1));
        assert_eq!(a.clients, vec![1, 16, 64]);
        assert_eq!(a.postgres, "postgres://postgres@127.0.0.1:5432");
        assert!(a.postgraphile);
    }

    #[test]
    fn every_flag_is_read() {
        let a = parse(
            "--db postgres --scales 1,10 --seed 7 --clients 16 --seconds 3 \
             --postgres postgres://u@h:5433/ --no-postgraphile --instances 2",
        )
        .expect("valid flags");
        assert_eq!(a.backends, vec![Backend::Postgres]);
        assert_eq!(a.scales, vec!["1", "10"]);
        assert_eq!((a.seed, a.seconds, a.instances), (7, 3, 2));
        assert_eq!(a.clients, vec![16]);
        assert_eq!(a.postgres, "postgres://u@h:5433");
        assert!(!a.postgraphile);
    }

    #[test]
    fn bad_values_are_refused() {
        for bad in [
            "--db mysql",
            "--scales 0",
            "--scales x",
            "--clients many",
            "--instances 0",
            "--postgres http://x",
            "--colour red",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
