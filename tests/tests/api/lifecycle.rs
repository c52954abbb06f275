//! The assessment lifecycle over a month end (issue 10): publishing never goes
//! backwards and supersedes notices that no longer hold, a period is run only
//! once it has ended and by one run at a time, the annual preview and run
//! agree, and lists of runs and results show the latest first.
//!
//! The numbers come from the world (world.rs): March 2025 of V1 in R1 totals
//! 88.37598566 → 88.38 (worked out in assessment.rs), below the pass mark of 90;
//! of its deductions, the liable complaint costs C1 5 points.

use e2e::{TestApp, spawn_app};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::world::{self, World};

const RUN: &str = "mutation($r: ID!, $p: String!) { runMonthlyAssessment(regionId: $r, period: $p) { id status results { total passed revision } } }";
const PUBLISH: &str = "mutation($id: ID!) { publishAssessmentRun(runId: $id) { id } }";
const NOTICES: &str = "{ notices { total items { id kind status reason } } }";

async fn run_month(app: &TestApp, w: &World, period: &str) -> Value {
    app.must(&w.supervisor, RUN, json!({"r": w.one.region, "p": period}))
        .await["runMonthlyAssessment"]
        .clone()
}

async fn publish(app: &TestApp, w: &World, run: &Value) {
    app.must(&w.supervisor, PUBLISH, json!({"id": run["id"]}))
        .await;
}

async fn vendor_notices(app: &TestApp, w: &World) -> Vec<Value> {
    app.must(&w.vendor, NOTICES, json!({})).await["notices"]["items"]
        .as_array()
        .unwrap()
        .clone()
}

/// The outbox rows of one notice.
async fn mails_of(app: &TestApp, notice_id: &Value) -> Vec<entities::outbox::Model> {
    let db = sea_orm::Database::connect(&app.database_url).await.unwrap();
    let id: i64 = notice_id.as_str().unwrap().parse().unwrap();
    entities::outbox::Entity::find()
        .filter(entities::outbox::Column::NoticeId.eq(id))
        .all(&db)
        .await
        .unwrap()
}

/// Makes V1's March complaint not liable (as an upheld dispute would): March
/// then totals 88.37598566 + 5 = 93.37598566 → 93.38, above the pass mark.
async fn clear_the_march_complaint(app: &TestApp, w: &World) {
    let complaint = &w
        .one
        .facts
        .iter()
        .find(|(l, _)| *l == "complaints")
        .unwrap()
        .1;
    app.must(
        &w.supervisor,
        "mutation($id: ID!) { updateComplaint(id: $id, input: { vendorLiable: false }) { id } }",
        json!({"id": complaint}),
    )
    .await;
}

#[tokio::test]
async fn publishing_an_older_run_after_a_newer_one_is_refused() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let first = run_month(&app, &w, "2025-03").await;
    clear_the_march_complaint(&app, &w).await;
    let second = run_month(&app, &w, "2025-03").await;
    publish(&app, &w, &second).await;

    let refused = app
        .gql(Some(&w.supervisor), PUBLISH, json!({"id": first["id"]}))
        .await;
    let (code, message) = refused.error();
    assert_eq!(code, "BAD_USER_INPUT");
    assert!(message.starts_with("runId:"), "{message}");
    assert!(
        message.contains("第 2 版"),
        "names the newer revision: {message}"
    );

    // The vendor still sees revision 2 (93.38, passed) and no notice.
    let mine = app
        .must(
            &w.vendor,
            "{ assessmentResults { items { revision total passed } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        mine["assessmentResults"]["items"],
        json!([{"revision": 2, "total": "93.38", "passed": true}])
    );
    assert!(vendor_notices(&app, &w).await.is_empty());
}

