//! Monthly usage (issue 16 item 3; seed 004 §6): entered, or imported from
//! the cloud-management platform's export — previewed, then confirmed, all or
//! nothing, a re-import of a system's month replacing its figures, never
//! adding to them; a figure above the quota plus approved expansions is
//! flagged (超配额). The vendor and the agency read their own only.

use e2e::{TestApp, spawn_app};
use serde_json::{Value, json};

use crate::quotas::{APPROVE_CHANGE, CHANGE, approved_quota, vcpu};
use crate::world::{self, World};

const IMPORT: &str = "mutation($r: ID!, $rows: [UsageRowInput!]!, $d: Boolean!) {
    importUsage(regionId: $r, rows: $rows, dryRun: $d) { dryRun written
      lines { month systemName itemCode quantity approved beyondApproved replaces } } }";
const RECORD: &str = "mutation($i: RecordUsageInput!) { recordUsage(input: $i) { month quantity beyondApproved source } }";
const USAGE: &str = "query($f: UsageFilterInput) { usage(filter: $f) { total items { month quantity beyondApproved systemId } } }";

fn row(month: &str, item: &str, quantity: &str) -> Value {
    json!({"month": month, "system": "系统1", "item": item, "quantity": quantity})
}

fn import(w: &World, rows: Vec<Value>, dry_run: bool) -> Value {
    json!({"r": w.one.region, "rows": rows, "d": dry_run})
}

async fn usage(app: &TestApp, token: &str, filter: Value) -> Value {
    app.must(token, USAGE, json!({ "f": filter })).await["usage"].clone()
}

fn dec(v: &Value) -> f64 {
    v.as_str().unwrap().parse().unwrap()
}

/// July 2025's records, as the supervisor lists them.
async fn july(app: &TestApp, w: &World) -> Value {
    let july = json!({"from": "2025-07", "to": "2025-07"});
    usage(app, &w.supervisor, july).await
}

/// The sum of the quantities listed.
fn total(page: &Value) -> f64 {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| dec(&i["quantity"]))
        .sum()
}

#[tokio::test]
async fn an_import_previews_then_confirms_and_a_reimport_replaces_not_adds() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    vcpu(&app, &w).await;
    let rows = vec![
        row("2025-07", "Q-VCPU", "100"),
        // By name instead of code.
        row("2025-08", "云主机vCPU", "100"),
    ];
    let preview = app
        .must(&w.supervisor, IMPORT, import(&w, rows.clone(), true))
        .await["importUsage"]
        .clone();
    assert_eq!(preview["written"], 0);
    assert_eq!(preview["lines"].as_array().unwrap().len(), 2);
    assert_eq!(preview["lines"][0]["systemName"], "系统1");
    assert_eq!(preview["lines"][1]["itemCode"], "Q-VCPU");
    // A preview writes nothing.
    let nothing = usage(&app, &w.supervisor, json!({})).await;
    assert_eq!(nothing["total"], 0);
    let confirmed = app
        .must(&w.supervisor, IMPORT, import(&w, rows.clone(), false))
        .await["importUsage"]
        .clone();
    assert_eq!(confirmed["written"], 2);
    // July 100 + August 100 = 200.
    let first = usage(&app, &w.supervisor, json!({})).await;
    assert_eq!((first["total"].clone(), total(&first)), (json!(2), 200.0));
    // The same file again: replaced, not doubled — still 2 records, 200.
    let again = app
        .must(&w.supervisor, IMPORT, import(&w, rows, false))
        .await["importUsage"]
        .clone();
    assert_eq!(dec(&again["lines"][0]["replaces"]), 100.0);
    let second = usage(&app, &w.supervisor, json!({})).await;
    assert_eq!((second["total"].clone(), total(&second)), (json!(2), 200.0));
    // A corrected July (90) replaces July's 100: 90 + 100 = 190.
    app.must(
        &w.supervisor,
        IMPORT,
        import(&w, vec![row("2025-07", "Q-VCPU", "90")], false),
    )
    .await;
    let july = july(&app, &w).await;
    assert_eq!((july["total"].clone(), total(&july)), (json!(1), 90.0));
    assert_eq!(total(&usage(&app, &w.supervisor, json!({})).await), 190.0);
}

