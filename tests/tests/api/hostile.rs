//! Hostile input: malformed requests, requests over the limits, script and SQL
//! in text fields, forged tokens, other vendors' ids. Each is answered with a
//! status and an error that names the problem, the server keeps answering, and
//! the database is exactly as it was (every row of every table compared).

use std::collections::BTreeMap;

use e2e::{TestApp, spawn_app};
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Database, DbBackend, FromQueryResult, JsonValue, Statement};
use serde_json::{Value, json};

use crate::world::{self, World};

const WO_CREATE: &str =
    "mutation($i: CreateWorkOrderInput!) { createWorkOrder(input: $i) { id title } }";

/// Every row of every table (the migrations' bookkeeping included), as JSON,
/// by table name: the "database unchanged" check compares two of these.
async fn snapshot(app: &TestApp) -> BTreeMap<String, Vec<JsonValue>> {
    let db = Database::connect(&app.database_url).await.unwrap();
    let backend = db.get_database_backend();
    let tables_sql = match backend {
        DbBackend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        }
        _ => "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()",
    };
    let names: Vec<String> = db
        .query_all_raw(Statement::from_string(backend, tables_sql))
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get::<String>("", "name").unwrap())
        .collect();
    let mut all = BTreeMap::new();
    for name in names {
        let rows = JsonValue::find_by_statement(Statement::from_string(
            backend,
            format!("SELECT * FROM {name} ORDER BY 1"),
        ))
        .all(&db)
        .await
        .unwrap();
        all.insert(name, rows);
    }
    db.close().await.unwrap();
    all
}

async fn assert_alive(app: &TestApp, after: &str) {
    let health = app
        .client
        .get(format!("{}/healthz", app.base))
        .send()
        .await
        .unwrap_or_else(|e| panic!("after {after}: /healthz unreachable: {e}"));
    assert_eq!(health.status(), StatusCode::OK, "after {after}");
}

/// The tables that differ between two snapshots.
fn changed(
    before: &BTreeMap<String, Vec<JsonValue>>,
    after: &BTreeMap<String, Vec<JsonValue>>,
) -> Vec<String> {
    let mut names: Vec<&String> = before.keys().chain(after.keys()).collect();
    names.dedup();
    names
        .into_iter()
        .filter(|n| before.get(*n) != after.get(*n))
        .cloned()
        .collect()
}

/// A raw POST to /graphql: the status and the body (JSON if it is JSON).
async fn post_raw(
    app: &TestApp,
    token: Option<&str>,
    content_type: Option<&str>,
    body: Vec<u8>,
) -> (StatusCode, Value) {
    let mut req = app.client.post(format!("{}/graphql", app.base)).body(body);
    if let Some(ct) = content_type {
        req = req.header("Content-Type", ct);
    }
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.expect("the server answers");
    let status = resp.status();
    let text = resp.text().await.unwrap();
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, body)
}

fn gql_body(query: &str, variables: Value) -> Vec<u8> {
    serde_json::to_vec(&json!({ "query": query, "variables": variables })).unwrap()
}

/// The first error's code and message of a GraphQL-shaped answer.
fn first_error(body: &Value) -> (String, String) {
    let e = &body["errors"][0];
    (
        e["extensions"]["code"].as_str().unwrap_or("").to_owned(),
        e["message"].as_str().unwrap_or("").to_owned(),
    )
}

/// A valid work order of side one, to be spoiled by each case.
fn work_order(w: &World) -> Value {
    json!({"regionId": w.one.region, "vendorId": w.one.vendor, "title": "扩容",
           "approvedAt": "2025-03-03T09:00:00+08:00", "confirmed": true, "vendorLiable": true})
}

fn with(mut base: Value, key: &str, value: Value) -> Value {
    base[key] = value;
    base
}

/// `agency { region { agencies { region { … } } } }`, `levels` fields deep.
fn deep_query(agency: &str, levels: usize) -> String {
    let mut inner = "id".to_owned();
    for level in (1..levels).rev() {
        let field = if level % 2 == 1 { "region" } else { "agencies" };
        inner = format!("{field} {{ {inner} }}");
    }
    format!("{{ agency(id: \"{agency}\") {{ {inner} }} }}")
}

