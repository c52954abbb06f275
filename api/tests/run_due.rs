//! `govcloud run-due --at …` as an operator runs it over a month end: the
//! monthly run of a month waits for the cron's first firing after the month
//! (02:00 on the 5th, Asia/Shanghai), and every month missed before it is
//! run, oldest first. On PostgreSQL when `TEST_DATABASE_URL` is set, else on
//! an SQLite file.

#![allow(clippy::unwrap_used)]

mod support;

use std::process::Command;

use sea_orm::{Database, EntityTrait, QueryOrder};

fn run_due(url: &str, at: &str) {
    let status = Command::new(env!("CARGO_BIN_EXE_govcloud"))
        .args(["run-due", "--at", at])
        .env("DATABASE_URL", url)
        .env("SCHEDULER", "0")
        .env("RUST_LOG", "warn")
        .status()
        .unwrap();
    assert!(status.success(), "run-due --at {at}");
}

async fn periods(url: &str) -> Vec<String> {
    let db = Database::connect(url).await.unwrap();
    entities::assessment_run::Entity::find()
        .order_by_asc(entities::assessment_run::Column::Id)
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| {
            assert_eq!(
                (r.status.as_str(), r.trigger.as_str()),
                ("SUCCEEDED", "SCHEDULE")
            );
            r.period
        })
        .collect()
}

#[tokio::test]
async fn november_is_run_on_the_fifth_of_december_not_on_the_first() {
    let database = support::TestDatabase::create("run_due").await;
    let url = database.url().to_owned();
    // One municipal region, one vendor contracted for 2026.
    support::seed_region(&url, 2026, 1).await;

    // On 1 December: January to October 2026 (each one's 5th-of-next-month
    // 02:00 has passed), oldest first; November's instant is 5 December 02:00.
    run_due(&url, "2026-12-01T09:00:00+08:00");
    let expected: Vec<String> = (1..=10).map(|m| format!("2026-{m:02}")).collect();
    assert_eq!(periods(&url).await, expected);

    // A minute before: still nothing new.
    run_due(&url, "2026-12-05T01:59:00+08:00");
    assert_eq!(periods(&url).await.len(), 10);

    // At 02:00 on the 5th: November, once.
    run_due(&url, "2026-12-05T02:00:00+08:00");
    run_due(&url, "2026-12-05T03:00:00+08:00");
    let all = periods(&url).await;
    assert_eq!(all.len(), 11);
    assert_eq!(all[10], "2026-11");
}
