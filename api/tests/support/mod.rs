//! What the API crate's process-level tests share: a fresh database of their
//! own, on PostgreSQL when `TEST_DATABASE_URL` names a server (CI's second
//! lane), else an SQLite file.

#![allow(clippy::unwrap_used)]

use sea_orm::{ConnectionTrait, Database};

/// The server to drop a PostgreSQL test database on, and its name.
pub type Cleanup = Option<(String, String)>;

/// A fresh database named for `label`, and how to drop it afterwards.
pub async fn database(label: &str) -> (String, Cleanup) {
    let stamp = std::process::id();
    match std::env::var("TEST_DATABASE_URL") {
        Ok(server) if server.starts_with("postgres") => {
            let name = format!("{label}_{stamp}");
            let admin = Database::connect(&server)
                .await
                .expect("TEST_DATABASE_URL reachable");
            drop_named(&admin, &name).await;
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .unwrap();
            let base = server.rsplit_once('/').unwrap().0;
            (format!("{base}/{name}"), Some((server, name)))
        }
        _ => {
            let path = std::env::temp_dir().join(format!("govcloud-{label}-{stamp}.db"));
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
            (format!("sqlite://{}?mode=rwc", path.display()), None)
        }
    }
}

/// Drops a PostgreSQL test database (an SQLite file is left in the temp dir).
pub async fn drop_database(cleanup: Cleanup) {
    if let Some((server, name)) = cleanup {
        let admin = Database::connect(&server).await.unwrap();
        drop_named(&admin, &name).await;
    }
}

async fn drop_named(admin: &sea_orm::DatabaseConnection, name: &str) {
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await
        .unwrap();
}
