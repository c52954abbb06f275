//! The dashboards (issue 4, item 4) on the world of `world.rs` with a second
//! vendor in R1: V3, contracted for 2025, whose only fact is one liable complaint
//! in March 2025. Expected numbers are worked out in the comments.

use e2e::{TestApp, spawn_app};
use serde_json::{Value, json};

use crate::world::{self, World, with_second_vendor};

const RANKING: &str = "query($r: ID!, $p: String!) { ranking(regionId: $r, period: $p) {
    rank vendor { id name } total passed published revision
    scorecard { total indicators { code score warnings } } } }";
const TREND: &str =
    "query($v: ID!, $r: ID!, $y: Int!) { vendorTrend(vendorId: $v, regionId: $r, year: $y) {
    period total passed published revision } }";
const SATISFACTION: &str =
    "query($r: ID!, $y: Int!) { satisfaction(regionId: $r, serviceYear: $y) {
    vendor { id } responses percent } }";
const ANNUAL: &str = "query($r: ID!, $y: Int!) { annualResults(regionId: $r, serviceYear: $y) {
    vendor { id } revision published passed total monthlyMean monthlyPart annualTotal annualPart
    totalExact monthlyPartExact annualPartExact
    monthsWithoutResult penalty { tierBelow rate rateExact settlementAmount amount amountExact } scorecard { total } } }";
const NOTICE_COUNTS: &str =
    "query($r: ID) { noticeCounts(regionId: $r) { regionId vendor { id } open overdue } }";

/// Runs March 2025 for R1 as its supervisor; returns the run's id.
async fn run_march(app: &TestApp, w: &World) -> Value {
    let run = "mutation($r: ID!) { runMonthlyAssessment(regionId: $r, period: \"2025-03\") { id status } }";
    let run = app
        .must(&w.supervisor, run, json!({"r": w.one.region}))
        .await["runMonthlyAssessment"]
        .clone();
    assert_eq!(run["status"], "SUCCEEDED");
    run["id"].clone()
}

async fn publish(app: &TestApp, w: &World, run: &Value) {
    app.must(
        &w.supervisor,
        "mutation($id: ID!) { publishAssessmentRun(runId: $id) { id } }",
        json!({"id": run}),
    )
    .await;
}

/// A supervisor of R2, to knock on R1's door.
async fn second_supervisor(app: &TestApp, w: &World) -> String {
    let user = "mutation($r: ID!) { createUser(input: { username: \"sup2\", password: \"Supervisor-pass-2\", role: SUPERVISOR, regionId: $r }) { id } }";
    app.must(&w.admin, user, json!({"r": w.two.region})).await;
    app.login("sup2", "Supervisor-pass-2").await
}

/// total, monthly mean, monthly part, annual total, annual part, as shown:
/// always two decimals (95 × 0.8 is "76.00", not "76.0").
fn parts(row: &Value) -> [&str; 5] {
    [
        "total",
        "monthlyMean",
        "monthlyPart",
        "annualTotal",
        "annualPart",
    ]
    .map(|f| row[f].as_str().unwrap_or_else(|| panic!("{f}: {row}")))
}

fn indicator<'a>(card: &'a Value, code: &str) -> &'a Value {
    card["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == code)
        .unwrap()
}

