//! `govcloud generate`: fills the database with a province-scale data set,
//! reproducibly from a seed (issue 5).
//!
//! The province: 上海市 and its 16 districts, 12 vendors (all contracted by the
//! municipality, 4 to 8 by each district), 400 agencies, 5,000 systems and
//! three service years of facts, about 1.03 million fact rows at scale 1.
//! `--scale` multiplies the agencies, systems and facts; the regions and
//! vendors stay. The same seed and scale give the same rows (apart from the
//! password hash, which has a random salt).
//!
//! The data is planned first ([`plan`], no database), then written as it is
//! generated ([`bulk`]): with COPY on PostgreSQL ([`copy`]), in multi-row
//! INSERTs and large transactions on SQLite.

pub mod bulk;
pub mod copy;
pub mod facts;
pub mod plan;
pub mod reference;
pub mod time;

use std::time::{Duration, Instant};

use migration::{Migrator, MigratorTrait};
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait};

use crate::config::Config;
pub use plan::Plan;

pub const USAGE: &str = "usage: govcloud generate [--scale 1.0] [--seed 2026] \
    [--years 2024,2025,2026] [--password Bench-pass-2026] [--reset]";

/// The benchmark users' password unless `--password` says otherwise.
pub const DEFAULT_PASSWORD: &str = "Bench-pass-2026";

#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    #[error("{0}\n{USAGE}")]
    Usage(String),
    #[error(transparent)]
    Plan(#[from] plan::PlanError),
    #[error(
        "the database already holds regions or vendors; generate into an empty database, or pass --reset to drop and re-create everything"
    )]
    NotEmpty,
    #[error("database: {0}")]
    Db(#[from] DbErr),
    #[error("grading a generated fault: {0}")]
    Grading(String),
    #[error("hashing the password: {0}")]
    Password(String),
}

/// The command line of `govcloud generate`.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    pub scale: Decimal,
    pub seed: u64,
    /// First calendar years of the service years. The default years are those
    /// the built-in working-day calendar covers (2024–2026), so every month's
    /// work orders can be assessed.
    pub years: Vec<i32>,
    pub password: String,
    pub reset: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            scale: Decimal::ONE,
            seed: 2026,
            years: vec![2024, 2025, 2026],
            password: DEFAULT_PASSWORD.to_owned(),
            reset: false,
        }
    }
}

impl Options {
    pub fn parse(args: &[String]) -> Result<Self, GenerateError> {
        let mut options = Self::default();
        let mut args = args.iter();
        while let Some(flag) = args.next() {
            if flag == "--reset" {
                options.reset = true;
                continue;
            }
            let value = args
                .next()
                .ok_or_else(|| GenerateError::Usage(format!("{flag} needs a value")))?;
            let bad = |what: &str| GenerateError::Usage(format!("{flag} {value:?}: {what}"));
            match flag.as_str() {
                "--scale" => options.scale = value.parse().map_err(|_| bad("not a number"))?,
                "--seed" => options.seed = value.parse().map_err(|_| bad("not a whole number"))?,
                "--years" => {
                    options.years = value
                        .split(',')
                        .map(|y| y.trim().parse())
                        .collect::<Result<_, _>>()
                        .map_err(|_| bad("must be years separated by commas"))?;
                }
                "--password" => {
                    crate::auth::password::check_policy("--password", value)
                        .map_err(|e| bad(&e.to_string()))?;
                    options.password = value.clone();
                }
                _ => return Err(GenerateError::Usage(format!("unknown option {flag}"))),
            }
        }
        Ok(options)
    }
}

/// What was written, for the report.
pub struct Report {
    pub rows: Vec<(&'static str, u64)>,
    pub elapsed: Duration,
}

impl Report {
    pub fn facts(&self) -> u64 {
        self.rows
            .iter()
            .filter(|(t, _)| !REFERENCE_TABLES.contains(t))
            .map(|(_, n)| n)
            .sum()
    }

    pub fn total(&self) -> u64 {
        self.rows.iter().map(|(_, n)| n).sum()
    }
}

const REFERENCE_TABLES: [&str; 6] = [
    "regions",
    "vendors",
    "contracts",
    "agencies",
    "information_systems",
    "users",
];

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "{:<24}{:>12}", "table", "rows")?;
        for (table, n) in &self.rows {
            writeln!(f, "{table:<24}{n:>12}")?;
        }
        writeln!(f, "{:<24}{:>12}", "facts", self.facts())?;
        writeln!(f, "{:<24}{:>12}", "all rows", self.total())?;
        let millis = self.elapsed.as_millis().max(1);
        write!(
            f,
            "loaded in {}.{:03} s ({} rows/s)",
            millis / 1000,
            millis % 1000,
            u128::from(self.total()) * 1000 / millis
        )
    }
}

/// `govcloud generate …`: connects (migrating), generates, prints the report.
pub async fn run(config: &Config, args: &[String]) -> Result<(), String> {
    let options = Options::parse(args).map_err(|e| e.to_string())?;
    let db = domain::db::connect(&config.database_url, config.pool())
        .await
        .map_err(|e| format!("database: {e}"))?;
    let report = generate(&db, &options).await.map_err(|e| e.to_string())?;
    println!("{report}");
    Ok(())
}

/// Generates the data set of `options` into `db` (migrated already).
pub async fn generate(db: &DatabaseConnection, options: &Options) -> Result<Report, GenerateError> {
    let plan = Plan::new(options.seed, options.scale, &options.years)?;
    let started = Instant::now();
    if options.reset {
        // Every migration down, then up: `fresh` drops the tables in name
        // order, which SQLite's foreign keys refuse.
        Migrator::refresh(db).await?;
    } else if holds_reference_data(db).await? {
        return Err(GenerateError::NotEmpty);
    }
    // Hashed once for all users: argon2 is slow on purpose.
    let hash = crate::auth::password::hash(&options.password)
        .map_err(|e| GenerateError::Password(e.to_string()))?;
    let mut writer = bulk::Writer::begin(db).await?;
    let ids = reference::load(&plan, &mut writer, &hash).await?;
    facts::load(&plan, &ids, &mut writer).await?;
    let rows = writer.finish().await?;
    // Fresh statistics, or the planner guesses on a million rows.
    db.execute_unprepared("ANALYZE").await?;
    Ok(Report {
        rows,
        elapsed: started.elapsed(),
    })
}

async fn holds_reference_data(db: &DatabaseConnection) -> Result<bool, DbErr> {
    let regions = entities::region::Entity::find().count(db).await?;
    let vendors = entities::vendor::Entity::find().count(db).await?;
    Ok(regions + vendors > 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn options_default_to_scale_1_seed_2026() {
        assert_eq!(Options::parse(&[]).expect("valid"), Options::default());
    }

    #[test]
    fn options_parse_every_flag() {
        let o = Options::parse(&args(
            "--scale 0.5 --seed 7 --years 2025,2026 --password Other-pass-99 --reset",
        ))
        .expect("valid");
        assert_eq!(o.scale, dec!(0.5));
        assert_eq!((o.seed, o.years, o.reset), (7, vec![2025, 2026], true));
        assert_eq!(o.password, "Other-pass-99");
    }

    #[test]
    fn bad_options_are_refused() {
        for bad in [
            "--scale",
            "--scale x",
            "--seed -1",
            "--years 2025;2026",
            "--password short",
            "--colour red",
        ] {
            assert!(Options::parse(&args(bad)).is_err(), "{bad}");
        }
    }
}
