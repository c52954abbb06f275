//! The working-day calendar of mainland China (Asia/Shanghai), used for deadlines
//! counted in working days (A1: a work order is due within 5 working days).
//!
//! A day is a working day unless it is a weekend day or a State Council public
//! holiday; an official make-up working day (调休上班, always a Saturday or Sunday)
//! is a working day. The holidays are not computable (they follow the lunar
//! calendar and a yearly State Council notice), so the calendar is *data*, one
//! [`YearCalendar`] per year: the published years are built in and an administrator
//! loads further years. A question about a year that is not loaded is an error,
//! never a guess, because a guessed deadline would silently produce a wrong score.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeZone, Weekday};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Asia/Shanghai: UTC+8 all year (China has no daylight saving time).
pub const SHANGHAI: FixedOffset = match FixedOffset::east_opt(8 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC+8 is a valid offset"),
};

/// Why a calendar question could not be answered or a year was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CalendarError {
    #[error(
        "the working-day calendar of {0} is not loaded; an administrator must load that year's holidays and make-up working days"
    )]
    YearNotLoaded(i32),
    #[error("{field}[{index}]: {date} is outside the calendar's year {year}")]
    DateOutsideYear {
        field: &'static str,
        index: usize,
        date: NaiveDate,
        year: i32,
    },
    #[error("{field}[{index}]: {date} is listed twice (first at {field}[{first_index}])")]
    DuplicateDate {
        field: &'static str,
        index: usize,
        first_index: usize,
        date: NaiveDate,
    },
    #[error(
        "makeup_workdays[{index}]: {date} is also holidays[{holiday_index}]; a day cannot be both a holiday and a make-up working day"
    )]
    HolidayAndMakeupWorkday {
        index: usize,
        holiday_index: usize,
        date: NaiveDate,
    },
    #[error(
        "makeup_workdays[{index}]: {date} is a {weekday}, already a working day; a make-up working day must be a Saturday or Sunday"
    )]
    MakeupWorkdayNotWeekend {
        index: usize,
        date: NaiveDate,
        weekday: Weekday,
    },
    #[error("{0} is at the end of the supported date range")]
    DateOutOfRange(NaiveDate),
}

/// One year's official schedule: the days off for public holidays (weekend days
/// inside a holiday period may be listed too, as the notices do) and the make-up
/// working days. This is the shape an administrator loads through the API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearCalendar {
    pub year: i32,
    pub holidays: Vec<NaiveDate>,
    pub makeup_workdays: Vec<NaiveDate>,
}

impl YearCalendar {
    /// Refuses data that cannot be a State Council schedule, naming the offending
    /// entry: a date of another year, a date listed twice, a make-up working day
    /// that is not a weekend day (it would change nothing, so it is a typo), or a
    /// day that is both a holiday and a make-up working day.
    pub fn validate(&self) -> Result<(), CalendarError> {
        self.check_dates("holidays", &self.holidays)?;
        self.check_dates("makeup_workdays", &self.makeup_workdays)?;
        for (index, &date) in self.makeup_workdays.iter().enumerate() {
            if !is_weekend(date) {
                return Err(CalendarError::MakeupWorkdayNotWeekend {
                    index,
                    date,
                    weekday: date.weekday(),
                });
            }
            if let Some(holiday_index) = self.holidays.iter().position(|&h| h == date) {
                return Err(CalendarError::HolidayAndMakeupWorkday {
                    index,
                    holiday_index,
                    date,
                });
            }
        }
        Ok(())
    }

    /// Every date of `field` lies in `self.year` and appears once.
    fn check_dates(&self, field: &'static str, dates: &[NaiveDate]) -> Result<(), CalendarError> {
        for (index, &date) in dates.iter().enumerate() {
            if date.year() != self.year {
                return Err(CalendarError::DateOutsideYear {
                    field,
                    index,
                    date,
                    year: self.year,
                });
            }
            if let Some(first_index) = dates[..index].iter().position(|&d| d == date) {
                return Err(CalendarError::DuplicateDate {
                    field,
                    index,
                    first_index,
                    date,
                });
            }
        }
        Ok(())
    }

