//! Previews computed from the recorded facts (issue 3, item 6), on the world of
//! `world.rs`, whose side one has one fact of every kind in March 2025 under the
//! `sh-municipal` scheme. Expected numbers are worked out from
//! `shared/spec/scoring-rules.md` in the comments.

use e2e::spawn_app;
use serde_json::{Value, json};

use crate::world::{self, World};

const MONTHLY: &str = "query($v: ID!, $r: ID!, $p: String!) { previewMonthlyScore(vendorId: $v, regionId: $r, period: $p) {
    schemeCode schemeVersion period total passed
    indicators { code weight score deductions { points reason facts { kind id } } warnings } } }";

const ANNUAL: &str = "query($v: ID!, $r: ID!, $y: Int!) { previewAnnualScore(vendorId: $v, regionId: $r, serviceYear: $y) {
    total monthlyMean monthlyPart annualPart monthlyTotals { period total }
    annual { total indicators { code score } }
    penalty { tierBelow rate settlementAmount amount } } }";

fn score(card: &Value, code: &str) -> String {
    let i = card["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == code)
        .unwrap();
    i["score"].as_str().unwrap().to_owned()
}

async fn march(app: &e2e::TestApp, token: &str, w: &World) -> Value {
    let vars = json!({"v": w.one.vendor, "r": w.one.region, "p": "2025-03"});
    app.must(token, MONTHLY, vars).await["previewMonthlyScore"].clone()
}

/// March 2025 for V1 in R1, indicator by indicator:
/// - A1 10 − 0.5 = 9.5: the work order approved Mon 3 March is due by the end of
///   Mon 10 March (4, 5, 6, 7, 10 March are the 5 working days) and is still open.
/// - A2 5: nothing provisioned differently.
/// - A3 5 − 1 = 4: the task planned for 20 March is not finished.
/// - A4 5 − 1 = 4: one delivery without a work order.
/// - B1 10: 500.5 / 528 h = 94.8 % ≥ 90 %.
/// - C1 10 − 5 = 5: one liable complaint.
/// - D1: ECS down 600 s of 31 × 86400 = 2,678,400 s → availability 99.977598566 %,
///   0.012401434 % below 99.99 % = 1.2401434 steps × 0.1 = 0.12401434 →
///   10 − 0.12401434 = 9.87598566 → shown 9.88.
/// - E1 10 − 3 = 7: the fault (1 of V1's 1 system in R1: s = 100 % and n ≤ 50 →
///   S2; degraded, 60 min ≤ 120 → row 18, level 4) costs 3.
/// - E2 10: recovered after 60 min, the level-4 limit is 120. E3 5: reported after
///   20 min, limit 30. E4 5: not misreported.
/// - F1 5, F2 5: the change was notified 7 days ahead and has not failed.
/// - G1 5 − 1 = 4: one violation.
///
/// Total 9.5 + 5 + 4 + 4 + 10 + 5 + 9.87598566 + 7 + 10 + 5 + 5 + 5 + 5 + 4
/// = 88.37598566 → 88.38, below the pass mark of 90.
#[tokio::test]
async fn a_month_of_facts_scores_as_the_spec_says_with_every_deduction_explained() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let card = march(&app, &w.supervisor, &w).await;
    assert_eq!(card["schemeCode"], "sh-municipal");
    assert_eq!(card["period"], "2025-03");
    // Shown with two decimals (spec §0).
    let expected = [
        ("A1", "9.50"),
        ("A2", "5.00"),
        ("A3", "4.00"),
        ("A4", "4.00"),
        ("B1", "10.00"),
        ("C1", "5.00"),
        ("D1", "9.88"),
        ("E1", "7.00"),
        ("E2", "10.00"),
        ("E3", "5.00"),
        ("E4", "5.00"),
        ("F1", "5.00"),
        ("F2", "5.00"),
        ("G1", "4.00"),
    ];
    for (code, value) in expected {
        assert_eq!(score(&card, code), value, "{code}: {card}");
    }
    assert_eq!(card["total"], "88.38");
    assert_eq!(card["passed"], false);
    // Each deduction names the fact that caused it.
    let complaint = w
        .one
        .facts
        .iter()
        .find(|(l, _)| *l == "complaints")
        .unwrap()
        .1
        .clone();
    let c1 = card["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "C1")
        .unwrap();
    assert_eq!(
        c1["deductions"][0]["facts"][0],
        json!({"kind": "complaint", "id": complaint})
    );
    // The vendor sees the same breakdown for itself.
    assert_eq!(march(&app, &w.vendor, &w).await, card);
}

/// Service year 2025 for V1 in R1, previewed once every month of it has been
/// run and published (the preview blends the published months, as the run):
/// - monthly totals: January and February 100; March 88.37598566 (above); April to
///   December 99 each (the unrectified delivery costs A4 1 point again every month).
///   Mean = (200 + 88.37598566 + 9 × 99) / 12 = 1179.37598566 / 12 = 98.2813321...
/// - annual: H1 30 (the one response scores 42 / 44 = 95.45 % ≥ 90 %); I1 20 − 19 = 1
///   (1 valid training of the 20 required); J1 20 − 5 = 15 (the risk due 10 April
///   was never rectified); J2 30 − 2 = 28 (one level-5 accident) → 74.
/// - total = 98.2813321 × 0.8 + 74 × 0.2 = 78.6250657 + 14.8 = 93.4250657 → 93.43,
///   no penalty tier (≥ 90).
#[tokio::test]
async fn a_year_blends_80_20_and_finds_its_penalty_tier() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    world::publish_2025(&app, &w).await;
    let vars = json!({"v": w.one.vendor, "r": w.one.region, "y": 2025});
    let year = app.must(&w.supervisor, ANNUAL, vars).await["previewAnnualScore"].clone();
    assert_eq!(year["monthlyTotals"].as_array().unwrap().len(), 12);
    assert_eq!(
        year["monthlyTotals"][2],
        json!({"period": "2025-03", "total": "88.38"})
    );
    assert_eq!(
        year["monthlyTotals"][3]["total"]
            .as_str()
            .unwrap()
            .parse::<f64>()
            .unwrap(),
        99.0
    );
    assert_eq!(year["monthlyMean"], "98.28");
    assert_eq!(
        year["annual"]["total"]
            .as_str()
            .unwrap()
            .parse::<f64>()
            .unwrap(),
        74.0
    );
    assert_eq!(year["monthlyPart"], "78.63");
    assert_eq!(
        year["annualPart"].as_str().unwrap().parse::<f64>().unwrap(),
        14.8
    );
    assert_eq!(year["total"], "93.43");
    assert_eq!(year["penalty"]["tierBelow"], Value::Null);
    assert_eq!(
        year["penalty"]["amount"]
            .as_str()
            .unwrap()
            .parse::<f64>()
            .unwrap(),
        0.0
    );
    app.deliver_pending_mail().await;
}

