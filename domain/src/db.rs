//! The database handle: connecting (SQLite or PostgreSQL, same code), migrating,
//! and write transactions.

use std::path::PathBuf;
use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::SqliteJournalMode;
use sea_orm::{
    ConnectOptions, Database, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

/// The pool: how many connections, and how long a statement waits for one.
#[derive(Clone, Copy, Debug)]
pub struct Pool {
    pub size: u32,
    pub acquire_timeout: Duration,
}

/// The folder of an SQLite file database (made at connect), if the URL is one.
pub fn sqlite_dir(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("sqlite:")?;
    let path = rest.trim_start_matches("//").split('?').next()?;
    if path.is_empty() || path == ":memory:" {
        return None;
    }
    PathBuf::from(path)
        .parent()
        .map(PathBuf::from)
        .filter(|p| !p.as_os_str().is_empty())
}

/// Connects (SQLite or PostgreSQL by the URL) and runs the migrations.
pub async fn connect(url: &str, pool: Pool) -> Result<DatabaseConnection, DbErr> {
    if let Some(dir) = sqlite_dir(url) {
        std::fs::create_dir_all(&dir)
            .map_err(|e| DbErr::Custom(format!("cannot create {}: {e}", dir.display())))?;
    }
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(pool.size)
        .acquire_timeout(pool.acquire_timeout)
        .sqlx_logging(false)
        // WAL lets readers go on while the one writer writes; the busy timeout
        // makes a second writer wait instead of failing with "database is locked".
        .map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .busy_timeout(Duration::from_secs(10))
        });
    let db = Database::connect(options).await?;
    Migrator::up(&db, None).await?;
    Ok(db)
}

/// Starts a transaction for a mutation. On SQLite it is IMMEDIATE: it takes the
/// write lock at BEGIN, so two writers queue up instead of deadlocking on upgrade.
pub async fn write_txn(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    let options = match db.get_database_backend() {
        DbBackend::Sqlite => TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..Default::default()
        },
        _ => TransactionOptions::default(),
    };
    db.begin_with_options(options).await
}
