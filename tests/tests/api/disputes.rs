//! Disputes (申诉, issue 14 item 3): a vendor disputes one deduction of its
//! published monthly result within `DISPUTE_WINDOW_WORKING_DAYS` working days
//! of publication; a supervisor of the region accepts (the fact's liability or
//! confirmation cleared through the store, audited; the month re-run as a new
//! draft revision) or rejects it with a reason; both sides are mailed.
//!
//! The world's V1 in R1 has, in March 2025, one confirmed, liable complaint
//! (5 March): C1 (weight 10, −5 per liable complaint) scores 5, and V1's
//! March total is 88.38 (the trend's figure in `console_access`).

use e2e::console::ConsoleUser;
use e2e::{TestApp, spawn_app, spawn_app_with};
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use sea_orm::{ColumnTrait, Database, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::console_notices::PDF;
use crate::mail::{SmtpServer, scratch_dir};
use crate::world::{self, SUPERVISOR, VENDOR, World};

pub const DISPUTE: &str = "mutation($i: DisputeDeductionInput!) { disputeDeduction(input: $i) { id status indicator points factKind factId reason } }";
const ACCEPT: &str = "mutation($id: ID!, $c: DisputeClearing!, $r: String) { acceptDispute(id: $id, clear: $c, reason: $r) { id status cleared decisionReason rerunId } }";
const REJECT: &str = "mutation($id: ID!, $r: String!) { rejectDispute(id: $id, reason: $r) { id status decisionReason } }";
const REASON: &str = "该投诉系使用单位误报，已有书面说明";

/// V1's one complaint of the world.
pub fn complaint(w: &World) -> String {
    w.one
        .facts
        .iter()
        .find(|(l, _)| *l == "complaints")
        .map(|(_, id)| id.clone())
        .unwrap()
}

/// R1's March published (now); V1's published result id, as V1 lists it.
pub async fn published_march(app: &TestApp, w: &World) -> String {
    world::publish_month(app, w, "2025-03").await;
    vendor_march(app, w).await
}

/// V1's latest published March result, as V1 lists it.
pub async fn vendor_march(app: &TestApp, w: &World) -> String {
    let mine = app
        .must(
            &w.vendor,
            "{ assessmentResults(filter: {period: \"2025-03\"}) { items { id published } } }",
            json!({}),
        )
        .await;
    mine["assessmentResults"]["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn dispute_input(result: &str, complaint: &str, reason: &str) -> Value {
    json!({"i": {"resultId": result, "factKind": "complaint", "factId": complaint, "reason": reason}})
}

/// V1 disputes its complaint's deduction; the dispute's id.
pub async fn dispute_complaint(app: &TestApp, w: &World, result: &str) -> String {
    let filed = app
        .must(
            &w.vendor,
            DISPUTE,
            dispute_input(result, &complaint(w), REASON),
        )
        .await;
    filed["disputeDeduction"]["id"].as_str().unwrap().to_owned()
}

/// The world, March published, and V1's dispute of its complaint: (world,
/// dispute).
async fn disputed(app: &TestApp) -> (World, String) {
    let w = world::build(app).await;
    let result = published_march(app, &w).await;
    let id = dispute_complaint(app, &w, &result).await;
    (w, id)
}

/// V2's user `vendor2` (password `Vendor-pass-2`), signed in: its token.
async fn other_vendor(app: &TestApp, w: &World) -> String {
    app.must(
        &w.admin,
        "mutation($i: CreateUserInput!) { createUser(input: $i) { id } }",
        json!({"i": {"username": "vendor2", "password": "Vendor-pass-2", "role": "VENDOR", "vendorId": w.two.vendor}}),
    )
    .await;
    app.login("vendor2", "Vendor-pass-2").await
}

/// The complaint's two flags, as its supervisor reads them.
async fn flags(app: &TestApp, w: &World) -> Value {
    app.must(
        &w.supervisor,
        "query($id: ID!) { complaint(id: $id) { confirmed vendorLiable } }",
        json!({"id": complaint(w)}),
    )
    .await["complaint"]
        .clone()
}

async fn disputes_total(app: &TestApp, w: &World) -> i64 {
    app.must(&w.admin, "{ disputes { total } }", json!({}))
        .await["disputes"]["total"]
        .as_i64()
        .unwrap()
}

/// Published now, the window (5 working days from today) is open: the
/// dispute names the deduction's indicator and points (C1, 5.00) and is
/// shown on the result.
#[tokio::test]
async fn a_vendor_disputes_a_deduction_of_its_published_month_within_the_window() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let result = published_march(&app, &w).await;
    let filed = app
        .must(
            &w.vendor,
            DISPUTE,
            dispute_input(&result, &complaint(&w), REASON),
        )
        .await["disputeDeduction"]
        .clone();
    assert_eq!(filed["status"], "OPEN");
    assert_eq!(filed["indicator"], "C1");
    assert_eq!(filed["points"], "5.00");
    assert_eq!(filed["reason"], REASON);
    let on_result = app
        .must(
            &w.vendor,
            "query($id: ID!) { assessmentResult(id: $id) { disputes { id status } } }",
            json!({"id": result}),
        )
        .await;
    assert_eq!(
        on_result["assessmentResult"]["disputes"][0]["id"],
        filed["id"]
    );
    app.deliver_pending_mail().await;
}

/// Published (as the database is set here) on Tuesday 30 September 2025 at
/// 10:00 Shanghai: 1–8 October is the National Day holiday and Saturday 11
/// October a make-up working day, so the 5 working days are 9, 10, 11, 13
/// and 14 October; today (2026 or later) is past 14 October 2025, and the
/// refusal names that day.
#[tokio::test]
async fn a_dispute_after_the_window_is_refused_with_its_last_day() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let result = published_march(&app, &w).await;
    let db = Database::connect(&app.database_url).await.unwrap();
    let published: chrono::DateTime<chrono::Utc> = "2025-09-30T02:00:00Z".parse().unwrap();
    entities::assessment_result::Entity::update_many()
        .col_expr(
            entities::assessment_result::Column::PublishedAt,
            sea_orm::sea_query::Expr::value(published),
        )
        .filter(entities::assessment_result::Column::Id.eq(result.parse::<i64>().unwrap()))
        .exec(&db)
        .await
        .unwrap();
    let _ = db.close().await;
    let refused = app
        .gql(
            Some(&w.vendor),
            DISPUTE,
            dispute_input(&result, &complaint(&w), REASON),
        )
        .await;
    let (code, message) = refused.error();
    assert_eq!(code, "BAD_USER_INPUT");
    assert!(message.contains("input.resultId"), "{message}");
    assert!(message.contains("申诉期限已过"), "{message}");
    assert!(message.contains("2025年9月30日发布"), "{message}");
    assert!(
        message.contains("5 个工作日内（2025年10月14日前"),
        "{message}"
    );
    assert_eq!(disputes_total(&app, &w).await, 0);
    app.deliver_pending_mail().await;
}

