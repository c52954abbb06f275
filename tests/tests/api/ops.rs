//! Operations: request ids, `/metrics`, and graceful shutdown.

use std::time::Duration;

use api::config::Secret;
use api::startup::Application;
use e2e::{spawn_app, spawn_app_with};
use sea_orm::{ConnectionTrait, DbBackend, EntityTrait};
use serde_json::{Value, json};

use crate::world;

const METRICS_TOKEN: &str = "metrics-token-0123456789";

/// Every metric `/metrics` must describe, whatever has happened yet.
const METRIC_NAMES: [&str; 12] = [
    "govcloud_http_requests",
    "govcloud_http_request_duration_seconds",
    "govcloud_http_requests_in_flight",
    "govcloud_db_statements",
    "govcloud_db_statement_duration_seconds",
    "govcloud_job_runs",
    "govcloud_job_duration_seconds",
    "govcloud_outbox_pending",
    "govcloud_outbox_given_up",
    "govcloud_outbox_failures",
    "govcloud_db_pool_connections",
    "govcloud_db_pool_max_connections",
];

async fn scrape(base: &str) -> String {
    let resp = reqwest::get(format!("{base}/metrics")).await.unwrap();
    assert_eq!(resp.status(), 200);
    resp.text().await.unwrap()
}

/// The value of one sample (`name{labels}` exactly as exposed); 0 when the
/// series does not exist yet (nothing counted).
fn sample(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
        .map_or(0.0, |v| v.trim().parse().unwrap())
}

fn requests(text: &str, operation: &str, outcome: &str) -> f64 {
    sample(
        text,
        &format!("govcloud_http_requests_total{{operation=\"{operation}\",outcome=\"{outcome}\"}}"),
    )
}

async fn post_graphql(base: &str, token: Option<&str>, query: &str, variables: Value) -> Value {
    let mut req = reqwest::Client::new()
        .post(format!("{base}/graphql"))
        .json(&json!({ "query": query, "variables": variables }));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send().await.unwrap().json().await.unwrap()
}