struct Case {
    name: &'static str,
    content_type: Option<&'static str>,
    body: Vec<u8>,
    status: StatusCode,
    /// Every one of these is in the first error's message.
    message_has: Vec<&'static str>,
}

fn case(name: &'static str, query: &str, variables: Value, message_has: &[&'static str]) -> Case {
    Case {
        name,
        content_type: Some("application/json"),
        body: gql_body(query, variables),
        // GraphQL errors travel in a 200 answer (GraphQL over HTTP, application/json).
        status: StatusCode::OK,
        message_has: message_has.to_vec(),
    }
}

fn malformed_cases(w: &World) -> Vec<Case> {
    let wo = work_order(w);
    let long_text = "长".repeat(200_000 / 3); // 200 KB of UTF-8, well inside 1 MiB
    let many_ids: Vec<String> = (1..=100_000).map(|i| i.to_string()).collect();
    // 3,000 aliases of a field costing 2 (the page and its total): 6,000 > 5,000.
    let aliases: String = (0..3000)
        .map(|i| format!("a{i}: regions {{ total }} "))
        .collect();
    let fault_m = "mutation($i: CreateFaultInput!) { createFault(input: $i) { id } }";
    let fault = json!({"regionId": w.one.region, "vendorId": w.one.vendor, "title": "t",
        "impact": "UNUSABLE", "occurredAt": "2025-03-07T14:00:00+08:00",
        "reportedAt": "2025-03-07T14:05:00+08:00", "recoveredAt": "2025-03-07T15:00:00+08:00",
        "confirmed": true, "vendorLiable": true, "affectedSystemIds": many_ids});
    let notice_m = "mutation($i: CreateNoticeInput!) { createNotice(input: $i) { id } }";
    let user_m = "mutation($i: CreateUserInput!) { createUser(input: $i) { id } }";
    let mut cases = vec![
        Case {
            name: "invalid JSON",
            content_type: Some("application/json"),
            body: br#"{"query": "{ regions { total } }", "#.to_vec(),
            status: StatusCode::BAD_REQUEST,
            message_has: vec!["request body", "JSON"],
        },
        Case {
            name: "JSON that is not a GraphQL request",
            content_type: Some("application/json"),
            body: br#"{"mutation": "{ deleteRegion(id: \"1\") }"}"#.to_vec(),
            status: StatusCode::BAD_REQUEST,
            message_has: vec!["request body", "query"],
        },
        Case {
            name: "a text/plain body (what a cross-site form sends)",
            content_type: Some("text/plain"),
            body: gql_body(WO_CREATE, json!({ "i": wo })),
            status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
            message_has: vec!["Content-Type", "application/json", "text/plain"],
        },
        Case {
            name: "a form body",
            content_type: Some("application/x-www-form-urlencoded"),
            body: b"query=%7B%20regions%20%7B%20total%20%7D%20%7D".to_vec(),
            status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
            message_has: vec!["Content-Type", "application/json"],
        },
        Case {
            name: "no Content-Type",
            content_type: None,
            body: gql_body("{ regions { total } }", json!({})),
            status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
            message_has: vec!["Content-Type", "none"],
        },
        Case {
            name: "a 2 MB title (over the 1 MiB body limit)",
            content_type: Some("application/json"),
            body: gql_body(
                WO_CREATE,
                json!({ "i": with(wo.clone(), "title", json!("x".repeat(2 << 20))) }),
            ),
            status: StatusCode::PAYLOAD_TOO_LARGE,
            // Refused before anything is parsed, in the GraphQL error shape
            // with a code of its own (see hostile_auth.rs).
            message_has: vec!["request body", "larger than the limit of 1 MiB"],
        },
        case(
            "a GraphQL syntax error",
            "{ regions { total }",
            json!({}),
            &["expected"],
        ),
        case(
            "a string where a Boolean goes",
            WO_CREATE,
            json!({ "i": with(wo.clone(), "confirmed", json!("yes")) }),
            &["confirmed", "Boolean"],
        ),
        case(
            "a number where a date-time goes",
            WO_CREATE,
            json!({ "i": with(wo.clone(), "approvedAt", json!(20250303)) }),
            &["i.approvedAt", "DateTime"],
        ),
        case(
            "a limit over 2^32",
            "{ workOrders(limit: 4294967296) { total } }",
            json!({}),
            &["limit", "from 1 to 500"],
        ),
        case(
            "an Int over 2^31",
            "mutation($i: CreateTrainingInput!) { createTraining(input: $i) { id } }",
            json!({"i": {"regionId": w.one.region, "vendorId": w.one.vendor, "title": "培训",
                          "heldAt": "2025-03-10T14:00:00+08:00", "attendees": 4_294_967_296i64,
                          "evidence": ["SIGN_IN"]}}),
            &["i.attendees", "Int"],
        ),
        case(
            "a 200 KB title (inside the body limit)",
            WO_CREATE,
            json!({ "i": with(wo.clone(), "title", json!(long_text)) }),
            &["input.title", "at most 200 characters"],
        ),
        case(
            "a 200 KB password",
            user_m,
            json!({"i": {"username": "huge", "password": format!("A1{}", "x".repeat(200_000)),
                          "role": "VENDOR", "vendorId": w.one.vendor}}),
            &["input.password", "at most"],
        ),
        case(
            "100,000 affected system ids",
            fault_m,
            json!({ "i": fault }),
            &["input.affectedSystemIds", "at most"],
        ),
        case(
            "100,000 lines of notice basis",
            notice_m,
            json!({"i": {"regionId": w.one.region, "vendorId": w.one.vendor, "reason": "r",
                          "basis": vec!["x"; 100_000]}}),
            &["input.basis", "at most"],
        ),
        case(
            "nesting deeper than 12",
            &deep_query(&w.one.agency, 20),
            json!({}),
            &["nested too deep"],
        ),
        case(
            "3,000 aliases (complexity over 5,000)",
            &format!("{{ {aliases} }}"),
            json!({}),
            &["too complex"],
        ),
        case(
            "an unknown field",
            "{ regions { total passwordHash } }",
            json!({}),
            &["Unknown field", "passwordHash"],
        ),
        case(
            "an unknown argument",
            "{ regions(where: \"1=1\") { total } }",
            json!({}),
            &["Unknown argument", "where"],
        ),
        case(
            "an unknown input field",
            WO_CREATE,
            json!({ "i": with(wo.clone(), "recordedBy", json!("1")) }),
            &["recordedBy"],
        ),
        case(
            "a date that does not exist",
            WO_CREATE,
            json!({ "i": with(wo.clone(), "approvedAt", json!("2025-02-30T09:00:00+08:00")) }),
            &["i.approvedAt", "2025-02-30"],
        ),
        case(
            "a month 13 in a filter",
            "{ workOrders(filter: { period: \"2025-13\" }) { total } }",
            json!({}),
            &["period", "2025-13"],
        ),
        case(
            "a month 00 for a run",
            "mutation($r: ID!) { runMonthlyAssessment(regionId: $r, period: \"2025-00\") { id } }",
            json!({ "r": w.one.region }),
            &["period", "2025-00"],
        ),
        case(
            "a negative offset",
            "{ workOrders(offset: -1) { total } }",
            json!({}),
            &["offset", "negative"],
        ),
        case(
            "a limit of 100,000",
            "{ workOrders(limit: 100000) { total } }",
            json!({}),
            &["limit"],
        ),
    ];
    // Ids that are no ids: each is named as the bad argument it is.
    for (name, bad) in [
        ("a negative id", "-1"),
        ("a zero id", "0"),
        ("an id over i64", "99999999999999999999"),
        ("an id with SQL in it", "1 OR 1=1"),
    ] {
        cases.push(case(
            name,
            "mutation($id: ID!) { deleteWorkOrder(id: $id) }",
            json!({ "id": bad }),
            &["id", "not a valid id"],
        ));
        cases.push(case(
            name,
            WO_CREATE,
            json!({ "i": with(wo.clone(), "vendorId", json!(bad)) }),
            &["input.vendorId", "not a valid id"],
        ));
    }
    cases
}