    /// The same schedule with both lists sorted, so lookups can binary-search.
    fn sorted(mut self) -> Self {
        self.holidays.sort_unstable();
        self.makeup_workdays.sort_unstable();
        self
    }

    /// Whether `date` (which must lie in this year) is a working day.
    fn is_working_day(&self, date: NaiveDate) -> bool {
        if self.holidays.binary_search(&date).is_ok() {
            return false;
        }
        self.makeup_workdays.binary_search(&date).is_ok() || !is_weekend(date)
    }
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The loaded years. Answers working-day questions only for loaded years.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkCalendar {
    /// Validated years, with their lists sorted.
    years: BTreeMap<i32, YearCalendar>,
}

impl WorkCalendar {
    /// A calendar with no year loaded: every question is `YearNotLoaded`.
    pub fn empty() -> Self {
        Self::default()
    }

    /// The officially published years (see [`builtin_years`]).
    pub fn builtin() -> Self {
        let years = builtin_years()
            .into_iter()
            .map(|year| (year.year, year.sorted()))
            .collect();
        Self { years }
    }

    /// Adds a year, or replaces it if already loaded (a corrected notice), after
    /// validating it; on error the calendar is unchanged.
    pub fn with_year(&mut self, year: YearCalendar) -> Result<(), CalendarError> {
        year.validate()?;
        self.years.insert(year.year, year.sorted());
        Ok(())
    }

    /// The loaded years, in ascending order.
    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.keys().copied()
    }

    /// A loaded year's schedule (lists sorted), e.g. to show it to an administrator.
    pub fn year(&self, year: i32) -> Option<&YearCalendar> {
        self.years.get(&year)
    }

    /// Whether `date` is a working day; `YearNotLoaded` if its year is not loaded.
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        let year = date.year();
        self.years
            .get(&year)
            .map(|calendar| calendar.is_working_day(date))
            .ok_or(CalendarError::YearNotLoaded(year))
    }

    /// The `n`-th working day strictly after `date` (`n = 0` gives `date` itself).
    /// The count may cross into the next year only if that year is loaded.
    pub fn add_working_days(&self, date: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        let mut day = date;
        let mut remaining = n;
        while remaining > 0 {
            day = next_day(day)?;
            if self.is_working_day(day)? {
                remaining -= 1;
            }
        }
        Ok(day)
    }

    /// The number of working days `d` with `start < d <= end` (0 if `end <= start`),
    /// so that `working_days_between(d, add_working_days(d, n)?) == n`.
    pub fn working_days_between(
        &self,
        start: NaiveDate,
        end: NaiveDate,
    ) -> Result<u32, CalendarError> {
        let mut count = 0;
        let mut day = start;
        while day < end {
            day = next_day(day)?;
            if self.is_working_day(day)? {
                count += 1;
            }
        }
        Ok(count)
    }

    /// The last day on which a work order approved (at any time) on `approved_on`
    /// is completed on time: the `working_days`-th working day after that day
    /// (spec Decision: the day of approval itself does not count).
    pub fn work_order_deadline(
        &self,
        approved_on: NaiveDate,
        working_days: u32,
    ) -> Result<NaiveDate, CalendarError> {
        self.add_working_days(approved_on, working_days)
    }

    /// The deadline as an instant: 00:00 (+08:00) of the day after
    /// [`work_order_deadline`](Self::work_order_deadline). Completion strictly
    /// before this instant is on time.
    pub fn work_order_deadline_instant(
        &self,
        approved_on: NaiveDate,
        working_days: u32,
    ) -> Result<DateTime<FixedOffset>, CalendarError> {
        end_of_day(self.work_order_deadline(approved_on, working_days)?)
    }

    /// Whether a work order approved on `approved_on` (a Shanghai date, see
    /// [`shanghai_date`]) and completed at `completed_at` (any offset) was on time.
    pub fn completed_on_time<Tz: TimeZone>(
        &self,
        approved_on: NaiveDate,
        working_days: u32,
        completed_at: &DateTime<Tz>,
    ) -> Result<bool, CalendarError> {
        let deadline = self.work_order_deadline_instant(approved_on, working_days)?;
        Ok(completed_at.with_timezone(&SHANGHAI) < deadline)
    }
}

