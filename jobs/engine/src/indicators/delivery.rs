//! Service delivery (A): work orders on time (A1), provisioned as approved (A2),
//! tasks on schedule (A3), no delivery without a work order (A4).

use crate::counting::{
    DeliveryCount, late_after_day, late_after_instant, provisioned_in, unticketed_delivery_counts,
    work_order_may_fall_due_in,
};
use crate::facts::{Fact, attributable};
use crate::period::local_day;
use crate::result::Findings;
use crate::scheme::{PerEvent, WorkOrderDeadline};
use crate::shown::{local_time_text, title_text};

use super::Context;

/// A1: each work order not completed by the end of the `working_days`-th working
/// day after the day of its approval (spec Decision), counted in the period that
/// deadline day falls in. A deadline the calendar cannot compute (its year is not
/// loaded) is a warning and the order is not assessed: a guessed deadline could
/// be wrong either way.
pub fn on_time(rule: &WorkOrderDeadline, ctx: &Context<'_>) -> Findings {
    let mut findings = Findings::default();
    let orders =
        attributable(&ctx.facts.work_orders).filter(|o| work_order_may_fall_due_in(o, ctx.period));
    for order in orders {
        let approved_on = local_day(order.approved_at);
        let deadline = match ctx
            .calendar
            .work_order_deadline(approved_on, rule.working_days)
        {
            Ok(deadline) => deadline,
            Err(_) => {
                findings.warn(format!(
                    "工单{}（{approved_on} 审批）未考核：工作日历未覆盖其期限，请管理员载入相应年度的节假日和调休上班日",
                    crate::shown::title_text(&order.title)
                ));
                continue;
            }
        };
        if !ctx.period.contains_day(deadline) || !late_after_day(order.completed_at, deadline) {
            continue;
        }
        let status = match order.completed_at {
            Some(done) => format!("{} 完成", local_day(done)),
            None => "未完成".to_owned(),
        };
        findings.deduct(
            rule.deduction,
            format!(
                "工单{}（{} 审批）{status}，超过完成期限 {deadline}（审批后第 {} 个工作日）",
                title_text(&order.title),
                local_time_text(order.approved_at),
                rule.working_days
            ),
            vec![order.fact_ref()],
        );
    }
    findings
}

/// A2: each work order provisioned differently from its approval, counted in the
/// month it was provisioned (completed) — see [`provisioned_in`].
pub fn provisioning(rule: &PerEvent, ctx: &Context<'_>) -> Findings {
    let mut findings = Findings::default();
    let deviations = attributable(&ctx.facts.work_orders)
        .filter(|o| o.provisioned_differently && provisioned_in(o, ctx.period));
    for order in deviations {
        let completed = order.completed_at.map(local_day);
        findings.deduct(
            rule.deduction,
            format!(
                "工单{}（{} 审批，{} 完成）发放的资源与审批内容不一致",
                title_text(&order.title),
                local_time_text(order.approved_at),
                completed.map_or_else(String::new, |d| d.to_string())
            ),
            vec![order.fact_ref()],
        );
    }
    findings
}

/// A3: each task not finished by its planned instant (vendor fully or mainly
/// liable), counted in the period of the planned instant; one still open is late.
pub fn tasks(rule: &PerEvent, ctx: &Context<'_>) -> Findings {
    let mut findings = Findings::default();
    let late = attributable(&ctx.facts.service_tasks).filter(|t| {
        ctx.period.contains(t.planned_at) && late_after_instant(t.finished_at, t.planned_at)
    });
    for task in late {
        let status = match task.finished_at {
            Some(done) => format!("{} 才完成", local_time_text(done)),
            None => "未完成".to_owned(),
        };
        findings.deduct(
            rule.deduction,
            format!(
                "服务任务{}计划 {} 前完成，{status}",
                title_text(&task.title),
                local_time_text(task.planned_at)
            ),
            vec![task.fact_ref()],
        );
    }
    findings
}

