//! No N+1 (issue 5): the SQL statements one dashboard or list request issues do
//! not grow with the number of vendors or rows. Counted by the server itself
//! (`govcloud_db_statements_total` on `/metrics`, every statement the pool ran),
//! once with two vendors in R1 and again with six, each with more facts.

use e2e::{TestApp, id_of, spawn_app_with};
use serde_json::{Value, json};

use crate::world::{self, World};

const METRIC: &str = "govcloud_db_statements_total";

/// The reads whose cost must stay flat, with the nested fields that would cost
/// a query per row without batching.
fn reads(w: &World) -> Vec<(&'static str, String, Value)> {
    vec![
        (
            "ranking",
            "query($r: ID!) { ranking(regionId: $r, period: \"2025-03\") { rank total
                vendor { name contracts { id } systems { id agency { name } } }
                scorecard { indicators { code score deductions { points reason } } } } }"
                .into(),
            json!({"r": w.one.region}),
        ),
        (
            "vendorTrend",
            "query($v: ID!, $r: ID!) { vendorTrend(vendorId: $v, regionId: $r, year: 2025) { period total } }".into(),
            json!({"v": w.one.vendor, "r": w.one.region}),
        ),
        (
            "noticeCounts",
            "query($r: ID) { noticeCounts(regionId: $r) { vendor { name contracts { id } } open overdue } }".into(),
            json!({"r": w.one.region}),
        ),
        (
            "workOrders",
            "{ workOrders(limit: 500) { total items { title region { name } vendor { name contracts { id } }
                agency { name } system { name agency { name } vendor { name } } } } }"
                .into(),
            json!({}),
        ),
        (
            "contracts",
            "{ contracts(limit: 500) { items { id agency { name } lines { lineTotal }
                instalments { amount paidOn } supplements { amount } contacts { name } } } }"
                .into(),
            json!({}),
        ),
        (
            "catalogueItems",
            "{ catalogueItems(limit: 500) { items { code prices { unitPrice validFrom } } } }".into(),
            json!({}),
        ),
        (
            "assessmentResults",
            "{ assessmentResults(limit: 500) { items { total vendor { name } } } }".into(),
            json!({}),
        ),
    ]
}

/// A counter summed over its labels, read off `/metrics`.
async fn statements(app: &TestApp) -> u64 {
    let text = app
        .client
        .get(format!("{}/metrics", app.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    text.lines()
        .filter(|l| l.starts_with(METRIC))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum::<f64>() as u64
}

/// The statements one request costs: the fewest over three tries, because
/// background work (the mail sender) can only add to a try, never take away.
pub(crate) async fn cost(app: &TestApp, token: &str, query: &str, vars: &Value) -> u64 {
    let mut fewest = u64::MAX;
    for _ in 0..3 {
        let scrape = {
            let a = statements(app).await;
            statements(app).await - a
        };
        let before = statements(app).await;
        app.must(token, query, vars.clone()).await;
        let after = statements(app).await;
        fewest = fewest.min(after - before - scrape);
    }
    fewest
}

/// A vendor in R1 with a 2025 contract, a system, a work order and a complaint
/// in March 2025.
pub(crate) async fn add_vendor(app: &TestApp, w: &World, n: u32) {
    let q = |m: &str, t: &str| format!("mutation($i: {t}!) {{ {m}(input: $i) {{ id }} }}");
    let create = |m: &'static str, t: &'static str, input: Value| {
        let query = q(m, t);
        async move { id_of(&app.must(&w.admin, &query, json!({"i": input})).await, m) }
    };
    let v = create(
        "createVendor",
        "CreateVendorInput",
        json!({"code": format!("VX{n}"), "name": format!("云{n}"), "contactEmails": [format!("ops{n}@v.example.cn")]}),
    )
    .await;
    create("createContract", "CreateContractInput",
        json!({"vendorId": v, "regionId": w.one.region, "serviceYear": 2025, "settlementAmount": "500000.00", "monthlyFee": "41666.67"})).await;
    let s = create("createInformationSystem", "CreateInformationSystemInput",
        json!({"regionId": w.one.region, "agencyId": w.one.agency, "vendorId": v, "name": format!("系统{n}"), "class": "A", "protectionLevel": 2, "onlineOn": "2024-01-01"})).await;
    let item = create("createCatalogueItem", "CreateCatalogueItemInput",
        json!({"code": format!("X{n}"), "category": "计算服务", "subCategory": "X86", "name": format!("服务项{n}"),
               "unit": "1 GB", "priceUnit": "元/月"})).await;
    create("createCataloguePrice", "CreateCataloguePriceInput",
        json!({"itemId": item, "vendorId": v, "unitPrice": "35", "validFrom": "2025-01-01", "validTo": "2025-12-31"})).await;
    create("createWorkOrder", "CreateWorkOrderInput",
        json!({"regionId": w.one.region, "vendorId": v, "agencyId": w.one.agency, "systemId": s, "title": "扩容",
               "approvedAt": "2025-03-03T09:00:00+08:00", "confirmed": true, "vendorLiable": true})).await;
    create("createComplaint", "CreateComplaintInput",
        json!({"regionId": w.one.region, "vendorId": v, "agencyId": w.one.agency, "channel": "LETTER",
               "description": "响应慢", "receivedAt": "2025-03-14T10:00:00+08:00", "confirmed": true, "vendorLiable": true})).await;
}

async fn run_and_publish_march(app: &TestApp, w: &World) {
    let run = "mutation($r: ID!) { runMonthlyAssessment(regionId: $r, period: \"2025-03\") { id status } }";
    let run = app.must(&w.admin, run, json!({"r": w.one.region})).await;
    assert_eq!(run["runMonthlyAssessment"]["status"], "SUCCEEDED");
    app.must(
        &w.admin,
        "mutation($id: ID!) { publishAssessmentRun(runId: $id) { id } }",
        json!({"id": run["runMonthlyAssessment"]["id"]}),
    )
    .await;
}

async fn costs(app: &TestApp, w: &World) -> Vec<(&'static str, u64)> {
    let mut out = Vec::new();
    for (name, query, vars) in reads(w) {
        out.push((name, cost(app, &w.admin, &query, &vars).await));
    }
    out
}

#[tokio::test]
async fn dashboard_and_list_requests_cost_the_same_statements_with_three_times_the_vendors() {
    // The mail sender polls rarely, so it does not run between the counts.
    let app = spawn_app_with(|c| c.mail.poll_seconds = 3600).await;
    let w = world::build(&app).await;
    // R1: V1 (from the world) and one more vendor: 2 vendors, 2 results.
    add_vendor(&app, &w, 1).await;
    run_and_publish_march(&app, &w).await;
    let small = costs(&app, &w).await;
    // Four more vendors, each with a contract, a system, a work order and a
    // complaint: 6 vendors in R1, 3 times the results and more than 3 times the
    // work orders; a second revision of every result.
    for n in 2..=5 {
        add_vendor(&app, &w, n).await;
    }
    run_and_publish_march(&app, &w).await;
    let large = costs(&app, &w).await;
    assert_eq!(large, small, "statements per request grew with the data");
    // And every read costs something: the counter does count this server's SQL.
    assert!(small.iter().all(|(_, n)| *n > 0), "{small:?}");
    app.deliver_pending_mail().await;
}