/// The Shanghai calendar date of an instant: a work order approved at 2025-09-30
/// 20:00 UTC was approved on 2025-10-01 in Shanghai.
pub fn shanghai_date<Tz: TimeZone>(instant: &DateTime<Tz>) -> NaiveDate {
    instant.with_timezone(&SHANGHAI).date_naive()
}

/// 24:00 of `date` in Shanghai, i.e. 00:00 (+08:00) of the next day.
pub fn end_of_day(date: NaiveDate) -> Result<DateTime<FixedOffset>, CalendarError> {
    next_day(date)?
        .and_hms_opt(0, 0, 0)
        .and_then(|midnight| midnight.and_local_timezone(SHANGHAI).single())
        .ok_or(CalendarError::DateOutOfRange(date))
}

fn next_day(date: NaiveDate) -> Result<NaiveDate, CalendarError> {
    date.succ_opt().ok_or(CalendarError::DateOutOfRange(date))
}

// ---------------------------------------------------------------------------
// Built-in data: the State Council notices (国务院办公厅关于 YYYY 年部分节假日安排的通知).
// Each festival lists its days off exactly as the notice gives them (first ..= last,
// weekend days included) and its make-up working days. Cross-checked against PyPI
// `chinesecalendar` 1.11.0 by the test `builtin_years_agree_with_chinesecalendar`.
// ---------------------------------------------------------------------------

/// A `NaiveDate` in a constant; an impossible date fails the build, not a run.
const fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(date) => date,
        None => panic!("invalid date in the built-in holiday table"),
    }
}

struct Festival {
    #[allow(dead_code, reason = "only for the reader: which festival the row is")]
    name: &'static str,
    off: (NaiveDate, NaiveDate),
    makeup: &'static [NaiveDate],
}

struct BuiltinYear {
    year: i32,
    festivals: &'static [Festival],
}

const fn festival(
    name: &'static str,
    off: (NaiveDate, NaiveDate),
    makeup: &'static [NaiveDate],
) -> Festival {
    Festival { name, off, makeup }
}

