//! `DEMO_DATA=1` loads a demo region that the lists show, once.

use e2e::{spawn_app, spawn_with};
use serde_json::json;

#[tokio::test]
async fn demo_data_is_listed_and_loaded_once() {
    // Start once without demo data to get a database, then again on the same
    // database with it, twice: the second load must not duplicate anything.
    let plain = spawn_app().await;
    let url = plain.database_url.clone();
    let config = |demo| api::config::Config {
        database_url: url.clone(),
        listen_addr: "127.0.0.1:0".parse().unwrap(),
        jwt_secret: None,
        token_ttl_minutes: 60,
        admin: api::config::AdminSeed {
            username: e2e::ADMIN_USERNAME.into(),
            password: None,
        },
        demo_data: demo,
        mail: api::config::MailConfig::files(std::env::temp_dir().join("govcloud-e2e-demo-mail")),
        schedule: None,
        lease: std::time::Duration::from_secs(jobs::scheduler::DEFAULT_LEASE_SECONDS),
        http: api::config::HttpConfig::default(),
        dispute_window_working_days: domain::disputes::DEFAULT_WINDOW_WORKING_DAYS,
    };
    let first = spawn_with(config(true), None).await;
    let _second = spawn_with(config(true), None).await;

    let admin = first.admin().await;
    let totals = first.must(&admin, "{ vendors { total } agencies { total } informationSystems { total } regions { total } }", json!({})).await;
    // api::demo: three vendors, twelve agencies, fifty systems, two regions.
    assert_eq!(
        totals,
        json!({"vendors": {"total": 3}, "agencies": {"total": 12}, "informationSystems": {"total": 50}, "regions": {"total": 2}})
    );

    let vendor = first.login("demo-vendor", "Demo-vendor-2026").await;
    let own = first.must(&vendor, "{ me { vendorId } workOrders(limit: 500) { total items { vendorId } } faults { items { level gradingRow } } }", json!({})).await;
    let me = &own["me"]["vendorId"];
    // One dispute of its failed month, left open, loaded once.
    let disputes = first
        .must(
            &vendor,
            "{ disputes { total items { status vendorId } } }",
            json!({}),
        )
        .await;
    assert_eq!(disputes["disputes"]["total"], 1, "{disputes}");
    assert_eq!(disputes["disputes"]["items"][0]["status"], "OPEN");
    assert_eq!(&disputes["disputes"]["items"][0]["vendorId"], me);
    assert!(
        own["workOrders"]["total"].as_i64().unwrap() >= 24,
        "8 or more work orders a month for three months"
    );
    assert!(
        own["workOrders"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|w| &w["vendorId"] == me)
    );
    for fault in own["faults"]["items"].as_array().unwrap() {
        assert!(
            (1..=6).contains(&fault["level"].as_i64().unwrap()),
            "demo faults are graded"
        );
    }
    let supervisor = first.login("demo-supervisor", "Demo-supervisor-2026").await;
    let month = first
        .must(
            &supervisor,
            "{ attendances(filter: { period: \"2026-09\" }) { total } }",
            json!({}),
        )
        .await;
    // One attendance record per vendor in September in the municipal region.
    assert_eq!(month["attendances"]["total"], 3);

    // The previews return the full breakdown for the demo data: 14 monthly
    // indicators (A1–G1), and a 2026 result with the months ended so far blended in.
    let region = first
        .must(&supervisor, "{ me { regionId } }", json!({}))
        .await["me"]["regionId"]
        .clone();
    let vars = json!({"v": me, "r": region});
    let q = "query($v: ID!, $r: ID!) {
        previewMonthlyScore(vendorId: $v, regionId: $r, period: \"2026-09\") { total indicators { code score deductions { points reason } } }
        previewAnnualScore(vendorId: $v, regionId: $r, serviceYear: 2026) { total monthlyTotals { period } annual { indicators { code } } } }";
    let preview = first.must(&vendor, q, vars).await;
    assert_eq!(
        preview["previewMonthlyScore"]["indicators"]
            .as_array()
            .unwrap()
            .len(),
        14
    );
    assert_eq!(
        preview["previewAnnualScore"]["annual"]["indicators"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
    assert!(
        !preview["previewAnnualScore"]["monthlyTotals"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // Songjiang's metered settlement (api::demo_metering): the issue's worked
    // example on the demo vendor's first district system, 100 × 30.00 × 6 +
    // 120 × 30.00 × 6 + 200 × 20.00 × 12 = 87,600.00, closed before the
    // district's annual run, so its published result takes the penalty on it.
    let songjiang = first.login("demo-songjiang", "Demo-songjiang-2026").await;
    let district = first
        .must(&songjiang, "{ me { regionId } }", json!({}))
        .await["me"]["regionId"]
        .clone();
    let bill = first
        .must(
            &songjiang,
            "query($r: ID!) { meteredBill(regionId: $r, serviceYear: 2025) { state payable flagged } }",
            json!({"r": district}),
        )
        .await["meteredBill"]
        .clone();
    assert_eq!(bill["state"], "CLOSED");
    assert_eq!(bill["payable"], "87600.00");
    assert_eq!(bill["flagged"], 0);
}
