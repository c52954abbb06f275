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
}

// --- item 8: A4 with the instant of rectification ---------------------------

/// Runs April 2025 for R1 (a past month) and returns V1's result.
async fn run_april(app: &TestApp, w: &World) -> Value {
    let q = "mutation($r: ID!) { runMonthlyAssessment(regionId: $r, period: \"2025-04\") {
        status results { vendorId total scorecard { indicators { code score deductions { points facts { kind id } } } } } } }";
    let run = app.must(&w.supervisor, q, json!({"r": w.one.region})).await["runMonthlyAssessment"]
        .clone();
    assert_eq!(run["status"], "SUCCEEDED", "{run}");
    run["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["vendorId"] == json!(w.one.vendor))
        .unwrap_or_else(|| panic!("no result for V1: {run}"))
        .clone()
}

const UPDATE_DELIVERY: &str = "mutation($id: ID!, $i: UpdateUnticketedDeliveryInput!) { updateUnticketedDelivery(id: $id, input: $i) { id rectifiedAt } }";

/// Spec §1 A4: −1 for each delivery without a work order in the month, and −1 for
/// each one still not rectified at the month's end; once per delivery and month.
/// V1 in R1 has the world's delivery D0 of 4 March 2025, not rectified; add D1
/// on 10 April 2025, not rectified.
///
/// Before any rectification:
/// - April: D0 open at 30 Apr 24:00 −1, D1 occurred −1 → 5 − 2 = 3;
/// - May: D0 and D1 both open at 31 May 24:00 → 3; June likewise → 3.
///
/// Then D0 is rectified on 20 May 10:00 and D1 on 5 June 10:00:
/// - April (re-run, as a preview and as a stored run): both were still open at
///   30 Apr 24:00 → 3, the same result as before;
/// - May: D0 rectified before the end of May, D1 still open at 31 May 24:00 → 4;
/// - June: both rectified before the end of June → 5; July → 5.
#[tokio::test]
async fn a4_counts_a_delivery_each_month_until_the_month_it_was_rectified_in() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let d0 = w
        .one
        .facts
        .iter()
        .find(|(l, _)| *l == "unticketedDeliveries")
        .unwrap()
        .1
        .clone();
    let d1 = create(&app, &w, "createUnticketedDelivery",
        json!({"description": "无工单开通云主机 2 台", "occurredAt": "2025-04-10T09:00:00+08:00", "confirmed": true, "vendorLiable": true})).await;

    let a4 = |card: Value| score(&card, "A4");
    let before: Vec<Decimal> = [
        a4(month(&app, &w.supervisor, &w, "2025-04").await),
        a4(month(&app, &w.supervisor, &w, "2025-05").await),
        a4(month(&app, &w.supervisor, &w, "2025-06").await),
    ]
    .to_vec();
    assert_eq!(before, [dec("3"), dec("3"), dec("3")]);
    let april = month(&app, &w.supervisor, &w, "2025-04").await;
    assert_eq!(deducted(&april, "A4"), [d0.clone(), d1.clone()]);
    let april_run = run_april(&app, &w).await;
    assert_eq!(score(&april_run["scorecard"], "A4"), dec("3"));

    for (id, at) in [
        (&d0, "2025-05-20T10:00:00+08:00"),
        (&d1, "2025-06-05T10:00:00+08:00"),
    ] {
        let done = app
            .must(
                &w.supervisor,
                UPDATE_DELIVERY,
                json!({"id": id, "i": {"rectifiedAt": at}}),
            )
            .await;
        assert_eq!(done["updateUnticketedDelivery"]["rectifiedAt"], at);
    }

    let april_again = month(&app, &w.supervisor, &w, "2025-04").await;
    assert_eq!(
        april_again, april,
        "re-running April after the rectifications gives the same result"
    );
    // And so does a stored run of April (a new revision, the same result).
    let april_rerun = run_april(&app, &w).await;
    assert_eq!(april_rerun, april_run);
    let may = month(&app, &w.supervisor, &w, "2025-05").await;
    assert_eq!(score(&may, "A4"), dec("4"));
    assert_eq!(deducted(&may, "A4"), std::slice::from_ref(&d1));
    for period in ["2025-06", "2025-07"] {
        assert_eq!(
            a4(month(&app, &w.supervisor, &w, period).await),
            dec("5"),
            "{period}"
        );
    }

    // A rectification before the delivery is refused, naming the field; `null`
    // reopens it.
    let (code, message) = app
        .gql(
            Some(&w.supervisor),
            UPDATE_DELIVERY,
            json!({"id": d1, "i": {"rectifiedAt": "2025-04-09T10:00:00+08:00"}}),
        )
        .await
        .error();
    assert_eq!(code, "BAD_USER_INPUT");
    assert!(message.contains("input.rectifiedAt"), "{message}");
    let reopened = app
        .must(
            &w.supervisor,
            UPDATE_DELIVERY,
            json!({"id": d1, "i": {"rectifiedAt": null}}),
        )
        .await;
    assert_eq!(
        reopened["updateUnticketedDelivery"]["rectifiedAt"],
        Value::Null
    );
    // D1 open again: July −1 → 4.
    assert_eq!(
        a4(month(&app, &w.supervisor, &w, "2025-07").await),
        dec("4")
    );
}

