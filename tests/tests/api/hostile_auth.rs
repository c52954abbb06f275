//! Hostile sign-ins and the HTTP edge (issue 11, items 1, 2, 5, 8 and 12):
//! password guessing through `changePassword`, many sign-ins in one request,
//! argon2 starving the server, tokens revived by re-enabling a user, the
//! security headers, request ids that enter the audit trail, the 413's shape,
//! and the login throttle behind a load balancer.

use std::time::{Duration, Instant};

use e2e::{ADMIN_PASSWORD, ADMIN_USERNAME, TestApp, spawn_app, spawn_app_with};
use reqwest::StatusCode;
use serde_json::{Value, json};

const LOGIN: &str =
    "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }";
const CHANGE: &str = "mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) { token } }";
const OPS: (&str, &str) = ("ops", "Ops-pass-2026");

/// Creates the ADMIN user `ops` and returns its id.
async fn create_ops(app: &TestApp, admin: &str) -> String {
    let create = "mutation($u: String!, $p: String!) { createUser(input: { username: $u, password: $p, role: ADMIN }) { id } }";
    app.must(admin, create, json!({"u": OPS.0, "p": OPS.1}))
        .await["createUser"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// A GraphQL POST with extra headers: the status, the headers and the JSON body.
async fn post(
    app: &TestApp,
    headers: &[(&str, &str)],
    query: &str,
    variables: Value,
) -> (StatusCode, reqwest::header::HeaderMap, Value) {
    let mut req = app
        .client
        .post(format!("{}/graphql", app.base))
        .json(&json!({ "query": query, "variables": variables }));
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    let resp = req.send().await.expect("the server answers");
    let (status, headers) = (resp.status(), resp.headers().clone());
    (status, headers, resp.json().await.expect("a JSON answer"))
}

/// The first error's code of a GraphQL answer, or the HTTP status of another.
async fn code_of(resp: reqwest::Response) -> String {
    let status = resp.status();
    match resp.json::<Value>().await {
        Ok(body) => first_error(&body).0,
        Err(_) => format!("HTTP {status}"),
    }
}

fn first_error(body: &Value) -> (String, String) {
    let e = &body["errors"][0];
    (
        e["extensions"]["code"].as_str().unwrap_or("").to_owned(),
        e["message"].as_str().unwrap_or("").to_owned(),
    )
}

/// Item 1: a wrong current password given to `changePassword` is a failed
/// sign-in. Five of them lock the username: then even the right current
/// password is refused there, and `login` with the right password too.
#[tokio::test]
async fn change_password_guesses_count_against_the_login_throttle() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    create_ops(&app, &admin).await;
    let token = app.login(OPS.0, OPS.1).await;
    for n in 0..5 {
        let guess = app
            .gql(
                Some(&token),
                CHANGE,
                json!({"c": format!("Guess-pass-{n}"), "n": "Brand-new-pass-1"}),
            )
            .await;
        assert_eq!(
            guess.error(),
            (
                "BAD_USER_INPUT".to_owned(),
                "currentPassword: is not the current password".to_owned()
            )
        );
    }
    let right = app
        .gql(
            Some(&token),
            CHANGE,
            json!({"c": OPS.1, "n": "Brand-new-pass-1"}),
        )
        .await;
    assert_eq!(
        right.error().1,
        "currentPassword: is not the current password",
        "the sixth attempt, with the right password, is refused like a wrong one"
    );
    let login = app.gql(None, LOGIN, json!({"u": OPS.0, "p": OPS.1})).await;
    assert_eq!(
        login.error(),
        (
            "UNAUTHENTICATED".to_owned(),
            "invalid username or password".to_owned()
        )
    );
    // The password did not change, and the administrator is not affected.
    assert!(app.must(&token, "{ me { username } }", json!({})).await["me"]["username"] == "ops");
    app.admin().await;
}

/// Item 2: a request with more than one `login` or `changePassword` (aliases,
/// fragments) is refused as a whole before any password is checked, with
/// BAD_USER_INPUT naming the field; none of its guesses counts or runs.
#[tokio::test]
async fn a_request_carries_at_most_one_sign_in() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    create_ops(&app, &admin).await;
    let token = app.login(OPS.0, OPS.1).await;

    let guesses: String = (0..41)
        .map(|n| {
            format!(
                "g{n}: changePassword(currentPassword: \"Guess-pass-{n}\", newPassword: \"Brand-new-pass-1\") {{ token }} "
            )
        })
        .collect();
    let logins: String = (0..2)
        .map(|n| {
            format!("l{n}: login(username: \"ops\", password: \"Guess-pass-{n}\") {{ token }} ")
        })
        .collect();
    for (query, field, with_token) in [
        (format!("mutation {{ {guesses} }}"), "changePassword", true),
        (format!("mutation {{ {logins} }}"), "login", false),
        (
            "mutation { login(username: \"ops\", password: \"Guess-pass-1\") { token } changePassword(currentPassword: \"x\", newPassword: \"y\") { token } }".to_owned(),
            "changePassword",
            true,
        ),
        (
            "mutation { ...F ...F } fragment F on Mutation { login(username: \"ops\", password: \"Guess-pass-1\") { token } }".to_owned(),
            "login",
            false,
        ),
    ] {
        let answer = app
            .gql(with_token.then_some(token.as_str()), &query, json!({}))
            .await;
        let (code, message) = answer.error();
        assert_eq!(code, "BAD_USER_INPUT", "{}", answer.0);
        assert!(
            message.starts_with(&format!("{field}: at most one login or changePassword")),
            "{message}"
        );
        assert!(answer.data().is_null(), "nothing ran: {}", answer.0);
    }
    // Not one of the 46 guesses counted: the username is not locked, the
    // password is unchanged.
    app.login(OPS.0, OPS.1).await;
    app.must(&token, "{ me { id } }", json!({})).await;
}