#[rustfmt::skip]
const BUILTIN: &[BuiltinYear] = &[
    // 国办发明电〔2023〕7号
    BuiltinYear { year: 2024, festivals: &[
        festival("元旦",   (ymd(2024, 1, 1),  ymd(2024, 1, 1)),  &[]),
        festival("春节",   (ymd(2024, 2, 10), ymd(2024, 2, 17)), &[ymd(2024, 2, 4), ymd(2024, 2, 18)]),
        festival("清明节", (ymd(2024, 4, 4),  ymd(2024, 4, 6)),  &[ymd(2024, 4, 7)]),
        festival("劳动节", (ymd(2024, 5, 1),  ymd(2024, 5, 5)),  &[ymd(2024, 4, 28), ymd(2024, 5, 11)]),
        festival("端午节", (ymd(2024, 6, 10), ymd(2024, 6, 10)), &[]),
        festival("中秋节", (ymd(2024, 9, 15), ymd(2024, 9, 17)), &[ymd(2024, 9, 14)]),
        festival("国庆节", (ymd(2024, 10, 1), ymd(2024, 10, 7)), &[ymd(2024, 9, 29), ymd(2024, 10, 12)]),
    ]},
    // 国办发明电〔2024〕12号 (first year with 春节 and 劳动节 one day longer)
    BuiltinYear { year: 2025, festivals: &[
        festival("元旦",          (ymd(2025, 1, 1),  ymd(2025, 1, 1)),  &[]),
        festival("春节",          (ymd(2025, 1, 28), ymd(2025, 2, 4)),  &[ymd(2025, 1, 26), ymd(2025, 2, 8)]),
        festival("清明节",        (ymd(2025, 4, 4),  ymd(2025, 4, 6)),  &[]),
        festival("劳动节",        (ymd(2025, 5, 1),  ymd(2025, 5, 5)),  &[ymd(2025, 4, 27)]),
        festival("端午节",        (ymd(2025, 5, 31), ymd(2025, 6, 2)),  &[]),
        festival("国庆节、中秋节", (ymd(2025, 10, 1), ymd(2025, 10, 8)), &[ymd(2025, 9, 28), ymd(2025, 10, 11)]),
    ]},
    // 国办发明电〔2025〕7号
    BuiltinYear { year: 2026, festivals: &[
        festival("元旦",   (ymd(2026, 1, 1),  ymd(2026, 1, 3)),  &[ymd(2026, 1, 4)]),
        festival("春节",   (ymd(2026, 2, 15), ymd(2026, 2, 23)), &[ymd(2026, 2, 14), ymd(2026, 2, 28)]),
        festival("清明节", (ymd(2026, 4, 4),  ymd(2026, 4, 6)),  &[]),
        festival("劳动节", (ymd(2026, 5, 1),  ymd(2026, 5, 5)),  &[ymd(2026, 5, 9)]),
        festival("端午节", (ymd(2026, 6, 19), ymd(2026, 6, 21)), &[]),
        festival("中秋节", (ymd(2026, 9, 25), ymd(2026, 9, 27)), &[]),
        festival("国庆节", (ymd(2026, 10, 1), ymd(2026, 10, 7)), &[ymd(2026, 9, 20), ymd(2026, 10, 10)]),
    ]},
];

/// The built-in years as [`YearCalendar`]s (holiday periods expanded to days).
pub fn builtin_years() -> Vec<YearCalendar> {
    BUILTIN.iter().map(BuiltinYear::to_year_calendar).collect()
}

impl BuiltinYear {
    fn to_year_calendar(&self) -> YearCalendar {
        let holidays = self
            .festivals
            .iter()
            .flat_map(|f| {
                let (first, last) = f.off;
                first.iter_days().take_while(move |&d| d <= last)
            })
            .collect();
        let makeup_workdays = self
            .festivals
            .iter()
            .flat_map(|f| f.makeup.iter().copied())
            .collect();
        YearCalendar {
            year: self.year,
            holidays,
            makeup_workdays,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).expect("valid test date")
    }

    fn cal() -> WorkCalendar {
        WorkCalendar::builtin()
    }

    fn year_2030(holidays: Vec<NaiveDate>, makeup_workdays: Vec<NaiveDate>) -> YearCalendar {
        YearCalendar {
            year: 2030,
            holidays,
            makeup_workdays,
        }
    }

    // --- the rules -------------------------------------------------------

    #[test]
    fn plain_weekdays_are_working_days() {
        // 2025-03-12 is a Wednesday with no holiday.
        assert_eq!(cal().is_working_day(d(2025, 3, 12)), Ok(true));
    }

    #[test]
    fn weekends_are_not_working_days() {
        // 2025-03-15/16: an ordinary Saturday and Sunday.
        assert_eq!(cal().is_working_day(d(2025, 3, 15)), Ok(false));
        assert_eq!(cal().is_working_day(d(2025, 3, 16)), Ok(false));
    }

