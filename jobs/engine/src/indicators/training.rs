//! I1 valid trainings for the agencies in the period.

use rust_decimal::Decimal;

use crate::counting::Occurs;
use crate::facts::{Fact, Training};
use crate::period::local_time;
use crate::result::Findings;
use crate::scheme::TrainingCount;
use crate::shown::{deduct_text, percent_text, points_text};

use super::Context;

/// Why a training does not count, if it does not: fewer attendees than required,
/// or no evidence (materials, notice, sign-in sheet or minutes).
pub fn invalid_because(training: &Training, min_attendees: u32) -> Option<String> {
    if training.attendees < min_attendees {
        Some(format!(
            "参加人数 {}，少于 {min_attendees} 人",
            training.attendees
        ))
    } else if training.evidence.is_empty() {
        Some("无培训材料、通知、签到表或纪要等佐证".into())
    } else {
        None
    }
}

/// I1: each valid training short of the required number costs `step_share` of
/// the weight. The one deduction names the valid trainings it counted; each
/// training not counted is a warning saying why, so the vendor can supply the
/// missing evidence.
pub fn trainings(rule: &TrainingCount, weight: Decimal, ctx: &Context<'_>) -> Findings {
    let mut findings = Findings::default();
    let mut valid = Vec::new();
    for training in ctx
        .facts
        .trainings
        .iter()
        .filter(|t| ctx.period.contains(t.occurred_at()))
    {
        match invalid_because(training, rule.min_attendees) {
            None => valid.push(training.fact_ref()),
            Some(why) => findings.warn(format!(
                "培训{}（{}）不计入有效培训：{why}",
                crate::shown::title_text(&training.title),
                local_time(training.held_at)
            )),
        }
    }
    let counted = u32::try_from(valid.len()).unwrap_or(u32::MAX);
    let short = rule.required.saturating_sub(counted);
    if short > 0 {
        let points = Decimal::from(short) * rule.step_share * weight;
        findings.deduct(
            points,
            format!(
                "有效培训 {counted} 次，应达 {} 次：少 {short} 次，每次扣权重 {} 分的 {}：{}",
                rule.required,
                points_text(weight),
                percent_text(rule.step_share),
                deduct_text(points)
            ),
            valid,
        );
    }
    findings
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use crate::facts::{Training, VendorFacts};
    use crate::scheme::IndicatorCode::I1;
    use crate::testing::*;

    fn trainings(t: Vec<Training>) -> VendorFacts {
        VendorFacts {
            trainings: t,
            ..VendorFacts::default()
        }
    }

    fn valid(n: i64) -> Vec<Training> {
        (1..=n).map(|id| training(id, "2025-03-10 14:00")).collect()
    }

    #[test]
    fn i1_twenty_valid_trainings_score_in_full() {
        assert_eq!(
            score(I1, &trainings(valid(20)), service_year(1, 2025)).score,
            dec!(20)
        );
    }

    #[test]
    fn i1_one_short_loses_one_point() {
        // 19 valid: 1 short × 5 % × 20 = 1 → 19.
        let r = score(I1, &trainings(valid(19)), service_year(1, 2025));
        assert_eq!(r.score, dec!(19));
        assert_eq!(
            r.deductions[0].reason,
            // 20 − 19 = 1 short × 5 % × 20 = 1.
            "有效培训 19 次，应达 20 次：少 1 次，每次扣权重 20.00 分的 5 %：扣 1.00 分"
        );
        assert_eq!(r.deductions[0].facts.len(), 19);
    }

    #[test]
    fn i1_trainings_without_enough_attendees_or_evidence_do_not_count() {
        // 18 valid + one with 3 attendees + one without evidence + one in 2026:
        // 18 valid → 2 short → −2 → 18, with two warnings.
        let mut facts = valid(18);
        let mut few = training(19, "2025-05-10 14:00");
        few.attendees = 3;
        let mut no_evidence = training(20, "2025-05-11 14:00");
        no_evidence.evidence.clear();
        facts.extend([few, no_evidence, training(21, "2026-01-05 14:00")]);
        let r = score(I1, &trainings(facts), service_year(1, 2025));
        assert_eq!(r.score, dec!(18));
        assert_eq!(
            r.warnings,
            [
                "培训「培训19」（2025-05-10 14:00）不计入有效培训：参加人数 3，少于 4 人",
                "培训「培训20」（2025-05-11 14:00）不计入有效培训：无培训材料、通知、签到表或纪要等佐证"
            ]
        );
    }

    #[test]
    fn i1_none_at_all_loses_everything() {
        // 20 short × 1 = 20 → 0 (exactly the weight, nothing capped).
        let r = score(I1, &VendorFacts::default(), service_year(1, 2025));
        assert_eq!((r.score, r.capped), (dec!(0), dec!(0)));
        assert!(r.deductions[0].facts.is_empty());
    }
}
