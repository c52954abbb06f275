//! A supervisor's month end as a person does it (issue 13, "Tests: a real
//! browser"): signs in, records a work order through its form picking names
//! and typing Beijing times, runs and publishes March 2025 through the
//! dashboard's confirmations, sees the ranking drawn as a chart, opens a
//! scorecard and follows a deduction to its fact. What the pages did is
//! checked against GraphQL.
//!
//! The world of `world.rs` with V3 (云3) in R1, as in console_dashboards.rs.

use chrono::{DateTime, Utc};
use e2e::{TestApp, spawn_app};
use serde_json::{Value, json};

use crate::harness::{Browser, Driver};
use crate::world::{self, SUPERVISOR, World, with_second_vendor};

const RANKING: &str = "query($r: ID!, $p: String!) { ranking(regionId: $r, period: $p) {
    vendor { name } resultId total published } }";

pub async fn a_supervisor_records_a_work_order_and_publishes_the_month(driver: &Driver) {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    with_second_vendor(&app, &w).await;
    let browser = driver.browser(&app).await;
    browser.open("/login").await;
    browser.screenshot("supervisor-sign-in").await;
    browser.sign_in(SUPERVISOR.0, SUPERVISOR.1).await;

    records_a_work_order(&browser, &app, &w).await;
    runs_and_publishes_march(&browser).await;
    let ranking = sees_the_ranking_drawn(&browser, &app, &w).await;
    follows_a_deduction_to_its_fact(&browser, &w, &ranking).await;

    browser.close().await;
    // Publishing mailed V1's notice (88.38 < 90).
    app.deliver_pending_mail().await;
}

/// The work order form, every reference picked by its name, the times typed
/// as the clerk reads them off the paper order (Beijing time).
async fn records_a_work_order(browser: &Browser, app: &TestApp, w: &World) {
    browser.open("/facts/work-orders/new").await;
    browser.select("regionId", "区1").await;
    browser.select("vendorId", "云1").await;
    browser.select("agencyId", "单位1").await;
    browser.select("systemId", "系统1").await;
    browser.fill("title", "数据库扩容").await;
    browser.set_value("approvedAt", "2025-04-08T09:30").await;
    browser.set_value("completedAt", "2025-04-10T17:00").await;
    browser
        .full_page_screenshot("supervisor-work-order-form")
        .await;
    browser.click("main form button[type=submit]").await;

    browser.wait_for_text("已保存。").await;
    let path = browser.path().await;
    let id = path
        .strip_prefix("/facts/work-orders/")
        .and_then(|rest| rest.strip_suffix("?saved=1"))
        .unwrap_or_else(|| panic!("the new record's page, not {path}"))
        .to_owned();
    // The record's page shows it back as it was typed.
    assert_eq!(browser.value("title").await, "数据库扩容");
    assert_eq!(browser.value("approvedAt").await, "2025-04-08T09:30");
    assert_eq!(browser.value("completedAt").await, "2025-04-10T17:00");

    let data = app
        .must(
            &w.supervisor,
            "query($id: ID!) { workOrder(id: $id) { title approvedAt completedAt
                vendor { name } agency { name } system { name } } }",
            json!({"id": id}),
        )
        .await;
    let wo = &data["workOrder"];
    assert_eq!(wo["title"], "数据库扩容");
    assert_eq!(wo["vendor"]["name"], "云1");
    assert_eq!(wo["agency"]["name"], "单位1");
    assert_eq!(wo["system"]["name"], "系统1");
    // Beijing is UTC+8 all year: 2025-04-08 09:30 is 01:30Z the same day,
    // 2025-04-10 17:00 is 09:00Z.
    assert_eq!(utc(&wo["approvedAt"]), "2025-04-08T01:30:00+00:00");
    assert_eq!(utc(&wo["completedAt"]), "2025-04-10T09:00:00+00:00");
}

fn utc(instant: &Value) -> String {
    DateTime::parse_from_rfc3339(instant.as_str().expect("a time"))
        .expect("RFC 3339")
        .with_timezone(&Utc)
        .to_rfc3339()
}

