//! The unified work order in the console (issue 16 item 1): the agency fills
//! a part's form (a missing field refused in Chinese, naming it), the
//! supervisor approves from the system's timeline, the vendor records the
//! delivery (late in red), and the exit's duties are taken from the page.

use e2e::console::ConsoleUser;
use e2e::spawn_app;
use reqwest::StatusCode;
use serde_json::json;

use crate::work_order_parts::{change_form, exit_form};
use crate::world::{self, AGENCY, SUPERVISOR, VENDOR, World};

/// The pages for `console_access`: (path, who gets it, secret).
pub fn access_cases(w: &World) -> Vec<(String, &'static str, Option<&'static str>)> {
    let (s1, s2) = (&w.one.system, &w.two.system);
    vec![
        ("/work-orders".into(), "signed-in", None),
        (
            format!("/systems/{s1}/work-orders"),
            "side-one",
            Some("统一工单：系统1"),
        ),
        (
            format!("/systems/{s2}/work-orders"),
            "side-two",
            Some("统一工单：系统2"),
        ),
        (
            format!("/work-orders/new?system={s1}&part=ONBOARDING"),
            "side-one-writers",
            Some("第一部分：信息系统入云"),
        ),
    ]
}

/// The forms for the forged-CSRF test: (path, fields).
pub fn forms(_w: &World) -> Vec<(String, Vec<(&'static str, &'static str)>)> {
    vec![
        (
            "/work-orders".into(),
            vec![("system", "1"), ("part", "CHANGE")],
        ),
        ("/work-order-parts/1/approve".into(), vec![]),
        (
            "/work-order-parts/1/reject".into(),
            vec![("reason", "伪造")],
        ),
        ("/work-order-parts/1/complete".into(), vec![]),
        ("/exit-duties/1/migration-request".into(), vec![]),
        ("/exit-duties/1/migration-done".into(), vec![]),
        ("/exit-duties/1/erasure".into(), vec![("erased", "yes")]),
    ]
}

const SUBMIT: &str =
    "mutation($i: SubmitWorkOrderPartInput!) { submitWorkOrderPart(input: $i) { id } }";
const APPROVE: &str =
    "mutation($id: ID!, $at: DateTime) { approveWorkOrderPart(id: $id, at: $at) { id } }";

#[tokio::test]
async fn the_agency_fills_part_3_and_a_missing_field_is_named_in_chinese() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let mut agency = ConsoleUser::sign_in(&app, AGENCY.0, AGENCY.1).await;
    let s1 = w.one.system.as_str();
    let form = agency
        .get(&format!("/work-orders/new?system={s1}&part=CHANGE"))
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("第三部分：云服务变更"), "{}", form.body);
    let mut fields = vec![
        ("system", s1),
        ("part", "CHANGE"),
        ("currentService", "4 台云主机"),
        ("targetService", "6 台云主机"),
        ("changeOn", "2025-11-20"),
    ];
    let refused = agency.post("/work-orders", &fields).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("变更原因为必填项（form.reason）"),
        "{}",
        refused.body
    );
    // What was typed is kept.
    assert!(refused.body.contains("6 台云主机"));
    fields.push(("reason", "业务量增长"));
    let done = agency.post("/work-orders", &fields).await;
    assert_eq!(
        done.location.as_deref(),
        Some(format!("/systems/{s1}/work-orders").as_str())
    );
    let timeline = agency.get(&format!("/systems/{s1}/work-orders")).await;
    assert!(timeline.body.contains("第三部分：云服务变更"));
    assert!(timeline.body.contains("提交待审批"));
    // The agency does not approve: no button.
    assert!(!timeline.body.contains("审批通过</button>"));
}

