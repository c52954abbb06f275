//! Numbers and words as users read them (issue 10, item 11): scores, points and
//! amounts with exactly two decimals (spec §0: kept exact, shown rounded half-up
//! to 2 decimals) and their exact values beside them; rates as percentages;
//! deduction reasons and notices in Chinese, naming each fact by its own title
//! and Shanghai time. On the world of `world.rs` (one fact of every kind for V1
//! in R1, March 2025); the numbers are worked out in the comments (the March
//! breakdown in full in `assessment.rs`).

use e2e::{TestApp, spawn_app, spawn_app_with};
use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::world::{self, World};

const MONTHLY: &str = "query($v: ID!, $r: ID!, $p: String!) { previewMonthlyScore(vendorId: $v, regionId: $r, period: $p) {
    total totalExact passMark
    indicators { code weight score scoreExact deducted deductedExact capped cappedExact
        deductions { points pointsExact reason } } } }";

const ANNUAL_PREVIEW: &str = "query($v: ID!, $r: ID!, $y: Int!) { previewAnnualScore(vendorId: $v, regionId: $r, serviceYear: $y) {
    total totalExact monthlyMean monthlyMeanExact monthlyPart monthlyPartExact annualPart annualPartExact
    monthlyTotals { period total totalExact }
    penalty { tierBelow rate rateExact settlementAmount settlementAmountExact amount amountExact } } }";

const RUN: &str =
    "mutation($r: ID!, $p: String!) { runMonthlyAssessment(regionId: $r, period: $p) {
    id status results { total totalExact } } }";
const RUN_ANNUAL: &str =
    "mutation($r: ID!) { runAnnualAssessment(regionId: $r, serviceYear: 2025) {
    id status results { total totalExact passed } } }";
const PUBLISH: &str = "mutation($id: ID!) { publishAssessmentRun(runId: $id) { id } }";

async fn preview(app: &TestApp, w: &World, period: &str) -> Value {
    let vars = json!({"v": w.one.vendor, "r": w.one.region, "p": period});
    app.must(&w.supervisor, MONTHLY, vars).await["previewMonthlyScore"].clone()
}

fn indicator<'a>(card: &'a Value, code: &str) -> &'a Value {
    card["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == code)
        .unwrap_or_else(|| panic!("{code}: {card}"))
}

fn text(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}"))
}

fn dec(v: &Value) -> Decimal {
    text(v).parse().unwrap()
}

/// Two decimals, no more and no fewer: "82.00", never "82.0", "82" or "82.375".
fn has_two_decimals(shown: &str) -> bool {
    shown
        .split_once('.')
        .is_some_and(|(int, frac)| !int.is_empty() && frac.len() == 2)
}

/// Runs and publishes March 2025 for R1, then runs the service year 2025: only
/// March is published, so the year is 88.37598566… × 0.8 + 74 × 0.2 =
/// 85.50078853… (the annual scorecard 74 = H1 30 + I1 1 + J1 15 + J2 28, see
/// assessment.rs): below 90, the 5 % tier. Returns the annual run's id.
async fn run_the_year(app: &TestApp, w: &World) -> Value {
    let march = app
        .must(
            &w.supervisor,
            RUN,
            json!({"r": w.one.region, "p": "2025-03"}),
        )
        .await["runMonthlyAssessment"]["id"]
        .clone();
    app.must(&w.supervisor, PUBLISH, json!({"id": march})).await;
    let run = app
        .must(&w.supervisor, RUN_ANNUAL, json!({"r": w.one.region}))
        .await["runAnnualAssessment"]
        .clone();
    assert_eq!(run["status"], "SUCCEEDED", "{run}");
    run["id"].clone()
}