    #[test]
    fn public_holidays_on_weekdays_are_not_working_days() {
        // 2025-10-01 (Wed) National Day; 2025-10-08 (Wed) last day of the 8-day break.
        assert_eq!(cal().is_working_day(d(2025, 10, 1)), Ok(false));
        assert_eq!(cal().is_working_day(d(2025, 10, 8)), Ok(false));
        // 2024-06-10 (Mon) 端午节.
        assert_eq!(cal().is_working_day(d(2024, 6, 10)), Ok(false));
    }

    #[test]
    fn makeup_saturday_is_a_working_day() {
        // 2025-10-11 (Sat) and 2026-02-28 (Sat) are 调休上班.
        assert_eq!(d(2025, 10, 11).weekday(), Weekday::Sat);
        assert_eq!(cal().is_working_day(d(2025, 10, 11)), Ok(true));
        assert_eq!(cal().is_working_day(d(2026, 2, 28)), Ok(true));
    }

    #[test]
    fn makeup_sunday_is_a_working_day() {
        // 2025-09-28 (Sun) and 2024-02-04 (Sun) are 调休上班.
        assert_eq!(d(2025, 9, 28).weekday(), Weekday::Sun);
        assert_eq!(cal().is_working_day(d(2025, 9, 28)), Ok(true));
        assert_eq!(d(2024, 2, 4).weekday(), Weekday::Sun);
        assert_eq!(cal().is_working_day(d(2024, 2, 4)), Ok(true));
    }

    #[test]
    fn year_not_loaded_is_an_error_not_a_guess() {
        let calendar = cal();
        assert_eq!(
            calendar.is_working_day(d(2027, 3, 3)),
            Err(CalendarError::YearNotLoaded(2027))
        );
        assert_eq!(
            calendar.is_working_day(d(2023, 12, 29)),
            Err(CalendarError::YearNotLoaded(2023))
        );
        // Counting across the last loaded year's end needs the next year.
        assert_eq!(
            calendar.add_working_days(d(2026, 12, 30), 5),
            Err(CalendarError::YearNotLoaded(2027))
        );
        assert_eq!(
            WorkCalendar::empty().is_working_day(d(2025, 1, 2)),
            Err(CalendarError::YearNotLoaded(2025))
        );
    }

    #[test]
    fn year_not_loaded_message_says_what_to_do() {
        let message = CalendarError::YearNotLoaded(2027).to_string();
        assert!(
            message.contains("2027") && message.contains("not loaded"),
            "{message}"
        );
    }

    #[test]
    fn builtin_has_2024_to_2026() {
        assert_eq!(cal().years().collect::<Vec<_>>(), vec![2024, 2025, 2026]);
    }

    #[test]
    fn builtin_years_are_valid() {
        for year in builtin_years() {
            assert_eq!(year.validate(), Ok(()), "built-in year {}", year.year);
        }
    }

    // --- deadlines -------------------------------------------------------

    #[test]
    fn spec_example_national_day_2025() {
        let calendar = cal();
        let approved = d(2025, 9, 30);
        // 1–8 Oct off; 9 Oct (Thu) = 1, 10 Oct (Fri) = 2.
        assert_eq!(calendar.add_working_days(approved, 1), Ok(d(2025, 10, 9)));
        assert_eq!(calendar.add_working_days(approved, 2), Ok(d(2025, 10, 10)));
        // 11 Oct (Sat) is a make-up working day = 3, 13 Oct (Mon) = 4, 14 Oct (Tue) = 5.
        assert_eq!(calendar.add_working_days(approved, 3), Ok(d(2025, 10, 11)));
        assert_eq!(
            calendar.work_order_deadline(approved, 5),
            Ok(d(2025, 10, 14))
        );

        let completed_10_oct = SHANGHAI
            .with_ymd_and_hms(2025, 10, 10, 17, 0, 0)
            .single()
            .expect("valid instant");
        assert_eq!(
            calendar.completed_on_time(approved, 5, &completed_10_oct),
            Ok(true)
        );
    }