#[tokio::test]
async fn the_supervisor_approves_and_a_late_delivery_shows_in_red() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let s1 = w.one.system.as_str();
    let input = json!({"i": {"systemId": s1, "part": "CHANGE", "form": change_form(),
        "submittedAt": "2025-06-02T09:00:00+08:00"}});
    let part = e2e::id_of(
        &app.must(&w.agency, SUBMIT, input).await,
        "submitWorkOrderPart",
    );
    let mut sup = ConsoleUser::sign_in(&app, SUPERVISOR.0, SUPERVISOR.1).await;
    let page = sup.get(&format!("/systems/{s1}/work-orders")).await;
    assert!(page.body.contains("审批通过</button>"), "{}", page.body);
    let approved = sup
        .post(&format!("/work-order-parts/{part}/approve"), &[])
        .await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER);
    // R1 scores with the municipal A1: 5 working days from today's approval;
    // delivered at once: on time.
    let mut vendor = ConsoleUser::sign_in(&app, VENDOR.0, VENDOR.1).await;
    let page = vendor.get(&format!("/systems/{s1}/work-orders")).await;
    assert!(page.body.contains("5 个工作日"), "{}", page.body);
    let done = vendor
        .post(&format!("/work-order-parts/{part}/complete"), &[])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let page = vendor.get(&format!("/systems/{s1}/work-orders")).await;
    assert!(
        page.body.contains("class=\"pass\">按时完成"),
        "{}",
        page.body
    );
    // A part received Mon 2 Jun 2025 (due Mon 9 Jun) and still open: overdue, in red.
    let input = json!({"i": {"systemId": s1, "part": "GO_LIVE", "form": crate::work_order_parts::go_live_form(),
        "submittedAt": "2025-06-02T09:00:00+08:00"}});
    let late = e2e::id_of(
        &app.must(&w.agency, SUBMIT, input).await,
        "submitWorkOrderPart",
    );
    app.must(
        &w.supervisor,
        APPROVE,
        json!({"id": late, "at": "2025-06-02T10:00:00+08:00"}),
    )
    .await;
    let page = sup.get(&format!("/systems/{s1}/work-orders")).await;
    assert!(page.body.contains("class=\"fail\">已逾期"), "{}", page.body);
    assert!(page.body.contains("2025年6月9日"));
}

#[tokio::test]
async fn the_exit_duties_are_taken_from_the_timeline() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    app.must(
        &w.admin,
        "mutation($id: ID!, $i: UpdateRegionInput!) { updateRegion(id: $id, input: $i) { termsCode } }",
        json!({"id": w.one.region, "i": {"termsCode": "bj-lease"}}),
    )
    .await;
    let s1 = w.one.system.as_str();
    let input = json!({"i": {"systemId": s1, "part": "EXIT", "form": exit_form("2025-12-01"),
        "submittedAt": "2025-11-03T09:00:00+08:00"}});
    let part = e2e::id_of(
        &app.must(&w.agency, SUBMIT, input).await,
        "submitWorkOrderPart",
    );
    app.must(
        &w.supervisor,
        APPROVE,
        json!({"id": part, "at": "2025-11-03T10:00:00+08:00"}),
    )
    .await;
    let timeline = format!("/systems/{s1}/work-orders");
    let mut agency = ConsoleUser::sign_in(&app, AGENCY.0, AGENCY.1).await;
    let page = agency.get(&timeline).await;
    // The lease's 10 days; the erasure due on the exit date.
    assert!(page.body.contains("10 天"), "{}", page.body);
    assert!(page.body.contains("提出迁移协助需求"));
    let exit = page
        .body
        .split("/exit-duties/")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap()
        .to_owned();
    let asked = agency
        .post(&format!("/exit-duties/{exit}/migration-request"), &[])
        .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER);
    let mut vendor = ConsoleUser::sign_in(&app, VENDOR.0, VENDOR.1).await;
    vendor.get(&timeline).await;
    let confirmed = vendor
        .post(
            &format!("/exit-duties/{exit}/erasure"),
            &[("erased", "yes")],
        )
        .await;
    assert_eq!(confirmed.status, StatusCode::SEE_OTHER);
    let page = vendor.get(&timeline).await;
    assert!(page.body.contains("清除：是"), "{}", page.body);
    assert!(page.body.contains("登记迁移协助完成"));
    // The supervisor cannot confirm an erasure for a party: refused on the page.
    let mut sup = ConsoleUser::sign_in(&app, SUPERVISOR.0, SUPERVISOR.1).await;
    sup.get(&timeline).await;
    let refused = sup
        .post(
            &format!("/exit-duties/{exit}/erasure"),
            &[("erased", "yes")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
}