/// March 2025 (the work order above is April's, so March is the world's):
/// run, confirm, see the draft; publish, confirm, see it published.
async fn runs_and_publishes_march(browser: &Browser) {
    browser.open("/?month=2025-03").await;
    browser.wait_for_text("2025年3月尚未运行考核").await;
    browser
        .click("form[action=\"/runs/monthly\"] button[type=submit]")
        .await;
    let asked = browser.accept_confirm().await;
    assert!(
        asked.contains("将对区12025年3月运行月度考核") && asked.contains("新的草稿版本"),
        "{asked}"
    );
    browser.wait_for_text("月度考核已运行").await;
    browser
        .wait_for_text("草稿（尚未发布，服务商不可见）")
        .await;

    browser
        .click("form[action^=\"/runs/\"][action$=\"/publish\"] button[type=submit]")
        .await;
    let asked = browser.accept_confirm().await;
    assert!(
        asked.contains("将发布区12025年3月的考核结果"),
        "names the region and month: {asked}"
    );
    assert!(
        asked.contains("整改通知") && asked.contains("邮件"),
        "{asked}"
    );
    browser.wait_for_text("考核结果已发布").await;
    browser.wait_for_text("已发布的结果（服务商可见）").await;
}

/// The published ranking as the table and the chart show it, the same as
/// GraphQL's; returns GraphQL's ranking.
async fn sees_the_ranking_drawn(browser: &Browser, app: &TestApp, w: &World) -> Vec<Value> {
    let chart = browser.drawing("[data-chart]").await;
    assert!(chart.shapes > 0, "an empty chart");
    assert!(
        chart.width > 0.0 && chart.height > 0.0,
        "a chart of no size"
    );
    assert!(
        chart.text.contains("云3") && chart.text.contains("云1"),
        "the vendors named on the chart: {}",
        chart.text
    );
    browser.full_page_screenshot("supervisor-dashboard").await;

    let ranking = app
        .must(
            &w.supervisor,
            RANKING,
            json!({"r": w.one.region, "p": "2025-03"}),
        )
        .await["ranking"]
        .as_array()
        .expect("a ranking")
        .clone();
    let graphql: Vec<(String, String)> = ranking
        .iter()
        .map(|r| (name(&r["vendor"]["name"]), name(&r["total"])))
        .collect();
    let shown: Vec<(String, String)> = browser
        .table("table.ranking")
        .await
        .into_iter()
        .map(|row| (row[1].clone(), row[2].clone()))
        .collect();
    assert_eq!(shown, graphql);
    // By hand (console_dashboards.rs): 云3 loses 5 points for its one liable
    // complaint (C1), 100 − 5 = 95.00; 云1 scores 88.37598566 → 88.38.
    assert_eq!(
        shown,
        [
            ("云3".into(), "95.00".into()),
            ("云1".into(), "88.38".into())
        ]
    );
    assert!(ranking.iter().all(|r| r["published"] == true));
    ranking
}

fn name(value: &Value) -> String {
    value.as_str().expect("a text").to_owned()
}

/// 云1's scorecard, then the work order behind its A1 deduction: the world's
/// "扩容", approved 3 March 2025 and still open after its due date.
async fn follows_a_deduction_to_its_fact(browser: &Browser, w: &World, ranking: &[Value]) {
    let v1 = ranking
        .iter()
        .find(|r| r["vendor"]["name"] == "云1")
        .expect("云1 ranked");
    let scorecard = format!("/results/{}", name(&v1["resultId"]));
    browser.click(&format!("a[href=\"{scorecard}\"]")).await;
    browser.wait_for_path(&scorecard).await;
    let page = browser.wait_for_text("云1 · 2025年3月月度考核评分表").await;
    assert!(page.contains("88.38"), "{page}");
    assert!(page.contains("扣 0.50 分"), "{page}");
    browser.full_page_screenshot("supervisor-scorecard").await;

    let (_, work_order) = w
        .one
        .facts
        .iter()
        .find(|(kind, _)| *kind == "workOrders")
        .expect("the world's work order");
    let fact = format!("/facts/work-orders/{work_order}");
    browser.click(&format!("li.fact a[href=\"{fact}\"]")).await;
    browser.wait_for_path(&fact).await;
    assert_eq!(browser.value("title").await, "扩容");
    // Approved 2025-03-03 09:00 Beijing, shown back as typed.
    assert_eq!(browser.value("approvedAt").await, "2025-03-03T09:00");
}