#[tokio::test]
async fn malformed_and_oversized_requests_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let before = snapshot(&app).await;
    // Every case is tried and every miss reported together.
    let mut misses = Vec::new();
    for c in malformed_cases(&w) {
        let (status, body) = post_raw(&app, Some(&w.admin), c.content_type, c.body).await;
        let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
            let (code, message) = first_error(&body);
            if code != "PAYLOAD_TOO_LARGE" {
                misses.push(format!("{}: not a PAYLOAD_TOO_LARGE: {body}", c.name));
            }
            message
        } else {
            let (code, message) = first_error(&body);
            if code != "BAD_USER_INPUT" || !body["data"].is_null() {
                misses.push(format!(
                    "{}: not a BAD_USER_INPUT without data: {body}",
                    c.name
                ));
            }
            message
        };
        if status != c.status {
            misses.push(format!(
                "{}: status {status}, not {}: {body}",
                c.name, c.status
            ));
        }
        for part in &c.message_has {
            if !message.contains(part) {
                misses.push(format!(
                    "{}: message {message:?} does not say {part:?}",
                    c.name
                ));
            }
        }
        assert_alive(&app, c.name).await;
    }
    assert!(misses.is_empty(), "{}", misses.join("\n"));
    assert_eq!(
        changed(&before, &snapshot(&app).await),
        Vec::<String>::new()
    );
}

