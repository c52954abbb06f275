//! The penalty on the year's settlement (当年结算金额) by the year's total.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::error::EngineError;
use super::rounding::round_half_up_2dp;
use crate::scheme::PenaltyTier;

/// The penalty of a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Penalty {
    /// The tier that applies; `None` when the total is below no tier.
    pub tier: Option<PenaltyTier>,
    /// The tier's rate, 0 without a tier.
    pub rate: Decimal,
    pub settlement_amount: Option<Decimal>,
    /// settlement × rate, half-up to the fen; `None` without a settlement amount.
    pub amount: Option<Decimal>,
}

/// Only the most severe tier the total falls under applies ("only the most severe
/// tier applies"): a total of 65 pays 15 %, not 5 + 10 + 15 %.
pub fn penalty(
    tiers: &[PenaltyTier],
    total: Decimal,
    settlement_amount: Option<Decimal>,
) -> Result<Penalty, EngineError> {
    if let Some(amount) = settlement_amount.filter(|a| a.is_sign_negative() && !a.is_zero()) {
        return Err(EngineError::NegativeSettlement(amount));
    }
    let tier = tiers
        .iter()
        .filter(|t| total < t.below)
        .max_by_key(|t| t.rate)
        .cloned();
    let rate = tier.as_ref().map_or(Decimal::ZERO, |t| t.rate);
    Ok(Penalty {
        tier,
        rate,
        settlement_amount,
        amount: settlement_amount.map(|s| round_half_up_2dp(s * rate)),
    })
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;
    use crate::testing::municipal;

    fn rate_for(total: Decimal) -> Decimal {
        penalty(&municipal().penalty_tiers, total, None)
            .expect("valid")
            .rate
    }

    #[test]
    fn penalty_tiers_apply_below_their_threshold_only() {
        // Exactly 90 is not below 90: no penalty. 89.99 → 5 %, 79.99 → 10 %,
        // 69.99 → 15 %; 40 → still 15 % (only the most severe tier).
        assert_eq!(rate_for(dec!(90)), dec!(0));
        assert_eq!(rate_for(dec!(89.99)), dec!(0.05));
        assert_eq!(rate_for(dec!(80)), dec!(0.05));
        assert_eq!(rate_for(dec!(79.99)), dec!(0.10));
        assert_eq!(rate_for(dec!(69.99)), dec!(0.15));
        assert_eq!(rate_for(dec!(40)), dec!(0.15));
    }

    #[test]
    fn penalty_amount_rounds_half_up_to_the_fen() {
        // 100.10 × 5 % = 5.005 → 5.01 (banker's rounding would give 5.00).
        let p = penalty(&municipal().penalty_tiers, dec!(85), Some(dec!(100.10))).expect("valid");
        assert_eq!(p.amount, Some(dec!(5.01)));
    }

    #[test]
    fn penalty_without_settlement_has_no_amount() {
        let p = penalty(&municipal().penalty_tiers, dec!(75), None).expect("valid");
        assert_eq!((p.rate, p.amount), (dec!(0.10), None));
    }

    #[test]
    fn penalty_refuses_a_negative_settlement() {
        assert_eq!(
            penalty(&municipal().penalty_tiers, dec!(75), Some(dec!(-1))),
            Err(EngineError::NegativeSettlement(dec!(-1)))
        );
    }
}
