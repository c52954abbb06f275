//! Fault management (E): faults by level (E1), recovered in time (E2), reported in
//! time (E3), reported accurately (E4). Faults arrive already graded (level 1 =
//! most severe … 6) and count in the period they occurred in.

use chrono::{DateTime, TimeDelta, Utc};

use crate::counting::occurred_in;
use crate::error::EngineError;
use crate::facts::{Fact, Fault};
use crate::result::Findings;
use crate::scheme::{ByLevel, LevelLimits, PerEvent};
use crate::shown::{local_time_text, title_text};

use super::{Context, by_level};

/// E1: each fault, by its level's deduction.
pub fn occurrence(rule: &ByLevel, ctx: &Context<'_>) -> Result<Findings, EngineError> {
    let mut findings = Findings::default();
    for fault in occurred_in(&ctx.facts.faults, ctx.period) {
        let points = by_level(&rule.deductions, fault.level, fault.fact_ref())?;
        findings.deduct(points, describe(fault), vec![fault.fact_ref()]);
    }
    Ok(findings)
}

/// E2: each fault whose recovery took longer than its level's limit. A fault not
/// recovered by the end of the period is deducted if the limit had already passed
/// then; otherwise it is a warning, and a re-run once it is recovered decides
/// (the engine has no clock: "now" is the end of the period).
pub fn recovery(rule: &LevelLimits, ctx: &Context<'_>) -> Result<Findings, EngineError> {
    let mut findings = Findings::default();
    for fault in occurred_in(&ctx.facts.faults, ctx.period) {
        let limit = minutes(by_level(
            &rule.limit_minutes,
            fault.level,
            fault.fact_ref(),
        )?);
        match fault.recovered_at {
            Some(recovered) => {
                let took = recovered - fault.occurred_at;
                if took > limit {
                    findings.deduct(
                        rule.deduction,
                        format!(
                            "{}恢复用时 {}，超过时限 {}",
                            describe(fault),
                            duration(took),
                            duration(limit)
                        ),
                        vec![fault.fact_ref()],
                    );
                }
            }
            None => open_at_period_end(fault, limit, ctx.period.end(), rule, &mut findings),
        }
    }
    Ok(findings)
}

fn open_at_period_end(
    fault: &Fault,
    limit: TimeDelta,
    end: DateTime<Utc>,
    rule: &LevelLimits,
    findings: &mut Findings,
) {
    let so_far = end - fault.occurred_at;
    if so_far > limit {
        findings.deduct(
            rule.deduction,
            format!(
                "{}至本期末仍未恢复，已历时 {}（时限 {}）",
                describe(fault),
                duration(so_far),
                duration(limit)
            ),
            vec![fault.fact_ref()],
        );
    } else {
        findings.warn(format!(
            "{}至本期末仍未恢复，尚在时限 {} 内；恢复后请重新考核",
            describe(fault),
            duration(limit)
        ));
    }
}

/// E3: each fault reported later than its level's limit, or never reported (the
/// brief: "never reported → deduct"; a report entered later changes a re-run).
pub fn reporting(rule: &LevelLimits, ctx: &Context<'_>) -> Result<Findings, EngineError> {
    let mut findings = Findings::default();
    for fault in occurred_in(&ctx.facts.faults, ctx.period) {
        let limit = minutes(by_level(
            &rule.limit_minutes,
            fault.level,
            fault.fact_ref(),
        )?);
        let reason = match fault.reported_at {
            Some(reported) if reported - fault.occurred_at > limit => format!(
                "{}上报用时 {}，超过时限 {}",
                describe(fault),
                duration(reported - fault.occurred_at),
                duration(limit)
            ),
            Some(_) => continue,
            None => format!("{}未上报（时限 {}）", describe(fault), duration(limit)),
        };
        findings.deduct(rule.deduction, reason, vec![fault.fact_ref()]);
    }
    Ok(findings)
}

/// E4: each misreported or concealed fault.
pub fn accuracy(rule: &PerEvent, ctx: &Context<'_>) -> Findings {
    let mut findings = Findings::default();
    for fault in occurred_in(&ctx.facts.faults, ctx.period).filter(|f| f.misreported) {
        findings.deduct(
            rule.deduction,
            format!("{}漏报或瞒报", describe(fault)),
            vec![fault.fact_ref()],
        );
    }
    findings
}

/// "故障「核心交换机宕机」（4 级，2025-10-05 10:00 发生）".
fn describe(fault: &Fault) -> String {
    format!(
        "故障{}（{} 级，{} 发生）",
        title_text(&fault.title),
        fault.level,
        local_time_text(fault.occurred_at)
    )
}

fn minutes(limit: u32) -> TimeDelta {
    TimeDelta::minutes(i64::from(limit))
}

