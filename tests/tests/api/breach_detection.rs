//! Breach proposals from the facts (spec §5, `jobs::breaches`): each rule on
//! its boundary, through the daily job with an injected instant, read back
//! from the database (the `breaches` GraphQL query is being reshaped by the
//! register's branch).
//!
//! A region's terms are set with SQL (`UPDATE regions SET terms_code`): the
//! GraphQL field for it is another engineer's. The Beijing regions here have
//! one contract of 1,200,000.00 for service year 2024 (no term dates: it
//! covers January–December 2024) listing no systems, so a system's monthly
//! fee is the whole amount / 12 = 100,000.00 (spec §5), and under bj-lease's
//! general table (附件3) row 2 is 20 %, row 3 20 %, row 5 30 %, row 6 60 %.

use chrono::{DateTime, Duration, Utc};
use e2e::{TestApp, id_of, spawn_app};
use entities::breach::{self, BreachKind, BreachStatus};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryOrder, Set,
};
use serde_json::json;

use crate::world;

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("instant")
        .with_timezone(&Utc)
}

fn money(text: &str) -> Decimal {
    text.parse().expect("amount")
}

/// A region with its vendor, contract and one system.
struct Beijing {
    db: DatabaseConnection,
    region: i64,
    vendor: i64,
    system: i64,
}

/// A region (under bj-lease when `terms`), a vendor, a contract of
/// 1,200,000.00 for 2024 and a system.
async fn beijing(app: &TestApp, terms: bool) -> Beijing {
    beijing_in(app, terms, 2024).await
}

async fn beijing_in(app: &TestApp, terms: bool, service_year: i32) -> Beijing {
    let admin = app.admin().await;
    let q = |m: &str, t: &str| format!("mutation($i: {t}!) {{ {m}(input: $i) {{ id }} }}");
    let region = id_of(
        &app.must(
            &admin,
            &q("createRegion", "CreateRegionInput"),
            json!({"i": {"code": "BJ", "name": "北京", "schemeCode": "sh-municipal"}}),
        )
        .await,
        "createRegion",
    );
    let vendor = id_of(
        &app.must(
            &admin,
            &q("createVendor", "CreateVendorInput"),
            json!({"i": {"code": "VB", "name": "京云", "contactEmails": ["ops@vb.example.cn"]}}),
        )
        .await,
        "createVendor",
    );
    app.must(&admin, &q("createContract", "CreateContractInput"), json!({"i": {"vendorId": vendor, "regionId": region, "serviceYear": service_year, "settlementAmount": "1200000.00", "monthlyFee": "100000.00"}})).await;
    let agency = id_of(
        &app.must(
            &admin,
            &q("createAgency", "CreateAgencyInput"),
            json!({"i": {"regionId": region, "name": "市经信局"}}),
        )
        .await,
        "createAgency",
    );
    let system = id_of(&app.must(&admin, &q("createInformationSystem", "CreateInformationSystemInput"), json!({"i": {"regionId": region, "agencyId": agency, "vendorId": vendor, "name": "政务服务网", "class": "B", "protectionLevel": 3, "onlineOn": "2023-01-01"}})).await, "createInformationSystem");
    let db = sea_orm::Database::connect(&app.database_url)
        .await
        .expect("database");
    let region: i64 = region.parse().expect("id");
    if terms {
        set_terms(&db, region).await;
    }
    Beijing {
        db,
        region,
        vendor: vendor.parse().expect("id"),
        system: system.parse().expect("id"),
    }
}

/// The region's terms, by SQL (the GraphQL field is the register's branch).
async fn set_terms(db: &DatabaseConnection, region: i64) {
    db.execute_unprepared(&format!(
        "UPDATE regions SET terms_code = 'bj-lease' WHERE id = {region}"
    ))
    .await
    .expect("terms");
}