    #[test]
    fn deadline_instant_is_midnight_after_the_last_day() {
        let calendar = cal();
        let deadline = calendar
            .work_order_deadline_instant(d(2025, 9, 30), 5)
            .expect("loaded years");
        assert_eq!(deadline.to_rfc3339(), "2025-10-15T00:00:00+08:00");

        let just_before = deadline - chrono::Duration::seconds(1);
        assert_eq!(
            calendar.completed_on_time(d(2025, 9, 30), 5, &just_before),
            Ok(true)
        );
        assert_eq!(
            calendar.completed_on_time(d(2025, 9, 30), 5, &deadline),
            Ok(false)
        );
        // The same instant seen in UTC (2025-10-14 16:00Z) is still late.
        let deadline_utc = deadline.with_timezone(&chrono::Utc);
        assert_eq!(
            calendar.completed_on_time(d(2025, 9, 30), 5, &deadline_utc),
            Ok(false)
        );
    }

    #[test]
    fn deadline_counting_a_makeup_sunday() {
        // Approved Fri 2025-09-26: Sun 28 Sep (调休上班) = 1, Mon 29 = 2, Tue 30 = 3,
        // then 1–8 Oct off: Thu 9 Oct = 4, Fri 10 Oct = 5.
        assert_eq!(
            cal().work_order_deadline(d(2025, 9, 26), 5),
            Ok(d(2025, 10, 10))
        );
        // Approved Fri 2024-02-02: Sun 4 Feb (调休上班) = 1, Mon 5 … Thu 8 = 2..5.
        assert_eq!(
            cal().work_order_deadline(d(2024, 2, 2), 5),
            Ok(d(2024, 2, 8))
        );
    }

    #[test]
    fn deadline_across_the_year_end() {
        // Approved Tue 2024-12-31: 1 Jan 2025 off; Thu 2 = 1, Fri 3 = 2, Mon 6 = 3,
        // Tue 7 = 4, Wed 8 = 5.
        assert_eq!(
            cal().work_order_deadline(d(2024, 12, 31), 5),
            Ok(d(2025, 1, 8))
        );
    }

    #[test]
    fn approval_on_a_holiday_counts_from_the_next_working_day() {
        // Approved on 2025-10-03 (holiday): 9, 10, 11 (Sat, 调休), 13, 14 Oct.
        assert_eq!(
            cal().work_order_deadline(d(2025, 10, 3), 5),
            Ok(d(2025, 10, 14))
        );
    }

    #[test]
    fn zero_working_days_is_the_same_day() {
        assert_eq!(
            cal().add_working_days(d(2025, 10, 3), 0),
            Ok(d(2025, 10, 3))
        );
    }

    #[test]
    fn working_days_between_counts_the_half_open_interval() {
        let calendar = cal();
        assert_eq!(
            calendar.working_days_between(d(2025, 9, 30), d(2025, 10, 14)),
            Ok(5)
        );
        assert_eq!(
            calendar.working_days_between(d(2025, 10, 14), d(2025, 9, 30)),
            Ok(0)
        );
        assert_eq!(
            calendar.working_days_between(d(2025, 10, 1), d(2025, 10, 8)),
            Ok(0)
        );
    }

    #[test]
    fn shanghai_date_uses_utc_plus_8() {
        let evening_utc = chrono::Utc
            .with_ymd_and_hms(2025, 9, 30, 20, 0, 0)
            .single()
            .expect("valid instant");
        assert_eq!(shanghai_date(&evening_utc), d(2025, 10, 1));
    }

    // --- loading and validation ------------------------------------------

