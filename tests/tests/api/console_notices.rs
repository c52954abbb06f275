//! A vendor's console and rectification notices acted on from the mail
//! (issue 13, items 3 and 4): the vendor's home with its published totals and
//! their trend, the mail's link followed signed out, acknowledging and
//! submitting with an attachment (seen through GraphQL, mailed to the
//! supervisors, downloaded by who may read the notice only), refused files,
//! and the supervisor's decision.
//!
//! The world's March 2025 (published by `world::publish_month`) scores V1 at
//! 88.38 (worked out in assessment.rs), below the pass mark of 90 of the
//! sh-municipal scheme, so V1 gets a MONTHLY_BELOW_PASS_MARK notice.

use e2e::console::{ConsoleUser, SESSION_COOKIE, hidden};
use e2e::{TestApp, spawn_app, spawn_app_with};
use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::mail::Arrived;
use crate::world::{self, AGENCY, SUPERVISOR, VENDOR, World};

/// A small PDF: what counts is that it starts with `%PDF-`.
pub const PDF: &[u8] = b"%PDF-1.4\n% rectification report 4711\n%%EOF\n";
pub const REPORT: &str = "整改报告.pdf";
const TEXT: &str = "已补充备份策略并完成恢复演练";

const NOTICE: &str = "query($id: ID!) { notice(id: $id) { status documentNumber attachments { id fileName contentType size } } }";

/// V1's notice of March 2025 as its vendor lists it: (id, document number).
pub async fn march_notice(app: &TestApp, w: &World) -> (String, String) {
    let notices = app
        .must(
            &w.vendor,
            "{ notices { items { id kind documentNumber } } }",
            json!({}),
        )
        .await;
    let n = notices["notices"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["kind"] == "MONTHLY_BELOW_PASS_MARK")
        .unwrap_or_else(|| panic!("no notice in {notices}"))
        .clone();
    (
        n["id"].as_str().unwrap().to_owned(),
        n["documentNumber"].as_str().unwrap().to_owned(),
    )
}

/// The submission form: the text and the files (name, bytes).
pub fn submission(text: &str, files: &[(&str, &[u8])]) -> Form {
    files.iter().fold(
        Form::new().text("rectification", text.to_owned()),
        |form, (name, bytes)| {
            form.part(
                "files",
                Part::bytes(bytes.to_vec()).file_name(name.to_string()),
            )
        },
    )
}

/// The vendor acknowledges the notice and submits `files` through the pages;
/// the answer to the submission.
pub async fn acknowledge_and_submit(
    vendor: &mut ConsoleUser,
    id: &str,
    files: &[(&str, &[u8])],
) -> e2e::console::Page {
    vendor.get(&format!("/notices/{id}")).await;
    let ack = vendor
        .post(&format!("/notices/{id}/acknowledge"), &[])
        .await;
    assert_eq!(ack.status, StatusCode::SEE_OTHER, "{}", ack.body);
    let page = vendor.get(&format!("/notices/{id}")).await;
    assert!(page.body.contains("提交整改情况"), "{}", page.body);
    vendor
        .post_multipart(&format!("/notices/{id}/submit"), submission(TEXT, files))
        .await
}

async fn notice(app: &TestApp, token: &str, id: &str) -> Value {
    app.must(token, NOTICE, json!({"id": id})).await["notice"].clone()
}

