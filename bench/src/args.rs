//! The command line: which databases, which sizes, how long each load lasts.

use crate::error::{Result, failed};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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

pub struct Args {
    pub backends: Vec<Backend>,
    pub scales: Vec<String>,
    pub seed: u64,
    pub clients: Vec<u32>,
    pub seconds: u32,
    /// The PostgreSQL server; the benchmark creates and drops its own database on it.
    pub postgres: String,
    pub postgraphile: bool,
}

pub const USAGE: &str = "govcloud-bench [--db sqlite,postgres] [--scales 0.5,1,2] [--seed 2026] \
[--clients 1,16,64] [--seconds 5] [--postgres postgres://postgres@127.0.0.1:5432] [--no-postgraphile]";

impl Args {
    pub fn parse(mut raw: impl Iterator<Item = String>) -> Result<Self> {
        let mut args = Self {
            backends: vec![Backend::Sqlite, Backend::Postgres],
            scales: vec!["0.5".into(), "1".into(), "2".into()],
            seed: 2026,
            clients: vec![1, 16, 64],
            seconds: 5,
            postgres: "postgres://postgres@127.0.0.1:5432".into(),
            postgraphile: true,
        };
        while let Some(flag) = raw.next() {
            if flag == "--no-postgraphile" {
                args.postgraphile = false;
                continue;
            }
            let value = raw
                .next()
                .ok_or_else(|| failed(format!("{flag} needs a value; usage: {USAGE}")))?;
            match flag.as_str() {
                "--db" => args.backends = backends(&value)?,
                "--scales" => args.scales = list(&value),
                "--seed" => args.seed = number(&flag, &value)?,
                "--clients" => {
                    args.clients = list(&value)
                        .iter()
                        .map(|v| number(&flag, v))
                        .collect::<Result<_>>()?
                }
                "--seconds" => args.seconds = number(&flag, &value)?,
                "--postgres" => args.postgres = value.trim_end_matches('/').to_owned(),
                _ => return Err(failed(format!("unknown flag {flag}; usage: {USAGE}"))),
            }
        }
        Ok(args)
    }
}

fn list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
        .collect()
}

fn number<T: std::str::FromStr>(flag: &str, value: &str) -> Result<T> {
    value
        .parse()
        .map_err(|_| failed(format!("{flag}: {value:?} is not a number")))
}

fn backends(value: &str) -> Result<Vec<Backend>> {
    list(value)
        .iter()
        .map(|b| match b.as_str() {
            "sqlite" => Ok(Backend::Sqlite),
            "postgres" => Ok(Backend::Postgres),
            other => Err(failed(format!("--db: {other:?} is not sqlite or postgres"))),
        })
        .collect()
}
