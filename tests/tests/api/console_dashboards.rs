//! The supervisor's month end in the console (issue 13, item 2): the
//! dashboard of a region and month, the run and publish forms, and the
//! scorecard of one result, on the world of `world.rs` (plus V3 in R1 from
//! `dashboards.rs`). Expected numbers are worked out in the comments.

use e2e::TestApp;
use e2e::console::ConsoleUser;
use e2e::spawn_app;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::world::{self, SUPERVISOR, VENDOR, World, with_second_vendor};

const RANKING: &str = "query($r: ID!, $p: String!) { ranking(regionId: $r, period: $p) {
    vendor { name } resultId total published revision } }";
const RUNS: &str = "query($p: String) { assessmentRuns(filter: { period: $p }) { items { id kind period status } } }";
const ANNUAL: &str =
    "query($r: ID!) { annualResults(regionId: $r, serviceYear: 2025) { resultId } }";

/// The first `data-confirm` text on the page after `after`.
fn confirm_after(body: &str, after: &str) -> String {
    let from = body
        .find(after)
        .unwrap_or_else(|| panic!("{after} not on the page"));
    body[from..]
        .split("data-confirm=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a confirmation")
        .to_owned()
}

async fn ranking(app: &TestApp, token: &str, w: &World) -> Value {
    app.must(token, RANKING, json!({"r": w.one.region, "p": "2025-03"}))
        .await["ranking"]
        .clone()
}

/// R1, March 2025, published:
/// - V3 (云3): 100 − 5 = 95 for its one liable complaint (C1) → 95.00, passed.
/// - V1 (云1): 88.37598566 → 88.38 (indicator by indicator in assessment.rs),
///   below the scheme's pass mark of 90 → not passed, and one notice issued.
///
/// So 云3 ranks 1st and 云1 2nd, the bar chart carries 95.00 and 88.38 in that
/// order with the dashed line at 90, and the region has 1 open notice, 0
/// overdue (due 10 working days after publishing).
#[tokio::test]
async fn the_supervisors_dashboard_shows_the_published_ranking_and_its_chart() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    with_second_vendor(&app, &w).await;
    world::publish_month(&app, &w, "2025-03").await;
    let mut sup = ConsoleUser::sign_in(&app, SUPERVISOR.0, SUPERVISOR.1).await;
    // No month asked: the latest month run for the region, March 2025.
    let page = sup.get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    assert!(body.contains("区1 · 2025年3月考核看板"), "{body}");
    assert!(body.contains("已发布的结果（服务商可见）"), "{body}");
    let (v3, v1) = (body.find("95.00").unwrap(), body.find("88.38").unwrap());
    assert!(v3 < v1, "95.00 ranks above 88.38");
    assert!(body.contains("<td>1</td><td>云3</td>"), "{body}");
    assert!(body.contains("<td>2</td><td>云1</td>"), "{body}");
    assert!(body.contains("未达标") && body.contains("达标"), "{body}");
    let drawn = e2e::console::chart(body);
    assert_eq!(drawn["categories"], json!(["云3", "云1"]));
    assert_eq!(drawn["series"][0]["data"], json!(["95.00", "88.38"]));
    assert_eq!(drawn["passLine"], "90", "the scheme's pass mark");
    // The same totals as GraphQL's ranking, each row linked to its scorecard
    // and to the vendor's trend.
    let graphql = ranking(&app, &w.supervisor, &w).await;
    for row in graphql.as_array().unwrap() {
        assert!(body.contains(&format!("/results/{}", row["resultId"].as_str().unwrap())));
        assert!(body.contains(row["total"].as_str().unwrap()));
    }
    assert!(body.contains(&format!(
        "/vendors/{}/trend?region={}",
        w.one.vendor, w.one.region
    )));
    assert!(body.contains("未结整改通知 <strong>1</strong>"), "{body}");
    assert!(
        body.contains("已逾期 <strong class=\"\">0</strong>"),
        "{body}"
    );
    assert!(body.contains("href=\"/notices\""));
    app.deliver_pending_mail().await;
}

#[tokio::test]
async fn an_administrator_picks_the_region_by_name() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let mut admin = ConsoleUser::sign_in(&app, e2e::ADMIN_USERNAME, e2e::ADMIN_PASSWORD).await;
    let page = admin.get("/?month=2025-03").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains(&format!(
            "<option value=\"{}\" selected>区1</option>",
            w.one.region
        )),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains(&format!("<option value=\"{}\">区2</option>", w.two.region))
    );
    let page = admin
        .get(&format!("/?region={}&month=2025-03", w.two.region))
        .await;
    assert!(
        page.body.contains("区2 · 2025年3月考核看板"),
        "{}",
        page.body
    );
    assert!(page.body.contains("2025年3月尚未运行考核"));
    // A supervisor has no picker: its own region whatever the address asks.
    let mut sup = ConsoleUser::sign_in(&app, SUPERVISOR.0, SUPERVISOR.1).await;
    let page = sup
        .get(&format!("/?region={}&month=2025-03", w.two.region))
        .await;
    assert!(page.body.contains("区1 · 2025年3月考核看板"));
    assert!(!page.body.contains("<select name=\"region\">"));
}

