//! Periods as the API speaks them (`YYYY-MM` or `YYYY`) and Asia/Shanghai time.
//! China keeps no daylight saving time, so local time is a fixed +08:00.

use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};

pub fn shanghai() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("+08:00 is a valid offset")
}

/// How the API shows an instant: in Asia/Shanghai, with its offset.
pub fn local(t: DateTime<Utc>) -> DateTime<FixedOffset> {
    t.with_timezone(&shanghai())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Period {
    Month { year: i32, month: u32 },
    Year(i32),
}

impl Period {
    pub fn parse(text: &str) -> Result<Self, String> {
        let bad = || format!("\"{text}\" is not a month YYYY-MM or a year YYYY");
        let mut parts = text.split('-');
        let year: i32 = match parts.next() {
            Some(y) if y.len() == 4 => y.parse().map_err(|_| bad())?,
            _ => return Err(bad()),
        };
        match (parts.next(), parts.next()) {
            (None, _) => Ok(Self::Year(year)),
            (Some(m), None) if m.len() == 2 => {
                let month: u32 = m.parse().map_err(|_| bad())?;
                if (1..=12).contains(&month) {
                    Ok(Self::Month { year, month })
                } else {
                    Err(bad())
                }
            }
            _ => Err(bad()),
        }
    }

    /// First day and the day after the last day.
    pub fn date_bounds(&self) -> (NaiveDate, NaiveDate) {
        let first = |y: i32, m: u32| NaiveDate::from_ymd_opt(y, m, 1).expect("valid month start");
        match *self {
            Self::Month { year, month: 12 } => (first(year, 12), first(year + 1, 1)),
            Self::Month { year, month } => (first(year, month), first(year, month + 1)),
            Self::Year(y) => (first(y, 1), first(y + 1, 1)),
        }
    }

    /// [start, end) as UTC instants of local midnights.
    pub fn utc_bounds(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        let (from, to) = self.date_bounds();
        let at_midnight = |d: NaiveDate| {
            shanghai()
                .from_local_datetime(&d.and_hms_opt(0, 0, 0).expect("midnight"))
                .single()
                .expect("fixed offsets are unambiguous")
                .with_timezone(&Utc)
        };
        (at_midnight(from), at_midnight(to))
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Month { year, month } => write!(f, "{year:04}-{month:02}"),
            Self::Year(y) => write!(f, "{y:04}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_runs_from_local_midnight_to_local_midnight() {
        let (from, to) = Period::parse("2025-12").expect("month").utc_bounds();
        // 2025-12-01 00:00 +08:00 is 2025-11-30 16:00 UTC; the end is 2026-01-01 00:00 +08:00.
        assert_eq!(from.to_rfc3339(), "2025-11-30T16:00:00+00:00");
        assert_eq!(to.to_rfc3339(), "2025-12-31T16:00:00+00:00");
    }

    #[test]
    fn malformed_periods_are_refused() {
        for bad in ["2025-13", "25-01", "2025-1", "2025-01-01", "abcd", ""] {
            assert!(Period::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(Period::parse("2025").expect("year"), Period::Year(2025));
    }
}
