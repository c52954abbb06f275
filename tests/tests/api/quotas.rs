//! Quotas (issue 16 item 2, spec §6; seed 004 §5): a system's quota of a
//! catalogue item applied for and approved by the region's supervisor;
//! delivered within 5 working days of the three-party agreement; an
//! expansion may bring the item to at most 120 % of its quota (refused
//! beyond, with the figures); a reclaim lowers use, not the quota. The vendor
//! and the agency read their own only.

use e2e::{TestApp, id_of, spawn_app};
use serde_json::{Value, json};

use crate::world::{self, World};

const ITEM: &str =
    "mutation($i: CreateCatalogueItemInput!) { createCatalogueItem(input: $i) { id } }";
pub const APPLY: &str = "mutation($i: ApplyQuotaInput!) { applyQuota(input: $i) { id status quantity isTest testMonths } }";
pub const APPROVE: &str =
    "mutation($id: ID!) { approveQuota(id: $id) { id status approvedById approvedAt } }";
const REJECT: &str =
    "mutation($id: ID!, $r: String!) { rejectQuota(id: $id, reason: $r) { id status approvedAt } }";
const DELIVERY: &str =
    "mutation($id: ID!, $i: QuotaDeliveryInput!) { recordQuotaDelivery(id: $id, input: $i) {
    status delivery { agreementOn dueOn deliveredOn daysLate } } }";
pub const CHANGE: &str = "mutation($q: ID!, $i: QuotaChangeInput!) { requestQuotaChange(quotaId: $q, input: $i) { id kind quantity status } }";
pub const APPROVE_CHANGE: &str =
    "mutation($id: ID!) { approveQuotaChange(id: $id) { id status decidedById } }";
const REFUSE_CHANGE: &str = "mutation($id: ID!, $r: String!) { refuseQuotaChange(id: $id, reason: $r) { id status decisionReason } }";
const FIGURES: &str =
    "query($id: ID!) { quota(id: $id) { figures { quota expanded reclaimed inUse approved limit }
    changes { kind quantity status } } }";

/// A catalogue item 云主机vCPU (code `Q-VCPU`), created by the admin.
pub async fn vcpu(app: &TestApp, w: &World) -> String {
    let input = json!({"code": "Q-VCPU", "category": "计算服务", "subCategory": "X86 云计算服务",
        "name": "云主机vCPU", "unit": "1 核", "priceUnit": "元/月"});
    id_of(
        &app.must(&w.admin, ITEM, json!({"i": input})).await,
        "createCatalogueItem",
    )
}

/// S1's approved quota of `quantity` of `item`, as R1's supervisor enters and
/// approves it; its id.
pub async fn approved_quota(app: &TestApp, w: &World, item: &str, quantity: &str) -> String {
    let input = json!({"i": {"systemId": w.one.system, "itemId": item, "quantity": quantity}});
    let quota = id_of(&app.must(&w.supervisor, APPLY, input).await, "applyQuota");
    app.must(&w.supervisor, APPROVE, json!({"id": quota})).await;
    quota
}

fn change(quota: &str, kind: &str, quantity: &str) -> Value {
    json!({"q": quota, "i": {"kind": kind, "quantity": quantity, "reason": "业务量增长"}})
}

async fn figures(app: &TestApp, w: &World, quota: &str) -> Value {
    app.must(&w.supervisor, FIGURES, json!({"id": quota})).await["quota"].clone()
}

fn dec(v: &Value) -> f64 {
    v.as_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn applying_and_approving_records_the_approver_and_instant() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let item = vcpu(&app, &w).await;
    let input = json!({"i": {"systemId": w.one.system, "itemId": item, "quantity": "100",
        "testMonths": 2, "note": "测试资源"}});
    let applied = app.must(&w.supervisor, APPLY, input).await["applyQuota"].clone();
    assert_eq!(applied["status"], "APPLIED");
    assert_eq!(applied["isTest"], true);
    assert_eq!(applied["testMonths"], 2);
    let approved = app
        .must(&w.supervisor, APPROVE, json!({"id": applied["id"]}))
        .await["approveQuota"]
        .clone();
    assert_eq!(approved["status"], "APPROVED");
    assert_eq!(
        approved["approvedById"],
        world::user_id(&app, &w, world::SUPERVISOR.0).await
    );
    assert!(approved["approvedAt"].is_string());
    // Decided once: a second approval is refused.
    let again = app
        .gql(Some(&w.supervisor), APPROVE, json!({"id": applied["id"]}))
        .await;
    assert_eq!(again.error().0, "BAD_USER_INPUT");
}

