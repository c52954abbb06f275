//! Assessment periods — a month or a service year — and their bounds in
//! Shanghai local time (UTC+8, no daylight saving). A period is the half-open
//! interval [start, end): a month runs from 00:00 on its first day to 00:00 on the
//! first day of the next month (spec §0).

use std::fmt;

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::calendar::SHANGHAI;

/// Years a period may fall in. Bounded so that every bound (and the end of a
/// service year starting in the last year) is a representable instant.
const YEARS: std::ops::RangeInclusive<i32> = 1..=9998;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PeriodError {
    #[error("month {0} is outside 1–12")]
    Month(u32),
    #[error("year {0} is outside 1–9998")]
    Year(i32),
}

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "MonthFields")]
pub struct Month {
    year: i32,
    month: u32,
}

#[derive(Deserialize)]
struct MonthFields {
    year: i32,
    month: u32,
}

impl TryFrom<MonthFields> for Month {
    type Error = PeriodError;
    fn try_from(fields: MonthFields) -> Result<Self, PeriodError> {
        Month::new(fields.year, fields.month)
    }
}

impl Month {
    pub fn new(year: i32, month: u32) -> Result<Self, PeriodError> {
        if !YEARS.contains(&year) {
            return Err(PeriodError::Year(year));
        }
        if !(1..=12).contains(&month) {
            return Err(PeriodError::Month(month));
        }
        Ok(Self { year, month })
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        self.month
    }

    /// The month `n` months later, wrapping into later years.
    fn plus(self, n: u32) -> (i32, u32) {
        let index = self.month - 1 + n;
        (self.year + (index / 12) as i32, index % 12 + 1)
    }

    fn first_day(self) -> NaiveDate {
        first_day(self.year, self.month)
    }

    /// The Shanghai month an instant falls in.
    pub fn of(instant: DateTime<Utc>) -> Month {
        let local = instant.with_timezone(&SHANGHAI);
        Month {
            year: local.year(),
            month: local.month(),
        }
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// Twelve months from a first month (1 for a calendar year, 7 for Songjiang's
/// July–June year), named by the month it starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ServiceYear {
    #[serde(rename = "first_month")]
    first: Month,
}

impl ServiceYear {
    /// The service year starting in `first_month` of `start_year`.
    pub fn new(first_month: u32, start_year: i32) -> Result<Self, PeriodError> {
        Ok(Self {
            first: Month::new(start_year, first_month)?,
        })
    }

    /// The service year with the given first month that contains `month`.
    pub fn containing(first_month: u32, month: Month) -> Result<Self, PeriodError> {
        let start_year = if month.month >= first_month {
            month.year
        } else {
            month.year - 1
        };
        Self::new(first_month, start_year)
    }

    pub fn first_month(self) -> Month {
        self.first
    }

    /// The twelve months in order.
    pub fn months(self) -> impl Iterator<Item = Month> {
        (0..12).map(move |n| {
            let (year, month) = self.first.plus(n);
            Month { year, month }
        })
    }

    pub fn contains_month(self, month: Month) -> bool {
        month >= self.first && month < self.end_month()
    }

    /// The first month after the year.
    fn end_month(self) -> Month {
        let (year, month) = self.first.plus(12);
        Month { year, month }
    }
}

impl fmt::Display for ServiceYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (year, month) = self.first.plus(11);
        write!(f, "{}..{}", self.first, Month { year, month })
    }
}

/// The counting window of a scorecard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Month(Month),
    ServiceYear(ServiceYear),
}

impl Period {
    /// 00:00 (+08:00) of the first day.
    pub fn start(&self) -> DateTime<Utc> {
        shanghai_midnight(self.first_day())
    }

    /// 00:00 (+08:00) of the first day after the period (exclusive).
    pub fn end(&self) -> DateTime<Utc> {
        let (year, month) = match self {
            Period::Month(m) => m.plus(1),
            Period::ServiceYear(y) => y.first.plus(12),
        };
        shanghai_midnight(first_day(year, month))
    }

    /// Length of the period in seconds (a 30-day month: 2,592,000).
    pub fn seconds(&self) -> i64 {
        (self.end() - self.start()).num_seconds()
    }

    pub fn contains(&self, instant: DateTime<Utc>) -> bool {
        self.start() <= instant && instant < self.end()
    }