/// Running March through the form makes a draft GraphQL sees (SUCCEEDED, not
/// published); publishing it through the form makes it published and issues
/// V1's notice (88.38 < 90), one mail to ops1@v.example.cn.
#[tokio::test]
async fn running_and_publishing_through_the_forms_change_what_graphql_sees() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let mut sup = ConsoleUser::sign_in(&app, SUPERVISOR.0, SUPERVISOR.1).await;
    let page = sup.get("/?month=2025-03").await;
    let confirm = confirm_after(&page.body, "action=\"/runs/monthly\"");
    assert!(
        confirm.contains("区1") && confirm.contains("2025年3月"),
        "{confirm}"
    );
    assert!(confirm.contains("新的草稿版本"), "{confirm}");
    let region = w.one.region.clone();
    let ran = sup
        .post(
            "/runs/monthly",
            &[("region", &region), ("month", "2025-03")],
        )
        .await;
    assert_eq!(ran.status, StatusCode::SEE_OTHER, "{}", ran.body);
    let back = ran.location.unwrap();
    assert_eq!(
        back,
        format!("/?region={region}&month=2025-03&done=monthly")
    );
    let runs = app.must(&w.supervisor, RUNS, json!({"p": "2025-03"})).await;
    let run = runs["assessmentRuns"]["items"][0].clone();
    assert_eq!(run["status"], "SUCCEEDED");
    let graphql = ranking(&app, &w.supervisor, &w).await;
    assert_eq!(graphql[0]["published"], false);

    let page = sup.get(&back).await;
    assert!(page.body.contains("月度考核已运行"), "{}", page.body);
    assert!(page.body.contains("草稿（尚未发布，服务商不可见）"));
    let publish = format!("/runs/{}/publish", run["id"].as_str().unwrap());
    let confirm = confirm_after(&page.body, &format!("action=\"{publish}\""));
    assert!(
        confirm.contains("区1") && confirm.contains("2025年3月"),
        "{confirm}"
    );
    assert!(
        confirm.contains("整改通知") && confirm.contains("邮件"),
        "{confirm}"
    );
    assert!(confirm.contains("90.00"), "the pass mark: {confirm}");
    let published = sup
        .post(&publish, &[("region", &region), ("month", "2025-03")])
        .await;
    assert_eq!(
        published.status,
        StatusCode::SEE_OTHER,
        "{}",
        published.body
    );
    assert!(published.location.unwrap().ends_with("&done=published"));
    let graphql = ranking(&app, &w.supervisor, &w).await;
    assert_eq!(graphql[0]["published"], true);
    world::vendor_notice(&app, &w, "MONTHLY_BELOW_PASS_MARK").await;
    // Audited as the mutations are, by the same names.
    let trail = app
        .must(
            &w.admin,
            "{ auditEntries { items { operation username } } }",
            json!({}),
        )
        .await;
    let ops: Vec<&str> = trail["auditEntries"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["username"] == SUPERVISOR.0)
        .map(|e| e["operation"].as_str().unwrap())
        .collect();
    assert!(
        ops.contains(&"runMonthlyAssessment") && ops.contains(&"publishAssessmentRun"),
        "{ops:?}"
    );
    let report = app.deliver_pending_mail().await;
    let _ = report;
}

/// A month that has not ended is refused with the job's own reason, in
/// Chinese, and nothing is run.
#[tokio::test]
async fn a_month_not_yet_ended_is_refused_in_chinese() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let mut sup = ConsoleUser::sign_in(&app, SUPERVISOR.0, SUPERVISOR.1).await;
    sup.get("/").await;
    let region = w.one.region.clone();
    let page = sup
        .post(
            "/runs/monthly",
            &[("region", &region), ("month", "2099-01")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("尚未结束"), "{}", page.body);
    assert!(page.body.contains("没有做任何更改"));
    let runs = app.must(&w.supervisor, RUNS, json!({"p": "2099-01"})).await;
    assert_eq!(runs["assessmentRuns"]["items"], json!([]));
}