#[tokio::test]
async fn a_newer_revision_that_passes_supersedes_the_notice_with_a_mail() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let first = run_month(&app, &w, "2025-03").await;
    publish(&app, &w, &first).await;
    let notices = vendor_notices(&app, &w).await;
    assert_eq!(notices.len(), 1, "88.38 < 90: one notice");
    let notice = notices[0]["id"].clone();

    clear_the_march_complaint(&app, &w).await;
    let second = run_month(&app, &w, "2025-03").await;
    assert_eq!(second["results"][0]["total"], "93.38");
    publish(&app, &w, &second).await;

    let notices = vendor_notices(&app, &w).await;
    assert_eq!(notices.len(), 1, "no new notice: 93.38 passes");
    assert_eq!(notices[0]["status"], "SUPERSEDED");
    // The world's V1 has one contact: one mail of the notice, one of its withdrawal.
    let mails = mails_of(&app, &notice).await;
    assert_eq!(mails.len(), 2);
    let withdrawal = mails.iter().find(|m| m.subject.contains("撤销")).unwrap();
    assert!(withdrawal.body.contains("93.38"), "{}", withdrawal.body);
    // A superseded notice is not overdue and counts as closed.
    let counts = app
        .must(&w.supervisor, "{ noticeCounts { open } }", json!({}))
        .await;
    assert_eq!(counts["noticeCounts"], json!([]), "{counts}");
    app.deliver_pending_mail().await;
}

#[tokio::test]
async fn a_newer_revision_that_still_fails_keeps_the_notice_and_adds_none() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let first = run_month(&app, &w, "2025-03").await;
    publish(&app, &w, &first).await;
    let second = run_month(&app, &w, "2025-03").await;
    publish(&app, &w, &second).await;
    let notices = vendor_notices(&app, &w).await;
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert_eq!(notices[0]["status"], "ISSUED");
    app.deliver_pending_mail().await;
}

#[tokio::test]
async fn five_parallel_publications_issue_one_notice_and_one_mail_each() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let run = run_month(&app, &w, "2025-03").await;
    let answers = app
        .gql_parallel(5, &w.supervisor, PUBLISH, json!({"id": run["id"]}))
        .await;
    for a in &answers {
        a.ok();
    }
    let notices = vendor_notices(&app, &w).await;
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert_eq!(mails_of(&app, &notices[0]["id"]).await.len(), 1);
    app.deliver_pending_mail().await;
}

#[tokio::test]
async fn a_run_of_a_period_under_way_answers_already_running() {
    use sea_orm::{ActiveModelTrait, Set};
    let app = spawn_app().await;
    let w = world::build(&app).await;
    // Another process holds March's lease (it is running March now).
    let db = sea_orm::Database::connect(&app.database_url).await.unwrap();
    entities::job_lease::ActiveModel {
        name: Set(format!("monthly:{}:2025-03", w.one.region)),
        holder: Set("another-process".into()),
        expires_at: Set(chrono::Utc::now() + chrono::Duration::minutes(5)),
    }
    .insert(&db)
    .await
    .unwrap();
    let busy = app
        .gql(
            Some(&w.supervisor),
            RUN,
            json!({"r": w.one.region, "p": "2025-03"}),
        )
        .await;
    let (code, message) = busy.error();
    assert_eq!(code, "CONFLICT");
    assert!(message.contains("正在进行"), "{message}");
    assert!(
        entities::assessment_run::Entity::find()
            .all(&db)
            .await
            .unwrap()
            .is_empty(),
        "nothing was started"
    );
}

#[tokio::test]
async fn five_parallel_runs_of_a_period_never_fail_on_each_other() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let answers = app
        .gql_parallel(
            5,
            &w.supervisor,
            RUN,
            json!({"r": w.one.region, "p": "2025-03"}),
        )
        .await;
    let mut succeeded = 0;
    for a in &answers {
        if a.errors().is_empty() {
            assert_eq!(a.data()["runMonthlyAssessment"]["status"], "SUCCEEDED");
            succeeded += 1;
        } else {
            assert_eq!(a.error_codes(), ["CONFLICT"], "{}", a.0);
        }
    }
    assert!(succeeded >= 1);
    let db = sea_orm::Database::connect(&app.database_url).await.unwrap();
    let runs = entities::assessment_run::Entity::find()
        .all(&db)
        .await
        .unwrap();
    // One run per success, none FAILED (never a constraint error), and each
    // success wrote its own revision 1, 2, …
    assert_eq!(runs.len(), succeeded, "{runs:?}");
    assert!(
        runs.iter().all(|r| r.status.as_str() == "SUCCEEDED"),
        "{runs:?}"
    );
    let mut revisions: Vec<i32> = entities::assessment_result::Entity::find()
        .all(&db)
        .await
        .unwrap()
        .iter()
        .map(|r| r.revision)
        .collect();
    revisions.sort();
    assert_eq!(revisions, (1..=succeeded as i32).collect::<Vec<_>>());
}