/// V1's home lists its published March total (88.38, below 90: 不合格) with a
/// link to its scorecard, and its open notice; the trend chart's twelve months
/// end with March 2025 (April 2024 … March 2025), one line for R1 (区1) with
/// 88.38 in its last month and nothing before, and the pass line at 90.
#[tokio::test]
async fn the_vendor_home_shows_its_published_totals_and_their_trend() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let mut vendor = ConsoleUser::sign_in(&app, VENDOR.0, VENDOR.1).await;
    let before = vendor.get("/").await;
    assert!(
        before.body.contains("暂无已发布的考核结果"),
        "{}",
        before.body
    );

    world::publish_month(&app, &w, "2025-03").await;
    let (_, number) = march_notice(&app, &w).await;
    let home = vendor.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    for expected in ["2025年3月", "88.38", "不合格", "/results/", number.as_str()] {
        assert!(home.body.contains(expected), "{expected} in {}", home.body);
    }
    let chart = e2e::console::chart(&home.body);
    assert_eq!(chart["kind"], "line");
    let months = chart["categories"].as_array().unwrap();
    assert_eq!(months.len(), 12);
    assert_eq!(months[0], "2024年4月");
    assert_eq!(months[11], "2025年3月");
    assert_eq!(chart["series"].as_array().unwrap().len(), 1);
    assert_eq!(chart["series"][0]["name"], "区1");
    assert_eq!(chart["series"][0]["data"][11], "88.38");
    assert!(chart["series"][0]["data"][10].is_null());
    assert_eq!(chart["passLine"], "90");

    // The supervisor opens the same trend for R1 on its page.
    let mut supervisor = ConsoleUser::sign_in(&app, SUPERVISOR.0, SUPERVISOR.1).await;
    let trend = supervisor
        .get(&format!(
            "/vendors/{}/trend?region={}",
            w.one.vendor, w.one.region
        ))
        .await;
    assert_eq!(trend.status, StatusCode::OK);
    assert_eq!(
        e2e::console::chart(&trend.body)["series"][0]["data"][11],
        "88.38"
    );
    app.deliver_pending_mail().await;
}

