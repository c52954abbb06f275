//! Signing in and the life of a token.

use e2e::{ADMIN_PASSWORD, ADMIN_USERNAME, spawn_app};
use serde_json::json;

const LOGIN: &str = "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token expiresAt user { username role } } }";

#[tokio::test]
async fn the_configured_admin_signs_in_and_gets_an_expiring_token() {
    let app = spawn_app().await;
    let answer = app
        .gql(
            None,
            LOGIN,
            json!({"u": ADMIN_USERNAME, "p": ADMIN_PASSWORD}),
        )
        .await;
    let login = &answer.ok()["login"];
    assert_eq!(login["user"], json!({"username": "admin", "role": "ADMIN"}));
    assert!(
        login["expiresAt"].as_str().unwrap().ends_with("+08:00"),
        "shown in Asia/Shanghai"
    );
    let token = login["token"].as_str().unwrap();
    assert_eq!(
        app.must(token, "{ me { username } }", json!({})).await["me"]["username"],
        "admin"
    );
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_user_get_the_same_answer() {
    let app = spawn_app().await;
    let wrong = app
        .gql(
            None,
            LOGIN,
            json!({"u": ADMIN_USERNAME, "p": "Wrong-pass-2026"}),
        )
        .await
        .error();
    let unknown = app
        .gql(None, LOGIN, json!({"u": "nobody", "p": ADMIN_PASSWORD}))
        .await
        .error();
    assert_eq!(
        wrong,
        (
            "UNAUTHENTICATED".to_owned(),
            "invalid username or password".to_owned()
        )
    );
    assert_eq!(unknown, wrong);
}

#[tokio::test]
async fn a_disabled_user_and_an_old_password_lose_their_tokens() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let create = "mutation { createUser(input: { username: \"ops\", password: \"Ops-pass-2026\", role: ADMIN }) { id } }";
    let id = app.must(&admin, create, json!({})).await["createUser"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let token = app.login("ops", "Ops-pass-2026").await;

    let change =
        "mutation($id: ID!) { updateUser(id: $id, input: { password: \"Ops-pass-2027\" }) { id } }";
    app.must(&admin, change, json!({"id": id})).await;
    assert_eq!(
        app.gql(Some(&token), "{ me { id } }", json!({}))
            .await
            .error()
            .0,
        "UNAUTHENTICATED"
    );

    let token = app.login("ops", "Ops-pass-2027").await;
    let disable =
        "mutation($id: ID!) { updateUser(id: $id, input: { disabled: true }) { disabled } }";
    app.must(&admin, disable, json!({"id": id})).await;
    assert_eq!(
        app.gql(Some(&token), "{ me { id } }", json!({}))
            .await
            .error()
            .0,
        "UNAUTHENTICATED"
    );
    let again = app
        .gql(None, LOGIN, json!({"u": "ops", "p": "Ops-pass-2027"}))
        .await;
    assert_eq!(again.error().0, "UNAUTHENTICATED");
}

#[tokio::test]
async fn a_user_changes_its_own_password_and_old_tokens_stop_working() {
    let app = spawn_app().await;
    let old = app.admin().await;
    let change = "mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) { token } }";
    let wrong = app
        .gql(
            Some(&old),
            change,
            json!({"c": "Not-the-pass-1", "n": "Brand-new-pass-1"}),
        )
        .await;
    assert!(
        wrong.error().1.starts_with("currentPassword:"),
        "{}",
        wrong.0
    );
    let weak = app
        .gql(
            Some(&old),
            change,
            json!({"c": ADMIN_PASSWORD, "n": "short"}),
        )
        .await;
    assert!(weak.error().1.starts_with("newPassword:"));
    let fresh = app
        .must(
            &old,
            change,
            json!({"c": ADMIN_PASSWORD, "n": "Brand-new-pass-1"}),
        )
        .await["changePassword"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        app.gql(Some(&old), "{ me { id } }", json!({}))
            .await
            .error()
            .0,
        "UNAUTHENTICATED"
    );
    assert!(app.must(&fresh, "{ me { username } }", json!({})).await["me"]["username"].is_string());
    app.login(ADMIN_USERNAME, "Brand-new-pass-1").await;
}

/// Five wrong passwords lock the username: the sixth attempt, even with the right
/// password, gets the same answer as a wrong one; other users are not affected.
#[tokio::test]
async fn five_failed_sign_ins_lock_the_username() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let create = "mutation { createUser(input: { username: \"ops\", password: \"Ops-pass-2026\", role: ADMIN }) { id } }";
    app.must(&admin, create, json!({})).await;
    for _ in 0..5 {
        let wrong = app
            .gql(None, LOGIN, json!({"u": "ops", "p": "Wrong-pass-2026"}))
            .await;
        assert_eq!(wrong.error().1, "invalid username or password");
    }
    let locked = app
        .gql(None, LOGIN, json!({"u": "ops", "p": "Ops-pass-2026"}))
        .await;
    assert_eq!(
        locked.error(),
        (
            "UNAUTHENTICATED".to_owned(),
            "invalid username or password".to_owned()
        )
    );
    // The administrator signs in as before.
    app.admin().await;
}
