//! The unified work order (issue 16 item 1; seed 001 附件1-3, arts. 13–15):
//! the agency submits a part, the supervising body approves or rejects it,
//! the vendor delivers it within the part's working days — Beijing's terms:
//! part 1 in 3, part 2 in 1, parts 3–4 none; Shanghai's A1: 5 for every part —
//! and A1 counts each late part. Part 4 leaves exit duties: migration help
//! within the contract's days (45 under the SLA, seed 000; 10 under the
//! lease, seed 002) and the two erasure confirmations; an overdue duty raises
//! one notice. Calendar 2025: National Day 1–8 Oct off, Sun 28 Sep and Sat 11
//! Oct worked (调休); 端午 31 May–2 Jun off.

use chrono::Utc;
use e2e::{TestApp, id_of, spawn_app};
use serde_json::{Value, json};

use crate::world::{self, World};

const SUBMIT: &str = "mutation($i: SubmitWorkOrderPartInput!) { submitWorkOrderPart(input: $i) { id part status title } }";
const APPROVE: &str = "mutation($id: ID!, $at: DateTime) { approveWorkOrderPart(id: $id, at: $at) {
    id status receivedAt workingDays deadline standing workOrderId } }";
const REJECT: &str = "mutation($id: ID!, $r: String!) { rejectWorkOrderPart(id: $id, reason: $r) { status decisionReason } }";
const COMPLETE: &str =
    "mutation($id: ID!, $at: DateTime) { completeWorkOrderPart(id: $id, at: $at) {
    status completedAt workingDays deadline standing } }";
const TIMELINE: &str = "query($s: ID!) { workOrderTimeline(systemId: $s) { systemName
    parts { id part status workingDays deadline standing }
    exits { id migrationDays migrationDue migration erasureDue vendorErased vendorErasure agencyErased agencyErasure noticeIds } } }";
const EXIT_FIELDS: &str = "id migrationDays migrationRequestedAt migrationDue migration erasureDue
    vendorErased vendorErasure agencyErased agencyErasure";
const SET_TERMS: &str =
    "mutation($id: ID!, $i: UpdateRegionInput!) { updateRegion(id: $id, input: $i) { termsCode } }";

/// 第一部分 as the agency fills it.
pub fn onboarding_form() -> Value {
    json!({
        "parentBody": "市应急管理局", "cloudPlatform": "太极云", "deploymentNode": "北京市政务服务中心节点",
        "contact": {"name": "李四", "phone": "13800000000", "email": "lisi@a.example.gov.cn"},
        "priorApproval": "京财预〔2023〕12 号", "description": "危险化学品安全生产风险监测预警",
        "systemType": "业务生产系统", "grade": "三级", "runningTime": "7*24 小时",
        "serviceTargets": "企业与监管人员", "serviceScope": "全市", "network": "政务外网",
        "interconnections": ["与其他单位系统连接"], "networkNeed": "横向系统",
        "resources": [{"zone": "政务外网", "hosts": 4, "cpuCores": 32, "memoryGb": 128, "storageTb": "10"}]
    })
}

/// 第二部分.
pub fn go_live_form() -> Value {
    json!({
        "goLiveOn": "2025-11-12",
        "securityTests": [{"item": "漏洞扫描", "state": "已开展"}, {"item": "渗透测试", "state": "已计划开展"}],
        "hosts": [{"name": "app-01", "cpuCores": 8, "memoryGb": 32, "storageGb": 500, "hostType": "虚拟机"}],
        "networkServices": [{"item": "政务外网地址", "quantity": "2", "unit": "个"}]
    })
}

/// 第三部分.
pub fn change_form() -> Value {
    json!({"reason": "业务量增长", "currentService": "4 台云主机", "targetService": "6 台云主机",
        "plan": "分批扩容", "changeOn": "2025-11-20"})
}

/// 第四部分, leaving on `exit_on`.
pub fn exit_form(exit_on: &str) -> Value {
    json!({"exitType": "业务系统退出", "reason": "系统整合", "resourcesReleased": "4 台云主机、10 TB 存储",
        "exitOn": exit_on})
}

