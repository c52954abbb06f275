//! Contracts as they are signed (issue 15 item 2): line items summing to the
//! amount, each capped by the vendor's catalogue price in force on the day
//! of signing; a line with no price in force flagged; service months from
//! the term; supplementary agreements together at most 10 %; instalments
//! summing to 100 %; a contract entered as one amount keeps it.

use e2e::{TestApp, id_of, spawn_app};
use serde_json::{Value, json};

use crate::world::{self, World};

const SIGN: &str = "mutation($i: SignContractInput!) { signContract(input: $i) {
    id settlementAmount monthlyFee signedOn termStart termEnd serviceMonths
    lines { position description unitPrice quantity months lineTotal cataloguePrice needsReview }
    instalments { position percent condition amount } } }";
const SUPPLEMENT: &str = "mutation($c: ID!, $i: SupplementInput!) {
    addSupplementaryAgreement(contractId: $c, input: $i) { amount } }";

fn line(
    item: Option<&str>,
    what: &str,
    unit: &str,
    price: &str,
    quantity: &str,
    months: i32,
) -> Value {
    json!({"itemId": item, "description": what, "unit": unit, "unitPrice": price,
        "quantity": quantity, "months": months})
}

fn seventy_thirty() -> Value {
    json!([
        {"percent": "70", "condition": "合同签订后且财政经费下达后15个工作日内"},
        {"percent": "30", "condition": "云资源开通2个月且财政经费下达后，并通过初步验收后15个工作日内"},
    ])
}

async fn taiji(app: &TestApp, w: &World) -> String {
    let q = "mutation($i: CreateVendorInput!) { createVendor(input: $i) { id } }";
    let input = json!({"code": "TJ", "name": "太极计算机股份有限公司", "contactEmails": []});
    id_of(
        &app.must(&w.admin, q, json!({"i": input})).await,
        "createVendor",
    )
}