    #[test]
    fn with_year_adds_and_replaces_a_year() {
        let mut calendar = cal();
        // A hypothetical 2030: Wed 2 Jan off, Sun 6 Jan worked.
        calendar
            .with_year(year_2030(vec![d(2030, 1, 2)], vec![d(2030, 1, 6)]))
            .expect("valid year");
        assert_eq!(
            calendar.years().collect::<Vec<_>>(),
            vec![2024, 2025, 2026, 2030]
        );
        assert_eq!(calendar.is_working_day(d(2030, 1, 2)), Ok(false));
        assert_eq!(calendar.is_working_day(d(2030, 1, 6)), Ok(true));

        calendar
            .with_year(year_2030(vec![], vec![]))
            .expect("valid year");
        assert_eq!(calendar.is_working_day(d(2030, 1, 2)), Ok(true));
        assert_eq!(calendar.is_working_day(d(2030, 1, 6)), Ok(false));
    }

    #[test]
    fn with_year_keeps_the_calendar_unchanged_on_error() {
        let mut calendar = cal();
        let before = calendar.clone();
        let bad = YearCalendar {
            year: 2025,
            holidays: vec![d(2026, 1, 1)],
            makeup_workdays: vec![],
        };
        assert!(calendar.with_year(bad).is_err());
        assert_eq!(calendar, before);
    }

    #[test]
    fn unsorted_input_is_accepted() {
        let mut calendar = WorkCalendar::empty();
        calendar
            .with_year(year_2030(
                vec![d(2030, 10, 1), d(2030, 1, 1), d(2030, 5, 1)],
                vec![],
            ))
            .expect("valid year");
        for date in [d(2030, 1, 1), d(2030, 5, 1), d(2030, 10, 1)] {
            assert_eq!(calendar.is_working_day(date), Ok(false), "{date}");
        }
    }

    #[test]
    fn validation_refuses_a_holiday_outside_the_year() {
        let year = year_2030(
            vec![d(2030, 1, 1), d(2030, 2, 1), d(2030, 3, 1), d(2031, 1, 1)],
            vec![],
        );
        let error = year.validate().expect_err("2031 date in 2030");
        assert_eq!(
            error,
            CalendarError::DateOutsideYear {
                field: "holidays",
                index: 3,
                date: d(2031, 1, 1),
                year: 2030
            }
        );
        assert_eq!(
            error.to_string(),
            "holidays[3]: 2031-01-01 is outside the calendar's year 2030"
        );
    }

    #[test]
    fn validation_refuses_a_makeup_day_outside_the_year() {
        let year = year_2030(vec![], vec![d(2029, 12, 30)]);
        assert!(matches!(
            year.validate(),
            Err(CalendarError::DateOutsideYear {
                field: "makeup_workdays",
                index: 0,
                ..
            })
        ));
    }

    #[test]
    fn validation_refuses_a_day_both_holiday_and_makeup() {
        // 2030-01-05 is a Saturday.
        let year = year_2030(vec![d(2030, 1, 1), d(2030, 1, 5)], vec![d(2030, 1, 5)]);
        let error = year.validate().expect_err("both");
        assert_eq!(
            error,
            CalendarError::HolidayAndMakeupWorkday {
                index: 0,
                holiday_index: 1,
                date: d(2030, 1, 5)
            }
        );
        assert!(
            error
                .to_string()
                .starts_with("makeup_workdays[0]: 2030-01-05"),
            "{error}"
        );
    }

    #[test]
    fn validation_refuses_a_makeup_day_on_a_weekday() {
        // 2030-01-07 is a Monday, already a working day.
        let year = year_2030(vec![], vec![d(2030, 1, 6), d(2030, 1, 7)]);
        let error = year.validate().expect_err("weekday");
        assert_eq!(
            error,
            CalendarError::MakeupWorkdayNotWeekend {
                index: 1,
                date: d(2030, 1, 7),
                weekday: Weekday::Mon
            }
        );
        assert_eq!(
            error.to_string(),
            "makeup_workdays[1]: 2030-01-07 is a Mon, already a working day; a make-up working day must be a Saturday or Sunday"
        );
    }

    #[test]
    fn validation_refuses_duplicates() {
        let year = year_2030(vec![d(2030, 1, 1), d(2030, 1, 2), d(2030, 1, 1)], vec![]);
        assert_eq!(
            year.validate(),
            Err(CalendarError::DuplicateDate {
                field: "holidays",
                index: 2,
                first_index: 0,
                date: d(2030, 1, 1)
            })
        );
    }

