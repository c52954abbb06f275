//! C1 liable complaints (formal letters or other confirmed channels).

use crate::result::Findings;
use crate::scheme::PerEvent;
use crate::shown::{local_time_text, title_text};

use super::{Context, per_occurred_event};

/// C1: each liable complaint received in the period.
pub fn complaints(rule: &PerEvent, ctx: &Context<'_>) -> Findings {
    per_occurred_event(&ctx.facts.complaints, ctx, rule.deduction, |c| {
        format!(
            "有责投诉{}（{} 收到）",
            title_text(&c.title),
            local_time_text(c.received_at)
        )
    })
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use crate::facts::{Complaint, VendorFacts};
    use crate::scheme::IndicatorCode::C1;
    use crate::testing::*;

    fn complaints(c: Vec<Complaint>) -> VendorFacts {
        VendorFacts {
            complaints: c,
            ..VendorFacts::default()
        }
    }

    #[test]
    fn c1_one_complaint_loses_five() {
        // 10 − 5 = 5.
        let r = score(
            C1,
            &complaints(vec![complaint(3, "2025-10-09 11:00")]),
            in_month(2025, 10),
        );
        assert_eq!(r.score, dec!(5));
        assert_eq!(
            r.deductions[0].reason,
            "有责投诉「投诉3」（2025-10-09 11:00 收到）"
        );
    }

    #[test]
    fn c1_two_complaints_take_everything() {
        // 2 × 5 = 10 → 0; the one in November does not count.
        let facts = complaints(vec![
            complaint(1, "2025-10-09 11:00"),
            complaint(2, "2025-10-19 11:00"),
            complaint(3, "2025-11-01 00:00"),
        ]);
        assert_eq!(score(C1, &facts, in_month(2025, 10)).score, dec!(0));
    }

    #[test]
    fn c1_caps_at_zero() {
        // 3 × 5 = 15 > 10 → 0, 5 capped.
        let facts = complaints(
            (1..=3)
                .map(|id| complaint(id, "2025-10-09 11:00"))
                .collect(),
        );
        let r = score(C1, &facts, in_month(2025, 10));
        assert_eq!((r.score, r.capped), (dec!(0), dec!(5)));
    }

    #[test]
    fn c1_complaint_not_attributable_to_the_vendor_is_exempt() {
        let mut c = complaint(1, "2025-10-09 11:00");
        c.vendor_liable = false;
        let mut d = complaint(2, "2025-10-09 11:00");
        d.confirmed = false;
        assert_eq!(
            score(C1, &complaints(vec![c, d]), in_month(2025, 10)).score,
            dec!(10)
        );
    }
}
