//! The breach register (issue 15 item 4, spec §5): an event charged under its
//! contract's terms, once, at the heaviest row; proposals confirmed or
//! dismissed by a supervisor; the vendor's answer; major incidents counted
//! per contract term with an alert when the termination right is given.
//!
//! The Beijing world: R1 (区1) is given terms with a direct `UPDATE regions
//! SET terms_code` (no GraphQL sets a region's terms yet), and vendor V1
//! signs a contract for 2024 of one line, 100,000.00 × 1 × 12 months =
//! 1,200,000.00; one system (none listed: it takes the whole amount), so the
//! monthly fee is 1,200,000.00 / 12 = 100,000.00.

use chrono::{TimeZone, Utc};
use e2e::{TestApp, spawn_app, spawn_app_with};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, Database, EntityTrait, QueryFilter, Set};
use serde_json::{Value, json};

use crate::mail::{SmtpServer, scratch_dir};
use crate::world::{self, World};

const FIELDS: &str = "id kind status source period basis penalty incidentLevel
    matchedRows { table number } termsCode
    chargedRow { table number description coefficient fixedAmount }
    contract { id settlementAmount } system { id } notice { id kind }
    vendorAnswer vendorAnswerReason decisionReason";

fn record_query() -> String {
    format!("mutation($i: RecordBreachInput!) {{ recordBreach(input: $i) {{ {FIELDS} }} }}")
}

/// Gives `region` the terms `code` (the column a region names its terms in).
pub(crate) async fn give_terms(app: &TestApp, region: &str, code: &str) {
    let db = Database::connect(&app.database_url).await.unwrap();
    entities::region::Entity::update_many()
        .col_expr(entities::region::Column::TermsCode, Expr::value(code))
        .filter(entities::region::Column::Id.eq(region.parse::<i64>().unwrap()))
        .exec(&db)
        .await
        .unwrap();
    let _ = db.close().await;
}

/// Signs `vendor`'s 2024 contract in `region`: 100,000.00 × 1 × 12 =
/// 1,200,000.00, monthly fee 100,000.00. Returns its id.
pub(crate) async fn sign(app: &TestApp, w: &World, region: &str, vendor: &str) -> String {
    let q = "mutation($i: SignContractInput!) { signContract(input: $i) { id settlementAmount monthlyFee } }";
    let input = json!({"vendorId": vendor, "regionId": region, "serviceYear": 2024,
        "signedOn": "2023-12-20", "termStart": "2024-01-01", "termEnd": "2024-12-31",
        "lines": [{"itemId": null, "description": "云主机租用", "unit": "套", "unitPrice": "100000",
            "quantity": "1", "months": 12}],
        "instalments": [{"percent": "70", "condition": "签订后"}, {"percent": "30", "condition": "初步验收后"}]});
    let signed = app.must(&w.admin, q, json!({"i": input})).await;
    assert_eq!(signed["signContract"]["monthlyFee"], "100000.00");
    signed["signContract"]["id"].as_str().unwrap().to_owned()
}

/// R1 under `terms` with V1's contract; its id.
pub(crate) async fn beijing(app: &TestApp, w: &World, terms: &str) -> String {
    give_terms(app, &w.one.region, terms).await;
    sign(app, w, &w.one.region, &w.one.vendor).await
}

pub(crate) fn event(w: &World, rows: Value) -> Value {
    json!({"regionId": w.one.region, "vendorId": w.one.vendor, "systemId": w.one.system,
        "occurredAt": "2024-03-05T10:00:00+08:00", "description": "系统1宕机",
        "evidence": "监控截图", "rows": rows})
}

pub(crate) fn general(numbers: &[u32]) -> Value {
    json!(
        numbers
            .iter()
            .map(|n| json!({"table": "general", "number": n}))
            .collect::<Vec<_>>()
    )
}

pub(crate) async fn record(app: &TestApp, w: &World, input: Value) -> Value {
    app.must(&w.supervisor, &record_query(), json!({"i": input}))
        .await["recordBreach"]
        .clone()
}

