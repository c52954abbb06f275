//! Documents for filing (issue 14, item 2): the month's ranking, one
//! vendor's scorecard and the annual results as `.xlsx`, read back with
//! calamine — the figures are numbers, equal to the API's — and as A4 print
//! pages with the region's name, the document date, the figures to two
//! decimals and the place for the stamp. Who gets which is in
//! console_access.rs; here the supervision team's own refusals.

use std::io::Cursor;

use calamine::{Data, Range, Reader, Xlsx};
use e2e::console::ConsoleUser;
use e2e::{TestApp, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};

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
    assert_eq!(cell(0, 0), Data::String("区1 2025年3月月度考核排名".into()));
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

/// A downloaded workbook's sheet, read back with calamine.
struct Sheet(Range<Data>);

impl Sheet {
    fn read(bytes: Vec<u8>, name: &str) -> Self {
        let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("an xlsx file");
        Self(book.worksheet_range(name).expect("the sheet"))
    }

    fn cell(&self, r: u32, c: u32) -> Data {
        self.0.get_value((r, c)).cloned().unwrap_or(Data::Empty)
    }

    /// The first row whose first cell reads `text`.
    fn row_of(&self, text: &str) -> u32 {
        (0..self.0.height() as u32)
            .find(|r| self.cell(*r, 0) == Data::String(text.into()))
            .unwrap_or_else(|| panic!("no row {text}"))
    }

    /// The summary's value beside `label`.
    fn beside(&self, label: &str) -> Data {
        self.cell(self.row_of(label), 1)
    }

    /// The column headed `heading` in row `r`.
    fn column(&self, r: u32, heading: &str) -> u32 {
        (0..self.0.width() as u32)
            .find(|c| self.cell(r, *c) == Data::String(heading.into()))
            .unwrap_or_else(|| panic!("no column {heading} in row {r}"))
    }
}

/// A decimal as the API gives it ("88.38"), as the number the cell holds.
fn number(api: &Value) -> Data {
    Data::Float(
        api.as_str()
            .unwrap_or_else(|| panic!("{api} is not a decimal"))
            .parse()
            .unwrap(),
    )
}

/// Today in Beijing as documents are dated: `2026年12月1日`.
fn today() -> String {
    use chrono::Datelike;
    let day = domain::period::local(chrono::Utc::now()).date_naive();
    format!("{}年{}月{}日", day.year(), day.month(), day.day())
}

/// The address of the first link on `body` starting with `prefix`, as the
/// browser reads it (the template writes `&` as `&#38;`).
fn link(body: &str, prefix: &str) -> String {
    let rest = body
        .split(&format!("href=\"{prefix}"))
        .nth(1)
        .unwrap_or_else(|| panic!("no link to {prefix}"));
    format!("{prefix}{}", rest.split('"').next().unwrap()).replace("&#38;", "&")
}

/// V1's latest result of March 2025 in R1 (as the supervisor ranks it).
async fn v1_march(app: &TestApp, w: &world::World) -> String {
    let ranking = app
        .must(
            &w.supervisor,
            "query($r: ID!) { ranking(regionId: $r, period: \"2025-03\") { vendor { name } resultId } }",
            json!({"r": w.one.region}),
        )
        .await;
    ranking["ranking"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["vendor"]["name"] == "云1")
        .expect("V1 ranked")["resultId"]
        .as_str()
        .unwrap()
        .to_owned()
}

const RESULT: &str = "query($id: ID!) { assessmentResult(id: $id) { total revision published passed
    scorecard { passMark indicators { code nameZh weight score deducted capped deductions { points reason } } } } }";