/// March 2025 in R1:
/// - V3: C1 10 − 5 = 5 for its one liable complaint; no work order, task,
///   delivery, outage, fault, change or violation, so A1–A4, D1, E1–E4, F1, F2
///   and G1 are full; no attendance record, so B1 is full (10) with a warning.
///   Total 100 − 5 = 95 ≥ 90: passed.
/// - V1: 88.37598566 → 88.38 (worked out in assessment.rs), below 90.
///
/// So V3 ranks first and V1 second for the supervisor. V1 as a vendor sees no
/// draft, and after publishing only its own row, without a rank.
#[tokio::test]
async fn the_supervisor_sees_every_vendor_ranked_and_a_vendor_only_its_own_published_row() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let v3 = with_second_vendor(&app, &w).await;
    let run = run_march(&app, &w).await;
    let vars = json!({"r": w.one.region, "p": "2025-03"});

    let ranking = app.must(&w.supervisor, RANKING, vars.clone()).await["ranking"].clone();
    let rows = ranking.as_array().unwrap();
    assert_eq!(rows.len(), 2, "{ranking}");
    let summary = |r: &Value| {
        json!([
            r["rank"],
            r["vendor"]["id"],
            r["total"],
            r["passed"],
            r["published"],
            r["revision"]
        ])
    };
    assert_eq!(summary(&rows[0]), json!([1, v3, "95.00", true, false, 1]));
    assert_eq!(
        summary(&rows[1]),
        json!([2, w.one.vendor, "88.38", false, false, 1])
    );
    assert_eq!(rows[0]["vendor"]["name"], "云3");
    let card = &rows[0]["scorecard"];
    assert_eq!(card["total"], "95.00");
    assert_eq!(indicator(card, "C1")["score"], "5.00");
    let b1 = indicator(card, "B1");
    assert_eq!(b1["score"], "10.00");
    assert_eq!(
        b1["warnings"].as_array().unwrap().len(),
        1,
        "no attendance record: {b1}"
    );
    assert_eq!(indicator(&rows[1]["scorecard"], "C1")["score"], "5.00");

    // Drafts are not the vendor's to see.
    assert_eq!(
        app.must(&w.vendor, RANKING, vars.clone()).await["ranking"],
        json!([])
    );
    publish(&app, &w, &run).await;
    let mine = app.must(&w.vendor, RANKING, vars.clone()).await["ranking"].clone();
    assert_eq!(mine.as_array().unwrap().len(), 1, "{mine}");
    assert_eq!(
        summary(&mine[0]),
        json!([null, w.one.vendor, "88.38", false, true, 1])
    );
    let published = app.must(&w.supervisor, RANKING, vars.clone()).await["ranking"].clone();
    assert_eq!(published[0]["published"], true);
    assert_eq!(published[1]["published"], true);

    // Agencies have no dashboards; another region's supervisor finds nothing.
    assert_eq!(
        app.gql(Some(&w.agency), RANKING, vars.clone())
            .await
            .error()
            .0,
        "FORBIDDEN"
    );
    let sup2 = second_supervisor(&app, &w).await;
    assert_eq!(
        app.gql(Some(&sup2), RANKING, vars).await.error().0,
        "NOT_FOUND"
    );
    let bad = app
        .gql(
            Some(&w.supervisor),
            RANKING,
            json!({"r": w.one.region, "p": "2025"}),
        )
        .await;
    assert_eq!(bad.error().0, "BAD_USER_INPUT");
    app.deliver_pending_mail().await;
}

/// V1 in R1 over 2025: only March has been run (88.38); every other month is
/// null. The vendor sees March only once it is published.
#[tokio::test]
async fn a_vendors_trend_has_a_point_per_month_and_null_where_no_result() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let v3 = with_second_vendor(&app, &w).await;
    let run = run_march(&app, &w).await;
    let vars = json!({"v": w.one.vendor, "r": w.one.region, "y": 2025});

    let trend = app.must(&w.supervisor, TREND, vars.clone()).await["vendorTrend"].clone();
    let points = trend.as_array().unwrap();
    assert_eq!(points.len(), 12);
    for (i, p) in points.iter().enumerate() {
        assert_eq!(p["period"], format!("2025-{:02}", i + 1));
        if i == 2 {
            assert_eq!(
                *p,
                json!({"period": "2025-03", "total": "88.38", "passed": false, "published": false, "revision": 1})
            );
        } else {
            assert_eq!(p["total"], Value::Null, "{p}");
        }
    }

    let totals = |t: &Value| {
        t["vendorTrend"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["total"].clone())
            .collect::<Vec<_>>()
    };
    assert!(
        totals(&app.must(&w.vendor, TREND, vars.clone()).await)
            .iter()
            .all(Value::is_null)
    );
    publish(&app, &w, &run).await;
    let mine = totals(&app.must(&w.vendor, TREND, vars.clone()).await);
    assert_eq!(mine[2], "88.38");
    assert_eq!(mine.iter().filter(|t| t.is_null()).count(), 11);

    // Another vendor's trend is not V1's to see; agencies have none.
    let theirs = app
        .gql(
            Some(&w.vendor),
            TREND,
            json!({"v": v3, "r": w.one.region, "y": 2025}),
        )
        .await;
    assert_eq!(theirs.error().0, "NOT_FOUND");
    assert_eq!(
        app.gql(Some(&w.agency), TREND, vars).await.error().0,
        "FORBIDDEN"
    );
    app.deliver_pending_mail().await;
}