#[tokio::test]
async fn every_response_carries_a_request_id_generated_or_echoed() {
    let app = spawn_app().await;
    let get = |id: Option<&str>| {
        let mut req = app.client.get(format!("{}/healthz", app.base));
        if let Some(id) = id {
            req = req.header("x-request-id", id);
        }
        req.send()
    };
    let id_of = |resp: &reqwest::Response| {
        resp.headers()
            .get("x-request-id")
            .expect("an x-request-id")
            .to_str()
            .unwrap()
            .to_owned()
    };

    let generated = id_of(&get(None).await.unwrap());
    let echoed = id_of(&get(Some("lb-7f3a-0001")).await.unwrap());
    let replaced = id_of(&get(Some(&"x".repeat(200))).await.unwrap());

    // A generated id is a UUID: 36 characters, 4 dashes.
    assert_eq!((generated.len(), generated.matches('-').count()), (36, 4));
    assert_eq!(echoed, "lb-7f3a-0001");
    // 200 characters is over the limit of 64: a fresh UUID instead.
    assert_eq!(replaced.len(), 36);
    // GraphQL answers carry one too.
    let resp = app
        .client
        .post(format!("{}/graphql", app.base))
        .header("x-request-id", "client-42")
        .json(&json!({ "query": "{ me { id } }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(id_of(&resp), "client-42");
}

#[tokio::test]
async fn metrics_count_each_graphql_request_by_operation_and_outcome() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let before = scrape(&app.base).await;

    for _ in 0..2 {
        app.must(&admin, "query RegionList { regions { total } }", json!({}))
            .await;
    }
    app.must(&admin, "{ me { username } }", json!({})).await;
    // Without a token: answered with UNAUTHENTICATED, an error outcome.
    let refused = app.gql(None, "{ regions { total } }", json!({})).await;
    assert_eq!(refused.error().0, "UNAUTHENTICATED");
    let after = scrape(&app.base).await;

    for name in METRIC_NAMES {
        assert!(
            after.contains(&format!("# TYPE {name} ")),
            "{name} in:\n{after}"
        );
    }
    let delta =
        |op: &str, outcome: &str| requests(&after, op, outcome) - requests(&before, op, outcome);
    // Exactly the four requests above, each under its first root field (the
    // client's operation name is never a label: issue 11 item 4).
    assert_eq!(delta("RegionList", "ok"), 0.0);
    assert_eq!(delta("regions", "ok"), 2.0);
    assert_eq!(delta("me", "ok"), 1.0);
    assert_eq!(delta("regions", "error"), 1.0);
    // The admin's sign-in came before the first scrape: counted once, not again.
    assert_eq!(requests(&before, "login", "ok"), 1.0);
    assert_eq!(delta("login", "ok"), 0.0);
    // Every timed request is in the histogram too: the three `regions` ones.
    let count = "govcloud_http_request_duration_seconds_count{operation=\"regions\"}";
    assert_eq!(sample(&after, count), 3.0);
    // The pool has at most 16 connections (db::connect), some in use or idle.
    assert_eq!(sample(&after, "govcloud_db_pool_max_connections"), 16.0);
}

#[tokio::test]
async fn a_metrics_token_keeps_strangers_out() {
    let app = spawn_app_with(|c| c.http.metrics_token = Some(Secret::new(METRICS_TOKEN))).await;
    let url = format!("{}/metrics", app.base);
    let status = |token: Option<&'static str>| {
        let mut req = app.client.get(&url);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        async move { req.send().await.unwrap().status().as_u16() }
    };

    assert_eq!(status(None).await, 403);
    assert_eq!(status(Some("metrics-token-wrong-0000")).await, 403);
    assert_eq!(status(Some(METRICS_TOKEN)).await, 200);
}

#[tokio::test]
async fn the_statement_counter_counts_what_a_query_issues() {
    // Mail rounds hourly: the start-up round is the only one during the test.
    let app = spawn_app_with(|c| c.mail.poll_seconds = 3600).await;
    let admin = app.admin().await;
    let statements = |text: &str| sample(text, "govcloud_db_statements_total");
    let mut first = scrape(&app.base).await;
    for _ in 0..50 {
        if sample(
            &first,
            "govcloud_job_runs_total{job=\"mail\",status=\"succeeded\"}",
        ) == 1.0
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        first = scrape(&app.base).await;
    }

    let idle = scrape(&app.base).await;
    app.must(&admin, "{ regions { total items { id } } }", json!({}))
        .await;
    let queried = scrape(&app.base).await;

    // With nothing else running, a scrape issues one statement: the outbox count.
    assert_eq!(statements(&idle) - statements(&first), 1.0);
    // The query issues some of its own (the signed-in user, the regions) on
    // top of the second scrape's one.
    assert!(statements(&queried) - statements(&idle) > 1.0);
    // Statement durations are observed for every statement counted.
    assert_eq!(
        sample(&queried, "govcloud_db_statement_duration_seconds_count"),
        statements(&queried)
    );
}

/// Holds the database's write lock on `assessment_runs` until dropped or
/// rolled back, so a run cannot record itself yet.
async fn block_runs(db: &sea_orm::DatabaseConnection) -> sea_orm::DatabaseTransaction {
    // On SQLite an IMMEDIATE transaction takes the one write lock at BEGIN.
    let txn = domain::db::write_txn(db).await.unwrap();
    if db.get_database_backend() == DbBackend::Postgres {
        txn.execute_unprepared("LOCK TABLE assessment_runs IN EXCLUSIVE MODE")
            .await
            .unwrap();
    }
    txn
}

async fn in_flight(base: &str) -> f64 {
    sample(&scrape(base).await, "govcloud_http_requests_in_flight")
}

#[tokio::test]
async fn shutdown_finishes_a_run_under_way_and_then_refuses_connections() {
    let harness = spawn_app().await;
    let w = world::build(&harness).await;
    // A second server on the same database, whose shutdown this test controls.
    let app = Application::build(harness.config.clone()).await.unwrap();
    let (port, stop) = (app.port(), app.shutdown_handle());
    let base = format!("http://127.0.0.1:{port}");
    let server = tokio::spawn(app.run());
    let db = sea_orm::Database::connect(&harness.database_url)
        .await
        .unwrap();
    let lock = block_runs(&db).await;

    let run = "mutation($r: ID!) { runMonthlyAssessment(regionId: $r, period: \"2025-03\") { id status } }";
    let request = tokio::spawn({
        let (base, token, region) = (base.clone(), w.supervisor.clone(), w.one.region.clone());
        async move { post_graphql(&base, Some(&token), run, json!({"r": region})).await }
    });
    for _ in 0..100 {
        if in_flight(&base).await == 1.0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        in_flight(&base).await,
        1.0,
        "the run request is being served"
    );
    stop.trigger();

    let refused = refuses_connections(port).await;
    // The run still waits for the lock, so the server is still draining.
    assert!(refused, "no new connections after shutdown was asked for");
    assert!(!server.is_finished(), "the server waits for the run");
    lock.rollback().await.unwrap();

    let answer = request.await.unwrap();
    let served = tokio::time::timeout(Duration::from_secs(20), server).await;
    assert_eq!(
        answer["data"]["runMonthlyAssessment"]["status"], "SUCCEEDED",
        "{answer}"
    );
    assert!(
        matches!(served, Ok(Ok(Ok(())))),
        "the server stopped cleanly"
    );
    let id: i64 = answer["data"]["runMonthlyAssessment"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let stored = entities::assessment_run::Entity::find_by_id(id)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.status.as_str(), "SUCCEEDED");
    assert!(stored.finished_at.is_some());
    let _ = db.close().await;
}

/// True once connecting to the port fails (the listener is closed a moment
/// after shutdown is asked for).
async fn refuses_connections(port: u16) -> bool {
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err()
        {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    false
}
