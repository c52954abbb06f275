//! Contracts in the console (issue 15 item 2): the list, one contract's page
//! with its figures to two decimals, the terms' rows, the red banner once the
//! agency may terminate; a vendor sees its own contracts only.

use e2e::console::ConsoleUser;
use e2e::{TestApp, spawn_app};
use reqwest::StatusCode;
use serde_json::json;

use crate::world::{self, SUPERVISOR, VENDOR, World};

/// The id of the vendor's contract in the world (one each).
pub async fn contract_of(app: &TestApp, w: &World, vendor: &str) -> String {
    let all = app
        .must(
            &w.admin,
            "{ contracts { items { id vendorId } } }",
            json!({}),
        )
        .await;
    all["contracts"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["vendorId"] == vendor)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Seed 002's amount as one line of V1 in R1 covering S1 under bj-lease:
/// 92,144.00 × 1 × 12 = 1,105,728.00, paid 70/30.
async fn signed(app: &TestApp, w: &World) -> String {
    let q = "mutation($i: SignContractInput!) { signContract(input: $i) { id } }";
    let input = json!({"vendorId": w.one.vendor, "regionId": w.one.region,
        "serviceYear": 2024, "signedOn": "2023-12-28", "termStart": "2023-12-28",
        "termEnd": "2024-12-27", "agencyId": w.one.agency, "termsCode": "bj-lease",
        "systems": [{"systemId": w.one.system}],
        "contacts": [{"party": "VENDOR", "role": "项目经理", "name": "陈经理", "phone": "010-00000002"}],
        "lines": [{"description": "政务云租用服务", "unit": "月", "unitPrice": "92144",
            "quantity": "1", "months": 12}],
        "instalments": [{"percent": "70", "condition": "合同签订后"},
            {"percent": "30", "condition": "初步验收后"}]});
    app.must(&w.admin, q, json!({ "i": input })).await["signContract"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn the_contract_page_shows_the_figures_with_two_decimals() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let id = signed(&app, &w).await;
    let mut sup = ConsoleUser::sign_in(&app, SUPERVISOR.0, SUPERVISOR.1).await;
    let page = sup.get(&format!("/contracts/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    // 1,105,728.00; 70 % = 774,009.60 and 30 % = 331,718.40, neither paid;
    // the one system's monthly fee 1,105,728.00 / 12 = 92,144.00.
    for shown in [
        "¥1,105,728.00",
        "¥774,009.60",
        "¥331,718.40",
        "¥92,144.00",
        "未支付",
        "待复核",
        "系统1",
        "单位1",
        "陈经理",
        "北京市政务云租用项目合同 第十三条 违约责任",
        // Seed 002 §13: 3 B-level events; none yet.
        "B 级 0 次（3 次即可解除）",
    ] {
        assert!(body.contains(shown), "{shown} missing");
    }
    assert!(!body.contains("使用单位有权解除合同"));
    // The statement is one click away.
    assert!(body.contains(&format!("href=\"/contracts/{id}/statement\"")));
}

#[tokio::test]
async fn the_list_flags_lines_to_review() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    signed(&app, &w).await;
    let mut sup = ConsoleUser::sign_in(&app, SUPERVISOR.0, SUPERVISOR.1).await;
    let page = sup.get("/contracts").await;
    assert_eq!(page.status, StatusCode::OK);
    // The signed contract's one line has no catalogue item: 1 行待复核; the
    // world's contracts (entered as one amount) have no lines.
    assert!(page.body.contains("1 行待复核"));
    assert!(page.body.contains("¥1,105,728.00"));
    assert!(page.body.contains("合同管理"));
}

#[tokio::test]
async fn the_terms_page_reads_the_rows_as_percentages_of_the_monthly_fee() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let id = signed(&app, &w).await;
    let mut vendor = ConsoleUser::sign_in(&app, VENDOR.0, VENDOR.1).await;
    let page = vendor.get(&format!("/contracts/{id}/terms")).await;
    assert_eq!(page.status, StatusCode::OK);
    // Annex 3 row 6: 60 % of the monthly fee; annex 2 row 3: 600 %; the
    // lease's major-incident rule: 5 % of the amount.
    for shown in [
        "附件2 严重违约行为表",
        "附件3 一般违约行为表",
        "月服务费 × 60 %",
        "月服务费 × 600 %",
        "合同金额的 5 %",
    ] {
        assert!(page.body.contains(shown), "{shown} missing");
    }
}

#[tokio::test]
async fn a_vendor_lists_only_its_own_contracts() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    signed(&app, &w).await;
    let theirs = contract_of(&app, &w, &w.two.vendor).await;
    let mut vendor = ConsoleUser::sign_in(&app, VENDOR.0, VENDOR.1).await;
    let page = vendor.get("/contracts").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("云2"));
    assert!(page.body.contains("我的合同"));
    let other = vendor.get(&format!("/contracts/{theirs}")).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
}