    #[test]
    fn validation_accepts_a_holiday_on_a_weekend() {
        // Official lists include weekend days inside a holiday period (e.g. 2025-10-04 Sat).
        let year = year_2030(vec![d(2030, 1, 5), d(2030, 1, 6)], vec![]);
        assert_eq!(year.validate(), Ok(()));
    }

    #[test]
    fn year_calendar_round_trips_through_json() {
        let json = r#"{"year":2030,"holidays":["2030-01-01"],"makeup_workdays":["2030-01-06"]}"#;
        let year: YearCalendar = serde_json::from_str(json).expect("valid json");
        assert_eq!(year, year_2030(vec![d(2030, 1, 1)], vec![d(2030, 1, 6)]));
        assert_eq!(serde_json::to_string(&year).expect("serializable"), json);
        // An impossible date is refused by deserialization already.
        let bad = r#"{"year":2030,"holidays":["2030-13-01"],"makeup_workdays":[]}"#;
        assert!(serde_json::from_str::<YearCalendar>(bad).is_err());
    }

    proptest! {
        #[test]
        fn add_and_between_are_inverse(offset in 0u32..1000, n in 0u32..40) {
            let calendar = cal();
            let start = d(2024, 1, 1) + chrono::Duration::days(i64::from(offset));
            let end = calendar.add_working_days(start, n).expect("inside loaded years");
            prop_assert_eq!(calendar.working_days_between(start, end), Ok(n));
            prop_assert!(n == 0 || calendar.is_working_day(end) == Ok(true));
        }
    }

    // --- independent check against PyPI chinesecalendar --------------------

    /// Prints the library version, then `YYYY-MM-DD 0|1` for every day of 2024–2026.
    const CHINESECALENDAR_SCRIPT: &str = r#"
import datetime, sys
try:
    import chinese_calendar
except ImportError as error:
    sys.exit("cannot import chinese_calendar: %s" % error)
print(getattr(chinese_calendar, "__version__", "unknown"))
day = datetime.date(2024, 1, 1)
while day <= datetime.date(2026, 12, 31):
    print(day.isoformat(), 1 if chinese_calendar.is_workday(day) else 0)
    day += datetime.timedelta(days=1)
"#;

    const PIP_HINT: &str = "this test needs python3 with `pip install chinesecalendar==1.11.0`";

    #[test]
    fn builtin_years_agree_with_chinesecalendar() {
        let output = std::process::Command::new("python3")
            .arg("-c")
            .arg(CHINESECALENDAR_SCRIPT)
            .output()
            .unwrap_or_else(|error| panic!("cannot run python3 ({error}); {PIP_HINT}"));
        assert!(
            output.status.success(),
            "python3 failed: {}; {PIP_HINT}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
        let stdout = String::from_utf8(output.stdout).expect("utf-8 output");
        let mut lines = stdout.lines();
        let version = lines.next().unwrap_or("none");

        let calendar = cal();
        let mut checked = 0;
        let mut disagreements = Vec::new();
        for line in lines {
            let (date, flag) = line.split_once(' ').expect("`date flag` line");
            let date: NaiveDate = date.parse().expect("ISO date");
            let theirs = flag == "1";
            let ours = calendar.is_working_day(date).expect("built-in year");
            if ours != theirs {
                disagreements.push(format!(
                    "{date} ({}): ours {ours}, chinesecalendar {theirs}",
                    date.weekday()
                ));
            }
            checked += 1;
        }
        assert_eq!(checked, 366 + 365 + 365, "every day of 2024–2026 checked");
        assert!(
            disagreements.is_empty(),
            "built-in calendar disagrees with chinesecalendar {version}:\n{}",
            disagreements.join("\n")
        );
    }
}
