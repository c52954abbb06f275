//! An agency's console pages (issue 13, item 5): its home lists what it filed
//! and nothing of another agency's; it files a complaint by picking one of its
//! own systems (the vendor is the system's host) at a Beijing time; it fills
//! seed 003's satisfaction questionnaire, whose score is the sum of the answers
//! out of 44. Refused input is named in Chinese next to the field and nothing
//! is written.

use e2e::console::ConsoleUser;
use e2e::spawn_app;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::world::{self, AGENCY, World};

const COMPLAINTS: &str = "{ complaints { total items { description systemId vendorId regionId agencyId channel receivedAt confirmed vendorLiable } } }";
const SURVEYS: &str = "{ surveyResponses { total items { respondentName vendorId serviceYear score satisfactionPercent suggestions } } }";

/// The questions as seed 003's questionnaire words them (annex 2, H1).
const SEED_QUESTIONS: [&str; 10] = [
    "1.您对云服务商资源交付及时性是否满意？",
    "2.您对云服务商资源交付准确性是否满意？",
    "3.您对云服务商服务请求的响应是否满意？",
    "4.您对云服务商服务专业能力是否满意？",
    "5.您对云服务商应急响应能力是否满意？",
    "6.您对客服热线的拨通率和等待时间是否满意？",
    "7.您对云服务商服务管理的规范性是否满意？",
    "8.您对云服务商提供的培训是否满意？",
    "9.您对云服务商服务人员的服务态度是否满意？",
    "10.整体上您对市政务云的服务满意度如何？",
];

async fn agency(app: &e2e::TestApp) -> ConsoleUser {
    ConsoleUser::sign_in(app, AGENCY.0, AGENCY.1).await
}

fn items(data: &Value, list: &str) -> Vec<Value> {
    data[list]["items"].as_array().cloned().unwrap_or_default()
}

/// Posts the complaint form (channel: the platform itself).
async fn file_complaint(
    agency: &mut ConsoleUser,
    system: &str,
    description: &str,
    received_at: &str,
) -> e2e::console::Page {
    agency
        .post(
            "/complaints/new",
            &[
                ("system_id", system),
                ("channel", "OTHER"),
                ("description", description),
                ("received_at", received_at),
            ],
        )
        .await
}

/// A complaint about side two's vendor by side two's agency, with words of its own.
async fn other_agency_complaint(app: &e2e::TestApp, w: &World) {
    app.must(
        &w.admin,
        "mutation($i: CreateComplaintInput!) { createComplaint(input: $i) { id } }",
        json!({"i": {"regionId": w.two.region, "vendorId": w.two.vendor, "agencyId": w.two.agency,
                     "channel": "PHONE", "description": "单位2的投诉：备份失败",
                     "receivedAt": "2025-03-06T10:00:00+08:00"}}),
    )
    .await;
}

#[tokio::test]
async fn the_home_page_lists_the_agency_own_filings_only() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    other_agency_complaint(&app, &w).await;
    let mut agency = agency(&app).await;
    let home = agency.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    // Side one's complaint ("延误", to 云1, 2025-03-05 10:00 Beijing time, confirmed
    // and found liable by the supervisor who recorded it).
    assert!(home.body.contains("延误"), "{}", home.body);
    assert!(home.body.contains("2025年3月5日 10:00"));
    assert!(home.body.contains("已核实，云服务商负有责任"));
    // Side one's survey of 2025: 4+4+3+4+4+3+4+4+4 = 34, + Q10's 8 = 42 of 44;
    // 42 / 44 × 100 = 95.4545… → 95.45 %.
    assert!(home.body.contains("2025年度"));
    assert!(home.body.contains("42/44"));
    assert!(home.body.contains("95.45%"));
    assert!(home.body.contains("云1"));
    // Nothing of side two: neither its complaint nor its vendor.
    assert!(!home.body.contains("单位2的投诉"));
    assert!(!home.body.contains("云2"));
}