#[tokio::test]
async fn an_empty_reason_is_refused() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let result = published_march(&app, &w).await;
    let refused = app
        .gql(
            Some(&w.vendor),
            DISPUTE,
            dispute_input(&result, &complaint(&w), "   "),
        )
        .await;
    let (code, message) = refused.error();
    assert_eq!(code, "BAD_USER_INPUT");
    assert!(message.contains("input.reason"), "{message}");
    assert!(message.contains("不能为空"), "{message}");
    assert_eq!(disputes_total(&app, &w).await, 0);
    app.deliver_pending_mail().await;
}

/// V2's user asks about V1's result: it does not exist for them. R1's
/// supervisor may read it but disputes are the vendor's.
#[tokio::test]
async fn only_the_results_vendor_disputes_it() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let result = published_march(&app, &w).await;
    let other = other_vendor(&app, &w).await;
    let input = dispute_input(&result, &complaint(&w), REASON);
    let as_other = app.gql(Some(&other), DISPUTE, input.clone()).await;
    assert_eq!(as_other.error().0, "NOT_FOUND");
    let as_supervisor = app.gql(Some(&w.supervisor), DISPUTE, input).await;
    assert_eq!(as_supervisor.error().0, "FORBIDDEN");
    assert_eq!(disputes_total(&app, &w).await, 0);
    // Nor does V2 read V1's disputes.
    dispute_complaint(&app, &w, &result).await;
    let seen = app.must(&other, "{ disputes { total } }", json!({})).await;
    assert_eq!(seen["disputes"]["total"], 0);
    app.deliver_pending_mail().await;
}

