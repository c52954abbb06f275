//! Bad input is refused with a message naming the field and a stable code, and
//! nothing is half-written.

use e2e::spawn_app;
use serde_json::{Value, json};

use crate::world;

fn survey(side: &world::Side, q5: i64, q10: i64) -> Value {
    json!({"regionId": side.region, "vendorId": side.vendor, "agencyId": side.agency, "serviceYear": 2025,
           "q1": 4, "q2": 4, "q3": 4, "q4": 4, "q5": q5, "q6": 4, "q7": 4, "q8": 4, "q9": 4, "q10": q10,
           "respondentName": "王强", "respondentUnit": "信息中心", "respondentPhone": "021-6321 0001",
           "surveyingBody": "第三方监管团队", "surveyor": "李华", "surveyedOn": "2025-12-15"})
}

fn fault(side: &world::Side, occurred: &str, reported: &str, recovered: &str) -> Value {
    json!({"regionId": side.region, "vendorId": side.vendor, "title": "t", "impact": "UNUSABLE",
           "affectedSystemIds": [side.system], "occurredAt": occurred, "reportedAt": reported,
           "recoveredAt": recovered, "confirmed": true, "vendorLiable": true})
}

async fn count(app: &e2e::TestApp, token: &str, list: &str) -> i64 {
    app.must(token, &format!("{{ {list} {{ total }} }}"), json!({}))
        .await[list]["total"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn bad_input_is_refused_naming_the_field() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let s = &w.one;
    let survey_m =
        "mutation($i: CreateSurveyResponseInput!) { createSurveyResponse(input: $i) { id } }";
    let fault_m = "mutation($i: CreateFaultInput!) { createFault(input: $i) { id } }";
    let contract_m = "mutation($i: CreateContractInput!) { createContract(input: $i) { id } }";
    let user_m = "mutation($i: CreateUserInput!) { createUser(input: $i) { id } }";
    let wo_m = "mutation($i: CreateWorkOrderInput!) { createWorkOrder(input: $i) { id } }";
    let cases: Vec<(&str, &str, Value, &str)> = vec![
        (
            "a survey answer of 5",
            survey_m,
            survey(s, 5, 8),
            "input.q5",
        ),
        ("a Q10 of 3", survey_m, survey(s, 4, 3), "input.q10"),
        (
            "reported before it occurred",
            fault_m,
            fault(
                s,
                "2025-03-07T14:00:00+08:00",
                "2025-03-07T13:59:00+08:00",
                "2025-03-07T15:00:00+08:00",
            ),
            "input.reportedAt",
        ),
        (
            "recovered before it occurred",
            fault_m,
            fault(
                s,
                "2025-03-07T14:00:00+08:00",
                "2025-03-07T14:05:00+08:00",
                "2025-03-07T13:00:00+08:00",
            ),
            "input.recoveredAt",
        ),
        (
            "an unknown vendor id",
            contract_m,
            json!({"vendorId": "999999", "regionId": s.region, "serviceYear": 2026, "settlementAmount": "1", "monthlyFee": "1"}),
            "input.vendorId",
        ),
        (
            "a malformed id",
            contract_m,
            json!({"vendorId": "abc", "regionId": s.region, "serviceYear": 2026, "settlementAmount": "1", "monthlyFee": "1"}),
            "input.vendorId",
        ),
        (
            "a negative amount",
            contract_m,
            json!({"vendorId": s.vendor, "regionId": s.region, "serviceYear": 2026, "settlementAmount": "-5.00", "monthlyFee": "1"}),
            "input.settlementAmount",
        ),
        (
            "a duplicate contract",
            contract_m,
            json!({"vendorId": s.vendor, "regionId": s.region, "serviceYear": 2025, "settlementAmount": "1", "monthlyFee": "1"}),
            "input.vendorId, input.regionId, input.serviceYear",
        ),
        (
            "a duplicate username",
            user_m,
            json!({"username": world::VENDOR.0, "password": "Another-pass-1", "role": "VENDOR", "vendorId": s.vendor}),
            "input.username",
        ),
        (
            "a malformed date",
            wo_m,
            json!({"regionId": s.region, "vendorId": s.vendor, "title": "x", "approvedAt": "2025-13-45", "confirmed": true, "vendorLiable": true}),
            "approvedAt",
        ),
        (
            "a system of another vendor",
            wo_m,
            json!({"regionId": s.region, "vendorId": s.vendor, "systemId": w.two.system, "title": "x", "approvedAt": "2025-03-01T00:00:00+08:00", "confirmed": true, "vendorLiable": true}),
            "input.systemId",
        ),
    ];
    let lists = [
        "surveyResponses",
        "faults",
        "contracts",
        "users",
        "workOrders",
    ];
    let mut before = Vec::new();
    for list in lists {
        before.push(count(&app, &w.admin, list).await);
    }
    for (what, mutation, input, field) in cases {
        let answer = app
            .gql(Some(&w.admin), mutation, json!({ "i": input }))
            .await;
        let (code, message) = answer.error();
        assert_eq!(code, "BAD_USER_INPUT", "{what}: {}", answer.0);
        assert!(
            message.contains(field),
            "{what}: message {message:?} does not name {field}"
        );
    }
    for (list, was) in lists.iter().zip(before) {
        assert_eq!(
            count(&app, &w.admin, list).await,
            was,
            "{list}: nothing may be written by a refused request"
        );
    }
}

#[tokio::test]
async fn an_unknown_id_is_not_found() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let answer = app
        .gql(
            Some(&admin),
            "{ workOrder(id: \"424242\") { id } }",
            json!({}),
        )
        .await;
    assert_eq!(answer.error().0, "NOT_FOUND");
}