#[tokio::test]
async fn a_complaint_filed_through_the_form_names_the_system_and_its_vendor() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let mut agency = agency(&app).await;
    let form = agency.get("/complaints/new").await;
    assert_eq!(form.status, StatusCode::OK);
    let filed = file_complaint(
        &mut agency,
        w.one.system.as_str(),
        "对象存储访问缓慢",
        "2025-03-05T08:30",
    )
    .await;
    assert_eq!(filed.status, StatusCode::SEE_OTHER, "{}", filed.body);
    assert_eq!(filed.location.as_deref(), Some("/?filed=complaint"));

    let data = app.must(&w.agency, COMPLAINTS, json!({})).await;
    let mine = items(&data, "complaints");
    let complaint = mine
        .iter()
        .find(|c| c["description"] == "对象存储访问缓慢")
        .expect("the filed complaint");
    // System 1 is side one's: agency 1's, hosted by vendor 1 in region 1.
    assert_eq!(complaint["systemId"], json!(w.one.system));
    assert_eq!(complaint["vendorId"], json!(w.one.vendor));
    assert_eq!(complaint["regionId"], json!(w.one.region));
    assert_eq!(complaint["agencyId"], json!(w.one.agency));
    assert_eq!(complaint["channel"], "OTHER");
    assert_eq!(complaint["confirmed"], false);
    assert_eq!(complaint["vendorLiable"], false);
    // 08:30 in Beijing (UTC+8) is 00:30 UTC the same day.
    let received = chrono::DateTime::parse_from_rfc3339(complaint["receivedAt"].as_str().unwrap())
        .unwrap()
        .with_timezone(&chrono::Utc);
    assert_eq!(received.to_rfc3339(), "2025-03-05T00:30:00+00:00");

    let home = agency.get("/?filed=complaint").await;
    assert!(home.body.contains("投诉已提交"));
    assert!(home.body.contains("对象存储访问缓慢"));
    assert!(home.body.contains("系统1"));
    assert!(home.body.contains("2025年3月5日 08:30"));
    assert!(home.body.contains("待核实"));
}

#[tokio::test]
async fn the_complaint_form_offers_only_the_agency_own_systems() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let mut agency = agency(&app).await;
    let form = agency.get("/complaints/new").await;
    assert!(
        form.body.contains("系统1（云服务商：云1）"),
        "{}",
        form.body
    );
    assert!(!form.body.contains("系统2"));
    assert!(!form.body.contains("云2"));

    // A forged id: side two's system, of another agency.
    let forged = file_complaint(
        &mut agency,
        w.two.system.as_str(),
        "伪造的系统",
        "2025-03-05T08:30",
    )
    .await;
    assert_eq!(forged.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(forged.body.contains("所选信息系统不存在或不属于本单位"));
    // Only the world's two complaints, one per side.
    let all = app.must(&w.admin, COMPLAINTS, json!({})).await;
    assert_eq!(all["complaints"]["total"], 2);
}

#[tokio::test]
async fn a_complaint_without_content_or_time_is_refused_next_to_the_fields() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let mut agency = agency(&app).await;
    agency.get("/complaints/new").await;
    let refused =
        file_complaint(&mut agency, w.one.system.as_str(), "  ", "2099-01-01T08:00").await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("请填写投诉内容"));
    assert!(refused.body.contains("投诉时间不能晚于现在"));
    let all = app.must(&w.admin, COMPLAINTS, json!({})).await;
    assert_eq!(all["complaints"]["total"], 2);
}

#[tokio::test]
async fn the_questionnaire_asks_seed_003_ten_questions_on_both_scales() {
    let app = spawn_app().await;
    let _w = world::build(&app).await;
    let mut agency = agency(&app).await;
    let page = agency.get("/surveys/new").await;
    assert_eq!(page.status, StatusCode::OK);
    for question in SEED_QUESTIONS {
        assert!(page.body.contains(question), "{question}");
    }
    // Q1–Q9: 4/3/2/1/0; Q10: 8/6/4/2/0, each with its degree.
    for n in 1..=9 {
        for v in [4, 3, 2, 1, 0] {
            assert!(page.body.contains(&format!("name=\"q{n}\" value=\"{v}\"")));
        }
        assert!(!page.body.contains(&format!("name=\"q{n}\" value=\"8\"")));
    }
    for v in [8, 6, 4, 2, 0] {
        assert!(page.body.contains(&format!("name=\"q10\" value=\"{v}\"")));
    }
    for degree in [
        "4（非常满意）",
        "0（非常不满意）",
        "8（非常满意）",
        "6（满意）",
        "2（不满意）",
    ] {
        assert!(page.body.contains(degree), "{degree}");
    }
    // The vendor is picked by name among those serving the agency.
    assert!(page.body.contains(">云1</option>"));
    assert!(!page.body.contains("云2"));
    // The respondent's unit is the agency's name to begin with.
    assert!(page.body.contains("value=\"单位1\""));
}

