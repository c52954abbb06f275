//! The audit trail (issue 6): every mutation writes who, what, when, from where
//! and the changed fields, in the mutation's own transaction; administrators and
//! supervisors (their region) read it; nobody changes it through the API.

use std::collections::BTreeSet;

use e2e::{TestApp, spawn_app};
use serde_json::{Value, json};

use crate::world::{self, World};

const ENTRIES: &str = "query($f: AuditFilter, $l: Int) { auditEntries(filter: $f, limit: $l) {
    total items { id at userId username role regionId vendorId operation targetType targetId
    clientAddr requestId before after } } }";

/// The entries the token may read that match the filter, newest first.
async fn entries(app: &TestApp, token: &str, filter: Value) -> (i64, Vec<Value>) {
    let page = app
        .must(token, ENTRIES, json!({"f": filter, "l": 500}))
        .await["auditEntries"]
        .clone();
    (
        page["total"].as_i64().unwrap(),
        page["items"].as_array().cloned().unwrap_or_default(),
    )
}

/// The one entry of an operation on a target, failing if there is not exactly one.
async fn the_entry(app: &TestApp, w: &World, operation: &str, target_id: &str) -> Value {
    let (total, items) = entries(
        app,
        &w.admin,
        json!({"operation": operation, "targetId": target_id}),
    )
    .await;
    // One mutation, one entry.
    assert_eq!(total, 1, "{operation} {target_id}: {items:?}");
    items[0].clone()
}

async fn user_id(app: &TestApp, token: &str) -> String {
    app.must(token, "{ me { id } }", json!({})).await["me"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn create_update_and_delete_each_write_one_entry_with_who_what_and_the_changes() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let sup_id = user_id(&app, &w.supervisor).await;
    let created = app
        .must(
            &w.supervisor,
            "mutation($i: CreateWorkOrderInput!) { createWorkOrder(input: $i) { id } }",
            json!({"i": {"regionId": w.one.region, "vendorId": w.one.vendor, "title": "扩容",
                "approvedAt": "2025-04-01T09:00:00+08:00", "confirmed": true, "vendorLiable": true}}),
        )
        .await;
    let wo = e2e::id_of(&created, "createWorkOrder");

    let entry = the_entry(&app, &w, "createWorkOrder", &wo).await;
    assert_eq!(entry["userId"], json!(sup_id));
    assert_eq!(entry["username"], world::SUPERVISOR.0);
    assert_eq!(entry["role"], "SUPERVISOR");
    assert_eq!(entry["targetType"], "WorkOrder");
    assert_eq!(entry["regionId"], json!(w.one.region));
    assert_eq!(entry["vendorId"], json!(w.one.vendor));
    assert_eq!(entry["clientAddr"], "127.0.0.1");
    // The HTTP layer's request id (none was sent, so a generated UUID: 36
    // characters) is kept with the entry, to join the trail with the logs.
    assert_eq!(entry["requestId"].as_str().map(str::len), Some(36));
    assert_eq!(entry["before"], Value::Null);
    // A create keeps the whole row, named as in the API.
    assert_eq!(entry["after"]["id"], json!(wo.parse::<i64>().unwrap()));
    assert_eq!(entry["after"]["title"], "扩容");
    assert_eq!(entry["after"]["confirmed"], true);

    app.must(
        &w.supervisor,
        "mutation($id: ID!) { updateWorkOrder(id: $id, input: { title: \"扩容二期\", confirmed: false }) { id } }",
        json!({"id": wo}),
    )
    .await;
    let entry = the_entry(&app, &w, "updateWorkOrder", &wo).await;
    // Exactly the two fields that changed, before and after.
    assert_eq!(entry["before"], json!({"title": "扩容", "confirmed": true}));
    assert_eq!(
        entry["after"],
        json!({"title": "扩容二期", "confirmed": false})
    );

    app.must(
        &w.supervisor,
        "mutation($id: ID!) { deleteWorkOrder(id: $id) }",
        json!({"id": wo}),
    )
    .await;
    let entry = the_entry(&app, &w, "deleteWorkOrder", &wo).await;
    // A delete keeps the whole row as it was, and nothing after.
    assert_eq!(entry["before"]["title"], "扩容二期");
    assert_eq!(entry["after"], Value::Null);

    // Newest first: delete, update, create of this work order.
    let (total, items) = entries(
        &app,
        &w.admin,
        json!({"targetType": "WorkOrder", "targetId": wo}),
    )
    .await;
    assert_eq!(total, 3);
    let ops: Vec<&str> = items
        .iter()
        .map(|e| e["operation"].as_str().unwrap())
        .collect();
    assert_eq!(
        ops,
        ["deleteWorkOrder", "updateWorkOrder", "createWorkOrder"]
    );
}

#[tokio::test]
async fn a_refused_mutation_leaves_neither_the_change_nor_an_entry() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let (before, _) = entries(&app, &w.admin, json!({})).await;
    let fault = w
        .one
        .facts
        .iter()
        .find(|(l, _)| *l == "faults")
        .map(|(_, id)| id.clone())
        .unwrap();
    let refused = [
        // Refused inside the write transaction, by the check against the
        // database: R2's system is not hosted by V1 in R1.
        (
            "mutation($i: CreateFaultInput!) { createFault(input: $i) { id } }",
            json!({"i": {"regionId": w.one.region, "vendorId": w.one.vendor, "title": "t",
                "impact": "UNUSABLE", "affectedSystemIds": [w.two.system],
                "occurredAt": "2025-03-07T14:00:00+08:00", "confirmed": true, "vendorLiable": true}}),
            "BAD_USER_INPUT",
        ),
        // Refused inside the transaction by the patch: an override needs a reason.
        (
            "mutation($id: ID!) { updateFault(id: $id, input: { title: \"changed\", levelOverride: 1 }) { id } }",
            json!({"id": fault}),
            "BAD_USER_INPUT",
        ),
        // Refused by the access policy: R2's fault is not the supervisor's.
        (
            "mutation($id: ID!) { deleteFault(id: $id) }",
            json!({"id": w.two.facts.iter().find(|(l, _)| *l == "faults").unwrap().1}),
            "NOT_FOUND",
        ),
    ];
    for (mutation, variables, code) in refused {
        let answer = app.gql(Some(&w.supervisor), mutation, variables).await;
        assert_eq!(answer.error().0, code, "{mutation}");
    }
    let (after, _) = entries(&app, &w.admin, json!({})).await;
    // Not one entry more (reads write none).
    assert_eq!(after, before);
    let faults = app
        .must(&w.admin, "{ faults { total items { title } } }", json!({}))
        .await;
    // The two faults of the world, the first with its title untouched.
    assert_eq!(faults["faults"]["total"], 2);
    assert_eq!(faults["faults"]["items"][0]["title"], "卡顿");
}

