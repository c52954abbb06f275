//! Field checks shared by the input types. Each names the field (as the client
//! spelled it) and the reason.

use rust_decimal::Decimal;

use crate::error::{AppError, AppResult};

/// Trimmed, non-empty, at most `max` characters.
pub fn text(field: &str, value: String, max: usize) -> AppResult<String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(AppError::bad(field, "must not be empty"));
    }
    if trimmed.contains('\0') {
        // PostgreSQL cannot store it in text; SQLite could, so refuse it on both.
        return Err(AppError::bad(
            field,
            "must not contain the NUL character (U+0000)",
        ));
    }
    if trimmed.chars().count() > max {
        return Err(AppError::bad(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    Ok(trimmed.to_owned())
}

/// Money in yuan: not negative, at most two decimals (the fen).
pub fn money(field: &str, value: Decimal) -> AppResult<Decimal> {
    amount(field, value, 2, Decimal::from(1_000_000_000_000i64))
}

/// Hours: not negative, at most two decimals.
pub fn hours(field: &str, value: Decimal) -> AppResult<Decimal> {
    amount(field, value, 2, Decimal::from(100_000_000))
}

fn amount(field: &str, value: Decimal, max_scale: u32, max: Decimal) -> AppResult<Decimal> {
    if value.is_sign_negative() && !value.is_zero() {
        return Err(AppError::bad(field, "must not be negative"));
    }
    if value.normalize().scale() > max_scale {
        return Err(AppError::bad(
            field,
            format!("must have at most {max_scale} decimal places"),
        ));
    }
    if value >= max {
        return Err(AppError::bad(field, format!("must be less than {max}")));
    }
    Ok(value)
}

pub fn in_range(field: &str, value: i32, low: i32, high: i32) -> AppResult<i32> {
    if value < low || value > high {
        return Err(AppError::bad(
            field,
            format!("must be from {low} to {high}, got {value}"),
        ));
    }
    Ok(value)
}

/// A `YYYY-MM` month.
pub fn month(field: &str, value: String) -> AppResult<String> {
    match crate::period::Period::parse(value.trim()) {
        Ok(p @ crate::period::Period::Month { .. }) => Ok(p.to_string()),
        _ => Err(AppError::bad(
            field,
            format!("\"{value}\" is not a month YYYY-MM"),
        )),
    }
}

pub fn email(field: &str, value: &str) -> AppResult<String> {
    let v = value.trim();
    let ok = v.len() <= 254
        && v.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        })
        && !v.contains(|c: char| c.is_whitespace() || c == '\0');
    if ok {
        Ok(v.to_owned())
    } else {
        Err(AppError::bad(
            field,
            format!("\"{v}\" is not an e-mail address"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn money_refuses_negative_and_sub_fen_amounts() {
        assert!(money("settlementAmount", dec!(-0.01)).is_err());
        assert!(money("settlementAmount", dec!(1.001)).is_err());
        assert_eq!(
            money("settlementAmount", dec!(1105728.00)).expect("valid"),
            dec!(1105728)
        );
    }

    #[test]
    fn text_is_trimmed_and_bounded() {
        assert_eq!(text("title", "  a  ".into(), 5).expect("valid"), "a");
        assert!(text("title", "   ".into(), 5).is_err());
        assert!(text("title", "abcdef".into(), 5).is_err());
        assert!(text("title", "a\0b".into(), 5).is_err());
    }
}
