//! Quotas and usage in the console (issue 16 item 5): the supervisor applies,
//! approves, records the delivery and requests an expansion through the
//! pages (a refusal in Chinese with the figures); `/quotas` shows the 120 %
//! line and the delivery (逾期 N 天); `/usage` imports the platform's export,
//! previewed then confirmed, a second import replacing the first.

use e2e::console::{ConsoleUser, hidden};
use e2e::spawn_app;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::json;

use crate::quotas::{approved_quota, vcpu};
use crate::world::{self, SUPERVISOR, VENDOR};

#[tokio::test]
async fn the_supervisor_applies_approves_and_is_refused_beyond_120_percent() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let item = vcpu(&app, &w).await;
    let mut sup = ConsoleUser::sign_in(&app, SUPERVISOR.0, SUPERVISOR.1).await;
    let list = sup.get("/quotas").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("申请资源配额"));
    let applied = sup
        .post(
            "/quotas",
            &[
                ("system_id", w.one.system.as_str()),
                ("item_id", item.as_str()),
                ("quantity", "100"),
                ("test_months", ""),
                ("note", "配额备注"),
            ],
        )
        .await;
    let page = applied.location.expect("the quota's page");
    let shown = sup.get(&page).await;
    assert!(shown.body.contains("待审批"), "{}", shown.body);
    let approved = sup.post(&format!("{page}/approve"), &[]).await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER);
    sup.get(&page).await;
    // 100 + 21 = 121 > 100 × 120 % = 120: refused, the figures in Chinese.
    let refused = sup
        .post(
            &format!("{page}/changes"),
            &[("kind", "EXPAND"), ("quantity", "21"), ("reason", "扩容")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains(
            "扩容申请不予通过：云主机vCPU扩容后总量 121，超过配额 100 的 120%（上限 120）"
        ),
        "{}",
        refused.body
    );
    // 100 + 20 = 120: requested, then approved from the page's change row.
    sup.post(
        &format!("{page}/changes"),
        &[("kind", "EXPAND"), ("quantity", "20"), ("reason", "扩容")],
    )
    .await;
    let with_change = sup.get(&page).await;
    let change = with_change
        .body
        .split("/quota-changes/")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .expect("the change's form")
        .to_owned();
    sup.post(&format!("/quota-changes/{change}/approve"), &[])
        .await;
    let after = sup.get(&page).await;
    // In use 100 + 20 = 120; the line stays 120.
    assert!(
        after
            .body
            .contains("在用 120；已批准扩容 20；上限（120%）120"),
        "{}",
        after.body
    );
}

#[tokio::test]
async fn a_late_delivery_is_shown_with_its_days_and_the_vendor_reads_without_forms() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let item = vcpu(&app, &w).await;
    let quota = approved_quota(&app, &w, &item, "100").await;
    let mut sup = ConsoleUser::sign_in(&app, SUPERVISOR.0, SUPERVISOR.1).await;
    sup.get(&format!("/quotas/{quota}")).await;
    // Agreement 30 Sep 2025, due 14 Oct (5 working days across National
    // Day, 11 Oct a make-up working day); delivered 17 Oct: 17 − 14 = 3 days.
    sup.post(
        &format!("/quotas/{quota}/delivery"),
        &[
            ("agreement_on", "2025-09-30"),
            ("delivered_on", "2025-10-17"),
        ],
    )
    .await;
    let list = sup.get("/quotas").await;
    assert!(list.body.contains("逾期 3 天交付"), "{}", list.body);
    assert!(list.body.contains("2025年10月14日"), "{}", list.body);
    let mut vendor = ConsoleUser::sign_in(&app, VENDOR.0, VENDOR.1).await;
    let seen = vendor.get(&format!("/quotas/{quota}")).await;
    assert_eq!(seen.status, StatusCode::OK);
    assert!(seen.body.contains("逾期 3 天交付"));
    assert!(!seen.body.contains("/approve"));
    assert!(!vendor.get("/quotas").await.body.contains("申请资源配额"));
}

