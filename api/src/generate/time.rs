//! Instants of the generated data, all derived from the plan's years (never
//! from the clock), in Asia/Shanghai local time.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};

use super::plan::{Draw, Plan};
use domain::period::shanghai;

pub fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("a valid date")
}

/// Local (Shanghai) wall-clock time as an instant.
pub fn at(day: NaiveDate, hour: u32, minute: u32, second: u32) -> DateTime<Utc> {
    let local = day.and_hms_opt(hour, minute, second).expect("a valid time");
    shanghai()
        .from_local_datetime(&local)
        .single()
        .expect("a fixed offset")
        .with_timezone(&Utc)
}

/// The local day of an instant.
pub fn local_day(t: DateTime<Utc>) -> NaiveDate {
    domain::period::local(t).date_naive()
}

/// The first day of the first service year (January of the first year: the
/// July service years of Songjiang start later).
pub fn window_start(plan: &Plan) -> NaiveDate {
    date(plan.years[0], 1, 1)
}

/// When the reference data was "created": a month before the first year.
pub fn created_at(plan: &Plan) -> DateTime<Utc> {
    at(window_start(plan) - Duration::days(31), 9, 0, 0)
}

pub fn days_in_month(year: i32, month: u32) -> u32 {
    let next = if month == 12 {
        date(year + 1, 1, 1)
    } else {
        date(year, month + 1, 1)
    };
    (next - date(year, month, 1)).num_days() as u32
}

/// A random day of the month.
pub fn day_in(d: &mut Draw, year: i32, month: u32) -> NaiveDate {
    let day = 1 + d.below(u64::from(days_in_month(year, month))) as u32;
    date(year, month, day)
}

/// A random instant of the month, any time of day.
pub fn any_time_in(d: &mut Draw, year: i32, month: u32) -> DateTime<Utc> {
    let day = day_in(d, year, month);
    at(
        day,
        d.below(24) as u32,
        d.below(60) as u32,
        d.below(60) as u32,
    )
}

/// A random instant of the month during office hours (09:00–17:59).
pub fn office_time_in(d: &mut Draw, year: i32, month: u32) -> DateTime<Utc> {
    let day = day_in(d, year, month);
    at(day, 9 + d.below(9) as u32, d.below(60) as u32, 0)
}

/// The "YYYY-MM" of a month.
pub fn period(year: i32, month: u32) -> String {
    format!("{year:04}-{month:02}")
}

/// The first day of the month after.
pub fn next_month(day: NaiveDate) -> NaiveDate {
    if day.month() == 12 {
        date(day.year() + 1, 1, 1)
    } else {
        date(day.year(), day.month() + 1, 1)
    }
}