/// "150 分钟" or "30 分 20 秒".
fn duration(d: TimeDelta) -> String {
    let seconds = d.num_seconds();
    match (seconds / 60, seconds % 60) {
        (m, 0) => format!("{m} 分钟"),
        (m, s) => format!("{m} 分 {s} 秒"),
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use crate::facts::{Fault, VendorFacts};
    use crate::scheme::IndicatorCode::{E1, E2, E3, E4};
    use crate::testing::*;

    fn faults(f: Vec<Fault>) -> VendorFacts {
        VendorFacts {
            faults: f,
            ..VendorFacts::default()
        }
    }

    fn recovered(mut f: Fault, at_local: &str) -> Fault {
        f.recovered_at = Some(at(at_local));
        f
    }

    fn reported(mut f: Fault, at_local: Option<&str>) -> Fault {
        f.reported_at = at_local.map(at);
        f
    }

    // --- E1 ---------------------------------------------------------------

    #[test]
    fn e1_a_level_4_fault_loses_three() {
        // Level 4: −3 → 7.
        let r = score(
            E1,
            &faults(vec![fault(1, 4, "2025-10-05 10:00")]),
            in_month(2025, 10),
        );
        assert_eq!(r.score, dec!(7));
        assert_eq!(
            r.deductions[0].reason,
            "故障「故障1」（4 级，2025-10-05 10:00 发生）"
        );
    }

    #[test]
    fn e1_each_level_has_its_deduction() {
        // Level 6 −1, level 5 −2: 10 − 3 = 7; the September fault does not count.
        let facts = faults(vec![
            fault(1, 6, "2025-10-05 10:00"),
            fault(2, 5, "2025-10-06 10:00"),
            fault(3, 1, "2025-09-30 23:59"),
        ]);
        let r = score(E1, &facts, in_month(2025, 10));
        assert_eq!(points(&r), [dec!(1), dec!(2)]);
        assert_eq!(r.score, dec!(7));
    }

    #[test]
    fn e1_caps_at_zero() {
        // Level 1 −6 + level 2 −5 = 11 > 10 → 0, 1 capped.
        let facts = faults(vec![
            fault(1, 1, "2025-10-05 10:00"),
            fault(2, 2, "2025-10-06 10:00"),
        ]);
        let r = score(E1, &facts, in_month(2025, 10));
        assert_eq!((r.score, r.capped), (dec!(0), dec!(1)));
    }

    #[test]
    fn e1_non_liable_or_unconfirmed_fault_is_exempt() {
        let mut a = fault(1, 1, "2025-10-05 10:00");
        a.vendor_liable = false;
        let mut b = fault(2, 1, "2025-10-05 10:00");
        b.confirmed = false;
        assert_eq!(
            score(E1, &faults(vec![a, b]), in_month(2025, 10)).score,
            dec!(10)
        );
    }

    #[test]
    fn e1_an_ungraded_level_is_refused() {
        let err = try_score(
            E1,
            &faults(vec![fault(8, 7, "2025-10-05 10:00")]),
            in_month(2025, 10),
        )
        .expect_err("invalid");
        assert_eq!(err.to_string(), "fault 8: level 7 is outside 1–6");
    }

    // --- E2 ---------------------------------------------------------------

    #[test]
    fn e2_recovery_over_the_limit_loses_two() {
        // Level 3, limit 60 min; recovered after 61 min → −2 → 8. Level 4 recovered
        // after exactly 120 min is within its limit.
        let facts = faults(vec![
            recovered(fault(1, 3, "2025-10-05 10:00"), "2025-10-05 11:01"),
            recovered(fault(2, 4, "2025-10-06 10:00"), "2025-10-06 12:00"),
        ]);
        let r = score(E2, &facts, in_month(2025, 10));
        assert_eq!(r.score, dec!(8));
        assert_eq!(
            r.deductions[0].reason,
            "故障「故障1」（3 级，2025-10-05 10:00 发生）恢复用时 61 分钟，超过时限 60 分钟"
        );
    }

    #[test]
    fn e2_several_late_recoveries_add_up() {
        // Level 1 (30 min) after 45 min, level 6 (360 min) after 7 h: 2 × 2 → 6.
        let facts = faults(vec![
            recovered(fault(1, 1, "2025-10-05 10:00"), "2025-10-05 10:45"),
            recovered(fault(2, 6, "2025-10-06 10:00"), "2025-10-06 17:00"),
        ]);
        assert_eq!(score(E2, &facts, in_month(2025, 10)).score, dec!(6));
    }

    #[test]
    fn e2_caps_at_zero() {
        // 6 late recoveries × 2 = 12 > 10 → 0, 2 capped.
        let facts = faults(
            (1..=6)
                .map(|id| recovered(fault(id, 2, "2025-10-05 10:00"), "2025-10-05 12:00"))
                .collect(),
        );
        let r = score(E2, &facts, in_month(2025, 10));
        assert_eq!((r.score, r.capped), (dec!(0), dec!(2)));
    }

    #[test]
    fn e2_unrecovered_past_its_limit_at_period_end_is_deducted() {
        // Level 5 (240 min) at 31 Oct 12:00, not recovered: 12 h by 24:00 → −2 → 8.
        let mut f = fault(1, 5, "2025-10-31 12:00");
        f.recovered_at = None;
        let r = score(E2, &faults(vec![f]), in_month(2025, 10));
        assert_eq!(r.score, dec!(8));
        assert!(
            r.deductions[0]
                .reason
                .contains("已历时 720 分钟（时限 240 分钟）")
        );
    }

    #[test]
    fn e2_unrecovered_within_its_limit_at_period_end_is_a_warning() {
        // Level 6 (360 min) at 31 Oct 23:00: only 60 min by 24:00; no deduction yet.
        let mut f = fault(1, 6, "2025-10-31 23:00");
        f.recovered_at = None;
        let r = score(E2, &faults(vec![f]), in_month(2025, 10));
        assert_eq!(r.score, dec!(10));
        assert_eq!(r.warnings.len(), 1);
    }

    #[test]
    fn e2_non_liable_fault_is_exempt() {
        let mut f = recovered(fault(1, 1, "2025-10-05 10:00"), "2025-10-05 18:00");
        f.vendor_liable = false;
        assert_eq!(
            score(E2, &faults(vec![f]), in_month(2025, 10)).score,
            dec!(10)
        );
    }

    // --- E3 ---------------------------------------------------------------

    #[test]
    fn e3_late_report_loses_one() {
        // Level 2: 10 min by phone; reported after 11 min → −1 → 4. Level 4 reported
        // after exactly 30 min is in time.
        let facts = faults(vec![
            reported(fault(1, 2, "2025-10-05 10:00"), Some("2025-10-05 10:11")),
            reported(fault(2, 4, "2025-10-06 10:00"), Some("2025-10-06 10:30")),
        ]);
        let r = score(E3, &facts, in_month(2025, 10));
        assert_eq!(r.score, dec!(4));
        assert_eq!(
            r.deductions[0].reason,
            "故障「故障1」（2 级，2025-10-05 10:00 发生）上报用时 11 分钟，超过时限 10 分钟"
        );
    }

    #[test]
    fn e3_never_reported_is_late() {
        // Level 6 (120 min), never reported → −1; level 5 (60 min) after 61 min → −1: 5 − 2 = 3.
        let facts = faults(vec![
            reported(fault(1, 6, "2025-10-05 10:00"), None),
            reported(fault(2, 5, "2025-10-06 10:00"), Some("2025-10-06 11:01")),
        ]);
        let r = score(E3, &facts, in_month(2025, 10));
        assert_eq!(r.score, dec!(3));
        assert!(r.deductions[0].reason.ends_with("未上报（时限 120 分钟）"));
    }

    #[test]
    fn e3_caps_at_zero() {
        // 6 × 1 = 6 > 5 → 0.
        let facts = faults(
            (1..=6)
                .map(|id| reported(fault(id, 3, "2025-10-05 10:00"), None))
                .collect(),
        );
        assert_eq!(score(E3, &facts, in_month(2025, 10)).score, dec!(0));
    }

    #[test]
    fn e3_unconfirmed_fault_is_exempt() {
        let mut f = reported(fault(1, 1, "2025-10-05 10:00"), None);
        f.confirmed = false;
        assert_eq!(
            score(E3, &faults(vec![f]), in_month(2025, 10)).score,
            dec!(5)
        );
    }

    // --- E4 ---------------------------------------------------------------

    fn misreported(mut f: Fault) -> Fault {
        f.misreported = true;
        f
    }

    #[test]
    fn e4_a_misreported_fault_loses_one() {
        // −1 → 4; a correctly reported fault costs nothing here.
        let facts = faults(vec![
            misreported(fault(1, 6, "2025-10-05 10:00")),
            fault(2, 6, "2025-10-06 10:00"),
        ]);
        let r = score(E4, &facts, in_month(2025, 10));
        assert_eq!(r.score, dec!(4));
        assert!(r.deductions[0].reason.ends_with("漏报或瞒报"));
    }

    #[test]
    fn e4_several_and_cap() {
        // 3 × 1 → 2; 6 × 1 = 6 > 5 → 0.
        let three = faults(
            (1..=3)
                .map(|id| misreported(fault(id, 6, "2025-10-05 10:00")))
                .collect(),
        );
        assert_eq!(score(E4, &three, in_month(2025, 10)).score, dec!(2));
        let six = faults(
            (1..=6)
                .map(|id| misreported(fault(id, 6, "2025-10-05 10:00")))
                .collect(),
        );
        assert_eq!(score(E4, &six, in_month(2025, 10)).score, dec!(0));
    }

    #[test]
    fn e4_non_liable_fault_is_exempt() {
        let mut f = misreported(fault(1, 6, "2025-10-05 10:00"));
        f.vendor_liable = false;
        assert_eq!(
            score(E4, &faults(vec![f]), in_month(2025, 10)).score,
            dec!(5)
        );
    }
}
