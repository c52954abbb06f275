//! How the console shows numbers, months and instants: the engine's formats
//! (`engine::shown`, the same the mails and reasons use) plus the local time
//! of an instant. Views format in Rust, so templates only print text.

use chrono::{DateTime, Utc};

pub use engine::{date_text, money_text, month_text, points_text};

/// An instant in Beijing time: `2026年11月1日 08:00`.
pub fn local_time(t: DateTime<Utc>) -> String {
    let local = domain::period::local(t);
    format!(
        "{} {}",
        engine::date_text(local.date_naive()),
        local.format("%H:%M")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use rust_decimal::Decimal;

    #[test]
    fn times_are_local_and_numbers_have_two_decimals() {
        let t = Utc
            .with_ymd_and_hms(2026, 10, 31, 16, 0, 0)
            .single()
            .expect("valid");
        assert_eq!(local_time(t), "2026年11月1日 00:00");
        assert_eq!(points_text(Decimal::new(955, 1)), "95.50");
        assert_eq!(points_text(Decimal::new(100, 0)), "100.00");
        assert_eq!(points_text(Decimal::new(12345, 3)), "12.35");
    }
}
