//! Songjiang's resource quotas (seed 004 §5, spec §6): a system's quota per
//! catalogue item, expansion up to a ceiling of the quota, reclaiming idle
//! resources, test resources and their free period, and the delivery deadline.
//!
//! - Expansion: 扩容后使用单位该项目的资源总量不得超过项目资源配额的120% (§5(四)).
//!   Spec Decision: the ceiling applies per catalogue item, since a project's
//!   resources have no common unit. 120 % is the default of [`ExpansionRule`].
//! - Reclaiming (资源回收, §5(四)) lowers what is in use, never the quota: the
//!   ceiling stays 120 % of the quota as approved.
//! - Test resources: 测试期限为 1~3 个月且不纳入计量范围 (§5(二)).
//! - Delivery: 在正式协议签订 5 个工作日内完成正式资源的发放 (§5(三)); the same
//!   5 working days for test resources after the test agreement (§5(二)).

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::calendar::{CalendarError, WorkCalendar};
use crate::deadlines::{DutyStatus, duty_status};
use crate::period::Month;

/// 120 %: the most an item may total after expansion, as a multiple of its quota.
pub const DEFAULT_EXPANSION_CEILING: Decimal = dec!(1.20);

/// Working days from the (test or formal) agreement to the resources' delivery.
pub const DELIVERY_WORKING_DAYS: u32 = 5;

/// The shortest and longest free test period, in months (1~3 个月).
pub const FREE_MONTHS: std::ops::RangeInclusive<u32> = 1..=3;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum QuotaError {
    #[error("{field}: {value} is negative")]
    Negative { field: &'static str, value: Decimal },

    #[error("ceiling: {0} is below 1; the ceiling is a multiple of the quota, at least 100 %")]
    CeilingBelowQuota(Decimal),

    #[error(
        "requested: {} would bring {} to {}, beyond {} ({}% of its quota {})",
        .0.increase, .0.item, .0.requested_total, .0.limit.normalize(), .0.ceiling_percent(), .0.quota
    )]
    BeyondCeiling(Box<Refusal>),

    #[error("reclaimed: {reclaimed} is more than the {in_use} of {item} in use")]
    ReclaimBeyondUse {
        item: String,
        reclaimed: Decimal,
        in_use: Decimal,
    },

    #[error("free_months: {0} is outside 1–3; test resources are free for 1 to 3 months")]
    FreeMonths(u32),
}

/// The figures of a refused expansion, for the message the user reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    /// The catalogue item.
    pub item: String,
    pub quota: Decimal,
    /// The ceiling as a multiple of the quota (1.20).
    pub ceiling: Decimal,
    /// quota × ceiling.
    pub limit: Decimal,
    /// What was in use before the request.
    pub in_use: Decimal,
    /// What the request asked to add.
    pub increase: Decimal,
    /// in use + increase: what the item would total.
    pub requested_total: Decimal,
}

impl Refusal {
    /// The refusal as a user reads it, e.g. `扩容申请不予通过：云主机vCPU扩容后总量
    /// 121，超过配额 100 的 120%（上限 120）`.
    pub fn text(&self) -> String {
        format!(
            "扩容申请不予通过：{}扩容后总量 {}，超过配额 {} 的 {}%（上限 {}）",
            self.item,
            self.requested_total.normalize(),
            self.quota.normalize(),
            self.ceiling_percent(),
            self.limit.normalize()
        )
    }

    /// The ceiling in percent: 1.20 → 120.
    pub fn ceiling_percent(&self) -> Decimal {
        (self.ceiling * Decimal::ONE_HUNDRED).normalize()
    }
}

/// The expansion ceiling of a scheme (default 120 % of the quota).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpansionRule {
    pub ceiling: Decimal,
}

impl Default for ExpansionRule {
    fn default() -> Self {
        Self {
            ceiling: DEFAULT_EXPANSION_CEILING,
        }
    }
}

impl ExpansionRule {
    /// A ceiling below the quota itself would refuse the approved resources.
    pub fn new(ceiling: Decimal) -> Result<Self, QuotaError> {
        if ceiling < Decimal::ONE {
            return Err(QuotaError::CeilingBelowQuota(ceiling));
        }
        Ok(Self { ceiling })
    }
}