/// A B-level (or A-level) event recorded on V1's contract, matched to general row 5.
async fn major(app: &TestApp, w: &World, level: &str) -> Value {
    let mut input = event(w, general(&[5]));
    input["incidentLevel"] = json!(level);
    record(app, w, input).await
}

/// A proposal as detection writes it (PROPOSED, DETECTED, general row 5),
/// charged a placeholder 1.00 so the confirmation's recharge shows.
pub(crate) async fn propose(
    app: &TestApp,
    w: &World,
    contract: Option<&str>,
    vendor: &str,
) -> String {
    let db = Database::connect(&app.database_url).await.unwrap();
    let at = Utc.with_ymd_and_hms(2024, 3, 5, 2, 0, 0).unwrap();
    let row = entities::breach::ActiveModel {
        region_id: Set(w.one.region.parse().unwrap()),
        vendor_id: Set(vendor.parse().unwrap()),
        kind: Set(entities::breach::BreachKind::Outage),
        period: Set("2024-03".into()),
        basis: Set("系统宕机 150 分钟".into()),
        created_at: Set(at),
        contract_id: Set(contract.map(|c| c.parse().unwrap())),
        system_id: Set(None),
        occurred_at: Set(Some(at)),
        description: Set("系统宕机 150 分钟".into()),
        evidence: Set(None),
        source_ref: Set(Some(format!("outage:{}", at.timestamp()))),
        status: Set(entities::breach::BreachStatus::Proposed),
        source: Set(entities::breach::BreachSource::Detected),
        incident_level: Set(None),
        matched_rows: Set(r#"[{"table":"general","number":5}]"#.into()),
        charged_table: Set(Some("general".into())),
        charged_row: Set(Some(5)),
        penalty: Set(Some(rust_decimal::Decimal::ONE)),
        terms_code: Set(Some("bj-lease".into())),
        terms_version: Set(Some(1)),
        recorded_by: Set(None),
        decided_by: Set(None),
        decided_at: Set(None),
        decision_reason: Set(None),
        vendor_answer: Set(None),
        vendor_answer_reason: Set(None),
        answered_at: Set(None),
        notice_id: Set(None),
        rectification_due: Set(None),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap();
    let _ = db.close().await;
    row.id.to_string()
}

/// The alerts queued in the outbox so far (their subjects).
async fn alerts(app: &TestApp) -> Vec<String> {
    let db = Database::connect(&app.database_url).await.unwrap();
    let rows = entities::outbox::Entity::find().all(&db).await.unwrap();
    let _ = db.close().await;
    rows.into_iter()
        .map(|r| r.subject)
        .filter(|s| s.starts_with("重大事件"))
        .collect()
}

/// Gives sup1 an e-mail, so the region's alerts have a recipient.
async fn supervisor_email(app: &TestApp, w: &World) {
    let sup1 = world::user_id(app, w, "sup1").await;
    app.must(
        &w.admin,
        "mutation($id: ID!, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { email } }",
        json!({"id": sup1, "i": {"email": "sup1@jg.example.gov.cn"}}),
    )
    .await;
}

fn money(v: &Value) -> rust_decimal::Decimal {
    v.as_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn one_event_matching_general_rows_5_and_6_is_charged_60_percent_once() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let contract = beijing(&app, &w, "bj-lease").await;
    let b = record(&app, &w, event(&w, general(&[5, 6]))).await;
    // Row 5 = 30 %, row 6 = 60 %: charged once, at the heavier:
    // 100,000.00 × 60 % = 60,000.00 (not 30,000.00 + 60,000.00).
    assert_eq!(money(&b["penalty"]), "60000".parse().unwrap());
    assert_eq!(b["chargedRow"]["table"], "general");
    assert_eq!(b["chargedRow"]["number"], 6);
    assert_eq!(
        money(&b["chargedRow"]["coefficient"]),
        "0.6".parse().unwrap()
    );
    assert!(
        b["basis"]
            .as_str()
            .unwrap()
            .contains("月服务费 ¥100,000.00 × 60 % = ¥60,000.00"),
        "{}",
        b["basis"]
    );
    assert_eq!(b["matchedRows"].as_array().unwrap().len(), 2);
    // Recorded by a supervisor: confirmed at once, its notice issued.
    assert_eq!(b["status"], "CONFIRMED");
    assert_eq!(b["source"], "RECORDED");
    assert_eq!(b["kind"], "RECORDED");
    assert_eq!(b["period"], "2024-03");
    assert_eq!(b["contract"]["id"], contract.as_str());
    assert_eq!(b["system"]["id"], w.one.system.as_str());
    assert_eq!(b["termsCode"], "bj-lease");
    assert_eq!(b["notice"]["kind"], "BREACH");
    app.deliver_pending_mail().await;
}

#[tokio::test]
async fn a_shanghai_complaint_letter_is_charged_100000_fixed() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    give_terms(&app, &w.two.region, "sh-paas").await;
    sign(&app, &w, &w.two.region, &w.two.vendor).await;
    let input = json!({"regionId": w.two.region, "vendorId": w.two.vendor,
        "occurredAt": "2024-06-01T09:00:00+08:00", "description": "使用单位来函投诉",
        "rows": [{"table": "paas", "number": 1}]});
    let b = app
        .must(&w.admin, &record_query(), json!({"i": input}))
        .await["recordBreach"]
        .clone();
    // Seed 003 §1.2 row 1: 10 万元/次 = 100,000.00 fixed, whatever the monthly fee.
    assert_eq!(money(&b["penalty"]), "100000".parse().unwrap());
    assert_eq!(
        money(&b["chargedRow"]["fixedAmount"]),
        "100000".parse().unwrap()
    );
    assert!(b["chargedRow"]["coefficient"].is_null());
    app.deliver_pending_mail().await;
}

/// bj-sla: N = 2, penalty 合同金额 × 100 %. The second B-level confirmation
/// alerts R1's supervisors (sup1) over SMTP: 1,200,000.00 × 100 % =
/// ¥1,200,000.00; the first does not. The vendor's contact gets the
/// rectification notice of each, naming the row, the penalty (100,000.00 ×
/// 30 % = 30,000.00) and the breach's page.
#[tokio::test]
async fn under_bj_sla_the_second_b_level_confirmation_alerts() {
    let smtp = SmtpServer::start(scratch_dir("breach-alert")).await;
    let app = spawn_app_with(|c| {
        c.mail.smtp_url = Some(format!("smtp://127.0.0.1:{}", smtp.port));
        c.mail.public_url = "https://yun.example.gov.cn/jg".to_owned();
    })
    .await;
    let w = world::build(&app).await;
    supervisor_email(&app, &w).await;
    beijing(&app, &w, "bj-sla").await;
    let first = major(&app, &w, "B").await;
    app.deliver_pending_mail().await;
    let arrived = smtp.arrived();
    assert_eq!(arrived.len(), 1, "the vendor's notice only");
    assert_eq!(arrived[0].envelope_to, "ops1@v.example.cn");
    let id = first["id"].as_str().unwrap();
    for expected in [
        "¥30,000.00".to_owned(),
        "月服务费 ¥100,000.00 × 30 % = ¥30,000.00".to_owned(),
        format!("https://yun.example.gov.cn/jg/breaches/{id}"),
    ] {
        assert!(
            arrived[0].body.contains(&expected),
            "{expected} in {}",
            arrived[0].body
        );
    }
    major(&app, &w, "B").await;
    app.deliver_pending_mail().await;
    let arrived = smtp.arrived();
    let alert: Vec<_> = arrived
        .iter()
        .filter(|m| m.subject.starts_with("重大事件：使用单位有权解除合同"))
        .collect();
    assert_eq!(alert.len(), 1);
    assert_eq!(alert[0].envelope_to, "sup1@jg.example.gov.cn");
    assert!(
        alert[0].body.contains("B 级重大事件 2 次"),
        "{}",
        alert[0].body
    );
    assert!(alert[0].body.contains("¥1,200,000.00"), "{}", alert[0].body);
}

/// bj-lease: N = 3. The second B-level confirmation does not alert, the
/// third does, with 1,200,000.00 × 5 % = 60,000.00.
#[tokio::test]
async fn under_bj_lease_the_third_b_level_confirmation_alerts_not_the_second() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    supervisor_email(&app, &w).await;
    beijing(&app, &w, "bj-lease").await;
    major(&app, &w, "B").await;
    major(&app, &w, "B").await;
    assert!(alerts(&app).await.is_empty());
    major(&app, &w, "B").await;
    assert_eq!(alerts(&app).await.len(), 1);
    app.deliver_pending_mail().await;
}