impl Beijing {
    /// A confirmed, vendor-liable outage from `start` lasting `length`.
    async fn outage(&self, start: &str, length: Duration) -> i64 {
        let started_at = at(start);
        entities::outage::ActiveModel {
            region_id: Set(self.region),
            vendor_id: Set(self.vendor),
            service: Set("ECS".into()),
            description: Set("云主机中断".into()),
            started_at: Set(started_at),
            ended_at: Set(Some(started_at + length)),
            confirmed: Set(true),
            vendor_liable: Set(true),
            recorded_by: Set(1),
            recorded_at: Set(started_at),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .expect("outage")
        .id
    }

    /// A confirmed, vendor-liable complaint about the system.
    async fn complaint(&self, received: &str) {
        entities::complaint::ActiveModel {
            region_id: Set(self.region),
            vendor_id: Set(self.vendor),
            agency_id: Set(None),
            system_id: Set(Some(self.system)),
            channel: Set("LETTER".into()),
            description: Set("系统无法访问".into()),
            received_at: Set(at(received)),
            confirmed: Set(true),
            vendor_liable: Set(true),
            recorded_by: Set(1),
            recorded_at: Set(at(received)),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .expect("complaint");
    }

    async fn detect(&self, now: &str) -> usize {
        jobs::breaches::detect_breaches(&self.db, at(now))
            .await
            .expect("detection")
    }
}

async fn proposals(db: &DatabaseConnection) -> Vec<breach::Model> {
    breach::Entity::find()
        .order_by_asc(breach::Column::Id)
        .all(db)
        .await
        .expect("breaches")
}

fn rows(b: &breach::Model) -> Vec<u64> {
    let rows: serde_json::Value = serde_json::from_str(&b.matched_rows).expect("JSON");
    rows.as_array()
        .expect("array")
        .iter()
        .map(|r| {
            assert_eq!(r["table"], "general");
            r["number"].as_u64().expect("number")
        })
        .collect()
}

const AFTER_MARCH: &str = "2024-04-02T02:00:00+08:00";

#[tokio::test]
async fn an_outage_of_119_minutes_proposes_nothing_and_of_120_proposes_row_5() {
    let app = spawn_app().await;
    let bj = beijing(&app, true).await;
    bj.outage("2024-03-05T08:00:00+08:00", Duration::minutes(119))
        .await;
    assert_eq!(bj.detect(AFTER_MARCH).await, 0, "119 < 120 minutes");
    // 15 days later (no run of outages): 120 minutes is 2小时以上.
    let long = bj
        .outage("2024-03-20T08:00:00+08:00", Duration::minutes(120))
        .await;
    assert_eq!(bj.detect(AFTER_MARCH).await, 1);
    let found = proposals(&bj.db).await;
    let b = &found[0];
    assert_eq!(b.kind, BreachKind::Outage);
    assert_eq!(b.status, BreachStatus::Proposed);
    assert_eq!(
        b.source_ref.as_deref(),
        Some(format!("outage:{long}").as_str())
    );
    assert_eq!(rows(b), vec![5]);
    assert_eq!(
        (b.charged_table.as_deref(), b.charged_row),
        (Some("general"), Some(5))
    );
    // 1,200,000.00 / 12 = 100,000.00 × 30 % = 30,000.00
    assert_eq!(b.penalty, Some(money("30000.00")));
    assert_eq!(b.period, "2024-03");
    assert_eq!(b.terms_code.as_deref(), Some("bj-lease"));
    assert!(b.contract_id.is_some());
    assert_eq!(b.occurred_at, Some(at("2024-03-20T08:00:00+08:00")));
    assert!(
        b.description
            .contains("2024-03-20 08:00 宕机 120 分钟（≥120 分钟）"),
        "{}",
        b.description
    );
}

#[tokio::test]
async fn cumulative_479_minutes_is_not_row_6_and_the_outage_reaching_480_is() {
    let app = spawn_app().await;
    let bj = beijing(&app, true).await;
    // Four days apart: never "in a row" (a run needs the next outage within 24 h).
    for (day, minutes) in [("01", 200), ("05", 200), ("09", 79)] {
        bj.outage(
            &format!("2024-03-{day}T08:00:00+08:00"),
            Duration::minutes(minutes),
        )
        .await;
    }
    // 200 + 200 + 79 = 479 < 480: the two 200-minute outages are row 5 each, nothing more.
    assert_eq!(bj.detect(AFTER_MARCH).await, 2);
    let found = proposals(&bj.db).await;
    assert_eq!(
        found.iter().map(rows).collect::<Vec<_>>(),
        vec![vec![5], vec![5]]
    );
    // One more minute: 479 + 1 = 480 ≥ 480 → row 6 on that outage.
    let last = bj
        .outage("2024-03-13T08:00:00+08:00", Duration::minutes(1))
        .await;
    assert_eq!(bj.detect(AFTER_MARCH).await, 1);
    let b = proposals(&bj.db).await.pop().expect("row 6");
    assert_eq!(
        b.source_ref.as_deref(),
        Some(format!("outage:{last}").as_str())
    );
    assert_eq!(rows(&b), vec![6]);
    // 100,000.00 × 60 % = 60,000.00
    assert_eq!(b.penalty, Some(money("60000.00")));
    assert!(
        b.description.contains("累计宕机 480 分钟（≥480 分钟）"),
        "{}",
        b.description
    );
}

#[tokio::test]
async fn the_third_outage_in_a_row_proposes_row_6() {
    let app = spawn_app().await;
    let bj = beijing(&app, true).await;
    // 10 minutes at 08:00 on 1, 2 and 3 March: each within 24 h of the last's end.
    let mut ids = Vec::new();
    for day in ["01", "02", "03"] {
        ids.push(
            bj.outage(
                &format!("2024-03-{day}T08:00:00+08:00"),
                Duration::minutes(10),
            )
            .await,
        );
    }
    assert_eq!(bj.detect(AFTER_MARCH).await, 1);
    let b = proposals(&bj.db).await.pop().expect("row 6");
    assert_eq!(b.source_ref, Some(format!("outage:{}", ids[2])));
    assert_eq!(rows(&b), vec![6]);
    // 100,000.00 × 60 % = 60,000.00
    assert_eq!(b.penalty, Some(money("60000.00")));
    assert!(
        b.description.contains("连续第 3 次宕机"),
        "{}",
        b.description
    );
}

#[tokio::test]
async fn an_outage_matching_rows_5_and_6_is_charged_60_percent_once() {
    let app = spawn_app().await;
    let bj = beijing(&app, true).await;
    bj.outage("2024-03-01T08:00:00+08:00", Duration::minutes(200))
        .await;
    // 200 + 300 = 500 ≥ 480 and 300 ≥ 120: the second matches rows 5 and 6.
    let both = bj
        .outage("2024-03-09T08:00:00+08:00", Duration::minutes(300))
        .await;
    assert_eq!(bj.detect(AFTER_MARCH).await, 2);
    let found = proposals(&bj.db).await;
    let b = found
        .iter()
        .find(|b| b.source_ref == Some(format!("outage:{both}")))
        .expect("the second outage's proposal");
    assert_eq!(rows(b), vec![5, 6]);
    assert_eq!(b.charged_row, Some(6));
    // Once, at the heaviest: 1,200,000.00 / 12 = 100,000.00 × 60 % = 60,000.00 (not + 30 %).
    assert_eq!(b.penalty, Some(money("60000.00")));
}

#[tokio::test]
async fn availability_below_99_99_percent_with_2_complaints_is_nothing_and_with_3_is_row_2() {
    let app = spawn_app().await;
    let bj = beijing(&app, true).await;
    // April 2024: 30 days = 43,200 minutes; 60 down → 43,140 / 43,200 = 99.8611 % < 99.99 %.
    bj.outage("2024-04-10T08:00:00+08:00", Duration::minutes(60))
        .await;
    bj.complaint("2024-04-10T09:00:00+08:00").await;
    bj.complaint("2024-04-11T09:00:00+08:00").await;
    let after_april = "2024-05-02T02:00:00+08:00";
    assert_eq!(bj.detect(after_april).await, 0, "2 complaints < 3");
    bj.complaint("2024-04-12T09:00:00+08:00").await;
    assert_eq!(bj.detect(after_april).await, 1);
    let b = proposals(&bj.db).await.pop().expect("row 2");
    assert_eq!(b.kind, BreachKind::AvailabilityComplaints);
    assert_eq!(
        b.source_ref,
        Some(format!("availability:{}:2024-04", bj.system))
    );
    assert_eq!(b.system_id, Some(bj.system));
    assert_eq!(rows(&b), vec![2]);
    // 100,000.00 × 20 % = 20,000.00
    assert_eq!(b.penalty, Some(money("20000.00")));
    assert!(
        b.description.contains("2024-04 可用性 99.8611%"),
        "{}",
        b.description
    );
}

#[tokio::test]
async fn availability_of_exactly_99_99_percent_is_not_below_it() {
    let app = spawn_app().await;
    let bj = beijing(&app, true).await;
    // April 2024: 2,592,000,000 ms × 0.01 % = 259,200 ms down (4 min 19.2 s) is 99.99 % exactly.
    bj.outage("2024-04-10T08:00:00+08:00", Duration::milliseconds(259_200))
        .await;
    for day in ["10", "11", "12"] {
        bj.complaint(&format!("2024-04-{day}T09:00:00+08:00")).await;
    }
    let after_april = "2024-05-02T02:00:00+08:00";
    assert_eq!(
        bj.detect(after_april).await,
        0,
        "99.99 % is not below 99.99 %"
    );
    // One second more down: 259,201 ms and more → below.
    bj.outage("2024-04-20T08:00:00+08:00", Duration::seconds(1))
        .await;
    assert_eq!(bj.detect(after_april).await, 1);
}

#[tokio::test]
async fn a_region_without_terms_gets_no_proposal() {
    let app = spawn_app().await;
    // The same facts as a Beijing region's row 5 and row 6, in a region naming no terms.
    let bj = beijing(&app, false).await;
    for day in ["01", "02", "03"] {
        bj.outage(
            &format!("2024-03-{day}T08:00:00+08:00"),
            Duration::minutes(130),
        )
        .await;
    }
    assert_eq!(bj.detect(AFTER_MARCH).await, 0);
    assert!(proposals(&bj.db).await.is_empty());
}

#[tokio::test]
async fn running_the_job_twice_adds_nothing_and_a_dismissed_proposal_stays_dismissed() {
    let app = spawn_app().await;
    let bj = beijing(&app, true).await;
    bj.outage("2024-03-05T08:00:00+08:00", Duration::minutes(150))
        .await;
    assert_eq!(bj.detect(AFTER_MARCH).await, 1);
    assert_eq!(bj.detect(AFTER_MARCH).await, 0);
    // run-due runs it too (the daily check): nothing new either.
    assert_eq!(app.run_due_at(at(AFTER_MARCH)).await.breach_proposals, 0);
    bj.db
        .execute_unprepared("UPDATE breaches SET status = 'DISMISSED'")
        .await
        .expect("dismiss");
    assert_eq!(bj.detect("2024-04-03T02:00:00+08:00").await, 0);
    let found = proposals(&bj.db).await;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].status, BreachStatus::Dismissed);
}

