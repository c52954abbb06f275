//! Which period a fact counts in (spec §1, "Which month a fact counts in"). The
//! caller may pass facts from around the period; these functions decide.
//!
//! - Faults, complaints, violations, changes, deliveries without a work order,
//!   security accidents and trainings count in the period they occurred in.
//! - A late work order, task or security risk counts once, in the period its
//!   deadline passed; one still open at that period's end is late.
//! - Outage seconds are split at the period's bounds.

use chrono::{DateTime, NaiveDate, Utc};

use super::facts::{
    Change, Complaint, Event, Fault, Outage, SecurityAccident, Training, UnticketedDelivery,
    Violation, WorkOrder,
};
use super::period::{Period, local_day};

/// A fact counted by the moment it occurred.
pub trait Occurs {
    fn occurred_at(&self) -> DateTime<Utc>;
}

impl Occurs for Complaint {
    fn occurred_at(&self) -> DateTime<Utc> {
        self.received_at
    }
}

impl Occurs for Violation {
    fn occurred_at(&self) -> DateTime<Utc> {
        self.occurred_at
    }
}

impl Occurs for UnticketedDelivery {
    fn occurred_at(&self) -> DateTime<Utc> {
        self.occurred_at
    }
}

impl Occurs for Fault {
    fn occurred_at(&self) -> DateTime<Utc> {
        self.occurred_at
    }
}

impl Occurs for SecurityAccident {
    fn occurred_at(&self) -> DateTime<Utc> {
        self.occurred_at
    }
}

impl Occurs for Training {
    fn occurred_at(&self) -> DateTime<Utc> {
        self.held_at
    }
}

/// A change occurs when it is executed; one never executed, when it was planned
/// (Decision: so a change planned but not carried out still counts somewhere,
/// and F1 and F2 count a change in the same month).
impl Occurs for Change {
    fn occurred_at(&self) -> DateTime<Utc> {
        self.executed_at.unwrap_or(self.planned_at)
    }
}

/// The counting events of `facts` that occurred in `period`.
pub fn occurred_in<'a, E: Event + Occurs>(
    facts: &'a [E],
    period: &'a Period,
) -> impl Iterator<Item = &'a E> {
    facts
        .iter()
        .filter(move |fact| fact.counts() && period.contains(fact.occurred_at()))
}

/// Late against a deadline *day*: done after the end (24:00 Shanghai) of
/// `last_day`, or not done at all.
pub fn late_after_day(done_at: Option<DateTime<Utc>>, last_day: NaiveDate) -> bool {
    done_at.is_none_or(|done| local_day(done) > last_day)
}

/// Late against a deadline *instant*: done after it, or not done at all.
pub fn late_after_instant(done_at: Option<DateTime<Utc>>, deadline: DateTime<Utc>) -> bool {
    done_at.is_none_or(|done| done > deadline)
}

/// Whether a work order's deadline could pass in `period`, before its deadline
/// is known. Its deadline is on or after the day of approval, and if it is late
/// its deadline passed before completion; so an order approved after the period,
/// or completed before it, cannot count in it. Used to skip the calendar (and its
/// "year not loaded" warnings) for orders that cannot matter.
pub fn work_order_may_fall_due_in(order: &WorkOrder, period: &Period) -> bool {
    let approved_after = order.approved_at >= period.end();
    let completed_before = order.completed_at.is_some_and(|done| done < period.start());
    !(approved_after || completed_before)
}

/// A2 Decision: a work order is provisioned when it is completed, so a deviation
/// counts in the month of completion; an order not completed has provisioned
/// nothing yet.
pub fn provisioned_in(order: &WorkOrder, period: &Period) -> bool {
    order.completed_at.is_some_and(|done| period.contains(done))
}

/// Why a delivery without a work order counts in a period (A4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryCount {
    /// It happened in the period.
    Occurred,
    /// It happened earlier and is still not rectified.
    NotRectified,
}