/// Rule: a total is shown with exactly two decimals, on SQLite and PostgreSQL
/// alike (this suite runs on both).
/// - March 2025: 88.37598566… → "88.38"; A1 10 − 0.5 = 9.5 → "9.50"; C1
///   10 − 5 → "5.00"; the pass mark 90 → "90.00".
/// - April 2025: the delivery of 4 March is still unrectified at April's end,
///   A4 5 − 1 = 4, everything else full: 99 → "99.00", never "99"; its exact
///   total is "99".
/// - The contract's 1,105,728.00 and 92,144.00 read back as "1105728.00" and
///   "92144.00", and the attendance hours 528 and 500.5 as "528.00" and "500.50"
///   (SQLite hands decimals back through f64, PostgreSQL as NUMERIC).
#[tokio::test]
async fn a_total_is_shown_with_exactly_two_decimals_on_both_databases() {
    let app = spawn_app().await;
    let w = world::build(&app).await;

    let march = preview(&app, &w, "2025-03").await;
    assert_eq!(march["total"], "88.38");
    assert_eq!(march["passMark"], "90.00");
    assert_eq!(indicator(&march, "A1")["score"], "9.50");
    assert_eq!(indicator(&march, "C1")["score"], "5.00");
    assert_eq!(indicator(&march, "C1")["weight"], "10.00");
    for i in march["indicators"].as_array().unwrap() {
        for field in ["weight", "score", "deducted", "capped"] {
            assert!(has_two_decimals(text(&i[field])), "{field}: {i}");
        }
        for d in i["deductions"].as_array().unwrap() {
            assert!(has_two_decimals(text(&d["points"])), "{d}");
        }
    }

    let april = preview(&app, &w, "2025-04").await;
    assert_eq!(april["total"], "99.00");
    assert_eq!(april["totalExact"], "99");
    assert_eq!(indicator(&april, "A4")["score"], "4.00");

    // Stored and read back: the run's result shows the same.
    let run = app
        .must(
            &w.supervisor,
            RUN,
            json!({"r": w.one.region, "p": "2025-04"}),
        )
        .await["runMonthlyAssessment"]
        .clone();
    assert_eq!(
        run["results"],
        json!([{"total": "99.00", "totalExact": "99"}])
    );

    let contracts = app
        .must(
            &w.supervisor,
            "{ contracts { items { settlementAmount monthlyFee } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        contracts["contracts"]["items"][0],
        json!({"settlementAmount": "1105728.00", "monthlyFee": "92144.00"})
    );
    let hours = app
        .must(
            &w.supervisor,
            "{ attendances { items { requiredHours actualHours } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        hours["attendances"]["items"][0],
        json!({"requiredHours": "528.00", "actualHours": "500.50"})
    );
}

/// Rule: an `…Exact` field carries the unrounded value.
/// D1 in March: the ECS outage of 600 s in 2,678,400 s leaves availability
/// 2,677,800 / 2,678,400 = 99.97759856…%, 0.0124014336917562724… % below 99.99 %:
/// 1.24014336917562724… steps × 1 % × 10 = 0.124014336917562724… points, shown
/// "0.12"; D1 = 10 − that = 9.875985663082437275…, shown "9.88"; the total
/// 88.375985663082437275…, shown "88.38". Programs add the exact values: the
/// exact points of all deductions are 100 − the exact total.
#[tokio::test]
async fn an_exact_field_carries_the_unrounded_value() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let march = preview(&app, &w, "2025-03").await;

    let d1 = indicator(&march, "D1");
    assert_eq!(d1["score"], "9.88");
    assert!(
        text(&d1["scoreExact"]).starts_with("9.875985663082437275"),
        "{d1}"
    );
    let deduction = &d1["deductions"][0];
    assert_eq!(deduction["points"], "0.12");
    assert!(
        text(&deduction["pointsExact"]).starts_with("0.124014336917562724"),
        "{deduction}"
    );
    assert_eq!(d1["deducted"], "0.12");
    assert_eq!(d1["deductedExact"], deduction["pointsExact"]);
    assert_eq!(march["total"], "88.38");
    assert!(
        text(&march["totalExact"]).starts_with("88.375985663082437275"),
        "{march}"
    );
    // Nothing is capped in March, so the exact deductions add up to 100 − total.
    let deducted: Decimal = march["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|i| i["deductions"].as_array().unwrap())
        .map(|d| dec(&d["pointsExact"]))
        .sum();
    assert_eq!(
        (Decimal::ONE_HUNDRED - deducted).round_dp(20),
        dec(&march["totalExact"]).round_dp(20)
    );

    // The year previewed with all twelve months (assessment.rs): mean
    // 1179.37598566… / 12 = 98.28133213…; × 0.8 = 78.62506571…, + 74 × 0.2 =
    // 14.8 → 93.42506571…: the parts and the total each rounded from the exact
    // values ("78.63" + "14.80" = "93.43" here; they may differ by a cent).
    world::publish_2025(&app, &w).await;
    let vars = json!({"v": w.one.vendor, "r": w.one.region, "y": 2025});
    let year = app.must(&w.supervisor, ANNUAL_PREVIEW, vars).await["previewAnnualScore"].clone();
    assert_eq!(
        [
            &year["monthlyMean"],
            &year["monthlyPart"],
            &year["annualPart"],
            &year["total"]
        ],
        ["98.28", "78.63", "14.80", "93.43"]
    );
    assert!(text(&year["monthlyMeanExact"]).starts_with("98.2813321"));
    assert!(text(&year["monthlyPartExact"]).starts_with("78.6250657"));
    assert_eq!(year["annualPartExact"], "14.8");
    assert!(text(&year["totalExact"]).starts_with("93.4250657"));
    assert_eq!(
        year["monthlyTotals"][3],
        json!({"period": "2025-04", "total": "99.00", "totalExact": "99"})
    );
    app.deliver_pending_mail().await;
}