fn questionnaire<'a>(
    vendor: &'a str,
    answers: &'a [(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("vendor_id", vendor),
        ("service_year", "2025"),
        ("respondent_name", "王强"),
        ("respondent_unit", "单位1"),
        ("respondent_phone", "021-6321 0001"),
        ("surveying_body", "第三方监管团队"),
        ("surveyor", "李华"),
        ("surveyed_on", "2025-12-20"),
        ("suggestions", "希望加强应急演练"),
    ];
    fields.extend_from_slice(answers);
    fields
}

#[tokio::test]
async fn a_filled_questionnaire_scores_the_sum_of_its_answers() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let mut agency = agency(&app).await;
    agency.get("/surveys/new").await;
    let answers = [
        ("q1", "4"),
        ("q2", "3"),
        ("q3", "2"),
        ("q4", "1"),
        ("q5", "0"),
        ("q6", "4"),
        ("q7", "3"),
        ("q8", "2"),
        ("q9", "1"),
        ("q10", "6"),
    ];
    let filed = agency
        .post("/surveys/new", &questionnaire(&w.one.vendor, &answers))
        .await;
    assert_eq!(filed.status, StatusCode::SEE_OTHER, "{}", filed.body);
    assert_eq!(filed.location.as_deref(), Some("/?filed=survey"));

    let data = app.must(&w.agency, SURVEYS, json!({})).await;
    let mine = items(&data, "surveyResponses");
    let response = mine
        .iter()
        .find(|r| r["respondentName"] == "王强")
        .expect("the filed response");
    // Q1–Q9: 4+3+2+1+0+4+3+2+1 = 20; Q10: 6; total 26 of 44.
    assert_eq!(response["score"], 26);
    // 26 / 44 × 100 = 59.0909… → 59.09 %.
    assert_eq!(response["satisfactionPercent"], "59.09");
    assert_eq!(response["vendorId"], json!(w.one.vendor));
    assert_eq!(response["serviceYear"], 2025);
    assert_eq!(response["suggestions"], "希望加强应急演练");

    let home = agency.get("/?filed=survey").await;
    assert!(home.body.contains("满意度调查问卷已提交"));
    assert!(home.body.contains("26/44"));
    assert!(home.body.contains("59.09%"));
}

#[tokio::test]
async fn an_unanswered_question_is_refused_next_to_it_and_nothing_is_written() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let mut agency = agency(&app).await;
    agency.get("/surveys/new").await;
    // Q3 left out; Q10 answered off its scale (3 is not one of 8/6/4/2/0).
    let answers = [
        ("q1", "4"),
        ("q2", "4"),
        ("q4", "4"),
        ("q5", "4"),
        ("q6", "4"),
        ("q7", "4"),
        ("q8", "4"),
        ("q9", "4"),
        ("q10", "3"),
    ];
    let refused = agency
        .post("/surveys/new", &questionnaire(&w.one.vendor, &answers))
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("请选择第3题的答案"),
        "{}",
        refused.body
    );
    // What was answered stays picked.
    assert!(refused.body.contains("name=\"q1\" value=\"4\" checked"));

    let with_q3: Vec<(&str, &str)> = answers.iter().copied().chain([("q3", "4")]).collect();
    let off_scale = agency
        .post("/surveys/new", &questionnaire(&w.one.vendor, &with_q3))
        .await;
    assert_eq!(off_scale.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(off_scale.body.contains("第10题的答案不在问卷的选项之中"));
    // Only the world's two responses, one per side.
    let all = app.must(&w.admin, SURVEYS, json!({})).await;
    assert_eq!(all["surveyResponses"]["total"], 2);
}
