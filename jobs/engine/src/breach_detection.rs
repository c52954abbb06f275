//! Breaches the facts suffice to detect (spec §5), as pure rules over plain
//! structs: the job loads the facts of one contract term, asks these functions
//! which events match which rows of the Beijing general table (附件3), and
//! writes the matches as proposals a supervisor confirms.
//!
//! 以上 counts the number itself (民法典 art. 1259): 2小时以上 is ≥ 120
//! minutes, 累计8小时以上 ≥ 480, 3次以上 ≥ 3.
//!
//! **Decision — "连续宕机3次" (row 6, "down 3 times in a row").** The annex
//! says only 连续 (in succession); the cumulative half of the row (累计8小时)
//! already counts every outage of the term, so 连续 must say more than "3 in
//! the term": the outages follow each other without the system having been
//! back in stable service in between. We read "back in stable service" as a
//! full day (24 hours) without an outage: an outage that starts within 24
//! hours of the previous one's end continues the run, a later one starts a
//! new run. The outage that brings a run to 3, or the term's cumulative
//! minutes to 480, is the one charged; the run and the sum then start again
//! from zero, so the outages already charged at row 6 are not charged there
//! again (one event charged once) and the next 3 in a row or 480 minutes make
//! a new breach.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rust_decimal::Decimal;

use crate::contract_terms::RowRef;

/// The Beijing general breach table (附件3) whose rows the facts match.
pub const GENERAL: &str = "general";
/// 可用性达不到99.99%…且…接到用户投诉此类情况3次以上 (20 %).
pub const AVAILABILITY_ROW: u32 = 2;
/// 连续3次未能通过考核，经限期整改后仍不能达到 (20 %).
pub const FAILED_MONTHS_ROW: u32 = 3;
/// 造成某系统宕机2小时以上 (30 %).
pub const LONG_OUTAGE_ROW: u32 = 5;
/// 造成某系统连续宕机3次以上或累计8小时以上 (60 %).
pub const REPEATED_OUTAGE_ROW: u32 = 6;

/// 2小时以上: ≥ 120 minutes.
pub const LONG_OUTAGE_MINUTES: i64 = 120;
/// 累计8小时以上: ≥ 480 minutes in the term.
pub const CUMULATIVE_MINUTES: i64 = 480;
/// 连续…3次以上: ≥ 3 outages in a row.
pub const IN_A_ROW: u32 = 3;
/// An outage starting within this time of the previous one's end continues
/// the run (see the module's decision).
pub const IN_A_ROW_GAP_HOURS: i64 = 24;
/// 3次以上 complaints about the system in the month.
pub const COMPLAINTS: u32 = 3;
/// 99.99 % as a fraction of ten thousand: availability below 9,999 / 10,000.
const AVAILABLE_PER_10_000: i64 = 9_999;

/// A finished outage the vendor is liable for, of one contract term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutageEvent {
    pub id: i64,
    pub started_at: DateTime<Utc>,
    pub ended_at: DateTime<Utc>,
}

impl OutageEvent {
    /// Whole minutes down (119 min 59 s is 119: not yet 2 hours).
    pub fn minutes(&self) -> i64 {
        (self.ended_at - self.started_at).num_minutes()
    }
}

/// An outage that matched row 5, row 6 or both, with the figures that made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutageMatch {
    pub id: i64,
    pub minutes: i64,
    /// ≥ 120 minutes (row 5).
    pub long: bool,
    /// The run it brought to 3 (row 6), if it did.
    pub in_a_row: Option<u32>,
    /// The cumulative minutes it brought to ≥ 480 (row 6), if it did.
    pub cumulative: Option<i64>,
}

impl OutageMatch {
    /// The rows matched, in table order: one proposal charged at the heaviest.
    pub fn rows(&self) -> Vec<RowRef> {
        let mut rows = Vec::new();
        if self.long {
            rows.push(RowRef::new(GENERAL, LONG_OUTAGE_ROW));
        }
        if self.in_a_row.is_some() || self.cumulative.is_some() {
            rows.push(RowRef::new(GENERAL, REPEATED_OUTAGE_ROW));
        }
        rows
    }
}

/// Rows 5 and 6 over the outages of one contract term (any order: sorted
/// here by start). Only outages matching a row are returned.
pub fn outage_matches(events: &[OutageEvent]) -> Vec<OutageMatch> {
    let mut sorted: Vec<&OutageEvent> = events.iter().collect();
    sorted.sort_by_key(|e| (e.started_at, e.id));
    let gap = Duration::hours(IN_A_ROW_GAP_HOURS);
    let mut run = 0u32;
    let mut sum = 0i64;
    let mut last_end: Option<DateTime<Utc>> = None;
    let mut matches = Vec::new();
    for e in sorted {
        let continues = last_end.is_some_and(|end| e.started_at - end <= gap);
        run = if continues { run + 1 } else { 1 };
        last_end = Some(e.ended_at);
        let minutes = e.minutes();
        sum += minutes;
        let found = OutageMatch {
            id: e.id,
            minutes,
            long: minutes >= LONG_OUTAGE_MINUTES,
            in_a_row: (run >= IN_A_ROW).then_some(run),
            cumulative: (sum >= CUMULATIVE_MINUTES).then_some(sum),
        };
        if found.in_a_row.is_some() || found.cumulative.is_some() {
            // Charged at row 6: what it closed starts again from zero.
            run = 0;
            sum = 0;
            last_end = None;
        }
        if found.long || found.in_a_row.is_some() || found.cumulative.is_some() {
            matches.push(found);
        }
    }
    matches
}

