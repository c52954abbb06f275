//! Change management (F): changes carried out as planned (F1) and reported in
//! time (F2). A change counts in the period it was executed in (planned, if it
//! was never executed).

use chrono::TimeDelta;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use crate::counting::occurred_in;
use crate::facts::{Change, ChangeOutcome, Fact};
use crate::result::Findings;
use crate::scheme::{ChangeNotice, PerEvent};
use crate::shown::{local_time_text, points_text, title_text};

use super::Context;

/// F1: each change that failed. A change rolled back successfully according to
/// its plan is not deducted (annex note: 按原定回退方案执行并成功回退的不做扣分).
pub fn success(rule: &PerEvent, ctx: &Context<'_>) -> Findings {
    let mut findings = Findings::default();
    let failed =
        occurred_in(&ctx.facts.changes, ctx.period).filter(|c| c.outcome == ChangeOutcome::Failed);
    for change in failed {
        findings.deduct(
            rule.deduction,
            format!("{}未按计划完成", describe(change)),
            vec![change.fact_ref()],
        );
    }
    findings
}

/// F2: each non-emergency change not reported, or reported less than the lead
/// time before its execution; emergency changes are exempt (annex note:
/// 紧急变更方案上报提前时间不作考核). The notice period is execution − submission
/// (seed 003: 变更通知上报时间=变更执行时间-提交时间): the actual execution, or the
/// planned one while the change has not been executed. Exactly the lead time is
/// in time.
pub fn notice(rule: &ChangeNotice, ctx: &Context<'_>) -> Findings {
    let mut findings = Findings::default();
    let lead = TimeDelta::hours(i64::from(rule.lead_time_hours));
    for change in occurred_in(&ctx.facts.changes, ctx.period).filter(|c| !c.emergency) {
        let (execution, which) = match change.executed_at {
            Some(executed) => (executed, "实际执行"),
            None => (change.planned_at, "计划执行"),
        };
        let reason = match change.submitted_at {
            None => format!("{}未上报", describe(change)),
            Some(submitted) if execution - submitted < lead => format!(
                "{}于 {} 上报，距{} {} 仅 {} 小时（应提前 {} 小时）",
                describe(change),
                local_time_text(submitted),
                which,
                local_time_text(execution),
                hours(execution - submitted),
                rule.lead_time_hours
            ),
            Some(_) => continue,
        };
        findings.deduct(rule.deduction, reason, vec![change.fact_ref()]);
    }
    findings
}

/// A notice period in hours for reasons, two decimals: 40.00, 71.98.
fn hours(notice: TimeDelta) -> String {
    points_text(Decimal::from(notice.num_minutes()) / dec!(60))
}

