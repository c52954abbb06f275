//! 计量结算 in the console (issue 16 item 4): the page's totals per vendor and
//! agency and its lines, the 关闭计量 form for the region's supervisor, and
//! the `.xlsx` with one sheet per vendor and per agency whose money cells are
//! numbers; a vendor sees and downloads only its own lines.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use e2e::console::ConsoleUser;
use e2e::spawn_app;
use reqwest::StatusCode;

use crate::metering::{a_year_of_75, annual, songjiang, test_resources, worked_example};
use crate::world::{self, VENDOR};
use e2e::{ADMIN_PASSWORD, ADMIN_USERNAME};

#[tokio::test]
async fn the_supervisor_reads_the_bill_and_closes_it() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let sj = songjiang(&app, &w).await;
    worked_example(&app, &w, &sj).await;
    let mut sup = ConsoleUser::sign_in(&app, "sup-sj", "sup-sj-Pass-2026").await;
    let path = format!("/metering?region={}&year=2025", sj.region);
    let page = sup.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    // 100 × 30.00 × 6 + 120 × 30.00 × 6 + 200 × 20.00 × 12 = 87,600.00.
    assert!(page.body.contains("¥87,600.00"), "{}", page.body);
    assert!(page.body.contains("松江区卫生健康委员会"));
    assert!(page.body.contains("关闭计量"));
    let closed = sup
        .post(
            "/metering/close",
            &[("region", &sj.region), ("year", "2025")],
        )
        .await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER);
    let page = sup.get(&path).await;
    assert!(page.body.contains("已关闭"));
    assert!(
        !page.body.contains("/metering/close"),
        "no second close form"
    );
}

/// The administrator's menu link names no region: the first region with
/// metered usage is shown (here Songjiang, the only one).
#[tokio::test]
async fn the_administrator_opens_the_metered_region_from_the_menu() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let sj = songjiang(&app, &w).await;
    worked_example(&app, &w, &sj).await;
    let mut admin = ConsoleUser::sign_in(&app, ADMIN_USERNAME, ADMIN_PASSWORD).await;
    let page = admin.get("/metering?year=2025").await;
    assert_eq!(page.status, StatusCode::OK);
    // The worked example again: 87,600.00.
    assert!(page.body.contains("松江区"), "{}", page.body);
    assert!(page.body.contains("¥87,600.00"));
}

#[tokio::test]
async fn a_vendor_sees_and_downloads_only_its_own_lines() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let sj = songjiang(&app, &w).await;
    worked_example(&app, &w, &sj).await;
    test_resources(&app, &w, &sj).await;
    let mut v1 = ConsoleUser::sign_in(&app, VENDOR.0, VENDOR.1).await;
    let page = v1
        .get(&format!("/metering?region={}&year=2025", sj.region))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("健康档案系统"));
    assert!(
        !page.body.contains("市场监管平台"),
        "V2's system is not V1's"
    );
    assert!(!page.body.contains("关闭计量"));
    let (status, _, bytes) = v1
        .download(&format!("/exports/metering/{}/2025.xlsx", sj.region))
        .await;
    assert_eq!(status, StatusCode::OK);
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("an xlsx file");
    let names = book.sheet_names();
    // V1's own sheet and its agency's; nothing of V2 (云2) or its agency.
    assert_eq!(names, ["云服务商 云1", "预算单位 松江区卫生健康委员会"]);
    let sheet = book.worksheet_range(&names[0]).expect("the sheet");
    let beside = |label: &str| {
        let row = (0..sheet.height() as u32)
            .find(|r| sheet.get_value((*r, 0)) == Some(&Data::String(label.into())))
            .unwrap_or_else(|| panic!("no row {label}"));
        sheet.get_value((row, 1)).cloned()
    };
    // The money is a number: 87,600.00.
    assert_eq!(beside("应付金额（封顶后）"), Some(Data::Float(87600.0)));
}

#[tokio::test]
async fn the_scorecard_shows_the_amount_pending_until_the_close() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let sj = songjiang(&app, &w).await;
    worked_example(&app, &w, &sj).await;
    let _contract = a_year_of_75(&app, &w, &sj).await;
    let (result, _) = annual(&app, &sj).await;
    let mut sup = ConsoleUser::sign_in(&app, "sup-sj", "sup-sj-Pass-2026").await;
    let page = sup.get(&format!("/results/{result}")).await;
    assert!(page.body.contains("待计量结算"), "{}", page.body);
    sup.post(
        "/metering/close",
        &[("region", &sj.region), ("year", "2025")],
    )
    .await;
    // 87,600.00 × 10 % = 8,760.00.
    let page = sup.get(&format!("/results/{result}")).await;
    assert!(page.body.contains("¥87,600.00"), "{}", page.body);
    assert!(page.body.contains("¥8,760.00"), "{}", page.body);
    app.deliver_pending_mail().await;
}