#[tokio::test]
async fn a_second_open_dispute_on_the_same_fact_is_refused() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let result = published_march(&app, &w).await;
    let first = dispute_complaint(&app, &w, &result).await;
    let again = app
        .gql(
            Some(&w.vendor),
            DISPUTE,
            dispute_input(&result, &complaint(&w), "再次申诉"),
        )
        .await;
    let (code, message) = again.error();
    assert_eq!(code, "BAD_USER_INPUT");
    assert!(message.contains("input.factId"), "{message}");
    assert!(message.contains(&format!("申诉 #{first}")), "{message}");
    assert_eq!(disputes_total(&app, &w).await, 1);
    // Rejected, it is closed: the vendor may dispute again in the window.
    app.must(
        &w.supervisor,
        REJECT,
        json!({"id": first, "r": "投诉经核实属实"}),
    )
    .await;
    dispute_complaint(&app, &w, &result).await;
    assert_eq!(disputes_total(&app, &w).await, 2);
    app.deliver_pending_mail().await;
}

const RESULTS: &str = "{ assessmentResults(filter: {period: \"2025-03\", history: true}) { items { id vendorId revision published total } } }";

/// V1's March results, revision → (total, published).
async fn v1_march(app: &TestApp, w: &World) -> Vec<(i64, String, bool)> {
    let all = app.must(&w.supervisor, RESULTS, json!({})).await;
    let mut v1: Vec<(i64, String, bool)> = all["assessmentResults"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["vendorId"] == json!(w.one.vendor))
        .map(|r| {
            (
                r["revision"].as_i64().unwrap(),
                r["total"].as_str().unwrap().to_owned(),
                r["published"].as_bool().unwrap(),
            )
        })
        .collect();
    v1.sort();
    v1
}

/// Accepted as 取消服务商责任: the complaint's `vendorLiable` is false, the
/// change is in the audit trail as `acceptDispute` on the complaint, and the
/// month is re-run: V1's revision 2 is a draft whose total is 88.38 + 5.00
/// = 93.38 (C1 back from 5 to its weight 10); revision 1 stays published at
/// 88.38.
#[tokio::test]
async fn accepting_clears_the_flag_audited_and_reruns_the_month_as_a_draft() {
    let app = spawn_app().await;
    let (w, id) = disputed(&app).await;
    assert_eq!(v1_march(&app, &w).await, [(1, "88.38".into(), true)]);
    let accepted = app
        .must(
            &w.supervisor,
            ACCEPT,
            json!({"id": id, "c": "VENDOR_LIABLE", "r": "经核实为使用单位误报"}),
        )
        .await["acceptDispute"]
        .clone();
    assert_eq!(accepted["status"], "ACCEPTED");
    assert_eq!(accepted["cleared"], "VENDOR_LIABLE");
    assert!(accepted["rerunId"].is_string(), "{accepted}");
    assert_eq!(
        flags(&app, &w).await,
        json!({"confirmed": true, "vendorLiable": false})
    );
    let trail = app
        .must(
            &w.admin,
            "query($id: ID!) { auditEntries(filter: {operation: \"acceptDispute\", targetType: \"Complaint\", targetId: $id}) { total items { username before after } } }",
            json!({"id": complaint(&w)}),
        )
        .await["auditEntries"]
        .clone();
    assert_eq!(trail["total"], 1);
    assert_eq!(trail["items"][0]["username"], SUPERVISOR.0);
    assert_eq!(trail["items"][0]["before"]["vendorLiable"], true);
    assert_eq!(trail["items"][0]["after"]["vendorLiable"], false);
    assert_eq!(
        v1_march(&app, &w).await,
        [(1, "88.38".into(), true), (2, "93.38".into(), false)]
    );
    // Decided once: a second decision is refused.
    let twice = app
        .gql(Some(&w.supervisor), REJECT, json!({"id": id, "r": "改判"}))
        .await;
    assert_eq!(twice.error().0, "BAD_USER_INPUT");
    app.deliver_pending_mail().await;
}

/// Rejected with a reason, nothing but the dispute changes: the complaint
/// still counts and no run was started (the one run is March's publication).
/// Without a reason the rejection is refused.
#[tokio::test]
async fn rejecting_keeps_everything_but_needs_a_reason() {
    let app = spawn_app().await;
    let (w, id) = disputed(&app).await;
    let empty = app
        .gql(Some(&w.supervisor), REJECT, json!({"id": id, "r": " "}))
        .await;
    let (code, message) = empty.error();
    assert_eq!(code, "BAD_USER_INPUT");
    assert!(message.starts_with("reason:"), "{message}");
    let rejected = app
        .must(
            &w.supervisor,
            REJECT,
            json!({"id": id, "r": "投诉经核实属实"}),
        )
        .await;
    assert_eq!(
        rejected["rejectDispute"],
        json!({"id": id, "status": "REJECTED", "decisionReason": "投诉经核实属实"})
    );
    assert_eq!(
        flags(&app, &w).await,
        json!({"confirmed": true, "vendorLiable": true})
    );
    let runs = app
        .must(&w.admin, "{ assessmentRuns { total } }", json!({}))
        .await;
    assert_eq!(runs["assessmentRuns"]["total"], 1);
    assert_eq!(v1_march(&app, &w).await, [(1, "88.38".into(), true)]);
    // A vendor does not decide.
    let by_vendor = app
        .gql(Some(&w.vendor), ACCEPT, json!({"id": id, "c": "CONFIRMED"}))
        .await;
    assert_eq!(by_vendor.error().0, "FORBIDDEN");
    app.deliver_pending_mail().await;
}