// --- item 9: the platform of fault grading is the vendor's, in every region --

async fn system(
    app: &TestApp,
    w: &World,
    side: &world::Side,
    class: &str,
    online: &str,
    offline: Option<&str>,
) -> String {
    let q =
        "mutation($i: CreateInformationSystemInput!) { createInformationSystem(input: $i) { id } }";
    let input = json!({"regionId": side.region, "agencyId": side.agency, "vendorId": w.one.vendor,
        "name": "系统", "class": class, "protectionLevel": 2, "onlineOn": online, "offlineOn": offline});
    id_of(
        &app.must(&w.admin, q, json!({ "i": input })).await,
        "createInformationSystem",
    )
}

/// Spec §3 Decision: the platform is every system the vendor hosts on the day of
/// the fault, in every region (districts use the municipal cloud, seed 004).
/// V1 hosts, on 20 March 2025: in R1 the world's S1 (class B) and a new class-C
/// system Sc; in R2 (another region) 18 systems online since 2024 — 20 in all.
/// Not on the platform that day: one in R2 offline since 1 March, one in R2
/// online from 1 April.
///
/// A fault in R1 makes Sc unusable for 20 minutes: n = 1, s = 1 / 20 = 5 %:
/// - S4 (s ≥ 5 % and n ≤ 10), unusable, 20 ≤ 120 min → row 20, level 4; no row
///   above matches (not ALL: 1 ≠ 20; S1 and S2 need s ≥ 25 % or n > 10; S3 needs
///   s < 5 %; class C has no class rows).
/// - Counting only R1's systems (2) would give s = 50 %, n ≤ 50 → S2 unusable
///   ≤ 60 min → row 11, level 3; counting the two systems off the platform (22)
///   would give s = 4.5 % → S3 → row 19.
#[tokio::test]
async fn a_fault_is_graded_against_every_system_the_vendor_hosts_in_every_region() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let sc = system(&app, &w, &w.one, "C", "2024-01-01", None).await;
    for _ in 0..18 {
        system(&app, &w, &w.two, "C", "2024-01-01", None).await;
    }
    system(&app, &w, &w.two, "C", "2024-01-01", Some("2025-03-01")).await;
    system(&app, &w, &w.two, "C", "2025-04-01", None).await;

    let q = "mutation($i: CreateFaultInput!) { createFault(input: $i) { id level gradingRow platformSystems } }";
    let input = json!({"regionId": w.one.region, "vendorId": w.one.vendor, "title": "存储故障",
        "affectedSystemIds": [sc], "impact": "UNUSABLE", "occurredAt": "2025-03-20T10:00:00+08:00",
        "reportedAt": "2025-03-20T10:05:00+08:00", "recoveredAt": "2025-03-20T10:20:00+08:00",
        "confirmed": true, "vendorLiable": true});
    let fault = app.must(&w.supervisor, q, json!({ "i": input })).await["createFault"].clone();
    assert_eq!(
        (
            &fault["level"],
            &fault["gradingRow"],
            &fault["platformSystems"]
        ),
        (&json!(4), &json!(20), &json!(20)),
        "{fault}"
    );
    // The supervisor reads back the count the grading used.
    let read = app
        .must(
            &w.supervisor,
            "query($id: ID!) { fault(id: $id) { platformSystems level } }",
            json!({"id": fault["id"]}),
        )
        .await;
    assert_eq!(read["fault"], json!({"platformSystems": 20, "level": 4}));
}

// --- item 10: satisfaction surveys as the questionnaire has them -------------

const CREATE_SURVEY: &str = "mutation($i: CreateSurveyResponseInput!) { createSurveyResponse(input: $i) { id respondentName respondentUnit respondentPhone surveyingBody surveyor surveyedOn suggestions score } }";