/// A supervisor's override of a fault's level (with its reason) is kept and counts
/// for every fault indicator: at level 1, E1 costs 6 instead of 3 (E1 4); the
/// level-1 recovery limit is 30 min and the fault took 60 (E2 10 − 2 = 8); the
/// level-1 reporting limit is 10 min and it was reported after 20 (E3 5 − 1 = 4).
/// March falls from 88.37598566 by 3 + 2 + 1 = 6 to 82.37598566 → 82.38.
#[tokio::test]
async fn a_level_override_is_kept_and_counts() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let fault = w
        .one
        .facts
        .iter()
        .find(|(l, _)| *l == "faults")
        .unwrap()
        .1
        .clone();
    let overridden = app
        .must(&w.supervisor, "mutation($id: ID!) { updateFault(id: $id, input: { levelOverride: 1, levelOverrideReason: \"影响市级核心业务\" }) { level gradingRow levelOverride levelOverrideReason effectiveLevel } }", json!({"id": fault}))
        .await;
    assert_eq!(
        overridden["updateFault"],
        json!({"level": 4, "gradingRow": 18, "levelOverride": 1, "levelOverrideReason": "影响市级核心业务", "effectiveLevel": 1})
    );
    let card = march(&app, &w.supervisor, &w).await;
    assert_eq!(score(&card, "E1").parse::<f64>().unwrap(), 4.0);
    assert_eq!(score(&card, "E2").parse::<f64>().unwrap(), 8.0);
    assert_eq!(score(&card, "E3").parse::<f64>().unwrap(), 4.0);
    assert_eq!(card["total"], "82.38");
    let without_reason = app
        .gql(
            Some(&w.supervisor),
            "mutation($id: ID!) { updateFault(id: $id, input: { levelOverride: 2 }) { id } }",
            json!({"id": fault}),
        )
        .await;
    assert!(
        without_reason
            .error()
            .1
            .contains("input.levelOverrideReason")
    );
}

