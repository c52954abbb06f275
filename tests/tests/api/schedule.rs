//! Scheduled runs: once per period however many processes race for it, every
//! missed period caught up oldest first but none before the cron's instant
//! after it, the annual run once its months are published, and overdue
//! security risks noticed once.
//!
//! The world's two regions use `sh-municipal` (calendar service years) and
//! have contracts for 2025 only; the default crons fire monthly at 02:00 on
//! the 5th and annually at 03:00 on the 20th (Asia/Shanghai).

use chrono::{DateTime, Datelike, Utc};
use e2e::spawn_app;
use jobs::leases::Lease;
use jobs::runs::Trigger;
use jobs::scheduler::{self, Schedule};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

use crate::world;

fn lease(holder: &str) -> Lease {
    Lease {
        holder: holder.to_owned(),
        ttl: std::time::Duration::from_secs(scheduler::DEFAULT_LEASE_SECONDS),
    }
}

/// The default schedule reaching `months` back.
fn reaching_back(months: u32) -> Schedule {
    Schedule {
        catch_up_months: months,
        ..Schedule::default()
    }
}

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
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

async fn all_runs(db: &sea_orm::DatabaseConnection) -> Vec<entities::assessment_run::Model> {
    entities::assessment_run::Entity::find()
        .order_by_asc(entities::assessment_run::Column::Id)
        .all(db)
        .await
        .unwrap()
}

/// On 2025-04-05 02:00 January, February and March 2025 are due (the first
/// contract starts January 2025): 3 months × 2 regions = 6 runs, each once.
#[tokio::test]
async fn two_instances_racing_run_each_due_month_once() {
    let app = spawn_app().await;
    world::build(&app).await;
    // Two "processes": two connection pools and two lease holders on one database.
    let (a, b) = (
        sea_orm::Database::connect(&app.database_url).await.unwrap(),
        sea_orm::Database::connect(&app.database_url).await.unwrap(),
    );
    let schedule = Schedule::default();
    let april_fifth = at("2025-04-05T02:00:00+08:00");
    let (la, lb) = (lease("instance-a"), lease("instance-b"));
    let (ra, rb) = tokio::join!(
        scheduler::monthly_due(&a, &schedule, april_fifth, Trigger::Schedule, &la),
        scheduler::monthly_due(&b, &schedule, april_fifth, Trigger::Schedule, &lb),
    );
    assert_eq!(ra.unwrap() + rb.unwrap(), 6);
    let runs = all_runs(&a).await;
    assert!(
        runs.iter()
            .all(|r| r.status.as_str() == "SUCCEEDED" && r.trigger.as_str() == "SCHEDULE")
    );
    for month in ["2025-01", "2025-02", "2025-03"] {
        assert_eq!(runs_of(&a, month).await.len(), 2, "{month}: one per region");
    }
    // (Oldest first is each process's order: api/tests/run_due.rs shows it; two
    // racing processes interleave.)
    // A later tick (or a restart) finds every period done.
    assert_eq!(
        scheduler::monthly_due(
            &a,
            &schedule,
            april_fifth,
            Trigger::CatchUp,
            &lease("instance-c")
        )
        .await
        .unwrap(),
        0
    );
}

/// Reaching back two months from December 2026 starts at October 2026. On 1
/// December October is due (its instant, 5 November 02:00, has passed) and
/// November is not: its instant is 5 December 02:00. (The world's contracts are
/// for 2025: these runs find no vendor and succeed with a warning.)
#[tokio::test]
async fn starting_on_the_first_of_december_runs_november_only_from_the_fifth() {
    let app = spawn_app().await;
    world::build(&app).await;
    let db = sea_orm::Database::connect(&app.database_url).await.unwrap();
    let schedule = reaching_back(2);
    let due = |now: &'static str| {
        let (db, schedule) = (&db, &schedule);
        async move {
            scheduler::monthly_due(db, schedule, at(now), Trigger::CatchUp, &lease("p"))
                .await
                .unwrap()
        }
    };
    assert_eq!(
        due("2026-12-01T09:00:00+08:00").await,
        2,
        "October, both regions"
    );
    assert!(runs_of(&db, "2026-11").await.is_empty());
    assert_eq!(due("2026-12-05T01:59:59+08:00").await, 0);
    assert!(runs_of(&db, "2026-11").await.is_empty());
    // What `govcloud run-due --at 2026-12-05T02:00:00+08:00` does.
    assert_eq!(
        due("2026-12-05T02:00:00+08:00").await,
        2,
        "November, both regions"
    );
    let november = runs_of(&db, "2026-11").await;
    assert!(november.iter().all(|r| r.status.as_str() == "SUCCEEDED"));
    assert!(
        november.iter().all(|r| r.warnings.contains("没有签订合同")),
        "{november:?}"
    );
}