/// R1, service year 2025:
/// - V1: the world's one response, 4+4+3+4+4+3+4+4+4+8 = 42 → 42 / 44 × 100
///   = 95.4545… → 95.45 %.
/// - V3: two responses added here, 44 and 35 → (44 + 35) / (2 × 44) × 100
///   = 79 / 88 × 100 = 89.7727… → 89.77 %.
#[tokio::test]
async fn satisfaction_is_the_mean_of_the_responses_out_of_44_per_vendor() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let v3 = with_second_vendor(&app, &w).await;
    // V3 serves A1 (hosts one of its systems), so A1's staff may answer about it.
    let system = json!({"regionId": w.one.region, "agencyId": w.one.agency, "vendorId": v3, "name": "系统3",
        "class": "C", "protectionLevel": 2, "onlineOn": "2024-06-01"});
    app.must(
        &w.admin,
        "mutation($i: CreateInformationSystemInput!) { createInformationSystem(input: $i) { id } }",
        json!({"i": system}),
    )
    .await;
    let create =
        "mutation($i: CreateSurveyResponseInput!) { createSurveyResponse(input: $i) { id } }";
    for (n, answers) in [
        [4, 4, 4, 4, 4, 4, 4, 4, 4, 8],
        [4, 4, 3, 3, 3, 3, 3, 4, 2, 6],
    ]
    .into_iter()
    .enumerate()
    {
        let mut input = json!({"regionId": w.one.region, "vendorId": v3, "agencyId": w.one.agency, "serviceYear": 2025,
            "respondentName": format!("受访者{n}"), "respondentUnit": "信息中心", "respondentPhone": "021-6321 0002",
            "surveyingBody": "第三方监管团队", "surveyor": "李华", "surveyedOn": "2025-12-15"});
        for (q, a) in answers.iter().enumerate() {
            input[format!("q{}", q + 1)] = json!(a);
        }
        app.must(&w.admin, create, json!({"i": input})).await;
    }
    let vars = json!({"r": w.one.region, "y": 2025});

    let all = app.must(&w.supervisor, SATISFACTION, vars.clone()).await["satisfaction"].clone();
    assert_eq!(
        all,
        json!([
            {"vendor": {"id": w.one.vendor}, "responses": 1, "percent": "95.45"},
            {"vendor": {"id": v3}, "responses": 2, "percent": "89.77"},
        ])
    );
    let mine = app.must(&w.vendor, SATISFACTION, vars.clone()).await["satisfaction"].clone();
    assert_eq!(
        mine,
        json!([{"vendor": {"id": w.one.vendor}, "responses": 1, "percent": "95.45"}])
    );
    assert_eq!(
        app.must(
            &w.supervisor,
            SATISFACTION,
            json!({"r": w.one.region, "y": 2024})
        )
        .await["satisfaction"],
        json!([])
    );
    assert_eq!(
        app.gql(Some(&w.agency), SATISFACTION, vars).await.error().0,
        "FORBIDDEN"
    );
}

