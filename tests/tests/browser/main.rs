//! The console in a real browser (issue 13, "Tests: a real browser"): headless
//! Chromium driven over WebDriver (`fantoccini`) against the real server, each
//! scenario with its own server (`e2e::spawn_app`) and its own browser
//! session, one `chromedriver` for them all. A screenshot of each page a
//! scenario visits is written under `target/console-screenshots/` for review.
//!
//! No scenario passes without the browser: a missing `chromium`,
//! `chromium-driver` or `fonts-noto-cjk` fails the run, naming the package.
//!
//! To add a scenario: write `async fn name(driver: &Driver)` in a module
//! named for its role (start the app, `driver.browser(&app)`, drive it,
//! `browser.close()`), and add it to the list in `the_console_in_a_real_browser`.

#![allow(clippy::unwrap_used)]
#![recursion_limit = "256"]

#[path = "../api/world.rs"]
#[allow(dead_code)]
mod world;

mod admin;
mod agency;
mod demo;
mod disputes;
mod exports;
mod harness;
mod imports;
mod sign_in;
mod supervisor;
mod vendor;

use harness::Driver;

/// One test, the scenarios in turn: one `chromedriver`, started once, and
/// the two cores the CI has are not shared by several browsers at once.
#[tokio::test]
async fn the_console_in_a_real_browser() {
    let driver = Driver::start();
    driver
        .scenario(
            "a deep link leads to its page after sign-in",
            sign_in::a_deep_link_leads_to_its_page_after_sign_in,
        )
        .await;
    driver
        .scenario(
            "an agency files the questionnaire by clicking its answers",
            agency::an_agency_files_the_questionnaire,
        )
        .await;
    driver
        .scenario(
            "an agency files a complaint about its system",
            agency::an_agency_files_a_complaint,
        )
        .await;
    driver
        .scenario(
            "a notice link leads to the notice after sign-in",
            sign_in::a_notice_link_leads_to_the_notice_after_sign_in,
        )
        .await;
    driver
        .scenario(
            "a supervisor records a work order and publishes the month",
            supervisor::a_supervisor_records_a_work_order_and_publishes_the_month,
        )
        .await;
    driver
        .scenario(
            "a supervisor imports work orders from a spreadsheet",
            imports::a_supervisor_imports_work_orders_from_a_spreadsheet,
        )
        .await;
    driver
        .scenario(
            "a supervisor exports the month's .xlsx and opens its print page",
            exports::a_supervisor_exports_the_month_and_opens_its_print_page,
        )
        .await;
    driver
        .scenario(
            "the demo's ranking, scorecard and annual results print with the stamp's place",
            exports::the_demos_print_pages,
        )
        .await;
    driver
        .scenario(
            "every demo user's home shows numbers and a chart",
            demo::demo_homes,
        )
        .await;
    driver
        .scenario(
            "a vendor follows its mail's link, acknowledges and submits with a PDF",
            vendor::a_vendor_answers_a_notice_from_its_mail,
        )
        .await;
    driver
        .scenario(
            "an administrator creates a vendor user, disables it, it cannot sign in",
            admin::an_administrator_creates_a_vendor_user_and_disables_it,
        )
        .await;
    driver
        .scenario(
            "a vendor disputes a deduction and the supervisor accepts it",
            disputes::a_vendor_disputes_a_deduction_and_the_supervisor_accepts,
        )
        .await;
}
