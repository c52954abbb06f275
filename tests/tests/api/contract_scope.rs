//! What a contract covers and which terms govern it (issue 15 item 2): the
//! agency of its region, the vendor's systems with their shares and monthly
//! fees, contacts, the terms it names or its region's, the major-incident
//! count; refusals naming the field; who reads the terms.

use e2e::{TestApp, id_of, spawn_app};
use serde_json::{Value, json};

use crate::world::{self, World};

const SIGN: &str = "mutation($i: SignContractInput!) { signContract(input: $i) {
    id settlementAmount agency { name }
    systems { system { name } share monthlyFee }
    contacts { position party role name phone email }
    terms { code version name }
    majorIncidents { aLevel bLevel aLevelNeeded bLevelNeeded terminationRight penalty } } }";

const READ: &str = "query($id: ID!) { contract(id: $id) {
    id terms { code name document } systems { monthlyFee } } }";

/// Seed 002's amount as one line: 92,144.00 × 1 × 12 = 1,105,728.00.
fn signing(w: &World, extra: Value) -> Value {
    let mut input = json!({"vendorId": w.one.vendor, "regionId": w.one.region,
        "serviceYear": 2024, "signedOn": "2023-12-28", "termStart": "2023-12-28",
        "termEnd": "2024-12-27",
        "lines": [{"description": "政务云租用服务", "unit": "月", "unitPrice": "92144",
            "quantity": "1", "months": 12}],
        "instalments": [{"percent": "70", "condition": "合同签订后"},
            {"percent": "30", "condition": "初步验收后"}]});
    for (k, v) in extra.as_object().cloned().unwrap_or_default() {
        input[k] = v;
    }
    json!({ "i": input })
}

/// A further system of V1 in R1 (agency A1), or of `vendor`.
async fn system(app: &TestApp, w: &World, vendor: &str, name: &str) -> String {
    let q =
        "mutation($i: CreateInformationSystemInput!) { createInformationSystem(input: $i) { id } }";
    let input = json!({"regionId": w.one.region, "agencyId": w.one.agency, "vendorId": vendor,
        "name": name, "class": "B", "protectionLevel": 3, "onlineOn": "2024-01-01"});
    id_of(
        &app.must(&w.admin, q, json!({ "i": input })).await,
        "createInformationSystem",
    )
}

fn refused_on(answer: e2e::Answer, field: &str) -> String {
    let (code, message) = answer.error();
    assert_eq!(code, "BAD_USER_INPUT", "{message}");
    assert!(message.starts_with(&format!("{field}:")), "{message}");
    message
}

#[tokio::test]
async fn one_system_has_the_whole_amount_over_the_service_months_as_its_monthly_fee() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let extra = json!({"agencyId": w.one.agency, "termsCode": "bj-lease",
        "systems": [{"systemId": w.one.system}],
        "contacts": [{"party": "VENDOR", "role": "项目负责人", "name": "张三", "phone": "010-12345678"},
            {"party": "AGENCY", "role": "联系人", "name": "李四", "email": "lisi@a.example.gov.cn"}]});
    let c = app.must(&w.admin, SIGN, signing(&w, extra)).await["signContract"].clone();
    assert_eq!(c["settlementAmount"], "1105728.00");
    assert_eq!(c["agency"]["name"], "单位1");
    // 1,105,728.00 / 12 service months = 92,144.00 for the one system.
    assert_eq!(
        c["systems"],
        json!([{"system": {"name": "系统1"}, "share": null, "monthlyFee": "92144.00"}])
    );
    assert_eq!(c["contacts"][0]["party"], "VENDOR");
    assert_eq!(c["contacts"][1]["email"], "lisi@a.example.gov.cn");
    assert_eq!(c["contacts"][1]["position"], 2);
    assert_eq!(c["terms"]["code"], "bj-lease");
    assert_eq!(c["terms"]["version"], 1);
    // Seed 002 §13: three B-level events (or one A-level) give the right;
    // none confirmed yet: no right, penalty 0.00.
    let m = &c["majorIncidents"];
    assert_eq!(m["aLevelNeeded"], 1);
    assert_eq!(m["bLevelNeeded"], 3);
    assert_eq!(m["bLevel"], 0);
    assert_eq!(m["terminationRight"], Value::Null);
    assert_eq!(m["penalty"], "0.00");
}

#[tokio::test]
async fn two_systems_share_the_amount_as_given() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let second = system(&app, &w, &w.one.vendor, "系统1乙").await;
    // System 1 has 600,000.00: 600,000.00 / 12 = 50,000.00; the second takes
    // the rest, 1,105,728.00 − 600,000.00 = 505,728.00: / 12 = 42,144.00.
    let extra = json!({"systems": [{"systemId": w.one.system, "share": "600000"},
        {"systemId": second}]});
    let c = app.must(&w.admin, SIGN, signing(&w, extra)).await["signContract"].clone();
    let fees: Vec<&Value> = c["systems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| &s["monthlyFee"])
        .collect();
    assert_eq!(fees, ["50000.00", "42144.00"]);
    assert_eq!(c["systems"][0]["share"], "600000.00");
}

#[tokio::test]
async fn an_agency_of_another_region_is_refused() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let extra = json!({"agencyId": w.two.agency});
    let answer = app.gql(Some(&w.admin), SIGN, signing(&w, extra)).await;
    refused_on(answer, "input.agencyId");
    // Nothing half-written: R1 has only the world's contract of V1.
    let left = app
        .must(&w.admin, "{ contracts { total } }", json!({}))
        .await;
    assert_eq!(left["contracts"]["total"], 2);
}