#[tokio::test]
async fn an_a_level_event_alerts_at_once() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    supervisor_email(&app, &w).await;
    beijing(&app, &w, "bj-lease").await;
    // A-level count 1 in every seed: the first gives the right.
    major(&app, &w, "A").await;
    assert_eq!(alerts(&app).await.len(), 1);
    app.deliver_pending_mail().await;
}

#[tokio::test]
async fn dismissing_needs_a_reason() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let contract = beijing(&app, &w, "bj-lease").await;
    let id = propose(&app, &w, Some(&contract), &w.one.vendor).await;
    let q = "mutation($id: ID!, $r: String!) { dismissBreach(id: $id, reason: $r) { status decisionReason penalty } }";
    let refused = app
        .gql(Some(&w.supervisor), q, json!({"id": id, "r": "  "}))
        .await;
    let (code, message) = refused.error();
    assert_eq!(code, "BAD_USER_INPUT");
    assert!(message.starts_with("reason:"), "{message}");
    let dismissed = app
        .must(&w.supervisor, q, json!({"id": id, "r": "停机为计划内维护"}))
        .await;
    assert_eq!(dismissed["dismissBreach"]["status"], "DISMISSED");
    assert_eq!(
        dismissed["dismissBreach"]["decisionReason"],
        "停机为计划内维护"
    );
}

