//! The settlement statement (issue 15 item 5; spec §5): amount due, the
//! assessment penalty of the published annual result, each confirmed breach
//! penalty and the major-incident penalty, instalments paid, what is deducted
//! from the final payment and what the vendor owes beyond it — exact to the
//! fen, per contract term or service year, through GraphQL.
//!
//! Seed 002's contract throughout (`seed_contract`): 1,105,728.00, 70 % =
//! 774,009.60 paid after signing, the final 30 % = 331,718.40; 12 service
//! months, so the one system's monthly fee is 1,105,728.00 / 12 = 92,144.00.

use std::str::FromStr;

use e2e::{TestApp, spawn_app};
use entities::breach::{BreachStatus, IncidentLevel};
use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::seed_contract::{self, Breach, PAY, Signed, insert_breach, sign_seed_002, sql};
use crate::world::{self, World};

pub const STATEMENT: &str = "query($c: ID!) { settlementStatement(contractId: $c) {
    contract { id } period { from to serviceYear text } termsName amountDue supplements
    assessmentPenalty assessmentTier { total below rate text }
    breachPenalties { breachId label amount } breachTotal instalmentsPaid
    instalments { position amount paidOn } finalPayment deductedFromFinalPayment
    finalPaymentDue owedBeyondFinalPayment negotiatedBreachPenalties penaltiesNegotiated
    lines { label amountText } } }";

/// A decimal as the API gives it, as a value (scales differ by database).
pub fn amount(v: &Value) -> Decimal {
    Decimal::from_str(v.as_str().unwrap_or_else(|| panic!("{v} is not a decimal"))).unwrap()
}

pub fn d(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

pub async fn statement(app: &TestApp, token: &str, contract: &str) -> Value {
    app.must(token, STATEMENT, json!({"c": contract})).await["settlementStatement"].clone()
}

/// Seed 002 signed in R1 with its first instalment paid.
async fn seed_002_paid_70(app: &TestApp, w: &World) -> Signed {
    let signed = sign_seed_002(app, w, &w.one.region).await;
    seed_contract::pay_first(app, w, &signed).await;
    signed
}

/// Two confirmed serious breaches (附件2 rows 1 and 10, 200 % each): 92,144.00
/// × 200 % = 184,288.00 each; one proposed (row 5 of 附件3, 30 %) and one
/// dismissed (row 6, 60 %) that must not count.
async fn two_serious_breaches(app: &TestApp, w: &World, signed: &Signed) -> (i64, i64) {
    let region = &w.one.region;
    let mut ids = Vec::new();
    for (status, row, penalty, day) in [
        (
            BreachStatus::Confirmed,
            ("serious", 1),
            "184288.00",
            "2024-03-05T02:00:00Z",
        ),
        (
            BreachStatus::Confirmed,
            ("serious", 10),
            "184288.00",
            "2024-05-20T02:00:00Z",
        ),
        (
            BreachStatus::Proposed,
            ("general", 5),
            "27643.20",
            "2024-06-01T02:00:00Z",
        ),
        (
            BreachStatus::Dismissed,
            ("general", 6),
            "55286.40",
            "2024-07-01T02:00:00Z",
        ),
    ] {
        let b = Breach {
            status,
            row: Some(row),
            penalty: Some(d(penalty)),
            occurred: day,
            description: "系统宕机",
            level: None,
        };
        ids.push(insert_breach(app, region, signed, b).await);
    }
    (ids[0], ids[1])
}

#[tokio::test]
async fn seed_002_with_nothing_charged_pays_the_whole_final_payment() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let signed = seed_002_paid_70(&app, &w).await;
    let s = statement(&app, &w.admin, &signed.contract).await;
    assert_eq!(s["period"]["from"], "2023-12-28");
    assert_eq!(s["period"]["to"], "2024-12-27");
    assert_eq!(s["period"]["serviceYear"], Value::Null);
    // Seed 002: 1,105,728.00 due, 774,009.60 paid → final payment
    // 1,105,728.00 − 774,009.60 = 331,718.40; nothing to deduct, all of it due.
    assert_eq!(amount(&s["amountDue"]), d("1105728.00"));
    assert_eq!(amount(&s["instalmentsPaid"]), d("774009.60"));
    assert_eq!(amount(&s["finalPayment"]), d("331718.40"));
    assert_eq!(amount(&s["deductedFromFinalPayment"]), d("0"));
    assert_eq!(amount(&s["finalPaymentDue"]), d("331718.40"));
    assert_eq!(amount(&s["owedBeyondFinalPayment"]), d("0"));
    // No annual result of 2024 published for 太极: 0 and said so.
    assert_eq!(s["assessmentTier"], Value::Null);
    assert_eq!(amount(&s["assessmentPenalty"]), d("0"));
    let lines = s["lines"].as_array().unwrap();
    assert!(
        lines
            .iter()
            .any(|l| l["label"] == "考核扣款（未发布年度考核）" && l["amountText"] == "¥0.00"),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l["label"] == "尾款实付" && l["amountText"] == "¥331,718.40")
    );
    assert_eq!(s["instalments"][0]["paidOn"], "2024-01-10");
    assert_eq!(s["instalments"][1]["paidOn"], Value::Null);
}