/// `code`'s terms for every contract of `region` (its contracts name none).
async fn terms(app: &TestApp, w: &World, region: &str, code: &str) {
    app.must(
        &w.admin,
        SET_TERMS,
        json!({"id": region, "i": {"termsCode": code}}),
    )
    .await;
}

/// A part submitted by `token` for `system` on `at`; its id.
async fn submit(
    app: &TestApp,
    token: &str,
    system: &str,
    part: &str,
    form: Value,
    at: &str,
) -> String {
    let input = json!({"i": {"systemId": system, "part": part, "form": form, "submittedAt": at}});
    id_of(&app.must(token, SUBMIT, input).await, "submitWorkOrderPart")
}

async fn approve(app: &TestApp, token: &str, part: &str, at: &str) -> Value {
    app.must(token, APPROVE, json!({"id": part, "at": at}))
        .await["approveWorkOrderPart"]
        .clone()
}

async fn complete(app: &TestApp, token: &str, part: &str, at: &str) -> Value {
    app.must(token, COMPLETE, json!({"id": part, "at": at}))
        .await["completeWorkOrderPart"]
        .clone()
}

/// A part of S1 submitted by the agency, approved by the supervisor at
/// `received` and delivered by the vendor at `done`: the delivery as shown.
async fn delivered(
    app: &TestApp,
    w: &World,
    part: &str,
    form: Value,
    received: &str,
    done: &str,
) -> Value {
    let id = submit(app, &w.agency, &w.one.system, part, form, received).await;
    approve(app, &w.supervisor, &id, received).await;
    complete(app, &w.vendor, &id, done).await
}

#[tokio::test]
async fn beijing_part_1_is_due_in_3_working_days_across_national_day() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    terms(&app, &w, &w.one.region, "bj-sla").await;
    // Received Tue 30 Sep 2025 15:00; 1–8 Oct off: Thu 9, Fri 10, Sat 11 Oct
    // (调休上班) are the 3 working days → due 11 Oct. Done 11 Oct 17:00: on time.
    let on_time = delivered(
        &app,
        &w,
        "ONBOARDING",
        onboarding_form(),
        "2025-09-30T15:00:00+08:00",
        "2025-10-11T17:00:00+08:00",
    )
    .await;
    assert_eq!(on_time["workingDays"], 3);
    assert_eq!(on_time["deadline"], "2025-10-11");
    assert_eq!(on_time["standing"], "ON_TIME");
    assert_eq!(on_time["status"], "COMPLETED");
    // The same day received, done Mon 13 Oct 09:00: after 11 Oct, late.
    let late = delivered(
        &app,
        &w,
        "ONBOARDING",
        onboarding_form(),
        "2025-09-30T15:00:00+08:00",
        "2025-10-13T09:00:00+08:00",
    )
    .await;
    assert_eq!(late["deadline"], "2025-10-11");
    assert_eq!(late["standing"], "LATE");
}

#[tokio::test]
async fn beijing_part_2_is_due_in_1_working_day() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    terms(&app, &w, &w.one.region, "bj-lease").await;
    // Received Fri 7 Nov 2025 18:00: the 1 working day is Mon 10 Nov. Done Tue
    // 11 Nov 09:00: late.
    let late = delivered(
        &app,
        &w,
        "GO_LIVE",
        go_live_form(),
        "2025-11-07T18:00:00+08:00",
        "2025-11-11T09:00:00+08:00",
    )
    .await;
    assert_eq!(late["workingDays"], 1);
    assert_eq!(late["deadline"], "2025-11-10");
    assert_eq!(late["standing"], "LATE");
}

