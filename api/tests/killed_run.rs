//! The real server killed (SIGKILL) in the middle of a monthly run: the run's
//! results, written in one transaction, are not there; the restarted server
//! closes the dead run as abandoned once its lease has expired and catches the
//! month up. On PostgreSQL when `TEST_DATABASE_URL` is set, else on an SQLite
//! file.

#![allow(clippy::unwrap_used)]

mod support;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::Utc;
use entities::{assessment_result, assessment_run};
use sea_orm::{ColumnTrait, Database, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

/// Three vendors (one batch): the run is killed while it waits after scoring
/// them, before the results, all written together at the end, are committed.
const VENDORS: usize = 3;
/// Each vendor's part of the killed run takes this long (fault injection).
const VENDOR_DELAY_MS: u64 = 1000;
/// The lease lifetime both servers run with (`JOB_LEASE_SECONDS`), short so the
/// restarted one may take the dead one's lease within seconds.
const LEASE_SECONDS: &str = "2";

/// The month the restarted server catches up first: reaching back two months
/// (`CATCH_UP_MONTHS=2`), the month before last is always due (its instant, the
/// 5th of last month at 02:00, has passed) and is the oldest.
fn month_before_last() -> String {
    use chrono::Datelike;
    let now = Utc::now().with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).unwrap());
    let index = now.year() * 12 + now.month() as i32 - 1 - 2;
    format!(
        "{:04}-{:02}",
        index.div_euclid(12),
        index.rem_euclid(12) + 1
    )
}

/// The real server with the scheduler on, reaching back two months: at start
/// it catches up the month before last first (no cron fires during the test:
/// the monthly one is on the 5th at 02:00).
fn server(url: &str, scratch: &std::path::Path, vendor_delay_ms: Option<u64>) -> Killer {
    server_on(url, scratch, vendor_delay_ms, "1", 0)
}

/// The real server; `scheduler` is `SCHEDULER`, `port` 0 for any.
fn server_on(
    url: &str,
    scratch: &std::path::Path,
    vendor_delay_ms: Option<u64>,
    scheduler: &str,
    port: u16,
) -> Killer {
    let mut command = Command::new(env!("CARGO_BIN_EXE_govcloud"));
    command
        .env("DATABASE_URL", url)
        .env("LISTEN_ADDR", format!("127.0.0.1:{port}"))
        .env("SCHEDULER", scheduler)
        .env("ADMIN_PASSWORD", ADMIN_PASSWORD)
        .env("JOB_LEASE_SECONDS", LEASE_SECONDS)
        .env("CATCH_UP_MONTHS", "2")
        .env("MAIL_DIR", scratch.join("mail"))
        .env("RUST_LOG", "warn")
        .env_remove("GOVCLOUD_FAULT_RUN_VENDOR_DELAY_MS")
        .stdout(Stdio::null())
        .stderr(
            std::fs::File::create(
                scratch.join(format!("server-{}.log", vendor_delay_ms.is_some())),
            )
            .unwrap(),
        );
    if let Some(ms) = vendor_delay_ms {
        command.env("GOVCLOUD_FAULT_RUN_VENDOR_DELAY_MS", ms.to_string());
    }
    Killer(command.spawn().expect("the server starts"))
}

const ADMIN_PASSWORD: &str = "Admin-pass-2026";

/// A free port on loopback (taken back by the server a moment later).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A GraphQL request to the server on `port`, once it answers.
async fn gql(port: u16, token: Option<&str>, query: &str) -> serde_json::Value {
    let client = reqwest::Client::new();
    let healthz = format!("http://127.0.0.1:{port}/healthz");
    wait_for("the server", Duration::from_secs(30), || async {
        client
            .get(&healthz)
            .send()
            .await
            .ok()
            .filter(|r| r.status().is_success())
    })
    .await;
    let mut request = client
        .post(format!("http://127.0.0.1:{port}/graphql"))
        .json(&serde_json::json!({ "query": query }));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap().json().await.unwrap()
}

