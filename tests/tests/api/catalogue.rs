//! The price catalogue (issue 15 item 1): items and each vendor's unit price
//! over a validity period; seed 001's 2018 table built in; a price > 0;
//! one vendor's periods of an item never overlap; the price in force on a
//! day; who reads which prices.

use e2e::{TestApp, id_of, spawn_app};
use serde_json::{Value, json};

use crate::world;

const ITEM: &str =
    "mutation($i: CreateCatalogueItemInput!) { createCatalogueItem(input: $i) { id } }";
const PRICE: &str =
    "mutation($i: CreateCataloguePriceInput!) { createCataloguePrice(input: $i) { id unitPrice } }";
const IN_FORCE: &str = "query($v: ID!, $i: ID!, $on: NaiveDate!) {
    cataloguePriceInForce(vendorId: $v, itemId: $i, on: $on) { unitPrice validFrom validTo } }";
const ATTACH: &str = "mutation($v: ID!, $b: String) {
    attachBuiltInCatalogue(vendorId: $v, bidder: $b) { bidder itemsAdded pricesAdded } }";

async fn item(app: &TestApp, admin: &str, code: &str) -> String {
    let input = json!({"code": code, "category": "计算服务", "subCategory": "X86 云计算服务",
        "name": "内存", "unit": "1 GB", "priceUnit": "元/月"});
    id_of(
        &app.must(admin, ITEM, json!({"i": input})).await,
        "createCatalogueItem",
    )
}

fn price(item: &str, vendor: &str, unit_price: &str, from: &str, to: &str) -> Value {
    json!({"i": {"itemId": item, "vendorId": vendor, "unitPrice": unit_price,
        "validFrom": from, "validTo": to}})
}

async fn vendor(app: &TestApp, admin: &str, code: &str, name: &str) -> String {
    let q = "mutation($i: CreateVendorInput!) { createVendor(input: $i) { id } }";
    let input = json!({"code": code, "name": name, "contactEmails": []});
    id_of(
        &app.must(admin, q, json!({"i": input})).await,
        "createVendor",
    )
}

/// The id of the catalogue item with `code`.
async fn item_by_code(app: &TestApp, token: &str, code: &str) -> String {
    let items = app
        .must(
            token,
            "{ catalogueItems(limit: 500) { items { id code } } }",
            json!({}),
        )
        .await;
    items["catalogueItems"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == code)
        .unwrap_or_else(|| panic!("no item {code} in {items}"))["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn the_2018_catalogue_is_built_in_and_attached_to_a_vendor_by_its_name() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let taiji = vendor(&app, &admin, "TJ", "太极计算机股份有限公司").await;
    let first = app.must(&admin, ATTACH, json!({"v": taiji})).await;
    // 附件1-1 has 24 basic (1001–1024) and 3 video-cloud items (2001–2003):
    // 27 items; 太极's column has no 0, so 27 prices.
    assert_eq!(
        first["attachBuiltInCatalogue"],
        json!({"bidder": "太极", "itemsAdded": 27, "pricesAdded": 27})
    );
    let again = app.must(&admin, ATTACH, json!({"v": taiji})).await;
    assert_eq!(
        again["attachBuiltInCatalogue"],
        json!({"bidder": "太极", "itemsAdded": 0, "pricesAdded": 0})
    );
    // 首信's column has 0 for 1001, 1009, 1016, 1017, 1018, 1019, 1023, 2002
    // and 2003 (9 items, no price): 27 − 9 = 18 prices; the items exist.
    let shouxin = vendor(&app, &admin, "SX", "云1").await;
    let named = app
        .must(&admin, ATTACH, json!({"v": shouxin, "b": "首信"}))
        .await;
    assert_eq!(
        named["attachBuiltInCatalogue"],
        json!({"bidder": "首信", "itemsAdded": 0, "pricesAdded": 18})
    );
    // 太极's memory (1002): 35 元/月 per GB in force through 2019-12-31.
    let memory = item_by_code(&app, &admin, "1002").await;
    for (day, expected) in [
        ("2017-12-31", Value::Null),
        (
            "2018-01-01",
            json!({"unitPrice": "35.00", "validFrom": "2018-01-01", "validTo": "2019-12-31"}),
        ),
        (
            "2019-12-31",
            json!({"unitPrice": "35.00", "validFrom": "2018-01-01", "validTo": "2019-12-31"}),
        ),
        ("2020-01-01", Value::Null),
    ] {
        let answer = app
            .must(
                &admin,
                IN_FORCE,
                json!({"v": taiji, "i": memory, "on": day}),
            )
            .await;
        assert_eq!(answer["cataloguePriceInForce"], expected, "{day}");
    }
}

#[tokio::test]
async fn a_vendor_naming_no_bidder_must_be_given_one() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let v = vendor(&app, &admin, "V9", "云9").await;
    let (code, message) = app.gql(Some(&admin), ATTACH, json!({"v": v})).await.error();
    assert_eq!(code, "BAD_USER_INPUT");
    assert!(message.starts_with("bidder:"), "{message}");
    let (code, message) = app
        .gql(Some(&admin), ATTACH, json!({"v": v, "b": "阿里"}))
        .await
        .error();
    assert_eq!(code, "BAD_USER_INPUT");
    assert!(message.contains("阿里"), "{message}");
}