/// A month's availability of a system, from its outages' time down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Availability {
    /// Milliseconds in the month.
    pub total_ms: i64,
    /// Milliseconds down in the month (overlapping outages counted once).
    pub down_ms: i64,
}

impl Availability {
    /// (month − down) / month < 99.99 %, in exact integers:
    /// (total − down) × 10,000 < total × 9,999.
    pub fn below_99_99(&self) -> bool {
        (self.total_ms - self.down_ms) as i128 * 10_000
            < self.total_ms as i128 * AVAILABLE_PER_10_000 as i128
    }

    /// The availability in percent, to 4 decimals, for the description.
    pub fn percent(&self) -> Decimal {
        if self.total_ms == 0 {
            return Decimal::ONE_HUNDRED;
        }
        (Decimal::from(self.total_ms - self.down_ms) * Decimal::ONE_HUNDRED
            / Decimal::from(self.total_ms))
        .round_dp(4)
    }

    /// Minutes down, to 2 decimals, for the description.
    pub fn down_minutes(&self) -> Decimal {
        (Decimal::from(self.down_ms) / Decimal::from(60_000)).round_dp(2)
    }
}

/// The availability over `[from, to)` given outages as (start, end): each
/// clipped to the month, overlaps merged (a minute down is down once).
pub fn availability(
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    outages: &[(DateTime<Utc>, DateTime<Utc>)],
) -> Availability {
    let mut clipped: Vec<(DateTime<Utc>, DateTime<Utc>)> = outages
        .iter()
        .map(|&(s, e)| (s.max(from), e.min(to)))
        .filter(|(s, e)| s < e)
        .collect();
    clipped.sort();
    let mut down = Duration::zero();
    let mut current: Option<(DateTime<Utc>, DateTime<Utc>)> = None;
    for (s, e) in clipped {
        current = match current {
            Some((cs, ce)) if s <= ce => Some((cs, ce.max(e))),
            Some((cs, ce)) => {
                down += ce - cs;
                Some((s, e))
            }
            None => Some((s, e)),
        };
    }
    if let Some((cs, ce)) = current {
        down += ce - cs;
    }
    Availability {
        total_ms: (to - from).num_milliseconds(),
        down_ms: down.num_milliseconds(),
    }
}

/// Row 2: availability below 99.99 % and ≥ 3 complaints about the system in
/// the month.
pub fn availability_breach(month: &Availability, complaints: u32) -> bool {
    month.below_99_99() && complaints >= COMPLAINTS
}

/// The rectification after three consecutive failed months (row 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rectification {
    /// Whether the month and the two before it were each published below the
    /// pass mark.
    pub three_failed: bool,
    /// The deadline of the third month's rectification notice.
    pub deadline: NaiveDate,
    /// The local day the notice was accepted (rectification accepted), if it was.
    pub accepted_on: Option<NaiveDate>,
}

