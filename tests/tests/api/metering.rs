//! The metered settlement (issue 16 item 4; spec §6; seed 004 §6–8): a
//! Songjiang year's usage × each vendor's catalogue unit price per item and
//! month, exact to the fen, per vendor, agency, system and item; test resources
//! in their free months not metered; a Shanghai purchaser's cap binding, a
//! district without; the annual penalty pending until the year's metering is
//! closed, fixed by the close; closing twice a conflict; who reads what.
//!
//! Usage and quotas are written straight into the database here: recording
//! them (GraphQL and the spreadsheet import) is another module's (issue 16
//! item 3), and this one reads them as stored.

use chrono::{NaiveDate, TimeZone, Utc};
use e2e::{TestApp, id_of, spawn_app};
use rust_decimal::Decimal;
use sea_orm::{ActiveModelTrait, Database, DatabaseConnection, Set};
use serde_json::{Value, json};
use std::str::FromStr;

use crate::world::{self, World};

const BILL: &str = "query($r: ID!, $y: Int!) { meteredBill(regionId: $r, serviceYear: $y) {
    period state capped metered payable flagged
    vendors { vendorId name metered payable freeBeyondCap fixedAmount
              cappedItems { itemCode metered monthsInService cap payable freeBeyondCap } }
    agencies { id amount } systems { id amount } items { id amount }
    lines { systemId vendorId agencyId itemCode month quantity meteredQuantity unitPrice amount flags } } }";
const CLOSE: &str = "mutation($r: ID!, $y: Int!) { closeMetering(regionId: $r, serviceYear: $y) {
    state vendors { vendorId payable fixedAmount } } }";
const CAP: &str =
    "mutation($i: SetPurchaserCapInput!) { setPurchaserCap(input: $i) { id amount } }";

fn q(m: &str, t: &str) -> String {
    format!("mutation($i: {t}!) {{ {m}(input: $i) {{ id }} }}")
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).expect("decimal")
}

/// A money or quantity field as a value (the databases return other scales;
/// a stored document may hold a string or a number).
fn val(v: &Value) -> Decimal {
    match v {
        Value::String(s) => dec(s),
        Value::Number(n) => dec(&n.to_string()),
        other => panic!("not a decimal: {other}"),
    }
}

/// Songjiang (service year July–June) beside the world: its supervisor,
/// agency AS1 with system S1 of vendor V1 (the world's vendor user), agency
/// AS2 with system S2 of vendor V2; items vCPU and disk priced for V1 at
/// 30.00 and 20.00 per month, vCPU for V2 at 25.00.
pub struct Songjiang {
    pub region: String,
    pub supervisor: String,
    pub agency_user: String,
    pub agency: String,
    pub s1: String,
    pub s2: String,
    pub vcpu: String,
    pub disk: String,
}

async fn item(app: &TestApp, admin: &str, code: &str, name: &str, unit: &str) -> String {
    let input = json!({"code": code, "category": "计算服务", "subCategory": "X86 云计算服务",
        "name": name, "unit": unit, "priceUnit": "元/月"});
    id_of(
        &app.must(
            admin,
            &q("createCatalogueItem", "CreateCatalogueItemInput"),
            json!({"i": input}),
        )
        .await,
        "createCatalogueItem",
    )
}

async fn price(app: &TestApp, admin: &str, item: &str, vendor: &str, unit_price: &str) {
    let input = json!({"itemId": item, "vendorId": vendor, "unitPrice": unit_price,
        "validFrom": "2025-01-01", "validTo": "2027-12-31"});
    app.must(
        admin,
        &q("createCataloguePrice", "CreateCataloguePriceInput"),
        json!({"i": input}),
    )
    .await;
}

async fn create(app: &TestApp, admin: &str, m: &str, t: &str, input: Value) -> String {
    id_of(&app.must(admin, &q(m, t), json!({"i": input})).await, m)
}

async fn user(app: &TestApp, admin: &str, name: &str, role: &str, binding: (&str, &str)) -> String {
    let pass = format!("{name}-Pass-2026");
    let mut input = json!({"username": name, "password": pass, "role": role});
    input[binding.0] = json!(binding.1);
    create(app, admin, "createUser", "CreateUserInput", input).await;
    app.login(name, &pass).await
}