async fn code_id(app: &TestApp, w: &World, code: &str) -> String {
    let items = app
        .must(
            &w.admin,
            "{ catalogueItems(limit: 500) { items { id code } } }",
            json!({}),
        )
        .await;
    items["catalogueItems"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == code)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn seed_002s_contract_comes_to_1105728_paid_70_30() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let vendor = taiji(&app, &w).await;
    // 太极 has the 2018 catalogue; the contract is signed in 2023, when none
    // of it is in force: nothing caps it (vCPU at 1 元 > 2018's 0.01) and
    // every line is flagged for review.
    app.must(
        &w.admin,
        "mutation($v: ID!) { attachBuiltInCatalogue(vendorId: $v) { pricesAdded } }",
        json!({"v": vendor}),
    )
    .await;
    let mut items = Vec::new();
    for code in [
        "1001", "1002", "1014", "1015", "1017", "1018", "1019", "1020", "1023",
    ] {
        items.push(code_id(&app, &w, code).await);
    }
    let i = |n: usize| Some(items[n].as_str());
    // Seed 002 §3(1), line by line (unit price × quantity × months):
    //  1 vCPU            1    ×    494 × 12 =     5,928
    //  2 内存            35    ×  1,168 × 12 =   490,560
    //  3 普通存储        0.01  × 25,000 × 12 =     3,000
    //  4 高性能存储      0.22  × 27,000 × 12 =    71,280  (the table wraps 27000 as "2700 / 0")
    //  5 本地备份服务    0.4   × 25,000 × 12 =   120,000  (附件1-2's 4022: not in the built-in table)
    //  6 互联网链路带宽  55    ×    600 × 12 =   396,000
    //  7 IP 地址         20    ×      3 × 12 =       720
    //  8 负载均衡        10    ×      6 × 12 =       720
    //  9 远程接入        480   ×      3 × 12 =    17,280
    // 10 WAF 防护        10    ×      2 × 12 =       240
    // sum: 5,928 + 490,560 + 3,000 + 71,280 + 120,000 + 396,000 + 720 + 720
    //      + 17,280 + 240 = 1,105,728.00 (合计 in the seed).
    let lines = json!([
        line(i(0), "vCPU (主频不低于 2.4GHz)", "1 CPU", "1", "494", 12),
        line(i(1), "内存", "1 GB", "35", "1168", 12),
        line(i(2), "普通存储", "1 GB", "0.01", "25000", 12),
        line(i(3), "高性能存储", "1 GB", "0.22", "27000", 12),
        line(None, "本地备份服务", "1GB", "0.4", "25000", 12),
        line(i(4), "互联网链路带宽", "1 Mb", "55", "600", 12),
        line(i(5), "互联网 IP 地址租用服务", "1 IP", "20", "3", 12),
        line(i(6), "主机负载均衡服务", "1 IP (内网)", "10", "6", 12),
        line(i(7), "远程接入服务", "1 账号", "480", "3", 12),
        line(i(8), "WAF 防护", "1 IP (互联网)", "10", "2", 12),
    ]);
    let input = json!({"vendorId": vendor, "regionId": w.one.region, "serviceYear": 2024,
        "signedOn": "2023-12-28", "termStart": "2023-12-28", "termEnd": "2024-12-27",
        "lines": lines, "instalments": seventy_thirty()});
    let signed = app.must(&w.admin, SIGN, json!({"i": input})).await;
    let c = &signed["signContract"];
    assert_eq!(c["settlementAmount"], "1105728.00");
    // 2023-12-28 to 2024-12-27: 12 service months; 1,105,728.00 / 12 = 92,144.00.
    assert_eq!(c["serviceMonths"], 12);
    assert_eq!(c["monthlyFee"], "92144.00");
    let totals: Vec<&Value> = c["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| &l["lineTotal"])
        .collect();
    assert_eq!(
        totals,
        [
            "5928.00",
            "490560.00",
            "3000.00",
            "71280.00",
            "120000.00",
            "396000.00",
            "720.00",
            "720.00",
            "17280.00",
            "240.00"
        ]
    );
    assert!(
        c["lines"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["needsReview"] == true && l["cataloguePrice"].is_null())
    );
    // 70 % of 1,105,728.00 = 774,009.60; the final 30 %: 1,105,728.00 − 774,009.60 = 331,718.40.
    assert_eq!(c["instalments"][0]["amount"], "774009.60");
    assert_eq!(c["instalments"][1]["amount"], "331718.40");
    assert_eq!(c["instalments"][1]["percent"], "30.00");
}

/// A contract of `lines` for V1 in R1 for 2024, signed on `signed_on`.
fn contract(w: &World, signed_on: &str, lines: Value) -> Value {
    json!({"i": {"vendorId": w.one.vendor, "regionId": w.one.region, "serviceYear": 2024,
        "signedOn": signed_on, "termStart": "2024-01-01", "termEnd": "2024-12-31",
        "lines": lines, "instalments": seventy_thirty()}})
}

async fn catalogue_item(app: &TestApp, w: &World) -> String {
    let q = "mutation($i: CreateCatalogueItemInput!) { createCatalogueItem(input: $i) { id } }";
    let input = json!({"code": "T1", "category": "计算服务", "subCategory": "X86 云计算服务",
        "name": "内存", "unit": "1 GB", "priceUnit": "元/月"});
    let item = id_of(
        &app.must(&w.admin, q, json!({"i": input})).await,
        "createCatalogueItem",
    );
    let q = "mutation($i: CreateCataloguePriceInput!) { createCataloguePrice(input: $i) { id } }";
    let price = json!({"itemId": item, "vendorId": w.one.vendor, "unitPrice": "35.00",
        "validFrom": "2024-01-01", "validTo": "2024-12-31"});
    app.must(&w.admin, q, json!({"i": price})).await;
    item
}

#[tokio::test]
async fn a_unit_price_above_the_catalogue_price_in_force_at_signing_is_refused() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let item = catalogue_item(&app, &w).await;
    let contracts = "{ contracts { total } }";
    let before = app.must(&w.admin, contracts, json!({})).await;
    // 35.01 > 35.00, the price in force on 2024-06-01.
    let above = contract(
        &w,
        "2024-06-01",
        json!([line(Some(&item), "内存", "1 GB", "35.01", "10", 12)]),
    );
    let (code, message) = app.gql(Some(&w.admin), SIGN, above).await.error();
    assert_eq!(code, "BAD_USER_INPUT");
    assert!(
        message.starts_with("input.lines[0].unitPrice:"),
        "{message}"
    );
    assert!(
        message.contains("35.01") && message.contains("35.00") && message.contains("2024-06-01"),
        "{message}"
    );
    // Nothing half-written.
    assert_eq!(app.must(&w.admin, contracts, json!({})).await, before);
    // At the ceiling: accepted; 35 × 10 × 12 = 4,200.00.
    let at = contract(
        &w,
        "2024-06-01",
        json!([line(Some(&item), "内存", "1 GB", "35.00", "10", 12)]),
    );
    let signed = app.must(&w.admin, SIGN, at).await;
    assert_eq!(signed["signContract"]["settlementAmount"], "4200.00");
    assert_eq!(
        signed["signContract"]["lines"][0]["cataloguePrice"],
        "35.00"
    );
    assert_eq!(signed["signContract"]["lines"][0]["needsReview"], false);
}

#[tokio::test]
async fn a_line_with_no_price_in_force_is_accepted_and_flagged() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let item = catalogue_item(&app, &w).await;
    // Signed 2023-12-15: the 35.00 starts 2024-01-01, none is in force yet.
    let input = contract(
        &w,
        "2023-12-15",
        json!([line(Some(&item), "内存", "1 GB", "99", "1", 12)]),
    );
    let signed = app.must(&w.admin, SIGN, input).await;
    let l = &signed["signContract"]["lines"][0];
    assert_eq!(l["needsReview"], true);
    assert!(l["cataloguePrice"].is_null());
    // 99 × 1 × 12 = 1,188.00.
    assert_eq!(l["lineTotal"], "1188.00");
}