/// R1 of the world (contract of 1,105,728.00 for 2025, no systems listed: the
/// fee is 1,105,728.00 / 12 = 92,144.00) under bj-lease, failing March, April
/// and May 2025 (the complaints of `flow.rs`'s Shanghai case), each published:
/// the third month's notice sets the rectification deadline. Returns the
/// database, that notice's id and its deadline.
async fn three_failed_months_in_beijing(
    app: &TestApp,
    w: &world::World,
) -> (DatabaseConnection, i64, chrono::NaiveDate) {
    let db = sea_orm::Database::connect(&app.database_url)
        .await
        .expect("database");
    set_terms(&db, w.one.region.parse().expect("id")).await;
    world::fail_april_and_may(app, w).await;
    // 88.38, 89 and 89 (flow.rs): each below the pass mark of 90.
    for month in ["2025-03", "2025-04", "2025-05"] {
        world::publish_month(app, w, month).await;
    }
    let notices = entities::notice::Entity::find()
        .order_by_asc(entities::notice::Column::Id)
        .all(&db)
        .await
        .expect("notices");
    assert_eq!(notices.len(), 3, "one notice per failed month");
    let third = notices.last().expect("May's notice");
    assert!(third.reason.starts_with("2025-05"), "{}", third.reason);
    // Publication alone proposes nothing: the deadline has not passed.
    assert!(proposals(&db).await.is_empty());
    (db, third.id, third.deadline)
}