#[tokio::test]
async fn a_system_of_another_vendor_is_refused() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let others = system(&app, &w, &w.two.vendor, "他家系统").await;
    let extra = json!({"systems": [{"systemId": w.one.system}, {"systemId": others}]});
    let answer = app.gql(Some(&w.admin), SIGN, signing(&w, extra)).await;
    let message = refused_on(answer, "input.systems[1].systemId");
    assert!(message.contains("vendor"), "{message}");
    // A system of another region answers like a missing one.
    let extra = json!({"systems": [{"systemId": w.two.system}]});
    let answer = app.gql(Some(&w.admin), SIGN, signing(&w, extra)).await;
    refused_on(answer, "input.systems[0].systemId");
}

#[tokio::test]
async fn unknown_terms_are_refused() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let extra = json!({"termsCode": "bj-nothing"});
    let answer = app.gql(Some(&w.admin), SIGN, signing(&w, extra)).await;
    let message = refused_on(answer, "input.termsCode");
    assert!(message.contains("bj-nothing"), "{message}");
    // bj-lease has version 1 only.
    let extra = json!({"termsCode": "bj-lease", "termsVersion": 9});
    let answer = app.gql(Some(&w.admin), SIGN, signing(&w, extra)).await;
    refused_on(answer, "input.termsCode");
}

#[tokio::test]
async fn shares_beyond_the_amount_are_refused_with_the_figures() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let second = system(&app, &w, &w.one.vendor, "系统1乙").await;
    // 600,000.00 + 505,728.01 = 1,105,728.01 > 1,105,728.00.
    let extra = json!({"systems": [{"systemId": w.one.system, "share": "600000"},
        {"systemId": second, "share": "505728.01"}]});
    let answer = app.gql(Some(&w.admin), SIGN, signing(&w, extra)).await;
    let message = refused_on(answer, "input.systems[1].share");
    assert!(
        message.contains("1105728.01") && message.contains("1105728.00"),
        "{message}"
    );
}

#[tokio::test]
async fn the_region_s_terms_govern_a_contract_without_its_own() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let c = app.must(&w.admin, SIGN, signing(&w, json!({}))).await["signContract"].clone();
    assert_eq!(c["terms"], Value::Null);
    assert_eq!(c["majorIncidents"], Value::Null);
    let set = "mutation($id: ID!, $i: UpdateRegionInput!) { updateRegion(id: $id, input: $i) { termsCode } }";
    let unknown = json!({"id": w.one.region, "i": {"termsCode": "xx-none"}});
    refused_on(
        app.gql(Some(&w.admin), set, unknown).await,
        "input.termsCode",
    );
    let sla = json!({"id": w.one.region, "i": {"termsCode": "bj-sla"}});
    let region = app.must(&w.admin, set, sla).await;
    assert_eq!(region["updateRegion"]["termsCode"], "bj-sla");
    let read = app.must(&w.admin, READ, json!({"id": c["id"]})).await;
    assert_eq!(read["contract"]["terms"]["code"], "bj-sla");
    // The contract's own terms win over its region's.
    let own = "mutation($id: ID!, $i: ContractScopeInput!) { setContractTerms(id: $id, input: $i) { terms { code } } }";
    let lease = json!({"id": c["id"], "i": {"termsCode": "bj-lease"}});
    let set = app.must(&w.admin, own, lease).await;
    assert_eq!(set["setContractTerms"]["terms"]["code"], "bj-lease");
}

#[tokio::test]
async fn only_an_administrator_sets_a_contract_s_terms() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let c = app.must(&w.admin, SIGN, signing(&w, json!({}))).await["signContract"].clone();
    let own = "mutation($id: ID!, $i: ContractScopeInput!) { setContractTerms(id: $id, input: $i) { id } }";
    let lease = json!({"id": c["id"], "i": {"termsCode": "bj-lease"}});
    let (code, _) = app.gql(Some(&w.supervisor), own, lease).await.error();
    assert_eq!(code, "FORBIDDEN");
}

#[tokio::test]
async fn a_vendor_reads_its_contract_s_terms_but_not_another_vendor_s_contract() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let extra = json!({"termsCode": "bj-lease", "systems": [{"systemId": w.one.system}]});
    let mine = app.must(&w.admin, SIGN, signing(&w, extra)).await["signContract"]["id"].clone();
    let read = app.must(&w.vendor, READ, json!({"id": mine})).await;
    let terms = &read["contract"]["terms"];
    assert_eq!(terms["name"], "北京市政务云租用项目合同 第十三条 违约责任");
    // Annex 2 (serious, 12 rows) and annex 3 (general, 13 rows) are readable.
    let tables = terms["document"]["breach_tables"].as_array().unwrap();
    assert_eq!(tables.len(), 2);
    assert_eq!(read["contract"]["systems"][0]["monthlyFee"], "92144.00");
    // V2's contract (R2): the vendor of V1 gets NOT_FOUND, as for a missing one.
    let theirs = json!({"i": {"vendorId": w.two.vendor, "regionId": w.two.region,
        "serviceYear": 2024, "signedOn": "2023-12-28", "termStart": "2023-12-28",
        "termEnd": "2024-12-27", "termsCode": "bj-lease",
        "lines": [{"description": "租用", "unit": "月", "unitPrice": "1", "quantity": "1", "months": 12}],
        "instalments": [{"percent": "100", "condition": "验收后"}]}});
    let theirs = app.must(&w.admin, SIGN, theirs).await["signContract"]["id"].clone();
    let (code, _) = app
        .gql(Some(&w.vendor), READ, json!({"id": theirs}))
        .await
        .error();
    assert_eq!(code, "NOT_FOUND");
}