#[tokio::test]
async fn beijing_parts_3_and_4_have_no_fixed_deadline() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    terms(&app, &w, &w.one.region, "bj-sla").await;
    // Art. 15: 按需在规定时间内完成 — no days: not assessed, never late.
    let change = submit(
        &app,
        &w.agency,
        &w.one.system,
        "CHANGE",
        change_form(),
        "2025-11-03T09:00:00+08:00",
    )
    .await;
    let approved = approve(&app, &w.supervisor, &change, "2025-11-03T10:00:00+08:00").await;
    assert_eq!(approved["workingDays"], Value::Null);
    assert_eq!(approved["deadline"], Value::Null);
    assert_eq!(approved["standing"], Value::Null);
    let exit = submit(
        &app,
        &w.agency,
        &w.one.system,
        "EXIT",
        exit_form("2025-12-01"),
        "2025-11-03T09:00:00+08:00",
    )
    .await;
    let approved = approve(&app, &w.supervisor, &exit, "2025-11-03T10:00:00+08:00").await;
    assert_eq!(approved["standing"], Value::Null);
}

const RUN: &str =
    "mutation($r: ID!, $p: String!) { runMonthlyAssessment(regionId: $r, period: $p) {
    results { scorecard { indicators { code score deductions { points reason } } } } } }";

#[tokio::test]
async fn shanghai_a1_counts_each_late_part_at_5_working_days() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    // R1 has no terms: the municipal scheme's A1, 5 working days, for every part.
    // Part 1 received Mon 2 Jun 2025 (端午, off; the day received never
    // counts): 3, 4, 5, 6, 9 Jun → due 9 Jun; done 12 Jun: late.
    let one = delivered(
        &app,
        &w,
        "ONBOARDING",
        onboarding_form(),
        "2025-06-02T09:00:00+08:00",
        "2025-06-12T10:00:00+08:00",
    )
    .await;
    assert_eq!(
        (one["workingDays"].clone(), one["deadline"].clone()),
        (json!(5), json!("2025-06-09"))
    );
    // Part 2 received Tue 10 Jun: 11, 12, 13, 16, 17 Jun → due 17 Jun; done 20 Jun: late.
    let two = delivered(
        &app,
        &w,
        "GO_LIVE",
        go_live_form(),
        "2025-06-10T09:00:00+08:00",
        "2025-06-20T10:00:00+08:00",
    )
    .await;
    assert_eq!(two["deadline"], "2025-06-17");
    // Part 3 received Mon 16 Jun: due Mon 23 Jun; done 18 Jun: on time.
    let three = delivered(
        &app,
        &w,
        "CHANGE",
        change_form(),
        "2025-06-16T09:00:00+08:00",
        "2025-06-18T10:00:00+08:00",
    )
    .await;
    assert_eq!(three["standing"], "ON_TIME");
    // A part submitted but not approved is nobody's delivery yet: not assessed.
    submit(
        &app,
        &w.agency,
        &w.one.system,
        "EXIT",
        exit_form("2025-06-30"),
        "2025-06-03T09:00:00+08:00",
    )
    .await;
    let run = app
        .must(
            &w.supervisor,
            RUN,
            json!({"r": w.one.region, "p": "2025-06"}),
        )
        .await;
    let indicators = run["runMonthlyAssessment"]["results"][0]["scorecard"]["indicators"]
        .as_array()
        .unwrap()
        .clone();
    let of = |code: &str| {
        indicators
            .iter()
            .find(|i| i["code"] == code)
            .cloned()
            .unwrap()
    };
    // A1: two late parts × 0.5 → 10 − 1 = 9.00.
    let a1 = of("A1");
    assert_eq!(a1["score"], "9.00");
    let reasons: Vec<&str> = a1["deductions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["reason"].as_str().unwrap())
        .collect();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(
        reasons.iter().any(|r| r.contains("第一部分：信息系统入云")),
        "{reasons:?}"
    );
    assert!(reasons.iter().any(|r| r.contains("第二部分：信息系统上线")));
    // A4 unchanged: the world's delivery without a work order (4 Mar 2025),
    // never rectified, still counts in June: 1 deduction of 1 point.
    let a4 = of("A4");
    assert_eq!(a4["deductions"].as_array().unwrap().len(), 1);
    assert_eq!(a4["deductions"][0]["points"], "1.00");
}

