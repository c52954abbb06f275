//! The fact pages (issue 13, item 2): a supervisor records and edits facts
//! through forms that pick vendors and systems by name and take Beijing
//! time; a refused form says why next to the field and writes nothing; the
//! lists filter by vendor, month, status and text; every kind has its form.

use chrono::{DateTime, Utc};
use e2e::console::{ConsoleUser, Page};
use e2e::{TestApp, id_of, spawn_app};
use reqwest::StatusCode;
use serde_json::json;

use crate::world::{self, SUPERVISOR, VENDOR, World};

/// The value of the `<option>` named `name` (a picker offers names; the
/// form sends the row's id behind it).
fn option_value(body: &str, name: &str) -> String {
    let end = body
        .find(&format!(">{name}</option>"))
        .unwrap_or_else(|| panic!("no option {name}"));
    let start = body[..end].rfind("value=\"").expect("an option's value") + "value=\"".len();
    body[start..].split('"').next().unwrap().to_owned()
}

/// The id of side one's fact of a list field (`workOrders`).
fn fact_of(w: &World, list: &str) -> String {
    w.one
        .facts
        .iter()
        .find(|(l, _)| *l == list)
        .map(|(_, id)| id.clone())
        .expect("a fact of the kind")
}

async fn work_orders_total(app: &TestApp, w: &World) -> u64 {
    app.must(&w.admin, "{ workOrders { total } }", json!({}))
        .await["workOrders"]["total"]
        .as_u64()
        .expect("a total")
}

/// The new work order form as side one's supervisor, and its pickers' ids.
async fn new_work_order(user: &mut ConsoleUser) -> (Page, [String; 4]) {
    let page = user.get("/facts/work-orders/new").await;
    assert_eq!(page.status, StatusCode::OK);
    let ids = ["区1", "云1", "单位1", "系统1"].map(|name| option_value(&page.body, name));
    (page, ids)
}

/// A work order's fields as the form posts them.
fn work_order<'a>(
    [region, vendor, agency, system]: &'a [String; 4],
    title: &'a str,
    approved: &'a str,
    completed: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("regionId", region),
        ("vendorId", vendor),
        ("agencyId", agency),
        ("systemId", system),
        ("title", title),
        ("approvedAt", approved),
        ("completedAt", completed),
        ("confirmed", "on"),
        ("vendorLiable", "on"),
    ]
}

#[tokio::test]
async fn a_supervisor_records_a_work_order_picked_by_name_in_beijing_time() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let mut sup = ConsoleUser::sign_in(&app, SUPERVISOR.0, SUPERVISOR.1).await;
    let (_, ids) = new_work_order(&mut sup).await;
    let fields = work_order(&ids, "数据库扩容", "2025-03-10T09:30", "");
    let saved = sup.post("/facts/work-orders/new", &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let location = saved.location.expect("the record's page");
    let id = location
        .trim_end_matches("?saved=1")
        .rsplit('/')
        .next()
        .expect("an id")
        .to_owned();
    // The record's own page, saying it was saved.
    assert_eq!(location, format!("/facts/work-orders/{id}?saved=1"));

    let data = app
        .must(
            &w.supervisor,
            "query($id: ID!) { workOrder(id: $id) { title approvedAt completedAt confirmed vendor { name } system { name } agency { name } } }",
            json!({"id": id}),
        )
        .await;
    let wo = &data["workOrder"];
    assert_eq!(wo["title"], "数据库扩容");
    assert_eq!(wo["vendor"]["name"], "云1");
    assert_eq!(wo["system"]["name"], "系统1");
    assert_eq!(wo["agency"]["name"], "单位1");
    assert_eq!(wo["completedAt"], serde_json::Value::Null);
    assert_eq!(wo["confirmed"], true);
    // 2025-03-10 09:30 in Beijing (UTC+8) is 2025-03-10 01:30 UTC.
    let approved = DateTime::parse_from_rfc3339(wo["approvedAt"].as_str().expect("a time"))
        .expect("RFC 3339")
        .with_timezone(&Utc);
    assert_eq!(approved.to_rfc3339(), "2025-03-10T01:30:00+00:00");

    // The record's page shows it back in Beijing time.
    let record = sup.get(&location).await;
    assert_eq!(record.status, StatusCode::OK);
    assert!(
        record.body.contains("value=\"2025-03-10T09:30\""),
        "{}",
        record.body
    );
    assert!(record.body.contains("已保存。"), "{}", record.body);
    app.deliver_pending_mail().await;
}