/// V1's March 2025, published (assessment.rs works it out indicator by
/// indicator): seven deductions — A1 0.50 (the work order 扩容 late), A3 1,
/// A4 1, C1 5, D1 0.12401434 → 0.12, E1 3, G1 1 — so 0.5 + 1 + 1 + 5 +
/// 0.12401434 + 3 + 1 = 11.62401434 → 11.62 deducted of the 14 indicators'
/// 10 + 5 + 5 + 5 + 10 + 10 + 10 + 10 + 10 + 5 + 5 + 5 + 5 + 5 = 100, none
/// capped, total 100 − 11.62401434 = 88.37598566 → 88.38 < 90: 未达标.
#[tokio::test]
async fn a_scorecard_is_a_spreadsheet_of_its_indicators_and_deductions_equal_to_the_api() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    world::publish_month(&app, &w, "2025-03").await;
    let id = v1_march(&app, &w).await;
    let mut sup = ConsoleUser::sign_in(&app, SUPERVISOR.0, SUPERVISOR.1).await;
    let page = sup.get(&format!("/results/{id}")).await;
    let path = link(&page.body, "/exports/results/");
    assert_eq!(path, format!("/exports/results/{id}.xlsx"));

    let (status, kind, bytes) = sup.download(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(kind, XLSX);
    let sheet = Sheet::read(bytes, "评分表");
    assert_eq!(
        sheet.cell(0, 0),
        Data::String("区1 云1 · 2025年3月月度考核评分表".into())
    );
    assert_eq!(
        sheet.cell(1, 0),
        Data::String(format!("制表日期：{}", today()))
    );
    let api = app.must(&w.supervisor, RESULT, json!({"id": id})).await["assessmentResult"].clone();
    for (label, value) in [
        ("监管区域", Data::String("区1".into())),
        ("云服务商", Data::String("云1".into())),
        ("考核期间", Data::String("2025年3月".into())),
        ("考核类型", Data::String("月度考核".into())),
        ("版本", Data::Float(1.0)),
        ("状态", Data::String("已发布".into())),
        ("总分", Data::Float(88.38)),
        ("合格线", Data::Float(90.0)),
        ("结论", Data::String("未达标".into())),
    ] {
        assert_eq!(sheet.beside(label), value, "{label}");
    }
    assert_eq!(sheet.beside("总分"), number(&api["total"]));
    assert_eq!(
        sheet.beside("版本"),
        Data::Float(api["revision"].as_f64().unwrap())
    );

    // Every indicator, in the API's order, with its figures as numbers.
    let indicators = api["scorecard"]["indicators"].as_array().unwrap();
    let first = sheet.row_of("各项指标") + 2;
    for (i, indicator) in indicators.iter().enumerate() {
        let r = first + i as u32;
        assert_eq!(
            sheet.cell(r, 0),
            Data::String(indicator["code"].as_str().unwrap().into())
        );
        assert_eq!(
            sheet.cell(r, 1),
            Data::String(indicator["nameZh"].as_str().unwrap().into())
        );
        for (c, field) in [(2, "weight"), (3, "deducted"), (4, "capped"), (5, "score")] {
            assert_eq!(sheet.cell(r, c), number(&indicator[field]), "{indicator}");
        }
    }
    let sums = sheet.row_of("合计");
    assert_eq!(sums, first + 14, "14 indicators, then the sums");
    assert_eq!(
        (2..6).map(|c| sheet.cell(sums, c)).collect::<Vec<_>>(),
        [100.0, 11.62, 0.0, 88.38].map(Data::Float).to_vec()
    );

    // Every deduction with its reason and the title of its fact.
    let deductions: Vec<(&str, &Value)> = indicators
        .iter()
        .flat_map(|i| {
            i["deductions"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |d| (i["code"].as_str().unwrap(), d))
        })
        .collect();
    assert_eq!(deductions.len(), 7);
    let first = sheet.row_of("扣分明细") + 2;
    for (i, (code, d)) in deductions.iter().enumerate() {
        let r = first + i as u32;
        assert_eq!(sheet.cell(r, 0), Data::String((*code).into()));
        assert_eq!(sheet.cell(r, 1), number(&d["points"]));
        assert_eq!(
            sheet.cell(r, 2),
            Data::String(d["reason"].as_str().unwrap().into())
        );
    }
    let a1 = sheet.cell(first, 3);
    assert!(
        matches!(&a1, Data::String(facts) if facts.contains("扩容")),
        "A1's deduction names its work order: {a1:?}"
    );
    app.deliver_pending_mail().await;
}