/// Same transaction, shown from the other side: when the entry cannot be
/// written, the change is not kept either.
#[tokio::test]
async fn when_the_entry_cannot_be_written_the_change_rolls_back() {
    use sea_orm::{ConnectionTrait, Database};
    let app = spawn_app().await;
    let admin = app.admin().await;
    let regions = "{ regions { total } }";
    let count = |v: Value| v["regions"]["total"].as_i64().unwrap();
    let db = Database::connect(&app.database_url).await.unwrap();
    db.execute_unprepared("ALTER TABLE audit_entries RENAME TO audit_entries_away")
        .await
        .unwrap();
    let answer = app
        .gql(
            Some(&admin),
            "mutation { createRegion(input: { code: \"R9\", name: \"区9\", schemeCode: \"sh-municipal\" }) { id } }",
            json!({}),
        )
        .await;
    assert_eq!(answer.error().0, "INTERNAL_SERVER_ERROR");
    db.execute_unprepared("ALTER TABLE audit_entries_away RENAME TO audit_entries")
        .await
        .unwrap();
    // No region was kept.
    assert_eq!(count(app.must(&admin, regions, json!({})).await), 0);
    db.close().await.unwrap();
}

#[tokio::test]
async fn a_supervisor_reads_its_region_only_and_vendors_and_agencies_are_refused() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let (total, mine) = entries(&app, &w.supervisor, json!({})).await;
    // Of region R1: the admin's creation of R1, its contract, agency, system,
    // 13 facts and the supervisor's account (18), and the supervisor's own
    // sign-in (1). The vendor and agency accounts are bound to no region.
    assert_eq!(total, 19, "{mine:?}");
    assert!(mine.iter().all(|e| e["regionId"] == json!(w.one.region)));
    let (_, all) = entries(&app, &w.admin, json!({})).await;
    assert!(all.iter().any(|e| e["regionId"] == json!(w.two.region)));
    for token in [&w.vendor, &w.agency] {
        let answer = app
            .gql(Some(token), ENTRIES, json!({"f": {}, "l": 10}))
            .await;
        assert_eq!(answer.error().0, "FORBIDDEN");
    }
}

