//! What a run costs (issue 17 item 3): a run reads only the kinds of fact its
//! scorecard's indicators read, reads its vendors a batch at a time and
//! writes all of its results at once, so its statements do not grow vendor
//! by vendor.
//!
//! The world's R1 has V1 with one fact of every kind (world.rs), all in
//! March 2025 but the security risk, whose deadline (2025-04-10) puts it in
//! April's window and in the year's.

use e2e::{TestApp, spawn_app, spawn_app_with};
use serde_json::{Value, json};

use crate::statements::{add_vendor, cost};
use crate::world::{self, World};

const MONTHLY: &str = "mutation($r: ID!) { runMonthlyAssessment(regionId: $r, period: \"2025-03\") { id status rowsRead } }";
const ANNUAL: &str = "mutation($r: ID!) { runAnnualAssessment(regionId: $r, serviceYear: 2025) { id status rowsRead results { total } } }";

async fn run(app: &TestApp, w: &World, mutation: &str) -> Value {
    let data = app
        .must(&w.supervisor, mutation, json!({"r": w.one.region}))
        .await;
    let run = data.as_object().unwrap().values().next().unwrap().clone();
    assert_eq!(run["status"], "SUCCEEDED", "{run}");
    run
}

#[tokio::test]
async fn the_annual_run_reads_only_the_kinds_its_annual_indicators_read() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    // March reads the nine kinds of A1–G1 (spec §1): the work order (A1 A2),
    // the task (A3), the delivery (A4), the attendance (B1), the complaint
    // (C1), the outage (D1), the fault (E1–E4), the change (F1 F2) and the
    // violation (G1) = 9 rows; no longer the training, the accident and the
    // survey response of the year, which it read before (12).
    let march = run(&app, &w, MONTHLY).await;
    assert_eq!(march["rowsRead"], 9);
    app.must(
        &w.supervisor,
        "mutation($id: ID!) { publishAssessmentRun(runId: $id) { id } }",
        json!({"id": march["id"]}),
    )
    .await;
    // The year reads H1's survey response, I1's training, J1's risk and J2's
    // accident (spec §2) = 4 rows, where it read all 13 of the year before;
    // its total is unchanged: 88.37598566 × 0.8 + 74 × 0.2 = 85.50078853 →
    // 85.50 (lifecycle.rs).
    let year = run(&app, &w, ANNUAL).await;
    assert_eq!(year["rowsRead"], 4);
    assert_eq!(year["results"], json!([{"total": "85.50"}]));
    app.deliver_pending_mail().await;
}

#[tokio::test]
async fn a_monthly_run_reads_its_vendors_four_at_a_time() {
    // The mail sender polls rarely, so it does not run between the counts.
    let app = spawn_app_with(|c| c.mail.poll_seconds = 3600).await;
    let w = world::build(&app).await;
    let alone = cost(&app, &w.supervisor, MONTHLY, &json!({"r": w.one.region})).await;
    // V1 and three more vendors: still one batch, the same statements.
    for n in 1..=3 {
        add_vendor(&app, &w, n).await;
    }
    let four = cost(&app, &w.supervisor, MONTHLY, &json!({"r": w.one.region})).await;
    assert_eq!(four, alone, "four vendors are read as one");
    // A fifth vendor starts a second batch: one read per monthly kind = 9
    // more. The results of both batches are written together at the end (one
    // statement for the latest revisions, one insert), as for one batch.
    add_vendor(&app, &w, 4).await;
    let five = cost(&app, &w.supervisor, MONTHLY, &json!({"r": w.one.region})).await;
    assert_eq!(five, alone + 9);
    app.deliver_pending_mail().await;
}
