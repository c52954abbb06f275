//! Field checks shared by the input types. Each names the field (as the client
//! spelled it) and the reason.

use rust_decimal::Decimal;

use crate::error::{DomainError, DomainResult};

/// Trimmed, non-empty, at most `max` characters.
pub fn text(field: &str, value: String, max: usize) -> DomainResult<String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(DomainError::bad(field, "must not be empty"));
    }
    if trimmed.contains('\0') {
        // PostgreSQL cannot store it in text; SQLite could, so refuse it on both.
        return Err(DomainError::bad(
            field,
            "must not contain the NUL character (U+0000)",
        ));
    }
    if trimmed.chars().count() > max {
        return Err(DomainError::bad(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    Ok(trimmed.to_owned())
}

/// Money in yuan: not negative, at most two decimals (the fen).
pub fn money(field: &str, value: Decimal) -> DomainResult<Decimal> {
    amount(field, value, 2, Decimal::from(1_000_000_000_000i64))
}

/// Hours: not negative, at most two decimals.
pub fn hours(field: &str, value: Decimal) -> DomainResult<Decimal> {
    amount(field, value, 2, Decimal::from(100_000_000))
}

fn amount(field: &str, value: Decimal, max_scale: u32, max: Decimal) -> DomainResult<Decimal> {
    if value.is_sign_negative() && !value.is_zero() {
        return Err(DomainError::bad(field, "must not be negative"));
    }
    if value.normalize().scale() > max_scale {
        return Err(DomainError::bad(
            field,
            format!("must have at most {max_scale} decimal places"),
        ));
    }
    if value >= max {
        return Err(DomainError::bad(field, format!("must be less than {max}")));
    }
    Ok(value)
}

pub fn in_range(field: &str, value: i32, low: i32, high: i32) -> DomainResult<i32> {
    if value < low || value > high {
        return Err(DomainError::bad(
            field,
            format!("must be from {low} to {high}, got {value}"),
        ));
    }
    Ok(value)
}

/// The years an instant or a date the platform takes may fall in: anything
/// else is a typing error (1970 from an empty field, 2999 from a slip).
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// Every instant (RFC 3339) and date (`YYYY-MM-DD`) of a row about to be saved
/// falls in `YEARS`; the error names the first one that does not, as an input
/// field (`input.approvedAt`).
pub fn plausible_times(row: &impl serde::Serialize) -> DomainResult<()> {
    use chrono::Datelike;
    let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(row) else {
        return Ok(());
    };
    for (key, value) in fields {
        let Some(text) = value.as_str() else { continue };
        let year = chrono::DateTime::parse_from_rfc3339(text)
            .map(|t| t.with_timezone(&crate::period::shanghai()).year())
            .or_else(|_| text.parse::<chrono::NaiveDate>().map(|d| d.year()));
        if let Ok(year) = year
            && !YEARS.contains(&year)
        {
            return Err(DomainError::bad(
                format!("input.{}", crate::error::camel_case(&key)),
                format!("{text} is not plausible: dates must be from 2000 to 2100"),
            ));
        }
    }
    Ok(())
}

/// A span (an outage, a fault's recovery) of at most a year: longer is a
/// typing error in one of its ends.
pub fn at_most_a_year(
    field: &str,
    from: chrono::DateTime<chrono::Utc>,
    to: chrono::DateTime<chrono::Utc>,
) -> DomainResult<()> {
    if to - from > chrono::TimeDelta::days(366) {
        return Err(DomainError::bad(
            field,
            "must be within a year of its start",
        ));
    }
    Ok(())
}

/// A deadline at most two years ahead of `today`.
pub fn deadline(
    field: &str,
    deadline: chrono::NaiveDate,
    today: chrono::NaiveDate,
) -> DomainResult<()> {
    if deadline > today + chrono::TimeDelta::days(731) {
        return Err(DomainError::bad(field, "must be at most two years ahead"));
    }
    Ok(())
}

/// A `YYYY-MM` month.
pub fn month(field: &str, value: String) -> DomainResult<String> {
    match crate::period::Period::parse(value.trim()) {
        Ok(p @ crate::period::Period::Month { .. }) => Ok(p.to_string()),
        _ => Err(DomainError::bad(
            field,
            format!("\"{value}\" is not a month YYYY-MM"),
        )),
    }
}

/// One address: a list written into one entry (`a@x.cn,b@y.cn`) is refused,
/// so every recipient is one the supervisor entered and saw on its own.
pub fn email(field: &str, value: &str) -> DomainResult<String> {
    let v = value.trim();
    let ok = v.len() <= 254
        && v.matches('@').count() == 1
        && v.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        })
        && !v.contains(|c: char| {
            c.is_whitespace() || c.is_control() || ",;<>()[]\\\"':".contains(c)
        });
    if ok {
        Ok(v.to_owned())
    } else {
        Err(DomainError::bad(
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
    fn an_email_is_one_address() {
        assert!(email("contactEmails[0]", "o.wang@v1.example.cn").is_ok());
        for bad in [
            "x@evil.cn,victim@gov.cn",
            "x@evil.cn;y@gov.cn",
            "a@b@c.cn",
            "<x@evil.cn>",
            "x y@gov.cn",
        ] {
            assert!(email("contactEmails[0]", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn times_outside_2000_to_2100_are_implausible() {
        let row = serde_json::json!({"approved_at": "1970-01-01T00:00:00Z", "title": "1970-01-01T00:00:00Z x"});
        let err = plausible_times(&row).expect_err("1970");
        assert!(err.to_string().starts_with("input.approvedAt:"), "{err}");
        assert!(plausible_times(&serde_json::json!({"deadline": "2101-01-01"})).is_err());
        assert!(
            plausible_times(
                &serde_json::json!({"deadline": "2100-12-31", "at": "2000-01-01T00:00:00+08:00"})
            )
            .is_ok()
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