/// Rule: a deduction reason is in Chinese, names the fact by its own title (or
/// description) and Shanghai time, not its id, and shows points with two
/// decimals. March 2025 (world.rs):
/// - A1: "扩容", approved 3 March 09:00, open; due by the end of the 5th working
///   day, 10 March;
/// - A3: "巡检", planned for 20 March 18:00, not finished;
/// - C1: "延误", received 5 March 10:00;
/// - D1: "中断", ECS from 6 March 01:00, 600 s of 31 × 86,400 = 2,678,400 s:
///   99.9776 % (to 4 decimals), 1.2401 steps, −0.12;
/// - E1: "卡顿", level 4, 7 March 14:00;
/// - G1: "违规", 9 March 16:00.
#[tokio::test]
async fn a_deduction_reason_names_the_fact_by_title_and_local_time_with_two_decimal_points() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let march = preview(&app, &w, "2025-03").await;
    let reason = |code: &str| text(&indicator(&march, code)["deductions"][0]["reason"]).to_owned();
    assert_eq!(
        reason("A1"),
        "工单「扩容」（2025-03-03 09:00 审批）未完成，超过完成期限 2025-03-10（审批后第 5 个工作日）"
    );
    assert_eq!(
        reason("A3"),
        "服务任务「巡检」计划 2025-03-20 18:00 前完成，未完成"
    );
    assert_eq!(reason("C1"), "有责投诉「延误」（2025-03-05 10:00 收到）");
    assert_eq!(
        reason("D1"),
        "云服务 ECS 中断「中断」（2025-03-06 01:00 起）共 600 秒（本期 2678400 秒），可用率 99.9776 %，\
         低于 99.99 % 共 1.2401 档（每档 0.01 %），每档扣权重 10.00 分的 1 %：扣 0.12 分"
    );
    assert_eq!(reason("E1"), "故障「卡顿」（4 级，2025-03-07 14:00 发生）");
    assert_eq!(
        reason("G1"),
        "违反云管理制度「违规」（2025-03-09 16:00 发生）"
    );
    // No long fractions in any reason (the exact 0.1240143… is in pointsExact).
    for i in march["indicators"].as_array().unwrap() {
        for d in i["deductions"].as_array().unwrap() {
            assert!(!text(&d["reason"]).contains("0.124"), "{d}");
        }
    }
}

