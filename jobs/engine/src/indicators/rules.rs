//! G1 rule compliance: confirmed violations of the cloud management rules, found
//! in daily work or the third-party monthly inspection.

use crate::result::Findings;
use crate::scheme::PerEvent;
use crate::shown::{local_time_text, title_text};

use super::{Context, per_occurred_event};

/// G1: each confirmed violation in the period.
pub fn violations(rule: &PerEvent, ctx: &Context<'_>) -> Findings {
    per_occurred_event(&ctx.facts.violations, ctx, rule.deduction, |v| {
        format!(
            "违反云管理制度{}（{} 发生）",
            title_text(&v.title),
            local_time_text(v.occurred_at)
        )
    })
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use crate::facts::{VendorFacts, Violation};
    use crate::scheme::IndicatorCode::G1;
    use crate::testing::*;

    fn violations(v: Vec<Violation>) -> VendorFacts {
        VendorFacts {
            violations: v,
            ..VendorFacts::default()
        }
    }

    #[test]
    fn g1_one_violation_loses_one_point() {
        // 5 − 1 = 4.
        let r = score(
            G1,
            &violations(vec![violation(1, "2025-10-08 15:00")]),
            in_month(2025, 10),
        );
        assert_eq!(r.score, dec!(4));
    }

    #[test]
    fn g1_several_violations_add_up() {
        // 3 × 1 → 2.
        let facts = violations(
            (1..=3)
                .map(|id| violation(id, "2025-10-08 15:00"))
                .collect(),
        );
        assert_eq!(score(G1, &facts, in_month(2025, 10)).score, dec!(2));
    }

    #[test]
    fn g1_caps_at_zero() {
        // 6 × 1 = 6 > 5 → 0.
        let facts = violations(
            (1..=6)
                .map(|id| violation(id, "2025-10-08 15:00"))
                .collect(),
        );
        assert_eq!(score(G1, &facts, in_month(2025, 10)).score, dec!(0));
    }

    #[test]
    fn g1_unconfirmed_violation_is_exempt() {
        let mut v = violation(1, "2025-10-08 15:00");
        v.confirmed = false;
        assert_eq!(
            score(G1, &violations(vec![v]), in_month(2025, 10)).score,
            dec!(5)
        );
    }
}