    /// Whether the Shanghai calendar day `day` lies in the period.
    pub fn contains_day(&self, day: NaiveDate) -> bool {
        self.first_day() <= day && day < self.end_day()
    }

    pub fn contains_month(&self, month: Month) -> bool {
        match self {
            Period::Month(m) => *m == month,
            Period::ServiceYear(y) => y.contains_month(month),
        }
    }

    /// The months of the period, in order.
    pub fn months(&self) -> Vec<Month> {
        match self {
            Period::Month(m) => vec![*m],
            Period::ServiceYear(y) => y.months().collect(),
        }
    }

    fn first_day(&self) -> NaiveDate {
        match self {
            Period::Month(m) => m.first_day(),
            Period::ServiceYear(y) => y.first.first_day(),
        }
    }

    fn end_day(&self) -> NaiveDate {
        let (year, month) = match self {
            Period::Month(m) => m.plus(1),
            Period::ServiceYear(y) => y.first.plus(12),
        };
        first_day(year, month)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Month(m) => m.fmt(f),
            Period::ServiceYear(y) => write!(f, "服务年度 {y}"),
        }
    }
}

/// The first day of a month; (year, month) is valid by construction of [`Month`]
/// (years up to 9999 after `plus`), so the fallback is never taken.
fn first_day(year: i32, month: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(NaiveDate::MIN)
}

/// 00:00 Shanghai time of `day` as an instant: 16:00 UTC of the day before.
fn shanghai_midnight(day: NaiveDate) -> DateTime<Utc> {
    day.and_time(NaiveTime::MIN).and_utc() - TimeDelta::hours(8)
}

/// The Shanghai calendar day of an instant.
pub fn local_day(instant: DateTime<Utc>) -> NaiveDate {
    crate::calendar::shanghai_date(&instant)
}

/// An instant as Shanghai wall-clock time, for reasons: "2025-10-16 09:30".
pub fn local_time(instant: DateTime<Utc>) -> String {
    instant
        .with_timezone(&SHANGHAI)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{at, day, month};

    #[test]
    fn a_month_runs_from_local_midnight_to_local_midnight() {
        let october = Period::Month(month(2025, 10));
        // 2025-10-01 00:00 +08:00 = 2025-09-30 16:00 UTC.
        assert_eq!(october.start().to_rfc3339(), "2025-09-30T16:00:00+00:00");
        assert_eq!(october.end(), at("2025-11-01 00:00"));
        assert!(october.contains(at("2025-10-31 23:59")));
        assert!(!october.contains(at("2025-11-01 00:00")));
    }

    #[test]
    fn seconds_in_a_month_count_its_days() {
        // 31 × 86,400 = 2,678,400; 30 × 86,400 = 2,592,000; Feb 2024: 29 × 86,400 = 2,505,600.
        assert_eq!(Period::Month(month(2025, 10)).seconds(), 2_678_400);
        assert_eq!(Period::Month(month(2025, 11)).seconds(), 2_592_000);
        assert_eq!(Period::Month(month(2024, 2)).seconds(), 2_505_600);
    }

    #[test]
    fn a_july_service_year_runs_to_the_end_of_june() {
        let year = ServiceYear::new(7, 2025).expect("valid");
        let period = Period::ServiceYear(year);
        assert_eq!(period.start(), at("2025-07-01 00:00"));
        assert_eq!(period.end(), at("2026-07-01 00:00"));
        assert!(period.contains_day(day(2026, 6, 30)));
        assert!(!period.contains_day(day(2026, 7, 1)));
        assert_eq!(year.to_string(), "2025-07..2026-06");
        assert_eq!(year.months().count(), 12);
        assert!(year.contains_month(month(2026, 6)));
        assert!(!year.contains_month(month(2025, 6)));
        assert_eq!(
            ServiceYear::containing(7, month(2026, 3)),
            Ok(year),
            "March 2026 is in the year that began in July 2025"
        );
    }

    #[test]
    fn invalid_months_are_refused() {
        assert_eq!(Month::new(2025, 13), Err(PeriodError::Month(13)));
        assert_eq!(Month::new(0, 1), Err(PeriodError::Year(0)));
        assert!(serde_json::from_str::<Month>(r#"{"year":2025,"month":0}"#).is_err());
    }
}