#[tokio::test]
async fn an_unpaid_first_instalment_leaves_the_whole_amount_to_the_final_payment() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let signed = sign_seed_002(&app, &w, &w.one.region).await;
    let s = statement(&app, &w.admin, &signed.contract).await;
    // Nothing paid yet: 1,105,728.00 − 0 = 1,105,728.00 still to pay.
    assert_eq!(amount(&s["instalmentsPaid"]), d("0"));
    assert_eq!(amount(&s["finalPayment"]), d("1105728.00"));
}

#[tokio::test]
async fn breaches_beyond_the_final_payment_are_owed_not_a_negative_payment() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let signed = seed_002_paid_70(&app, &w).await;
    // The SLA's terms (seed 000) deduct penalties from the final payment.
    seed_contract::set_terms(&app, &signed, "bj-sla").await;
    let (first, second) = two_serious_breaches(&app, &w, &signed).await;
    let s = statement(&app, &w.supervisor, &signed.contract).await;
    assert_eq!(s["penaltiesNegotiated"], false);
    let breaches = s["breachPenalties"].as_array().unwrap();
    assert_eq!(
        breaches.len(),
        2,
        "the proposed and dismissed ones do not count"
    );
    assert_eq!(breaches[0]["breachId"], first.to_string());
    assert_eq!(breaches[0]["label"], "附件2 第1项 2024-03-05 系统宕机");
    assert_eq!(breaches[1]["breachId"], second.to_string());
    assert_eq!(breaches[1]["label"], "附件2 第10项 2024-05-20 系统宕机");
    // 184,288.00 + 184,288.00 = 368,576.00 against a final payment of
    // 331,718.40: all of it deducted, 0.00 paid, 368,576.00 − 331,718.40 =
    // 36,857.60 owed by the vendor.
    assert_eq!(amount(&s["breachTotal"]), d("368576.00"));
    assert_eq!(amount(&s["deductedFromFinalPayment"]), d("331718.40"));
    assert_eq!(amount(&s["finalPaymentDue"]), d("0"));
    assert_eq!(amount(&s["owedBeyondFinalPayment"]), d("36857.60"));
    assert_eq!(amount(&s["negotiatedBreachPenalties"]), d("0"));
}

#[tokio::test]
async fn lease_terms_leave_breach_penalties_to_negotiation() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let signed = seed_002_paid_70(&app, &w).await;
    // The region names the lease contract's terms (seed 002 §13.3: 违约金的
    // 支付由甲乙双方协商); the contract names none, so the region's govern.
    sql(
        &app,
        &format!(
            "UPDATE regions SET terms_code = 'bj-lease' WHERE id = {}",
            w.one.region
        ),
    )
    .await;
    two_serious_breaches(&app, &w, &signed).await;
    let s = statement(&app, &w.admin, &signed.contract).await;
    assert_eq!(s["penaltiesNegotiated"], true);
    assert_eq!(s["termsName"], "北京市政务云租用项目合同 第十三条 违约责任");
    // The 368,576.00 is settled as agreed: the final 331,718.40 is paid whole.
    assert_eq!(amount(&s["negotiatedBreachPenalties"]), d("368576.00"));
    assert_eq!(amount(&s["deductedFromFinalPayment"]), d("0"));
    assert_eq!(amount(&s["finalPaymentDue"]), d("331718.40"));
    assert_eq!(amount(&s["owedBeyondFinalPayment"]), d("0"));
}