/// R1's service year 2025 run as a draft with only March published (as
/// console_dashboards.rs works it out): V1's monthly mean 88.38, × 80 % =
/// 70.70; annual scorecard 74.00, × 20 % = 14.80; total 85.50, below 90 →
/// tier 5 %: ¥1,105,728.00 × 5 % = ¥55,286.40.
#[tokio::test]
async fn the_annual_results_are_a_spreadsheet_of_blend_and_penalty_equal_to_the_api() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    run_2025(&app, &w).await;
    let mut sup = ConsoleUser::sign_in(&app, SUPERVISOR.0, SUPERVISOR.1).await;
    let dashboard = sup.get("/?month=2025-03").await;
    let path = link(&dashboard.body, "/exports/annual.xlsx?");
    assert_eq!(
        path,
        format!("/exports/annual.xlsx?region={}&year=2025", w.one.region)
    );
    let (status, kind, bytes) = sup.download(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(kind, XLSX);
    let sheet = Sheet::read(bytes, "年度考核结果");
    assert_eq!(
        sheet.cell(0, 0),
        Data::String("区1 2025 服务年度（2025-01..2025-12）考核结果".into())
    );
    let header = sheet.row_of("名次");
    let at = |heading: &str| sheet.cell(header + 1, sheet.column(header, heading));
    assert_eq!(at("名次"), Data::Float(1.0));
    assert_eq!(at("云服务商"), Data::String("云1".into()));
    assert_eq!(at("月度考核平均分"), Data::Float(88.38));
    assert_eq!(at("月度折算（× 80 %）"), Data::Float(70.70));
    assert_eq!(at("年度指标得分"), Data::Float(74.0));
    assert_eq!(at("年度折算（× 20 %）"), Data::Float(14.80));
    assert_eq!(at("年度总分"), Data::Float(85.50));
    assert_eq!(at("结论"), Data::String("未达标".into()));
    assert_eq!(at("扣罚档次"), Data::String("低于 90.00 分：5 %".into()));
    assert_eq!(at("结算金额"), Data::Float(1_105_728.0));
    assert_eq!(at("扣款金额"), Data::Float(55_286.40));
    assert_eq!(at("状态"), Data::String("草稿（第 1 版）".into()));

    // The same as GraphQL's annualResults, the annual indicators included.
    let api = app
        .must(&w.supervisor, ANNUAL, json!({"r": w.one.region}))
        .await["annualResults"][0]
        .clone();
    assert_eq!(at("月度考核平均分"), number(&api["monthlyMean"]));
    assert_eq!(at("月度折算（× 80 %）"), number(&api["monthlyPart"]));
    assert_eq!(at("年度指标得分"), number(&api["annualTotal"]));
    assert_eq!(at("年度折算（× 20 %）"), number(&api["annualPart"]));
    assert_eq!(at("年度总分"), number(&api["total"]));
    assert_eq!(at("结算金额"), number(&api["penalty"]["settlementAmount"]));
    assert_eq!(at("扣款金额"), number(&api["penalty"]["amount"]));
    for indicator in api["scorecard"]["indicators"].as_array().unwrap() {
        let code = indicator["code"].as_str().unwrap();
        let c = (0..sheet.0.width() as u32)
            .find(|c| matches!(sheet.cell(header, *c), Data::String(h) if h.starts_with(&format!("{code} "))))
            .unwrap_or_else(|| panic!("no column for {code}"));
        assert_eq!(
            sheet.cell(header + 1, c),
            number(&indicator["score"]),
            "{code}"
        );
    }
    app.deliver_pending_mail().await;
}

const ANNUAL: &str = "query($r: ID!) { annualResults(regionId: $r, serviceYear: 2025) {
    resultId total monthlyMean monthlyPart annualTotal annualPart
    penalty { settlementAmount amount } scorecard { indicators { code score } } } }";

/// March 2025 published in R1, then the service year 2025 run (a draft).
async fn run_2025(app: &TestApp, w: &world::World) {
    world::publish_month(app, w, "2025-03").await;
    app.must(
        &w.supervisor,
        "mutation($r: ID!) { runAnnualAssessment(regionId: $r, serviceYear: 2025) { id } }",
        json!({"r": w.one.region}),
    )
    .await;
}