/// One catalogue item of a system: its approved quota and what is in use
/// (the quota as delivered, plus expansions, minus what was reclaimed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemQuota {
    pub item: String,
    pub quota: Decimal,
    pub in_use: Decimal,
}

impl ItemQuota {
    /// An approved quota, delivered in full.
    pub fn approved(item: &str, quota: Decimal) -> Result<Self, QuotaError> {
        not_negative("quota", quota)?;
        Ok(Self {
            item: item.to_owned(),
            quota,
            in_use: quota,
        })
    }

    /// The most the item may total: quota × ceiling.
    pub fn limit(&self, rule: &ExpansionRule) -> Decimal {
        self.quota * rule.ceiling
    }

    /// The item after an expansion by `increase`, accepted while the total stays
    /// within the limit (the limit itself is accepted: 不得超过).
    pub fn expand(&self, increase: Decimal, rule: &ExpansionRule) -> Result<Self, QuotaError> {
        not_negative("increase", increase)?;
        let requested_total = self.in_use + increase;
        let limit = self.limit(rule);
        if requested_total > limit {
            return Err(QuotaError::BeyondCeiling(Box::new(Refusal {
                item: self.item.clone(),
                quota: self.quota,
                ceiling: rule.ceiling,
                limit,
                in_use: self.in_use,
                increase,
                requested_total,
            })));
        }
        Ok(Self {
            in_use: requested_total,
            ..self.clone()
        })
    }

    /// The item after idle resources are reclaimed: less in use, same quota.
    pub fn reclaim(&self, reclaimed: Decimal) -> Result<Self, QuotaError> {
        not_negative("reclaimed", reclaimed)?;
        if reclaimed > self.in_use {
            return Err(QuotaError::ReclaimBeyondUse {
                item: self.item.clone(),
                reclaimed,
                in_use: self.in_use,
            });
        }
        Ok(Self {
            in_use: self.in_use - reclaimed,
            ..self.clone()
        })
    }
}

/// The free period of test resources: whole calendar months from the first.
///
/// Decision: metering is monthly (seed 004 §6), so the free period is counted in
/// whole months starting with the month the test resources are delivered; a
/// usage month is either inside it (not metered) or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FreePeriod {
    pub first: Month,
    pub months: u32,
}

impl FreePeriod {
    /// Refuses a period outside 1–3 months.
    pub fn new(first: Month, months: u32) -> Result<Self, QuotaError> {
        if !FREE_MONTHS.contains(&months) {
            return Err(QuotaError::FreeMonths(months));
        }
        Ok(Self { first, months })
    }

    /// Whether `month` is one of the free months.
    pub fn contains(&self, month: Month) -> bool {
        let offset = month_index(month) - month_index(self.first);
        (0..i64::from(self.months)).contains(&offset)
    }
}

/// Months since year 0, to count months across years.
pub(crate) fn month_index(month: Month) -> i64 {
    i64::from(month.year()) * 12 + i64::from(month.month()) - 1
}

/// The last day to deliver resources agreed on `agreed_on`: the
/// `working_days`-th working day after it, the day of the agreement not counted
/// (as A1 counts a work order's days from its approval).
pub fn delivery_deadline(
    calendar: &WorkCalendar,
    agreed_on: NaiveDate,
    working_days: u32,
) -> Result<NaiveDate, CalendarError> {
    calendar.work_order_deadline(agreed_on, working_days)
}