/// Item 2: argon2 runs off the async workers, at most one per core. Three
/// requests of 300 aliased logins (refused up front) and 30 single logins at
/// once (hashed in the bounded pool) leave `/healthz` answering promptly. The
/// test runs the server on a one-thread runtime: any hashing on that thread
/// would stall every sample for seconds.
#[tokio::test(flavor = "current_thread")]
async fn sign_ins_in_bulk_do_not_stall_the_server() {
    let app = spawn_app().await;
    let aliased: String = (0..300)
        .map(|n| {
            format!("l{n}: login(username: \"admin\", password: \"Guess-pass-{n}\") {{ token }} ")
        })
        .collect();
    let aliased = format!("mutation {{ {aliased} }}");
    let mut load = tokio::task::JoinSet::new();
    for _ in 0..3 {
        let (base, query) = (app.base.clone(), aliased.clone());
        load.spawn(async move {
            let resp = reqwest::Client::new()
                .post(format!("{base}/graphql"))
                .json(&json!({ "query": query }))
                .send()
                .await
                .expect("the server answers");
            code_of(resp).await
        });
    }
    for n in 0..30 {
        let base = app.base.clone();
        load.spawn(async move {
            let resp = reqwest::Client::new()
                .post(format!("{base}/graphql"))
                .json(&json!({ "query": LOGIN, "variables": {"u": format!("user{n}"), "p": "Guess-pass-1"} }))
                .send()
                .await
                .expect("the server answers");
            code_of(resp).await
        });
    }
    let health = reqwest::Client::new();
    let mut latencies = Vec::new();
    let mut codes = Vec::new();
    while latencies.len() < 5 || (!load.is_empty() && latencies.len() < 40) {
        let started = Instant::now();
        let resp = health
            .get(format!("{}/healthz", app.base))
            .send()
            .await
            .expect("healthz answers");
        assert_eq!(resp.status(), StatusCode::OK);
        latencies.push(started.elapsed());
        while let Some(done) = load.try_join_next() {
            codes.push(done.expect("the task ran"));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    codes.extend(load.join_all().await);
    latencies.sort();
    let median = latencies[latencies.len() / 2];
    let slowest = latencies[latencies.len() - 1];
    assert!(
        median < Duration::from_millis(500) && slowest < Duration::from_millis(1500),
        "/healthz took {latencies:?} while signing in"
    );
    codes.sort();
    let refused = codes.iter().filter(|c| *c == "BAD_USER_INPUT").count();
    let failed = codes.iter().filter(|c| *c == "UNAUTHENTICATED").count();
    assert_eq!((refused, failed), (3, 30), "{codes:?}");
}

/// Item 5: disabling a user kills its tokens for good; enabling it again
/// revives none of them (only a new sign-in gives a working token).
#[tokio::test]
async fn tokens_from_before_a_disable_stay_dead_after_re_enabling() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let id = create_ops(&app, &admin).await;
    let set = "mutation($id: ID!, $d: Boolean!) { updateUser(id: $id, input: { disabled: $d }) { disabled } }";
    let before = app.login(OPS.0, OPS.1).await;
    app.must(&admin, set, json!({"id": id, "d": true})).await;
    app.must(&admin, set, json!({"id": id, "d": false})).await;
    let me = |token: String| {
        let app = &app;
        async move {
            app.gql(Some(&token), "{ me { username } }", json!({}))
                .await
        }
    };
    assert_eq!(me(before.clone()).await.error().0, "UNAUTHENTICATED");
    let after = app.login(OPS.0, OPS.1).await;
    assert_eq!(me(after.clone()).await.ok()["me"]["username"], "ops");
    // Again: the second disable kills the second token too.
    app.must(&admin, set, json!({"id": id, "d": true})).await;
    app.must(&admin, set, json!({"id": id, "d": false})).await;
    assert_eq!(me(after).await.error().0, "UNAUTHENTICATED");
    assert_eq!(me(before).await.error().0, "UNAUTHENTICATED");
    app.login(OPS.0, OPS.1).await;
}

/// Item 8: every answer says `nosniff`; the API's answers are never stored by
/// a cache, refusals before GraphQL and the limits' answers included (the
/// GraphiQL page and its pinned files say how long they may be cached).
#[tokio::test]
async fn every_answer_is_nosniff_and_api_answers_are_not_stored() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let url = |path: &str| format!("{}{path}", app.base);
    // (what, request, an API answer: must say no-store)
    let answers = vec![
        (
            "POST /graphql",
            app.client
                .post(url("/graphql"))
                .bearer_auth(&admin)
                .json(&json!({"query": "{ me { id } }"})),
            true,
        ),
        (
            "POST /graphql refused",
            app.client
                .post(url("/graphql"))
                .header("Content-Type", "text/plain")
                .body("{}"),
            true,
        ),
        (
            "POST /graphql too large",
            app.client
                .post(url("/graphql"))
                .header("Content-Type", "application/json")
                .body(vec![b' '; 2 << 20]),
            true,
        ),
        ("GET /graphql", app.client.get(url("/graphql")), false),
        (
            "GET /graphiql/init.js",
            app.client.get(url("/graphiql/init.js")),
            false,
        ),
        ("GET /healthz", app.client.get(url("/healthz")), true),
        ("GET /readyz", app.client.get(url("/readyz")), true),
        ("GET /metrics", app.client.get(url("/metrics")), true),
        (
            "GET /schema.graphql",
            app.client.get(url("/schema.graphql")),
            true,
        ),
        ("GET /nowhere", app.client.get(url("/nowhere")), true),
    ];
    let mut misses = Vec::new();
    for (name, req, is_api) in answers {
        let resp = req.send().await.expect("the server answers");
        let header = |h: &str| {
            resp.headers()
                .get(h)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_owned()
        };
        if header("x-content-type-options") != "nosniff" {
            misses.push(format!("{name}: no nosniff"));
        }
        if is_api && header("cache-control") != "no-store" {
            misses.push(format!(
                "{name}: cache-control {:?}",
                header("cache-control")
            ));
        }
    }
    assert!(misses.is_empty(), "{}", misses.join("\n"));
}