/// "变更「数据库升级」（计划 2025-10-05 02:00 执行）".
fn describe(change: &Change) -> String {
    format!(
        "变更{}（计划 {} 执行）",
        title_text(&change.title),
        local_time_text(change.planned_at)
    )
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;
    use rust_decimal_macros::dec;

    use crate::facts::{Change, ChangeOutcome, VendorFacts};
    use crate::scheme::IndicatorCode::{F1, F2};
    use crate::testing::*;

    fn changes(c: Vec<Change>) -> VendorFacts {
        VendorFacts {
            changes: c,
            ..VendorFacts::default()
        }
    }

    fn with_outcome(mut c: Change, outcome: ChangeOutcome) -> Change {
        c.outcome = outcome;
        c
    }

    fn submitted(mut c: Change, local: Option<&str>) -> Change {
        c.submitted_at = local.map(at);
        c
    }

    // --- F1 ---------------------------------------------------------------

    #[test]
    fn f1_a_failed_change_loses_one() {
        // −1 → 4; the successful change costs nothing.
        let facts = changes(vec![
            with_outcome(change(1, "2025-10-05 02:00"), ChangeOutcome::Failed),
            change(2, "2025-10-06 02:00"),
        ]);
        let r = score(F1, &facts, in_month(2025, 10));
        assert_eq!(r.score, dec!(4));
        assert_eq!(
            r.deductions[0].reason,
            "变更「变更1」（计划 2025-10-05 02:00 执行）未按计划完成"
        );
    }

    #[test]
    fn f1_a_change_rolled_back_per_plan_is_exempt() {
        let facts = changes(vec![with_outcome(
            change(1, "2025-10-05 02:00"),
            ChangeOutcome::RolledBack,
        )]);
        assert_eq!(score(F1, &facts, in_month(2025, 10)).score, dec!(5));
    }

    #[test]
    fn f1_several_failures_and_the_cap() {
        // 2 × 1 → 3; 6 × 1 = 6 > 5 → 0.
        let failed = |n: i64| {
            changes(
                (1..=n)
                    .map(|id| with_outcome(change(id, "2025-10-05 02:00"), ChangeOutcome::Failed))
                    .collect(),
            )
        };
        assert_eq!(score(F1, &failed(2), in_month(2025, 10)).score, dec!(3));
        assert_eq!(score(F1, &failed(6), in_month(2025, 10)).score, dec!(0));
    }

    #[test]
    fn f1_counts_in_the_month_executed() {
        // Planned 31 Oct 23:00, executed (and failed) 1 Nov 01:00: November, not October.
        let mut c = with_outcome(change(1, "2025-10-31 23:00"), ChangeOutcome::Failed);
        c.executed_at = Some(at("2025-11-01 01:00"));
        let facts = changes(vec![c]);
        assert_eq!(score(F1, &facts, in_month(2025, 10)).score, dec!(5));
        assert_eq!(score(F1, &facts, in_month(2025, 11)).score, dec!(4));
    }

    #[test]
    fn f1_non_liable_failure_is_exempt() {
        let mut c = with_outcome(change(1, "2025-10-05 02:00"), ChangeOutcome::Failed);
        c.vendor_liable = false;
        assert_eq!(
            score(F1, &changes(vec![c]), in_month(2025, 10)).score,
            dec!(5)
        );
    }

    // --- F2 ---------------------------------------------------------------

    #[test]
    fn f2_reported_less_than_72_hours_ahead_loses_one() {
        // Planned 5 Oct 02:00, reported 3 Oct 10:00: 40 h < 72 h → −1 → 4.
        // Another reported exactly 72 h ahead is in time.
        let facts = changes(vec![
            submitted(change(1, "2025-10-05 02:00"), Some("2025-10-03 10:00")),
            submitted(change(2, "2025-10-08 02:00"), Some("2025-10-05 02:00")),
        ]);
        let r = score(F2, &facts, in_month(2025, 10));
        assert_eq!(r.score, dec!(4));
        assert_eq!(
            r.deductions[0].reason,
            "变更「变更1」（计划 2025-10-05 02:00 执行）于 2025-10-03 10:00 上报，距实际执行 2025-10-05 02:00 仅 40.00 小时（应提前 72 小时）"
        );
    }

    #[test]
    fn f2_a_change_never_reported_loses_one() {
        // Not reported −1, reported 71 h 59 min ahead −1: 5 − 2 = 3.
        let mut late = change(2, "2025-10-08 02:00");
        late.submitted_at = Some(late.planned_at - TimeDelta::minutes(72 * 60 - 1));
        let facts = changes(vec![submitted(change(1, "2025-10-05 02:00"), None), late]);
        let r = score(F2, &facts, in_month(2025, 10));
        assert_eq!(r.score, dec!(3));
        assert!(r.deductions[1].reason.contains("仅 71.98 小时"));
    }

    #[test]
    fn f2_emergency_changes_are_exempt() {
        let mut c = submitted(change(1, "2025-10-05 02:00"), None);
        c.emergency = true;
        assert_eq!(
            score(F2, &changes(vec![c]), in_month(2025, 10)).score,
            dec!(5)
        );
    }

    #[test]
    fn f2_caps_at_zero() {
        // 6 unreported × 1 = 6 > 5 → 0, 1 capped.
        let facts = changes(
            (1..=6)
                .map(|id| submitted(change(id, "2025-10-05 02:00"), None))
                .collect(),
        );
        let r = score(F2, &facts, in_month(2025, 10));
        assert_eq!((r.score, r.capped), (dec!(0), dec!(1)));
    }

    #[test]
    fn f2_unconfirmed_change_is_exempt() {
        let mut c = submitted(change(1, "2025-10-05 02:00"), None);
        c.confirmed = false;
        assert_eq!(
            score(F2, &changes(vec![c]), in_month(2025, 10)).score,
            dec!(5)
        );
    }

    #[test]
    fn f2_measures_the_notice_to_the_actual_execution() {
        // Seed 003: 变更通知上报时间 = 变更执行时间 − 提交时间.
        // Change 1: reported 1 Oct 10:00, planned 5 Oct 02:00 (88 h ahead), but
        // executed early, 3 Oct 10:00: 48 h < 72 h → −1.
        // Change 2: reported 1 Oct 10:00, planned 3 Oct 10:00 (48 h ahead), executed
        // late, 6 Oct 10:00: 120 h ≥ 72 h → in time.
        // 5 − 1 = 4.
        let mut early = submitted(change(1, "2025-10-05 02:00"), Some("2025-10-01 10:00"));
        early.executed_at = Some(at("2025-10-03 10:00"));
        let mut late = submitted(change(2, "2025-10-03 10:00"), Some("2025-10-01 10:00"));
        late.executed_at = Some(at("2025-10-06 10:00"));
        let r = score(F2, &changes(vec![early, late]), in_month(2025, 10));
        assert_eq!(r.score, dec!(4));
        assert_eq!(r.deductions.len(), 1);
        assert_eq!(
            r.deductions[0].reason,
            "变更「变更1」（计划 2025-10-05 02:00 执行）于 2025-10-01 10:00 上报，距实际执行 2025-10-03 10:00 仅 48.00 小时（应提前 72 小时）"
        );
    }

    #[test]
    fn f2_measures_to_the_planned_time_while_not_executed() {
        // Not executed: reported 3 Oct 10:00, planned 5 Oct 02:00 → 40 h < 72 h → −1;
        // reported 1 Oct 10:00, planned 5 Oct 02:00 → 88 h → in time. 5 − 1 = 4.
        let mut short = submitted(change(1, "2025-10-05 02:00"), Some("2025-10-03 10:00"));
        short.executed_at = None;
        let mut ample = submitted(change(2, "2025-10-05 02:00"), Some("2025-10-01 10:00"));
        ample.executed_at = None;
        let r = score(F2, &changes(vec![short, ample]), in_month(2025, 10));
        assert_eq!(r.score, dec!(4));
        assert!(
            r.deductions[0]
                .reason
                .contains("距计划执行 2025-10-05 02:00 仅 40.00 小时")
        );
    }
}