/// SQL and script in text fields are data: stored and returned exactly, as
/// JSON (never as HTML), and the tables they name are still there.
#[tokio::test]
async fn sql_and_script_in_text_fields_are_stored_verbatim_and_harmless() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let hostile = [
        "'; DROP TABLE work_orders; --",
        "\"); DELETE FROM users; --",
        "1' OR '1'='1",
        "<script>alert(document.cookie)</script>",
        "<img src=x onerror=alert(1)>&amp;",
        "{{7*7}} ${7*7} \\u0000 %s%n",
    ];
    for text in hostile {
        let created = app
            .must(
                &w.admin,
                WO_CREATE,
                json!({ "i": with(work_order(&w), "title", json!(text)) }),
            )
            .await;
        let id = created["createWorkOrder"]["id"].as_str().unwrap();
        assert_eq!(created["createWorkOrder"]["title"], text);
        // Read back raw: a JSON answer whose decoded title is exactly the text.
        let resp = app
            .client
            .post(format!("{}/graphql", app.base))
            .bearer_auth(&w.admin)
            .json(
                &json!({ "query": "query($id: ID!) { workOrder(id: $id) { title } }",
                           "variables": { "id": id } }),
            )
            .send()
            .await
            .unwrap();
        let content_type = resp.headers()["content-type"].to_str().unwrap().to_owned();
        assert!(
            content_type.starts_with("application/json")
                || content_type.starts_with("application/graphql-response+json"),
            "{content_type}"
        );
        let body: Value = resp.json().await.unwrap();
        assert_eq!(body["data"]["workOrder"]["title"], text);
    }
    // A NUL character is refused by name (PostgreSQL cannot store it in
    // text): in the variables at the edge, and in an inline literal by the
    // field's rule.
    let (status, body) = post_raw(
        &app,
        Some(&w.admin),
        Some("application/json"),
        gql_body(
            WO_CREATE,
            json!({ "i": with(work_order(&w), "title", json!("a\u{0}b")) }),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(
        first_error(&body),
        (
            "BAD_USER_INPUT".to_owned(),
            "i.title: must not contain the NUL character (U+0000)".to_owned()
        )
    );
    let inline = format!(
        "mutation {{ createWorkOrder(input: {{ regionId: \"{}\", vendorId: \"{}\", title: \"a\\u0000b\", approvedAt: \"2025-03-03T09:00:00+08:00\", confirmed: true, vendorLiable: true }}) {{ id }} }}",
        w.one.region, w.one.vendor
    );
    let nul = app.gql(Some(&w.admin), &inline, json!({})).await;
    assert_eq!(
        nul.error(),
        (
            "BAD_USER_INPUT".to_owned(),
            "input.title: must not contain the NUL character (U+0000)".to_owned()
        ),
        "{}",
        nul.0
    );
    // Every other literal too, refused at the edge by its argument path before
    // it reaches a query (PostgreSQL would fail on it: it was INTERNAL there).
    for (query, path) in [
        (
            "mutation { login(username: \"ad\\u0000min\", password: \"x\") { token } }",
            "username",
        ),
        (
            "{ workOrders(filter: { period: \"2025-0\\u00003\" }) { total } }",
            "filter.period",
        ),
        ("{ workOrder(id: \"1\\u0000\") { id } }", "id"),
    ] {
        let nul = app.gql(Some(&w.admin), query, json!({})).await;
        assert_eq!(
            nul.error(),
            (
                "BAD_USER_INPUT".to_owned(),
                format!("{path}: must not contain the NUL character (U+0000)")
            ),
            "{query}"
        );
    }
    // SQL in the login name is just a wrong name.
    let login = app
        .gql(
            None,
            "mutation { login(username: \"admin' OR '1'='1\", password: \"x' OR '1'='1\") { token } }",
            json!({}),
        )
        .await;
    assert_eq!(login.error().0, "UNAUTHENTICATED");
    // The world's one work order per side + the six hostile ones: the table
    // is there and complete, and every user still is.
    let totals = app
        .must(
            &w.admin,
            "{ workOrders { total } users { total } }",
            json!({}),
        )
        .await;
    assert_eq!(totals["workOrders"]["total"], 2 + hostile.len());
    assert_eq!(
        totals["users"]["total"], 4,
        "the admin and the world's three"
    );
    assert_alive(&app, "hostile text").await;
}

// ---------------------------------------------------------------------------
// Tokens

fn b64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

fn sign(claims: &Value, secret: &str, alg: jsonwebtoken::Algorithm) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(alg),
        claims,
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

/// The claims the server issues for `user_id` (see `api::auth::token`).
async fn claims_of(app: &TestApp, username: &str, expires_in_seconds: i64) -> Value {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let db = Database::connect(&app.database_url).await.unwrap();
    let user = entities::user::Entity::find()
        .filter(entities::user::Column::Username.eq(username))
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    let now = chrono::Utc::now().timestamp();
    json!({ "sub": user.id.to_string(), "iat": now - 60, "exp": now + expires_in_seconds,
            "pwd": user.password_changed_at.timestamp_millis() })
}

#[tokio::test]
async fn forged_expired_and_foreign_tokens_are_unauthenticated() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let secret = app.config.jwt_secret.as_ref().unwrap().expose().to_owned();
    let admin = claims_of(&app, "admin", 600).await;
    // The control: a token made here with the server's secret works, so each
    // refusal below is for its one defect.
    let control = sign(&admin, &secret, jsonwebtoken::Algorithm::HS256);
    assert_eq!(
        app.must(&control, "{ me { username } }", json!({})).await["me"]["username"],
        "admin"
    );

    // A user who is disabled, and one who is deleted, after signing in.
    let user_m = "mutation($i: CreateUserInput!) { createUser(input: $i) { id } }";
    let mut doomed = Vec::new();
    for name in ["to-disable", "to-delete"] {
        let created = app
            .must(
                &w.admin,
                user_m,
                json!({"i": {"username": name, "password": "Doomed-pass-1", "role": "VENDOR",
                             "vendorId": w.one.vendor}}),
            )
            .await;
        doomed.push((
            created["createUser"]["id"].as_str().unwrap().to_owned(),
            app.login(name, "Doomed-pass-1").await,
        ));
    }
    app.must(
        &w.admin,
        "mutation($id: ID!) { updateUser(id: $id, input: { disabled: true }) { id } }",
        json!({ "id": doomed[0].0 }),
    )
    .await;
    app.must(
        &w.admin,
        "mutation($id: ID!) { deleteUser(id: $id) }",
        json!({ "id": doomed[1].0 }),
    )
    .await;

    let unsigned = format!(
        "{}.{}.",
        b64url(br#"{"alg":"none","typ":"JWT"}"#),
        b64url(admin.to_string().as_bytes())
    );
    let mut expired = claims_of(&app, "admin", -1).await;
    expired["iat"] = json!(chrono::Utc::now().timestamp() - 7200);
    let mut other_user = admin.clone();
    other_user["sub"] = json!("999999");
    let tokens: Vec<(&str, String)> = vec![
        ("random bytes", "c2VjcmV0.bm90.YXRva2Vu".to_owned()),
        ("not even three parts", "Bearer-me-in".to_owned()),
        (
            "signed with another secret",
            sign(
                &admin,
                "another-secret-another-secret-0123",
                jsonwebtoken::Algorithm::HS256,
            ),
        ),
        ("alg: none, no signature", unsigned),
        (
            "HS512 with the right secret (the algorithm is pinned)",
            sign(&admin, &secret, jsonwebtoken::Algorithm::HS512),
        ),
        (
            "expired a second ago",
            sign(&expired, &secret, jsonwebtoken::Algorithm::HS256),
        ),
        (
            "for a user that never existed",
            sign(&other_user, &secret, jsonwebtoken::Algorithm::HS256),
        ),
        ("of a disabled user", doomed[0].1.clone()),
        ("of a deleted user", doomed[1].1.clone()),
    ];
    let before = snapshot(&app).await;
    for (name, token) in &tokens {
        for query in [
            "{ me { username } }",
            "mutation { createRegion(input: { code: \"X\", name: \"X\", schemeCode: \"sh-municipal\" }) { id } }",
        ] {
            let answer = app.gql(Some(token), query, json!({})).await;
            let (code, message) = answer.error();
            assert_eq!(code, "UNAUTHENTICATED", "{name}: {}", answer.0);
            assert_eq!(message, "sign in first", "{name}");
        }
        assert_alive(&app, name).await;
    }
    assert_eq!(
        changed(&before, &snapshot(&app).await),
        Vec::<String>::new()
    );
}

/// Side two's ids used by side one's vendor and supervisor: reads and writes
/// answer NOT_FOUND (the records' existence is not given away) and nothing
/// changes.
#[tokio::test]
async fn another_vendors_ids_are_not_found_in_reads_and_writes() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let notice = app
        .must(
            &w.admin,
            "mutation($i: CreateNoticeInput!) { createNotice(input: $i) { id } }",
            json!({"i": {"regionId": w.two.region, "vendorId": w.two.vendor, "reason": "整改", "basis": []}}),
        )
        .await["createNotice"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let their = |list: &str| {
        w.two
            .facts
            .iter()
            .find(|(l, _)| *l == list)
            .map(|(_, id)| id.clone())
            .unwrap()
    };
    let cases: Vec<(&str, &String, String, Value)> = vec![
        (
            "the vendor reads their work order",
            &w.vendor,
            "query($id: ID!) { workOrder(id: $id) { title } }".into(),
            json!({ "id": their("workOrders") }),
        ),
        (
            "the vendor reads their vendor record",
            &w.vendor,
            "query($id: ID!) { vendor(id: $id) { name } }".into(),
            json!({ "id": w.two.vendor }),
        ),
        (
            "the vendor reads their system",
            &w.vendor,
            "query($id: ID!) { informationSystem(id: $id) { name } }".into(),
            json!({ "id": w.two.system }),
        ),
        (
            "the vendor acknowledges their notice",
            &w.vendor,
            "mutation($id: ID!) { acknowledgeNotice(id: $id) { id } }".into(),
            json!({ "id": notice }),
        ),
        (
            "the vendor submits a rectification of their notice",
            &w.vendor,
            "mutation($id: ID!) { submitRectification(id: $id, rectification: \"done\") { id } }"
                .into(),
            json!({ "id": notice }),
        ),
        (
            "R1's supervisor updates R2's work order",
            &w.supervisor,
            "mutation($id: ID!) { updateWorkOrder(id: $id, input: { title: \"mine\" }) { id } }"
                .into(),
            json!({ "id": their("workOrders") }),
        ),
        (
            "R1's supervisor deletes R2's fault",
            &w.supervisor,
            "mutation($id: ID!) { deleteFault(id: $id) }".into(),
            json!({ "id": their("faults") }),
        ),
        (
            "R1's supervisor reopens R2's notice",
            &w.supervisor,
            "mutation($id: ID!) { reopenNotice(id: $id) { id } }".into(),
            json!({ "id": notice }),
        ),
    ];
    let before = snapshot(&app).await;
    for (name, token, query, variables) in cases {
        let answer = app.gql(Some(token), &query, variables).await;
        let (code, message) = answer.error();
        assert_eq!(code, "NOT_FOUND", "{name}: {}", answer.0);
        assert!(message.ends_with("not found"), "{name}: {message}");
        assert_alive(&app, name).await;
    }
    assert_eq!(
        changed(&before, &snapshot(&app).await),
        Vec::<String>::new()
    );
    app.deliver_pending_mail().await;
}

/// Policy: a reference to another region's agency or system answers exactly
/// like a reference to one that does not exist, so R1's supervisor cannot
/// learn which ids R2 holds.
#[tokio::test]
async fn another_regions_agency_or_system_answers_like_a_missing_one() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let missing = "999999";
    for (field, theirs) in [("agencyId", &w.two.agency), ("systemId", &w.two.system)] {
        let answer = |id: &str| {
            let input = with(work_order(&w), field, json!(id));
            let app = &app;
            let token = w.supervisor.clone();
            async move {
                app.gql(Some(&token), WO_CREATE, json!({ "i": input }))
                    .await
                    .error()
            }
        };
        let (code, of_theirs) = answer(theirs).await;
        let (missing_code, of_missing) = answer(missing).await;
        assert_eq!(code, "BAD_USER_INPUT");
        assert_eq!(missing_code, code);
        assert_eq!(
            of_theirs.replace(theirs.as_str(), "N"),
            of_missing.replace(missing, "N"),
            "{field}"
        );
    }
}