/// Row 3: three failed months whose deadline has passed (`today` is after
/// it) without the rectification accepted on or before it.
pub fn rectification_unmet(r: &Rectification, today: NaiveDate) -> bool {
    r.three_failed && today > r.deadline && r.accepted_on.is_none_or(|day| day > r.deadline)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .expect("instant")
            .with_timezone(&Utc)
    }

    /// An outage starting on `day` (2024-03-dd) at 08:00 Shanghai, lasting `minutes`.
    fn outage(id: i64, day: u32, minutes: i64) -> OutageEvent {
        let start = at(&format!("2024-03-{day:02}T08:00:00+08:00"));
        OutageEvent {
            id,
            started_at: start,
            ended_at: start + Duration::minutes(minutes),
        }
    }

    fn numbers(m: &OutageMatch) -> Vec<u32> {
        m.rows().iter().map(|r| r.number).collect()
    }

    #[test]
    fn an_outage_of_119_minutes_matches_nothing_and_of_120_matches_row_5() {
        assert!(outage_matches(&[outage(1, 1, 119)]).is_empty());
        let found = outage_matches(&[outage(1, 1, 120)]);
        assert_eq!(found.len(), 1);
        assert_eq!(numbers(&found[0]), vec![5]);
    }

    #[test]
    fn cumulative_479_minutes_is_not_row_6_and_the_outage_reaching_480_is() {
        // Days apart (never in a row): 200 + 200 + 79 = 479 → rows 5, 5, nothing.
        let mut events = vec![outage(1, 1, 200), outage(2, 5, 200), outage(3, 9, 79)];
        let found = outage_matches(&events);
        let rows: Vec<Vec<u32>> = found.iter().map(numbers).collect();
        assert_eq!(rows, vec![vec![5], vec![5]]);
        // One more minute-long outage: 479 + 1 = 480 → row 6, on that outage.
        events.push(outage(4, 13, 1));
        let found = outage_matches(&events);
        let last = found.last().expect("a match");
        assert_eq!((last.id, numbers(last)), (4, vec![6]));
        assert_eq!(last.cumulative, Some(480));
    }

    #[test]
    fn the_third_outage_in_a_row_matches_row_6() {
        // 10 minutes each at 08:00 on 1, 2 and 3 March: each within 24 h of the last.
        let found = outage_matches(&[outage(1, 1, 10), outage(2, 2, 10), outage(3, 3, 10)]);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].id, found[0].in_a_row), (3, Some(3)));
        assert_eq!(numbers(&found[0]), vec![6]);
    }

    #[test]
    fn more_than_24_hours_between_outages_breaks_the_run() {
        // 1 March 08:00–08:10, then 3 March 08:00: 47 h 50 min later → a new run.
        let found = outage_matches(&[outage(1, 1, 10), outage(2, 3, 10), outage(3, 4, 10)]);
        assert!(found.is_empty());
    }

    #[test]
    fn after_row_6_the_run_and_the_sum_start_again() {
        // Five in a row: the third is row 6; the fourth and fifth are a new run of 2.
        let events: Vec<OutageEvent> = (1..=5).map(|d| outage(d as i64, d, 10)).collect();
        let found = outage_matches(&events);
        assert_eq!(found.iter().map(|m| m.id).collect::<Vec<_>>(), vec![3]);
    }

    #[test]
    fn one_outage_matching_rows_5_and_6_is_one_match() {
        // 200 + 300 = 500 ≥ 480, and the second lasts ≥ 120: rows 5 and 6 at once.
        let found = outage_matches(&[outage(1, 1, 200), outage(2, 9, 300)]);
        assert_eq!(found.len(), 2);
        assert_eq!(numbers(&found[1]), vec![5, 6]);
    }

    #[test]
    fn availability_of_exactly_99_99_percent_is_not_below_it() {
        // April 2024: 30 days = 2,592,000,000 ms; 0.01 % of it = 259,200 ms (4 min 19.2 s).
        let from = at("2024-04-01T00:00:00+08:00");
        let to = at("2024-05-01T00:00:00+08:00");
        let start = at("2024-04-10T08:00:00+08:00");
        let exact = availability(
            from,
            to,
            &[(start, start + Duration::milliseconds(259_200))],
        );
        assert_eq!(exact.down_ms, 259_200);
        assert!(!exact.below_99_99());
        let more = availability(
            from,
            to,
            &[(start, start + Duration::milliseconds(259_201))],
        );
        assert!(more.below_99_99());
    }

    #[test]
    fn availability_clips_to_the_month_and_counts_overlaps_once() {
        let from = at("2024-04-01T00:00:00+08:00");
        let to = at("2024-05-01T00:00:00+08:00");
        // 31 March 23:50 – 1 April 00:10 counts 10 minutes in April; two overlapping
        // outages 10:00–10:30 and 10:20–10:40 count 40 minutes: 50 in all.
        let a = availability(
            from,
            to,
            &[
                (
                    at("2024-03-31T23:50:00+08:00"),
                    at("2024-04-01T00:10:00+08:00"),
                ),
                (
                    at("2024-04-02T10:00:00+08:00"),
                    at("2024-04-02T10:30:00+08:00"),
                ),
                (
                    at("2024-04-02T10:20:00+08:00"),
                    at("2024-04-02T10:40:00+08:00"),
                ),
            ],
        );
        assert_eq!(a.down_ms, 50 * 60_000);
    }

    #[test]
    fn availability_below_with_2_complaints_is_no_breach_and_with_3_is() {
        // 43,200 minutes in April, 60 down: 99.8611 % < 99.99 %.
        let a = Availability {
            total_ms: 2_592_000_000,
            down_ms: 3_600_000,
        };
        assert_eq!(a.percent(), Decimal::new(998611, 4));
        assert!(!availability_breach(&a, 2));
        assert!(availability_breach(&a, 3));
    }

    #[test]
    fn an_unmet_rectification_deadline_is_row_3_and_a_met_one_is_not() {
        let day = |d| NaiveDate::from_ymd_opt(2025, 6, d).expect("day");
        let r = Rectification {
            three_failed: true,
            deadline: day(15),
            accepted_on: None,
        };
        // On the deadline itself it is not yet missed; the day after it is.
        assert!(!rectification_unmet(&r, day(15)));
        assert!(rectification_unmet(&r, day(16)));
        let met = Rectification {
            accepted_on: Some(day(15)),
            ..r
        };
        assert!(!rectification_unmet(&met, day(20)));
        let late = Rectification {
            accepted_on: Some(day(17)),
            ..r
        };
        assert!(rectification_unmet(&late, day(20)));
        let not_three = Rectification {
            three_failed: false,
            ..r
        };
        assert!(!rectification_unmet(&not_three, day(20)));
    }
}