const EXPORT: &str =
    "月份,系统名称,服务项目编码,用量\n2025-07,系统1,Q-VCPU,100\n2025-08,系统1,Q-VCPU,130\n";

async fn upload(sup: &mut ConsoleUser, region: &str, csv: &str) -> e2e::console::Page {
    sup.get("/usage").await;
    let form = Form::new().text("region", region.to_owned()).part(
        "file",
        Part::bytes(csv.as_bytes().to_vec()).file_name("用量.csv"),
    );
    sup.post_multipart("/usage/import", form).await
}

#[tokio::test]
async fn the_usage_import_previews_confirms_and_replaces_on_reimport() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let item = vcpu(&app, &w).await;
    approved_quota(&app, &w, &item, "100").await;
    let mut sup = ConsoleUser::sign_in(&app, SUPERVISOR.0, SUPERVISOR.1).await;
    for round in 0..2 {
        let preview = upload(&mut sup, &w.one.region, EXPORT).await;
        assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
        assert!(
            preview.body.contains("以下 2 行均已通过检查"),
            "{}",
            preview.body
        );
        // August's 130 > the approved 100: flagged.
        assert!(preview.body.contains("超配额"));
        let rows = hidden(&preview.body, "rows").expect("the rows to confirm");
        let rows = rows.replace("&#34;", "\"").replace("&quot;", "\"");
        let confirmed = sup
            .post(
                "/usage/import/confirm",
                &[("region", w.one.region.as_str()), ("rows", rows.as_str())],
            )
            .await;
        assert_eq!(confirmed.status, StatusCode::SEE_OTHER, "round {round}");
    }
    // Imported twice: still two records, 100 + 130 = 230, not 460.
    let usage = app
        .must(
            &w.supervisor,
            "{ usage { total items { quantity } } }",
            json!({}),
        )
        .await;
    assert_eq!(usage["usage"]["total"], 2);
    let sum: f64 = usage["usage"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["quantity"].as_str().unwrap().parse::<f64>().unwrap())
        .sum();
    assert_eq!(sum, 230.0);
    let page = sup.get("/usage").await;
    assert!(page.body.contains("2025年7月"), "{}", page.body);
    // A bad row: nothing written, the row (line 2 of the file, below the
    // header) and the column named.
    let bad = upload(
        &mut sup,
        &w.one.region,
        "月份,系统名称,服务项目编码,用量\n2025-09,系统1,Q-VCPU,abc\n",
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("第 2 行「用量」"), "{}", bad.body);
}

#[tokio::test]
async fn test_resources_show_their_free_months_from_delivery() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let item = vcpu(&app, &w).await;
    let input =
        json!({"i": {"systemId": w.one.system, "itemId": item, "quantity": "8", "testMonths": 2}});
    let quota = e2e::id_of(
        &app.must(&w.supervisor, crate::quotas::APPLY, input).await,
        "applyQuota",
    );
    app.must(&w.supervisor, crate::quotas::APPROVE, json!({"id": quota}))
        .await;
    let mut sup = ConsoleUser::sign_in(&app, SUPERVISOR.0, SUPERVISOR.1).await;
    let before = sup.get("/quotas").await;
    assert!(
        before.body.contains("测试资源（免费 2 个月，自交付月起）"),
        "{}",
        before.body
    );
    sup.get(&format!("/quotas/{quota}")).await;
    sup.post(
        &format!("/quotas/{quota}/delivery"),
        &[
            ("agreement_on", "2025-10-09"),
            ("delivered_on", "2025-10-14"),
        ],
    )
    .await;
    // Delivered in October 2025, free for 2 months: October and November.
    let after = sup.get("/quotas").await;
    assert!(
        after.body.contains("测试资源（免费至2025年11月）"),
        "{}",
        after.body
    );
}
