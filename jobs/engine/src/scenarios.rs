//! Whole assessments with the built-in schemes, facts spread over the
//! indicators, every number worked out from the spec in the comments.

use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::facts::*;
use super::testing::*;
use super::{EngineError, ScoreCard, ServiceYear, assess_month, assess_year};
use crate::calendar::WorkCalendar;
use crate::scheme::IndicatorCode::{self, *};
use crate::scheme::Scheme;

fn scores(card: &ScoreCard) -> Vec<(IndicatorCode, Decimal)> {
    card.indicators.iter().map(|i| (i.code, i.score)).collect()
}

/// October 2025 for a municipal vendor, with facts from September and November
/// around it and disputed facts that must not count.
fn october_facts() -> VendorFacts {
    let mut deviating = work_order(18, "2025-09-30 11:00", Some("2025-10-10 17:00"));
    deviating.provisioned_differently = true;
    let mut not_liable = complaint(2, "2025-10-15 09:00");
    not_liable.vendor_liable = false;
    let mut fault_late_recovery = fault(1, 4, "2025-10-05 10:00");
    fault_late_recovery.reported_at = Some(at("2025-10-05 10:20"));
    fault_late_recovery.recovered_at = Some(at("2025-10-05 12:30"));
    let mut fault_late_report = fault(2, 6, "2025-10-20 08:00");
    fault_late_report.reported_at = Some(at("2025-10-20 10:10"));
    fault_late_report.recovered_at = Some(at("2025-10-20 09:00"));
    fault_late_report.misreported = true;
    let mut disputed_fault = fault(3, 1, "2025-10-21 08:00");
    disputed_fault.confirmed = false;
    disputed_fault.reported_at = None;
    disputed_fault.recovered_at = None;
    let mut failed = change(1, "2025-10-05 02:00");
    failed.outcome = ChangeOutcome::Failed;
    let mut rolled_back = change(2, "2025-10-06 02:00");
    rolled_back.outcome = ChangeOutcome::RolledBack;
    let mut emergency = change(3, "2025-10-07 02:00");
    emergency.emergency = true;
    emergency.submitted_at = None;
    let mut short_notice = change(4, "2025-10-05 02:00");
    short_notice.submitted_at = Some(at("2025-10-03 10:00"));
    VendorFacts {
        work_orders: vec![
            work_order(17, "2025-09-30 10:00", Some("2025-10-16 09:00")),
            deviating,
            work_order(19, "2025-10-27 09:00", None),
        ],
        unticketed_deliveries: vec![
            delivery(1, "2025-09-20 10:00", None),
            delivery(2, "2025-10-03 10:00", Some("2025-10-03 15:00")),
        ],
        service_tasks: vec![
            task(1, "2025-10-10 18:00", Some("2025-10-12 10:00")),
            task(2, "2025-10-31 18:00", None),
            task(3, "2025-10-15 18:00", Some("2025-10-15 17:00")),
        ],
        attendance: vec![
            attendance(1, month(2025, 10), dec!(200), dec!(177)),
            attendance(2, month(2025, 9), dec!(200), dec!(100)),
        ],
        complaints: vec![complaint(1, "2025-10-09 11:00"), not_liable],
        outages: vec![outage(
            1,
            "ECS",
            "2025-10-31 20:16:48",
            Some("2025-11-01 00:21:36"),
        )],
        faults: vec![
            fault_late_recovery,
            fault_late_report,
            disputed_fault,
            fault(4, 2, "2025-09-30 23:00"),
        ],
        changes: vec![failed, rolled_back, emergency, short_notice],
        violations: vec![
            violation(1, "2025-10-08 15:00"),
            violation(2, "2025-11-02 15:00"),
        ],
        ..VendorFacts::default()
    }
}