#[tokio::test]
async fn a_form_refusal_names_the_field_in_chinese() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let mut form = onboarding_form();
    form.as_object_mut().unwrap().remove("cloudPlatform");
    let input = json!({"i": {"systemId": w.one.system, "part": "ONBOARDING", "form": form}});
    let (code, message) = app.gql(Some(&w.agency), SUBMIT, input).await.error();
    assert_eq!(code, "BAD_USER_INPUT");
    assert!(message.starts_with("form.cloudPlatform:"), "{message}");
    assert!(message.contains("云平台为必填项"), "{message}");
    let mut form = onboarding_form();
    form["grade"] = json!("四级");
    let input = json!({"i": {"systemId": w.one.system, "part": "ONBOARDING", "form": form}});
    let (_, message) = app.gql(Some(&w.agency), SUBMIT, input).await.error();
    assert!(
        message.contains("信息系统定级情况只能选择：一级、二级、三级、未定级"),
        "{message}"
    );
    let mut form = go_live_form();
    form["hosts"] = json!([]);
    let input = json!({"i": {"systemId": w.one.system, "part": "GO_LIVE", "form": form}});
    let (_, message) = app.gql(Some(&w.agency), SUBMIT, input).await.error();
    assert!(message.starts_with("form.hosts:"), "{message}");
    assert!(message.contains("主机资源情况至少填写一行"), "{message}");
    // Nothing half-written: the system has no part.
    let timeline = app
        .must(&w.agency, TIMELINE, json!({"s": w.one.system}))
        .await;
    assert_eq!(timeline["workOrderTimeline"]["parts"], json!([]));
}

#[tokio::test]
async fn only_the_supervising_body_decides_and_the_agency_submits_for_its_own_systems() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let at = "2025-06-02T09:00:00+08:00";
    let input = |system: &str| json!({"i": {"systemId": system, "part": "CHANGE", "form": change_form(), "submittedAt": at}});
    // The agency of S1 submits for S1; S2 is another agency's: not found.
    let (code, message) = app
        .gql(Some(&w.agency), SUBMIT, input(&w.two.system))
        .await
        .error();
    assert_eq!(code, "BAD_USER_INPUT");
    assert!(message.starts_with("input.systemId:"), "{message}");
    // The vendor does not submit.
    let (code, _) = app
        .gql(Some(&w.vendor), SUBMIT, input(&w.one.system))
        .await
        .error();
    assert_eq!(code, "FORBIDDEN");
    let part = id_of(
        &app.must(&w.agency, SUBMIT, input(&w.one.system)).await,
        "submitWorkOrderPart",
    );
    // Neither the vendor nor the agency approves.
    for token in [&w.vendor, &w.agency] {
        let (code, _) = app
            .gql(Some(token), APPROVE, json!({"id": part}))
            .await
            .error();
        assert_eq!(code, "FORBIDDEN");
    }
    // The vendor cannot deliver what is not approved.
    let (code, message) = app
        .gql(Some(&w.vendor), COMPLETE, json!({"id": part}))
        .await
        .error();
    assert_eq!(code, "BAD_USER_INPUT", "{message}");
    // A rejection needs a reason; decided once.
    let blank = app
        .gql(Some(&w.supervisor), REJECT, json!({"id": part, "r": " "}))
        .await;
    assert_eq!(blank.error().0, "BAD_USER_INPUT");
    let rejected = app
        .must(
            &w.supervisor,
            REJECT,
            json!({"id": part, "r": "变更方案不完整"}),
        )
        .await;
    assert_eq!(rejected["rejectWorkOrderPart"]["status"], "REJECTED");
    let again = app
        .gql(Some(&w.supervisor), APPROVE, json!({"id": part}))
        .await;
    assert_eq!(again.error().0, "BAD_USER_INPUT");
    // An approval before the submission is refused.
    let part = id_of(
        &app.must(&w.agency, SUBMIT, input(&w.one.system)).await,
        "submitWorkOrderPart",
    );
    let early = app
        .gql(
            Some(&w.supervisor),
            APPROVE,
            json!({"id": part, "at": "2025-06-01T09:00:00+08:00"}),
        )
        .await;
    assert!(early.error().1.starts_with("at:"));
}