/// A restarted server (scheduler on, reaching back three months) catches up
/// every month it missed: the two before last month always (their instants, the
/// 5th of the month after, have passed), and last month once this month's 5th
/// 02:00 has passed. One run per region and month, none other.
#[tokio::test]
async fn every_run_missed_while_down_is_caught_up_at_start() {
    let app = spawn_app().await;
    world::build(&app).await;
    let mut config = app.config.clone();
    config.schedule = Some(reaching_back(3));
    let restarted = e2e::spawn_with(config, None).await;

    let now = Utc::now().with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).unwrap());
    let back = |n: i32| {
        let index = now.year() * 12 + now.month() as i32 - 1 - n;
        format!(
            "{:04}-{:02}",
            index.div_euclid(12),
            index.rem_euclid(12) + 1
        )
    };
    let fifth = now
        .date_naive()
        .with_day(5)
        .unwrap()
        .and_hms_opt(2, 0, 0)
        .unwrap();
    let mut expected = vec![back(3), back(2)];
    if now.naive_local() >= fifth {
        expected.push(back(1));
    }
    let db = sea_orm::Database::connect(&app.database_url).await.unwrap();
    let mut caught = Vec::new();
    for _ in 0..200 {
        caught = all_runs(&db).await;
        if caught.len() == expected.len() * 2
            && caught.iter().all(|r| r.status.as_str() != "RUNNING")
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let mut periods: Vec<String> = caught.iter().map(|r| r.period.clone()).collect();
    periods.sort();
    periods.dedup();
    assert_eq!(periods, expected);
    assert_eq!(
        caught.len(),
        expected.len() * 2,
        "one catch-up run per region and month"
    );
    assert!(
        caught
            .iter()
            .all(|r| r.trigger.as_str() == "CATCH_UP" && r.status.as_str() == "SUCCEEDED")
    );
    drop(restarted);
    app.deliver_pending_mail().await;
}

/// The calendar year 2025 ends on 2026-01-01; the annual cron fires first after
/// that at 2026-01-20 03:00. Even then R1's annual run waits until every month
/// of 2025 has a published result for its vendor (V1); R2's, never published,
/// keeps waiting.
#[tokio::test]
async fn the_annual_run_waits_for_its_day_and_for_every_published_month() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let db = sea_orm::Database::connect(&app.database_url).await.unwrap();
    let schedule = Schedule::default();
    let annual = |now: &'static str| {
        let (db, schedule) = (&db, &schedule);
        async move {
            scheduler::annual_due(db, schedule, at(now), Trigger::Schedule, &lease("p"))
                .await
                .unwrap()
        }
    };
    assert_eq!(
        annual("2026-01-20T02:59:00+08:00").await,
        0,
        "before its day"
    );
    assert_eq!(
        annual("2026-01-20T03:00:00+08:00").await,
        0,
        "no month published"
    );

    // The cron's round of 2026-01-05 02:00 runs January to December 2025 in
    // both regions (and raises the notices of the risks overdue by then).
    let round = app.run_due_at(at("2026-01-05T02:00:00+08:00")).await;
    assert_eq!(round.monthly, 24);
    let r1: i64 = w.one.region.parse().unwrap();
    let r1_runs: Vec<_> = all_runs(&db)
        .await
        .into_iter()
        .filter(|r| r.region_id == r1)
        .collect();
    let publish = "mutation($id: ID!) { publishAssessmentRun(runId: $id) { id } }";
    for run in &r1_runs[..11] {
        app.must(&w.supervisor, publish, json!({"id": run.id.to_string()}))
            .await;
    }
    assert_eq!(
        annual("2026-01-20T03:00:00+08:00").await,
        0,
        "December unpublished"
    );
    app.must(
        &w.supervisor,
        publish,
        json!({"id": r1_runs[11].id.to_string()}),
    )
    .await;
    assert_eq!(annual("2026-02-20T03:00:00+08:00").await, 1, "R1 only");
    let annual_runs = runs_of(&db, "2025").await;
    assert_eq!(annual_runs.len(), 1);
    assert_eq!(annual_runs[0].region_id, r1);
    app.deliver_pending_mail().await;
}

/// Songjiang's scheme has no monthly scorecard: its year 2025 (July 2025 – June
/// 2026) is run on the annual cron's first firing after 2026-07-01, with no
/// monthly result at all.
#[tokio::test]
async fn a_scheme_without_monthly_scorecard_needs_no_published_month() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let q = |m: &str, t: &str| format!("mutation($i: {t}!) {{ {m}(input: $i) {{ id }} }}");
    let region = e2e::id_of(&app.must(&w.admin, &q("createRegion", "CreateRegionInput"), json!({"i": {"code": "SJ", "name": "松江", "schemeCode": "sh-songjiang", "serviceYearStartMonth": 7}})).await, "createRegion");
    app.must(&w.admin, &q("createContract", "CreateContractInput"), json!({"i": {"vendorId": w.one.vendor, "regionId": region, "serviceYear": 2025, "settlementAmount": "1000.00", "monthlyFee": "100.00"}})).await;
    let db = sea_orm::Database::connect(&app.database_url).await.unwrap();
    let schedule = Schedule::default();
    let annual = |now: &'static str| {
        let (db, schedule) = (&db, &schedule);
        async move {
            scheduler::annual_due(db, schedule, at(now), Trigger::Schedule, &lease("p"))
                .await
                .unwrap()
        }
    };
    // R1 and R2 (calendar 2025) have no published month: they wait; Songjiang's
    // year has not ended on 2026-06-20.
    assert_eq!(annual("2026-06-20T03:00:00+08:00").await, 0);
    assert_eq!(annual("2026-07-20T03:00:00+08:00").await, 1);
    let songjiang: i64 = region.parse().unwrap();
    let runs = runs_of(&db, "2025").await;
    assert_eq!(runs.len(), 1);
    assert_eq!(
        (runs[0].region_id, runs[0].status.as_str()),
        (songjiang, "SUCCEEDED")
    );
}

/// Each side of the world has a confirmed, liable risk due 2025-04-10 that was
/// never rectified: two notices, and none more on the next day's check.
#[tokio::test]
async fn an_overdue_security_risk_raises_one_notice() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let db = sea_orm::Database::connect(&app.database_url).await.unwrap();
    assert_eq!(
        scheduler::overdue_risks(&db, jobs::mail::DEFAULT_PUBLIC_URL, Utc::now())
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        scheduler::overdue_risks(&db, jobs::mail::DEFAULT_PUBLIC_URL, Utc::now())
            .await
            .unwrap(),
        0
    );
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
    app.deliver_pending_mail().await;
}