/// A questionnaire of seed 003 about V1, filed for A1 (the world's side one);
/// `respondent`'s answers are all top marks (4 × 9 + 8 = 44).
fn questionnaire(w: &World, vendor: &str, year: i32, respondent: &str) -> Value {
    let mut input = json!({"regionId": w.one.region, "vendorId": vendor, "agencyId": w.one.agency, "serviceYear": year,
        "respondentName": respondent, "respondentUnit": "单位1 信息中心", "respondentPhone": "021-6321 0101",
        "surveyingBody": "第三方监管团队", "surveyor": "李华", "surveyedOn": format!("{year}-12-20"),
        "suggestions": "建议提升应急响应速度"});
    for q in 1..=9 {
        input[format!("q{q}")] = json!(4);
    }
    input["q10"] = json!(8);
    input
}

async fn refused(app: &TestApp, token: &str, input: Value) -> String {
    let (code, message) = app
        .gql(Some(token), CREATE_SURVEY, json!({ "i": input }))
        .await
        .error();
    assert_eq!(code, "BAD_USER_INPUT", "{message}");
    message
}

/// Seed 003's questionnaire records the respondent (您的姓名, 所在单位, 联系电话),
/// the surveying body and surveyor (调查机构, 调查人员), the date and the
/// suggestions (意见和建议); spec §2: a respondent answers once per vendor and
/// service year. The world has 张敏's response about V1 for 2025.
#[tokio::test]
async fn a_respondent_answers_once_per_vendor_and_service_year() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let first = w
        .one
        .facts
        .iter()
        .find(|(l, _)| *l == "surveyResponses")
        .unwrap()
        .1
        .clone();

    // The agency files one for 赵磊 about V1, 2025: everything it records reads back.
    let filed = app
        .must(
            &w.agency,
            CREATE_SURVEY,
            json!({"i": questionnaire(&w, &w.one.vendor, 2025, "赵磊")}),
        )
        .await;
    assert_eq!(
        filed["createSurveyResponse"],
        json!({"id": filed["createSurveyResponse"]["id"], "respondentName": "赵磊", "respondentUnit": "单位1 信息中心",
               "respondentPhone": "021-6321 0101", "surveyingBody": "第三方监管团队", "surveyor": "李华",
               "surveyedOn": "2025-12-20", "suggestions": "建议提升应急响应速度", "score": 44})
    );

    // 张敏 again about V1 for 2025 is refused, naming the field and the first response.
    let message = refused(
        &app,
        &w.agency,
        questionnaire(&w, &w.one.vendor, 2025, "张敏"),
    )
    .await;
    assert!(message.contains("input.respondentName"), "{message}");
    assert!(
        message.contains(&format!("survey response {first}")),
        "{message}"
    );
    // Also when a supervisor records it, and with surrounding spaces.
    let message = refused(
        &app,
        &w.supervisor,
        questionnaire(&w, &w.one.vendor, 2025, " 张敏 "),
    )
    .await;
    assert!(
        message.contains(&format!("survey response {first}")),
        "{message}"
    );
    // 张敏 may answer about V1 for another service year (S1 was online in 2024).
    app.must(
        &w.agency,
        CREATE_SURVEY,
        json!({"i": questionnaire(&w, &w.one.vendor, 2024, "张敏")}),
    )
    .await;

    // Renaming 赵磊's response to 张敏 would make a second one: refused too.
    let (code, message) = app
        .gql(
            Some(&w.supervisor),
            "mutation($id: ID!) { updateSurveyResponse(id: $id, input: { respondentName: \"张敏\" }) { id } }",
            json!({"id": filed["createSurveyResponse"]["id"]}),
        )
        .await
        .error();
    assert_eq!(code, "BAD_USER_INPUT");
    assert!(message.contains("input.respondentName"), "{message}");

    // The questionnaire's fields are required.
    let mut missing = questionnaire(&w, &w.one.vendor, 2025, "钱伟");
    missing.as_object_mut().unwrap().remove("surveyor");
    let answer = app
        .gql(Some(&w.agency), CREATE_SURVEY, json!({ "i": missing }))
        .await;
    assert!(!answer.errors().is_empty(), "{}", answer.0);
}