#[tokio::test]
async fn a_rejected_application_needs_a_reason_and_free_months_are_1_to_3() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let item = vcpu(&app, &w).await;
    let four =
        json!({"i": {"systemId": w.one.system, "itemId": item, "quantity": "10", "testMonths": 4}});
    let (code, message) = app.gql(Some(&w.supervisor), APPLY, four).await.error();
    assert_eq!(code, "BAD_USER_INPUT");
    assert!(message.contains("input.testMonths"), "{message}");
    let input = json!({"i": {"systemId": w.one.system, "itemId": item, "quantity": "10"}});
    let quota = id_of(&app.must(&w.supervisor, APPLY, input).await, "applyQuota");
    let blank = app
        .gql(Some(&w.supervisor), REJECT, json!({"id": quota, "r": " "}))
        .await;
    assert_eq!(blank.error().0, "BAD_USER_INPUT");
    let rejected = app
        .must(
            &w.supervisor,
            REJECT,
            json!({"id": quota, "r": "与现有资源重复"}),
        )
        .await;
    assert_eq!(rejected["rejectQuota"]["status"], "REJECTED");
}

#[tokio::test]
async fn expansion_to_120_percent_is_accepted_and_121_refused_with_the_figures() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let item = vcpu(&app, &w).await;
    let quota = approved_quota(&app, &w, &item, "100").await;
    // 100 + 21 = 121 > 100 × 120 % = 120: refused at the request, naming the figures.
    let (code, message) = app
        .gql(Some(&w.supervisor), CHANGE, change(&quota, "EXPAND", "21"))
        .await
        .error();
    assert_eq!(code, "BAD_USER_INPUT");
    assert!(message.contains("input.quantity"), "{message}");
    assert!(
        message.contains(
            "扩容申请不予通过：云主机vCPU扩容后总量 121，超过配额 100 的 120%（上限 120）"
        ),
        "{message}"
    );
    // 100 + 20 = 120 ≤ 120: accepted.
    let requested = app
        .must(&w.supervisor, CHANGE, change(&quota, "EXPAND", "20"))
        .await["requestQuotaChange"]
        .clone();
    assert_eq!(requested["status"], "REQUESTED");
    let approved = app
        .must(
            &w.supervisor,
            APPROVE_CHANGE,
            json!({"id": requested["id"]}),
        )
        .await;
    assert_eq!(approved["approveQuotaChange"]["status"], "APPROVED");
    let f = figures(&app, &w, &quota).await;
    // quota 100, expanded 20, in use 100 + 20 = 120, limit 100 × 1.2 = 120.
    assert_eq!(dec(&f["figures"]["quota"]), 100.0);
    assert_eq!(dec(&f["figures"]["inUse"]), 120.0);
    assert_eq!(dec(&f["figures"]["limit"]), 120.0);
    // One more vCPU: 120 + 1 = 121 > 120, refused.
    let more = app
        .gql(Some(&w.supervisor), CHANGE, change(&quota, "EXPAND", "1"))
        .await;
    assert!(more.error().1.contains("121"), "{}", more.error().1);
}

#[tokio::test]
async fn reclaiming_lowers_use_and_leaves_the_limit_unchanged() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let item = vcpu(&app, &w).await;
    let quota = approved_quota(&app, &w, &item, "100").await;
    let reclaim = app
        .must(&w.supervisor, CHANGE, change(&quota, "RECLAIM", "30"))
        .await["requestQuotaChange"]["id"]
        .clone();
    app.must(&w.supervisor, APPROVE_CHANGE, json!({"id": reclaim}))
        .await;
    let f = figures(&app, &w, &quota).await["figures"].clone();
    // 100 − 30 = 70 in use; the quota stays 100, so the limit stays 100 × 120 % = 120.
    assert_eq!(dec(&f["quota"]), 100.0);
    assert_eq!(dec(&f["inUse"]), 70.0);
    assert_eq!(dec(&f["limit"]), 120.0);
    // 70 + 50 = 120 ≤ 120 accepted; 70 + 51 = 121 refused.
    assert!(
        app.gql(Some(&w.supervisor), CHANGE, change(&quota, "EXPAND", "51"))
            .await
            .error()
            .1
            .contains("上限 120")
    );
    app.must(&w.supervisor, CHANGE, change(&quota, "EXPAND", "50"))
        .await;
    // Reclaiming more than is in use (70) is refused.
    let too_much = app
        .gql(Some(&w.supervisor), CHANGE, change(&quota, "RECLAIM", "71"))
        .await;
    assert!(
        too_much.error().1.contains("回收数量 71"),
        "{:?}",
        too_much.error()
    );
}