/// A4: each delivery without a work order in the period, and each earlier one
/// still not rectified at the period's end (see [`unticketed_delivery_counts`]).
pub fn unticketed(rule: &PerEvent, ctx: &Context<'_>) -> Findings {
    let mut findings = Findings::default();
    for delivery in attributable(&ctx.facts.unticketed_deliveries) {
        let Some(why) = unticketed_delivery_counts(delivery, ctx.period) else {
            continue;
        };
        let when = local_time_text(delivery.occurred_at);
        let what = title_text(&delivery.title);
        let reason = match why {
            DeliveryCount::Occurred => format!("{when} 未经工单交付资源{what}"),
            DeliveryCount::NotRectified => {
                format!("{when} 未经工单交付资源{what}，本期末仍未整改")
            }
        };
        findings.deduct(rule.deduction, reason, vec![delivery.fact_ref()]);
    }
    findings
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use crate::facts::VendorFacts;
    use crate::scheme::IndicatorCode::{A1, A2, A3, A4};
    use crate::testing::*;

    fn orders(orders: Vec<crate::facts::WorkOrder>) -> VendorFacts {
        VendorFacts {
            work_orders: orders,
            ..VendorFacts::default()
        }
    }

    // --- A1 ---------------------------------------------------------------

    #[test]
    fn a1_spec_example_across_national_day_is_on_time() {
        // Approved 2025-09-30; 1–8 Oct are holidays; 9 and 10 Oct are the 1st and 2nd
        // working days, so completion on 10 Oct is on time: A1 keeps its 10.
        let facts = orders(vec![work_order(
            1,
            "2025-09-30 16:00",
            Some("2025-10-10 17:00"),
        )]);
        let r = score(A1, &facts, in_month(2025, 10));
        assert_eq!(r.score, dec!(10));
        assert!(r.deductions.is_empty());
    }

    #[test]
    fn a1_one_late_work_order_loses_half_a_point() {
        // Approved 2025-09-30: working days 9, 10, 11 (Sat, make-up), 13, 14 Oct →
        // deadline 14 Oct. Completed 16 Oct: late, −0.5 → 9.5.
        let facts = orders(vec![work_order(
            17,
            "2025-09-30 10:00",
            Some("2025-10-16 09:00"),
        )]);
        let r = score(A1, &facts, in_month(2025, 10));
        assert_eq!(r.score, dec!(9.5));
        assert_eq!(
            r.deductions[0].reason,
            "工单「工单17」（2025-09-30 10:00 审批）2025-10-16 完成，超过完成期限 2025-10-14（审批后第 5 个工作日）"
        );
    }

    #[test]
    fn a1_several_late_orders_add_up() {
        // Approved Mon 2025-11-03 → deadline Mon 2025-11-10 (4,5,6,7,10 Nov).
        // Three late: 3 × 0.5 = 1.5 → 8.5; the fourth completed on the 10th is on time.
        let facts = orders(vec![
            work_order(1, "2025-11-03 09:00", Some("2025-11-11 09:00")),
            work_order(2, "2025-11-03 09:00", Some("2025-11-20 09:00")),
            work_order(3, "2025-11-03 09:00", None),
            work_order(4, "2025-11-03 09:00", Some("2025-11-10 23:59")),
        ]);
        let r = score(A1, &facts, in_month(2025, 11));
        assert_eq!(points(&r), [dec!(0.5); 3]);
        assert_eq!(r.score, dec!(8.5));
    }

    #[test]
    fn a1_caps_at_zero() {
        // 21 late orders: 21 × 0.5 = 10.5 > 10 → 0, 0.5 capped.
        let facts = orders(
            (1..=21)
                .map(|id| work_order(id, "2025-11-03 09:00", None))
                .collect(),
        );
        let r = score(A1, &facts, in_month(2025, 11));
        assert_eq!(
            (r.score, r.deducted, r.capped),
            (dec!(0), dec!(10.5), dec!(0.5))
        );
    }

    #[test]
    fn a1_late_order_counts_in_the_month_its_deadline_passed() {
        // Approved Thu 2025-10-23 → 24, 27, 28, 29, 30 Oct: deadline 30 Oct.
        // Completed 3 Nov: late, charged in October (−0.5), not in November.
        let facts = orders(vec![work_order(
            1,
            "2025-10-23 09:00",
            Some("2025-11-03 09:00"),
        )]);
        assert_eq!(score(A1, &facts, in_month(2025, 10)).score, dec!(9.5));
        assert_eq!(score(A1, &facts, in_month(2025, 11)).score, dec!(10));
    }

    #[test]
    fn a1_an_order_open_at_the_deadline_months_end_counts_late() {
        // Approved Mon 2025-10-27 → 28, 29, 30, 31 Oct, 3 Nov: deadline 3 Nov.
        // Still open: charged in November (its deadline month), −0.5 → 9.5.
        let facts = orders(vec![work_order(1, "2025-10-27 09:00", None)]);
        assert_eq!(score(A1, &facts, in_month(2025, 10)).score, dec!(10));
        let r = score(A1, &facts, in_month(2025, 11));
        assert_eq!(r.score, dec!(9.5));
        assert!(r.deductions[0].reason.contains("未完成"));
    }

    #[test]
    fn a1_approval_time_is_read_in_shanghai() {
        // 2025-10-09 01:00 Shanghai (= 8 Oct 17:00 UTC) is approval day 9 Oct:
        // 10, 11 (make-up), 13, 14, 15 Oct → deadline 15 Oct; completion on 15 Oct is
        // on time. Read in UTC (8 Oct), the deadline would be 14 Oct and it would be late.
        let facts = orders(vec![work_order(
            1,
            "2025-10-09 01:00",
            Some("2025-10-15 20:00"),
        )]);
        assert_eq!(score(A1, &facts, in_month(2025, 10)).score, dec!(10));
    }

    #[test]
    fn a1_a_year_without_calendar_is_a_warning_not_a_pass() {
        // 2027 is not built in: no deadline, no deduction, and a warning that says so.
        let facts = orders(vec![work_order(5, "2027-03-01 09:00", None)]);
        let r = score(A1, &facts, in_month(2027, 3));
        assert_eq!(r.score, dec!(10));
        assert_eq!(r.warnings.len(), 1);
        assert!(
            r.warnings[0].starts_with("工单「工单5」（2027-03-01 审批）未考核"),
            "{}",
            r.warnings[0]
        );
    }

    #[test]
    fn a1_non_liable_or_unconfirmed_orders_are_exempt() {
        let mut not_liable = work_order(1, "2025-11-03 09:00", None);
        not_liable.vendor_liable = false;
        let mut unconfirmed = work_order(2, "2025-11-03 09:00", None);
        unconfirmed.confirmed = false;
        let r = score(
            A1,
            &orders(vec![not_liable, unconfirmed]),
            in_month(2025, 11),
        );
        assert_eq!(r.score, dec!(10));
    }

    // --- A2 ---------------------------------------------------------------

    fn deviating(id: i64, completed: &str) -> crate::facts::WorkOrder {
        let mut order = work_order(id, "2025-10-20 09:00", Some(completed));
        order.provisioned_differently = true;
        order
    }

    #[test]
    fn a2_one_deviation_loses_0_3() {
        // 5 − 0.3 = 4.7.
        let r = score(
            A2,
            &orders(vec![deviating(1, "2025-10-21 09:00")]),
            in_month(2025, 10),
        );
        assert_eq!(r.score, dec!(4.7));
    }

    #[test]
    fn a2_several_deviations_count_in_the_month_provisioned() {
        // Two provisioned in October (−0.6 → 4.4); one approved in October but
        // provisioned in November does not count in October.
        let facts = orders(vec![
            deviating(1, "2025-10-21 09:00"),
            deviating(2, "2025-10-22 09:00"),
            deviating(3, "2025-11-03 09:00"),
        ]);
        assert_eq!(score(A2, &facts, in_month(2025, 10)).score, dec!(4.4));
        assert_eq!(score(A2, &facts, in_month(2025, 11)).score, dec!(4.7));
    }

    #[test]
    fn a2_caps_at_zero() {
        // 17 × 0.3 = 5.1 > 5 → 0.
        let facts = orders(
            (1..=17)
                .map(|id| deviating(id, "2025-10-21 09:00"))
                .collect(),
        );
        let r = score(A2, &facts, in_month(2025, 10));
        assert_eq!((r.score, r.capped), (dec!(0), dec!(0.1)));
    }

    #[test]
    fn a2_non_liable_deviation_is_exempt() {
        let mut order = deviating(1, "2025-10-21 09:00");
        order.vendor_liable = false;
        assert_eq!(
            score(A2, &orders(vec![order]), in_month(2025, 10)).score,
            dec!(5)
        );
    }

    // --- A3 ---------------------------------------------------------------

    fn tasks(tasks: Vec<crate::facts::ServiceTask>) -> VendorFacts {
        VendorFacts {
            service_tasks: tasks,
            ..VendorFacts::default()
        }
    }

    #[test]
    fn a3_one_late_task_loses_one_point() {
        // Planned 10 Oct 18:00, finished 12 Oct: −1 → 4.
        let facts = tasks(vec![task(1, "2025-10-10 18:00", Some("2025-10-12 10:00"))]);
        let r = score(A3, &facts, in_month(2025, 10));
        assert_eq!(r.score, dec!(4));
        assert_eq!(
            r.deductions[0].reason,
            "服务任务「任务1」计划 2025-10-10 18:00 前完成，2025-10-12 10:00 才完成"
        );
    }

    #[test]
    fn a3_several_late_tasks_and_one_open_at_month_end() {
        // Two finished late, one still open (late): 3 × 1 → 2; one on time.
        let facts = tasks(vec![
            task(1, "2025-10-10 18:00", Some("2025-10-12 10:00")),
            task(2, "2025-10-20 18:00", Some("2025-11-02 10:00")),
            task(3, "2025-10-31 18:00", None),
            task(4, "2025-10-15 18:00", Some("2025-10-15 18:00")),
        ]);
        assert_eq!(score(A3, &facts, in_month(2025, 10)).score, dec!(2));
        // Task 2 finished in November but counts once, in October.
        assert_eq!(score(A3, &facts, in_month(2025, 11)).score, dec!(5));
    }

    #[test]
    fn a3_caps_at_zero() {
        // 6 × 1 = 6 > 5 → 0.
        let facts = tasks(
            (1..=6)
                .map(|id| task(id, "2025-10-10 18:00", None))
                .collect(),
        );
        assert_eq!(score(A3, &facts, in_month(2025, 10)).score, dec!(0));
    }

    #[test]
    fn a3_task_not_mainly_vendor_liable_is_exempt() {
        let mut t = task(1, "2025-10-10 18:00", None);
        t.vendor_liable = false;
        assert_eq!(
            score(A3, &tasks(vec![t]), in_month(2025, 10)).score,
            dec!(5)
        );
    }

    // --- A4 ---------------------------------------------------------------

    fn deliveries(d: Vec<crate::facts::UnticketedDelivery>) -> VendorFacts {
        VendorFacts {
            unticketed_deliveries: d,
            ..VendorFacts::default()
        }
    }

    #[test]
    fn a4_one_delivery_without_work_order_loses_one_point() {
        // −1 → 4, even if it was rectified in the month.
        let facts = deliveries(vec![delivery(
            1,
            "2025-10-03 10:00",
            Some("2025-10-03 15:00"),
        )]);
        assert_eq!(score(A4, &facts, in_month(2025, 10)).score, dec!(4));
    }

    #[test]
    fn a4_an_unrectified_delivery_counts_again_each_month() {
        // September's delivery, still not rectified, costs 1 in October too; plus two
        // October deliveries: 3 × 1 → 2.
        let facts = deliveries(vec![
            delivery(1, "2025-09-20 10:00", None),
            delivery(2, "2025-10-03 10:00", None),
            delivery(3, "2025-10-04 10:00", Some("2025-10-04 15:00")),
        ]);
        let r = score(A4, &facts, in_month(2025, 10));
        assert_eq!(r.score, dec!(2));
        assert!(r.deductions[0].reason.contains("本期末仍未整改"));
    }

    #[test]
    fn a4_a_rectified_earlier_delivery_no_longer_counts() {
        let facts = deliveries(vec![delivery(
            1,
            "2025-09-20 10:00",
            Some("2025-09-30 18:00"),
        )]);
        assert_eq!(score(A4, &facts, in_month(2025, 10)).score, dec!(5));
    }

    #[test]
    fn a4_caps_at_zero() {
        // 7 × 1 = 7 > 5 → 0, 2 capped.
        let facts = deliveries(
            (1..=7)
                .map(|id| delivery(id, "2025-10-03 10:00", Some("2025-10-03 15:00")))
                .collect(),
        );
        let r = score(A4, &facts, in_month(2025, 10));
        assert_eq!((r.score, r.capped), (dec!(0), dec!(2)));
    }

    #[test]
    fn a4_unconfirmed_delivery_is_exempt() {
        let mut d = delivery(1, "2025-10-03 10:00", None);
        d.confirmed = false;
        assert_eq!(
            score(A4, &deliveries(vec![d]), in_month(2025, 10)).score,
            dec!(5)
        );
    }

    #[test]
    fn a4_counts_each_month_at_whose_end_it_was_still_unrectified() {
        // Delivered 20 Aug, rectified 10 Oct 15:00 (spec §1 A4: −1 in the month it
        // occurred, −1 in each later month at whose end it was still unrectified):
        // August −1 (occurred) → 4; September −1 (still open on 30 Sep 24:00) → 4;
        // October: rectified before 31 Oct 24:00 → 5; November → 5.
        let facts = deliveries(vec![delivery(
            1,
            "2025-08-20 10:00",
            Some("2025-10-10 15:00"),
        )]);
        let scores: Vec<_> = [8, 9, 10, 11]
            .map(|m| score(A4, &facts, in_month(2025, m)).score)
            .to_vec();
        assert_eq!(scores, [dec!(4), dec!(4), dec!(5), dec!(5)]);
    }

    #[test]
    fn a4_counts_once_a_month_even_when_it_occurred_and_stayed_open() {
        // Delivered 3 Oct and never rectified: October −1 once (not −2), November −1.
        let facts = deliveries(vec![delivery(1, "2025-10-03 10:00", None)]);
        assert_eq!(score(A4, &facts, in_month(2025, 10)).score, dec!(4));
        assert_eq!(score(A4, &facts, in_month(2025, 11)).score, dec!(4));
    }
}
