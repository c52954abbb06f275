//! A vendor disputes a deduction on its scorecard and the supervisor accepts
//! it (issue 14, item 3, in a real browser): V1 opens its published March
//! 2025 scorecard, opens the 申诉 form under its complaint, writes the reason,
//! attaches a PDF and submits; the dispute's page says 待处理. R1's supervisor
//! finds it in 考核申诉, accepts it as 取消服务商责任 (confirming the
//! dialog), and follows the dispute's page to the new draft revision: V1's
//! March total rises from 88.38 to 93.38 (C1, weight 10 at −5 per liable
//! complaint, from 5 back to 10). The published scorecard then shows the
//! dispute as 已采纳 with the decision: that page is `docs/console-dispute.png`.

use std::path::PathBuf;

use serde_json::json;

use crate::harness::Driver;
use crate::world::{self, SUPERVISOR, VENDOR};

const REASON: &str = "该投诉系使用单位误报，附使用单位情况说明";
const DECISION: &str = "经核实为使用单位误报";

pub async fn a_vendor_disputes_a_deduction_and_the_supervisor_accepts(driver: &Driver) {
    let app = e2e::spawn_app().await;
    let w = world::build(&app).await;
    world::publish_month(&app, &w, "2025-03").await;
    let mine = app
        .must(
            &w.vendor,
            "{ assessmentResults(filter: {period: \"2025-03\"}) { items { id } } }",
            json!({}),
        )
        .await;
    let result = mine["assessmentResults"]["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let complaint = w
        .one
        .facts
        .iter()
        .find(|(l, _)| *l == "complaints")
        .map(|(_, id)| id.clone())
        .unwrap();

    let browser = driver.browser(&app).await;
    browser.sign_in(VENDOR.0, VENDOR.1).await;
    browser.open(&format!("/results/{result}")).await;
    browser.wait_for_text("个工作日内").await;
    let details = format!("details:has(input[name=\"fact\"][value=\"complaint:{complaint}\"])");
    browser.click(&format!("{details} > summary")).await;
    let form = format!("{details} form");
    browser
        .find(&format!("{form} textarea[name=\"reason\"]"))
        .await
        .send_keys(REASON)
        .await
        .unwrap();
    browser
        .find(&format!("{form} input[type=file][name=\"file\"]"))
        .await
        .send_keys(&pdf_file().to_string_lossy())
        .await
        .unwrap();
    browser
        .full_page_screenshot("vendor-scorecard-dispute-form")
        .await;
    browser.click(&format!("{form} button[type=submit]")).await;
    browser.wait_for_cell("状态", "待处理").await;
    assert_eq!(browser.cell("申诉理由").await, REASON);
    assert!(browser.cell("证明材料").await.starts_with("情况说明.pdf"));
    // The file's link downloads it, byte for byte, with the vendor's session.
    let file = browser.download("a[href$=\"/attachment\"]").await;
    assert_eq!(
        (
            file.status,
            file.content_type.as_str(),
            file.bytes.as_slice()
        ),
        (200, "application/pdf", PDF)
    );
    assert!(file.href.ends_with("/attachment"), "{}", file.href);
    browser.screenshot("vendor-dispute-filed").await;
    browser.open(&format!("/results/{result}")).await;
    browser.wait_for_text("申诉待处理").await;
    browser.click("form[action=\"/logout\"] button").await;

    browser.sign_in(SUPERVISOR.0, SUPERVISOR.1).await;
    browser.open("/disputes").await;
    let rows = browser.table("table.disputes").await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    let fact = format!("投诉 #{complaint}");
    assert_eq!(rows[0][3..7], ["C1", "5.00", fact.as_str(), "待处理"]);
    browser.click("table.disputes a").await;
    browser.wait_for_cell("状态", "待处理").await;
    browser.choose("clear", "VENDOR_LIABLE").await;
    browser
        .find("#accept-reason")
        .await
        .send_keys(DECISION)
        .await
        .unwrap();
    browser
        .click("form[action$=\"/accept\"] button[type=submit]")
        .await;
    let asked = browser.accept_confirm().await;
    assert!(asked.contains("重新考核"), "{asked}");
    browser.wait_for_cell("状态", "已采纳").await;
    assert_eq!(
        browser.cell("处理结果").await,
        format!("已采纳（取消服务商责任）：{DECISION}")
    );
    let rerun = browser.cell("重新考核").await;
    assert!(
        rerun.contains("第 2 版（草稿，待发布），总分 93.38"),
        "{rerun}"
    );
    browser
        .full_page_screenshot("supervisor-dispute-accepted")
        .await;
    browser
        .click(&format!(
            "main a[href^=\"/results/\"]:not([href=\"/results/{result}\"])"
        ))
        .await;
    browser.wait_for_cell("状态", "草稿（第 2 版）").await;
    assert_eq!(browser.cell("总分").await, "93.38");

    browser.open(&format!("/results/{result}")).await;
    browser.wait_for_cell("状态", "已发布（第 1 版）").await;
    assert_eq!(browser.cell("总分").await, "88.38");
    let page = browser.wait_for_text("申诉已采纳").await;
    assert!(
        page.contains(&format!("已采纳（取消服务商责任）：{DECISION}")),
        "{page}"
    );
    browser.full_page_screenshot("console-dispute").await;
    browser.close().await;
    app.deliver_pending_mail().await;
}

/// The evidence the vendor attaches.
const PDF: &[u8] = b"%PDF-1.4\n% situation 5512\n%%EOF\n";

/// The PDF as a file (the file input wants a real path).
fn pdf_file() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("govcloud-dispute-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("情况说明.pdf");
    std::fs::write(&path, PDF).unwrap();
    path
}