async fn system(
    app: &TestApp,
    w: &World,
    region: &str,
    agency: &str,
    vendor: &str,
    name: &str,
) -> String {
    create(
        app,
        &w.admin,
        "createInformationSystem",
        "CreateInformationSystemInput",
        json!({"regionId": region, "agencyId": agency, "vendorId": vendor, "name": name,
               "class": "B", "protectionLevel": 3, "onlineOn": "2024-01-01"}),
    )
    .await
}

async fn new_agency(app: &TestApp, admin: &str, region: &str, name: &str) -> String {
    let input = json!({"regionId": region, "name": name});
    create(app, admin, "createAgency", "CreateAgencyInput", input).await
}

pub async fn songjiang(app: &TestApp, w: &World) -> Songjiang {
    let admin = &w.admin;
    let region = create(app, admin, "createRegion", "CreateRegionInput",
        json!({"code": "SJ", "name": "松江区", "schemeCode": "sh-songjiang", "serviceYearStartMonth": 7})).await;
    let agency = new_agency(app, admin, &region, "松江区卫生健康委员会").await;
    let agency2 = new_agency(app, admin, &region, "松江区市场监督管理局").await;
    let s1 = system(app, w, &region, &agency, &w.one.vendor, "健康档案系统").await;
    let s2 = system(app, w, &region, &agency2, &w.two.vendor, "市场监管平台").await;
    let vcpu = item(app, admin, "T-VCPU", "云主机vCPU", "1 vCPU").await;
    let disk = item(app, admin, "T-DISK", "块存储", "1 GB").await;
    price(app, admin, &vcpu, &w.one.vendor, "30.00").await;
    price(app, admin, &disk, &w.one.vendor, "20.00").await;
    price(app, admin, &vcpu, &w.two.vendor, "25.00").await;
    let supervisor = user(app, admin, "sup-sj", "SUPERVISOR", ("regionId", &region)).await;
    let agency_user = user(app, admin, "agency-sj", "AGENCY", ("agencyId", &agency)).await;
    Songjiang {
        region,
        supervisor,
        agency_user,
        agency,
        s1,
        s2,
        vcpu,
        disk,
    }
}

fn id(s: &str) -> i64 {
    s.parse().expect("id")
}

async fn connect(app: &TestApp) -> DatabaseConnection {
    Database::connect(&app.database_url)
        .await
        .expect("database")
}

