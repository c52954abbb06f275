//! `schema.graphql` is the SDL the server serves. Regenerate it with
//! `UPDATE_SCHEMA=1 cargo test -p e2e schema`.

use e2e::spawn_app;

#[tokio::test]
async fn schema_file_matches_the_served_sdl() {
    let app = spawn_app().await;
    let served = app
        .client
        .get(format!("{}/schema.graphql", app.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../schema.graphql");
    if std::env::var("UPDATE_SCHEMA").as_deref() == Ok("1") {
        std::fs::write(path, &served).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == served,
        "schema.graphql differs from the served SDL; run `UPDATE_SCHEMA=1 cargo test -p e2e schema` and commit it"
    );
}

#[tokio::test]
async fn graphiql_and_health_are_served() {
    let app = spawn_app().await;
    let page = app
        .client
        .get(format!("{}/graphql", app.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.to_lowercase().contains("graphiql"));
    let health = app
        .client
        .get(format!("{}/healthz", app.base))
        .send()
        .await
        .unwrap();
    assert!(health.status().is_success());
}

#[tokio::test]
async fn with_introspection_off_the_schema_is_not_shown() {
    let app = e2e::spawn_app_with(|c| c.http.introspection = false).await;
    let answer = app
        .gql(
            None,
            "{ __schema { types { name } } }",
            serde_json::json!({}),
        )
        .await;
    assert!(
        answer.data()["__schema"].is_null(),
        "introspection must answer nothing: {}",
        answer.0
    );
    let sdl = app
        .client
        .get(format!("{}/schema.graphql", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(sdl.status(), 404);
    let ready = app
        .client
        .get(format!("{}/readyz", app.base))
        .send()
        .await
        .unwrap();
    assert!(
        ready.status().is_success(),
        "database reachable and migrated"
    );
}
