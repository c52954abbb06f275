//! The demo as the README promises it (issue 13, "Done when"): with
//! `DEMO_DATA=1` every demo user's home shows real numbers and a drawn
//! chart. A full-page screenshot of each home is written to
//! `<target>/console-screenshots/home-<role>.png`; the README's pictures
//! (`docs/console-*.png`) are copies of these.

use api::demo::USERS;
use domain::actor::RoleKind;
use e2e::{ADMIN_PASSWORD, ADMIN_USERNAME, spawn_app_with};

use crate::harness::Driver;

/// Each demo user, with the name of its screenshot and what its home is titled.
fn homes() -> Vec<(&'static str, &'static str, String, &'static str)> {
    let mut homes = vec![(
        ADMIN_USERNAME,
        ADMIN_PASSWORD,
        "admin".to_owned(),
        "考核看板",
    )];
    for (username, password, role) in USERS {
        let (shot, title) = match (role, username) {
            (RoleKind::Supervisor, "demo-songjiang") => ("supervisor-songjiang", "考核看板"),
            (RoleKind::Supervisor, _) => ("supervisor", "考核看板"),
            (RoleKind::Vendor, _) => ("vendor", "我的考核"),
            _ => ("agency", "我的提交"),
        };
        homes.push((username, password, shot.to_owned(), title));
    }
    homes
}

pub async fn demo_homes(driver: &Driver) {
    let app = spawn_app_with(|c| c.demo_data = true).await;
    for (username, password, shot, title) in homes() {
        let browser = driver.browser(&app).await;
        browser.sign_in(username, password).await;
        browser.wait_for_path("/").await;
        let text = browser.text().await;
        assert!(text.contains(title), "{username}'s home: {text}");
        // A score, total or satisfaction: digits, a point, two digits
        // (98.06, 72.73%), never a bare 0 from an empty page.
        assert!(
            has_two_decimal_number(&text),
            "{username}'s home shows no number with two decimals: {text}"
        );
        assert!(
            browser.drawing("[data-chart][data-drawn]").await.shapes > 0,
            "{username}'s home draws no chart"
        );
        browser.full_page_screenshot(&format!("home-{shot}")).await;
        browser.close().await;
    }
    // Publishing the demo's months mailed their notices.
    app.deliver_pending_mail().await;
}

/// Whether the text has a number like `98.06` (not `2026年`, not `3.5`).
fn has_two_decimal_number(text: &str) -> bool {
    text.split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .any(|word| match word.split_once('.') {
            Some((whole, part)) => {
                !whole.is_empty() && part.len() == 2 && part.chars().all(|c| c.is_ascii_digit())
            }
            None => false,
        })
}
