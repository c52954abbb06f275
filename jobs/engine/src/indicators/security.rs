//! Security management (J): risks rectified in time (J1) and security-liability
//! accidents (J2).

use crate::counting::{late_after_day, occurred_in};
use crate::error::EngineError;
use crate::facts::{Fact, attributable};
use crate::period::local_day;
use crate::result::Findings;
use crate::scheme::{ByLevel, PerEvent};
use crate::shown::{local_time_text, title_text};

use super::{Context, by_level};

/// J1: each security risk not rectified by the end of its deadline day, counted
/// in the period that day falls in (one still open then is late).
pub fn risks(rule: &PerEvent, ctx: &Context<'_>) -> Findings {
    let mut findings = Findings::default();
    let late = attributable(&ctx.facts.security_risks).filter(|r| {
        ctx.period.contains_day(r.deadline) && late_after_day(r.rectified_at, r.deadline)
    });
    for risk in late {
        let status = match risk.rectified_at {
            Some(done) => format!("{} 才整改", local_day(done)),
            None => "未整改".to_owned(),
        };
        findings.deduct(
            rule.deduction,
            format!(
                "安全风险{}（{} 发现）整改期限 {}，{status}",
                title_text(&risk.title),
                local_time_text(risk.found_at),
                risk.deadline
            ),
            vec![risk.fact_ref()],
        );
    }
    findings
}

/// J2: each security-liability accident, by its level's deduction.
pub fn accidents(rule: &ByLevel, ctx: &Context<'_>) -> Result<Findings, EngineError> {
    let mut findings = Findings::default();
    for accident in occurred_in(&ctx.facts.security_accidents, ctx.period) {
        let points = by_level(&rule.deductions, accident.level, accident.fact_ref())?;
        findings.deduct(
            points,
            format!(
                "安全责任事故{}（{} 级，{} 发生）",
                title_text(&accident.title),
                accident.level,
                local_time_text(accident.occurred_at)
            ),
            vec![accident.fact_ref()],
        );
    }
    Ok(findings)
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use crate::facts::{SecurityAccident, SecurityRisk, VendorFacts};
    use crate::scheme::IndicatorCode::{J1, J2};
    use crate::testing::*;

    fn risks(r: Vec<SecurityRisk>) -> VendorFacts {
        VendorFacts {
            security_risks: r,
            ..VendorFacts::default()
        }
    }

    fn accidents(a: Vec<SecurityAccident>) -> VendorFacts {
        VendorFacts {
            security_accidents: a,
            ..VendorFacts::default()
        }
    }

    // --- J1 ---------------------------------------------------------------

    #[test]
    fn j1_a_risk_rectified_late_loses_five() {
        // Deadline 15 Mar, rectified 20 Mar → −5 → 15; one rectified on the 15th is in time.
        let facts = risks(vec![
            risk(
                1,
                "2025-03-01 09:00",
                day(2025, 3, 15),
                Some("2025-03-20 10:00"),
            ),
            risk(
                2,
                "2025-03-01 09:00",
                day(2025, 3, 15),
                Some("2025-03-15 23:59"),
            ),
        ]);
        let r = score(J1, &facts, service_year(1, 2025));
        assert_eq!(r.score, dec!(15));
        assert_eq!(
            r.deductions[0].reason,
            "安全风险「风险1」（2025-03-01 09:00 发现）整改期限 2025-03-15，2025-03-20 才整改"
        );
    }

    #[test]
    fn j1_counts_in_the_year_its_deadline_passed() {
        // Found Dec 2024, deadline 10 Jan 2025, still open: 2025's (−5 → 15), not 2024's.
        let facts = risks(vec![risk(1, "2024-12-20 09:00", day(2025, 1, 10), None)]);
        assert_eq!(score(J1, &facts, service_year(1, 2025)).score, dec!(15));
        assert_eq!(score(J1, &facts, service_year(1, 2024)).score, dec!(20));
    }

    #[test]
    fn j1_several_and_the_cap() {
        // 3 × 5 → 5; 5 × 5 = 25 > 20 → 0, 5 capped.
        let open = |n| {
            risks(
                (1..=n)
                    .map(|id| risk(id, "2025-03-01 09:00", day(2025, 3, 15), None))
                    .collect(),
            )
        };
        assert_eq!(score(J1, &open(3), service_year(1, 2025)).score, dec!(5));
        let r = score(J1, &open(5), service_year(1, 2025));
        assert_eq!((r.score, r.capped), (dec!(0), dec!(5)));
    }

    #[test]
    fn j1_non_liable_risk_is_exempt() {
        let mut r = risk(1, "2025-03-01 09:00", day(2025, 3, 15), None);
        r.vendor_liable = false;
        assert_eq!(
            score(J1, &risks(vec![r]), service_year(1, 2025)).score,
            dec!(20)
        );
    }

    // --- J2 ---------------------------------------------------------------

    #[test]
    fn j2_a_level_5_accident_loses_two() {
        // 30 − 2 = 28.
        let r = score(
            J2,
            &accidents(vec![accident(1, 5, "2025-06-01 10:00")]),
            service_year(1, 2025),
        );
        assert_eq!(r.score, dec!(28));
    }

    #[test]
    fn j2_each_level_has_its_deduction() {
        // L4 −4, L3 −6, L2 −8: 30 − 18 = 12.
        let facts = accidents(vec![
            accident(1, 4, "2025-06-01 10:00"),
            accident(2, 3, "2025-07-01 10:00"),
            accident(3, 2, "2025-08-01 10:00"),
        ]);
        let r = score(J2, &facts, service_year(1, 2025));
        assert_eq!(points(&r), [dec!(4), dec!(6), dec!(8)]);
        assert_eq!(r.score, dec!(12));
    }

    #[test]
    fn j2_caps_at_zero() {
        // 3 × L1 (−10) + L5 (−2) = 32 > 30 → 0, 2 capped.
        let mut list: Vec<_> = (1..=3)
            .map(|id| accident(id, 1, "2025-06-01 10:00"))
            .collect();
        list.push(accident(4, 5, "2025-06-02 10:00"));
        let r = score(J2, &accidents(list), service_year(1, 2025));
        assert_eq!((r.score, r.capped), (dec!(0), dec!(2)));
    }

    #[test]
    fn j2_unconfirmed_accident_is_exempt() {
        let mut a = accident(1, 1, "2025-06-01 10:00");
        a.confirmed = false;
        assert_eq!(
            score(J2, &accidents(vec![a]), service_year(1, 2025)).score,
            dec!(30)
        );
    }

    #[test]
    fn j2_level_6_does_not_exist() {
        let err = try_score(
            J2,
            &accidents(vec![accident(2, 6, "2025-06-01 10:00")]),
            service_year(1, 2025),
        )
        .expect_err("invalid");
        assert_eq!(
            err.to_string(),
            "security accident 2: level 6 is outside 1–5"
        );
    }
}