/// Over real SMTP: filing mails R1's supervisors that have an e-mail (sup1);
/// the decision mails them and V1's users that have one (vendor1), each with
/// the dispute's page under PUBLIC_URL.
#[tokio::test]
async fn both_sides_are_mailed_with_the_link() {
    let smtp = SmtpServer::start(scratch_dir("dispute-mail")).await;
    let app = spawn_app_with(|c| {
        c.mail.smtp_url = Some(format!("smtp://127.0.0.1:{}", smtp.port));
        c.mail.public_url = "https://yun.example.gov.cn/jg".to_owned();
    })
    .await;
    let w = world::build(&app).await;
    world::set_supervisor_email(&app, &w).await;
    let vendor1 = world::user_id(&app, &w, VENDOR.0).await;
    app.must(
        &w.admin,
        "mutation($id: ID!, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { email } }",
        json!({"id": vendor1, "i": {"email": "li@v1.example.cn"}}),
    )
    .await;
    let result = published_march(&app, &w).await;
    // March's notice (88.38 is below 90) goes to the vendor's contact.
    let id = dispute_complaint(&app, &w, &result).await;
    app.deliver_pending_mail().await;
    let arrived = smtp.arrived();
    let about = |arrived: &[crate::mail::Arrived], topic: &str| -> Vec<(String, String, String)> {
        arrived
            .iter()
            .filter(|a| a.subject.contains(topic))
            .map(|a| (a.envelope_to.clone(), a.subject.clone(), a.body.clone()))
            .collect()
    };
    let filed = about(&arrived, "考核申诉待处理");
    assert_eq!(filed.len(), 1);
    let (to, _, body) = &filed[0];
    assert_eq!(to, "sup1@jg.example.gov.cn");
    for expected in [
        REASON.to_owned(),
        "C1 有责投诉 扣 5.00 分".to_owned(),
        format!("https://yun.example.gov.cn/jg/disputes/{id}"),
    ] {
        assert!(body.contains(&expected), "missing {expected:?} in\n{body}");
    }
    app.must(
        &w.supervisor,
        ACCEPT,
        json!({"id": id, "c": "CONFIRMED", "r": "投诉未经确认"}),
    )
    .await;
    app.deliver_pending_mail().await;
    let decided = about(&smtp.arrived(), "考核申诉已采纳");
    let mut to: Vec<&str> = decided.iter().map(|(to, _, _)| to.as_str()).collect();
    to.sort();
    assert_eq!(to, ["li@v1.example.cn", "sup1@jg.example.gov.cn"]);
    for (_, _, body) in &decided {
        assert!(body.contains("相关事实已取消确认"), "{body}");
        assert!(body.contains("处理意见：投诉未经确认"), "{body}");
        assert!(body.contains(&format!("/jg/disputes/{id}")), "{body}");
    }
}

fn filing(fact: &str, reason: &str, file: Option<(&str, &[u8])>) -> Form {
    let form = Form::new()
        .text("fact", fact.to_owned())
        .text("reason", reason.to_owned());
    match file {
        Some((name, bytes)) => form.part(
            "file",
            Part::bytes(bytes.to_vec()).file_name(name.to_owned()),
        ),
        None => form,
    }
}