#[test]
fn sh_municipal_full_month() {
    let card = assess_month(
        &municipal(),
        &WorkCalendar::builtin(),
        &october_facts(),
        month(2025, 10),
    )
    .expect("assessable");
    assert_eq!(
        scores(&card),
        [
            // WO 17: deadline 14 Oct (9, 10, 11 make-up, 13, 14), done 16 Oct: −0.5.
            // WO 18 done 10 Oct is on time (spec example); WO 19 falls due 3 Nov.
            (A1, dec!(9.5)),
            // WO 18 provisioned differently, completed in October: −0.3.
            (A2, dec!(4.7)),
            // Task 1 finished 2 days late, task 2 open at month end: 2 × −1.
            (A3, dec!(3)),
            // Delivery 1 (September) still not rectified, delivery 2 in October: 2 × −1.
            (A4, dec!(3)),
            // 177 / 200 = 88.5 %: 1.5 × 5 % × 10 = −0.75 (the September record is ignored).
            (B1, dec!(9.25)),
            // Complaint 1: −5; complaint 2 not liable.
            (C1, dec!(5)),
            // ECS down 20:16:48–24:00 on 31 Oct = 13,392 s of 2,678,400 = 0.5 % →
            // 99.5 %: (99.99 − 99.5) / 0.01 = 49 steps × 0.1 = −4.9.
            (D1, dec!(5.1)),
            // Fault 1 level 4 −3, fault 2 level 6 −1; fault 3 unconfirmed, fault 4 in September.
            (E1, dec!(6)),
            // Fault 1 recovered after 150 min > 120 (level 4): −2.
            (E2, dec!(8)),
            // Fault 2 reported after 130 min > 120 (level 6): −1.
            (E3, dec!(4)),
            // Fault 2 misreported: −1.
            (E4, dec!(4)),
            // Change 1 failed −1; change 2 rolled back per plan: exempt.
            (F1, dec!(4)),
            // Change 4 reported 40 h ahead < 72 h: −1; change 3 is an emergency: exempt.
            (F2, dec!(4)),
            // Violation 1: −1; violation 2 is in November.
            (G1, dec!(4)),
        ]
    );
    // 9.5 + 4.7 + 3 + 3 + 9.25 + 5 + 5.1 + 6 + 8 + 4 + 4 + 4 + 4 + 4 = 73.55
    // (= 100 − 26.45 of deductions), below the pass mark of 90.
    assert_eq!(card.total, dec!(73.55));
    assert!(!card.passed);
    assert!(card.warnings.is_empty(), "{:?}", card.warnings);
    assert_eq!(card.scheme_code, "sh-municipal");
    // Every deduction names the fact that caused it.
    let a1 = card.indicator(A1).expect("A1");
    assert_eq!(
        a1.deductions[0].facts,
        [FactRef {
            kind: FactKind::WorkOrder,
            id: 17
        }]
    );
}

/// The municipal facts of the service year 2025 for the annual indicators.
fn year_2025_facts() -> VendorFacts {
    let mut trainings: Vec<Training> = (1..=18)
        .map(|id| training(id, &format!("2025-{:02}-10 14:00", (id - 1) % 12 + 1)))
        .collect();
    let mut few = training(19, "2025-05-12 14:00");
    few.attendees = 3;
    trainings.extend([few, training(20, "2024-12-10 14:00")]);
    VendorFacts {
        survey_responses: vec![
            survey(1, [4, 4, 4, 4, 4, 4, 4, 4, 4, 8]),
            survey(2, [4, 4, 4, 4, 4, 4, 4, 4, 4, 4]),
            survey(3, [4, 4, 4, 4, 4, 4, 4, 4, 4, 0]),
            survey(4, [4, 4, 4, 4, 3, 3, 2, 2, 2, 6]),
            survey(5, [3, 3, 3, 3, 3, 3, 3, 3, 3, 6]),
        ],
        trainings,
        security_risks: vec![
            risk(
                1,
                "2025-03-01 09:00",
                day(2025, 3, 15),
                Some("2025-03-20 10:00"),
            ),
            risk(2, "2025-12-01 09:00", day(2025, 12, 31), None),
            risk(3, "2025-12-20 09:00", day(2026, 1, 10), None),
        ],
        security_accidents: vec![accident(1, 4, "2025-08-08 08:00")],
        ..VendorFacts::default()
    }
}

/// Eleven months with a result (February missing), summing to 990.
fn monthly_totals_2025() -> Vec<(super::Month, Decimal)> {
    [
        (1, dec!(95)),
        (3, dec!(90)),
        (4, dec!(92)),
        (5, dec!(88)),
        (6, dec!(91)),
        (7, dec!(94)),
        (8, dec!(90)),
        (9, dec!(89)),
        (10, dec!(73.55)),
        (11, dec!(93)),
        (12, dec!(94.45)),
    ]
    .into_iter()
    .map(|(m, total)| (month(2025, m), total))
    .collect()
}