/// Item 8: every HTML page (GraphiQL at GET /graphql) carries the
/// Content-Security-Policy stated in SECURITY.md; JSON answers need none.
#[tokio::test]
async fn every_html_page_carries_the_content_security_policy() {
    let app = spawn_app().await;
    let resp = app
        .client
        .get(format!("{}/graphql", app.base))
        .header("Accept", "text/html")
        .send()
        .await
        .unwrap();
    let content_type = resp.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(content_type.starts_with("text/html"), "{content_type}");
    assert_eq!(
        resp.headers()
            .get("content-security-policy")
            .map(|v| v.to_str().unwrap()),
        Some(api::edge::CONTENT_SECURITY_POLICY)
    );
    assert_eq!(
        api::edge::CONTENT_SECURITY_POLICY,
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'"
    );
}

/// Item 8: `bearer`, `BEARER` and `Bearer` are the same scheme (RFC 9110), for
/// GraphQL as for `/metrics`.
#[tokio::test]
async fn the_bearer_scheme_is_case_insensitive() {
    let metrics_token = "metrics-token-0123456789";
    let app =
        spawn_app_with(|c| c.http.metrics_token = Some(api::config::Secret::new(metrics_token)))
            .await;
    let token = app.admin().await;
    for scheme in ["Bearer", "bearer", "BEARER", "bEaReR"] {
        let auth = format!("{scheme} {token}");
        let (_, _, body) = post(
            &app,
            &[("Authorization", &auth)],
            "{ me { username } }",
            json!({}),
        )
        .await;
        assert_eq!(body["data"]["me"]["username"], "admin", "{scheme}: {body}");
        let metrics = app
            .client
            .get(format!("{}/metrics", app.base))
            .header("Authorization", format!("{scheme} {metrics_token}"))
            .send()
            .await
            .unwrap();
        assert_eq!(metrics.status(), StatusCode::OK, "{scheme} on /metrics");
    }
    let (_, _, body) = post(
        &app,
        &[("Authorization", &format!("Basic {token}"))],
        "{ me { username } }",
        json!({}),
    )
    .await;
    assert_eq!(first_error(&body).0, "UNAUTHENTICATED");
}

