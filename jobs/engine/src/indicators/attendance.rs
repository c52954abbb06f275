//! B1 on-site attendance: actual hours / required hours of all on-site staff.

use rust_decimal::Decimal;

use crate::error::EngineError;
use crate::facts::{Attendance, Fact};
use crate::rate::shortfall;
use crate::result::Findings;
use crate::scheme::Threshold;
use crate::shown::{percent_text, points_text};

use super::Context;

/// B1: rate = Σ actual / Σ required hours of the attendance records of the
/// period's months; full at or above the threshold, otherwise the shortfall
/// (spec §1). A month without a record is scored in full with a warning (spec);
/// records required to total 0 hours are treated the same way, since no rate
/// exists. Negative hours are invalid input.
pub fn attendance(
    rule: &Threshold,
    weight: Decimal,
    ctx: &Context<'_>,
) -> Result<Findings, EngineError> {
    let mut findings = Findings::default();
    let records: Vec<&Attendance> = ctx
        .facts
        .attendance
        .iter()
        .filter(|a| ctx.period.contains_month(a.period))
        .collect();
    for record in &records {
        check_hours(record)?;
    }
    for month in ctx.period.months() {
        if !records.iter().any(|r| r.period == month) {
            findings.warn(format!("{month} 没有驻场人员出勤记录，该月 B1 按满分计"));
        }
    }
    let required: Decimal = records.iter().map(|r| r.required_hours).sum();
    let actual: Decimal = records.iter().map(|r| r.actual_hours).sum();
    if records.is_empty() {
        return Ok(findings);
    }
    if required.is_zero() {
        findings.warn(format!(
            "{} 的出勤记录应出勤工时为 0，B1 按满分计",
            ctx.period
        ));
        return Ok(findings);
    }
    let rate = actual / required;
    if let Some(short) = shortfall(rate, rule, weight, ctx.partial_steps) {
        findings.deduct(
            short.points,
            format!(
                "{} 驻场出勤率 {}（实际出勤 {} 小时，应出勤 {} 小时），{}",
                ctx.period,
                percent_text(rate),
                points_text(actual),
                points_text(required),
                short.explain(rule, weight)
            ),
            records.iter().map(|r| r.fact_ref()).collect(),
        );
    }
    Ok(findings)
}