/// A new version of the region's scheme, added through GraphQL, changes the next
/// preview: C1 at 10 points a complaint instead of 5 takes March from 88.37598566
/// to 83.37598566. An invalid document is refused with the reason.
#[tokio::test]
async fn a_scheme_version_added_through_graphql_changes_the_next_preview() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let current = app
        .must(
            &w.admin,
            "{ scheme(code: \"sh-municipal\") { version document } }",
            json!({}),
        )
        .await;
    let mut document = current["scheme"]["document"].clone();
    document["version"] = json!(2);
    for indicator in document["monthly"]["indicators"].as_array_mut().unwrap() {
        if indicator["code"] == "C1" {
            indicator["params"]["deduction"] = json!("10");
        }
    }
    let create = "mutation($d: JSON!) { createScheme(document: $d) { code version builtIn } }";
    let created = app.must(&w.admin, create, json!({"d": document})).await;
    assert_eq!(
        created["createScheme"],
        json!({"code": "sh-municipal", "version": 2, "builtIn": false})
    );
    let card = march(&app, &w.supervisor, &w).await;
    assert_eq!(card["schemeVersion"], 2);
    assert_eq!(card["total"], "83.38");

    // Weights of 101: refused, naming the reason; the same version again: refused.
    let mut bad = document.clone();
    bad["version"] = json!(3);
    bad["monthly"]["indicators"][0]["weight"] = json!("11");
    let refused = app.gql(Some(&w.admin), create, json!({"d": bad})).await;
    let (code, message) = refused.error();
    assert_eq!(code, "BAD_USER_INPUT");
    assert!(message.contains("100"), "{message}");
    let again = app
        .gql(Some(&w.admin), create, json!({"d": document}))
        .await;
    assert!(again.error().1.contains("document.version"));
    // Only administrators add schemes.
    let mut other = document.clone();
    other["version"] = json!(5);
    assert_eq!(
        app.gql(Some(&w.supervisor), create, json!({"d": other}))
            .await
            .error()
            .0,
        "FORBIDDEN"
    );
}

#[tokio::test]
async fn previews_are_for_the_vendor_itself_and_its_supervisors_only() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let theirs = json!({"v": w.two.vendor, "r": w.two.region, "p": "2025-03"});
    let across = json!({"v": w.one.vendor, "r": w.two.region, "p": "2025-03"});
    for (token, vars) in [
        (&w.vendor, &theirs),
        (&w.supervisor, &theirs),
        (&w.agency, &theirs),
        (&w.supervisor, &across),
    ] {
        let answer = app.gql(Some(token), MONTHLY, vars.clone()).await;
        assert_eq!(answer.error().0, "NOT_FOUND", "{vars}");
        assert!(answer.data().is_null());
    }
    let malformed = app
        .gql(
            Some(&w.admin),
            MONTHLY,
            json!({"v": w.one.vendor, "r": w.one.region, "p": "2025-3"}),
        )
        .await;
    assert!(malformed.error().1.starts_with("period:"));
}

/// 12 of 100 systems unusable for 75 minutes, the most important of class B:
/// s = 12 % with n > 10 is scope S2; unusable over 60 minutes matches row 7 (S2)
/// and row 8 (class B), both level 2; rows 1–6 need all systems, S1 or class A.
/// The most severe level wins, the lower row on a tie: level 2, row 7.
#[tokio::test]
async fn grading_a_hypothetical_fault_returns_level_and_row() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let q = "{ gradeFault(input: { affectedSystems: 12, platformSystems: 100, mostImportantClass: B, impact: UNUSABLE, durationMinutes: 75 }) { level row explanation } }";
    let grade = app.must(&admin, q, json!({})).await;
    assert_eq!(grade["gradeFault"]["level"], 2);
    assert_eq!(grade["gradeFault"]["row"], 7);
    let none = app.gql(Some(&admin), "{ gradeFault(input: { affectedSystems: 0, platformSystems: 100, impact: DEGRADED, durationMinutes: 5 }) { level } }", json!({})).await;
    assert_eq!(none.error().0, "BAD_USER_INPUT");
}

/// An administrator loads 2027; a make-up day on a weekday is refused by name.
#[tokio::test]
async fn an_administrator_loads_another_calendar_year() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let load = "mutation($i: CalendarYearInput!) { loadCalendarYear(input: $i) { year } }";
    // 2027-02-20 is a Saturday; 2027-02-22 a Monday.
    let bad = app.gql(Some(&admin), load, json!({"i": {"year": 2027, "holidays": ["2027-01-01"], "makeupWorkdays": ["2027-02-22"]}})).await;
    let (code, message) = bad.error();
    assert_eq!(code, "BAD_USER_INPUT");
    assert!(
        message.contains("makeup_workdays[0]") || message.contains("2027-02-22"),
        "{message}"
    );
    app.must(
        &admin,
        load,
        json!({"i": {"year": 2027, "holidays": ["2027-01-01"], "makeupWorkdays": ["2027-02-20"]}}),
    )
    .await;
    let years = app
        .must(&admin, "{ calendarYears { year } }", json!({}))
        .await;
    assert_eq!(
        years["calendarYears"],
        json!([{"year": 2024}, {"year": 2025}, {"year": 2026}, {"year": 2027}])
    );
}