/// The stamp's place and the document's date, at the foot of every print page.
fn assert_printable(body: &str, region: &str) {
    for shown in [
        format!("<h1>{region}</h1>"),
        format!("<p class=\"document-date\">{}</p>", today()),
        "盖章处".to_owned(),
        "监管单位（盖章）".to_owned(),
        "日期：".to_owned(),
        "data-print".to_owned(),
    ] {
        assert!(body.contains(&shown), "{shown}: {body}");
    }
}

/// The ranking of R1's March (云3 95.00 first, 云1 88.38, as above, with V1's
/// indicators as assessment.rs works them out: A1 9.50, D1 9.88…), V1's
/// scorecard (its 7 deductions, 11.62 in all) and the annual results (85.50,
/// ¥55,286.40), each a print page linked from the dashboard or scorecard.
#[tokio::test]
async fn the_print_pages_carry_region_date_stamp_and_figures_with_two_decimals() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    with_second_vendor(&app, &w).await;
    run_2025(&app, &w).await;
    let mut sup = ConsoleUser::sign_in(&app, SUPERVISOR.0, SUPERVISOR.1).await;
    let dashboard = sup.get("/?month=2025-03").await;

    let ranking = link(&dashboard.body, "/print/ranking?");
    assert_eq!(
        ranking,
        format!("/print/ranking?region={}&month=2025-03", w.one.region)
    );
    let page = sup.get(&ranking).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_printable(&page.body, "区1");
    let body = &page.body;
    assert!(body.contains("<h2>2025年3月月度考核排名</h2>"), "{body}");
    let (v3, v1) = (body.find("95.00").unwrap(), body.find("88.38").unwrap());
    assert!(v3 < v1, "95.00 ranks above 88.38");
    for shown in [
        "<td class=\"num\">9.50</td>",
        "<td class=\"num\">9.88</td>",
        "<th>A1</th>",
    ] {
        assert!(body.contains(shown), "{shown}: {body}");
    }

    let id = v1_march(&app, &w).await;
    let scorecard = sup.get(&format!("/results/{id}")).await;
    let path = link(&scorecard.body, "/print/results/");
    assert_eq!(path, format!("/print/results/{id}"));
    let page = sup.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_printable(&page.body, "区1");
    for shown in [
        "<h2>云1 · 2025年3月月度考核评分表</h2>",
        "<td class=\"num\">88.38</td>",
        "扣分明细",
        "<td class=\"num\">11.62</td>",
        "<td class=\"num\">0.12</td>",
        "扩容",
    ] {
        assert!(page.body.contains(shown), "{shown}: {}", page.body);
    }

    let annual = link(&dashboard.body, "/print/annual?");
    assert_eq!(
        annual,
        format!("/print/annual?region={}&year=2025", w.one.region)
    );
    let page = sup.get(&annual).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_printable(&page.body, "区1");
    for shown in [
        "<h2>2025 服务年度（2025-01..2025-12）考核结果</h2>",
        "<td class=\"num\">70.70</td>",
        "<td class=\"num\">14.80</td>",
        "<td class=\"num\">85.50</td>",
        "<td class=\"num\">¥1,105,728.00</td>",
        "<td class=\"num\">¥55,286.40</td>",
    ] {
        assert!(page.body.contains(shown), "{shown}: {}", page.body);
    }
    app.deliver_pending_mail().await;
}

/// An address typed wrong gets a page saying which value and why.
#[tokio::test]
async fn a_malformed_address_names_the_value_and_the_reason() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let mut sup = ConsoleUser::sign_in(&app, SUPERVISOR.0, SUPERVISOR.1).await;
    let r1 = &w.one.region;
    for (path, said) in [
        (
            format!("/exports/ranking.xlsx?region={r1}&month=March"),
            "考核月份（month）应为 YYYY-MM 格式的月份",
        ),
        (
            "/print/ranking?month=2025-03".to_owned(),
            "监管区域（region）未指定",
        ),
        (
            format!("/exports/annual.xlsx?region={r1}&year=25"),
            "服务年度（year）应为服务年度起始的年份",
        ),
        (
            "/print/annual?region=一&year=2025".to_owned(),
            "监管区域（region）应为区域编号",
        ),
    ] {
        let page = sup.get(&path).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{path}");
        assert!(page.body.contains(said), "{path}: {}", page.body);
    }
    let page = sup.get("/exports/results/abc.xlsx").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    app.deliver_pending_mail().await;
}