#[tokio::test]
async fn a_vendor_sees_and_delivers_only_its_own_systems_parts() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    // The admin submits and approves a part of S2 (V2, A2).
    let part = submit(
        &app,
        &w.admin,
        &w.two.system,
        "CHANGE",
        change_form(),
        "2025-06-02T09:00:00+08:00",
    )
    .await;
    approve(&app, &w.admin, &part, "2025-06-02T10:00:00+08:00").await;
    for token in [&w.vendor, &w.agency, &w.supervisor] {
        let (code, _) = app
            .gql(Some(token), TIMELINE, json!({"s": w.two.system}))
            .await
            .error();
        assert_eq!(code, "BAD_USER_INPUT");
        let (code, _) = app
            .gql(Some(token), COMPLETE, json!({"id": part}))
            .await
            .error();
        assert_eq!(code, "NOT_FOUND");
    }
    // S1's timeline: the vendor and the agency of S1 read it.
    for token in [&w.vendor, &w.agency] {
        let t = app.must(token, TIMELINE, json!({"s": w.one.system})).await;
        assert_eq!(t["workOrderTimeline"]["systemName"], "系统1");
    }
}

/// S of `side` leaves on `exit_on`: part 4 submitted and approved by the
/// admin; the exit's id.
async fn approved_exit(app: &TestApp, w: &World, system: &str, exit_on: &str) -> String {
    let part = submit(
        app,
        &w.admin,
        system,
        "EXIT",
        exit_form(exit_on),
        "2025-09-22T09:00:00+08:00",
    )
    .await;
    approve(app, &w.admin, &part, "2025-09-22T10:00:00+08:00").await;
    let t = app.must(&w.admin, TIMELINE, json!({"s": system})).await;
    t["workOrderTimeline"]["exits"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

const REQUEST_MIGRATION: &str =
    "mutation($e: ID!, $at: DateTime) { requestMigrationHelp(exitId: $e, at: $at) { FIELDS } }";
const COMPLETE_MIGRATION: &str =
    "mutation($e: ID!, $at: DateTime) { completeMigrationHelp(exitId: $e, at: $at) { FIELDS } }";
const CONFIRM: &str = "mutation($e: ID!, $x: Boolean!, $at: DateTime) { confirmErasure(exitId: $e, erased: $x, at: $at) { FIELDS } }";

fn exit_query(q: &str) -> String {
    q.replace("FIELDS", EXIT_FIELDS)
}

#[tokio::test]
async fn migration_help_is_due_45_days_under_the_sla_and_10_under_the_lease() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    terms(&app, &w, &w.one.region, "bj-sla").await;
    terms(&app, &w, &w.two.region, "bj-lease").await;
    let sla = approved_exit(&app, &w, &w.one.system, "2025-12-01").await;
    let lease = approved_exit(&app, &w, &w.two.system, "2025-12-01").await;
    let request = |exit: String| {
        let app = &app;
        let admin = w.admin.clone();
        async move {
            app.must(
                &admin,
                &exit_query(REQUEST_MIGRATION),
                json!({"e": exit, "at": "2025-09-25T10:00:00+08:00"}),
            )
            .await["requestMigrationHelp"]
                .clone()
        }
    };
    // Requested Thu 25 Sep 2025. SLA: day 45 is Sun 9 Nov, a day off → Mon
    // 10 Nov (民法典 第二百零三条).
    let s = request(sla).await;
    assert_eq!(s["migrationDays"], 45);
    assert_eq!(s["migrationDue"], "2025-11-10");
    // Lease: day 10 is Sun 5 Oct, inside the 1–8 Oct holiday → Thu 9 Oct.
    let l = request(lease.clone()).await;
    assert_eq!(l["migrationDays"], 10);
    assert_eq!(l["migrationDue"], "2025-10-09");
    // Done Fri 10 Oct: a day late.
    let done = app
        .must(
            &w.admin,
            &exit_query(COMPLETE_MIGRATION),
            json!({"e": lease, "at": "2025-10-10T16:00:00+08:00"}),
        )
        .await["completeMigrationHelp"]
        .clone();
    assert_eq!(done["migration"], "LATE");
}

#[tokio::test]
async fn the_vendor_and_the_agency_each_confirm_their_own_erasure() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    terms(&app, &w, &w.one.region, "bj-lease").await;
    // Both confirmations are due on the exit date, 20 Oct 2025 (no days set).
    let exit = approved_exit(&app, &w, &w.one.system, "2025-10-20").await;
    let confirm = |token: String, erased: bool| {
        let app = &app;
        let exit = exit.clone();
        async move {
            app.gql(
                Some(&token),
                &exit_query(CONFIRM),
                json!({"e": exit, "x": erased, "at": "2025-10-20T16:00:00+08:00"}),
            )
            .await
        }
    };
    let v = confirm(w.vendor.clone(), true).await;
    let v = v.ok()["confirmErasure"].clone();
    assert_eq!(v["erasureDue"], "2025-10-20");
    assert_eq!(
        (v["vendorErased"].clone(), v["vendorErasure"].clone()),
        (json!(true), json!("ON_TIME"))
    );
    // The agency answers 否 (not erased): its duty stays undone, and past 20 Oct
    // it is overdue.
    let a = confirm(w.agency.clone(), false).await;
    let a = a.ok()["confirmErasure"].clone();
    assert_eq!(
        (a["agencyErased"].clone(), a["agencyErasure"].clone()),
        (json!(false), json!("OVERDUE"))
    );
    // Nobody confirms for another party; a 是 is final.
    assert_eq!(
        confirm(w.supervisor.clone(), true).await.error().0,
        "FORBIDDEN"
    );
    assert_eq!(
        confirm(w.vendor.clone(), true).await.error().0,
        "BAD_USER_INPUT"
    );
}

