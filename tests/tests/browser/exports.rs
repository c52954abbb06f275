//! The supervision team files the month (issue 14, item 2 and "Tests": "exports
//! the month's `.xlsx` (read back: figures equal the API's) and opens the print
//! page"): from the dashboard a supervisor downloads the ranking's workbook,
//! read back with calamine against GraphQL's ranking, then opens the print
//! page, whose table carries the same totals, and its 打印 button opens the
//! browser's print dialog; printed (WebDriver's print, A4 landscape) it is one
//! page. On the demo data, the print pages of the municipality's month, of a
//! scorecard and of Songjiang's service year are shot whole to
//! `<target>/console-screenshots/print-*-demo.png`; docs/console-print.png
//! is the first.
//!
//! The world of `world.rs` with V3 (云3) in R1, March 2025 published: 云3
//! 95.00 first, 云1 88.38 second (as console_dashboards.rs works it out).

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use e2e::{spawn_app, spawn_app_with};
use fantoccini::wd::{PrintConfiguration, PrintOrientation};
use serde_json::json;

use crate::harness::{Browser, Driver};
use crate::world::{self, SUPERVISOR, with_second_vendor};

const RANKING: &str = "query($r: ID!) { ranking(regionId: $r, period: \"2025-03\") {
    rank vendor { name } total } }";

pub async fn a_supervisor_exports_the_month_and_opens_its_print_page(driver: &Driver) {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    with_second_vendor(&app, &w).await;
    world::publish_month(&app, &w, "2025-03").await;
    let api = app
        .must(&w.supervisor, RANKING, json!({"r": w.one.region}))
        .await["ranking"]
        .as_array()
        .unwrap()
        .clone();
    // (name, total as shown) in rank order: 云3 95.00, 云1 88.38.
    let expected: Vec<(String, String)> = api
        .iter()
        .map(|r| {
            (
                r["vendor"]["name"].as_str().unwrap().to_owned(),
                r["total"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        expected,
        [("云3", "95.00"), ("云1", "88.38")].map(|(n, t)| (n.to_owned(), t.to_owned()))
    );

    let browser = driver.browser(&app).await;
    browser.sign_in(SUPERVISOR.0, SUPERVISOR.1).await;
    browser.open("/?month=2025-03").await;
    browser.wait_for_text("导出 Excel（归档用）").await;

    // The workbook: a row per vendor from the fourth, name in B, the total
    // in the 总分 column, as numbers.
    let file = browser.download("a[href^='/exports/ranking.xlsx']").await;
    assert_eq!(file.status, 200, "{}", file.href);
    assert_eq!(
        file.content_type,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(file.bytes)).expect("an xlsx file");
    let sheet = book.worksheet_range("月度排名").expect("the ranking sheet");
    let cell = |r: u32, c: u32| sheet.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    let total_col = (0..sheet.width() as u32)
        .find(|c| cell(2, *c) == Data::String("总分".into()))
        .expect("a 总分 column");
    for (i, (name, total)) in expected.iter().enumerate() {
        let r = 3 + i as u32;
        assert_eq!(cell(r, 0), Data::Float(i as f64 + 1.0), "rank of {name}");
        assert_eq!(cell(r, 1), Data::String(name.clone()));
        assert_eq!(cell(r, total_col), Data::Float(total.parse().unwrap()));
    }

    // The print page, from the dashboard's link.
    browser.click("a.print-link").await;
    browser.wait_for_text("盖章处").await;
    assert!(browser.path().await.starts_with("/print/ranking"));
    let text = browser.text().await;
    for shown in ["区1", "2025年3月月度考核排名", "监管单位（盖章）", "日期："]
    {
        assert!(text.contains(shown), "{shown}: {text}");
    }
    let rows = browser.table(".sheet-table table").await;
    let printed: Vec<(String, String)> = rows
        .iter()
        .map(|cells| (cells[1].clone(), cells[total_col as usize].clone()))
        .collect();
    assert_eq!(printed, expected, "the printed totals are the API's");
    let shot = browser.full_page_screenshot("print-ranking").await;
    printed_pages(&browser, &shot.with_extension("pdf"), 1).await;

    // 打印 opens the browser's print dialog (recorded here instead: a
    // headless browser has no dialog to show).
    browser
        .client
        .execute(
            "window.printed = false; window.print = function () { window.printed = true; };",
            vec![],
        )
        .await
        .expect("window.print is replaced");
    browser.click("button[data-print]").await;
    let printed = browser
        .client
        .execute("return window.printed;", vec![])
        .await
        .expect("the flag is read");
    assert_eq!(printed, json!(true), "打印 calls window.print()");

    browser.close().await;
    // Publishing mailed V1's notice (88.38 < 90).
    app.deliver_pending_mail().await;
}

/// Prints the page as the browser would on A4 landscape (print CSS applied),
/// writes the PDF to `pdf` and checks it takes `pages` pages.
async fn printed_pages(browser: &Browser, pdf: &std::path::Path, pages: usize) {
    let config = PrintConfiguration::builder()
        .orientation(PrintOrientation::Landscape)
        .background(true)
        .build()
        .expect("a print configuration");
    let bytes = browser.client.print(config).await.expect("a PDF");
    assert!(bytes.starts_with(b"%PDF"), "a PDF");
    std::fs::write(pdf, &bytes).expect("the PDF is written");
    // Each page is an object `/Type /Page` (the tree is `/Type /Pages`).
    let text = String::from_utf8_lossy(&bytes);
    let count = text.matches("/Type /Page").count() - text.matches("/Type /Pages").count();
    assert_eq!(count, pages, "{} prints on {pages} page(s)", pdf.display());
}

/// The demo's users by name.
fn demo_user(name: &str) -> (&'static str, &'static str) {
    api::demo::USERS
        .iter()
        .find(|(username, ..)| *username == name)
        .map(|(username, password, _)| (*username, *password))
        .unwrap_or_else(|| panic!("no demo user {name}"))
}

/// Opens the print page the link at `css` leads to and shoots it whole.
async fn print_page(browser: &Browser, css: &str, shot: &str, heading: &str) {
    browser.click(css).await;
    browser.wait_for_text("盖章处").await;
    let text = browser.text().await;
    assert!(text.contains(heading), "{heading}: {text}");
    // A figure to two decimals (98.06), never an empty table.
    assert!(
        text.split(|c: char| !(c.is_ascii_digit() || c == '.'))
            .any(|t| t.len() >= 4 && t.as_bytes()[t.len() - 3] == b'.'),
        "no two-decimal figure: {text}"
    );
    browser.full_page_screenshot(shot).await;
}

pub async fn the_demos_print_pages(driver: &Driver) {
    let app = spawn_app_with(|c| c.demo_data = true).await;
    let (name, password) = demo_user("demo-supervisor");
    let browser = driver.browser(&app).await;
    browser.sign_in(name, password).await;
    browser.wait_for_path("/").await;
    print_page(&browser, "a.print-link", "print-ranking-demo", "上海市").await;
    browser.open("/").await;
    browser.click("table.ranking a[href^='/results/']").await;
    browser.wait_for_text("评分表").await;
    print_page(&browser, "a.print-link", "print-scorecard-demo", "评分表").await;
    browser.close().await;

    let (name, password) = demo_user("demo-songjiang");
    let browser = driver.browser(&app).await;
    browser.sign_in(name, password).await;
    browser.wait_for_path("/").await;
    print_page(
        &browser,
        "a[href^='/print/annual']",
        "print-annual-demo",
        "2025 服务年度（2025-07..2026-06）考核结果",
    )
    .await;
    browser.close().await;
    app.deliver_pending_mail().await;
}
