//! Several instances on one database (issue 17, item 5; `compose.yaml` runs
//! two): a token revoked through one instance stops working on every
//! instance within a second, whatever either keeps in memory.

use std::time::{Duration, Instant};

use e2e::{TestApp, spawn_app, spawn_with};
use serde_json::json;

/// How soon a revocation must reach every instance (issue 17, item 5).
const WITHIN: Duration = Duration::from_secs(1);

const CREATE_USER: &str = "mutation($u: String!) { createUser(input: { username: $u, password: \"Ops-pass-2026\", role: ADMIN }) { id } }";

/// The first instance (owning the database) and a second one started on it.
async fn two_instances() -> (TestApp, TestApp) {
    let first = spawn_app().await;
    let second = spawn_with(first.config.clone(), None).await;
    (first, second)
}

async fn accepted(app: &TestApp, token: &str) -> bool {
    let answer = app.gql(Some(token), "{ me { username } }", json!({})).await;
    match answer.errors().first() {
        None => true,
        Some(e) => {
            assert_eq!(e["extensions"]["code"], "UNAUTHENTICATED", "{}", answer.0);
            false
        }
    }
}

/// Asks both instances until both refuse the token; fails if that takes
/// longer than [`WITHIN`] from `since`.
async fn refused_by_both_within_a_second(apps: [&TestApp; 2], token: &str, since: Instant) {
    loop {
        let mut accepting = Vec::new();
        for (n, app) in apps.iter().enumerate() {
            if accepted(app, token).await {
                accepting.push(n + 1);
            }
        }
        if accepting.is_empty() {
            return;
        }
        assert!(
            since.elapsed() < WITHIN,
            "instance(s) {accepting:?} still accept the token {:?} after the revocation",
            since.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A user "ops" created through `app`, signed in on `app`: its id and token,
/// accepted by both instances.
async fn signed_in_ops(app: &TestApp, other: &TestApp, admin: &str) -> (String, String) {
    let id = app.must(admin, CREATE_USER, json!({"u": "ops"})).await["createUser"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let token = app.login("ops", "Ops-pass-2026").await;
    assert!(accepted(app, &token).await && accepted(other, &token).await);
    (id, token)
}

#[tokio::test]
async fn a_user_disabled_through_one_instance_loses_its_tokens_on_both_within_a_second() {
    let (first, second) = two_instances().await;
    let admin = first.admin().await;
    let (id, token) = signed_in_ops(&first, &second, &admin).await;

    let disable =
        "mutation($id: ID!) { updateUser(id: $id, input: { disabled: true }) { disabled } }";
    let since = Instant::now();
    second.must(&admin, disable, json!({"id": id})).await;
    refused_by_both_within_a_second([&first, &second], &token, since).await;
    // The administrator's own token, issued on the same instance, still works
    // on both: only the disabled user's tokens went.
    assert!(accepted(&first, &admin).await && accepted(&second, &admin).await);
}

#[tokio::test]
async fn a_password_changed_through_one_instance_ends_the_old_tokens_on_both_within_a_second() {
    let (first, second) = two_instances().await;
    let admin = second.admin().await;
    let (id, token) = signed_in_ops(&second, &first, &admin).await;

    let change =
        "mutation($id: ID!) { updateUser(id: $id, input: { password: \"Ops-pass-2027\" }) { id } }";
    let since = Instant::now();
    first.must(&admin, change, json!({"id": id})).await;
    refused_by_both_within_a_second([&first, &second], &token, since).await;
    // A token for the new password works on both.
    let fresh = second.login("ops", "Ops-pass-2027").await;
    assert!(accepted(&first, &fresh).await && accepted(&second, &fresh).await);
}
