//! A small world with two of everything, built through the API as the admin:
//! regions R1 and R2, vendors V1 and V2, agency A1 in R1 and A2 in R2, system S1
//! (R1, A1, V1) and S2 (R2, A2, V2), one fact of every kind for (R1, V1, A1) and
//! for (R2, V2, A2), and one user per role bound to the "1" side.

use e2e::{TestApp, id_of};
use serde_json::{Value, json};

pub struct Side {
    pub region: String,
    pub vendor: String,
    pub agency: String,
    pub system: String,
    /// list field name → id of this side's record
    pub facts: Vec<(&'static str, String)>,
}

pub struct World {
    pub admin: String,
    pub supervisor: String,
    pub vendor: String,
    pub agency: String,
    pub one: Side,
    pub two: Side,
}

pub const SUPERVISOR: (&str, &str) = ("sup1", "Supervisor-pass-1");
pub const VENDOR: (&str, &str) = ("vendor1", "Vendor-pass-1");
pub const AGENCY: (&str, &str) = ("agency1", "Agency-pass-1");

/// (list field, create mutation, input without region/vendor/agency)
pub fn fact_kinds() -> Vec<(&'static str, &'static str, Value)> {
    vec![
        (
            "workOrders",
            "createWorkOrder",
            json!({"title": "扩容", "approvedAt": "2025-03-03T09:00:00+08:00", "confirmed": true, "vendorLiable": true}),
        ),
        (
            "unticketedDeliveries",
            "createUnticketedDelivery",
            json!({"description": "无工单开通", "occurredAt": "2025-03-04T09:00:00+08:00", "confirmed": true, "vendorLiable": true}),
        ),
        (
            "serviceTasks",
            "createServiceTask",
            json!({"title": "巡检", "plannedAt": "2025-03-20T18:00:00+08:00", "confirmed": true, "vendorLiable": true}),
        ),
        (
            "attendances",
            "createAttendance",
            json!({"period": "2025-03", "requiredHours": "528", "actualHours": "500.5"}),
        ),
        (
            "complaints",
            "createComplaint",
            json!({"channel": "LETTER", "description": "延误", "receivedAt": "2025-03-05T10:00:00+08:00", "confirmed": true, "vendorLiable": true}),
        ),
        (
            "outages",
            "createOutage",
            json!({"service": "ECS", "description": "中断", "startedAt": "2025-03-06T01:00:00+08:00", "endedAt": "2025-03-06T01:10:00+08:00", "confirmed": true, "vendorLiable": true}),
        ),
        (
            "faults",
            "createFault",
            json!({"title": "卡顿", "impact": "DEGRADED", "occurredAt": "2025-03-07T14:00:00+08:00", "reportedAt": "2025-03-07T14:20:00+08:00", "recoveredAt": "2025-03-07T15:00:00+08:00", "confirmed": true, "vendorLiable": true}),
        ),
        (
            "changes",
            "createChange",
            json!({"title": "升级", "submittedAt": "2025-03-01T09:00:00+08:00", "plannedAt": "2025-03-08T22:00:00+08:00", "confirmed": true, "vendorLiable": true}),
        ),
        (
            "violations",
            "createViolation",
            json!({"description": "违规", "occurredAt": "2025-03-09T16:00:00+08:00", "confirmed": true, "vendorLiable": true}),
        ),
        (
            "trainings",
            "createTraining",
            json!({"title": "培训", "heldAt": "2025-03-10T14:00:00+08:00", "attendees": 12, "evidence": ["SIGN_IN"]}),
        ),
        (
            "securityRisks",
            "createSecurityRisk",
            json!({"kind": "VULNERABILITY", "description": "漏洞", "foundAt": "2025-03-11T10:00:00+08:00", "deadline": "2025-04-10", "confirmed": true, "vendorLiable": true}),
        ),
        (
            "securityAccidents",
            "createSecurityAccident",
            json!({"description": "事故", "occurredAt": "2025-03-12T03:00:00+08:00", "level": 5, "confirmed": true, "vendorLiable": true}),
        ),
        (
            "surveyResponses",
            "createSurveyResponse",
            json!({"serviceYear": 2025, "q1": 4, "q2": 4, "q3": 3, "q4": 4, "q5": 4, "q6": 3, "q7": 4, "q8": 4, "q9": 4, "q10": 8,
                   "respondentName": "张敏", "respondentUnit": "信息中心", "respondentPhone": "021-6321 0000",
                   "surveyingBody": "第三方监管团队", "surveyor": "李华", "surveyedOn": "2025-12-15",
                   "suggestions": "希望缩短资源交付时间"}),
        ),
    ]
}

/// The fact kinds that carry an agency.
pub fn has_agency(list: &str) -> bool {
    matches!(list, "workOrders" | "complaints" | "surveyResponses")
}

/// The GraphQL input type of a create mutation: `createWorkOrder` → `CreateWorkOrderInput`.
pub fn input_type(mutation: &str) -> String {
    let mut s = mutation.to_owned();
    s.replace_range(0..1, "C");
    format!("{s}Input")
}

async fn side(app: &TestApp, admin: &str, n: u32) -> Side {
    let q = |m: &str, t: &str| format!("mutation($i: {t}!) {{ {m}(input: $i) {{ id }} }}");
    let region = id_of(&app.must(admin, &q("createRegion", "CreateRegionInput"), json!({"i": {"code": format!("R{n}"), "name": format!("区{n}"), "schemeCode": "sh-municipal"}})).await, "createRegion");
    let vendor = id_of(&app.must(admin, &q("createVendor", "CreateVendorInput"), json!({"i": {"code": format!("V{n}"), "name": format!("云{n}"), "contactEmails": [format!("ops{n}@v.example.cn")]}})).await, "createVendor");
    app.must(admin, &q("createContract", "CreateContractInput"), json!({"i": {"vendorId": vendor, "regionId": region, "serviceYear": 2025, "settlementAmount": "1105728.00", "monthlyFee": "92144.00"}})).await;
    let agency = id_of(
        &app.must(
            admin,
            &q("createAgency", "CreateAgencyInput"),
            json!({"i": {"regionId": region, "name": format!("单位{n}")}}),
        )
        .await,
        "createAgency",
    );
    let system = id_of(&app.must(admin, &q("createInformationSystem", "CreateInformationSystemInput"), json!({"i": {"regionId": region, "agencyId": agency, "vendorId": vendor, "name": format!("系统{n}"), "class": "B", "protectionLevel": 3, "onlineOn": "2024-01-01"}})).await, "createInformationSystem");
    let mut facts = Vec::new();
    for (list, mutation, mut input) in fact_kinds() {
        input["regionId"] = json!(region);
        input["vendorId"] = json!(vendor);
        if has_agency(list) {
            input["agencyId"] = json!(agency);
        }
        if list == "faults" {
            input["affectedSystemIds"] = json!([system]);
        }
        let data = app
            .must(
                admin,
                &q(mutation, &input_type(mutation)),
                json!({ "i": input }),
            )
            .await;
        facts.push((list, id_of(&data, mutation)));
    }
    Side {
        region,
        vendor,
        agency,
        system,
        facts,
    }
}

pub async fn build(app: &TestApp) -> World {
    let admin = app.admin().await;
    let one = side(app, &admin, 1).await;
    let two = side(app, &admin, 2).await;
    let user = "mutation($i: CreateUserInput!) { createUser(input: $i) { id } }";
    for (name, pass, role, binding) in [
        (
            SUPERVISOR.0,
            SUPERVISOR.1,
            "SUPERVISOR",
            ("regionId", &one.region),
        ),
        (VENDOR.0, VENDOR.1, "VENDOR", ("vendorId", &one.vendor)),
        (AGENCY.0, AGENCY.1, "AGENCY", ("agencyId", &one.agency)),
    ] {
        let mut input = json!({"username": name, "password": pass, "role": role});
        input[binding.0] = json!(binding.1);
        app.must(&admin, user, json!({ "i": input })).await;
    }
    World {
        supervisor: app.login(SUPERVISOR.0, SUPERVISOR.1).await,
        vendor: app.login(VENDOR.0, VENDOR.1).await,
        agency: app.login(AGENCY.0, AGENCY.1).await,
        admin,
        one,
        two,
    }
}

/// Two liable complaints against V1 in April and two in May 2025 (C1 10 −
/// 2 × 5 = 0): with A4's point, 89 < 90 in each month (flow.rs).
pub async fn fail_april_and_may(app: &TestApp, w: &World) {
    let complaint = "mutation($i: CreateComplaintInput!) { createComplaint(input: $i) { id } }";
    for day in ["2025-04-08", "2025-04-09", "2025-05-12", "2025-05-13"] {
        let input = json!({"regionId": w.one.region, "vendorId": w.one.vendor, "channel": "LETTER", "description": "服务中断",
            "receivedAt": format!("{day}T10:00:00+08:00"), "confirmed": true, "vendorLiable": true});
        app.must(&w.supervisor, complaint, json!({"i": input}))
            .await;
    }
}

/// Runs R1's month `period` as the supervisor and publishes the run.
pub async fn publish_month(app: &TestApp, w: &World, period: &str) {
    let run = app
        .must(
            &w.supervisor,
            "mutation($r: ID!, $p: String!) { runMonthlyAssessment(regionId: $r, period: $p) { id } }",
            json!({"r": w.one.region, "p": period}),
        )
        .await["runMonthlyAssessment"]["id"]
        .clone();
    app.must(
        &w.supervisor,
        "mutation($id: ID!) { publishAssessmentRun(runId: $id) { id } }",
        json!({"id": run}),
    )
    .await;
}

/// The vendor's notice of `kind` (e.g. `ANNUAL_PENALTY`), as its vendor
/// user lists it; a test that expects one fails when there is none.
pub async fn vendor_notice(app: &TestApp, w: &World, kind: &str) -> Value {
    let notices = app
        .must(
            &w.vendor,
            "{ notices { items { kind reason } } }",
            json!({}),
        )
        .await;
    notices["notices"]["items"]
        .as_array()
        .expect("a list of notices")
        .iter()
        .find(|n| n["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} notice in {notices}"))
        .clone()
}

/// Runs and publishes every month of 2025 in R1, as the supervisor would over
/// the year: the annual preview and run blend the published months.
pub async fn publish_2025(app: &TestApp, w: &World) {
    for month in 1..=12 {
        publish_month(app, w, &format!("2025-{month:02}")).await;
    }
}

/// The world, plus V3 in R1 with a 2025 contract and one liable complaint on
/// 14 March 2025; returns V3's id.
pub async fn with_second_vendor(app: &TestApp, w: &World) -> String {
    let q = |m: &str, t: &str| format!("mutation($i: {t}!) {{ {m}(input: $i) {{ id }} }}");
    let v3 = id_of(
        &app.must(
            &w.admin,
            &q("createVendor", "CreateVendorInput"),
            json!({"i": {"code": "V3", "name": "云3", "contactEmails": ["ops3@v.example.cn"]}}),
        )
        .await,
        "createVendor",
    );
    let contract = json!({"vendorId": v3, "regionId": w.one.region, "serviceYear": 2025, "settlementAmount": "500000.00", "monthlyFee": "41666.67"});
    app.must(
        &w.admin,
        &q("createContract", "CreateContractInput"),
        json!({"i": contract}),
    )
    .await;
    let complaint = json!({"regionId": w.one.region, "vendorId": v3, "agencyId": w.one.agency, "channel": "LETTER",
        "description": "响应慢", "receivedAt": "2025-03-14T10:00:00+08:00", "confirmed": true, "vendorLiable": true});
    app.must(
        &w.admin,
        &q("createComplaint", "CreateComplaintInput"),
        json!({"i": complaint}),
    )
    .await;
    v3
}

/// The id of the user `username`, as the admin lists users.
pub async fn user_id(app: &TestApp, w: &World, username: &str) -> Value {
    let users = app
        .must(&w.admin, "{ users { items { id username } } }", json!({}))
        .await;
    users["users"]["items"]
        .as_array()
        .expect("a list of users")
        .iter()
        .find(|u| u["username"] == username)
        .unwrap_or_else(|| panic!("no user {username} in {users}"))["id"]
        .clone()
}

/// sup1 gets an e-mail (`sup1@jg.example.gov.cn`), so a submission is
/// mailed to it.
pub async fn set_supervisor_email(app: &TestApp, w: &World) {
    let sup1 = user_id(app, w, SUPERVISOR.0).await;
    app.must(
        &w.admin,
        "mutation($id: ID!, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { email } }",
        json!({"id": sup1, "i": {"email": "sup1@jg.example.gov.cn"}}),
    )
    .await;
}