/// Where the delivery of resources agreed on `agreed_on` stands at `now`.
pub fn delivery_status(
    calendar: &WorkCalendar,
    agreed_on: NaiveDate,
    working_days: u32,
    delivered_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<DutyStatus, CalendarError> {
    let last_day = delivery_deadline(calendar, agreed_on, working_days)?;
    Ok(duty_status(last_day, delivered_at, now))
}

fn not_negative(field: &'static str, value: Decimal) -> Result<(), QuotaError> {
    refuse_negative(value, |value| QuotaError::Negative { field, value })
}

/// `Ok` unless `value` is below zero (−0 counts as 0), else the error
/// `negative` makes of it: the one check of every quantity and amount of the
/// quota, metering and cap modules, each naming its field in its own error.
pub(crate) fn refuse_negative<E>(
    value: Decimal,
    negative: impl FnOnce(Decimal) -> E,
) -> Result<(), E> {
    if value < Decimal::ZERO {
        return Err(negative(value));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::testing::{at, day, month};

    fn vcpu(quota: Decimal) -> ItemQuota {
        ItemQuota::approved("云主机vCPU", quota).expect("valid quota")
    }

    #[test]
    fn expansion_to_120_percent_of_the_quota_is_accepted() {
        // Quota 100 vCPU: limit 100 × 120 % = 120; 100 + 20 = 120 ≤ 120.
        let item = vcpu(dec!(100))
            .expand(dec!(20), &ExpansionRule::default())
            .expect("accepted");
        assert_eq!(item.in_use, dec!(120));
        assert_eq!(item.quota, dec!(100));
    }

    #[test]
    fn expansion_beyond_120_percent_is_refused_with_the_figures() {
        // Quota 100 vCPU: 100 + 21 = 121 > 120.
        let error = vcpu(dec!(100))
            .expand(dec!(21), &ExpansionRule::default())
            .expect_err("refused");
        let QuotaError::BeyondCeiling(refusal) = &error else {
            panic!("{error:?}");
        };
        assert_eq!(
            (refusal.quota, refusal.limit, refusal.requested_total),
            (dec!(100), dec!(120), dec!(121))
        );
        assert_eq!(
            refusal.text(),
            "扩容申请不予通过：云主机vCPU扩容后总量 121，超过配额 100 的 120%（上限 120）"
        );
        assert_eq!(
            error.to_string(),
            "requested: 21 would bring 云主机vCPU to 121, beyond 120 (120% of its quota 100)"
        );
    }

    #[test]
    fn expansions_add_up_against_the_same_ceiling() {
        // 100 + 10 = 110, then + 10 = 120 accepted, then + 1 = 121 refused.
        let rule = ExpansionRule::default();
        let item = vcpu(dec!(100))
            .expand(dec!(10), &rule)
            .and_then(|i| i.expand(dec!(10), &rule))
            .expect("120 accepted");
        assert!(item.expand(dec!(1), &rule).is_err());
    }

    #[test]
    fn reclaiming_lowers_use_not_the_quota() {
        // 100 + 20 = 120 in use; 30 reclaimed → 90 in use, quota still 100, so the
        // limit is still 120: + 30 = 120 accepted, + 31 = 121 refused.
        let rule = ExpansionRule::default();
        let item = vcpu(dec!(100))
            .expand(dec!(20), &rule)
            .and_then(|i| i.reclaim(dec!(30)))
            .expect("valid");
        assert_eq!((item.quota, item.in_use), (dec!(100), dec!(90)));
        assert_eq!(item.limit(&rule), dec!(120));
        assert!(item.expand(dec!(30), &rule).is_ok());
        assert!(item.expand(dec!(31), &rule).is_err());
    }

    #[test]
    fn reclaiming_more_than_in_use_is_refused() {
        assert_eq!(
            vcpu(dec!(100))
                .reclaim(dec!(101))
                .map_err(|e| e.to_string()),
            Err("reclaimed: 101 is more than the 100 of 云主机vCPU in use".to_owned())
        );
    }

    #[test]
    fn the_ceiling_is_a_parameter() {
        // A scheme at 150 %: quota 100 → 150 accepted, 151 refused.
        let rule = ExpansionRule::new(dec!(1.5)).expect("valid");
        assert!(vcpu(dec!(100)).expand(dec!(50), &rule).is_ok());
        assert!(vcpu(dec!(100)).expand(dec!(51), &rule).is_err());
        assert_eq!(
            ExpansionRule::new(dec!(0.9)),
            Err(QuotaError::CeilingBelowQuota(dec!(0.9)))
        );
    }

    #[test]
    fn negative_figures_are_refused_naming_the_field() {
        assert_eq!(
            ItemQuota::approved("x", dec!(-1)).map_err(|e| e.to_string()),
            Err("quota: -1 is negative".to_owned())
        );
        assert!(matches!(
            vcpu(dec!(100)).expand(dec!(-5), &ExpansionRule::default()),
            Err(QuotaError::Negative {
                field: "increase",
                ..
            })
        ));
    }

    #[test]
    fn test_resources_are_free_for_1_to_3_months_only() {
        for months in [1, 2, 3] {
            assert!(FreePeriod::new(month(2025, 7), months).is_ok(), "{months}");
        }
        assert_eq!(
            FreePeriod::new(month(2025, 7), 0),
            Err(QuotaError::FreeMonths(0))
        );
        assert_eq!(
            FreePeriod::new(month(2025, 7), 4).map_err(|e| e.to_string()),
            Err("free_months: 4 is outside 1–3; test resources are free for 1 to 3 months".into())
        );
    }

    #[test]
    fn a_month_is_free_inside_the_test_period_only() {
        // 3 months from November 2025: November, December, January 2026 free;
        // October 2025 (before) and February 2026 (after) not.
        let free = FreePeriod::new(month(2025, 11), 3).expect("valid");
        assert!(free.contains(month(2025, 11)));
        assert!(free.contains(month(2025, 12)));
        assert!(free.contains(month(2026, 1)));
        assert!(!free.contains(month(2025, 10)));
        assert!(!free.contains(month(2026, 2)));
    }

    #[test]
    fn delivery_is_due_5_working_days_after_the_agreement() {
        // Agreement signed Tue 2025-09-30; 1–8 Oct off; Thu 9, Fri 10, Sat 11
        // (调休上班), Mon 13, Tue 14 Oct: due by 14 Oct.
        let calendar = WorkCalendar::builtin();
        assert_eq!(
            delivery_deadline(&calendar, day(2025, 9, 30), DELIVERY_WORKING_DAYS),
            Ok(day(2025, 10, 14))
        );
        let status = |delivered: Option<&str>, now: &str| {
            delivery_status(
                &calendar,
                day(2025, 9, 30),
                DELIVERY_WORKING_DAYS,
                delivered.map(at),
                at(now),
            )
        };
        assert_eq!(
            status(Some("2025-10-14 18:00"), "2025-10-20 09:00"),
            Ok(DutyStatus::OnTime)
        );
        assert_eq!(
            status(Some("2025-10-15 09:00"), "2025-10-20 09:00"),
            Ok(DutyStatus::Late)
        );
        assert_eq!(status(None, "2025-10-14 09:00"), Ok(DutyStatus::Open));
        assert_eq!(status(None, "2025-10-15 09:00"), Ok(DutyStatus::Overdue));
    }

    #[test]
    fn delivery_in_a_year_without_calendar_is_an_error_not_a_guess() {
        assert_eq!(
            delivery_deadline(&WorkCalendar::builtin(), day(2027, 3, 1), 5),
            Err(CalendarError::YearNotLoaded(2027))
        );
    }

    proptest! {
        #[test]
        fn expansion_is_accepted_exactly_up_to_the_ceiling(
            quota in 0u32..10_000,
            increase in 0u32..10_000,
        ) {
            // Accepted iff quota + increase ≤ quota × 1.2; the quota never moves.
            let item = vcpu(Decimal::from(quota));
            let result = item.expand(Decimal::from(increase), &ExpansionRule::default());
            let within = Decimal::from(quota + increase) <= Decimal::from(quota) * dec!(1.2);
            prop_assert_eq!(result.is_ok(), within);
            if let Ok(expanded) = result {
                prop_assert_eq!(expanded.quota, Decimal::from(quota));
            }
        }

        #[test]
        fn reclaiming_never_changes_the_limit(
            quota in 0u32..10_000,
            share in 0u32..=100,
        ) {
            let item = vcpu(Decimal::from(quota));
            let reclaimed = Decimal::from(quota) * Decimal::from(share) / dec!(100);
            let after = item.reclaim(reclaimed).expect("within use");
            let rule = ExpansionRule::default();
            prop_assert_eq!(after.limit(&rule), item.limit(&rule));
        }
    }
}
