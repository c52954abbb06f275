//! Numbers and words as users read them (spec §0: results are kept exact and
//! shown rounded half-up to 2 decimals). The one place the API, the reasons of
//! deductions, notices and mails take their number and time formats from:
//!
//! - scores, points and amounts: exactly two decimals, `82.00`, `0.49`,
//!   `1105728.00` ([`two_dp`], [`points_text`]);
//! - rates: percentages, `5 %`, `88.5 %` ([`percent_text`]);
//! - instants: Shanghai wall-clock time, `2025-10-09 11:00` ([`local_time_text`]);
//! - facts: by their own title, `「核心交换机宕机」` ([`title_text`]).
//!
//! The exact values stay where they are (the engine's results, the stored
//! documents); these functions only format them.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rust_decimal::{Decimal, RoundingStrategy};

use super::rounding::round_half_up_2dp;

/// Half-up to 2 decimals and always at scale 2: 82.5 → 82.50, 99 → 99.00,
/// 0.49242… → 0.49. As a `Decimal` it prints `82.50` whatever scale the value
/// came with (a `NUMERIC` from PostgreSQL, an `f64`-backed one from SQLite).
pub fn two_dp(value: Decimal) -> Decimal {
    let mut rounded = round_half_up_2dp(value);
    rounded.rescale(2);
    // −0.00 reads as 0.00.
    if rounded.is_zero() {
        rounded.set_sign_positive(true);
    }
    rounded
}

/// A score, points or an amount as text: `82.00`, `0.49`.
pub fn points_text(value: Decimal) -> String {
    two_dp(value).to_string()
}

/// A fraction as a percentage: 0.05 → `5 %`, 0.885 → `88.5 %`, 0.99953… →
/// `99.9539 %`. At most 4 decimals of the percentage (half-up), trailing zeros
/// dropped: a rate is a measure, not money, and its steps can be as fine as
/// 0.01 % (D1), so two decimals could show a rate below the threshold as equal
/// to it.
pub fn percent_text(fraction: Decimal) -> String {
    let percent = (fraction * Decimal::ONE_HUNDRED)
        .round_dp_with_strategy(4, RoundingStrategy::MidpointAwayFromZero)
        .normalize();
    format!("{percent} %")
}

/// An instant as Shanghai wall-clock time: `2025-10-16 09:30`.
pub fn local_time_text(instant: DateTime<Utc>) -> String {
    super::period::local_time(instant)
}

/// A day as people write it: `2025-04-30` → `2025年4月30日`.
pub fn date_text(date: NaiveDate) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

/// An amount of money as people read it: `¥1,105,728.00` (yuan, two
/// decimals, thousands grouped by commas).
pub fn money_text(value: Decimal) -> String {
    let text = points_text(value);
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "00"));
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}¥{grouped}.{fraction}")
}

/// A month as people write it: `2026-11` → `2026年11月`; a period that is not
/// `YYYY-MM` (a year, `2025`) reads `2025年`.
pub fn month_text(period: &str) -> String {
    match period.split_once('-') {
        Some((year, month)) => {
            let month = month.trim_start_matches('0');
            format!("{year}年{month}月")
        }
        None => format!("{period}年"),
    }
}

/// The longest title quoted in a reason, in characters; a longer one (a
/// description used as the title) is cut with `…`.
pub const TITLE_CHARS: usize = 40;

/// A fact's own title, quoted the Chinese way: `「核心交换机宕机」`; an empty
/// title reads `「（无标题）」`.
pub fn title_text(title: &str) -> String {
    let title = title.trim();
    if title.is_empty() {
        return "「（无标题）」".to_owned();
    }
    let mut chars = title.chars();
    let head: String = chars.by_ref().take(TITLE_CHARS).collect();
    if chars.next().is_some() {
        format!("「{head}…」")
    } else {
        format!("「{head}」")
    }
}

/// The deduction of `points` as a reason reads it: `扣 0.50 分`.
pub fn deduct_text(points: Decimal) -> String {
    format!("扣 {} 分", points_text(points))
}

#[cfg(test)]
mod tests {
    #[test]
    fn money_is_yuan_with_two_decimals_and_grouped_thousands() {
        use rust_decimal::Decimal;
        // Seed 002's contract amount, 1,105,728 元.
        assert_eq!(
            super::money_text(Decimal::new(1_105_728, 0)),
            "¥1,105,728.00"
        );
        assert_eq!(super::money_text(Decimal::new(7_740_096, 2)), "¥77,400.96");
        assert_eq!(super::money_text(Decimal::new(999, 0)), "¥999.00");
        assert_eq!(super::money_text(Decimal::new(-1000, 0)), "-¥1,000.00");
        assert_eq!(super::money_text(Decimal::ZERO), "¥0.00");
    }

    #[test]
    fn months_and_years_read_in_chinese() {
        assert_eq!(super::month_text("2026-11"), "2026年11月");
        assert_eq!(super::month_text("2026-03"), "2026年3月");
        assert_eq!(super::month_text("2025"), "2025年");
    }

    use super::*;
    use crate::testing::at;
    use rust_decimal_macros::dec;

    #[test]
    fn scores_are_shown_with_exactly_two_decimals() {
        // 82.5 → "82.50"; 99 → "99.00"; 1105728 → "1105728.00".
        assert_eq!(points_text(dec!(82.5)), "82.50");
        assert_eq!(points_text(dec!(99)), "99.00");
        assert_eq!(points_text(dec!(1105728)), "1105728.00");
        // The exact value of a 13/264 deduction, 0.4924242424…, reads 0.49.
        assert_eq!(points_text(dec!(0.49242424242424242424242424)), "0.49");
        // Half-up, not to even: 5.005 → 5.01, 0.125 → 0.13.
        assert_eq!(points_text(dec!(5.005)), "5.01");
        assert_eq!(points_text(dec!(0.125)), "0.13");
        // A scale above 2 that rounds to a whole number still shows two decimals.
        assert_eq!(two_dp(dec!(81.9999)).to_string(), "82.00");
        assert_eq!(two_dp(dec!(-0.001)).to_string(), "0.00");
    }

    #[test]
    fn rates_read_as_percentages() {
        // 0.05 × 100 = 5 → "5 %"; 0.885 → 88.5 %; 0.10 → 10 %.
        assert_eq!(percent_text(dec!(0.05)), "5 %");
        assert_eq!(percent_text(dec!(0.885)), "88.5 %");
        assert_eq!(percent_text(dec!(0.10)), "10 %");
        // (2678400 − 1234) / 2678400 = 0.999539277… → 99.9539 %.
        assert_eq!(
            percent_text(Decimal::from(2_678_400 - 1_234) / Decimal::from(2_678_400)),
            "99.9539 %"
        );
        assert_eq!(percent_text(Decimal::ZERO), "0 %");
    }

    #[test]
    fn times_are_shanghai_wall_clock() {
        // 03:00 UTC is 11:00 in Shanghai (UTC+8).
        assert_eq!(local_time_text(at("2025-10-09 11:00")), "2025-10-09 11:00");
    }

    #[test]
    fn titles_are_quoted_and_cut() {
        assert_eq!(title_text("核心交换机宕机"), "「核心交换机宕机」");
        assert_eq!(title_text("  "), "「（无标题）」");
        let long = "长".repeat(TITLE_CHARS + 1);
        assert_eq!(
            title_text(&long),
            format!("「{}…」", "长".repeat(TITLE_CHARS))
        );
        assert_eq!(deduct_text(dec!(0.5)), "扣 0.50 分");
    }
}