#[tokio::test]
async fn a_refused_form_says_why_next_to_the_field_and_writes_nothing() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let before = work_orders_total(&app, &w).await;
    let mut sup = ConsoleUser::sign_in(&app, SUPERVISOR.0, SUPERVISOR.1).await;
    let (_, ids) = new_work_order(&mut sup).await;

    // Completed at 09:00, before its approval at 09:30 the same day.
    let fields = work_order(&ids, "数据库扩容", "2025-03-10T09:30", "2025-03-10T09:00");
    let refused = sup.post("/facts/work-orders/new", &fields).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains("id=\"e-completedAt\">不得早于批准时间</p>"),
        "{}",
        refused.body
    );
    // What was written is shown again.
    assert!(refused.body.contains("value=\"数据库扩容\""));
    assert!(refused.body.contains("value=\"2025-03-10T09:00\""));

    let fields = work_order(&ids, "  ", "2025-03-10T09:30", "");
    let refused = sup.post("/facts/work-orders/new", &fields).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("id=\"e-title\">必填</p>"),
        "{}",
        refused.body
    );

    let fields = work_order(&ids, "数据库扩容", "", "");
    let refused = sup.post("/facts/work-orders/new", &fields).await;
    assert!(refused.body.contains("id=\"e-approvedAt\">必填</p>"));

    // The world's two work orders, and no other.
    assert_eq!(work_orders_total(&app, &w).await, before);
    assert_eq!(before, 2);
    app.deliver_pending_mail().await;
}

#[tokio::test]
async fn editing_a_fact_changes_it_and_is_audited_as_the_mutation() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let id = fact_of(&w, "workOrders");
    let mut sup = ConsoleUser::sign_in(&app, SUPERVISOR.0, SUPERVISOR.1).await;
    let path = format!("/facts/work-orders/{id}");
    let form = sup.get(&path).await;
    assert_eq!(form.status, StatusCode::OK);
    // The world's work order was approved at 2025-03-03 09:00 Beijing time.
    assert!(form.body.contains("value=\"2025-03-03T09:00\""));
    let fields = [
        ("title", "扩容（第二批）"),
        ("approvedAt", "2025-03-03T09:00"),
        ("completedAt", "2025-03-05T17:00"),
        ("confirmed", "on"),
        ("vendorLiable", "on"),
    ];
    let saved = sup.post(&path, &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.location.as_deref(), Some(&*format!("{path}?saved=1")));

    let data = app
        .must(
            &w.admin,
            "query($id: ID!) { workOrder(id: $id) { title completedAt } auditEntries(filter: {operation: \"updateWorkOrder\", targetId: $id}) { total items { username after } } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(data["workOrder"]["title"], "扩容（第二批）");
    assert_eq!(
        data["workOrder"]["completedAt"],
        "2025-03-05T17:00:00+08:00"
    );
    let audit = &data["auditEntries"];
    assert_eq!(audit["total"], 1, "{audit}");
    assert_eq!(audit["items"][0]["username"], SUPERVISOR.0);
    assert_eq!(audit["items"][0]["after"]["title"], "扩容（第二批）");
    app.deliver_pending_mail().await;
}

#[tokio::test]
async fn a_supervisor_may_not_change_another_regions_fact() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let theirs = w
        .two
        .facts
        .iter()
        .find(|(l, _)| *l == "workOrders")
        .map(|(_, id)| id.clone())
        .expect("side two's work order");
    let mut sup = ConsoleUser::sign_in(&app, SUPERVISOR.0, SUPERVISOR.1).await;
    sup.get("/facts").await;
    let page = sup
        .post(
            &format!("/facts/work-orders/{theirs}"),
            &[("title", "改掉"), ("approvedAt", "2025-03-03T09:00")],
        )
        .await;
    // Region two's work order answers as a missing one.
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    let data = app
        .must(
            &w.admin,
            "query($id: ID!) { workOrder(id: $id) { title } }",
            json!({"id": theirs}),
        )
        .await;
    assert_eq!(data["workOrder"]["title"], "扩容");
    app.deliver_pending_mail().await;
}

/// "共 N 条" of a list page.
fn total(page: &Page) -> u64 {
    let rest = page.body.split("共 ").nth(1).expect("a total");
    rest.split(' ').next().unwrap().parse().expect("a number")
}

