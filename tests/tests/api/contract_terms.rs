//! Contract terms as data (issue 15, item 3; spec §5): the built-in terms read
//! through GraphQL, a new version added by an administrator, refusals naming
//! the field, and administrators only.

use e2e::spawn_app;
use serde_json::{Value, json};

use crate::world;

const ALL: &str = "{ contractTerms { code version name builtIn } }";
const ONE: &str =
    "query($c: String!) { contractTermsVersion(code: $c) { code version builtIn document } }";
const CREATE: &str =
    "mutation($d: JSON!) { createContractTerms(document: $d) { code version builtIn } }";

async fn lease(app: &e2e::TestApp, admin: &str) -> Value {
    app.must(admin, ONE, json!({"c": "bj-lease"})).await["contractTermsVersion"].clone()
}

#[tokio::test]
async fn the_beijing_and_shanghai_terms_are_built_in() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let all = app.must(&w.admin, ALL, json!({})).await;
    let codes: Vec<(&str, bool)> = all["contractTerms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["code"].as_str().unwrap(), t["builtIn"].as_bool().unwrap()))
        .collect();
    assert_eq!(
        codes,
        [("bj-lease", true), ("bj-sla", true), ("sh-paas", true)]
    );
    // Seed 002 §13.2: B-level 3 times, 5 % of the contract amount; annex 3 row 6
    // charges 60 % of the monthly fee.
    let document = lease(&app, &w.admin).await["document"].clone();
    assert_eq!(
        document["major_incidents"],
        json!({"a_level_count": 1, "b_level_count": 3, "penalty_rate": "0.05"})
    );
    let general = &document["breach_tables"][1];
    assert_eq!(general["name"], "附件3 一般违约行为表");
    assert_eq!(general["rows"].as_array().unwrap().len(), 13);
    assert_eq!(
        general["rows"][5]["charge"],
        json!({"kind": "monthly_fee_coefficient", "coefficient": "0.6"})
    );
}

#[tokio::test]
async fn an_administrator_adds_a_version_and_a_bad_one_is_refused_naming_the_field() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let mut document = lease(&app, &w.admin).await["document"].clone();
    document["version"] = json!(2);
    // A contract negotiated above the annex: row 6 at 80 %.
    document["breach_tables"][1]["rows"][5]["charge"]["coefficient"] = json!("0.8");
    let created = app.must(&w.admin, CREATE, json!({"d": document})).await;
    assert_eq!(
        created["createContractTerms"],
        json!({"code": "bj-lease", "version": 2, "builtIn": false})
    );
    let latest = lease(&app, &w.admin).await;
    assert_eq!(latest["version"], 2);
    assert_eq!(
        latest["document"]["breach_tables"][1]["rows"][5]["charge"]["coefficient"],
        "0.8"
    );

    // 30 typed for 30 %: refused with the field's path and the range.
    let mut bad = document.clone();
    bad["version"] = json!(3);
    bad["breach_tables"][1]["rows"][4]["charge"]["coefficient"] = json!("30");
    let (code, message) = app
        .gql(Some(&w.admin), CREATE, json!({"d": bad}))
        .await
        .error();
    assert_eq!(code, "BAD_USER_INPUT");
    assert!(
        message.contains("breach_tables[1].rows[4].charge.coefficient"),
        "{message}"
    );
    // The same version again: refused.
    let again = app
        .gql(Some(&w.admin), CREATE, json!({"d": document}))
        .await;
    assert!(again.error().1.contains("document.version"));
}

#[tokio::test]
async fn only_administrators_read_and_add_contract_terms() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let mut document = lease(&app, &w.admin).await["document"].clone();
    document["version"] = json!(9);
    for token in [&w.supervisor, &w.vendor, &w.agency] {
        assert_eq!(
            app.gql(Some(token), ALL, json!({})).await.error().0,
            "FORBIDDEN"
        );
        let refused = app.gql(Some(token), CREATE, json!({"d": document})).await;
        assert_eq!(refused.error().0, "FORBIDDEN");
    }
    assert_eq!(
        app.gql(None, ALL, json!({})).await.error().0,
        "UNAUTHENTICATED"
    );
}