fn check_hours(record: &Attendance) -> Result<(), EngineError> {
    if record.required_hours.is_sign_negative() || record.actual_hours.is_sign_negative() {
        return Err(EngineError::InvalidFact {
            fact: record.fact_ref(),
            reason: format!(
                "hours must not be negative (required {}, actual {})",
                record.required_hours, record.actual_hours
            ),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use crate::facts::{FactKind, FactRef, VendorFacts};
    use crate::scheme::IndicatorCode::B1;
    use crate::scheme::{Indicator, IndicatorCode, PartialSteps};
    use crate::testing::*;

    fn hours(records: Vec<crate::facts::Attendance>) -> VendorFacts {
        VendorFacts {
            attendance: records,
            ..VendorFacts::default()
        }
    }

    #[test]
    fn b1_at_or_above_90_percent_scores_in_full() {
        // 180 / 200 = 90 % → 10.
        let facts = hours(vec![attendance(1, month(2025, 10), dec!(200), dec!(180))]);
        assert_eq!(score(B1, &facts, in_month(2025, 10)).score, dec!(10));
    }

    #[test]
    fn b1_spec_example_88_5_percent_loses_0_75() {
        // 177 / 200 = 88.5 %: 1.5 steps × 5 % × 10 = 0.75 → 9.25.
        let facts = hours(vec![attendance(7, month(2025, 10), dec!(200), dec!(177))]);
        let r = score(B1, &facts, in_month(2025, 10));
        assert_eq!(r.score, dec!(9.25));
        assert_eq!(
            r.deductions[0].reason,
            // 177 / 200 = 88.5 %; (90 − 88.5) / 1 = 1.5 steps × 5 % × 10 = 0.75.
            "2025-10 驻场出勤率 88.5 %（实际出勤 177.00 小时，应出勤 200.00 小时），低于 90 % 共 1.5 档（每档 1 %），每档扣权重 10.00 分的 5 %：扣 0.75 分"
        );
        assert_eq!(
            r.deductions[0].facts,
            [FactRef {
                kind: FactKind::Attendance,
                id: 7
            }]
        );
    }

    #[test]
    fn b1_reason_shows_two_decimal_points_and_the_exact_points_stay() {
        // 235 / 264 = 0.890151515… = 89.0152 %; (0.90 − 0.890151515…) / 0.01 =
        // 0.98484848… steps × 5 % × 10 = 0.49242424… points: the reason reads
        // "扣 0.49 分", the deduction keeps the exact 0.4924242424…, and the
        // score is 10 − 0.4924… = 9.5075757…
        let facts = hours(vec![attendance(1, month(2025, 10), dec!(264), dec!(235))]);
        let r = score(B1, &facts, in_month(2025, 10));
        let exact = (dec!(0.90) - dec!(235) / dec!(264)) / dec!(0.01) * dec!(0.05) * dec!(10);
        assert_eq!(r.deductions[0].points, exact.normalize());
        assert!(
            r.deductions[0]
                .points
                .to_string()
                .starts_with("0.492424242424")
        );
        assert_eq!(
            r.deductions[0].reason,
            "2025-10 驻场出勤率 89.0152 %（实际出勤 235.00 小时，应出勤 264.00 小时），低于 90 % 共 0.9848 档（每档 1 %），每档扣权重 10.00 分的 5 %：扣 0.49 分"
        );
        assert!(!r.deductions[0].reason.contains("0.4924"));
    }

    #[test]
    fn b1_records_of_the_month_are_summed_and_other_months_ignored() {
        // October: (100 + 60) / (100 + 100) = 80 %: 10 steps × 0.5 = 5 → 5.
        // The November record does not count.
        let facts = hours(vec![
            attendance(1, month(2025, 10), dec!(100), dec!(100)),
            attendance(2, month(2025, 10), dec!(100), dec!(60)),
            attendance(3, month(2025, 11), dec!(100), dec!(0)),
        ]);
        assert_eq!(score(B1, &facts, in_month(2025, 10)).score, dec!(5));
    }

    #[test]
    fn b1_caps_at_zero() {
        // 50 / 200 = 25 %: 65 steps × 0.5 = 32.5 > 10 → 0, 22.5 capped.
        let facts = hours(vec![attendance(1, month(2025, 10), dec!(200), dec!(50))]);
        let r = score(B1, &facts, in_month(2025, 10));
        assert_eq!(
            (r.score, r.deducted, r.capped),
            (dec!(0), dec!(32.5), dec!(22.5))
        );
    }

    #[test]
    fn b1_no_record_scores_in_full_with_a_warning() {
        let r = score(B1, &VendorFacts::default(), in_month(2025, 10));
        assert_eq!(r.score, dec!(10));
        assert_eq!(
            r.warnings,
            ["2025-10 没有驻场人员出勤记录，该月 B1 按满分计"]
        );
    }

    #[test]
    fn b1_per_started_step_charges_whole_steps() {
        // 88.5 %: 2 started steps × 0.5 = 1 → 9.
        let facts = hours(vec![attendance(1, month(2025, 10), dec!(200), dec!(177))]);
        let b1 = entry(Indicator::standard(IndicatorCode::B1), dec!(10));
        let r = score_with(
            &b1,
            &facts,
            in_month(2025, 10),
            PartialSteps::PerStartedStep,
        )
        .expect("assessable");
        assert_eq!(r.score, dec!(9));
    }

    #[test]
    fn b1_negative_hours_are_refused() {
        let facts = hours(vec![attendance(3, month(2025, 10), dec!(-1), dec!(0))]);
        let err = try_score(B1, &facts, in_month(2025, 10)).expect_err("invalid");
        assert!(
            err.to_string()
                .starts_with("attendance record 3: hours must not be negative")
        );
    }
}
