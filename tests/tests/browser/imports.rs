//! A supervisor imports work orders from a spreadsheet as a person does
//! (issue 14, "Tests"): downloads the template from the imports page, fills
//! it in (one row with a day that does not exist), uploads it and sees the
//! error next to its column with nothing written, fixes it and imports all
//! three rows through 确认导入, then uploads the same file again and nothing
//! is added. The counts are checked against GraphQL.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx};
use e2e::{TestApp, spawn_app};
use rust_xlsxwriter::Workbook;
use serde_json::json;

use crate::harness::{Browser, Driver};
use crate::world::{self, SUPERVISOR, World};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub async fn a_supervisor_imports_work_orders_from_a_spreadsheet(driver: &Driver) {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let browser = driver.browser(&app).await;
    browser.sign_in(SUPERVISOR.0, SUPERVISOR.1).await;
    browser.click("header nav a[href=\"/imports\"]").await;
    browser.wait_for_text("从表格导入事实记录").await;

    let template = browser.download("#template-work-orders").await;
    assert!(
        template
            .href
            .ends_with("/imports/work-orders/template.xlsx")
    );
    assert_eq!(template.status, 200);
    assert_eq!(template.content_type, XLSX);
    let header = header_of(template.bytes);
    assert_eq!(header[0], "外部编号");

    // 2025-02-30 is no day: the third row (line 4) is refused.
    let bad = filled(&header, "2025-02-30 08:00", "工单-有误.xlsx");
    upload(&browser, &bad).await;
    let page = browser.wait_for_text("有错误 1 行").await;
    assert!(!page.contains("确认导入"), "no 确认导入 with an error");
    let rows = browser.table("#import-rows").await;
    assert_eq!(
        rows[2],
        ["4", "WO-3", "有错误", "批准时间：请填写有效的日期和时间"]
    );
    assert_eq!(rows[0][2], "新增");
    let shot = browser
        .full_page_screenshot("supervisor-import-preview-error")
        .await;
    assert!(shot.exists());
    // The world's one work order of R1, and no more.
    assert_eq!(work_orders(&app, &w).await, 1);

    let fixed = filled(&header, "2025-02-28 08:00", "工单.xlsx");
    upload(&browser, &fixed).await;
    browser.wait_for_text("新增 3 行").await;
    browser.click("#import-commit").await;
    let asked = browser.accept_confirm().await;
    assert_eq!(asked, "确认导入 3 行工单记录？");
    browser.wait_for_text("已导入 3 行").await;
    browser.full_page_screenshot("supervisor-import-done").await;
    // 1 + the 3 imported.
    assert_eq!(work_orders(&app, &w).await, 4);

    upload(&browser, &fixed).await;
    browser.wait_for_text("文件中的记录均已导入过").await;
    let rows = browser.table("#import-rows").await;
    assert!(rows.iter().all(|r| r[2] == "已导入过，跳过"), "{rows:?}");
    assert_eq!(work_orders(&app, &w).await, 4, "nothing added");
    browser.close().await;
}

async fn upload(browser: &Browser, file: &Path) {
    browser.open("/imports").await;
    browser.select("kind", "工单").await;
    browser.attach("file", file).await;
    browser.click("main form button[type=submit]").await;
}

fn header_of(bytes: Vec<u8>) -> Vec<String> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("an xlsx file");
    let sheet = book
        .worksheet_range("导入模板")
        .expect("the template's sheet");
    (0..sheet.width() as u32)
        .map(|c| match sheet.get_value((0, c)) {
            Some(Data::String(s)) => s.clone(),
            other => panic!("header cell {c}: {other:?}"),
        })
        .collect()
}

/// The template filled in with three work orders of R1 for V1, the third
/// approved at `approved`, saved as `name`.
fn filled(header: &[String], approved: &str, name: &str) -> PathBuf {
    let rows: [[&str; 7]; 3] = [
        [
            "WO-1",
            "扩容一期",
            "2025-02-10 09:30",
            "单位1",
            "系统1",
            "是",
            "是",
        ],
        ["WO-2", "新建数据库", "2025-02-11 10:00", "", "", "是", "否"],
        ["WO-3", "带宽调整", approved, "单位1", "", "否", "是"],
    ];
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, label) in (0u16..).zip(header) {
        sheet.write_string(0, c, label).unwrap();
        for (r, row) in (1u32..).zip(&rows) {
            let value = match label.as_str() {
                "外部编号" => row[0],
                "监管区域" => "区1",
                "云服务商" => "云1",
                "标题" => row[1],
                "批准时间" => row[2],
                "使用单位" => row[3],
                "信息系统" => row[4],
                "已确认" => row[5],
                "服务商责任" => row[6],
                _ => "",
            };
            sheet.write_string(r, c, value).unwrap();
        }
    }
    let dir = std::env::temp_dir().join(format!("govcloud-browser-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    book.save(&path).unwrap();
    path
}

async fn work_orders(app: &TestApp, w: &World) -> u64 {
    let q = "query($r: ID!) { workOrders(filter: {regionId: $r}) { total } }";
    app.must(&w.supervisor, q, json!({"r": w.one.region})).await["workOrders"]["total"]
        .as_u64()
        .unwrap()
}
