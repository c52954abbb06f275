//! The administrator's pages in a browser (issue 14, item 4): the
//! administrator creates an account for a vendor's engineer through the
//! form (role and vendor picked by name), disables it after the page asks
//! first, and the engineer can no longer sign in. What the pages did is
//! checked against GraphQL.

use e2e::{ADMIN_PASSWORD, ADMIN_USERNAME, spawn_app};
use serde_json::json;

use crate::harness::Driver;
use crate::world;

pub async fn an_administrator_creates_a_vendor_user_and_disables_it(driver: &Driver) {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let browser = driver.browser(&app).await;
    browser.open("/login").await;
    browser.sign_in(ADMIN_USERNAME, ADMIN_PASSWORD).await;

    browser.click("header.shell nav a[href=\"/admin\"]").await;
    browser.wait_for_text("审计记录").await;
    browser.click("a[href=\"/admin/users\"]").await;
    browser.click("a[href=\"/admin/users/new\"]").await;
    browser.fill("username", "ops.li").await;
    browser.fill("password", "Ops-li-2026").await;
    browser.select("role", "云服务商").await;
    browser.select("vendorId", "云1").await;
    browser.fill("email", "li@v1.example.cn").await;
    browser.full_page_screenshot("admin-new-user").await;
    browser.click("main form button[type=submit]").await;
    browser.wait_for_text("用户已创建。").await;
    let id = browser
        .path()
        .await
        .strip_prefix("/admin/users/")
        .and_then(|rest| rest.split('?').next())
        .expect("the new user's page")
        .to_owned();
    let user = "query($id: ID!) { user(id: $id) { username role vendorId disabled } }";
    let data = app.must(&w.admin, user, json!({"id": id})).await;
    assert_eq!(
        data["user"],
        json!({"username": "ops.li", "role": "VENDOR", "vendorId": w.one.vendor, "disabled": false})
    );

    // Disabling asks first; cancelled, nothing changes.
    browser.click("#disable").await;
    let asked = browser.dismiss_confirm().await;
    assert!(asked.contains("确定停用用户 ops.li 吗？"), "{asked}");
    let data = app.must(&w.admin, user, json!({"id": id})).await;
    assert_eq!(data["user"]["disabled"], false, "cancelled");
    browser.click("#disable").await;
    browser.accept_confirm().await;
    browser.wait_for_text("已停用：该用户不能再登录").await;
    browser.screenshot("admin-user-disabled").await;
    let data = app.must(&w.admin, user, json!({"id": id})).await;
    assert_eq!(data["user"]["disabled"], true);

    // The trail says it: newest first, in Chinese, in Beijing time.
    browser.open("/admin/audit?kind=User&who=admin").await;
    let newest = browser.table("table.audit").await;
    assert_eq!(newest[0][2], "修改用户", "{newest:?}");
    assert!(newest[0][5].contains("已停用：否 → 是"), "{newest:?}");
    assert_eq!(newest[1][2], "新建用户", "{newest:?}");
    browser.full_page_screenshot("admin-audit").await;

    // The scheme read as a table, for review.
    browser.open("/admin/schemes/sh-municipal/1").await;
    browser.wait_for_text("服务交付及时率").await;
    browser.full_page_screenshot("admin-scheme").await;

    // Signed out, the engineer's password no longer opens the console.
    browser.click("header.shell form button[type=submit]").await;
    browser.wait_for_path("/login").await;
    browser.fill("username", "ops.li").await;
    browser.fill("password", "Ops-li-2026").await;
    browser.click("main.login button[type=submit]").await;
    browser.wait_for_text("用户名或密码错误").await;
    assert_eq!(browser.path().await, "/login");
    browser.close().await;
}