/// 00:00 Shanghai of the day after `day`, plus an hour.
fn the_day_after(day: chrono::NaiveDate) -> DateTime<Utc> {
    (day + Duration::days(1))
        .and_hms_opt(1, 0, 0)
        .expect("time")
        .and_utc()
        - Duration::hours(8)
}

#[tokio::test]
async fn an_unmet_rectification_deadline_after_three_failed_months_proposes_row_3() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let (db, notice, deadline) = three_failed_months_in_beijing(&app, &w).await;
    // On the deadline itself it is not yet missed.
    let on_the_day = the_day_after(deadline) - Duration::days(1);
    assert_eq!(
        jobs::breaches::detect_breaches(&db, on_the_day)
            .await
            .expect("job"),
        0
    );
    let after = the_day_after(deadline);
    assert_eq!(
        jobs::breaches::detect_breaches(&db, after)
            .await
            .expect("job"),
        1
    );
    let b = proposals(&db).await.pop().expect("row 3");
    assert_eq!(b.kind, BreachKind::ThreeConsecutiveFailedMonths);
    assert_eq!(b.source_ref, Some(format!("notice:{notice}")));
    assert_eq!(b.rectification_due, Some(deadline));
    assert_eq!(b.period, "2025-05");
    assert_eq!(rows(&b), vec![3]);
    // 1,105,728.00 / 12 = 92,144.00 × 20 % = 18,428.80
    assert_eq!(b.penalty, Some(money("18428.80")));
    assert!(
        b.description
            .contains("2025-03 至 2025-05 连续 3 个月考核未达标"),
        "{}",
        b.description
    );
    // The three notices' mails (the breach itself mails nothing until confirmed).
    app.deliver_pending_mail().await;
}

