//! Signing in from a deep link: a page asked for while signed out leads to the
//! sign-in page and, once signed in, to that page (`next`), as a link in a
//! mail does.

use e2e::spawn_app;

use crate::harness::Driver;
use crate::world::{self, AGENCY};

pub async fn a_deep_link_leads_to_its_page_after_sign_in(driver: &Driver) {
    let app = spawn_app().await;
    let _w = world::build(&app).await;
    let browser = driver.browser(&app).await;
    browser.open("/complaints/new").await;
    browser.wait_for_path("/login").await;
    assert_eq!(browser.path().await, "/login?next=%2Fcomplaints%2Fnew");
    assert!(browser.text().await.contains("政务云监管平台"));
    browser.screenshot("sign-in").await;

    browser.sign_in(AGENCY.0, AGENCY.1).await;
    assert_eq!(browser.path().await, "/complaints/new");
    assert!(browser.text().await.contains("提交投诉"));
    browser.close().await;
}