/// The agency must be served by the vendor in the service year (Decision: one of
/// its systems is hosted by the vendor and on the platform on some day of that
/// year), the year must have begun, and the date must fall between the year's
/// start and today. A1's only system, S1, is V1's, online since 2024-01-01.
#[tokio::test]
async fn a_survey_is_about_a_vendor_serving_the_agency_in_a_year_that_has_begun() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let before = app
        .must(&w.admin, "{ surveyResponses { total } }", json!({}))
        .await;

    for (who, vendor, year, field, why) in [
        (
            &w.agency,
            &w.two.vendor,
            2025,
            "input.vendorId",
            "V2 hosts none of A1's systems",
        ),
        (
            &w.admin,
            &w.one.vendor,
            2023,
            "input.vendorId",
            "S1 was not yet online in 2023",
        ),
        (
            &w.agency,
            &w.one.vendor,
            2100,
            "input.serviceYear",
            "2100 has not begun",
        ),
    ] {
        let message = refused(&app, who, questionnaire(&w, vendor, year, "赵磊")).await;
        assert!(message.contains(field), "{why}: {message}");
    }
    // A date before the service year, or in the future.
    for date in ["2024-12-31", "2099-01-01"] {
        let mut input = questionnaire(&w, &w.one.vendor, 2025, "赵磊");
        input["surveyedOn"] = json!(date);
        let message = refused(&app, &w.agency, input).await;
        assert!(message.contains("input.surveyedOn"), "{date}: {message}");
    }
    // Nothing was written.
    assert_eq!(
        app.must(&w.admin, "{ surveyResponses { total } }", json!({}))
            .await,
        before
    );
}

const SERVING: &str =
    "query($a: ID, $y: Int) { servingVendors(agencyId: $a, serviceYear: $y) { id code name } }";

/// Agencies read the names of the vendors that serve them (to name them in
/// complaints and surveys), and nothing of any other vendor.
#[tokio::test]
async fn an_agency_sees_the_names_of_the_vendors_that_serve_it_and_no_other() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let v1 = json!([{"id": w.one.vendor, "code": "V1", "name": "云1"}]);

    let mine = app.must(&w.agency, SERVING, json!({})).await;
    assert_eq!(mine["servingVendors"], v1);
    let in_2025 = app.must(&w.agency, SERVING, json!({"y": 2025})).await;
    assert_eq!(in_2025["servingVendors"], v1);
    // S1 went online in 2024: nobody served A1 in 2023.
    let in_2023 = app.must(&w.agency, SERVING, json!({"y": 2023})).await;
    assert_eq!(in_2023["servingVendors"], json!([]));

    // Not another agency's vendors, and still no vendor records.
    let other = app
        .gql(Some(&w.agency), SERVING, json!({"a": w.two.agency}))
        .await;
    assert_eq!(other.error().0, "NOT_FOUND");
    let v2 = app
        .gql(
            Some(&w.agency),
            "query($id: ID!) { vendor(id: $id) { name } }",
            json!({"id": w.two.vendor}),
        )
        .await;
    assert!(!v2.errors().is_empty(), "{}", v2.0);
    let list = app
        .gql(Some(&w.agency), "{ vendors { items { name } } }", json!({}))
        .await;
    assert!(!list.errors().is_empty(), "{}", list.0);

    // The region's supervisor may ask about A1; a vendor may not.
    let sup = app
        .must(&w.supervisor, SERVING, json!({"a": w.one.agency}))
        .await;
    assert_eq!(sup["servingVendors"], v1);
    let vendor = app
        .gql(Some(&w.vendor), SERVING, json!({"a": w.one.agency}))
        .await;
    assert_eq!(vendor.error().0, "NOT_FOUND");
}

const ANNUAL: &str = "query($v: ID!, $r: ID!, $y: Int!) { previewAnnualScore(vendorId: $v, regionId: $r, serviceYear: $y) {
    annual { indicators { code score warnings } } } }";

/// Spec §2 Decision: a service year with no response scores H1 in full (30) with
/// a warning that says so. The world's one response for V1 in 2025 is deleted.
#[tokio::test]
async fn a_service_year_without_responses_scores_h1_in_full_with_a_warning() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let response = w
        .one
        .facts
        .iter()
        .find(|(l, _)| *l == "surveyResponses")
        .unwrap()
        .1
        .clone();
    app.must(
        &w.admin,
        "mutation($id: ID!) { deleteSurveyResponse(id: $id) }",
        json!({"id": response}),
    )
    .await;

    // The preview blends published months: publish March so it has one.
    world::publish_month(&app, &w, "2025-03").await;
    let vars = json!({"v": w.one.vendor, "r": w.one.region, "y": 2025});
    let year = app.must(&w.supervisor, ANNUAL, vars).await;
    let h1 = indicator(&year["previewAnnualScore"]["annual"], "H1");
    assert_eq!(dec(h1["score"].as_str().unwrap()), dec("30"), "{h1}");
    let warnings = h1["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{h1}");
    assert!(warnings[0].as_str().unwrap().contains("H1"), "{h1}");
    app.deliver_pending_mail().await;
}
