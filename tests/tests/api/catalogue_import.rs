//! Catalogue prices imported from a spreadsheet or the API (issue 15 item 1):
//! a preview writes nothing; a confirmation writes every row or none; the
//! same rows twice add nothing; a bad row is refused naming its column.

use e2e::console::{ConsoleUser, hidden};
use e2e::{ADMIN_PASSWORD, ADMIN_USERNAME, TestApp, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::world::{self, World};

const IMPORT: &str = "mutation($rows: [CataloguePriceRowInput!]!, $dry: Boolean!) {
    importCataloguePrices(rows: $rows, dryRun: $dry) {
        written added alreadyThere refused rows { row status newItem field column reason } } }";

/// Two new items priced for V1 (云1) in 2026.
fn rows() -> Value {
    json!([
        {"code": "9001", "category": "计算服务", "subCategory": "X86 云计算服务", "item": "内存",
         "unit": "1 GB", "vendor": "云1", "unitPrice": "35", "validFrom": "2026-01-01", "validTo": "2026-12-31"},
        {"code": "9002", "category": "存储服务", "subCategory": "高性能存储", "item": "高性能存储",
         "unit": "1 GB", "priceUnit": "元/月", "vendor": "云1", "unitPrice": "0.22",
         "validFrom": "2026-01-01", "validTo": "2026-12-31"},
    ])
}

async fn prices(app: &TestApp, w: &World) -> i64 {
    app.must(&w.admin, "{ cataloguePrices { total } }", json!({}))
        .await["cataloguePrices"]["total"]
        .as_i64()
        .unwrap()
}

async fn import(app: &TestApp, w: &World, rows: Value, dry: bool) -> Value {
    app.must(&w.admin, IMPORT, json!({"rows": rows, "dry": dry}))
        .await["importCataloguePrices"]
        .clone()
}

#[tokio::test]
async fn a_preview_writes_nothing_a_confirmation_all_and_the_same_rows_again_nothing() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let before = prices(&app, &w).await;
    let preview = import(&app, &w, rows(), true).await;
    // Both rows new, each with its new item; nothing written.
    assert_eq!(preview["added"], 2);
    assert_eq!(preview["written"], false);
    assert_eq!(preview["rows"][0]["newItem"], true);
    assert_eq!(prices(&app, &w).await, before);
    let done = import(&app, &w, rows(), false).await;
    assert_eq!(done["written"], true);
    assert_eq!(prices(&app, &w).await, before + 2);
    // The same rows again: both there already, nothing added.
    let again = import(&app, &w, rows(), false).await;
    assert_eq!(again["added"], 0);
    assert_eq!(again["alreadyThere"], 2);
    assert_eq!(again["written"], false);
    assert_eq!(prices(&app, &w).await, before + 2);
    // 35.00 is V1's price of 9001 in force on 2026-06-01.
    let items = app
        .must(
            &w.admin,
            "{ catalogueItems(limit: 500) { items { id code } } }",
            json!({}),
        )
        .await;
    let item = items["catalogueItems"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "9001")
        .unwrap()["id"]
        .clone();
    let q = "query($v: ID!, $i: ID!) { cataloguePriceInForce(vendorId: $v, itemId: $i, on: \"2026-06-01\") { unitPrice } }";
    let price = app
        .must(&w.admin, q, json!({"v": w.one.vendor, "i": item}))
        .await;
    assert_eq!(price["cataloguePriceInForce"]["unitPrice"], "35.00");
}

#[tokio::test]
async fn a_bad_row_is_refused_naming_its_column_and_nothing_is_written() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let before = prices(&app, &w).await;
    let mut bad = rows();
    bad[1]["unitPrice"] = json!("三十五");
    bad.as_array_mut()
        .unwrap()
        .push(json!({"code": "9003", "category": "网络服务",
        "subCategory": "WAF 防护", "item": "WAF 防护", "unit": "1 IP", "vendor": "没有这家",
        "unitPrice": "10", "validFrom": "2026-01-01", "validTo": "2026-12-31"}));
    let done = import(&app, &w, bad, false).await;
    assert_eq!(done["written"], false);
    assert_eq!(done["refused"], 2);
    let second = &done["rows"][1];
    assert_eq!(second["status"], "REFUSED");
    assert_eq!(second["field"], "unitPrice");
    assert_eq!(second["column"], "单价");
    assert!(second["reason"].as_str().unwrap().contains("三十五"));
    assert_eq!(done["rows"][2]["column"], "云服务商");
    // All or nothing: the good first row was not written either.
    assert_eq!(prices(&app, &w).await, before);
}

#[tokio::test]
async fn only_an_administrator_imports_prices() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let (code, _) = app
        .gql(
            Some(&w.supervisor),
            IMPORT,
            json!({"rows": rows(), "dry": true}),
        )
        .await
        .error();
    assert_eq!(code, "FORBIDDEN");
}

const CSV: &str = "编号,类别,子类,服务项,计价单位,云服务商,单价,起始日期,截止日期\n\
9001,计算服务,X86 云计算服务,内存,1 GB,云1,35,2026-01-01,2026-12-31\n\
9002,存储服务,高性能存储,高性能存储,1 GB,云1,0.22,2026-01-01,2026-12-31\n";

async fn upload(admin: &mut ConsoleUser, csv: &str) -> e2e::console::Page {
    admin.get("/admin/catalogue").await;
    let file = reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("价格.csv");
    let form = reqwest::multipart::Form::new().part("file", file);
    admin.post_multipart("/admin/catalogue/import", form).await
}

/// An attribute's value as the browser reads it.
fn unescaped(value: &str) -> String {
    value
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#60;", "<")
        .replace("&#62;", ">")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#38;", "&")
        .replace("&amp;", "&")
}

#[tokio::test]
async fn the_console_previews_then_imports_a_file_once() {
    let app = spawn_app().await;
    world::build(&app).await;
    let mut admin = ConsoleUser::sign_in(&app, ADMIN_USERNAME, ADMIN_PASSWORD).await;
    let preview = upload(&mut admin, CSV).await;
    assert_eq!(preview.status, StatusCode::OK);
    assert!(preview.body.contains("新增 2 行"), "{}", preview.body);
    let rows = unescaped(&hidden(&preview.body, "rows").expect("the confirmation"));
    let done = admin
        .post("/admin/catalogue/confirm", &[("rows", rows.as_str())])
        .await;
    assert_eq!(done.status, StatusCode::OK);
    assert!(done.body.contains("已导入 2 个价格"), "{}", done.body);
    // The prices in force today are listed only when 2026 is today; the
    // file again adds nothing.
    let again = upload(&mut admin, CSV).await;
    assert!(again.body.contains("文件中的价格均已存在"));
}

#[tokio::test]
async fn the_console_names_the_column_of_a_bad_row() {
    let app = spawn_app().await;
    world::build(&app).await;
    let mut admin = ConsoleUser::sign_in(&app, ADMIN_USERNAME, ADMIN_PASSWORD).await;
    let bad = CSV.replace("0.22", "0.225");
    let page = upload(&mut admin, &bad).await;
    assert!(page.body.contains("有 1 行有错误"));
    assert!(page.body.contains("单价：应为大于 0、至多两位小数的金额"));
    assert!(!page.body.contains("确认导入</button>"));
    let missing = upload(&mut admin, "编号,类别\n9001,计算服务\n").await;
    assert!(missing.body.contains("缺少“子类”列"));
}