#[tokio::test]
async fn the_major_incident_penalty_counts_once_the_termination_right_is_given() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let signed = seed_002_paid_70(&app, &w).await;
    seed_contract::set_terms(&app, &signed, "bj-sla").await;
    let b_level = |day| Breach {
        status: BreachStatus::Confirmed,
        row: None,
        penalty: None,
        occurred: day,
        description: "B级事件",
        level: Some(IncidentLevel::B),
    };
    insert_breach(
        &app,
        &w.one.region,
        &signed,
        b_level("2024-04-01T02:00:00Z"),
    )
    .await;
    // One B-level event of the two the SLA needs: no right, no penalty.
    let s = statement(&app, &w.admin, &signed.contract).await;
    assert_eq!(s["breachPenalties"], json!([]));
    insert_breach(
        &app,
        &w.one.region,
        &signed,
        b_level("2024-06-01T02:00:00Z"),
    )
    .await;
    let s = statement(&app, &w.admin, &signed.contract).await;
    // The second: 合同金额 × 100 % = 1,105,728.00 (seed 000 附件1), against the
    // final 331,718.40: deducted 331,718.40, 1,105,728.00 − 331,718.40 =
    // 774,009.60 owed.
    assert_eq!(
        s["breachPenalties"],
        json!([{"breachId": null, "label": "重大事件违约金（合同金额×100%）", "amount": "1105728.00"}])
    );
    assert_eq!(amount(&s["deductedFromFinalPayment"]), d("331718.40"));
    assert_eq!(amount(&s["owedBeyondFinalPayment"]), d("774009.60"));
}

/// V1's contract in R1 (Shanghai municipal scheme, entered as one amount for
/// the service year 2025).
pub async fn v1_contract(app: &TestApp, w: &World) -> String {
    let list = app
        .must(
            &w.admin,
            "{ contracts { items { id vendorId serviceYear } } }",
            json!({}),
        )
        .await;
    list["contracts"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["vendorId"] == w.one.vendor.as_str() && c["serviceYear"] == 2025)
        .expect("V1's 2025 contract")["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// R1's service year 2025 run as a draft, March published: V1's total 85.50
/// (console_exports.rs works it out: 88.38 × 80 % + 74.00 × 20 %), below 90
/// → tier 5 %. The run's id.
pub async fn run_2025_annual(app: &TestApp, w: &World) -> Value {
    world::publish_month(app, w, "2025-03").await;
    app.must(
        &w.supervisor,
        "mutation($r: ID!) { runAnnualAssessment(regionId: $r, serviceYear: 2025) { id } }",
        json!({"r": w.one.region}),
    )
    .await["runAnnualAssessment"]["id"]
        .clone()
}

#[tokio::test]
async fn a_shanghai_year_deducts_the_published_annual_penalty() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let contract = v1_contract(&app, &w).await;
    let run = run_2025_annual(&app, &w).await;
    let s = statement(&app, &w.supervisor, &contract).await;
    assert_eq!(s["period"]["serviceYear"], 2025);
    assert_eq!(s["period"]["text"], "2025 服务年度（2025-01..2025-12）");
    assert_eq!(s["assessmentTier"], Value::Null, "a draft never counts");
    assert_eq!(amount(&s["assessmentPenalty"]), d("0"));
    app.must(
        &w.supervisor,
        "mutation($id: ID!) { publishAssessmentRun(runId: $id) { id } }",
        json!({"id": run}),
    )
    .await;
    let s = statement(&app, &w.supervisor, &contract).await;
    // Total 85.50 < 90 → 5 %: 1,105,728.00 × 5 % = 55,286.40.
    assert_eq!(amount(&s["assessmentTier"]["total"]), d("85.50"));
    assert_eq!(amount(&s["assessmentTier"]["rate"]), d("0.05"));
    assert_eq!(
        s["assessmentTier"]["text"],
        "年度总分 85.50，低于 90.00 分：扣 5 %"
    );
    assert_eq!(amount(&s["assessmentPenalty"]), d("55286.40"));
    // Entered as one amount, no instalments: nothing paid before the final
    // payment, which is the whole 1,105,728.00; 1,105,728.00 − 55,286.40 =
    // 1,050,441.60 still paid to V1.
    assert_eq!(amount(&s["instalmentsPaid"]), d("0"));
    assert_eq!(amount(&s["finalPayment"]), d("1105728.00"));
    assert_eq!(amount(&s["deductedFromFinalPayment"]), d("55286.40"));
    assert_eq!(amount(&s["finalPaymentDue"]), d("1050441.60"));
    app.deliver_pending_mail().await;
}

#[tokio::test]
async fn supplementary_agreements_are_due_with_the_final_payment() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let signed = seed_002_paid_70(&app, &w).await;
    app.must(
        &w.admin,
        "mutation($c: ID!, $i: SupplementInput!) { addSupplementaryAgreement(contractId: $c, input: $i) { id } }",
        json!({"c": signed.contract, "i": {"signedOn": "2024-06-01", "amount": "10000.00", "description": "扩容"}}),
    )
    .await;
    let s = statement(&app, &w.admin, &signed.contract).await;
    // 1,105,728.00 + 10,000.00 = 1,115,728.00 due; final payment
    // 1,115,728.00 − 774,009.60 = 341,718.40.
    assert_eq!(amount(&s["supplements"]), d("10000.00"));
    assert_eq!(amount(&s["amountDue"]), d("1115728.00"));
    assert_eq!(amount(&s["finalPayment"]), d("341718.40"));
}