#[tokio::test]
async fn a_catalogue_price_is_greater_than_zero() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let memory = item(&app, &w.admin, "T1").await;
    for bad in ["0", "0.00", "-1"] {
        let answer = app
            .gql(
                Some(&w.admin),
                PRICE,
                price(&memory, &w.one.vendor, bad, "2024-01-01", "2024-12-31"),
            )
            .await;
        let (code, message) = answer.error();
        assert_eq!(code, "BAD_USER_INPUT", "{bad}");
        assert!(message.starts_with("input.unitPrice:"), "{bad}: {message}");
    }
    let ok = app
        .must(
            &w.admin,
            PRICE,
            price(&memory, &w.one.vendor, "0.01", "2024-01-01", "2024-12-31"),
        )
        .await;
    assert_eq!(ok["createCataloguePrice"]["unitPrice"], "0.01");
}

#[tokio::test]
async fn a_period_ends_on_or_after_its_first_day() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let memory = item(&app, &w.admin, "T1").await;
    let (code, message) = app
        .gql(
            Some(&w.admin),
            PRICE,
            price(&memory, &w.one.vendor, "30", "2024-01-02", "2024-01-01"),
        )
        .await
        .error();
    assert_eq!(code, "BAD_USER_INPUT");
    assert!(message.starts_with("input.validTo:"), "{message}");
    // One day (first = last) is a period.
    app.must(
        &w.admin,
        PRICE,
        price(&memory, &w.one.vendor, "30", "2024-01-01", "2024-01-01"),
    )
    .await;
}

#[tokio::test]
async fn one_vendors_periods_of_an_item_do_not_overlap() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let memory = item(&app, &w.admin, "T1").await;
    app.must(
        &w.admin,
        PRICE,
        price(&memory, &w.one.vendor, "35", "2022-01-01", "2023-12-31"),
    )
    .await;
    // 2023-12-31 is a day of both periods: refused, naming the other price.
    let (code, message) = app
        .gql(
            Some(&w.admin),
            PRICE,
            price(&memory, &w.one.vendor, "30", "2023-12-31", "2025-12-31"),
        )
        .await
        .error();
    assert_eq!(code, "BAD_USER_INPUT");
    assert!(message.starts_with("input.validFrom:"), "{message}");
    assert!(
        message.contains("35.00") && message.contains("2022-01-01"),
        "{message}"
    );
    // The next day starts the revised price; another vendor's same period is its own.
    app.must(
        &w.admin,
        PRICE,
        price(&memory, &w.one.vendor, "30", "2024-01-01", "2025-12-31"),
    )
    .await;
    app.must(
        &w.admin,
        PRICE,
        price(&memory, &w.two.vendor, "40", "2022-01-01", "2025-12-31"),
    )
    .await;
    let on = |day: &str| json!({"v": w.one.vendor, "i": memory, "on": day});
    let before = app.must(&w.admin, IN_FORCE, on("2023-12-31")).await;
    assert_eq!(before["cataloguePriceInForce"]["unitPrice"], "35.00");
    let after = app.must(&w.admin, IN_FORCE, on("2024-01-01")).await;
    assert_eq!(after["cataloguePriceInForce"]["unitPrice"], "30.00");
}

#[tokio::test]
async fn a_vendor_reads_only_its_own_prices_and_only_an_administrator_writes() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let memory = item(&app, &w.admin, "T1").await;
    app.must(
        &w.admin,
        PRICE,
        price(&memory, &w.one.vendor, "35", "2024-01-01", "2024-12-31"),
    )
    .await;
    app.must(
        &w.admin,
        PRICE,
        price(&memory, &w.two.vendor, "40", "2024-01-01", "2024-12-31"),
    )
    .await;
    let prices =
        "query($id: ID!) { catalogueItem(id: $id) { code prices { vendorId unitPrice } } }";
    let vars = json!({"id": memory});
    // Everyone reads the items; the supervisor sees both prices, the vendor
    // its own; an agency may not read prices.
    let sup = app.must(&w.supervisor, prices, vars.clone()).await;
    assert_eq!(sup["catalogueItem"]["prices"].as_array().unwrap().len(), 2);
    let own = app.must(&w.vendor, prices, vars.clone()).await;
    assert_eq!(
        own["catalogueItem"]["prices"],
        json!([{"vendorId": w.one.vendor, "unitPrice": "35.00"}])
    );
    let agency = app.gql(Some(&w.agency), prices, vars).await;
    assert_eq!(agency.error().0, "FORBIDDEN");
    let items = app
        .must(&w.agency, "{ catalogueItems { total } }", json!({}))
        .await;
    assert_eq!(items["catalogueItems"]["total"], 1);
    // The vendor asking for another vendor's price in force: as if missing.
    let other = json!({"v": w.two.vendor, "i": memory, "on": "2024-06-01"});
    assert_eq!(
        app.gql(Some(&w.vendor), IN_FORCE, other).await.error().0,
        "NOT_FOUND"
    );
    // Neither a supervisor nor a vendor writes the catalogue.
    for token in [&w.supervisor, &w.vendor] {
        let answer = app
            .gql(
                Some(token),
                PRICE,
                price(&memory, &w.one.vendor, "1", "2025-01-01", "2025-12-31"),
            )
            .await;
        assert_eq!(answer.error().0, "FORBIDDEN");
        let attach = app
            .gql(Some(token), ATTACH, json!({"v": w.one.vendor, "b": "太极"}))
            .await;
        assert_eq!(attach.error().0, "FORBIDDEN");
    }
}