/// Policy: a vendor sees the complaints and survey responses about it with the
/// agency's name, but never the person who complained or answered (nor the
/// user who recorded it); the supervisor sees both.
#[tokio::test]
async fn a_vendor_sees_the_agency_but_not_the_person_behind_complaints_and_surveys() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let query = "{ complaints { items { recordedById agencyName } }
        surveyResponses { items { respondentName respondentUnit respondentPhone recordedById agencyName } } }";
    let vendor = app.must(&w.vendor, query, json!({})).await;
    let complaint = &vendor["complaints"]["items"][0];
    assert_eq!(complaint["agencyName"], "单位1");
    assert_eq!(complaint["recordedById"], Value::Null);
    let survey = &vendor["surveyResponses"]["items"][0];
    assert_eq!(survey["agencyName"], "单位1");
    for hidden in ["respondentName", "respondentPhone", "recordedById"] {
        assert_eq!(survey[hidden], Value::Null, "{hidden}: {survey}");
    }
    let supervisor = app.must(&w.supervisor, query, json!({})).await;
    let survey = &supervisor["surveyResponses"]["items"][0];
    for shown in ["respondentName", "respondentPhone", "recordedById"] {
        assert!(survey[shown].is_string(), "{shown}: {survey}");
    }
    assert!(supervisor["complaints"]["items"][0]["recordedById"].is_string());
}