/// V1's March scorecard: A1 10 − 0.5 = 9.5 because the work order "扩容",
/// approved Mon 3 March 2025 09:00 (Beijing), was due by the end of 10 March
/// and is still open (assessment.rs). The deduction names it by title, at its
/// local time, with a link to its page.
#[tokio::test]
async fn the_scorecard_lists_each_deduction_with_its_fact() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    world::publish_month(&app, &w, "2025-03").await;
    let result = ranking(&app, &w.supervisor, &w).await[0]["resultId"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut sup = ConsoleUser::sign_in(&app, SUPERVISOR.0, SUPERVISOR.1).await;
    let page = sup.get(&format!("/results/{result}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    assert!(body.contains("云1 · 2025年3月月度考核评分表"), "{body}");
    assert!(body.contains("<strong>88.38</strong>"));
    assert!(body.contains("<td>A1</td>"), "{body}");
    assert!(
        body.contains("<td class=\"num\">10.00</td><td class=\"num\">9.50</td>"),
        "{body}"
    );
    assert!(body.contains("扣 0.50 分"), "{body}");
    let work_order = &w
        .one
        .facts
        .iter()
        .find(|(k, _)| *k == "workOrders")
        .unwrap()
        .1;
    let link =
        format!("<a href=\"/facts/work-orders/{work_order}\">扩容</a>（2025年3月3日 09:00）");
    assert!(body.contains(&link), "{body}");
    // The link names the fact GraphQL knows by that id and title.
    let fact = app
        .must(
            &w.supervisor,
            "query($id: ID!) { workOrder(id: $id) { title } }",
            json!({"id": work_order}),
        )
        .await;
    assert_eq!(fact["workOrder"]["title"], "扩容");
    app.deliver_pending_mail().await;
}

/// Service year 2025 in R1, run through the form with only March published
/// (as in dashboards.rs): V1's monthly mean 88.37598566 → 88.38, × 80 % =
/// 70.700788528 → 70.70; annual scorecard 74.00, × 20 % = 14.80; total
/// 85.500788528 → 85.50, below 90 → tier 5 %: ¥1,105,728.00 × 5 % = ¥55,286.40.
#[tokio::test]
async fn the_annual_scorecard_shows_the_blend_and_the_penalty() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    world::publish_month(&app, &w, "2025-03").await;
    let mut sup = ConsoleUser::sign_in(&app, SUPERVISOR.0, SUPERVISOR.1).await;
    let page = sup.get("/?month=2025-03").await;
    let confirm = confirm_after(&page.body, "action=\"/runs/annual\"");
    assert!(
        confirm.contains("区1 2025 服务年度") && confirm.contains("80 %"),
        "{confirm}"
    );
    let region = w.one.region.clone();
    let ran = sup
        .post(
            "/runs/annual",
            &[("region", &region), ("month", "2025-03"), ("year", "2025")],
        )
        .await;
    assert_eq!(ran.status, StatusCode::SEE_OTHER, "{}", ran.body);
    let annual = app.must(&w.supervisor, ANNUAL, json!({"r": region})).await;
    let result = annual["annualResults"][0]["resultId"]
        .as_str()
        .unwrap()
        .to_owned();
    let page = sup.get(&format!("/results/{result}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    for shown in [
        "<td>月度考核平均分</td><td class=\"num\">88.38</td><td class=\"num\">80 %</td><td class=\"num\">70.70</td>",
        "<td>年度指标得分</td><td class=\"num\">74.00</td><td class=\"num\">20 %</td><td class=\"num\">14.80</td>",
        "<strong>85.50</strong>",
        "扣减结算金额的 5 %",
        "¥1,105,728.00",
        "¥55,286.40",
        "草稿（第 1 版）",
    ] {
        assert!(body.contains(shown), "{shown}: {body}");
    }
    app.deliver_pending_mail().await;
}

/// A vendor opens its own published scorecard, not the other vendor's (R2's
/// March, published) nor a draft (R1's March run again: revision 2).
#[tokio::test]
async fn a_vendor_opens_its_own_published_scorecard_only() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    world::publish_month(&app, &w, "2025-03").await;
    let own = ranking(&app, &w.supervisor, &w).await[0]["resultId"]
        .as_str()
        .unwrap()
        .to_owned();
    let other = publish_r2_march(&app, &w).await;
    let draft = rerun_r1_march(&app, &w).await;
    let mut vendor = ConsoleUser::sign_in(&app, VENDOR.0, VENDOR.1).await;
    let page = vendor.get(&format!("/results/{own}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("云1") && page.body.contains("88.38"));
    assert!(page.body.contains("已发布（第 1 版）"));
    for hidden in [other, draft] {
        let page = vendor.get(&format!("/results/{hidden}")).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{hidden}");
        assert!(!page.body.contains("评分表"), "{hidden}");
    }
    app.deliver_pending_mail().await;
}

/// Runs a region's March 2025 as `token`: the run's id and its first result.
async fn run_march(app: &TestApp, token: &str, region: &str) -> (Value, Value) {
    let run = app
        .must(
            token,
            "mutation($r: ID!) { runMonthlyAssessment(regionId: $r, period: \"2025-03\") { id results { id published } } }",
            json!({"r": region}),
        )
        .await["runMonthlyAssessment"]
        .clone();
    (run["id"].clone(), run["results"][0].clone())
}

/// Publishes R2's March as the administrator; returns V2's result id.
pub(crate) async fn publish_r2_march(app: &TestApp, w: &World) -> String {
    let (run, result) = run_march(app, &w.admin, &w.two.region).await;
    app.must(
        &w.admin,
        "mutation($id: ID!) { publishAssessmentRun(runId: $id) { id } }",
        json!({"id": run}),
    )
    .await;
    result["id"].as_str().unwrap().to_owned()
}

/// Runs R1's March again (a draft revision); returns V1's draft result id.
pub(crate) async fn rerun_r1_march(app: &TestApp, w: &World) -> String {
    let (_, result) = run_march(app, &w.supervisor, &w.one.region).await;
    assert_eq!(result["published"], false);
    result["id"].as_str().unwrap().to_owned()
}
