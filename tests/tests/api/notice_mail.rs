//! Notices acted on from the mail (issue 13, item 4): each notice's document
//! number per region and year, its mail's link, deadline and contact, and the
//! mails of the lifecycle's steps, delivered over real SMTP.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use e2e::{TestApp, spawn_app, spawn_app_with};
use sea_orm::Database;
use serde_json::{Value, json};

use crate::mail::{SmtpServer, scratch_dir};
use crate::world;

const CREATE: &str =
    "mutation($i: CreateNoticeInput!) { createNotice(input: $i) { id documentNumber deadline } }";
const SET_REGION: &str = "mutation($id: ID!, $i: UpdateRegionInput!) { updateRegion(id: $id, input: $i) { noticePrefix contact } }";

fn manual(region: &str, vendor: &str) -> Value {
    json!({"i": {"regionId": region, "vendorId": vendor, "reason": "巡检发现备份策略未落实", "basis": ["10月巡检记录第3项"]}})
}

/// A notice issued by the jobs' own function at `now`, as publishing and the
/// risk check do; its document number.
async fn issue_at(app: &TestApp, region: &str, vendor: &str, now: &str) -> String {
    let db = Database::connect(&app.database_url).await.unwrap();
    let now: DateTime<Utc> = DateTime::parse_from_rfc3339(now).unwrap().to_utc();
    let txn = domain::db::write_txn(&db).await.unwrap();
    let notice = jobs::notices::issue(
        &txn,
        domain::notices::NewNotice {
            region_id: region.parse().unwrap(),
            vendor_id: vendor.parse().unwrap(),
            kind: domain::notices::NoticeKind::Manual,
            period: None,
            reason: "巡检发现问题".into(),
            basis: vec![],
            result_id: None,
            risk_id: None,
            deadline: Some(now.date_naive() + chrono::Days::new(14)),
            created_by: None,
        },
        jobs::mail::DEFAULT_PUBLIC_URL,
        now,
    )
    .await
    .unwrap();
    txn.commit().await.unwrap();
    let _ = db.close().await;
    notice.document_number
}

/// R1's prefix set to 沪政云监, R2's left unset (derived from its name 区2:
/// 区2政云监). Y is this year in Shanghai. R1's first notice (through GraphQL,
/// now) is 沪政云监〔Y〕第1号. One issued on 31 December of Y-1 at 23:59:59
/// Shanghai (15:59:59 UTC) counts in Y-1: 沪政云监〔Y-1〕第1号; one a second later
/// (1 January of Y, 00:00:00 Shanghai) is R1's second in Y: 第2号. R2's first
/// in Y is 区2政云监〔Y〕第1号 (not R1's 第3号); R1's next in Y is 第3号. (Past
/// instants, so their mail is due and delivered.)
#[tokio::test]
async fn numbers_run_per_region_and_year_and_start_again_in_a_new_one() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let set = app
        .must(
            &w.admin,
            SET_REGION,
            json!({"id": w.one.region, "i": {"noticePrefix": "沪政云监"}}),
        )
        .await;
    assert_eq!(set["updateRegion"]["noticePrefix"], "沪政云监");
    let y = domain::period::local(Utc::now()).year();
    let first = app
        .must(&w.supervisor, CREATE, manual(&w.one.region, &w.one.vendor))
        .await;
    assert_eq!(
        first["createNotice"]["documentNumber"],
        format!("沪政云监〔{y}〕第1号")
    );
    let (one, two) = (
        (&w.one.region, &w.one.vendor),
        (&w.two.region, &w.two.vendor),
    );
    let last_second = format!("{}-12-31T15:59:59Z", y - 1);
    let new_year = format!("{}-12-31T16:00:00Z", y - 1);
    assert_eq!(
        issue_at(&app, one.0, one.1, &last_second).await,
        format!("沪政云监〔{}〕第1号", y - 1)
    );
    assert_eq!(
        issue_at(&app, one.0, one.1, &new_year).await,
        format!("沪政云监〔{y}〕第2号")
    );
    assert_eq!(
        issue_at(&app, two.0, two.1, &new_year).await,
        format!("区2政云监〔{y}〕第1号")
    );
    assert_eq!(
        issue_at(&app, one.0, one.1, &new_year).await,
        format!("沪政云监〔{y}〕第3号")
    );
    // The number is read back on the notice (the vendor sees it too).
    let mine = app
        .must(
            &w.vendor,
            "{ notices { items { documentNumber } } }",
            json!({}),
        )
        .await;
    let mut numbers: Vec<String> = mine["notices"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["documentNumber"].as_str().unwrap().to_owned())
        .collect();
    numbers.sort();
    assert_eq!(numbers.len(), 4, "{numbers:?}");
    app.deliver_pending_mail().await;
}