#[tokio::test]
async fn the_list_filters_by_vendor_month_status_and_text() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    // Side one gets a second, unconfirmed work order in April.
    let created = app
        .must(
            &w.admin,
            "mutation($i: CreateWorkOrderInput!) { createWorkOrder(input: $i) { id } }",
            json!({"i": {"regionId": w.one.region, "vendorId": w.one.vendor, "title": "数据库扩容",
                         "approvedAt": "2025-04-01T10:00:00+08:00", "confirmed": false, "vendorLiable": true}}),
        )
        .await;
    let april = id_of(&created, "createWorkOrder");
    let mut admin = ConsoleUser::sign_in(&app, e2e::ADMIN_USERNAME, e2e::ADMIN_PASSWORD).await;
    let list = |query: String| format!("/facts/work-orders?{query}");

    // Side one: 扩容 (March) and 数据库扩容 (April); side two: 扩容 (March).
    let all = admin.get(&list(String::new())).await;
    assert_eq!(all.status, StatusCode::OK);
    assert_eq!(total(&all), 3);
    assert!(all.body.contains(&format!(
        "href=\"/facts/work-orders/{april}\">数据库扩容</a>"
    )));
    assert!(all.body.contains("<td>2025年4月1日 10:00</td>"));

    let v1 = option_value(&all.body, "云1");
    let one = admin.get(&list(format!("vendor={v1}"))).await;
    assert_eq!(total(&one), 2);
    assert!(one.body.contains("<td>云1</td>") && !one.body.contains("<td>云2</td>"));

    assert_eq!(total(&admin.get(&list("month=2025-03".into())).await), 2);
    assert_eq!(total(&admin.get(&list("month=2025-04".into())).await), 1);
    assert_eq!(total(&admin.get(&list("month=2025-05".into())).await), 0);
    assert_eq!(total(&admin.get(&list("status=pending".into())).await), 1);
    assert_eq!(total(&admin.get(&list("status=confirmed".into())).await), 2);

    let text = admin
        .get(&list(format!("q={}", "%E6%95%B0%E6%8D%AE%E5%BA%93")))
        .await; // 数据库
    assert_eq!(total(&text), 1);
    assert!(text.body.contains("数据库扩容"));

    let bad = admin.get(&list("month=2025-13".into())).await;
    assert!(bad.body.contains("月份应为 YYYY-MM"));
    app.deliver_pending_mail().await;
}

#[tokio::test]
async fn every_kind_has_its_list_and_new_form_in_chinese() {
    let app = spawn_app().await;
    let _w = world::build(&app).await;
    let mut sup = ConsoleUser::sign_in(&app, SUPERVISOR.0, SUPERVISOR.1).await;
    let index = sup.get("/facts").await;
    assert_eq!(api::web::facts::KINDS.len(), 13);
    for (slug, name) in api::web::facts::KINDS {
        assert!(
            index
                .body
                .contains(&format!("<a href=\"/facts/{slug}\">{name}</a>")),
            "{slug}"
        );
        // The five kinds that arrive as spreadsheets (issue 14) lead to
        // their import; the others do not offer one.
        let imported = [
            "work-orders",
            "outages",
            "faults",
            "attendances",
            "survey-responses",
        ]
        .contains(slug);
        assert_eq!(
            index
                .body
                .contains(&format!("<a href=\"/imports?kind={slug}\">从表格导入</a>")),
            imported,
            "{slug}"
        );
        let list = sup.get(&format!("/facts/{slug}")).await;
        assert_eq!(list.status, StatusCode::OK, "{slug}");
        // The world records one of each kind on the supervisor's side.
        assert_eq!(total(&list), 1, "{slug}");
        let form = sup.get(&format!("/facts/{slug}/new")).await;
        assert_eq!(form.status, StatusCode::OK, "{slug}");
        assert!(form.body.contains(&format!("新建{name}")), "{slug}");
        assert!(
            form.body.contains(">云1</option>"),
            "{slug}: the vendor by name"
        );
    }
    app.deliver_pending_mail().await;
}

#[tokio::test]
async fn a_vendor_reads_its_facts_without_a_form_nor_who_answered_a_survey() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let mut vendor = ConsoleUser::sign_in(&app, VENDOR.0, VENDOR.1).await;
    let survey = vendor
        .get(&format!(
            "/facts/survey-responses/{}",
            fact_of(&w, "surveyResponses")
        ))
        .await;
    assert_eq!(survey.status, StatusCode::OK);
    assert!(survey.body.contains("信息中心"), "the respondent's unit");
    assert!(!survey.body.contains("张敏"), "never the respondent's name");
    assert!(
        !survey
            .body
            .contains("<form method=\"post\" action=\"/facts")
    );
    let new = vendor.get("/facts/work-orders/new").await;
    assert_eq!(new.status, StatusCode::FORBIDDEN);
    app.deliver_pending_mail().await;
}