#[tokio::test]
async fn confirming_recharges_under_the_terms_and_twice_is_a_conflict() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let contract = beijing(&app, &w, "bj-lease").await;
    let id = propose(&app, &w, Some(&contract), &w.one.vendor).await;
    let q = "mutation($id: ID!) { confirmBreach(id: $id) { status penalty notice { kind } } }";
    let confirmed = app.must(&w.supervisor, q, json!({"id": id})).await;
    // Recharged, not the placeholder 1.00: row 5, 100,000.00 × 30 % = 30,000.00.
    assert_eq!(confirmed["confirmBreach"]["status"], "CONFIRMED");
    assert_eq!(
        money(&confirmed["confirmBreach"]["penalty"]),
        "30000".parse().unwrap()
    );
    assert_eq!(confirmed["confirmBreach"]["notice"]["kind"], "BREACH");
    let again = app.gql(Some(&w.supervisor), q, json!({"id": id})).await;
    assert_eq!(again.error().0, "CONFLICT");
    app.deliver_pending_mail().await;
}

#[tokio::test]
async fn a_vendor_answers_its_own_once_and_cannot_see_or_answer_another_s() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    beijing(&app, &w, "bj-lease").await;
    let own = record(&app, &w, event(&w, general(&[5]))).await;
    let own = own["id"].as_str().unwrap();
    let q = "mutation($id: ID!, $a: BreachAnswer!, $r: String) { answerBreach(id: $id, answer: $a, reason: $r) { vendorAnswer vendorAnswerReason } }";
    let bare = app
        .gql(Some(&w.vendor), q, json!({"id": own, "a": "DISPUTED"}))
        .await;
    assert!(bare.error().1.starts_with("reason:"), "{:?}", bare.error());
    let answered = app
        .must(
            &w.vendor,
            q,
            json!({"id": own, "a": "DISPUTED", "r": "宕机由使用单位误操作导致"}),
        )
        .await;
    assert_eq!(answered["answerBreach"]["vendorAnswer"], "DISPUTED");
    let twice = app
        .gql(Some(&w.vendor), q, json!({"id": own, "a": "ACCEPTED"}))
        .await;
    assert_eq!(twice.error().0, "CONFLICT");
    // A supervisor does not answer for the vendor.
    let sup = app
        .gql(Some(&w.supervisor), q, json!({"id": own, "a": "ACCEPTED"}))
        .await;
    assert_eq!(sup.error().0, "FORBIDDEN");

    // V2's confirmed breach (written as the register holds it): V1 cannot
    // read it nor answer it, exactly as if it did not exist.
    let theirs = propose(&app, &w, None, &w.two.vendor).await;
    let db = Database::connect(&app.database_url).await.unwrap();
    entities::breach::Entity::update_many()
        .col_expr(entities::breach::Column::Status, Expr::value("CONFIRMED"))
        .filter(entities::breach::Column::Id.eq(theirs.parse::<i64>().unwrap()))
        .exec(&db)
        .await
        .unwrap();
    let _ = db.close().await;
    let read = app
        .gql(
            Some(&w.vendor),
            "query($id: ID!) { breach(id: $id) { id } }",
            json!({"id": theirs}),
        )
        .await;
    assert_eq!(read.error().0, "NOT_FOUND");
    let answer = app
        .gql(Some(&w.vendor), q, json!({"id": theirs, "a": "ACCEPTED"}))
        .await;
    assert_eq!(answer.error().0, "NOT_FOUND");
    let listed = app
        .must(
            &w.vendor,
            "{ breaches { total items { id vendorAnswer } } }",
            json!({}),
        )
        .await;
    assert_eq!(listed["breaches"]["total"], 1, "its own only");
    app.deliver_pending_mail().await;
}