#[tokio::test]
async fn a_period_that_has_not_ended_is_refused_with_when_it_can_run() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let today = chrono::Utc::now().with_timezone(&chrono_tz_shanghai());
    let this_month = today.format("%Y-%m").to_string();
    let refused = app
        .gql(
            Some(&w.supervisor),
            RUN,
            json!({"r": w.one.region, "p": this_month}),
        )
        .await;
    let (code, message) = refused.error();
    assert_eq!(code, "BAD_USER_INPUT");
    // It can run from the first instant of next month, local time.
    let next = first_of_next_month(today.date_naive());
    assert!(
        message.starts_with("period:") && message.contains(&format!("{next} 00:00")),
        "{message}"
    );

    let annual =
        "mutation($r: ID!, $y: Int!) { runAnnualAssessment(regionId: $r, serviceYear: $y) { id } }";
    let year: i32 = today.format("%Y").to_string().parse().unwrap();
    let (code, message) = app
        .gql(
            Some(&w.supervisor),
            annual,
            json!({"r": w.one.region, "y": year}),
        )
        .await
        .error();
    assert_eq!(code, "BAD_USER_INPUT");
    // The calendar service year ends on 1 January of the next year.
    assert!(
        message.starts_with("serviceYear:")
            && message.contains(&format!("{}-01-01 00:00", year + 1)),
        "{message}"
    );

    let (code, message) = app
        .gql(
            Some(&w.supervisor),
            RUN,
            json!({"r": w.one.region, "p": "1999-12"}),
        )
        .await
        .error();
    assert_eq!(
        (code.as_str(), message.starts_with("period: 2000")),
        ("BAD_USER_INPUT", true),
        "{message}"
    );

    // Previews stay allowed, and say when they are provisional.
    let preview = "query($v: ID!, $r: ID!, $p: String!) { previewMonthlyScore(vendorId: $v, regionId: $r, period: $p) { provisional } }";
    for (period, provisional) in [(this_month.as_str(), true), ("2025-03", false)] {
        let card = app
            .must(
                &w.supervisor,
                preview,
                json!({"v": w.one.vendor, "r": w.one.region, "p": period}),
            )
            .await;
        assert_eq!(
            card["previewMonthlyScore"]["provisional"], provisional,
            "{period}"
        );
    }
}

/// The year 2025 of V1 in R1: preview and run blend the same published months.
/// With only March published the mean is 88.37598566; the annual scorecard is
/// 74 (assessment.rs), so both say 88.37598566 × 0.8 + 74 × 0.2 = 85.50078853
/// → 85.50, and the preview names the eleven months without a published result.
#[tokio::test]
async fn the_annual_preview_and_the_annual_run_agree() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let march = run_month(&app, &w, "2025-03").await;
    publish(&app, &w, &march).await;
    // January is run but not published: it does not count.
    run_month(&app, &w, "2025-01").await;

    let preview = "query($v: ID!, $r: ID!) { previewAnnualScore(vendorId: $v, regionId: $r, serviceYear: 2025) { total provisional monthlyTotals { period } monthsWithoutResult } }";
    let vars = json!({"v": w.one.vendor, "r": w.one.region});
    let year = app.must(&w.supervisor, preview, vars).await["previewAnnualScore"].clone();
    assert_eq!(year["total"], "85.50");
    assert_eq!(year["provisional"], false);
    assert_eq!(year["monthlyTotals"], json!([{"period": "2025-03"}]));
    let missing = year["monthsWithoutResult"].as_array().unwrap();
    assert_eq!(missing.len(), 11);
    assert_eq!(missing[0], "2025-01");

    let run = app
        .must(
            &w.supervisor,
            "mutation($r: ID!) { runAnnualAssessment(regionId: $r, serviceYear: 2025) { results { total } } }",
            json!({"r": w.one.region}),
        )
        .await;
    assert_eq!(
        run["runAnnualAssessment"]["results"][0]["total"],
        year["total"]
    );
    app.deliver_pending_mail().await;
}

#[tokio::test]
async fn a_vendor_without_a_contract_for_the_year_is_told_so() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    // V2 has its contract in R2, none in R1.
    let preview = "query($v: ID!, $r: ID!) { previewAnnualScore(vendorId: $v, regionId: $r, serviceYear: 2025) { total } }";
    let (code, message) = app
        .gql(
            Some(&w.admin),
            preview,
            json!({"v": w.two.vendor, "r": w.one.region}),
        )
        .await
        .error();
    assert_eq!(code, "BAD_USER_INPUT");
    assert!(
        message.starts_with("vendorId:") && message.contains("没有服务年度 2025 的合同"),
        "{message}"
    );
}