#[tokio::test]
async fn overdue_exit_duties_raise_one_notice_each_once() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    terms(&app, &w, &w.one.region, "bj-lease").await;
    let exit = approved_exit(&app, &w, &w.one.system, "2025-10-20").await;
    // Migration requested Thu 25 Sep 2025 → due Thu 9 Oct (lease, 10 days);
    // never done. Neither party confirmed the erasure due 20 Oct. Today all
    // three are overdue: three notices, and none more on the next check.
    app.must(
        &w.agency,
        &exit_query(REQUEST_MIGRATION),
        json!({"e": exit, "at": "2025-09-25T10:00:00+08:00"}),
    )
    .await;
    let db = sea_orm::Database::connect(&app.database_url).await.unwrap();
    let check =
        || jobs::exit_duties::overdue_exit_duties(&db, jobs::mail::DEFAULT_PUBLIC_URL, Utc::now());
    assert_eq!(check().await.unwrap(), 3);
    assert_eq!(check().await.unwrap(), 0);
    let notices = app
        .must(
            &w.vendor,
            "{ notices { items { kind reason } } }",
            json!({}),
        )
        .await;
    let reasons: Vec<String> = notices["notices"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "EXIT_DUTY_OVERDUE")
        .map(|n| n["reason"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(reasons.len(), 3);
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("配合完成信息系统迁移应于 2025-10-09 前完成")),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("使用单位确认数据清除应于 2025-10-20 前完成")),
        "{reasons:?}"
    );
    let t = app
        .must(&w.supervisor, TIMELINE, json!({"s": w.one.system}))
        .await;
    assert_eq!(
        t["workOrderTimeline"]["exits"][0]["noticeIds"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    app.deliver_pending_mail().await;
}
