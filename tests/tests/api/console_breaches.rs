//! The breach register in the console (issue 15 item 4): recording by hand
//! with the terms' rows as checkboxes, the arithmetic shown, a proposal
//! confirmed or dismissed (a reason required), the vendor's answer, menus.
//! The world is `breach_register`'s: R1 under bj-lease, V1's 2024 contract
//! of 1,200,000.00 over 12 months, monthly fee 100,000.00.

use e2e::console::ConsoleUser;
use e2e::spawn_app;
use reqwest::StatusCode;

use crate::breach_register::{beijing, event, general, propose, record};
use crate::world::{self, SUPERVISOR, VENDOR};

#[tokio::test]
async fn a_supervisor_records_a_breach_and_sees_the_heaviest_row_charged_once() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    beijing(&app, &w, "bj-lease").await;
    let mut sup = ConsoleUser::sign_in(&app, SUPERVISOR.0, SUPERVISOR.1).await;
    let form = sup.get("/breaches/new").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("附件3 一般违约行为表"));
    assert!(form.body.contains("value=\"general:6\""));
    let region = w.one.region.as_str();
    let recorded = sup
        .post(
            "/breaches/new",
            &[
                ("region", region),
                ("system", w.one.system.as_str()),
                ("occurred_at", "2024-03-05T10:00"),
                ("description", "系统1宕机 9 小时"),
                ("evidence", "监控截图"),
                ("row", "general:5"),
                ("row", "general:6"),
                ("items", "1"),
                ("level", ""),
            ],
        )
        .await;
    assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.body);
    let page = sup.get(&recorded.location.unwrap()).await;
    // Rows 5 (30 %) and 6 (60 %): charged once at row 6,
    // 100,000.00 × 60 % = 60,000.00.
    assert!(
        page.body
            .contains("月服务费 ¥100,000.00 × 60 % = ¥60,000.00"),
        "{}",
        page.body
    );
    assert!(page.body.contains("（按此项计收：择其重者）"));
    assert!(page.body.contains("已确认") || page.body.contains("确认"));
    // No rows chosen: refused, naming what is missing, in Chinese.
    let refused = sup
        .post(
            "/breaches/new",
            &[
                ("region", region),
                ("system", w.one.system.as_str()),
                ("occurred_at", "2024-03-05T10:00"),
                ("description", "无条款"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("请至少选择一条违约条款"),
        "{}",
        refused.body
    );
    app.deliver_pending_mail().await;
}

#[tokio::test]
async fn a_proposal_is_dismissed_only_with_a_reason_and_confirmed_once() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let contract = beijing(&app, &w, "bj-lease").await;
    let first = propose(&app, &w, Some(&contract), &w.one.vendor).await;
    let mut sup = ConsoleUser::sign_in(&app, SUPERVISOR.0, SUPERVISOR.1).await;
    let list = sup.get("/breaches").await;
    assert!(list.body.contains("违约管理"), "the supervisor's menu");
    assert!(
        list.body
            .contains("待确认的违约（系统根据事实自动发现）：<strong>1</strong>"),
        "{}",
        list.body
    );
    sup.get(&format!("/breaches/{first}")).await;
    let bare = sup
        .post(&format!("/breaches/{first}/dismiss"), &[("reason", " ")])
        .await;
    assert_eq!(bare.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bare.body.contains("请填写不予认定的理由"), "{}", bare.body);
    let confirmed = sup
        .post(&format!("/breaches/{first}/confirm"), &[("reason", "")])
        .await;
    assert_eq!(confirmed.status, StatusCode::SEE_OTHER);
    let page = sup.get(&format!("/breaches/{first}")).await;
    // Recharged on confirmation: row 5, 100,000.00 × 30 % = 30,000.00.
    assert!(page.body.contains("¥30,000.00"), "{}", page.body);
    let again = sup.post(&format!("/breaches/{first}/confirm"), &[]).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    app.deliver_pending_mail().await;
}

#[tokio::test]
async fn the_vendor_answers_its_confirmed_breach_from_its_page() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    beijing(&app, &w, "bj-lease").await;
    let id = record(&app, &w, event(&w, general(&[5]))).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut vendor = ConsoleUser::sign_in(&app, VENDOR.0, VENDOR.1).await;
    let list = vendor.get("/breaches").await;
    assert!(list.body.contains("我的违约"), "the vendor's menu");
    assert!(list.body.contains(&format!("/breaches/{id}")));
    let page = vendor.get(&format!("/breaches/{id}")).await;
    assert!(page.body.contains("提交答复"));
    let bare = vendor
        .post(&format!("/breaches/{id}/answer"), &[("answer", "DISPUTED")])
        .await;
    assert_eq!(bare.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bare.body.contains("请填写异议理由"), "{}", bare.body);
    let answered = vendor
        .post(
            &format!("/breaches/{id}/answer"),
            &[("answer", "DISPUTED"), ("reason", "宕机系使用单位误操作")],
        )
        .await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER);
    let page = vendor.get(&format!("/breaches/{id}")).await;
    assert!(page.body.contains("有异议：宕机系使用单位误操作"));
    assert!(!page.body.contains("提交答复"), "answered once");
    app.deliver_pending_mail().await;
}