#[tokio::test]
async fn a_monthly_run_without_a_contracted_vendor_succeeds_with_a_warning() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    // The world's contracts are for 2025; January 2024 has none.
    let run = app
        .must(
            &w.supervisor,
            "mutation($r: ID!) { runMonthlyAssessment(regionId: $r, period: \"2024-01\") { status warnings results { total } } }",
            json!({"r": w.one.region}),
        )
        .await["runMonthlyAssessment"]
        .clone();
    assert_eq!(run["status"], "SUCCEEDED");
    assert_eq!(run["results"], json!([]));
    let warnings = run["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1);
    assert!(
        warnings[0].as_str().unwrap().contains("没有签订合同"),
        "{warnings:?}"
    );
}

#[tokio::test]
async fn results_and_runs_filter_by_period_newest_first_latest_revision_unless_history() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    run_month(&app, &w, "2025-02").await;
    run_month(&app, &w, "2025-03").await;
    run_month(&app, &w, "2025-03").await;
    let results = |filter: Value| {
        let app = &app;
        let token = w.supervisor.clone();
        async move {
            app.must(
                &token,
                "query($f: ListFilter) { assessmentResults(filter: $f) { total items { period revision } } }",
                json!({"f": filter}),
            )
            .await["assessmentResults"]
                .clone()
        }
    };
    // March's latest revision only.
    assert_eq!(
        results(json!({"period": "2025-03"})).await["items"],
        json!([{"period": "2025-03", "revision": 2}])
    );
    // Every revision on request, newest first.
    assert_eq!(
        results(json!({"period": "2025-03", "history": true})).await["items"],
        json!([{"period": "2025-03", "revision": 2}, {"period": "2025-03", "revision": 1}])
    );
    // The year 2025: the latest of each month, newest first.
    assert_eq!(
        results(json!({"period": "2025"})).await["items"],
        json!([{"period": "2025-03", "revision": 2}, {"period": "2025-02", "revision": 1}])
    );
    let runs = app
        .must(
            &w.supervisor,
            "{ assessmentRuns(filter: { period: \"2025-03\" }) { total items { period } } }",
            json!({}),
        )
        .await;
    assert_eq!(runs["assessmentRuns"]["total"], 2);
    let all = app
        .must(
            &w.supervisor,
            "{ assessmentRuns { items { id period } } }",
            json!({}),
        )
        .await;
    let periods: Vec<&str> = all["assessmentRuns"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["period"].as_str().unwrap())
        .collect();
    assert_eq!(periods, ["2025-03", "2025-03", "2025-02"], "newest first");
}

fn chrono_tz_shanghai() -> chrono::FixedOffset {
    chrono::FixedOffset::east_opt(8 * 3600).unwrap()
}

fn first_of_next_month(d: chrono::NaiveDate) -> chrono::NaiveDate {
    use chrono::Datelike;
    let (y, m) = if d.month() == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    chrono::NaiveDate::from_ymd_opt(y, m, 1).unwrap()
}

/// Policy: a vendor's preview of a period the supervision team has not
/// published is provisional (the published result is the one that counts);
/// the supervisor's preview of an ended month is not.
#[tokio::test]
async fn a_vendors_preview_of_an_unpublished_month_is_provisional() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let preview = "query($v: ID!, $r: ID!) { previewMonthlyScore(vendorId: $v, regionId: $r, period: \"2025-03\") { total provisional } }";
    let vars = json!({"v": w.one.vendor, "r": w.one.region});
    let seen = |token: String| {
        let (app, vars) = (&app, vars.clone());
        async move {
            app.must(&token, preview, vars).await["previewMonthlyScore"]["provisional"].clone()
        }
    };
    assert_eq!(seen(w.vendor.clone()).await, true);
    assert_eq!(seen(w.supervisor.clone()).await, false);
    let march = run_month(&app, &w, "2025-03").await;
    publish(&app, &w, &march).await;
    assert_eq!(seen(w.vendor.clone()).await, false);
    app.deliver_pending_mail().await;
}