#[tokio::test]
async fn instalments_sum_to_100_percent() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let mut input = contract(
        &w,
        "2024-01-01",
        json!([line(None, "内存", "1 GB", "1", "1", 12)]),
    );
    input["i"]["instalments"] =
        json!([{"percent": "70", "condition": "签订后"}, {"percent": "20", "condition": "验收后"}]);
    let (code, message) = app.gql(Some(&w.admin), SIGN, input).await.error();
    assert_eq!(code, "BAD_USER_INPUT");
    // 70 + 20 = 90.
    assert!(
        message.starts_with("input.instalments:") && message.contains("90"),
        "{message}"
    );
}

#[tokio::test]
async fn supplementary_agreements_together_are_at_most_10_percent_of_the_amount() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    // 100 × 10 × 12 = 12,000.00; 10 % of it: 1,200.00.
    let input = contract(
        &w,
        "2024-01-01",
        json!([line(None, "内存", "1 GB", "100", "10", 12)]),
    );
    let signed = app.must(&w.admin, SIGN, input).await;
    let c = signed["signContract"]["id"].as_str().unwrap().to_owned();
    let add = |amount: &str| json!({"c": c, "i": {"signedOn": "2024-03-01", "amount": amount, "description": "扩容"}});
    app.must(&w.admin, SUPPLEMENT, add("1000.00")).await;
    // 1,000.00 + 200.01 = 1,200.01 > 1,200.00: refused, naming both and the 200.00 left.
    let (code, message) = app
        .gql(Some(&w.admin), SUPPLEMENT, add("200.01"))
        .await
        .error();
    assert_eq!(code, "BAD_USER_INPUT");
    assert!(message.starts_with("input.amount:"), "{message}");
    for figure in ["1200.01", "12000.00", "1200.00", "200.00"] {
        assert!(message.contains(figure), "{figure}: {message}");
    }
    // 1,000.00 + 200.00 = 1,200.00: exactly 10 %, accepted.
    app.must(&w.admin, SUPPLEMENT, add("200.00")).await;
    let (code, _) = app
        .gql(Some(&w.admin), SUPPLEMENT, add("0.01"))
        .await
        .error();
    assert_eq!(code, "BAD_USER_INPUT");
}

#[tokio::test]
async fn a_contract_with_lines_has_their_sum_as_amount_and_one_without_keeps_its_own() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let input = contract(
        &w,
        "2024-01-01",
        json!([line(None, "内存", "1 GB", "100", "10", 12)]),
    );
    let signed = app.must(&w.admin, SIGN, input).await;
    let id = signed["signContract"]["id"].clone();
    let update = "mutation($id: ID!, $i: UpdateContractInput!) { updateContract(id: $id, input: $i) { settlementAmount } }";
    let (code, message) = app
        .gql(
            Some(&w.admin),
            update,
            json!({"id": id, "i": {"settlementAmount": "1.00"}}),
        )
        .await
        .error();
    assert_eq!(code, "BAD_USER_INPUT");
    assert!(message.contains("12000.00"), "{message}");
    // The world's V1 contract for 2025 was entered as 1,105,728.00: it keeps it, with no lines.
    let old = app
        .must(
            &w.admin,
            "{ contracts { items { serviceYear settlementAmount lines { id } signedOn } } }",
            json!({}),
        )
        .await;
    let entered = old["contracts"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["serviceYear"] == 2025)
        .unwrap();
    assert_eq!(entered["settlementAmount"], "1105728.00");
    assert_eq!(entered["lines"], json!([]));
    assert!(entered["signedOn"].is_null());
}

#[tokio::test]
async fn a_vendor_reads_its_own_contracts_lines_only() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let input = contract(
        &w,
        "2024-01-01",
        json!([line(None, "内存", "1 GB", "100", "10", 12)]),
    );
    let signed = app.must(&w.admin, SIGN, input).await;
    let id = signed["signContract"]["id"].clone();
    let q = "query($id: ID!) { contract(id: $id) { lines { lineTotal } instalments { amount } } }";
    let own = app.must(&w.vendor, q, json!({"id": id})).await;
    // 12,000.00 × 70 % = 8,400.00; 12,000.00 − 8,400.00 = 3,600.00.
    assert_eq!(
        own["contract"]["instalments"],
        json!([{"amount": "8400.00"}, {"amount": "3600.00"}])
    );
    // V2's contract of the same kind is not V1's to read.
    let mut other = contract(
        &w,
        "2024-01-01",
        json!([line(None, "内存", "1 GB", "100", "10", 12)]),
    );
    other["i"]["vendorId"] = json!(w.two.vendor);
    other["i"]["regionId"] = json!(w.two.region);
    let theirs = app.must(&w.admin, SIGN, other).await;
    let answer = app
        .gql(
            Some(&w.vendor),
            q,
            json!({"id": theirs["signContract"]["id"]}),
        )
        .await;
    assert_eq!(answer.error().0, "NOT_FOUND");
}