/// The mutation fields of the served schema, by introspection.
async fn mutation_fields(app: &TestApp) -> BTreeSet<String> {
    let answer = app
        .gql(
            None,
            "{ __schema { mutationType { fields { name } } } }",
            json!({}),
        )
        .await;
    answer.ok()["__schema"]["mutationType"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn every_mutation_is_audited_and_none_touches_the_trail() {
    let app = spawn_app().await;
    let served = mutation_fields(&app).await;
    let audited: BTreeSet<String> = api::graphql::audit::AUDITED_MUTATIONS
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    assert_eq!(
        served, audited,
        "a mutation is missing from (or stale in) api::graphql::audit::AUDITED_MUTATIONS"
    );
    let touching: Vec<&String> = served
        .iter()
        .filter(|m| m.to_lowercase().contains("audit"))
        .collect();
    assert!(touching.is_empty(), "{touching:?}");
}

#[tokio::test]
async fn passwords_and_their_hashes_never_enter_the_trail() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let sup = user_id(&app, &w.supervisor).await;
    app.must(
        &w.admin,
        "mutation($id: ID!) { updateUser(id: $id, input: { password: \"Reset-pass-2026\" }) { id } }",
        json!({"id": sup}),
    )
    .await;
    let entry = the_entry(&app, &w, "updateUser", &sup).await;
    // The hash and the instant of the change are the fields that changed; the
    // hash shows as redacted on both sides.
    assert_eq!(entry["before"]["passwordHash"], "[redacted]");
    assert_eq!(entry["after"]["passwordHash"], "[redacted]");
    let keys: Vec<&String> = entry["after"].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["passwordChangedAt", "passwordHash"]);

    let token = app.login(world::SUPERVISOR.0, "Reset-pass-2026").await;
    app.must(
        &token,
        "mutation { changePassword(currentPassword: \"Reset-pass-2026\", newPassword: \"Changed-pass-2026\") { token } }",
        json!({}),
    )
    .await;
    let entry = the_entry(&app, &w, "changePassword", &sup).await;
    assert_eq!(entry["username"], world::SUPERVISOR.0);
    assert_eq!(entry["after"]["passwordHash"], "[redacted]");

    let (_, all) = entries(&app, &w.admin, json!({})).await;
    let text = serde_json::to_string(&all).unwrap();
    for secret in [
        "$argon2",
        "Reset-pass-2026",
        "Changed-pass-2026",
        world::SUPERVISOR.1,
    ] {
        assert!(!text.contains(secret), "{secret} is in the trail");
    }
    // The world's users were created with their whole (redacted) rows.
    assert!(
        all.iter()
            .filter(|e| e["operation"] == "createUser")
            .all(|e| e["after"]["passwordHash"] == "[redacted]")
    );
}

#[tokio::test]
async fn sign_ins_disabling_runs_publishing_and_notice_steps_are_audited() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let vendor_id = user_id(&app, &w.vendor).await;

    let (logins, items) = entries(
        &app,
        &w.admin,
        json!({"operation": "login", "userId": vendor_id}),
    )
    .await;
    // build() signs the vendor in once (`me` is a query: no entry).
    assert_eq!(logins, 1, "{items:?}");
    assert_eq!(items[0]["role"], "VENDOR");
    assert_eq!(items[0]["targetType"], "User");

    let run = app
        .must(
            &w.supervisor,
            "mutation($r: ID!) { runMonthlyAssessment(regionId: $r, period: \"2025-03\") { id } }",
            json!({"r": w.one.region}),
        )
        .await["runMonthlyAssessment"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let entry = the_entry(&app, &w, "runMonthlyAssessment", &run).await;
    assert_eq!(entry["targetType"], "AssessmentRun");
    assert_eq!(entry["after"]["status"], "SUCCEEDED");

    app.must(
        &w.supervisor,
        "mutation($id: ID!) { publishAssessmentRun(runId: $id) { id } }",
        json!({"id": run}),
    )
    .await;
    let entry = the_entry(&app, &w, "publishAssessmentRun", &run).await;
    // V1 is R1's only contracted vendor: one result published; its 88.38 is
    // below the pass mark of 90 (flow.rs): one notice issued.
    let after = &entry["after"];
    assert_eq!(after["publishedResultIds"].as_array().unwrap().len(), 1);
    assert_eq!(after["issuedNoticeIds"].as_array().unwrap().len(), 1);
    let notice = after["issuedNoticeIds"][0].to_string();

    app.must(
        &w.vendor,
        "mutation($id: ID!) { acknowledgeNotice(id: $id) { id } }",
        json!({"id": notice}),
    )
    .await;
    let entry = the_entry(&app, &w, "acknowledgeNotice", &notice).await;
    assert_eq!(entry["role"], "VENDOR");
    assert_eq!(entry["before"]["status"], "ISSUED");
    assert_eq!(entry["after"]["status"], "ACKNOWLEDGED");

    app.must(
        &w.admin,
        "mutation($id: ID!) { updateUser(id: $id, input: { disabled: true }) { id } }",
        json!({"id": vendor_id}),
    )
    .await;
    let entry = the_entry(&app, &w, "updateUser", &vendor_id).await;
    // The disable also records the instant from which the user's earlier
    // tokens stay dead (hostile_auth.rs).
    assert_eq!(
        entry["before"],
        json!({"disabled": false, "tokensValidAfter": null})
    );
    assert_eq!(entry["after"]["disabled"], true);
    assert!(
        entry["after"]["tokensValidAfter"].is_string(),
        "{}",
        entry["after"]
    );
    app.deliver_pending_mail().await;
}
