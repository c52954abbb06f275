//! Two real server processes on one database race for the same scheduled run:
//! exactly one of them runs it (the lease in the database). On PostgreSQL when
//! `TEST_DATABASE_URL` is set (as in CI's second lane), else on an SQLite file.

#![allow(clippy::unwrap_used)]

use std::process::Command;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, Database, EntityTrait, QueryFilter, Set,
};

/// The database URL, and the server and name to drop it by afterwards (PostgreSQL).
async fn database() -> (String, Option<(String, String)>) {
    let stamp = std::process::id();
    match std::env::var("TEST_DATABASE_URL") {
        Ok(server) if server.starts_with("postgres") => {
            let name = format!("two_processes_{stamp}");
            let admin = Database::connect(&server)
                .await
                .expect("TEST_DATABASE_URL reachable");
            admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await
                .unwrap();
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .unwrap();
            (
                format!("{}/{name}", server.rsplit_once('/').unwrap().0),
                Some((server, name)),
            )
        }
        _ => {
            let path = std::env::temp_dir().join(format!("govcloud-two-processes-{stamp}.db"));
            let _ = std::fs::remove_file(&path);
            (format!("sqlite://{}?mode=rwc", path.display()), None)
        }
    }
}

/// One region with one contracted vendor, through the real migrations.
async fn seed(url: &str) {
    let mut config = api::config::Config::from_lookup(|_| None).unwrap();
    config.database_url = url.to_owned();
    let db = api::db::connect(&config).await.unwrap();
    let now = Utc::now();
    let region = entities::region::ActiveModel {
        code: Set("R".into()),
        name: Set("区".into()),
        parent_id: Set(None),
        scheme_code: Set("sh-municipal".into()),
        service_year_start_month: Set(1),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap();
    let vendor = entities::vendor::ActiveModel {
        code: Set("V".into()),
        name: Set("云".into()),
        contact_emails: Set(serde_json::json!([])),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap();
    entities::contract::ActiveModel {
        vendor_id: Set(vendor.id),
        region_id: Set(region.id),
        service_year: Set(2025),
        settlement_amount: Set(1000.into()),
        monthly_fee: Set(100.into()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap();
}

#[tokio::test]
async fn two_processes_run_a_scheduled_month_once() {
    let (url, cleanup) = database().await;
    seed(&url).await;
    // Both processes act as if it were 5 April 2025, 02:00 in Shanghai: March is due.
    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_govcloud"))
            .args(["run-due", "--at", "2025-04-05T02:00:00+08:00"])
            .env("DATABASE_URL", &url)
            .env("SCHEDULER", "0")
            .spawn()
            .unwrap()
    };
    let (mut a, mut b) = (spawn(), spawn());
    assert!(a.wait().unwrap().success());
    assert!(b.wait().unwrap().success());
    let db = Database::connect(&url).await.unwrap();
    let runs = entities::assessment_run::Entity::find()
        .filter(entities::assessment_run::Column::Period.eq("2025-03"))
        .all(&db)
        .await
        .unwrap();
    // One region, one month: one run, whichever process took the lease.
    assert_eq!(runs.len(), 1, "{runs:?}");
    assert_eq!(runs[0].status, "SUCCEEDED");
    assert_eq!(runs[0].trigger, "SCHEDULE");
    drop(db);
    if let Some((server, name)) = cleanup {
        let admin = Database::connect(&server).await.unwrap();
        admin
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await
            .unwrap();
    }
}
