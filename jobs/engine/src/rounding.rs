//! Results are kept exact; this is the one place they are rounded, for display
//! and for money.

use rust_decimal::{Decimal, RoundingStrategy};

/// Half-up to 2 decimals (0.005 → 0.01; scores and amounts are never negative, so
/// "away from zero" is "up"): scores for display, penalty amounts to the fen.
pub fn round_half_up_2dp(value: Decimal) -> Decimal {
    value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn rounds_half_up_not_to_even() {
        // Banker's rounding would give 5.00 and 0.12.
        assert_eq!(round_half_up_2dp(dec!(5.005)), dec!(5.01));
        assert_eq!(round_half_up_2dp(dec!(0.125)), dec!(0.13));
        assert_eq!(round_half_up_2dp(dec!(1.28888)), dec!(1.29));
        assert_eq!(round_half_up_2dp(dec!(9.5)), dec!(9.50));
    }
}