#[test]
fn sh_municipal_full_year_blends_80_20_and_charges_the_penalty() {
    let year = ServiceYear::new(1, 2025).expect("valid");
    let result = assess_year(
        &municipal(),
        &WorkCalendar::builtin(),
        &year_2025_facts(),
        year,
        &monthly_totals_2025(),
        Some(dec!(1105728.10)),
    )
    .expect("assessable");
    assert_eq!(
        scores(&result.annual),
        [
            // (44 + 40 + 36 + 34 + 33) / 220 = 85 %: 5 steps × 2 % × 30 = −3.
            (H1, dec!(27)),
            // 18 valid (one with 3 attendees, one in 2024 do not count): 2 short × 1.
            (I1, dec!(18)),
            // Risk 1 rectified after its deadline, risk 2 open at its deadline: 2 × −5;
            // risk 3 falls due in 2026.
            (J1, dec!(10)),
            // One level-4 accident: −4.
            (J2, dec!(26)),
        ]
    );
    // 27 + 18 + 10 + 26 = 81.
    assert_eq!(result.annual.total, dec!(81));
    let blend = result.blend.as_ref().expect("municipal blends");
    // 990 / 11 months = 90.
    assert_eq!(blend.monthly_mean, dec!(90));
    assert_eq!(blend.months_without_result, [month(2025, 2)]);
    // 90 × 80 % + 81 × 20 % = 72 + 16.2 = 88.2.
    assert_eq!(result.total, dec!(88.2));
    // 88.2 < 90 but not < 80: 5 %. 1,105,728.10 × 5 % = 55,286.405 → 55,286.41 (half-up).
    assert_eq!(result.penalty.rate, dec!(0.05));
    assert_eq!(result.penalty.amount, Some(dec!(55286.41)));
    assert_eq!(
        result.warnings,
        ["2025-02 没有已发布的月度考核结果，月度平均分按其余 11 个月计算"]
    );
}

#[test]
fn sh_municipal_year_without_monthly_results_has_no_total() {
    let year = ServiceYear::new(1, 2025).expect("valid");
    let err = assess_year(
        &municipal(),
        &WorkCalendar::builtin(),
        &year_2025_facts(),
        year,
        &[],
        None,
    )
    .expect_err("no monthly result");
    assert_eq!(err, EngineError::NoMonthlyResults { service_year: year });
}

#[test]
fn sh_municipal_year_refuses_monthly_results_outside_the_year_or_twice() {
    let year = ServiceYear::new(1, 2025).expect("valid");
    let calendar = WorkCalendar::builtin();
    let facts = year_2025_facts();
    let outside = [(month(2024, 12), dec!(90))];
    assert!(matches!(
        assess_year(&municipal(), &calendar, &facts, year, &outside, None),
        Err(EngineError::MonthOutsideServiceYear { .. })
    ));
    let twice = [(month(2025, 3), dec!(90)), (month(2025, 3), dec!(80))];
    assert!(matches!(
        assess_year(&municipal(), &calendar, &facts, year, &twice, None),
        Err(EngineError::DuplicateMonth { .. })
    ));
    let too_high = [(month(2025, 3), dec!(100.5))];
    assert!(matches!(
        assess_year(&municipal(), &calendar, &facts, year, &too_high, None),
        Err(EngineError::MonthlyTotalOutOfRange { .. })
    ));
}

/// Songjiang's service year July 2025 – June 2026, with facts just outside it.
fn songjiang_year_facts() -> VendorFacts {
    let mut misreported = fault(2, 6, "2026-02-01 10:00");
    misreported.misreported = true;
    VendorFacts {
        service_tasks: vec![
            task(1, "2025-08-10 18:00", Some("2025-08-11 10:00")),
            task(2, "2026-06-30 12:00", None),
            task(3, "2025-06-30 12:00", None),
        ],
        complaints: vec![
            complaint(1, "2025-12-01 09:00"),
            complaint(2, "2026-07-01 09:00"),
        ],
        faults: vec![
            fault(1, 1, "2025-09-01 10:00"),
            misreported,
            fault(3, 2, "2025-06-30 10:00"),
        ],
        security_accidents: vec![accident(1, 5, "2026-03-01 10:00")],
        survey_responses: year_2025_facts().survey_responses,
        // Facts of indicators Songjiang does not assess change nothing.
        violations: vec![violation(1, "2025-10-08 15:00")],
        ..VendorFacts::default()
    }
}

#[test]
fn sh_songjiang_full_year_july_to_june() {
    let year = ServiceYear::new(7, 2025).expect("valid");
    let result = assess_year(
        &songjiang(),
        &WorkCalendar::builtin(),
        &songjiang_year_facts(),
        year,
        &[],
        Some(dec!(1105728.00)),
    )
    .expect("assessable");
    assert_eq!(
        scores(&result.annual),
        [
            // Task 1 late, task 2 open on 30 June 2026: 2 × −1; task 3 is last year's.
            (A3, dec!(3)),
            // Complaint 1: −5; complaint 2 is in the next service year.
            (C1, dec!(5)),
            // Faults 1 (level 1) and 2 (level 6): −3 each whatever the level; fault 3
            // (30 June 2025) is last year's.
            (E1, dec!(4)),
            // Fault 2 misreported: −5.
            (E4, dec!(0)),
            // One accident (level 5): −5 whatever the level.
            (J2, dec!(15)),
            // 85 %: 5 steps × 2 % × 50 = −5.
            (H1, dec!(45)),
        ]
    );
    // No blend: 3 + 5 + 4 + 0 + 15 + 45 = 72, the year's total.
    assert!(result.blend.is_none());
    assert_eq!(result.total, dec!(72));
    // 72 < 80 but not < 70: 10 % of 1,105,728.00 = 110,572.80.
    assert_eq!(result.penalty.rate, dec!(0.10));
    assert_eq!(result.penalty.amount, Some(dec!(110572.80)));
    assert!(result.warnings.is_empty(), "{:?}", result.warnings);
}

