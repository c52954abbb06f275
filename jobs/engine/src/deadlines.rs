//! Whether a duty due by a given day was met, is still open, or is overdue: the
//! one reading of "within N days" shared by resource delivery ([`crate::quotas`]),
//! the work order's parts and the exit duties ([`crate::work_order`]).
//!
//! A duty due by `last_day` is met on time when done on or before that day in
//! Shanghai (24:00 +08:00), as A1 reads a work order's deadline today
//! ([`crate::counting::late_after_day`]); one not done is overdue once `now` is
//! past that day, and merely open before.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::period::local_day;

/// Where a duty stands at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DutyStatus {
    /// Done on or before its last day.
    OnTime,
    /// Done, but after its last day.
    Late,
    /// Not done, and its last day has not passed yet.
    Open,
    /// Not done, and its last day has passed.
    Overdue,
}

impl DutyStatus {
    /// Late or overdue: what A1 counts and what raises a notice.
    pub fn is_late(self) -> bool {
        matches!(self, DutyStatus::Late | DutyStatus::Overdue)
    }

    /// The word a user reads.
    pub fn text(self) -> &'static str {
        match self {
            DutyStatus::OnTime => "按时完成",
            DutyStatus::Late => "逾期完成",
            DutyStatus::Open => "待完成",
            DutyStatus::Overdue => "已逾期",
        }
    }
}

/// The status at `now` of a duty due by the end of `last_day` (Shanghai) and
/// done at `done_at` (if at all). A completion recorded after `now` is taken as
/// it is: the caller decides which completions it knows of.
pub fn duty_status(
    last_day: NaiveDate,
    done_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> DutyStatus {
    match done_at {
        Some(done) if local_day(done) <= last_day => DutyStatus::OnTime,
        Some(_) => DutyStatus::Late,
        None if local_day(now) <= last_day => DutyStatus::Open,
        None => DutyStatus::Overdue,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{at, day};

    #[test]
    fn done_by_the_end_of_the_last_day_is_on_time() {
        // Last day 14 Oct; done 14 Oct 23:59 Shanghai (= 15:59 UTC): on time.
        let status = duty_status(
            day(2025, 10, 14),
            Some(at("2025-10-14 23:59")),
            at("2025-10-20 09:00"),
        );
        assert_eq!(status, DutyStatus::OnTime);
    }

    #[test]
    fn done_the_day_after_is_late() {
        // 15 Oct 00:00 Shanghai is the first instant past 14 Oct.
        let status = duty_status(
            day(2025, 10, 14),
            Some(at("2025-10-15 00:00")),
            at("2025-10-20 09:00"),
        );
        assert_eq!(status, DutyStatus::Late);
        assert!(status.is_late());
    }

    #[test]
    fn not_done_is_open_through_the_last_day_then_overdue() {
        let last = day(2025, 10, 14);
        assert_eq!(
            duty_status(last, None, at("2025-10-14 23:59")),
            DutyStatus::Open
        );
        assert_eq!(
            duty_status(last, None, at("2025-10-15 00:00")),
            DutyStatus::Overdue
        );
        assert_eq!(DutyStatus::Overdue.text(), "已逾期");
    }
}