#[tokio::test]
async fn one_bad_row_names_its_column_and_nothing_is_written() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    vcpu(&app, &w).await;
    let cases = [
        (
            row("2025-13", "Q-VCPU", "1"),
            "rows[1].month",
            "第 2 行「月份」",
        ),
        (
            json!({"month": "2025-08", "system": "无此系统", "item": "Q-VCPU", "quantity": "1"}),
            "rows[1].system",
            "第 2 行「系统名称」",
        ),
        (
            row("2025-08", "9999", "1"),
            "rows[1].item",
            "第 2 行「服务项目编码或名称」",
        ),
        (
            row("2025-08", "Q-VCPU", "-5"),
            "rows[1].quantity",
            "第 2 行「用量」",
        ),
        (
            row("2025-08", "Q-VCPU", "十"),
            "rows[1].quantity",
            "第 2 行「用量」",
        ),
    ];
    for (bad, field, column) in cases {
        let rows = vec![row("2025-07", "Q-VCPU", "100"), bad];
        let (code, message) = app
            .gql(Some(&w.supervisor), IMPORT, import(&w, rows, false))
            .await
            .error();
        assert_eq!(code, "BAD_USER_INPUT");
        assert!(message.starts_with(field), "{message}");
        assert!(message.contains(column), "{message}");
    }
    // The good first row was not written either: all or nothing.
    assert_eq!(usage(&app, &w.supervisor, json!({})).await["total"], 0);
}

#[tokio::test]
async fn usage_beyond_the_quota_plus_approved_expansions_is_flagged() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let item = vcpu(&app, &w).await;
    let quota = approved_quota(&app, &w, &item, "100").await;
    let expansion = app
        .must(
            &w.supervisor,
            CHANGE,
            json!({"q": quota, "i": {"kind": "EXPAND", "quantity": "20", "reason": "扩容"}}),
        )
        .await["requestQuotaChange"]["id"]
        .clone();
    app.must(&w.supervisor, APPROVE_CHANGE, json!({"id": expansion}))
        .await;
    let entered = |month: &str, quantity: &str| json!({"i": {"systemId": w.one.system, "itemId": item, "month": month, "quantity": quantity}});
    // Approved: quota 100 + expansion 20 = 120. 120 is within, 121 beyond.
    let within = app
        .must(&w.supervisor, RECORD, entered("2025-07", "120"))
        .await;
    assert_eq!(within["recordUsage"]["beyondApproved"], false);
    assert_eq!(within["recordUsage"]["source"], "ENTERED");
    let beyond = app
        .must(&w.supervisor, RECORD, entered("2025-08", "121"))
        .await;
    assert_eq!(beyond["recordUsage"]["beyondApproved"], true);
    // Entered again for July: replaced (one July record, 110).
    app.must(&w.supervisor, RECORD, entered("2025-07", "110"))
        .await;
    let july = july(&app, &w).await;
    assert_eq!((july["total"].clone(), total(&july)), (json!(1), 110.0));
    // The preview shows the approved figure, 120.
    let preview = app
        .must(
            &w.supervisor,
            IMPORT,
            import(&w, vec![row("2025-09", "Q-VCPU", "130")], true),
        )
        .await;
    let line = &preview["importUsage"]["lines"][0];
    assert_eq!(dec(&line["approved"]), 120.0);
    assert_eq!(line["beyondApproved"], true);
}

#[tokio::test]
async fn the_vendor_and_the_agency_read_their_own_usage_only_and_write_none() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let item = vcpu(&app, &w).await;
    for (token, system) in [(&w.supervisor, &w.one.system), (&w.admin, &w.two.system)] {
        let input =
            json!({"i": {"systemId": system, "itemId": item, "month": "2025-07", "quantity": "5"}});
        app.must(token, RECORD, input).await;
    }
    for token in [&w.vendor, &w.agency, &w.supervisor] {
        let seen = usage(&app, token, json!({})).await;
        assert_eq!(seen["total"], 1, "{seen}");
        assert_eq!(seen["items"][0]["systemId"], json!(w.one.system));
    }
    let input = json!({"i": {"systemId": w.one.system, "itemId": item, "month": "2025-08", "quantity": "5"}});
    for token in [&w.vendor, &w.agency] {
        let answer = app.gql(Some(token), RECORD, input.clone()).await;
        assert_eq!(answer.error().0, "FORBIDDEN");
        let import = app
            .gql(
                Some(token),
                IMPORT,
                import(&w, vec![row("2025-08", "Q-VCPU", "1")], true),
            )
            .await;
        assert_eq!(import.error().0, "FORBIDDEN");
    }
    // R1's supervisor may not import into R2.
    let r2 = json!({"r": w.two.region, "rows": [row("2025-08", "Q-VCPU", "1")], "d": true});
    assert_eq!(
        app.gql(Some(&w.supervisor), IMPORT, r2).await.error().0,
        "FORBIDDEN"
    );
}
