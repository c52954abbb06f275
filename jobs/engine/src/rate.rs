//! Rate indicators (B1 attendance, D1 availability, H1 satisfaction): full at or
//! above a threshold; each step below it costs a share of the weight. A partial
//! step is charged pro rata or in full, as the scheme says.

use crate::scheme::{PartialSteps, Threshold};
use crate::shown::{deduct_text, percent_text, points_text};
use rust_decimal::{Decimal, RoundingStrategy};

/// How far a rate fell short of its threshold and what it costs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortfall {
    /// Steps charged (fractional when proportional).
    pub steps: Decimal,
    pub points: Decimal,
}

/// The shortfall of `rate` under `rule` for an indicator of `weight`, or `None`
/// when the rate meets the threshold.
pub fn shortfall(
    rate: Decimal,
    rule: &Threshold,
    weight: Decimal,
    partial: PartialSteps,
) -> Option<Shortfall> {
    if rate >= rule.threshold {
        return None;
    }
    let exact = (rule.threshold - rate) / rule.step;
    let steps = match partial {
        PartialSteps::Proportional => exact,
        PartialSteps::PerStartedStep => exact.ceil(),
    };
    Some(Shortfall {
        steps,
        points: steps * rule.step_share * weight,
    })
}

impl Shortfall {
    /// "低于 90 % 共 1.5 档（每档 1 %），每档扣权重 10.00 分的 5 %：扣 0.75 分".
    pub fn explain(&self, rule: &Threshold, weight: Decimal) -> String {
        format!(
            "低于 {} 共 {} 档（每档 {}），每档扣权重 {} 分的 {}：{}",
            percent_text(rule.threshold),
            steps_text(self.steps),
            percent_text(rule.step),
            points_text(weight),
            percent_text(rule.step_share),
            deduct_text(self.points),
        )
    }
}

/// A number of steps for reasons, at most 4 decimals: 1.5, 6.6667 (the exact
/// points are in `points`).
fn steps_text(value: Decimal) -> Decimal {
    value
        .round_dp_with_strategy(4, RoundingStrategy::MidpointAwayFromZero)
        .normalize()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheme::{Indicator, IndicatorCode};
    use rust_decimal_macros::dec;

    fn b1() -> Threshold {
        match Indicator::standard(IndicatorCode::B1) {
            Indicator::B1(rule) => rule,
            other => panic!("B1 is a threshold rule, got {other:?}"),
        }
    }

    #[test]
    fn the_spec_example_loses_three_quarters_of_a_point() {
        // Spec §0: 88.5 % attendance, −0.5 per 1 % below 90 %:
        // 1.5 steps × 5 % × 10 = 0.75.
        let s = shortfall(dec!(0.885), &b1(), dec!(10), PartialSteps::Proportional);
        assert_eq!(s.map(|s| s.points), Some(dec!(0.75)));
    }

    #[test]
    fn per_started_step_charges_the_whole_step() {
        // 1.5 steps started → 2 steps × 0.5 = 1.
        let s = shortfall(dec!(0.885), &b1(), dec!(10), PartialSteps::PerStartedStep);
        assert_eq!(s.map(|s| s.points), Some(dec!(1)));
    }

    #[test]
    fn at_the_threshold_nothing_is_lost() {
        assert_eq!(
            shortfall(dec!(0.90), &b1(), dec!(10), PartialSteps::Proportional),
            None
        );
    }

    #[test]
    fn explains_in_percent() {
        let rule = b1();
        let s = shortfall(dec!(0.885), &rule, dec!(10), PartialSteps::Proportional);
        assert_eq!(
            s.map(|s| s.explain(&rule, dec!(10))).as_deref(),
            Some("低于 90 % 共 1.5 档（每档 1 %），每档扣权重 10.00 分的 5 %：扣 0.75 分")
        );
    }
}
