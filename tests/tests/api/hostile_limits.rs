//! Issue 11, items 3, 4 and 9: one request cannot take the database, the
//! metrics' labels are a fixed set, and GraphQL tooling works offline.
//!
//! - one request's database work is bounded (complexity counts a page's
//!   `limit` × its selection), and it holds at most its share of the pool;
//! - a full pool is answered `BUSY`, not `UNAVAILABLE`;
//! - the `operation` label is a root field of the schema, never the client's
//!   `operationName`;
//! - the standard introspection query is answered, deep introspection is
//!   refused by its own rule, and GraphiQL is served from the server itself.

use std::time::{Duration, Instant};

use e2e::{TestApp, spawn_app, spawn_app_with};
use sea_orm::{ConnectionTrait, DbBackend};
use serde_json::{Value, json};

const INTROSPECTION: &str = include_str!("../../fixtures/introspection-query.graphql");

async fn metrics(app: &TestApp) -> String {
    app.client
        .get(format!("{}/metrics", app.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

fn sample(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.trim().parse().ok())
        .unwrap_or(0.0)
}

async fn post(app: &TestApp, token: Option<&str>, body: Value) -> Value {
    let mut request = app.client.post(format!("{}/graphql", app.base)).json(&body);
    if let Some(t) = token {
        request = request.bearer_auth(t);
    }
    request.send().await.unwrap().json().await.unwrap()
}

/// `n` aliases of `field`, as one query.
fn aliases(n: usize, field: &str) -> String {
    let fields: Vec<String> = (0..n).map(|i| format!("a{i}: {field}")).collect();
    format!("{{ {} }}", fields.join(" "))
}

#[tokio::test]
async fn eight_hundred_aliased_full_pages_are_refused_up_front_and_an_ordinary_query_beside_them_is_answered()
 {
    let app = spawn_app_with(|c| c.mail.poll_seconds = 3600).await;
    let admin = app.admin().await;
    let hostile = aliases(800, "workOrders(limit: 500) { total items { id title } }");
    let ordinary = "{ regions { total } vendors { total } }";
    let before = sample(&metrics(&app).await, "govcloud_db_statements_total");

    let started = Instant::now();
    let (refused, answered) = tokio::join!(
        app.gql(Some(&admin), &hostile, json!({})),
        app.gql(Some(&admin), ordinary, json!({})),
    );
    let (code, message) = refused.error();
    assert!(message.contains("too complex"), "{code} {message}");
    assert!(refused.data().is_null(), "{}", refused.0);
    assert_eq!(answered.ok()["regions"]["total"], 0);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    // Refused before running: the hostile query issued no statement (the two
    // sign-in checks, the ordinary query's four and the scrape's one at most).
    let after = sample(&metrics(&app).await, "govcloud_db_statements_total");
    assert!(after - before <= 10.0, "{before} → {after}");

    // A full page with a wide selection is still fine; the same selection on
    // three full pages at once is not.
    let page = "workOrders(limit: 500) { total items { id title approvedAt completedAt confirmed vendorLiable region { name } vendor { name } } }";
    app.gql(Some(&admin), &format!("{{ {page} }}"), json!({}))
        .await
        .ok();
    let three = app.gql(Some(&admin), &aliases(3, page), json!({})).await;
    assert!(three.error().1.contains("too complex"), "{}", three.0);
    // Out-of-range limits are still refused by the resolver, naming `limit`.
    let big = app
        .gql(
            Some(&admin),
            "{ workOrders(limit: 100000) { total } }",
            json!({}),
        )
        .await;
    assert!(big.error().1.contains("limit"), "{}", big.0);
}

async fn send(app: &TestApp, token: &str, query: String) -> tokio::task::JoinHandle<Value> {
    let (client, base, token) = (app.client.clone(), app.base.clone(), token.to_owned());
    tokio::spawn(async move {
        client
            .post(format!("{base}/graphql"))
            .bearer_auth(token)
            .json(&json!({ "query": query }))
            .send()
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap()
    })
}

#[tokio::test]
async fn one_request_holds_at_most_its_share_of_the_pool() {
    // A pool of 16; a request may hold 2 of its connections at once.
    let app = spawn_app_with(|c| {
        c.http.db.per_request = 2;
        c.mail.poll_seconds = 3600;
    })
    .await;
    let admin = app.admin().await;
    let db = sea_orm::Database::connect(&app.database_url).await.unwrap();
    let postgres = db.get_database_backend() == DbBackend::Postgres;
    // On PostgreSQL the pages wait on a lock, each holding the connection it
    // got, so what the request holds is counted (16 without the share). SQLite
    // readers cannot be blocked (WAL): there the request is long instead,
    // 4,000 tiny pages, and only the ordinary request beside it is checked;
    // the count itself is `db_share`'s unit test.
    let lock = if postgres {
        let txn = domain::db::write_txn(&db).await.unwrap();
        txn.execute_unprepared("LOCK TABLE regions IN ACCESS EXCLUSIVE MODE")
            .await
            .unwrap();
        Some(txn)
    } else {
        None
    };
    let pages = if postgres { 400 } else { 4000 };
    let hostile = send(&app, &admin, aliases(pages, "regions(limit: 1) { total }")).await;
    for _ in 0..100 {
        if sample(&metrics(&app).await, "govcloud_http_requests_in_flight") >= 1.0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    if postgres {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let text = metrics(&app).await;
        let in_use = sample(&text, "govcloud_db_pool_connections{state=\"in_use\"}");
        // Its 2, and this scrape's own (the outbox count) at most.
        assert!(in_use <= 3.0, "{in_use} connections in use:\n{text}");
    }
    // Beside it, an ordinary request is answered at once.
    let started = Instant::now();
    let ordinary = app
        .gql(
            Some(&admin),
            "{ vendors { total } me { username } }",
            json!({}),
        )
        .await;
    assert_eq!(ordinary.ok()["me"]["username"], "admin");
    assert!(
        !hostile.is_finished(),
        "the ordinary request waited for the other one"
    );
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );

    drop(lock);
    let answer = hostile.await.unwrap();
    assert!(answer.get("errors").is_none(), "{}", answer["errors"]);
    assert_eq!(answer["data"][format!("a{}", pages - 1)]["total"], 0);
}

/// Holds the write lock on `regions` (SQLite: the one write lock) until dropped.
async fn block_writes(db: &sea_orm::DatabaseConnection) -> sea_orm::DatabaseTransaction {
    let txn = domain::db::write_txn(db).await.unwrap();
    if db.get_database_backend() == DbBackend::Postgres {
        txn.execute_unprepared("LOCK TABLE regions IN EXCLUSIVE MODE")
            .await
            .unwrap();
    }
    txn
}

#[tokio::test]
async fn a_request_that_cannot_get_a_connection_while_the_database_is_up_is_told_busy() {
    // Two connections, one per request, a second's wait.
    let app = spawn_app_with(|c| {
        c.http.db.pool_size = 2;
        c.http.db.per_request = 1;
        c.http.db.acquire_timeout = Duration::from_secs(1);
        c.mail.poll_seconds = 3600;
    })
    .await;
    let admin = app.admin().await;
    let db = sea_orm::Database::connect(&app.database_url).await.unwrap();
    let lock = block_writes(&db).await;

    // Two writes wait for the lock, each holding one of the two connections.
    let create = "mutation($i: CreateRegionInput!) { createRegion(input: $i) { id } }";
    let mut writes = Vec::new();
    for n in 0..2 {
        let (app_base, token) = (app.base.clone(), admin.clone());
        let input = json!({"i": {"code": format!("B{n}"), "name": format!("忙{n}"), "schemeCode": "sh-municipal"}});
        writes.push(tokio::spawn(async move {
            reqwest::Client::new()
                .post(format!("{app_base}/graphql"))
                .bearer_auth(token)
                .json(&json!({ "query": create, "variables": input }))
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        }));
        tokio::time::sleep(Duration::from_millis(300)).await;
    }

    let busy = app
        .gql(Some(&admin), "{ regions { total } }", json!({}))
        .await;
    let (code, message) = busy.error();
    assert_eq!(code, "BUSY", "{}", busy.0);
    assert!(message.contains("try again"), "{message}");

    drop(lock);
    for write in writes {
        let answer = write.await.unwrap();
        assert!(answer.get("errors").is_none(), "{answer}");
    }
    // The pool is free again: answered normally.
    let again = app
        .gql(Some(&admin), "{ regions { total } }", json!({}))
        .await;
    assert_eq!(again.ok()["regions"]["total"], 2);
}

#[tokio::test]
async fn the_operation_label_is_a_root_field_never_the_clients_operation_name() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let before = metrics(&app).await;
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..300 {
        let (client, base, token) = (app.client.clone(), app.base.clone(), admin.clone());
        tasks.spawn(async move {
            client
                .post(format!("{base}/graphql"))
                .bearer_auth(token)
                .json(&json!({
                    "query": format!("query Probe{i} {{ regions {{ total }} }}"),
                    "operationName": format!("Probe{i}"),
                }))
                .send()
                .await
                .unwrap()
                .status()
        });
    }
    for status in tasks.join_all().await {
        assert_eq!(status, 200);
    }
    let after = metrics(&app).await;
    assert!(!after.contains("Probe"), "a client's name became a label");
    assert_eq!(
        sample(
            &after,
            "govcloud_http_requests_total{operation=\"regions\",outcome=\"ok\"}"
        ),
        300.0
    );
    // One new operation: its counter and its histogram, nothing per request.
    let grown = after.lines().count() - before.lines().count();
    assert!(
        grown <= 20,
        "{} → {} lines",
        before.lines().count(),
        after.lines().count()
    );
}

#[tokio::test]
async fn the_standard_introspection_query_is_answered_and_deep_introspection_is_refused() {
    let app = spawn_app().await;
    let answer = post(&app, None, json!({ "query": INTROSPECTION })).await;
    assert!(answer.get("errors").is_none(), "{}", answer["errors"]);
    let types = answer["data"]["__schema"]["types"].as_array().unwrap();
    assert!(types.iter().any(|t| t["name"] == "WorkOrder"), "{types:?}");
    assert_eq!(answer["data"]["__schema"]["queryType"]["name"], "Query");

    // Its own rule: a third nested list of fields is refused (graphql-js
    // MaxIntrospectionDepthRule), as is aliasing `__schema` four hundred times.
    let deep =
        "{ __type(name: \"Region\") { fields { type { fields { type { fields { name } } } } } } }";
    let answer = post(&app, None, json!({ "query": deep })).await;
    assert_eq!(
        answer["errors"][0]["message"], "Maximum introspection depth exceeded",
        "{answer}"
    );
    let many = aliases(
        400,
        "__schema { types { name fields { name args { name } } } }",
    );
    let answer = post(&app, None, json!({ "query": many })).await;
    assert!(
        answer["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("too complex"),
        "{answer}"
    );
    // The limits still hold for the rest of a request that introspects too.
    let admin = app.admin().await;
    let mixed = INTROSPECTION.replacen(
        "query IntrospectionQuery {",
        &format!(
            "query IntrospectionQuery {{ {}",
            (0..800)
                .map(|i| format!("a{i}: workOrders(limit: 500) {{ total }}"))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        1,
    );
    let answer = post(&app, Some(&admin), json!({ "query": mixed })).await;
    assert!(
        answer["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("too complex"),
        "{answer}"
    );
    // 13 fields deep: agencies → items → region → agencies → …
    let mut deep = String::from("id");
    for level in 0..13 {
        deep = if level % 2 == 0 {
            format!("region {{ {deep} }}")
        } else {
            format!("agencies {{ {deep} }}")
        };
    }
    let deep = format!("agencies {{ items {{ {deep} }} }}");
    let answer = post(
        &app,
        Some(&admin),
        json!({ "query": format!("{{ __schema {{ queryType {{ name }} }} {deep} }}") }),
    )
    .await;
    assert!(
        answer["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("nested too deep"),
        "{answer}"
    );
}

/// The `src` and `href` values of a page.
fn references(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attribute in ["src=\"", "href=\""] {
        for part in html.split(attribute).skip(1) {
            out.push(part.split('"').next().unwrap().to_owned());
        }
    }
    out
}

#[tokio::test]
async fn graphiql_is_served_from_the_server_itself_with_no_external_url() {
    let app = spawn_app().await;
    let page = app
        .client
        .get(format!("{}/graphql", app.base))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(
        page.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = page.text().await.unwrap();
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "an external URL in the page:\n{html}"
    );
    // No inline script: every <script> loads a file (CSP `script-src 'self'`).
    assert_eq!(
        html.matches("<script").count(),
        html.matches("<script src=\"/").count(),
        "{html}"
    );
    let referenced = references(&html);
    assert!(
        referenced
            .iter()
            .any(|r| r.contains("graphiql") && r.ends_with(".js")),
        "{referenced:?}"
    );
    assert!(
        referenced.iter().any(|r| r.contains("react-dom")),
        "{referenced:?}"
    );
    for reference in &referenced {
        assert!(
            reference.starts_with('/') && !reference.starts_with("//"),
            "{reference}"
        );
        let asset = app
            .client
            .get(format!("{}{reference}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(asset.status(), 200, "{reference}");
        let content_type = asset.headers()["content-type"].to_str().unwrap().to_owned();
        let expected = if reference.ends_with(".css") {
            "text/css"
        } else {
            "text/javascript"
        };
        assert!(
            content_type.starts_with(expected),
            "{reference}: {content_type}"
        );
        assert!(asset.headers().contains_key("cache-control"), "{reference}");
        assert!(!asset.bytes().await.unwrap().is_empty(), "{reference}");
    }

    // With introspection off, neither the page nor its files are served.
    let off = spawn_app_with(|c| c.http.introspection = false).await;
    for path in ["/graphql", "/graphiql/init.js"] {
        let status = off
            .client
            .get(format!("{}{path}", off.base))
            .send()
            .await
            .unwrap()
            .status();
        assert_ne!(status, 200, "{path}");
    }
}