/// Service year 2025 in R1, run (as a draft) in November 2026 with only March
/// published:
/// - V1: monthly mean = 88.37598566 (March alone; 11 months without a result);
///   annual scorecard 74 (H1 30, I1 1, J1 15, J2 28, see assessment.rs);
///   total = 88.37598566 × 0.8 + 74 × 0.2 = 70.700788528 + 14.8 = 85.500788528
///   → 85.50, below 90 → tier 5 %: 1,105,728.00 × 0.05 = 55,286.40.
/// - V3: monthly mean 95; annual: H1 30 (no response: full, with a warning),
///   I1 20 − 20 = 0 (no training), J1 20, J2 30 → 80; total = 95 × 0.8 + 80 × 0.2
///   = 76 + 16 = 92 → no tier, nothing to pay.
#[tokio::test]
async fn annual_results_show_the_80_20_parts_and_the_penalty() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let v3 = with_second_vendor(&app, &w).await;
    let run = run_march(&app, &w).await;
    publish(&app, &w, &run).await;
    let annual =
        "mutation($r: ID!) { runAnnualAssessment(regionId: $r, serviceYear: 2025) { status } }";
    assert_eq!(
        app.must(&w.supervisor, annual, json!({"r": w.one.region}))
            .await["runAnnualAssessment"]["status"],
        "SUCCEEDED"
    );
    let vars = json!({"r": w.one.region, "y": 2025});

    let rows = app.must(&w.supervisor, ANNUAL, vars.clone()).await["annualResults"].clone();
    assert_eq!(rows.as_array().unwrap().len(), 2, "{rows}");
    let (first, second) = (&rows[0], &rows[1]);
    assert_eq!(first["vendor"]["id"], v3);
    assert_eq!(parts(first), ["92.00", "95.00", "76.00", "80.00", "16.00"]);
    // Exact values without trailing zeros: 95 × 0.8 = 76, 76 + 16 = 92.
    assert_eq!(first["totalExact"], "92");
    assert_eq!(first["monthlyPartExact"], "76");
    assert_eq!(first["passed"], true);
    assert_eq!(first["penalty"]["tierBelow"], Value::Null);
    assert_eq!(second["vendor"]["id"], w.one.vendor);
    assert_eq!(parts(second), ["85.50", "88.38", "70.70", "74.00", "14.80"]);
    // The exact total carries what the rounded one drops: 88.3759856630824372…
    // × 0.8 = 70.7007885304659498…, + 74 × 0.2 = 14.8 → 85.5007885304659498….
    let exact = second["totalExact"].as_str().unwrap();
    assert!(exact.starts_with("85.500788530465949"), "{exact}");
    assert!(
        second["monthlyPartExact"]
            .as_str()
            .unwrap()
            .starts_with("70.700788530465949")
    );
    assert_eq!(second["annualPartExact"], "14.8");
    assert_eq!(second["monthsWithoutResult"].as_array().unwrap().len(), 11);
    assert_eq!(second["passed"], false);
    assert_eq!(second["published"], false);
    let penalty = &second["penalty"];
    // 1,105,728.00 × 5 % = 55,286.40: amounts with two decimals, the rate as a
    // percentage, and the exact rate and amount beside them.
    assert_eq!(
        *penalty,
        json!({"tierBelow": "90.00", "rate": "5 %", "rateExact": "0.05",
            "settlementAmount": "1105728.00", "amount": "55286.40", "amountExact": "55286.4"})
    );
    assert_eq!(second["scorecard"]["total"], "74.00");

    // The annual run is a draft: the vendor sees nothing yet.
    assert_eq!(
        app.must(&w.vendor, ANNUAL, vars).await["annualResults"],
        json!([])
    );
    app.deliver_pending_mail().await;
}