#[tokio::test]
async fn a_refused_change_keeps_its_reason_and_changes_nothing() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let item = vcpu(&app, &w).await;
    let quota = approved_quota(&app, &w, &item, "100").await;
    let id = app
        .must(&w.supervisor, CHANGE, change(&quota, "EXPAND", "10"))
        .await["requestQuotaChange"]["id"]
        .clone();
    let refused = app
        .must(
            &w.supervisor,
            REFUSE_CHANGE,
            json!({"id": id, "r": "资源利用率不足"}),
        )
        .await["refuseQuotaChange"]
        .clone();
    assert_eq!(refused["status"], "REFUSED");
    assert_eq!(refused["decisionReason"], "资源利用率不足");
    // Nothing approved: in use stays the quota, 100.
    assert_eq!(
        dec(&figures(&app, &w, &quota).await["figures"]["inUse"]),
        100.0
    );
}

#[tokio::test]
async fn delivery_is_due_5_working_days_after_the_agreement_across_national_day() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let item = vcpu(&app, &w).await;
    let quota = approved_quota(&app, &w, &item, "100").await;
    // Agreement Tue 30 Sep 2025; 1–8 Oct are 国庆节、中秋节 holidays; working
    // days Thu 9, Fri 10, Sat 11 (调休上班), Mon 13, Tue 14: due 14 Oct.
    let on_time = app
        .must(
            &w.supervisor,
            DELIVERY,
            json!({"id": quota, "i": {"agreementOn": "2025-09-30", "deliveredOn": "2025-10-14"}}),
        )
        .await["recordQuotaDelivery"]
        .clone();
    assert_eq!(on_time["status"], "DELIVERED");
    assert_eq!(on_time["delivery"]["dueOn"], "2025-10-14");
    assert_eq!(on_time["delivery"]["daysLate"], 0);
    // Delivered Fri 17 Oct: 17 − 14 = 3 days late (逾期 3 天).
    let late = app
        .must(
            &w.supervisor,
            DELIVERY,
            json!({"id": quota, "i": {"agreementOn": "2025-09-30", "deliveredOn": "2025-10-17"}}),
        )
        .await["recordQuotaDelivery"]
        .clone();
    assert_eq!(late["delivery"]["daysLate"], 3);
    // Delivered before the agreement: refused, naming the field.
    let before = app
        .gql(
            Some(&w.supervisor),
            DELIVERY,
            json!({"id": quota, "i": {"agreementOn": "2025-09-30", "deliveredOn": "2025-09-29"}}),
        )
        .await;
    assert!(before.error().1.contains("input.deliveredOn"));
}

#[tokio::test]
async fn the_vendor_and_the_agency_read_their_own_quotas_only_and_write_none() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let item = vcpu(&app, &w).await;
    let mine = approved_quota(&app, &w, &item, "100").await;
    // S2's quota (R2, V2, A2), entered by the admin.
    let input = json!({"i": {"systemId": w.two.system, "itemId": item, "quantity": "50"}});
    let theirs = id_of(&app.must(&w.admin, APPLY, input).await, "applyQuota");
    let list = "{ quotas { total items { id } } }";
    for token in [&w.vendor, &w.agency, &w.supervisor] {
        let seen = app.must(token, list, json!({})).await;
        assert_eq!(seen["quotas"]["total"], 1, "{seen}");
        assert_eq!(seen["quotas"]["items"][0]["id"], json!(mine));
    }
    // Another's quota is not found, exactly like a missing one.
    let one = "query($id: ID!) { quota(id: $id) { id } }";
    for token in [&w.vendor, &w.agency, &w.supervisor] {
        let answer = app.gql(Some(token), one, json!({"id": theirs})).await;
        assert_eq!(answer.error().0, "NOT_FOUND");
    }
    // Reading is not writing: the vendor may not approve or change its quota.
    let approve = app.gql(Some(&w.vendor), APPROVE, json!({"id": mine})).await;
    assert_eq!(approve.error().0, "FORBIDDEN");
    let expand = app
        .gql(Some(&w.agency), CHANGE, change(&mine, "EXPAND", "1"))
        .await;
    assert_eq!(expand.error().0, "FORBIDDEN");
    // R1's supervisor may not apply for R2's system.
    let other = json!({"i": {"systemId": w.two.system, "itemId": item, "quantity": "5"}});
    let answer = app.gql(Some(&w.supervisor), APPLY, other).await;
    assert!(answer.error().1.contains("input.systemId"));
}