/// Implausible values are refused with the field named, each as
/// BAD_USER_INPUT, and nothing is written: instants outside 2000–2100, a
/// deadline more than two years after the risk was found, an outage longer
/// than a year, a region made its own ancestor, two addresses in one contact
/// entry, decimals that are no decimals (NaN, 1e30, forty digits), negative
/// counts in `gradeFault` and a date that does not exist in `loadCalendarYear`.
#[tokio::test]
async fn implausible_values_are_refused_with_the_field_named() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let (r, v, r2) = (&w.one.region, &w.one.vendor, &w.two.region);
    // R2 under R1 first: R1 under R2 would then make R1 its own ancestor.
    app.must(
        &w.admin,
        "mutation($id: ID!, $p: ID!) { updateRegion(id: $id, input: { parentId: $p }) { id } }",
        json!({"id": r2, "p": r}),
    )
    .await;
    let contract = |amount: &str| {
        format!(
            r#"mutation {{ createContract(input: {{ vendorId: "{v}", regionId: "{r}", serviceYear: 2026, settlementAmount: "{amount}", monthlyFee: "1" }}) {{ id }} }}"#
        )
    };
    let cases = [
        (format!(r#"mutation {{ createWorkOrder(input: {{ regionId: "{r}", vendorId: "{v}", title: "x", approvedAt: "1970-01-01T00:00:00+08:00", confirmed: true, vendorLiable: true }}) {{ id }} }}"#), "input.approvedAt:"),
        (format!(r#"mutation {{ createWorkOrder(input: {{ regionId: "{r}", vendorId: "{v}", title: "x", approvedAt: "2999-01-01T00:00:00+08:00", confirmed: true, vendorLiable: true }}) {{ id }} }}"#), "input.approvedAt:"),
        // Found 2025-03-11: a deadline of 2030 is five years on.
        (format!(r#"mutation {{ createSecurityRisk(input: {{ regionId: "{r}", vendorId: "{v}", kind: VULNERABILITY, description: "x", foundAt: "2025-03-11T10:00:00+08:00", deadline: "2030-04-10", confirmed: true, vendorLiable: true }}) {{ id }} }}"#), "input.deadline:"),
        // 6 March 2025 to 6 June 2026: 457 days.
        (format!(r#"mutation {{ createOutage(input: {{ regionId: "{r}", vendorId: "{v}", service: "ECS", description: "x", startedAt: "2025-03-06T01:00:00+08:00", endedAt: "2026-06-06T01:10:00+08:00", confirmed: true, vendorLiable: true }}) {{ id }} }}"#), "input.endedAt:"),
        (format!(r#"mutation {{ updateRegion(id: "{r}", input: {{ parentId: "{r2}" }}) {{ id }} }}"#), "input.parentId:"),
        (r#"mutation { createVendor(input: { code: "VX", name: "x", contactEmails: ["x@evil.cn,victim@gov.cn"] }) { id } }"#.to_owned(), "input.contactEmails"),
        (contract("NaN"), "input.settlementAmount:"),
        (contract("1e30"), "input.settlementAmount:"),
        (contract("1234567890123456789012345678901234567890"), "input.settlementAmount:"),
        (r#"{ gradeFault(input: { affectedSystems: -1, platformSystems: 10, impact: UNUSABLE, durationMinutes: 10 }) { level } }"#.to_owned(), "input.affectedSystems:"),
        (r#"{ gradeFault(input: { affectedSystems: 1, platformSystems: 10, impact: UNUSABLE, durationMinutes: -10 }) { level } }"#.to_owned(), "input.durationMinutes:"),
        (r#"mutation { loadCalendarYear(input: { year: 2027, holidays: ["2027-02-30"], makeupWorkdays: [] }) { year } }"#.to_owned(), "input.holidays[0]:"),
    ];
    let before = snapshot(&app).await;
    for (query, field) in &cases {
        let (code, message) = app.gql(Some(&w.admin), query, json!({})).await.error();
        assert_eq!(code, "BAD_USER_INPUT", "{query}: {message}");
        assert!(message.starts_with(field), "{query}: {message}");
    }
    assert_eq!(snapshot(&app).await, before, "nothing was written");
}