#[tokio::test]
async fn a_rectification_accepted_by_the_deadline_proposes_nothing() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let (db, notice, deadline) = three_failed_months_in_beijing(&app, &w).await;
    let id = json!(notice.to_string());
    app.must(
        &w.vendor,
        "mutation($id: ID!) { acknowledgeNotice(id: $id) { status } }",
        json!({"id": id}),
    )
    .await;
    app.must(&w.vendor, "mutation($id: ID!, $t: String!) { submitRectification(id: $id, rectification: $t) { status } }", json!({"id": id, "t": "已扩容并复测"}))
        .await;
    app.must(
        &w.supervisor,
        "mutation($id: ID!) { acceptRectification(id: $id) { status } }",
        json!({"id": id}),
    )
    .await;
    // Accepted today, well before the deadline (10 working days after publication).
    let after = the_day_after(deadline);
    assert_eq!(
        jobs::breaches::detect_breaches(&db, after)
            .await
            .expect("job"),
        0
    );
    assert!(proposals(&db).await.is_empty());
    app.deliver_pending_mail().await;
}

/// Publishing looks at the region once: a 130-minute outage of last month is
/// proposed when that month is published, before any daily run. (Last month by
/// the clock: publication runs at the real instant, and the job looks back
/// only so far.)
#[tokio::test]
async fn publishing_a_month_proposes_what_its_facts_show() {
    let app = spawn_app().await;
    let month = jobs::scheduler::previous_month(Utc::now());
    let bj = beijing_in(&app, true, month.year()).await;
    let start = format!("{month}-02T08:00:00+08:00");
    let outage = bj.outage(&start, Duration::minutes(130)).await;
    let admin = app.admin().await;
    let run = app
        .must(
            &admin,
            "mutation($r: ID!, $p: String!) { runMonthlyAssessment(regionId: $r, period: $p) { id } }",
            json!({"r": bj.region.to_string(), "p": month.to_string()}),
        )
        .await["runMonthlyAssessment"]["id"]
        .clone();
    app.must(
        &admin,
        "mutation($id: ID!) { publishAssessmentRun(runId: $id) { id } }",
        json!({"id": run}),
    )
    .await;
    let found = proposals(&bj.db).await;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].source_ref, Some(format!("outage:{outage}")));
    // 130 ≥ 120: row 5, 100,000.00 × 30 % = 30,000.00
    assert_eq!(found[0].penalty, Some(money("30000.00")));
    app.deliver_pending_mail().await;
}