/// Item 8: a client's `x-request-id` enters the logs and the audit trail, so it
/// is kept only when short and plain (1–64 of `A-Z a-z 0-9 . _ -`); anything
/// else is replaced by a generated UUID, in the answer and in the audit entry.
#[tokio::test]
async fn a_client_request_id_is_kept_only_when_short_and_plain() {
    let app = spawn_app().await;
    let longest = "a".repeat(64);
    let too_long = "a".repeat(65);
    let cases: Vec<(&str, bool)> = vec![
        ("lb-7f3a.0001_x", true),
        (&longest, true),
        ("<script>alert(1)</script>", false),
        ("id\"},\"forged\":{\"x\":\"", false),
        ("a:b", false),
        ("with space", false),
        (&too_long, false),
    ];
    let entries =
        "query($f: AuditFilter) { auditEntries(filter: $f, limit: 1) { items { requestId } } }";
    for (id, kept) in cases {
        let (_, headers, body) = post(
            &app,
            &[("x-request-id", id)],
            LOGIN,
            json!({"u": ADMIN_USERNAME, "p": ADMIN_PASSWORD}),
        )
        .await;
        let answered = headers["x-request-id"].to_str().unwrap().to_owned();
        let token = body["data"]["login"]["token"].as_str().unwrap().to_owned();
        let audited = app
            .must(&token, entries, json!({"f": {"operation": "login"}}))
            .await["auditEntries"]["items"][0]["requestId"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_eq!(
            audited, answered,
            "{id:?}: the audit entry has the answer's id"
        );
        if kept {
            assert_eq!(answered, id);
        } else {
            assert_ne!(answered, id, "{id:?} was kept");
            assert_eq!(
                (answered.len(), answered.matches('-').count()),
                (36, 4),
                "{id:?}: replaced by a UUID, got {answered:?}"
            );
        }
    }
}

/// Item 8: a body over the 1 MiB limit is answered 413 in the GraphQL error
/// shape with code PAYLOAD_TOO_LARGE, whether its length was announced
/// (refused before it is read) or it came in chunks (cut off as it streams).
#[tokio::test]
async fn a_body_over_the_limit_is_refused_in_the_graphql_shape() {
    let app = spawn_app().await;
    let big = serde_json::to_vec(
        &json!({"query": "{ me { id } }", "variables": {"x": "x".repeat(2 << 20)}}),
    )
    .unwrap();
    let resp = app
        .client
        .post(format!("{}/graphql", app.base))
        .header("Content-Type", "application/json")
        .header("x-request-id", "big-1")
        .body(big.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(resp.headers()["x-request-id"], "big-1");
    let body: Value = resp.json().await.expect("a JSON answer");
    assert_eq!(
        first_error(&body),
        (
            "PAYLOAD_TOO_LARGE".to_owned(),
            "request body: larger than the limit of 1 MiB".to_owned()
        ),
        "{body}"
    );

    // The same body in chunks, without a length: raw HTTP/1.1.
    let (status, body) = chunked_post(&app, &big).await;
    assert_eq!(status, 413, "{body}");
    assert_eq!(first_error(&body).0, "PAYLOAD_TOO_LARGE", "{body}");
    // Still serving.
    app.admin().await;
}

/// POSTs `body` to /graphql with `Transfer-Encoding: chunked`; the status and
/// the JSON body of the answer.
async fn chunked_post(app: &TestApp, body: &[u8]) -> (u16, Value) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = app.base.trim_start_matches("http://").to_owned();
    let stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let (mut read, mut write) = stream.into_split();
    let head = format!(
        "POST /graphql HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    let chunks: Vec<Vec<u8>> = body
        .chunks(64 * 1024)
        .map(|c| {
            let mut chunk = format!("{:x}\r\n", c.len()).into_bytes();
            chunk.extend_from_slice(c);
            chunk.extend_from_slice(b"\r\n");
            chunk
        })
        .collect();
    // The server may answer and close before it has read everything: write
    // errors are expected then.
    let writer = tokio::spawn(async move {
        write.write_all(head.as_bytes()).await?;
        for chunk in chunks {
            write.write_all(&chunk).await?;
        }
        write.write_all(b"0\r\n\r\n").await?;
        write.flush().await
    });
    let mut raw = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(20), read.read_to_end(&mut raw)).await;
    writer.abort();
    let text = String::from_utf8_lossy(&raw).to_string();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let json = text
        .find("{\"")
        .and_then(|start| {
            let end = text.rfind('}')?;
            serde_json::from_str(&text[start..=end]).ok()
        })
        .unwrap_or(Value::String(text.clone()));
    (status, json)
}

/// Item 12: behind a load balancer (`TRUSTED_PROXY_HEADER=X-Forwarded-For`)
/// the address limit counts the client's address as the balancer wrote it
/// (the header's last entry), not the balancer's: twenty failures from one
/// client lock that client only; addresses a client forges in front do not
/// help it. The audit trail records the same address.
#[tokio::test]
async fn the_address_limit_counts_the_client_named_by_the_trusted_proxy_header() {
    let app = spawn_app_with(|c| {
        c.http.trusted_proxy_header = Some("x-forwarded-for".parse().unwrap());
    })
    .await;
    let attacker = "203.0.113.7";
    for n in 0..20 {
        // Twenty usernames, one failure each: only the address limit applies.
        let (_, _, body) = post(
            &app,
            &[("X-Forwarded-For", attacker)],
            LOGIN,
            json!({"u": format!("user{n}"), "p": "Guess-pass-1"}),
        )
        .await;
        assert_eq!(first_error(&body).0, "UNAUTHENTICATED");
    }
    let right = json!({"u": ADMIN_USERNAME, "p": ADMIN_PASSWORD});
    for forwarded in [attacker.to_owned(), format!("198.51.100.9, {attacker}")] {
        let (_, _, body) = post(
            &app,
            &[("X-Forwarded-For", &forwarded)],
            LOGIN,
            right.clone(),
        )
        .await;
        assert_eq!(
            first_error(&body),
            (
                "UNAUTHENTICATED".to_owned(),
                "invalid username or password".to_owned()
            ),
            "{forwarded}: the locked client is refused"
        );
    }
    // Another client behind the same balancer signs in.
    let (_, _, body) = post(
        &app,
        &[("X-Forwarded-For", &format!("{attacker}, 198.51.100.20"))],
        LOGIN,
        right.clone(),
    )
    .await;
    let token = body["data"]["login"]["token"]
        .as_str()
        .unwrap_or_else(|| panic!("another client signs in: {body}"))
        .to_owned();
    let entries =
        "query($f: AuditFilter) { auditEntries(filter: $f, limit: 1) { items { clientAddr } } }";
    let audited = app
        .must(&token, entries, json!({"f": {"operation": "login"}}))
        .await;
    assert_eq!(
        audited["auditEntries"]["items"][0]["clientAddr"],
        "198.51.100.20"
    );
}

/// Item 12: without `TRUSTED_PROXY_HEADER` forwarded headers are ignored (any
/// client can send them): the peer's address is the one that counts, so
/// varying `X-Forwarded-For` does not dodge the address limit.
#[tokio::test]
async fn without_a_trusted_proxy_header_forwarded_addresses_are_ignored() {
    let app = spawn_app().await;
    for n in 0..20 {
        let forged = format!("198.51.100.{n}");
        let (_, _, body) = post(
            &app,
            &[("X-Forwarded-For", &forged)],
            LOGIN,
            json!({"u": format!("user{n}"), "p": "Guess-pass-1"}),
        )
        .await;
        assert_eq!(first_error(&body).0, "UNAUTHENTICATED");
    }
    let (_, _, body) = post(
        &app,
        &[("X-Forwarded-For", "198.51.100.200")],
        LOGIN,
        json!({"u": ADMIN_USERNAME, "p": ADMIN_PASSWORD}),
    )
    .await;
    assert_eq!(first_error(&body).0, "UNAUTHENTICATED", "{body}");
}
