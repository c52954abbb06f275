//! Signing in from a deep link: a page asked for while signed out leads to the
//! sign-in page and, once signed in, to that page (`next`), as a link in a
//! mail does.

use e2e::{TestApp, id_of, spawn_app};
use serde_json::json;

use crate::harness::Driver;
use crate::world::{self, AGENCY, SUPERVISOR, World};

pub async fn a_deep_link_leads_to_its_page_after_sign_in(driver: &Driver) {
    let app = spawn_app().await;
    let _w = world::build(&app).await;
    let browser = driver.browser(&app).await;
    browser.open("/complaints/new").await;
    browser.wait_for_path("/login").await;
    assert_eq!(browser.path().await, "/login?next=%2Fcomplaints%2Fnew");
    assert!(browser.text().await.contains("政务云监管平台"));
    browser.screenshot("sign-in").await;

    browser.sign_in(AGENCY.0, AGENCY.1).await;
    assert_eq!(browser.path().await, "/complaints/new");
    assert!(browser.text().await.contains("提交投诉"));
    browser.close().await;
}

/// The supervisors' mail when a vendor submits links to the notice: a
/// stranger following it signs in and lands on that notice, where accepting
/// asks first (cancelled: nothing changes) and then closes it.
pub async fn a_notice_link_leads_to_the_notice_after_sign_in(driver: &Driver) {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let id = submitted_notice(&app, &w).await;
    let browser = driver.browser(&app).await;
    let notice = format!("/notices/{id}");
    browser.open(&notice).await;
    browser.wait_for_path("/login").await;
    assert_eq!(
        browser.path().await,
        format!("/login?next=%2Fnotices%2F{id}")
    );

    browser.sign_in(SUPERVISOR.0, SUPERVISOR.1).await;
    assert_eq!(browser.path().await, notice);
    let page = browser.wait_for_text("机房巡检记录缺失").await;
    assert!(page.contains("已补齐巡检记录"), "{page}");
    assert!(page.contains("已提交整改，待验收"), "{page}");
    browser.screenshot("supervisor-notice").await;

    let accept = format!("form[action=\"{notice}/accept\"] button[type=submit]");
    browser.click(&accept).await;
    let asked = browser.dismiss_confirm().await;
    assert!(asked.contains("确认验收通过"), "{asked}");
    assert_eq!(status(&app, &w, &id).await, "SUBMITTED", "cancelled");
    browser.click(&accept).await;
    browser.accept_confirm().await;
    browser.wait_for_text("已验收通过").await;
    assert_eq!(status(&app, &w, &id).await, "ACCEPTED");
    browser.close().await;
    app.deliver_pending_mail().await;
}

/// A manual notice to V1 in R1 (as the admin), acknowledged and answered by
/// vendor1; returns its id.
async fn submitted_notice(app: &TestApp, w: &World) -> String {
    let created = app
        .must(
            &w.admin,
            "mutation($i: CreateNoticeInput!) { createNotice(input: $i) { id } }",
            json!({"i": {"regionId": w.one.region, "vendorId": w.one.vendor, "reason": "机房巡检记录缺失"}}),
        )
        .await;
    let id = id_of(&created, "createNotice");
    app.must(
        &w.vendor,
        "mutation($id: ID!) { acknowledgeNotice(id: $id) { id } }",
        json!({"id": id}),
    )
    .await;
    app.must(
        &w.vendor,
        "mutation($id: ID!, $r: String!) { submitRectification(id: $id, rectification: $r) { id } }",
        json!({"id": id, "r": "已补齐巡检记录"}),
    )
    .await;
    id
}

async fn status(app: &TestApp, w: &World, id: &str) -> String {
    app.must(
        &w.supervisor,
        "query($id: ID!) { notice(id: $id) { status } }",
        json!({"id": id}),
    )
    .await["notice"]["status"]
        .as_str()
        .expect("a status")
        .to_owned()
}