/// The service year 2025's months: July 2025 – June 2026.
fn months() -> Vec<String> {
    (0..12)
        .map(|i| {
            let (y, m) = if i < 6 { (2025, 7 + i) } else { (2026, i - 5) };
            format!("{y}-{m:02}")
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
async fn usage(
    db: &DatabaseConnection,
    region: &str,
    vendor: &str,
    agency: &str,
    system: &str,
    item: &str,
    month: &str,
    quantity: &str,
) {
    entities::usage_record::ActiveModel {
        region_id: Set(id(region)),
        vendor_id: Set(id(vendor)),
        agency_id: Set(id(agency)),
        system_id: Set(id(system)),
        item_id: Set(id(item)),
        month: Set(month.to_owned()),
        quantity: Set(dec(quantity)),
        beyond_approved: Set(false),
        source: Set(entities::usage_record::UsageSource::Entered),
        created_by: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("usage");
}

/// An approved quota; test resources with their free months, delivered on `delivered`.
#[allow(clippy::too_many_arguments)]
async fn quota(
    db: &DatabaseConnection,
    region: &str,
    vendor: &str,
    agency: &str,
    system: &str,
    item: &str,
    quantity: &str,
    test: Option<(i32, NaiveDate)>,
) -> i64 {
    let applied = Utc.with_ymd_and_hms(2025, 6, 1, 1, 0, 0).unwrap();
    entities::quota::ActiveModel {
        region_id: Set(id(region)),
        agency_id: Set(id(agency)),
        system_id: Set(id(system)),
        vendor_id: Set(id(vendor)),
        item_id: Set(id(item)),
        quantity: Set(dec(quantity)),
        status: Set(entities::quota::QuotaStatus::Delivered),
        is_test: Set(test.is_some()),
        test_months: Set(test.map(|t| t.0)),
        applied_at: Set(applied),
        applied_by: Set(None),
        approved_by: Set(None),
        approved_at: Set(Some(applied)),
        agreement_on: Set(test.map(|t| t.1)),
        delivered_on: Set(test.map(|t| t.1)),
        note: Set(None),
        created_at: Set(applied),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("quota")
    .id
}

/// The issue's worked example for S1 (V1, AS1): quota 100 vCPU expanded by
/// 20 (approved 5 January 2026); 100 vCPU July–December, 120 January–June;
/// 200 GB of disk all year.
pub async fn worked_example(app: &TestApp, w: &World, sj: &Songjiang) {
    let db = connect(app).await;
    let v1 = &w.one.vendor;
    let q = quota(
        &db, &sj.region, v1, &sj.agency, &sj.s1, &sj.vcpu, "100", None,
    )
    .await;
    quota(
        &db, &sj.region, v1, &sj.agency, &sj.s1, &sj.disk, "200", None,
    )
    .await;
    entities::quota_change::ActiveModel {
        quota_id: Set(q),
        kind: Set(entities::quota_change::QuotaChangeKind::Expand),
        quantity: Set(dec("20")),
        status: Set(entities::quota_change::QuotaChangeStatus::Approved),
        reason: Set("业务高峰扩容".into()),
        requested_by: Set(None),
        requested_at: Set(Utc.with_ymd_and_hms(2025, 12, 20, 1, 0, 0).unwrap()),
        decided_by: Set(None),
        decided_at: Set(Some(Utc.with_ymd_and_hms(2026, 1, 5, 1, 0, 0).unwrap())),
        decision_reason: Set(None),
        ..Default::default()
    }
    .insert(&db)
    .await
    .expect("expansion");
    for (i, month) in months().iter().enumerate() {
        let vcpu = if i < 6 { "100" } else { "120" };
        usage(
            &db, &sj.region, v1, &sj.agency, &sj.s1, &sj.vcpu, month, vcpu,
        )
        .await;
        usage(
            &db, &sj.region, v1, &sj.agency, &sj.s1, &sj.disk, month, "200",
        )
        .await;
    }
    let _ = db.close().await;
}

/// S2 (V2, AS2) runs 4 test vCPU, free for 2 months from their delivery on
/// 10 July 2025, July–September.
pub async fn test_resources(app: &TestApp, w: &World, sj: &Songjiang) {
    let db = connect(app).await;
    let v2 = &w.two.vendor;
    let agency2 = agency_of(app, w, &sj.s2).await;
    let delivered = NaiveDate::from_ymd_opt(2025, 7, 10).unwrap();
    quota(
        &db,
        &sj.region,
        v2,
        &agency2,
        &sj.s2,
        &sj.vcpu,
        "4",
        Some((2, delivered)),
    )
    .await;
    for month in ["2025-07", "2025-08", "2025-09"] {
        usage(&db, &sj.region, v2, &agency2, &sj.s2, &sj.vcpu, month, "4").await;
    }
    let _ = db.close().await;
}

async fn agency_of(app: &TestApp, w: &World, system: &str) -> String {
    let data = app
        .must(
            &w.admin,
            "query($id: ID!) { informationSystem(id: $id) { agencyId } }",
            json!({"id": system}),
        )
        .await;
    data["informationSystem"]["agencyId"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn bill(app: &TestApp, token: &str, region: &str, year: i32) -> Value {
    app.must(token, BILL, json!({"r": region, "y": year})).await["meteredBill"].clone()
}

fn vendor<'a>(bill: &'a Value, vendor: &str) -> &'a Value {
    bill["vendors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["vendorId"] == vendor)
        .unwrap_or_else(|| panic!("no vendor {vendor} in {bill}"))
}

#[tokio::test]
async fn the_year_is_usage_times_the_unit_price_per_item_and_month() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let sj = songjiang(&app, &w).await;
    worked_example(&app, &w, &sj).await;
    let b = bill(&app, &sj.supervisor, &sj.region, 2025).await;
    assert_eq!(b["period"], "2025-07..2026-06");
    assert_eq!(b["state"], "OPEN");
    assert_eq!(b["capped"], false, "a district has no cap");
    // 100 × 30.00 × 6 + 120 × 30.00 × 6 + 200 × 20.00 × 12
    // = 18,000.00 + 21,600.00 + 48,000.00 = 87,600.00.
    let v1 = vendor(&b, &w.one.vendor);
    assert_eq!(val(&v1["metered"]), dec("87600.00"));
    assert_eq!(val(&v1["payable"]), dec("87600.00"));
    assert_eq!(val(&b["payable"]), dec("87600.00"));
    assert_eq!(v1["fixedAmount"], Value::Null);
    // Per item: vCPU 18,000.00 + 21,600.00 = 39,600.00; disk 48,000.00.
    let items: Vec<Decimal> = b["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| val(&i["amount"]))
        .collect();
    assert_eq!(items, [dec("39600.00"), dec("48000.00")]);
    assert_eq!(val(&b["agencies"][0]["amount"]), dec("87600.00"));
    assert_eq!(b["systems"][0]["id"], json!(sj.s1));
    // 24 lines (2 items × 12 months); January's vCPU: 120 × 30.00 = 3,600.00,
    // within the 100 + 20 approved from January: no flag.
    assert_eq!(b["lines"].as_array().unwrap().len(), 24);
    assert_eq!(b["flagged"], 0);
    let january = b["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["month"] == "2026-01" && l["itemCode"] == "T-VCPU")
        .expect("January's vCPU");
    assert_eq!(val(&january["amount"]), dec("3600.00"));
}

#[tokio::test]
async fn usage_beyond_the_approval_is_metered_and_flagged() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let sj = songjiang(&app, &w).await;
    let db = connect(&app).await;
    let v1 = &w.one.vendor;
    quota(
        &db, &sj.region, v1, &sj.agency, &sj.s1, &sj.vcpu, "100", None,
    )
    .await;
    // 125 vCPU against 100 approved: metered in full, 125 × 30.00 = 3,750.00,
    // flagged 25 beyond; disk with no quota at all: 10 × 20.00 = 200.00, flagged.
    usage(
        &db, &sj.region, v1, &sj.agency, &sj.s1, &sj.vcpu, "2025-07", "125",
    )
    .await;
    usage(
        &db, &sj.region, v1, &sj.agency, &sj.s1, &sj.disk, "2025-07", "10",
    )
    .await;
    let _ = db.close().await;
    let b = bill(&app, &sj.supervisor, &sj.region, 2025).await;
    let lines = b["lines"].as_array().unwrap();
    assert_eq!(val(&lines[0]["amount"]), dec("3750.00"));
    assert_eq!(lines[0]["flags"], json!(["超出核定数量 100（超出 25）"]));
    assert_eq!(val(&lines[1]["amount"]), dec("200.00"));
    assert_eq!(lines[1]["flags"], json!(["无资源配额记录"]));
    assert_eq!(b["flagged"], 2);
    // 3,750.00 + 200.00 = 3,950.00.
    assert_eq!(val(&b["metered"]), dec("3950.00"));
}

#[tokio::test]
async fn test_resources_in_their_free_months_are_not_metered() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let sj = songjiang(&app, &w).await;
    test_resources(&app, &w, &sj).await;
    let b = bill(&app, &sj.supervisor, &sj.region, 2025).await;
    // Free July and August (2 months from the July delivery): 0.00 each;
    // September metered 4 × 25.00 = 100.00, flagged past the free period.
    let lines = b["lines"].as_array().unwrap();
    let amounts: Vec<Decimal> = lines.iter().map(|l| val(&l["amount"])).collect();
    assert_eq!(amounts, [dec("0"), dec("0"), dec("100.00")]);
    assert_eq!(val(&lines[0]["meteredQuantity"]), dec("0"));
    assert_eq!(lines[0]["flags"], json!(["测试资源免费期内，不计量"]));
    assert_eq!(lines[2]["flags"], json!(["测试资源已过免费期，按实计量"]));
    assert_eq!(val(&vendor(&b, &w.two.vendor)["payable"]), dec("100.00"));
}

/// Two liable complaints (C1: −5 each) and three security accidents (J2: −5
/// each) of V1 in Songjiang's year: 100 − 10 − 15 = 75, below 80: the 10 % tier.
pub async fn a_year_of_75(app: &TestApp, w: &World, sj: &Songjiang) -> String {
    for day in ["2025-09-03", "2025-11-12"] {
        create(app, &w.admin, "createComplaint", "CreateComplaintInput",
            json!({"regionId": sj.region, "vendorId": w.one.vendor, "agencyId": sj.agency, "channel": "LETTER",
                   "description": "资源交付延误", "receivedAt": format!("{day}T10:00:00+08:00"),
                   "confirmed": true, "vendorLiable": true})).await;
    }
    for day in ["2025-08-05", "2025-10-08", "2026-02-10"] {
        create(
            app,
            &w.admin,
            "createSecurityAccident",
            "CreateSecurityAccidentInput",
            json!({"regionId": sj.region, "vendorId": w.one.vendor, "description": "安全事故",
                   "occurredAt": format!("{day}T03:00:00+08:00"), "level": 5,
                   "confirmed": true, "vendorLiable": true}),
        )
        .await;
    }
    // A typed-in settlement amount the metering replaces.
    create(
        app,
        &w.admin,
        "createContract",
        "CreateContractInput",
        json!({"vendorId": w.one.vendor, "regionId": sj.region, "serviceYear": 2025,
               "settlementAmount": "1000000.00", "monthlyFee": "83333.33"}),
    )
    .await
}

/// The published annual result of V1 in Songjiang's 2025 year (its document).
pub async fn annual(app: &TestApp, sj: &Songjiang) -> (String, Value) {
    let run = app
        .must(&sj.supervisor, "mutation($r: ID!) { runAnnualAssessment(regionId: $r, serviceYear: 2025) { id status results { id total } } }",
            json!({"r": sj.region}))
        .await["runAnnualAssessment"]
        .clone();
    assert_eq!(run["status"], "SUCCEEDED", "{run}");
    assert_eq!(val(&run["results"][0]["total"]), dec("75.00"));
    app.must(
        &sj.supervisor,
        "mutation($id: ID!) { publishAssessmentRun(runId: $id) { id } }",
        json!({"id": run["id"]}),
    )
    .await;
    let result = run["results"][0]["id"].as_str().unwrap().to_owned();
    (result.clone(), document(app, sj, &result).await)
}

async fn document(app: &TestApp, sj: &Songjiang, result: &str) -> Value {
    app.must(
        &sj.supervisor,
        "query($id: ID!) { assessmentResult(id: $id) { document } }",
        json!({"id": result}),
    )
    .await["assessmentResult"]["document"]
        .clone()
}

#[tokio::test]
async fn the_penalty_amount_is_pending_until_the_metering_is_closed_then_fixed() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let sj = songjiang(&app, &w).await;
    worked_example(&app, &w, &sj).await;
    let contract = a_year_of_75(&app, &w, &sj).await;
    let (result, before) = annual(&app, &sj).await;
    // Before the close: the 10 % tier at once, no settlement and no amount
    // (not the contract's 1,000,000.00), the result saying it is pending.
    assert_eq!(val(&before["penalty"]["rate"]), dec("0.10"));
    assert_eq!(before["penalty"]["amount"], Value::Null, "{before}");
    assert_eq!(before["penalty"]["settlement_amount"], Value::Null);
    assert!(
        before["warnings"].to_string().contains("待计量结算"),
        "{before}"
    );
    let closed = app
        .must(&sj.supervisor, CLOSE, json!({"r": sj.region, "y": 2025}))
        .await["closeMetering"]
        .clone();
    assert_eq!(closed["state"], "CLOSED");
    assert_eq!(val(&closed["vendors"][0]["fixedAmount"]), dec("87600.00"));
    // After: settlement 87,600.00 × 10 % = 8,760.00 deducted; 87,600.00 −
    // 8,760.00 = 78,840.00 payable.
    let after = document(&app, &sj, &result).await;
    let settlement = val(&after["penalty"]["settlement_amount"]);
    let amount = val(&after["penalty"]["amount"]);
    assert_eq!(settlement, dec("87600.00"));
    assert_eq!(amount, dec("8760.00"));
    assert_eq!(settlement - amount, dec("78840.00"));
    assert!(
        !after["warnings"].to_string().contains("待计量结算"),
        "{after}"
    );
    // The fill is audited.
    let audit = app
        .must(
            &w.admin,
            "{ auditEntries(filter: {operation: \"closeMetering\"}) { items { targetType } } }",
            json!({}),
        )
        .await;
    let targets = audit.to_string();
    assert!(
        targets.contains("MeteringClose") && targets.contains("AssessmentResult"),
        "{targets}"
    );
    // The settlement statement: amount due the metered 87,600.00 (not the
    // contract's 1,000,000.00), 8,760.00 deducted, 78,840.00 payable.
    let statement = app
        .must(&sj.supervisor, "query($c: ID!) { settlementStatement(contractId: $c) { amountDue assessmentPenalty finalPaymentDue } }", json!({"c": contract}))
        .await["settlementStatement"]
        .clone();
    assert_eq!(val(&statement["amountDue"]), dec("87600.00"));
    assert_eq!(val(&statement["assessmentPenalty"]), dec("8760.00"));
    assert_eq!(val(&statement["finalPaymentDue"]), dec("78840.00"));
    // Publishing the 10 % tier mailed V1 its ANNUAL_PENALTY notice.
    app.deliver_pending_mail().await;
}

#[tokio::test]
async fn closing_twice_is_a_conflict_and_only_a_supervisor_closes() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let sj = songjiang(&app, &w).await;
    worked_example(&app, &w, &sj).await;
    let vars = json!({"r": sj.region, "y": 2025});
    assert_eq!(
        app.gql(Some(&w.vendor), CLOSE, vars.clone())
            .await
            .error()
            .0,
        "FORBIDDEN"
    );
    assert_eq!(
        app.gql(Some(&w.supervisor), CLOSE, vars.clone())
            .await
            .error()
            .0,
        "NOT_FOUND"
    );
    app.must(&sj.supervisor, CLOSE, vars.clone()).await;
    let (code, message) = app.gql(Some(&sj.supervisor), CLOSE, vars).await.error();
    assert_eq!(code, "CONFLICT");
    assert!(message.contains("已于"), "{message}");
    // The closed bill still reads 87,600.00, now fixed.
    let b = bill(&app, &sj.supervisor, &sj.region, 2025).await;
    assert_eq!(b["state"], "CLOSED");
    assert_eq!(
        val(&vendor(&b, &w.one.vendor)["fixedAmount"]),
        dec("87600.00")
    );
    // The settlement statement's amount due (domain::metering::metered_amount):
    // V1's 87,600.00; V2 had no usage in Songjiang: none.
    let db = connect(&app).await;
    let region = id(&sj.region);
    let v1 = domain::metering::metered_amount(&db, region, id(&w.one.vendor), 2025).await;
    assert_eq!(v1.expect("read"), Some(dec("87600.00")));
    let v2 = domain::metering::metered_amount(&db, region, id(&w.two.vendor), 2025).await;
    assert_eq!(v2.expect("read"), None);
    let _ = db.close().await;
    // The closed year's usage is fixed with it: March 2026 is in service year
    // 2025 (July 2025 – June 2026), so recording it is refused; July 2026
    // opens service year 2026 and is accepted.
    let record = "mutation($i: RecordUsageInput!) { recordUsage(input: $i) { month } }";
    let usage = |month: &str| json!({"i": {"systemId": sj.s1, "itemId": sj.vcpu, "month": month, "quantity": "100"}});
    let (code, message) = app
        .gql(Some(&sj.supervisor), record, usage("2026-03"))
        .await
        .error();
    assert_eq!(code, "CONFLICT");
    assert!(message.contains("计量已关闭"), "{message}");
    app.must(&sj.supervisor, record, usage("2026-07")).await;
}

#[tokio::test]
async fn a_cap_binds_for_the_municipal_purchaser_and_not_for_a_district() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let sj = songjiang(&app, &w).await;
    // R1 is the municipal purchaser (calendar service year 2025). S1 of V1
    // there uses 200 GB of disk every month of 2025: 200 × 20.00 × 12 =
    // 48,000.00 metered; its cap 40,000.00 over 12 months in service binds:
    // 40,000.00 payable, 8,000.00 free beyond the cap.
    let db = connect(&app).await;
    for m in 1..=12 {
        usage(
            &db,
            &w.one.region,
            &w.one.vendor,
            &w.one.agency,
            &w.one.system,
            &sj.disk,
            &format!("2025-{m:02}"),
            "200",
        )
        .await;
    }
    let _ = db.close().await;
    let cap = json!({"i": {"regionId": w.one.region, "itemId": sj.disk, "serviceYear": 2025, "amount": "40000.00"}});
    assert_eq!(
        app.gql(Some(&w.supervisor), CAP, cap.clone())
            .await
            .error()
            .0,
        "FORBIDDEN"
    );
    app.must(&w.admin, CAP, cap).await;
    let b = bill(&app, &w.supervisor, &w.one.region, 2025).await;
    assert_eq!(b["capped"], true);
    let v1 = vendor(&b, &w.one.vendor);
    assert_eq!(val(&v1["metered"]), dec("48000.00"));
    assert_eq!(val(&v1["payable"]), dec("40000.00"));
    assert_eq!(val(&v1["freeBeyondCap"]), dec("8000.00"));
    assert_eq!(v1["cappedItems"][0]["monthsInService"], 12);
    // Songjiang, a district, has no cap: the same 200 GB in its July 2025
    // costs 200 × 20.00 = 4,000.00, all payable.
    let db = connect(&app).await;
    usage(
        &db,
        &sj.region,
        &w.one.vendor,
        &sj.agency,
        &sj.s1,
        &sj.disk,
        "2025-07",
        "200",
    )
    .await;
    let _ = db.close().await;
    let b = bill(&app, &sj.supervisor, &sj.region, 2025).await;
    assert_eq!(b["capped"], false);
    assert_eq!(val(&vendor(&b, &w.one.vendor)["payable"]), dec("4000.00"));
}

#[tokio::test]
async fn a_vendor_reads_its_own_lines_and_an_agency_its_own_systems() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let sj = songjiang(&app, &w).await;
    worked_example(&app, &w, &sj).await;
    test_resources(&app, &w, &sj).await;
    // The supervisor: both vendors, 87,600.00 + 100.00 = 87,700.00.
    let all = bill(&app, &sj.supervisor, &sj.region, 2025).await;
    assert_eq!(val(&all["payable"]), dec("87700.00"));
    assert_eq!(all["lines"].as_array().unwrap().len(), 27);
    // V1 sees its 24 lines and its own 87,600.00 only, never V2's.
    let mine = bill(&app, &w.vendor, &sj.region, 2025).await;
    assert_eq!(mine["lines"].as_array().unwrap().len(), 24);
    assert!(
        mine["lines"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["vendorId"] == w.one.vendor)
    );
    assert_eq!(mine["vendors"].as_array().unwrap().len(), 1);
    assert_eq!(val(&mine["payable"]), dec("87600.00"));
    // AS1's agency sees S1's lines, 87,600.00, and no vendor's totals.
    let own = bill(&app, &sj.agency_user, &sj.region, 2025).await;
    assert!(
        own["lines"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["agencyId"] == json!(sj.agency))
    );
    assert_eq!(own["vendors"], json!([]));
    assert_eq!(val(&own["payable"]), dec("87600.00"));
    // Another region's supervisor: as if it did not exist.
    let other = app
        .gql(
            Some(&w.supervisor),
            BILL,
            json!({"r": sj.region, "y": 2025}),
        )
        .await;
    assert_eq!(other.error().0, "NOT_FOUND");
}