/// On the scorecard, V1 disputes the complaint with a PDF: without a reason
/// the form comes back (422) with the reason why and nothing is written;
/// with one, V1 lands on the dispute's page, and the scorecard shows it as
/// 待处理. R1's supervisor accepts it as 取消确认 on its page, which then
/// shows the outcome and the new draft revision (93.38); the scorecard
/// shows 已采纳 with the decision.
#[tokio::test]
async fn the_console_files_and_decides_a_dispute() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let result = published_march(&app, &w).await;
    let key = format!("complaint:{}", complaint(&w));
    let mut vendor = ConsoleUser::sign_in(&app, VENDOR.0, VENDOR.1).await;
    let card = vendor.get(&format!("/results/{result}")).await;
    assert_eq!(card.status, StatusCode::OK);
    assert!(
        card.body.contains(&format!("value=\"{key}\"")),
        "no form for the complaint"
    );
    assert!(card.body.contains("个工作日内"), "the window is stated");
    let path = format!("/results/{result}/disputes");
    let empty = vendor
        .post_multipart(&path, filing(&key, " ", Some(("说明.pdf", PDF))))
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("请填写申诉理由"), "{}", empty.body);
    assert_eq!(disputes_total(&app, &w).await, 0);
    let filed = vendor
        .post_multipart(&path, filing(&key, REASON, Some(("说明.pdf", PDF))))
        .await;
    assert_eq!(filed.status, StatusCode::SEE_OTHER);
    let page_path = filed.location.unwrap();
    let page = vendor.get(&page_path).await;
    assert!(page.body.contains(REASON) && page.body.contains("待处理"));
    assert!(page.body.contains("说明.pdf"));
    assert!(
        !page.body.contains("采纳申诉"),
        "a vendor has no decision forms"
    );
    let (status, kind, bytes) = vendor.download(&format!("{page_path}/attachment")).await;
    assert_eq!(
        (status, kind.as_str(), bytes.as_slice()),
        (StatusCode::OK, "application/pdf", PDF)
    );
    let card = vendor.get(&format!("/results/{result}")).await;
    assert!(
        card.body.contains("申诉<a href=\"/disputes/"),
        "{}",
        card.body
    );
    assert!(
        !card.body.contains(&format!("value=\"{key}\"")),
        "no second form while open"
    );

    let mut supervisor = ConsoleUser::sign_in(&app, SUPERVISOR.0, SUPERVISOR.1).await;
    let open = supervisor.get(&page_path).await;
    assert!(open.body.contains("采纳申诉") && open.body.contains("驳回申诉"));
    let empty = supervisor
        .post(&format!("{page_path}/reject"), &[("reason", "")])
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("须填写驳回理由"), "{}", empty.body);
    let accepted = supervisor
        .post(
            &format!("{page_path}/accept"),
            &[("clear", "CONFIRMED"), ("reason", "投诉未经确认")],
        )
        .await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER);
    let done = supervisor.get(&page_path).await;
    assert!(
        done.body.contains("已采纳（取消确认）：投诉未经确认"),
        "{}",
        done.body
    );
    assert!(
        done.body.contains("草稿，待发布），总分 93.38"),
        "{}",
        done.body
    );
    let card = vendor.get(&format!("/results/{result}")).await;
    assert!(
        card.body
            .contains("\">已采纳</a>（取消确认）：投诉未经确认"),
        "{}",
        card.body
    );
    app.deliver_pending_mail().await;
}

/// The filing form as every role: a stranger is sent to sign in; another
/// vendor and an agency do not find the result (404); the administrator and
/// the supervisor may read it but are refused (403); nothing is written.
#[tokio::test]
async fn the_filing_upload_as_every_role() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let result = published_march(&app, &w).await;
    other_vendor(&app, &w).await;
    let key = format!("complaint:{}", complaint(&w));
    let path = format!("/results/{result}/disputes");
    let mut stranger = ConsoleUser::stranger(&app);
    stranger.get("/login").await;
    let page = stranger
        .post_multipart(&path, filing(&key, REASON, Some(("说明.pdf", PDF))))
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(page.location.unwrap().starts_with("/login"));
    for (name, pass, expected) in [
        ("admin", e2e::ADMIN_PASSWORD, StatusCode::FORBIDDEN),
        (SUPERVISOR.0, SUPERVISOR.1, StatusCode::FORBIDDEN),
        ("vendor2", "Vendor-pass-2", StatusCode::NOT_FOUND),
        (world::AGENCY.0, world::AGENCY.1, StatusCode::NOT_FOUND),
    ] {
        let mut user = ConsoleUser::sign_in(&app, name, pass).await;
        user.get("/").await;
        let page = user
            .post_multipart(&path, filing(&key, REASON, Some(("说明.pdf", PDF))))
            .await;
        assert_eq!(page.status, expected, "{name}");
        assert!(!page.body.contains(REASON), "{name}");
    }
    assert_eq!(disputes_total(&app, &w).await, 0);
    app.deliver_pending_mail().await;
}
