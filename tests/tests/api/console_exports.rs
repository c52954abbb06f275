//! Spreadsheets for filing (issue 14, item 2): the month's ranking as
//! `.xlsx`, read back with calamine — the figures are numbers, equal to the
//! API's, and only the supervision team gets the file.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use e2e::console::ConsoleUser;
use e2e::spawn_app;
use reqwest::StatusCode;
use serde_json::json;

use crate::world::{self, AGENCY, SUPERVISOR, VENDOR, with_second_vendor};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// R1, March 2025, published (as console_dashboards.rs works it out):
/// 云3 100 − 5 = 95.00 ranks 1st and passes; 云1 88.37598566 → 88.38 ranks
/// 2nd, below the pass mark of 90. The sheet says so in numbers: rank,
/// every indicator's score, the total.
#[tokio::test]
async fn the_months_ranking_is_a_spreadsheet_of_numbers_equal_to_the_api() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    with_second_vendor(&app, &w).await;
    world::publish_month(&app, &w, "2025-03").await;
    let mut sup = ConsoleUser::sign_in(&app, SUPERVISOR.0, SUPERVISOR.1).await;
    let path = format!(
        "/exports/ranking.xlsx?region={}&month=2025-03",
        w.one.region
    );
    let dashboard = sup.get("/?month=2025-03").await;
    let link = dashboard
        .body
        .split("href=\"/exports/ranking.xlsx?")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the dashboard links the export");
    assert!(
        link.contains(&format!("region={}", w.one.region)) && link.contains("month=2025-03"),
        "{link}"
    );

    let (status, kind, bytes) = sup.download(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(kind, XLSX);
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("an xlsx file");
    let sheet = book.worksheet_range("月度排名").expect("the ranking sheet");
    let cell = |r: u32, c: u32| sheet.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    assert_eq!(
        cell(0, 0),
        Data::String("区1 2025年3月月度考核排名".replace(' ', ""))
    );
    assert_eq!(cell(2, 0), Data::String("名次".into()));
    let header: Vec<Data> = (0..sheet.width() as u32).map(|c| cell(2, c)).collect();
    let total_col = header
        .iter()
        .position(|h| *h == Data::String("总分".into()))
        .expect("a 总分 column") as u32;
    // Between 云服务商 and 总分: one column per indicator of the scheme.
    assert!(total_col > 2, "{header:?}");
    assert_eq!(cell(3, 0), Data::Float(1.0));
    assert_eq!(cell(3, 1), Data::String("云3".into()));
    assert_eq!(cell(3, total_col), Data::Float(95.0));
    assert_eq!(cell(4, 1), Data::String("云1".into()));
    assert_eq!(cell(4, total_col), Data::Float(88.38));
    assert_eq!(cell(4, total_col + 1), Data::String("未达标".into()));

    // Equal to the API's ranking, vendor by vendor; each row's indicators
    // add up to its total (to the cent: each is rounded to two decimals).
    let api = app
        .must(
            &w.supervisor,
            "query($r: ID!) { ranking(regionId: $r, period: \"2025-03\") { vendor { name } total } }",
            json!({"r": w.one.region}),
        )
        .await;
    for (i, row) in api["ranking"].as_array().unwrap().iter().enumerate() {
        let r = 3 + i as u32;
        assert_eq!(
            cell(r, 1),
            Data::String(row["vendor"]["name"].as_str().unwrap().into())
        );
        let total: f64 = row["total"].as_str().unwrap().parse().unwrap();
        assert_eq!(cell(r, total_col), Data::Float(total));
        let parts: f64 = (2..total_col)
            .map(|c| match cell(r, c) {
                Data::Float(v) => v,
                other => panic!("indicator cell {other:?} is not a number"),
            })
            .sum();
        assert!(
            (parts - total).abs() <= 0.005 * f64::from(total_col - 2),
            "{parts} vs {total}"
        );
    }
    app.deliver_pending_mail().await;
}

#[tokio::test]
async fn only_the_supervision_team_downloads_the_ranking() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    world::publish_month(&app, &w, "2025-03").await;
    let path = format!(
        "/exports/ranking.xlsx?region={}&month=2025-03",
        w.one.region
    );
    for (name, pass) in [VENDOR, AGENCY] {
        let user = ConsoleUser::sign_in(&app, name, pass).await;
        let (status, kind, _) = user.download(&path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{name}");
        assert!(kind.starts_with("text/html"), "{name} gets the error page");
    }
    let stranger = ConsoleUser::stranger(&app);
    let (status, _, _) = stranger.download(&path).await;
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "a stranger is sent to sign in"
    );
    app.deliver_pending_mail().await;
}