#[test]
fn sh_songjiang_ignores_monthly_totals_with_a_warning() {
    let year = ServiceYear::new(7, 2025).expect("valid");
    let result = assess_year(
        &songjiang(),
        &WorkCalendar::builtin(),
        &songjiang_year_facts(),
        year,
        &[(month(2025, 7), dec!(50))],
        None,
    )
    .expect("assessable");
    assert_eq!(result.total, dec!(72));
    assert_eq!(result.warnings.len(), 2, "{:?}", result.warnings);
    assert_eq!(result.penalty.amount, None);
}

#[test]
fn sh_songjiang_has_no_monthly_scorecard() {
    let err = assess_month(
        &songjiang(),
        &WorkCalendar::builtin(),
        &VendorFacts::default(),
        month(2025, 10),
    )
    .expect_err("no monthly scorecard");
    assert_eq!(
        err,
        EngineError::NoMonthlyScorecard {
            scheme: "sh-songjiang".into()
        }
    );
}

#[test]
fn a_service_year_must_start_in_the_schemes_first_month() {
    // Songjiang's year starts in July; a calendar year is refused.
    let err = assess_year(
        &songjiang(),
        &WorkCalendar::builtin(),
        &VendorFacts::default(),
        ServiceYear::new(1, 2025).expect("valid"),
        &[],
        None,
    )
    .expect_err("mismatch");
    assert!(matches!(
        err,
        EngineError::ServiceYearMismatch { first_month: 7, .. }
    ));
}

#[test]
fn a_custom_district_scheme_changes_the_result() {
    // Another district weighs satisfaction more and risks less: H1 50, I1 10, J1 10, J2 30.
    let json = r#"{
        "code": "x-district", "version": 1, "name": "X district",
        "service_year_first_month": 1,
        "monthly": { "indicators": [ { "code": "C1", "weight": "100" } ] },
        "annual": { "indicators": [
            { "code": "H1", "weight": "50" },
            { "code": "I1", "weight": "10" },
            { "code": "J1", "weight": "10" },
            { "code": "J2", "weight": "30" }
        ]},
        "blend": { "monthly_share": "0.8", "annual_share": "0.2" },
        "penalty_tiers": [ { "below": "90", "rate": "0.05" } ]
    }"#;
    let scheme = Scheme::from_json(json).expect("valid");
    let year = ServiceYear::new(1, 2025).expect("valid");
    let result = assess_year(
        &scheme,
        &WorkCalendar::builtin(),
        &year_2025_facts(),
        year,
        &monthly_totals_2025(),
        None,
    )
    .expect("assessable");
    // H1 85 %: 5 × 2 % × 50 = −5 → 45; I1 2 short × 5 % × 10 = −1 → 9;
    // J1 2 × −5 = −10 → 0; J2 −4 → 26. 45 + 9 + 0 + 26 = 80 (municipal: 81).
    assert_eq!(result.annual.total, dec!(80));
    // 90 × 0.8 + 80 × 0.2 = 72 + 16 = 88 (municipal: 88.2).
    assert_eq!(result.total, dec!(88));
    assert_eq!(result.scheme_code, "x-district");
}

#[test]
fn a_scorecard_serialises_with_its_reasons_for_the_api() {
    let card = assess_month(
        &municipal(),
        &WorkCalendar::builtin(),
        &october_facts(),
        month(2025, 10),
    )
    .expect("assessable");
    let json = serde_json::to_value(&card).expect("serialises");
    assert_eq!(
        json["period"],
        serde_json::json!({ "month": { "year": 2025, "month": 10 } })
    );
    assert_eq!(json["total"], "73.55");
    let a1 = &json["indicators"][0];
    assert_eq!(a1["code"], "A1");
    assert_eq!(a1["name"]["zh"], "服务交付及时率");
    assert_eq!(a1["score"], "9.5");
    assert_eq!(
        a1["deductions"][0]["facts"][0],
        serde_json::json!({ "kind": "work_order", "id": 17 })
    );
}