/// A4 Decision: "当月每发生一起或者未整改完毕的扣1分" is read as two ways to count:
/// each delivery without a work order in the month it happened, and each one
/// still not rectified at the end of a later month (rectified at or after the
/// month's end, or not at all). One delivery counts at most once per period. The
/// fact records the instant it was rectified, so a month re-run after a later
/// rectification gives the same result as before.
pub fn unticketed_delivery_counts(
    delivery: &UnticketedDelivery,
    period: &Period,
) -> Option<DeliveryCount> {
    if period.contains(delivery.occurred_at) {
        Some(DeliveryCount::Occurred)
    } else if delivery.occurred_at < period.start()
        && delivery
            .rectified_at
            .is_none_or(|rectified| rectified >= period.end())
    {
        Some(DeliveryCount::NotRectified)
    } else {
        None
    }
}

/// Seconds of failure within `period` of one service's outages: each outage is
/// clipped to the period (an ongoing one runs to its end) and overlapping outages
/// are merged, since a second is either down or not (Decision: two records of the
/// same failure must not count it twice).
pub fn failure_seconds<'a>(outages: impl IntoIterator<Item = &'a Outage>, period: &Period) -> i64 {
    let (start, end) = (period.start(), period.end());
    let mut spans: Vec<(DateTime<Utc>, DateTime<Utc>)> = outages
        .into_iter()
        .map(|o| (o.started_at.max(start), o.ended_at.unwrap_or(end).min(end)))
        .filter(|(from, to)| from < to)
        .collect();
    spans.sort();
    let mut total = 0;
    let mut current: Option<(DateTime<Utc>, DateTime<Utc>)> = None;
    for (from, to) in spans {
        current = match current {
            Some((c_from, c_to)) if from <= c_to => Some((c_from, c_to.max(to))),
            Some((c_from, c_to)) => {
                total += (c_to - c_from).num_seconds();
                Some((from, to))
            }
            None => Some((from, to)),
        };
    }
    total + current.map_or(0, |(from, to)| (to - from).num_seconds())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{at, day, month, outage, work_order};

    fn october() -> Period {
        Period::Month(month(2025, 10))
    }

    #[test]
    fn an_event_counts_in_the_local_month_it_occurred() {
        let complaint = |id, received: &str| Complaint {
            id,
            title: String::new(),
            confirmed: true,
            vendor_liable: true,
            received_at: at(received),
        };
        // 2025-11-01 07:00 +08:00 is still 2025-10-31 in UTC, but November locally.
        let facts = [
            complaint(1, "2025-10-01 00:00"),
            complaint(2, "2025-10-31 23:59"),
            complaint(3, "2025-11-01 07:00"),
            complaint(4, "2025-09-30 23:59"),
        ];
        let ids: Vec<i64> = occurred_in(&facts, &october()).map(|c| c.id).collect();
        assert_eq!(ids, [1, 2]);
    }

    #[test]
    fn only_confirmed_liable_events_count() {
        let facts = [
            Violation {
                id: 1,
                title: String::new(),
                confirmed: true,
                vendor_liable: false,
                occurred_at: at("2025-10-05 10:00"),
            },
            Violation {
                id: 2,
                title: String::new(),
                confirmed: false,
                vendor_liable: true,
                occurred_at: at("2025-10-05 10:00"),
            },
            Violation {
                id: 3,
                title: String::new(),
                confirmed: true,
                vendor_liable: true,
                occurred_at: at("2025-10-05 10:00"),
            },
        ];
        let ids: Vec<i64> = occurred_in(&facts, &october()).map(|v| v.id).collect();
        assert_eq!(ids, [3]);
    }

    #[test]
    fn completion_on_the_last_day_is_on_time() {
        let last = day(2025, 10, 14);
        assert!(!late_after_day(Some(at("2025-10-14 23:59")), last));
        assert!(late_after_day(Some(at("2025-10-15 00:00")), last));
        assert!(late_after_day(None, last), "open is late");
    }

    #[test]
    fn finishing_exactly_at_the_planned_instant_is_on_time() {
        let planned = at("2025-10-10 18:00");
        assert!(!late_after_instant(Some(planned), planned));
        assert!(late_after_instant(Some(at("2025-10-10 18:01")), planned));
        assert!(late_after_instant(None, planned));
    }

    #[test]
    fn work_orders_that_cannot_fall_due_are_skipped() {
        // Approved after October: its deadline is after October.
        assert!(!work_order_may_fall_due_in(
            &work_order(1, "2025-11-01 09:00", None),
            &october()
        ));
        // Completed before October: late or not, not in October.
        assert!(!work_order_may_fall_due_in(
            &work_order(2, "2025-09-01 09:00", Some("2025-09-30 23:00")),
            &october()
        ));
        // Approved in September, open: its deadline may be in October.
        assert!(work_order_may_fall_due_in(
            &work_order(3, "2025-09-28 09:00", None),
            &october()
        ));
    }

    #[test]
    fn a_deviation_counts_in_the_month_of_provisioning() {
        let mut order = work_order(1, "2025-09-29 09:00", Some("2025-10-09 10:00"));
        order.provisioned_differently = true;
        assert!(provisioned_in(&order, &october()));
        assert!(!provisioned_in(&order, &Period::Month(month(2025, 9))));
        order.completed_at = None;
        assert!(!provisioned_in(&order, &october()));
    }

    #[test]
    fn an_unrectified_delivery_keeps_counting_until_rectified() {
        let delivery = |rectified: Option<&str>| UnticketedDelivery {
            id: 1,
            title: String::new(),
            confirmed: true,
            vendor_liable: true,
            occurred_at: at("2025-09-20 10:00"),
            rectified_at: rectified.map(at),
        };
        let september = Period::Month(month(2025, 9));
        assert_eq!(
            unticketed_delivery_counts(&delivery(Some("2025-09-21 10:00")), &september),
            Some(DeliveryCount::Occurred)
        );
        assert_eq!(
            unticketed_delivery_counts(&delivery(None), &october()),
            Some(DeliveryCount::NotRectified)
        );
        // Rectified in September: October is clear.
        assert_eq!(
            unticketed_delivery_counts(&delivery(Some("2025-09-30 23:59")), &october()),
            None
        );
        // Rectified in November: still open at October's end, so October counts,
        // however late October is re-run.
        assert_eq!(
            unticketed_delivery_counts(&delivery(Some("2025-11-03 10:00")), &october()),
            Some(DeliveryCount::NotRectified)
        );
        // Rectified exactly at 1 Nov 00:00 is not before October's end.
        assert_eq!(
            unticketed_delivery_counts(&delivery(Some("2025-11-01 00:00")), &october()),
            Some(DeliveryCount::NotRectified)
        );
        // Never in a period before it happened.
        assert_eq!(
            unticketed_delivery_counts(&delivery(None), &Period::Month(month(2025, 8))),
            None
        );
    }

    #[test]
    fn an_outage_across_a_month_boundary_is_split_at_it() {
        // 2025-10-31 23:00 → 2025-11-01 01:00: 3,600 s in October, 3,600 s in November.
        let o = outage(1, "ECS", "2025-10-31 23:00", Some("2025-11-01 01:00"));
        assert_eq!(failure_seconds([&o], &october()), 3_600);
        assert_eq!(
            failure_seconds([&o], &Period::Month(month(2025, 11))),
            3_600
        );
    }

    #[test]
    fn an_ongoing_outage_runs_to_the_end_of_the_period() {
        // From 2025-10-31 22:00 to 24:00: 7,200 s.
        let o = outage(1, "ECS", "2025-10-31 22:00", None);
        assert_eq!(failure_seconds([&o], &october()), 7_200);
    }

    #[test]
    fn overlapping_outages_of_a_service_are_merged() {
        // 10:00–11:00 and 10:30–12:00 overlap: 10:00–12:00 = 7,200 s, not 3,600 + 5,400;
        // 13:00–13:10 is separate: + 600 = 7,800.
        let a = outage(1, "ECS", "2025-10-05 10:00", Some("2025-10-05 11:00"));
        let b = outage(2, "ECS", "2025-10-05 10:30", Some("2025-10-05 12:00"));
        let c = outage(3, "ECS", "2025-10-05 13:00", Some("2025-10-05 13:10"));
        assert_eq!(failure_seconds([&a, &b, &c], &october()), 7_800);
    }
}