#[tokio::test]
async fn a_vendor_does_not_see_proposals_and_an_agency_sees_none() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let contract = beijing(&app, &w, "bj-lease").await;
    let id = propose(&app, &w, Some(&contract), &w.one.vendor).await;
    let list = "{ breaches(filter: { status: PROPOSED }) { total } }";
    assert_eq!(
        app.must(&w.supervisor, list, json!({})).await["breaches"]["total"],
        1
    );
    assert_eq!(
        app.must(&w.vendor, list, json!({})).await["breaches"]["total"],
        0
    );
    let read = app
        .gql(
            Some(&w.vendor),
            "query($id: ID!) { breach(id: $id) { id } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(read.error().0, "NOT_FOUND");
    let agency = app.gql(Some(&w.agency), list, json!({})).await;
    assert!(!agency.errors().is_empty() || agency.data()["breaches"]["total"] == 0);
}

#[tokio::test]
async fn security_rectification_late_is_5_percent_of_the_amount() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    beijing(&app, &w, "bj-lease").await;
    let mut input = event(&w, json!([]));
    input["securityRectificationLate"] = json!(true);
    input["description"] = json!("安全漏洞整改逾期未完成");
    let b = record(&app, &w, input).await;
    // Seed 002 §13.6: 1,200,000.00 × 5 % = 60,000.00.
    assert_eq!(money(&b["penalty"]), "60000".parse().unwrap());
    assert_eq!(b["chargedRow"]["table"], "security_rectification_late");
    assert_eq!(
        money(&b["chargedRow"]["coefficient"]),
        "0.05".parse().unwrap()
    );
    app.deliver_pending_mail().await;
}

#[tokio::test]
async fn recording_is_refused_without_terms_or_with_a_row_they_lack() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    sign(&app, &w, &w.one.region, &w.one.vendor).await;
    let q = record_query();
    // R1 names no terms (nor does the contract): nothing to charge under.
    let none = app
        .gql(
            Some(&w.supervisor),
            &q,
            json!({"i": event(&w, general(&[5]))}),
        )
        .await;
    assert!(
        none.error().1.starts_with("input.rows:"),
        "{:?}",
        none.error()
    );
    give_terms(&app, &w.one.region, "bj-lease").await;
    // The general table has 13 rows: no row 14.
    let missing = app
        .gql(
            Some(&w.supervisor),
            &q,
            json!({"i": event(&w, general(&[14]))}),
        )
        .await;
    assert!(
        missing.error().1.contains("general 表第 14 行"),
        "{:?}",
        missing.error()
    );
    // A vendor does not record breaches.
    let vendor = app
        .gql(Some(&w.vendor), &q, json!({"i": event(&w, general(&[5]))}))
        .await;
    assert_eq!(vendor.error().0, "FORBIDDEN");
}