#[tokio::test]
async fn a_vendor_reads_its_own_statement_only_and_an_agency_its_contracts() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let own = v1_contract(&app, &w).await;
    let other = sign_seed_002(&app, &w, &w.one.region).await;
    statement(&app, &w.vendor, &own).await;
    let refused = app
        .gql(Some(&w.vendor), STATEMENT, json!({"c": other.contract}))
        .await;
    assert_eq!(refused.error().0, "NOT_FOUND", "another vendor's statement");
    // The agency reads the statement of a contract made for it, no other.
    let refused = app.gql(Some(&w.agency), STATEMENT, json!({"c": own})).await;
    assert_eq!(refused.error().0, "NOT_FOUND", "not the agency's contract");
    sql(
        &app,
        &format!(
            "UPDATE contracts SET agency_id = {} WHERE id = {own}",
            w.one.agency
        ),
    )
    .await;
    statement(&app, &w.agency, &own).await;
    let other_agency = format!(
        "UPDATE contracts SET agency_id = {} WHERE id = {}",
        w.two.agency, other.contract
    );
    sql(&app, &other_agency).await;
    let refused = app
        .gql(Some(&w.agency), STATEMENT, json!({"c": other.contract}))
        .await;
    assert_eq!(refused.error().0, "NOT_FOUND", "another agency's contract");
}

#[tokio::test]
async fn the_final_instalment_is_recorded_paid_after_the_others() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let signed = sign_seed_002(&app, &w, &w.one.region).await;
    let (first, last) = (&signed.instalments[0], &signed.instalments[1]);
    let early = app
        .gql(
            Some(&w.supervisor),
            PAY,
            json!({"i": last, "d": "2024-03-01"}),
        )
        .await;
    let (code, message) = early.error();
    assert_eq!(code, "BAD_USER_INPUT");
    assert!(message.starts_with("instalmentId:"), "{message}");
    let before_signing = app
        .gql(
            Some(&w.supervisor),
            PAY,
            json!({"i": first, "d": "2023-12-27"}),
        )
        .await;
    assert!(
        before_signing.error().1.starts_with("paidOn:"),
        "{:?}",
        before_signing.error()
    );
    // The region's supervisor records both, in order.
    for (i, day) in [(first, "2024-01-10"), (last, "2024-03-20")] {
        let paid = app
            .must(&w.supervisor, PAY, json!({"i": i, "d": day}))
            .await;
        assert_eq!(paid["recordInstalmentPaid"]["paidOn"], day);
    }
    let cleared_early = app
        .gql(Some(&w.supervisor), PAY, json!({"i": first, "d": null}))
        .await;
    assert!(
        cleared_early.error().1.starts_with("paidOn:"),
        "the final is paid"
    );
    app.must(&w.supervisor, PAY, json!({"i": last, "d": null}))
        .await;
    app.must(&w.supervisor, PAY, json!({"i": first, "d": null}))
        .await;
    // A vendor cannot see another's instalment; its own it may not write.
    let refused = app
        .gql(Some(&w.vendor), PAY, json!({"i": first, "d": "2024-01-10"}))
        .await;
    assert_eq!(refused.error().0, "NOT_FOUND");
    let entries = app
        .must(
            &w.admin,
            "{ auditEntries(filter: { operation: \"recordInstalmentPaid\" }) { total } }",
            json!({}),
        )
        .await;
    assert_eq!(
        entries["auditEntries"]["total"], 4,
        "each recording audited"
    );
}
