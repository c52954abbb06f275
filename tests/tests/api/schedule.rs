//! Scheduled runs: once per period however many processes race for it, caught
//! up at start-up after a stop, and overdue security risks noticed once.

use api::runs::Trigger;
use api::scheduler;
use chrono::{DateTime, Utc};
use e2e::spawn_app;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use crate::world;

const LEASE: std::time::Duration = std::time::Duration::from_secs(scheduler::DEFAULT_LEASE_SECONDS);

/// 2025-04-05 02:00 in Shanghai: the monthly run is for March 2025.
fn april_fifth() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2025-04-05T02:00:00+08:00")
        .unwrap()
        .with_timezone(&Utc)
}

async fn runs_of(
    db: &sea_orm::DatabaseConnection,
    period: &str,
) -> Vec<entities::assessment_run::Model> {
    entities::assessment_run::Entity::find()
        .filter(entities::assessment_run::Column::Period.eq(period))
        .all(db)
        .await
        .unwrap()
}

#[tokio::test]
async fn two_instances_racing_run_each_region_once() {
    let app = spawn_app().await;
    world::build(&app).await;
    // Two "processes": two connection pools and two lease holders on one database.
    let (a, b) = (
        sea_orm::Database::connect(&app.database_url).await.unwrap(),
        sea_orm::Database::connect(&app.database_url).await.unwrap(),
    );
    let (ra, rb) = tokio::join!(
        scheduler::monthly_due(&a, april_fifth(), Trigger::Schedule, "instance-a", LEASE),
        scheduler::monthly_due(&b, april_fifth(), Trigger::Schedule, "instance-b", LEASE),
    );
    // The world has two regions: exactly one run each, whoever ran it.
    assert_eq!(ra.unwrap() + rb.unwrap(), 2);
    let runs = runs_of(&a, "2025-03").await;
    assert_eq!(runs.len(), 2);
    assert!(
        runs.iter()
            .all(|r| r.status == "SUCCEEDED" && r.trigger == "SCHEDULE")
    );
    // A later tick (or a restart) finds the period done.
    assert_eq!(
        scheduler::monthly_due(&a, april_fifth(), Trigger::CatchUp, "instance-c", LEASE)
            .await
            .unwrap(),
        0
    );
    app.finish().await;
}

#[tokio::test]
async fn a_run_missed_while_down_is_caught_up_at_start() {
    let app = spawn_app().await;
    world::build(&app).await;
    let mut config = app.config.clone();
    config.schedule = Some(scheduler::Schedule::default());
    let restarted = e2e::spawn_with(config, None).await;
    // Start-up catches up the previous month (of today) in both regions.
    let db = sea_orm::Database::connect(&app.database_url).await.unwrap();
    let month = scheduler::previous_month(Utc::now()).to_string();
    let mut caught = Vec::new();
    for _ in 0..100 {
        caught = runs_of(&db, &month).await;
        if caught.len() == 2 && caught.iter().all(|r| r.status != "RUNNING") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(caught.len(), 2, "one catch-up run per region");
    assert!(
        caught
            .iter()
            .all(|r| r.trigger == "CATCH_UP" && r.status == "SUCCEEDED")
    );
    drop(restarted);
    app.finish().await;
}

/// Each side of the world has a confirmed, liable risk due 2025-04-10 that was
/// never rectified: two notices, and none more on the next day's check.
#[tokio::test]
async fn an_overdue_security_risk_raises_one_notice() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let db = sea_orm::Database::connect(&app.database_url).await.unwrap();
    assert_eq!(scheduler::overdue_risks(&db, Utc::now()).await.unwrap(), 2);
    assert_eq!(scheduler::overdue_risks(&db, Utc::now()).await.unwrap(), 0);
    let notices = app
        .must(
            &w.vendor,
            "{ notices { items { kind status overdue } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        notices["notices"]["items"][0]["kind"],
        "SECURITY_RISK_OVERDUE"
    );
    app.finish().await;
}