/// Rule: the penalty rate reads as a percentage ("5 %"), its fraction beside it.
/// - Run with only March published, 85.50078853… < 90 and ≥ 80: the 5 % tier,
///   1,105,728.00 × 5 % = 55,286.40 yuan; the notice says so.
/// - Previewed once all twelve months are published, 2025 totals 93.43 ≥ 90:
///   no tier, "0 %".
#[tokio::test]
async fn the_penalty_rate_reads_as_a_percentage() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let run = run_the_year(&app, &w).await;
    let standing = app
        .must(
            &w.supervisor,
            "query($r: ID!) { annualResults(regionId: $r, serviceYear: 2025) { total penalty { tierBelow rate rateExact amount amountExact } } }",
            json!({"r": w.one.region}),
        )
        .await["annualResults"][0]
        .clone();
    assert_eq!(
        standing,
        json!({"total": "85.50", "penalty": {"tierBelow": "90.00", "rate": "5 %", "rateExact": "0.05",
            "amount": "55286.40", "amountExact": "55286.4"}})
    );
    app.must(&w.supervisor, PUBLISH, json!({"id": run})).await;
    let penalty = world::vendor_notice(&app, &w, "ANNUAL_PENALTY").await;
    assert_eq!(
        penalty["reason"],
        "2025 服务年度考核得分 85.50 分，按结算金额扣减 5 %（55286.40 元）"
    );

    // Once every month is published the year is previewed at 93.43: no tier.
    world::publish_2025(&app, &w).await;
    let vars = json!({"v": w.one.vendor, "r": w.one.region, "y": 2025});
    let year = app.must(&w.supervisor, ANNUAL_PREVIEW, vars).await["previewAnnualScore"].clone();
    assert_eq!(
        year["penalty"],
        json!({"tierBelow": null, "rate": "0 %", "rateExact": "0",
            "settlementAmount": "1105728.00", "settlementAmountExact": "1105728",
            "amount": "0.00", "amountExact": "0"})
    );
    app.deliver_pending_mail().await;
}

/// Rule: a notice's mail shows two-decimal amounts and points, and its basis
/// names each fact by title and time. Publishing March (88.38 < 90) mails the
/// monthly notice; publishing the year (see `run_the_year`) mails the penalty of
/// 55,286.40 with the annual deductions: I1 1 valid training of 20, 19 short ×
/// 5 % × 20 = 19; J1 the risk "漏洞" due 10 April never rectified, 5; J2 the
/// level-5 accident "事故", 2.
#[tokio::test]
async fn a_notices_mail_shows_two_decimal_amounts() {
    let smtp = crate::mail::SmtpServer::start(crate::mail::scratch_dir("words")).await;
    let app =
        spawn_app_with(|c| c.mail.smtp_url = Some(format!("smtp://127.0.0.1:{}", smtp.port))).await;
    let w = world::build(&app).await;
    let run = run_the_year(&app, &w).await;
    app.must(&w.supervisor, PUBLISH, json!({"id": run})).await;

    app.deliver_pending_mail().await;
    let arrived = smtp.arrived();
    assert_eq!(arrived.len(), 2, "the monthly and the annual notice");
    let body = |topic: &str| {
        arrived
            .iter()
            .find(|m| m.subject.contains(topic))
            .unwrap_or_else(|| panic!("no mail about {topic}"))
            .body
            .clone()
    };
    let monthly = body("月度考核未达标");
    for expected in [
        "一、整改事由\n2025-03 月度考核得分 88.38 分，低于合格线 90.00 分\n",
        "C1 有责投诉 扣 5.00 分：有责投诉「延误」（2025-03-05 10:00 收到）",
        "A1 服务交付及时率 扣 0.50 分：工单「扩容」（2025-03-03 09:00 审批）未完成",
        "D1 服务可用性 扣 0.12 分：云服务 ECS 中断「中断」（2025-03-06 01:00 起）",
    ] {
        assert!(
            monthly.contains(expected),
            "missing {expected:?} in\n{monthly}"
        );
    }
    let annual = body("年度考核扣罚");
    for expected in [
        "一、整改事由\n2025 服务年度考核得分 85.50 分，按结算金额扣减 5 %（55286.40 元）\n",
        "I1 年有效培训次数 扣 19.00 分：有效培训 1 次，应达 20 次：少 19 次，每次扣权重 20.00 分的 5 %：扣 19.00 分",
        "J1 安全风险及时整改数 扣 5.00 分：安全风险「漏洞」（2025-03-11 10:00 发现）整改期限 2025-04-10，未整改",
        "J2 安全责任事故数 扣 2.00 分：安全责任事故「事故」（5 级，2025-03-12 03:00 发生）",
    ] {
        assert!(
            annual.contains(expected),
            "missing {expected:?} in\n{annual}"
        );
    }
    drop(smtp);
}
