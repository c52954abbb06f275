//! Facts as the questionnaire and the standard record them (issue 10, items 7–10):
//! F2 against the execution, A4 with the instant of rectification, the platform
//! of fault grading across regions, and satisfaction surveys with their
//! respondent. On the world of `world.rs`; every expected number is worked out
//! from `shared/spec/scoring-rules.md` in the comments.

use std::str::FromStr;

use e2e::{TestApp, id_of, spawn_app};
use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::world::{self, World};

const MONTHLY: &str = "query($v: ID!, $r: ID!, $p: String!) { previewMonthlyScore(vendorId: $v, regionId: $r, period: $p) {
    indicators { code score deductions { points facts { kind id } } warnings } } }";

fn dec(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

/// One indicator of a scorecard.
fn indicator<'a>(card: &'a Value, code: &str) -> &'a Value {
    card["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {card}"))
}

fn score(card: &Value, code: &str) -> Decimal {
    dec(indicator(card, code)["score"].as_str().unwrap())
}

/// The ids of the facts an indicator deducted for, in order.
fn deducted(card: &Value, code: &str) -> Vec<String> {
    indicator(card, code)["deductions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["facts"][0]["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn month(app: &TestApp, token: &str, w: &World, period: &str) -> Value {
    let vars = json!({"v": w.one.vendor, "r": w.one.region, "p": period});
    app.must(token, MONTHLY, vars).await["previewMonthlyScore"].clone()
}

/// Creates a fact of side one of the world and returns its id.
async fn create(app: &TestApp, w: &World, mutation: &str, mut input: Value) -> String {
    input["regionId"] = json!(w.one.region);
    input["vendorId"] = json!(w.one.vendor);
    let q = format!(
        "mutation($i: {}!) {{ {mutation}(input: $i) {{ id }} }}",
        world::input_type(mutation)
    );
    id_of(
        &app.must(&w.admin, &q, json!({ "i": input })).await,
        mutation,
    )
}

// --- item 7: F2 measures against the execution ------------------------------

/// Seed 003, F2: 变更通知上报时间 = 变更执行时间 − 提交时间; spec §1 F2: the actual
/// execution, or the planned one while not executed; lead time 72 h; −1 each.
/// April 2025, V1 in R1 (the world's change is in March):
/// - change 1 reported 1 Apr 10:00, planned 5 Apr 02:00 (88 h ahead) but executed
///   early, 3 Apr 10:00: 48 h before the execution < 72 h → −1 (measured to the
///   plan it would pass);
/// - change 2 reported 1 Apr 10:00, planned 3 Apr 10:00 (48 h ahead) but executed
///   late, 8 Apr 10:00: 168 h ≥ 72 h → in time (measured to the plan it would
///   fail);
/// - change 3 not executed yet: reported 10 Apr 10:00, planned 12 Apr 02:00:
///   40 h < 72 h → −1;
/// - change 4 not executed yet: reported 10 Apr 10:00, planned 14 Apr 10:00:
///   96 h → in time.
///
/// F2 = 5 − 1 − 1 = 3, deducted for changes 1 and 3.
#[tokio::test]
async fn f2_measures_the_notice_from_submission_to_the_actual_execution() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let change = |submitted: &str, planned: &str, executed: Option<&str>| {
        json!({"title": "升级", "submittedAt": submitted, "plannedAt": planned,
               "executedAt": executed, "outcome": if executed.is_some() { "SUCCEEDED" } else { "PENDING" },
               "confirmed": true, "vendorLiable": true})
    };
    let early = create(
        &app,
        &w,
        "createChange",
        change(
            "2025-04-01T10:00:00+08:00",
            "2025-04-05T02:00:00+08:00",
            Some("2025-04-03T10:00:00+08:00"),
        ),
    )
    .await;
    create(
        &app,
        &w,
        "createChange",
        change(
            "2025-04-01T10:00:00+08:00",
            "2025-04-03T10:00:00+08:00",
            Some("2025-04-08T10:00:00+08:00"),
        ),
    )
    .await;
    let short = create(
        &app,
        &w,
        "createChange",
        change(
            "2025-04-10T10:00:00+08:00",
            "2025-04-12T02:00:00+08:00",
            None,
        ),
    )
    .await;
    create(
        &app,
        &w,
        "createChange",
        change(
            "2025-04-10T10:00:00+08:00",
            "2025-04-14T10:00:00+08:00",
            None,
        ),
    )
    .await;

    let april = month(&app, &w.supervisor, &w, "2025-04").await;
    assert_eq!(score(&april, "F2"), dec("3"), "{april}");
    assert_eq!(deducted(&april, "F2"), [early.clone(), short]);

    // The execution instant is read back as recorded, in Shanghai time.
    let read = app
        .must(
            &w.supervisor,
            "query($id: ID!) { change(id: $id) { executedAt } }",
            json!({"id": early}),
        )
        .await;
    assert_eq!(read["change"]["executedAt"], "2025-04-03T10:00:00+08:00");
    app.finish().await;
}