/// Eight supervisors' requests at once each get their own number: 1 to 8,
/// none twice, none skipped.
#[tokio::test]
async fn notices_issued_at_once_get_distinct_consecutive_numbers() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let y = domain::period::local(Utc::now()).year();
    let answers = app
        .gql_parallel(
            8,
            &w.supervisor,
            CREATE,
            manual(&w.one.region, &w.one.vendor),
        )
        .await;
    let mut numbers: Vec<String> = answers
        .iter()
        .map(|a| {
            a.ok()["createNotice"]["documentNumber"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    numbers.sort();
    let mut expected: Vec<String> = (1..=8)
        .map(|n| format!("区1政云监〔{y}〕第{n}号"))
        .collect();
    expected.sort();
    assert_eq!(numbers, expected);
    app.deliver_pending_mail().await;
}

/// `2026-12-15` → `2026年12月15日`.
fn chinese(date: &Value) -> String {
    let d: NaiveDate = date.as_str().unwrap().parse().unwrap();
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// With PUBLIC_URL `https://yun.example.gov.cn/jg/` (its slash dropped) and R1's
/// contact 监管科 李明 021-23456789, the notice's mail to ops1@v.example.cn carries
/// `https://yun.example.gov.cn/jg/notices/{id}`, 文号 区1政云监〔Y〕第1号, the
/// deadline in Chinese, how to answer and the contact. The vendor's submission
/// mails R1's supervisors that have an e-mail (sup1, set by updateUser, and
/// sup1b, set by createUser; not R2's supervisor); reopening and accepting
/// each mail the vendor's contact.
#[tokio::test]
async fn the_mail_links_the_notice_and_each_step_tells_the_other_side() {
    let smtp = SmtpServer::start(scratch_dir("notice-mail")).await;
    let app = spawn_app_with(|c| {
        c.mail.smtp_url = Some(format!("smtp://127.0.0.1:{}", smtp.port));
        c.mail.public_url = "https://yun.example.gov.cn/jg".to_owned();
    })
    .await;
    let w = world::build(&app).await;
    app.must(
        &w.admin,
        SET_REGION,
        json!({"id": w.one.region, "i": {"contact": "监管科 李明 021-23456789"}}),
    )
    .await;
    let sup1 = world::user_id(&app, &w, "sup1").await;
    let update =
        "mutation($id: ID!, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { email } }";
    let bad = app
        .gql(
            Some(&w.admin),
            update,
            json!({"id": sup1, "i": {"email": "not-an-address"}}),
        )
        .await;
    assert!(bad.error().1.contains("input.email"), "{:?}", bad.error());
    assert_eq!(
        app.must(
            &w.admin,
            update,
            json!({"id": sup1, "i": {"email": "sup1@jg.example.gov.cn"}})
        )
        .await["updateUser"]["email"],
        "sup1@jg.example.gov.cn"
    );
    let create_user = "mutation($i: CreateUserInput!) { createUser(input: $i) { id email } }";
    for (name, region, email) in [
        ("sup1b", &w.one.region, "sup1b@jg.example.gov.cn"),
        ("sup2", &w.two.region, "sup2@jg.example.gov.cn"),
    ] {
        app.must(
            &w.admin,
            create_user,
            json!({"i": {"username": name, "password": "Supervisor-pass-9", "role": "SUPERVISOR", "regionId": region, "email": email}}),
        )
        .await;
    }

    let y = domain::period::local(Utc::now()).year();
    let notice = app
        .must(&w.supervisor, CREATE, manual(&w.one.region, &w.one.vendor))
        .await["createNotice"]
        .clone();
    let id = notice["id"].as_str().unwrap().to_owned();
    app.deliver_pending_mail().await;
    let arrived = smtp.arrived();
    assert_eq!(arrived.len(), 1);
    assert_eq!(arrived[0].envelope_to, "ops1@v.example.cn");
    let body = &arrived[0].body;
    for expected in [
        format!("文号：区1政云监〔{y}〕第1号"),
        format!("https://yun.example.gov.cn/jg/notices/{id}"),
        "先点击“确认收到”".to_owned(),
        format!("再于{}前点击“提交整改情况”", chinese(&notice["deadline"])),
        "上传相关附件".to_owned(),
        "如有疑问，请联系监管科 李明 021-23456789。".to_owned(),
    ] {
        assert!(body.contains(&expected), "missing {expected:?} in\n{body}");
    }

    let step = |m: &str| format!("mutation($id: ID!) {{ {m}(id: $id) {{ status }} }}");
    let submit = "mutation($id: ID!) { submitRectification(id: $id, rectification: \"已补充备份策略并完成恢复演练\") { status } }";
    app.must(&w.vendor, &step("acknowledgeNotice"), json!({"id": id}))
        .await;
    app.must(&w.vendor, submit, json!({"id": id})).await;
    app.deliver_pending_mail().await;
    let arrived = smtp.arrived();
    assert_eq!(arrived.len(), 3);
    let submitted: Vec<_> = arrived
        .iter()
        .filter(|a| a.subject.contains("已提交整改情况"))
        .collect();
    let mut to: Vec<&str> = submitted.iter().map(|a| a.envelope_to.as_str()).collect();
    to.sort();
    assert_eq!(to, ["sup1@jg.example.gov.cn", "sup1b@jg.example.gov.cn"]);
    for a in submitted {
        assert!(a.subject.contains("已提交整改情况"), "{}", a.subject);
        assert!(
            a.body.contains("已补充备份策略并完成恢复演练"),
            "{}",
            a.body
        );
        assert!(a.body.contains(&format!("/jg/notices/{id}")), "{}", a.body);
    }

    app.must(&w.supervisor, &step("reopenNotice"), json!({"id": id}))
        .await;
    app.deliver_pending_mail().await;
    let arrived = smtp.arrived();
    assert_eq!(arrived.len(), 4);
    let reopened = arrived
        .iter()
        .find(|a| a.subject.contains("整改退回"))
        .unwrap();
    assert_eq!(reopened.envelope_to, "ops1@v.example.cn");
    assert!(
        reopened.body.contains(&format!("区1政云监〔{y}〕第1号")),
        "{}",
        reopened.body
    );

    app.must(&w.vendor, &step("acknowledgeNotice"), json!({"id": id}))
        .await;
    app.must(&w.vendor, submit, json!({"id": id})).await;
    app.must(
        &w.supervisor,
        &step("acceptRectification"),
        json!({"id": id}),
    )
    .await;
    app.deliver_pending_mail().await;
    let arrived = smtp.arrived();
    assert_eq!(
        arrived.len(),
        7,
        "two more to the supervisors, one to the vendor"
    );
    let accepted = arrived
        .iter()
        .find(|a| a.subject.contains("整改通过"))
        .unwrap();
    assert_eq!(accepted.envelope_to, "ops1@v.example.cn");
}