/// The mail's link `{PUBLIC_URL}/notices/{id}`, opened signed out, sends to
/// sign-in with the page asked for; signing in there leads back to it.
#[tokio::test]
async fn the_mail_link_followed_signed_out_leads_through_sign_in_to_the_notice() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    world::publish_month(&app, &w, "2025-03").await;
    let (id, number) = march_notice(&app, &w).await;
    app.deliver_pending_mail().await;
    let mails = Arrived::files_in(&app.config.mail.mail_dir);
    let mail = mails
        .iter()
        .find(|m| m.body.contains(&number))
        .expect("the notice's mail");
    let link = mail
        .body
        .lines()
        .find(|l| l.contains("/notices/"))
        .expect("a link")
        .trim()
        .to_owned();
    assert_eq!(link, format!("http://127.0.0.1:8080/notices/{id}"));
    let path = &link["http://127.0.0.1:8080".len()..];

    let mut stranger = ConsoleUser::stranger(&app);
    let asked = stranger.get(path).await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER);
    let login = asked.location.unwrap();
    assert_eq!(login, format!("/login?next=%2Fnotices%2F{id}"));

    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let form = browser
        .get(format!("{}{login}", app.base))
        .send()
        .await
        .unwrap();
    let pre = form
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
        .find(|c| c.starts_with("govcloud_signin="))
        .expect("the sign-in cookie");
    let body = form.text().await.unwrap();
    let next = hidden(&body, "next").expect("the page asked for, kept in the form");
    assert_eq!(next, path);
    let signed = browser
        .post(format!("{}/login", app.base))
        .header(COOKIE, pre)
        .form(&[
            ("username", VENDOR.0),
            ("password", VENDOR.1),
            ("csrf", hidden(&body, "csrf").unwrap().as_str()),
            ("next", next.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(signed.status(), StatusCode::SEE_OTHER);
    assert_eq!(signed.headers()[LOCATION], path);
    let session = signed
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with(&format!("{SESSION_COOKIE}=")))
        .expect("a session");
    stranger.session = session.split(';').next().unwrap()[SESSION_COOKIE.len() + 1..].to_owned();
    let page = stranger.get(path).await;
    assert_eq!(page.status, StatusCode::OK);
    for expected in [
        number.as_str(),
        "月度考核未达标",
        "确认收到",
        "如有疑问，请联系区1政务云监管部门。",
    ] {
        assert!(page.body.contains(expected), "{expected} in {}", page.body);
    }
}

/// Acknowledged and submitted with a PDF through the pages: GraphQL shows
/// SUBMITTED and the attachment (its 43 bytes); R1's supervisor with an
/// e-mail is mailed; the file downloads, byte for byte and as a PDF
/// attachment named in RFC 5987, for the vendor and the supervisor, and not
/// for the other vendor nor the agency.
#[tokio::test]
async fn acknowledge_then_submit_with_a_pdf_is_seen_mailed_and_downloaded_by_its_readers() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    world::set_supervisor_email(&app, &w).await;
    world::publish_month(&app, &w, "2025-03").await;
    let (id, number) = march_notice(&app, &w).await;
    app.deliver_pending_mail().await;
    let mut vendor = ConsoleUser::sign_in(&app, VENDOR.0, VENDOR.1).await;
    let submitted = acknowledge_and_submit(&mut vendor, &id, &[(REPORT, PDF)]).await;
    assert_eq!(
        submitted.status,
        StatusCode::SEE_OTHER,
        "{}",
        submitted.body
    );

    let seen = notice(&app, &w.vendor, &id).await;
    assert_eq!(seen["status"], "SUBMITTED");
    let attachments = seen["attachments"].as_array().unwrap();
    assert_eq!(attachments.len(), 1);
    assert_eq!(attachments[0]["fileName"], REPORT);
    assert_eq!(attachments[0]["contentType"], "application/pdf");
    // b"%PDF-1.4\n" is 9 bytes, "% rectification report 4711\n" 28, "%%EOF\n" 6: 43.
    assert_eq!(attachments[0]["size"], PDF.len() as i64);
    assert_eq!(PDF.len(), 43);

    app.deliver_pending_mail().await;
    let to_supervisor = Arrived::files_to(&app.config.mail.mail_dir, "sup1@jg.example.gov.cn");
    assert_eq!(to_supervisor.len(), 1);
    assert!(to_supervisor[0].subject.contains("已提交整改情况"));
    assert!(to_supervisor[0].body.contains(&number));

    let page = vendor.get(&format!("/notices/{id}")).await;
    assert!(
        page.body.contains(REPORT) && page.body.contains(TEXT),
        "{}",
        page.body
    );
    assert!(page.body.contains("提交整改情况") && page.body.contains(VENDOR.0));

    let aid = attachments[0]["id"].as_str().unwrap();
    let path = format!("/notices/{id}/attachments/{aid}");
    let supervisor = ConsoleUser::sign_in(&app, SUPERVISOR.0, SUPERVISOR.1).await;
    for reader in [&vendor, &supervisor] {
        let (status, kind, bytes) = reader.download(&path).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(kind, "application/pdf");
        assert_eq!(bytes, PDF);
    }
    let headers = reqwest::Client::new()
        .get(format!("{}{path}", app.base))
        .header(COOKIE, format!("{SESSION_COOKIE}={}", vendor.session))
        .send()
        .await
        .unwrap()
        .headers()
        .clone();
    assert_eq!(
        headers["content-disposition"],
        "attachment; filename=\"____.pdf\"; filename*=UTF-8''%E6%95%B4%E6%94%B9%E6%8A%A5%E5%91%8A.pdf"
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");

    let other = other_vendor(&app, &w).await;
    let agency = ConsoleUser::sign_in(&app, AGENCY.0, AGENCY.1).await;
    for stranger in [&other, &agency] {
        let (status, _, bytes) = stranger.download(&path).await;
        assert!(
            [StatusCode::NOT_FOUND, StatusCode::FORBIDDEN].contains(&status),
            "{status}"
        );
        assert!(!String::from_utf8_lossy(&bytes).contains("rectification report 4711"));
    }
}

/// With `ATTACHMENT_MAX_BYTES` at 1024: an HTML file named `.pdf`, a PDF of
/// 2000 bytes, and six PDFs are each refused in Chinese next to the file field;
/// the notice stays ACKNOWLEDGED with no attachment and the supervisors get
/// no mail.
#[tokio::test]
async fn a_file_of_the_wrong_type_too_big_or_too_many_is_refused_and_nothing_is_written() {
    let app = spawn_app_with(|c| c.http.attachment_max_bytes = 1024).await;
    let w = world::build(&app).await;
    world::set_supervisor_email(&app, &w).await;
    world::publish_month(&app, &w, "2025-03").await;
    let (id, _) = march_notice(&app, &w).await;
    let mut vendor = ConsoleUser::sign_in(&app, VENDOR.0, VENDOR.1).await;

    let html: &[u8] = b"<html><script>alert(1)</script></html>";
    let wrong = acknowledge_and_submit(&mut vendor, &id, &[("报告.pdf", html)]).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong
            .body
            .contains("附件“报告.pdf”不是 PDF、PNG 或 JPEG 文件"),
        "{}",
        wrong.body
    );

    let mut big = PDF.to_vec();
    big.resize(2000, b' ');
    for (files, message) in [
        (vec![(REPORT, big.as_slice())], "超过了 1 KB 的大小限制"),
        (vec![(REPORT, PDF); 6], "一次最多上传 5 个附件"),
    ] {
        let page = vendor
            .post_multipart(&format!("/notices/{id}/submit"), submission(TEXT, &files))
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.body.contains(message), "{message} in {}", page.body);
        assert!(page.body.contains(TEXT), "the text is kept for another try");
    }
    let seen = notice(&app, &w.vendor, &id).await;
    assert_eq!(seen["status"], "ACKNOWLEDGED");
    assert_eq!(seen["attachments"], json!([]));
    app.deliver_pending_mail().await;
    let to_supervisor =
        Arrived::files_to(&app.config.mail.mail_dir, "sup1@jg.example.gov.cn").len();
    assert_eq!(to_supervisor, 0);
}

