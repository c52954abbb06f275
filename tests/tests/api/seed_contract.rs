//! Seed 002's contract as the settlement tests use it: 太极 signs the lease
//! contract's ten lines in a region of the world (1,105,728.00, instalments
//! 70/30 = 774,009.60 and 331,718.40, term 2023-12-28 to 2024-12-27;
//! `signed_contracts.rs` works the lines out one by one), and confirmed
//! breaches written straight into `breaches` — the register's own tests
//! (`breach_register.rs`) cover how a breach gets there; a statement only
//! reads the confirmed rows of its contract.

use e2e::{TestApp, id_of};
use entities::breach::{self, BreachKind, BreachSource, BreachStatus, IncidentLevel};
use rust_decimal::Decimal;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Database, IntoActiveModel};
use serde_json::{Value, json};

use crate::world::World;

/// The contract as signed, with its instalments' ids in order.
pub struct Signed {
    pub contract: String,
    pub vendor: String,
    pub instalments: Vec<String>,
}

/// Seed 002 §3(1): (description, unit, unit price, quantity), 12 months each.
const LINES: [(&str, &str, &str, &str); 10] = [
    ("vCPU (主频不低于 2.4GHz)", "1 CPU", "1", "494"),
    ("内存", "1 GB", "35", "1168"),
    ("普通存储", "1 GB", "0.01", "25000"),
    ("高性能存储", "1 GB", "0.22", "27000"),
    ("本地备份服务", "1GB", "0.4", "25000"),
    ("互联网链路带宽", "1 Mb", "55", "600"),
    ("互联网 IP 地址租用服务", "1 IP", "20", "3"),
    ("主机负载均衡服务", "1 IP (内网)", "10", "6"),
    ("远程接入服务", "1 账号", "480", "3"),
    ("WAF 防护", "1 IP (互联网)", "10", "2"),
];

/// 太极 (a vendor of its own) signs seed 002's contract in `region`.
pub async fn sign_seed_002(app: &TestApp, w: &World, region: &str) -> Signed {
    let vendor = id_of(
        &app.must(
            &w.admin,
            "mutation($i: CreateVendorInput!) { createVendor(input: $i) { id } }",
            json!({"i": {"code": "TJ", "name": "太极计算机股份有限公司", "contactEmails": []}}),
        )
        .await,
        "createVendor",
    );
    let lines: Vec<Value> = LINES
        .iter()
        .map(|(what, unit, price, quantity)| {
            json!({"description": what, "unit": unit, "unitPrice": price,
                "quantity": quantity, "months": 12})
        })
        .collect();
    let instalments = json!([
        {"percent": "70", "condition": "合同签订后且财政经费下达后15个工作日内"},
        {"percent": "30", "condition": "云资源开通2个月且财政经费下达后，并通过初步验收后15个工作日内"},
    ]);
    let input = json!({"vendorId": vendor, "regionId": region, "serviceYear": 2024,
        "signedOn": "2023-12-28", "termStart": "2023-12-28", "termEnd": "2024-12-27",
        "lines": lines, "instalments": instalments});
    let signed = app
        .must(
            &w.admin,
            "mutation($i: SignContractInput!) { signContract(input: $i) { id settlementAmount instalments { id } } }",
            json!({"i": input}),
        )
        .await;
    let c = &signed["signContract"];
    assert_eq!(c["settlementAmount"], "1105728.00", "seed 002's amount");
    Signed {
        contract: c["id"].as_str().unwrap().to_owned(),
        vendor,
        instalments: c["instalments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap().to_owned())
            .collect(),
    }
}

pub const PAY: &str = "mutation($i: ID!, $d: NaiveDate) {
    recordInstalmentPaid(instalmentId: $i, paidOn: $d) { id paidOn } }";

/// The first instalment (70 %: 774,009.60) paid on 2024-01-10.
pub async fn pay_first(app: &TestApp, w: &World, signed: &Signed) {
    app.must(
        &w.admin,
        PAY,
        json!({"i": signed.instalments[0], "d": "2024-01-10"}),
    )
    .await;
}

/// Runs one SQL statement on the app's database (what no mutation sets yet:
/// the contract's terms, its agency).
pub async fn sql(app: &TestApp, statement: &str) {
    let db = Database::connect(&app.database_url).await.unwrap();
    db.execute_unprepared(statement).await.unwrap();
    let _ = db.close().await;
}

/// Names the terms the contract is charged under (the contracts engineer's
/// `signContract` takes them; written here so these tests need no more).
pub async fn set_terms(app: &TestApp, signed: &Signed, code: &str) {
    let statement = format!(
        "UPDATE contracts SET terms_code = '{code}' WHERE id = {}",
        signed.contract
    );
    sql(app, &statement).await;
}

/// A breach as the register leaves it.
pub struct Breach<'a> {
    pub status: BreachStatus,
    /// `("general", 6)`; `None` for an incident counted, not charged.
    pub row: Option<(&'a str, i32)>,
    pub penalty: Option<Decimal>,
    pub occurred: &'a str,
    pub description: &'a str,
    pub level: Option<IncidentLevel>,
}

/// Writes `b` against the contract of `signed` in `region`; its id.
pub async fn insert_breach(app: &TestApp, region: &str, signed: &Signed, b: Breach<'_>) -> i64 {
    let db = Database::connect(&app.database_url).await.unwrap();
    let occurred: chrono::DateTime<chrono::Utc> = b.occurred.parse().unwrap();
    let matched = b
        .row
        .map(|(table, number)| json!([{"table": table, "number": number}]))
        .unwrap_or(json!([]));
    let row = breach::Model {
        id: 0,
        region_id: region.parse().unwrap(),
        vendor_id: signed.vendor.parse().unwrap(),
        kind: BreachKind::Recorded,
        period: domain::period::local(occurred).format("%Y-%m").to_string(),
        basis: b.description.to_owned(),
        created_at: occurred,
        contract_id: Some(signed.contract.parse().unwrap()),
        system_id: None,
        occurred_at: Some(occurred),
        description: b.description.to_owned(),
        evidence: None,
        source_ref: None,
        status: b.status,
        source: BreachSource::Recorded,
        incident_level: b.level,
        matched_rows: matched.to_string(),
        charged_table: b.row.map(|(t, _)| t.to_owned()),
        charged_row: b.row.map(|(_, n)| n),
        penalty: b.penalty,
        terms_code: None,
        terms_version: None,
        recorded_by: None,
        decided_by: None,
        decided_at: None,
        decision_reason: None,
        vendor_answer: None,
        vendor_answer_reason: None,
        answered_at: None,
        notice_id: None,
        rectification_due: None,
    };
    let mut active = row.into_active_model().reset_all();
    active.id = sea_orm::ActiveValue::NotSet;
    let saved = active.insert(&db).await.unwrap();
    let _ = db.close().await;
    saved.id
}
