//! An agency files through its forms as a person would: the questionnaire by
//! clicking its answers, a complaint by picking its system by name; each is
//! then on its home page.

use e2e::spawn_app;

use crate::harness::Driver;
use crate::world::{self, AGENCY};

pub async fn an_agency_files_the_questionnaire(driver: &Driver) {
    let app = spawn_app().await;
    let _w = world::build(&app).await;
    let browser = driver.browser(&app).await;
    browser.sign_in(AGENCY.0, AGENCY.1).await;
    browser.click("a[href=\"/surveys/new\"]").await;
    browser.wait_for_path("/surveys/new").await;
    assert!(
        browser
            .text()
            .await
            .contains("您对云服务商资源交付及时性是否满意？")
    );

    browser.fill("respondent_name", "王强").await;
    browser.fill("respondent_phone", "021-6321 0001").await;
    browser.select("vendor_id", "云1").await;
    browser.select("service_year", "2025年度").await;
    // Q1–Q9: 4+3+2+1+0+4+3+2+1 = 20; Q10: 6; the total is 26 of 44.
    for (question, answer) in [
        ("q1", "4"),
        ("q2", "3"),
        ("q3", "2"),
        ("q4", "1"),
        ("q5", "0"),
        ("q6", "4"),
        ("q7", "3"),
        ("q8", "2"),
        ("q9", "1"),
        ("q10", "6"),
    ] {
        browser.choose(question, answer).await;
    }
    browser.fill("suggestions", "希望加强应急演练").await;
    browser.fill("surveying_body", "第三方监管团队").await;
    browser.fill("surveyor", "李华").await;
    browser.set_value("surveyed_on", "2025-12-20").await;
    browser.screenshot("agency-questionnaire").await;
    browser.click("#file-survey").await;

    browser.wait_for_path("/").await;
    let home = browser.text().await;
    assert!(home.contains("满意度调查问卷已提交"), "{home}");
    assert!(home.contains("26/44"), "{home}");
    // 26 / 44 × 100 = 59.0909… → 59.09 %.
    assert!(home.contains("59.09%"), "{home}");
    browser.screenshot("agency-home-after-survey").await;
    browser.close().await;
}

pub async fn an_agency_files_a_complaint(driver: &Driver) {
    let app = spawn_app().await;
    let _w = world::build(&app).await;
    let browser = driver.browser(&app).await;
    browser.sign_in(AGENCY.0, AGENCY.1).await;
    browser.screenshot("agency-home").await;
    browser.click("a[href=\"/complaints/new\"]").await;
    browser.wait_for_path("/complaints/new").await;

    browser.select("system_id", "系统1（云服务商：云1）").await;
    browser.fill("description", "对象存储访问缓慢").await;
    browser.set_value("received_at", "2025-03-05T08:30").await;
    browser.screenshot("agency-complaint-form").await;
    browser.click("#file-complaint").await;

    browser.wait_for_path("/").await;
    let home = browser.text().await;
    assert!(home.contains("投诉已提交"), "{home}");
    assert!(home.contains("对象存储访问缓慢"), "{home}");
    assert!(home.contains("系统1"), "{home}");
    assert!(home.contains("2025年3月5日 08:30"), "{home}");
    browser.screenshot("agency-home-after-complaint").await;
    browser.close().await;
}