/// The supervisor sends the rectification back (REOPENED), the vendor submits
/// again, the supervisor accepts (ACCEPTED). A vendor's "accept" and a step
/// the state does not allow are refused with a Chinese sentence.
#[tokio::test]
async fn the_supervisor_reopens_then_accepts_and_refused_steps_say_why() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    world::publish_month(&app, &w, "2025-03").await;
    let (id, _) = march_notice(&app, &w).await;
    let mut vendor = ConsoleUser::sign_in(&app, VENDOR.0, VENDOR.1).await;
    acknowledge_and_submit(&mut vendor, &id, &[]).await;

    let not_yours = vendor.post(&format!("/notices/{id}/accept"), &[]).await;
    assert_eq!(not_yours.status, StatusCode::FORBIDDEN);
    assert!(
        not_yours.body.contains("您不能执行“验收通过”"),
        "{}",
        not_yours.body
    );
    let too_late = vendor
        .post(&format!("/notices/{id}/acknowledge"), &[])
        .await;
    assert_eq!(too_late.status, StatusCode::CONFLICT);
    assert!(
        too_late.body.contains("不允许“确认收到”"),
        "{}",
        too_late.body
    );

    let mut supervisor = ConsoleUser::sign_in(&app, SUPERVISOR.0, SUPERVISOR.1).await;
    let page = supervisor.get(&format!("/notices/{id}")).await;
    assert!(page.body.contains("验收通过") && page.body.contains("data-confirm"));
    let back = supervisor.post(&format!("/notices/{id}/reopen"), &[]).await;
    assert_eq!(back.status, StatusCode::SEE_OTHER);
    assert_eq!(notice(&app, &w.vendor, &id).await["status"], "REOPENED");

    vendor.get(&format!("/notices/{id}")).await;
    let again = vendor
        .post_multipart(&format!("/notices/{id}/submit"), submission(TEXT, &[]))
        .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
    supervisor.get(&format!("/notices/{id}")).await;
    let accepted = supervisor.post(&format!("/notices/{id}/accept"), &[]).await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER);
    assert_eq!(notice(&app, &w.vendor, &id).await["status"], "ACCEPTED");
    let history = supervisor.get(&format!("/notices/{id}")).await.body;
    for step in ["签发通知", "确认收到", "退回重新整改", "验收通过"] {
        assert!(history.contains(step), "{step} in {history}");
    }
    app.deliver_pending_mail().await;
}

/// The second vendor's user (bound to V2), signed in to the console.
async fn other_vendor(app: &TestApp, w: &World) -> ConsoleUser {
    app.must(
        &w.admin,
        "mutation($i: CreateUserInput!) { createUser(input: $i) { id } }",
        json!({"i": {"username": "vendor2b", "password": "Vendor-pass-2b", "role": "VENDOR", "vendorId": w.two.vendor}}),
    )
    .await;
    ConsoleUser::sign_in(app, "vendor2b", "Vendor-pass-2b").await
}