async fn admin_token(port: u16) -> String {
    let answer = gql(
        port,
        None,
        &format!(
            "mutation {{ login(username: \"admin\", password: \"{ADMIN_PASSWORD}\") {{ token }} }}"
        ),
    )
    .await;
    answer["data"]["login"]["token"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Kills the server however the test ends.
struct Killer(Child);

impl Killer {
    /// SIGKILL: no shutdown code runs.
    fn kill(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for Killer {
    fn drop(&mut self) {
        self.kill();
    }
}

async fn runs(db: &DatabaseConnection, month: &str) -> Vec<assessment_run::Model> {
    assessment_run::Entity::find()
        .filter(assessment_run::Column::Period.eq(month))
        .order_by_asc(assessment_run::Column::Id)
        .all(db)
        .await
        .unwrap()
}

async fn results_of(db: &DatabaseConnection, run_id: i64) -> Vec<assessment_result::Model> {
    assessment_result::Entity::find()
        .filter(assessment_result::Column::RunId.eq(run_id))
        .order_by_asc(assessment_result::Column::VendorId)
        .all(db)
        .await
        .unwrap()
}

/// Polls `check` every 50 ms until it gives a value, failing after `limit`.
async fn wait_for<T, F: std::future::Future<Output = Option<T>>>(
    what: &str,
    limit: Duration,
    mut check: impl FnMut() -> F,
) -> T {
    let start = Instant::now();
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(start.elapsed() < limit, "{what}: not within {limit:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_server_killed_during_a_monthly_run_leaves_no_result_and_the_restart_catches_up() {
    let database = support::TestDatabase::create("killed_run").await;
    let url = database.url().to_owned();
    let month = month_before_last();
    let vendors = support::seed_region(&url, month[..4].parse().unwrap(), VENDORS).await;
    let scratch = std::env::temp_dir().join(format!("govcloud-killed-run-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    let db = Database::connect(&url).await.unwrap();

    // First life: the catch-up opens the month's run and works slowly.
    let mut first = server(&url, &scratch, Some(VENDOR_DELAY_MS));
    let killed = wait_for(
        "the first server's run",
        Duration::from_secs(30),
        || async { runs(&db, &month).await.into_iter().next() },
    )
    .await;
    assert_eq!(killed.status.as_str(), "RUNNING");
    // Into the fault delay after scoring: nothing is written yet.
    tokio::time::sleep(Duration::from_millis(VENDOR_DELAY_MS * 3 / 2)).await;
    first.kill();

    // The dead process could not close its run, and none of its results count.
    let after_kill = runs(&db, &month).await;
    assert_eq!(after_kill.len(), 1, "{after_kill:?}");
    assert_eq!(
        after_kill[0].status.as_str(),
        "RUNNING",
        "killed before it finished"
    );
    assert_eq!(
        results_of(&db, killed.id).await.len(),
        0,
        "no partial result"
    );

    // Second life, no fault: it waits out the dead lease (2 s), closes the dead
    // run and runs the month again.
    let started = Instant::now();
    let _second = server(&url, &scratch, None);
    let (closed, caught) = wait_for("the catch-up run", Duration::from_secs(30), || async {
        let all = runs(&db, &month).await;
        match all.as_slice() {
            [closed, caught] if caught.status.as_str() != "RUNNING" => {
                Some((closed.clone(), caught.clone()))
            }
            _ => None,
        }
    })
    .await;
    let took = started.elapsed();

    assert_eq!(closed.id, killed.id);
    assert_eq!(closed.status.as_str(), "FAILED");
    assert_eq!(closed.error.as_deref(), Some(jobs::runs::ABANDONED));
    assert!(closed.finished_at.is_some());
    assert_eq!(
        (caught.trigger.as_str(), caught.status.as_str()),
        ("CATCH_UP", "SUCCEEDED"),
        "{caught:?}"
    );
    // Still nothing of the killed run; one result per contracted vendor from
    // the catch-up, each the first revision (the killed one never committed).
    assert_eq!(results_of(&db, killed.id).await.len(), 0);
    let results = results_of(&db, caught.id).await;
    assert_eq!(
        results.iter().map(|r| r.vendor_id).collect::<Vec<_>>(),
        vendors
    );
    assert!(results.iter().all(|r| r.revision == 1 && !r.published));
    // The lease is 2 s, the catch-up looks again 1 s after it could expire,
    // and three vendors take well under a second: far less than 15 s.
    assert!(took < Duration::from_secs(15), "caught up after {took:?}");

    drop(db);
    let _ = std::fs::remove_dir_all(&scratch);
}

/// A supervisor's run cut off by a killed server is closed as abandoned by the
/// next run of its period, which takes the same lease (2 s here), and it kept
/// the audit entry written when it started.
#[tokio::test]
async fn a_manual_run_cut_off_by_a_killed_server_is_abandoned_and_audited() {
    let database = support::TestDatabase::create("killed_manual_run").await;
    let url = database.url().to_owned();
    let month = month_before_last();
    support::seed_region(&url, month[..4].parse().unwrap(), VENDORS).await;
    let scratch =
        std::env::temp_dir().join(format!("govcloud-killed-manual-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    let db = Database::connect(&url).await.unwrap();
    let run = format!(
        "mutation {{ runMonthlyAssessment(regionId: \"1\", period: \"{month}\") {{ id status }} }}"
    );

    // First life, no scheduler: the administrator's run works slowly and the
    // server is killed in the middle of it.
    let port = free_port();
    let mut first = server_on(&url, &scratch, Some(VENDOR_DELAY_MS), "0", port);
    let token = admin_token(port).await;
    let request = {
        let (token, run) = (token.clone(), run.clone());
        tokio::spawn(async move { gql(port, Some(&token), &run).await })
    };
    let killed = wait_for("the manual run", Duration::from_secs(30), || async {
        runs(&db, &month).await.into_iter().next()
    })
    .await;
    assert_eq!(
        (killed.trigger.as_str(), killed.status.as_str()),
        ("MANUAL", "RUNNING")
    );
    tokio::time::sleep(Duration::from_millis(VENDOR_DELAY_MS * 3 / 2)).await;
    first.kill();
    request.abort();

    let entries = entities::audit_entry::Entity::find()
        .filter(entities::audit_entry::Column::Operation.eq("runMonthlyAssessment"))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0].target_id, Some(killed.id));
    assert_eq!(
        entries[0].after.as_ref().unwrap()["status"],
        "RUNNING",
        "written when the run started"
    );

    // Second life: once the dead lease has expired, the next run of the month
    // closes the cut-off one and runs.
    let port = free_port();
    let _second = server_on(&url, &scratch, None, "0", port);
    let token = admin_token(port).await;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let answer = gql(port, Some(&token), &run).await;
    assert_eq!(
        answer["data"]["runMonthlyAssessment"]["status"], "SUCCEEDED",
        "{answer}"
    );
    let all = runs(&db, &month).await;
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].id, killed.id);
    assert_eq!(all[0].status.as_str(), "FAILED");
    assert_eq!(all[0].error.as_deref(), Some(jobs::runs::ABANDONED));
    assert_eq!(results_of(&db, killed.id).await.len(), 0);

    drop(db);
    let _ = std::fs::remove_dir_all(&scratch);
}
