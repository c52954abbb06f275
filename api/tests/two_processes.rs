//! Two real server processes on one database race for the same scheduled run:
//! exactly one of them runs it (the lease in the database). On PostgreSQL when
//! `TEST_DATABASE_URL` is set (as in CI's second lane), else on an SQLite file.

#![allow(clippy::unwrap_used)]

mod support;

use std::process::Command;

use sea_orm::{ColumnTrait, Database, EntityTrait, QueryFilter};

#[tokio::test]
async fn two_processes_run_a_scheduled_month_once() {
    let database = support::TestDatabase::create("two_processes").await;
    let url = database.url().to_owned();
    // One municipal region, one vendor contracted for 2025.
    support::seed_region(&url, 2025, 1).await;
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
    assert_eq!(runs[0].status.as_str(), "SUCCEEDED");
    assert_eq!(runs[0].trigger.as_str(), "SCHEDULE");
    drop(db);
}
