//! What every test binary of the workspace shares (`tests/` and `api/tests/`):
//! a fresh database of its own that is dropped when the test is done, passed
//! or failed.
//!
//! The database is an SQLite file in the temp dir unless `TEST_DATABASE_URL`
//! names a PostgreSQL server, e.g. `postgres://postgres@127.0.0.1:5432/test`
//! (CI's second lane): then it is a database created on that server.
//!
//! This crate knows nothing of the application, so `api` can take it as a
//! dev-dependency without a cycle.

use std::future::Future;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use sea_orm::{ConnectionTrait, Database};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A test's own database; dropping it removes the database (the SQLite file,
/// or the PostgreSQL database with every connection still open to it), also
/// when the test panicked, so no sweeper of leftovers is needed.
#[derive(Debug)]
pub struct TestDatabase {
    url: String,
    place: Place,
}

#[derive(Debug)]
enum Place {
    Sqlite(PathBuf),
    Postgres { server: String, name: String },
}

impl TestDatabase {
    /// A fresh, empty database whose name starts with `label` (a lower-case
    /// SQL identifier). Unique within the process and across processes.
    pub async fn create(label: &str) -> Self {
        let name = format!(
            "{label}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        );
        match std::env::var("TEST_DATABASE_URL") {
            Ok(server) if server.starts_with("postgres") => {
                let admin = Database::connect(&server)
                    .await
                    .unwrap_or_else(|e| panic!("TEST_DATABASE_URL {server} is not reachable: {e}"));
                // A process killed outright (SIGKILL) cannot drop its databases;
                // a later one with the same pid would find this name taken.
                drop_named(&admin, &name)
                    .await
                    .unwrap_or_else(|e| panic!("cannot drop database {name}: {e}"));
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .unwrap_or_else(|e| panic!("cannot create database {name}: {e}"));
                let _ = admin.close().await;
                let base = server
                    .rsplit_once('/')
                    .map_or(server.as_str(), |(base, _)| base);
                Self {
                    url: format!("{base}/{name}"),
                    place: Place::Postgres { server, name },
                }
            }
            Ok(other) if !other.is_empty() => {
                panic!("TEST_DATABASE_URL must be a postgres:// URL, got {other}")
            }
            _ => {
                let path = std::env::temp_dir().join(format!("govcloud-{name}.db"));
                remove_sqlite(&path);
                Self {
                    url: format!("sqlite://{}?mode=rwc", path.display()),
                    place: Place::Sqlite(path),
                }
            }
        }
    }

    /// The URL to connect to (`DATABASE_URL`).
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self.place, Place::Postgres { .. })
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        match &self.place {
            Place::Sqlite(path) => remove_sqlite(path),
            Place::Postgres { server, name } => {
                let dropped = block_on_own_thread(|| async {
                    let admin = Database::connect(server.as_str()).await?;
                    drop_named(&admin, name).await?;
                    let _ = admin.close().await;
                    Ok::<(), sea_orm::DbErr>(())
                });
                if let Err(e) = dropped {
                    // Panicking again while a failed test unwinds would abort
                    // the whole binary: say it and go on.
                    eprintln!("test database {name} was not dropped: {e}");
                }
            }
        }
    }
}

/// Runs a future to completion from synchronous code (a `Drop`), also inside a
/// test's runtime, which must not be blocked on from its own thread: the future
/// runs on a thread of its own with a small runtime of its own.
pub fn block_on_own_thread<F, Fut, T>(make: F) -> T
where
    F: FnOnce() -> Fut + Send,
    Fut: Future<Output = T>,
    T: Send,
{
    std::thread::scope(|scope| {
        scope
            .spawn(|| {
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("a runtime for the blocking call")
                    .block_on(make())
            })
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// `WITH (FORCE)` (PostgreSQL 13+) ends the connections the test's server and
/// the test itself still hold, which would otherwise keep the database alive.
async fn drop_named(admin: &sea_orm::DatabaseConnection, name: &str) -> Result<(), sea_orm::DbErr> {
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await
        .map(|_| ())
}

fn remove_sqlite(path: &std::path::Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}