/// After March is published, V1 (88.38 < 90) has one notice, due 10 working days
/// ahead, so open 1 and overdue 0; V3 passed and has none. Moving the deadline to
/// yesterday makes it overdue.
#[tokio::test]
async fn notice_counts_show_open_and_overdue_notices_per_vendor() {
    use sea_orm::{ActiveModelTrait, Database, EntityTrait, IntoActiveModel, Set};

    let app = spawn_app().await;
    let w = world::build(&app).await;
    with_second_vendor(&app, &w).await;
    let run = run_march(&app, &w).await;
    let region = json!({"r": w.one.region});
    assert_eq!(
        app.must(&w.supervisor, NOTICE_COUNTS, region.clone()).await["noticeCounts"],
        json!([])
    );
    publish(&app, &w, &run).await;

    let expected = json!([{"regionId": w.one.region, "vendor": {"id": w.one.vendor}, "open": 1, "overdue": 0}]);
    for token in [&w.supervisor, &w.vendor, &w.admin] {
        assert_eq!(
            app.must(token, NOTICE_COUNTS, json!({})).await["noticeCounts"],
            expected
        );
        assert_eq!(
            app.must(token, NOTICE_COUNTS, region.clone()).await["noticeCounts"],
            expected
        );
    }
    assert_eq!(
        app.must(&w.admin, NOTICE_COUNTS, json!({"r": w.two.region}))
            .await["noticeCounts"],
        json!([])
    );
    assert_eq!(
        app.gql(Some(&w.agency), NOTICE_COUNTS, json!({}))
            .await
            .error()
            .0,
        "FORBIDDEN"
    );
    let sup2 = second_supervisor(&app, &w).await;
    assert_eq!(
        app.gql(Some(&sup2), NOTICE_COUNTS, region.clone())
            .await
            .error()
            .0,
        "NOT_FOUND"
    );

    let db = Database::connect(&app.database_url).await.unwrap();
    let notice = entities::notice::Entity::find()
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    let yesterday = domain::period::local(chrono_now())
        .date_naive()
        .pred_opt()
        .unwrap();
    let mut late = notice.into_active_model();
    late.deadline = Set(yesterday);
    late.update(&db).await.unwrap();
    let counts = app.must(&w.supervisor, NOTICE_COUNTS, region).await["noticeCounts"].clone();
    assert_eq!(counts[0]["overdue"], 1, "{counts}");
    app.deliver_pending_mail().await;
}

fn chrono_now() -> sea_orm::prelude::DateTimeUtc {
    sea_orm::prelude::DateTimeUtc::from(std::time::SystemTime::now())
}

/// The ranking names its vendors from rows kept for half a second (issue
/// 17): a rename through this instance forgets them, so the next ranking
/// already shows the new name.
#[tokio::test]
async fn a_vendor_renamed_shows_its_new_name_in_the_next_ranking() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    run_march(&app, &w).await;
    let vars = json!({"r": w.one.region, "p": "2025-03"});
    let before = app.must(&w.supervisor, RANKING, vars.clone()).await;
    let old = before["ranking"][0]["vendor"]["name"]
        .as_str()
        .unwrap()
        .to_owned();

    let rename =
        "mutation($id: ID!) { updateVendor(id: $id, input: { name: \"云一（更名）\" }) { name } }";
    app.must(&w.admin, rename, json!({"id": w.one.vendor}))
        .await;

    let after = app.must(&w.supervisor, RANKING, vars).await;
    assert_ne!(old, "云一（更名）");
    assert_eq!(after["ranking"][0]["vendor"]["name"], "云一（更名）");
}

/// The region is looked up only when a dashboard read finds nothing (issue
/// 17): a month without results in a region that does not exist is still
/// NOT_FOUND, and in one that exists an empty ranking.
#[tokio::test]
async fn a_ranking_of_a_missing_region_is_not_found_and_of_an_empty_month_empty() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let missing = app
        .gql(
            Some(&w.admin),
            RANKING,
            json!({"r": "999999", "p": "2025-03"}),
        )
        .await;
    assert_eq!(missing.error_codes(), vec!["NOT_FOUND"], "{}", missing.0);
    let empty = app
        .must(
            &w.admin,
            RANKING,
            json!({"r": w.one.region, "p": "2025-03"}),
        )
        .await;
    assert_eq!(empty["ranking"], json!([]));
}
