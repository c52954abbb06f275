//! The unified work order (北京市市级政务云服务统一工单, seed 001 附件1-3) and its
//! deadlines: its four parts, the working days the vendor has for each, whether
//! a part was late, and the exit duties (migration help, data erasure).
//!
//! - Part 1 (入云): 云服务商在接到工单后 3 个工作日内完成云资源配置 (seed 001 art. 13).
//! - Part 2 (上线): 云服务商在接到工单后 1 个工作日内完成平台相关资源配置 (art. 14).
//! - Parts 3–4 (变更, 退出): 按需在规定时间内完成 (art. 15): no fixed days.
//! - Shanghai A1: every work order within 5 working days of its approval.
//!
//! The days count as A1 counts them today (`indicators/delivery.rs`, through
//! [`WorkCalendar::work_order_deadline`]): the Shanghai day the vendor receives
//! the approved part does not count, whatever the hour; the part is on time when
//! completed by the end (24:00 +08:00) of the N-th working day after it.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::calendar::{CalendarError, WorkCalendar};
use crate::deadlines::{DutyStatus, duty_status};
use crate::period::local_day;
use crate::scheme::Scheme;

/// The standard's A1 (spec §1): 5 working days.
pub const A1_WORKING_DAYS: u32 = 5;

/// The four parts of the unified work order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    /// 第一部分：信息系统入云.
    Onboarding,
    /// 第二部分：信息系统上线.
    GoLive,
    /// 第三部分：云服务变更.
    Change,
    /// 第四部分：信息系统退出.
    Exit,
}

impl Part {
    pub const ALL: [Part; 4] = [Part::Onboarding, Part::GoLive, Part::Change, Part::Exit];

    /// The part's title as the form prints it.
    pub fn title(self) -> &'static str {
        match self {
            Part::Onboarding => "第一部分：信息系统入云",
            Part::GoLive => "第二部分：信息系统上线",
            Part::Change => "第三部分：云服务变更",
            Part::Exit => "第四部分：信息系统退出",
        }
    }

    /// The short name used in lists: 入云, 上线, 变更, 退出.
    pub fn name(self) -> &'static str {
        match self {
            Part::Onboarding => "入云",
            Part::GoLive => "上线",
            Part::Change => "变更",
            Part::Exit => "退出",
        }
    }
}

/// The working days a scheme gives the vendor for each part; `None`: no fixed
/// deadline (the part is not assessed for lateness).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartDeadlines {
    pub onboarding: Option<u32>,
    pub go_live: Option<u32>,
    pub change: Option<u32>,
    pub exit: Option<u32>,
}

impl PartDeadlines {
    /// Beijing (seed 001 arts. 13–15): part 1 in 3 working days, part 2 in 1,
    /// parts 3–4 按需在规定时间内 (no fixed days).
    pub fn beijing() -> Self {
        Self {
            onboarding: Some(3),
            go_live: Some(1),
            change: None,
            exit: None,
        }
    }

    /// The same days for every part: Shanghai's A1 reads 5 working days for any
    /// work order (spec §1 A1), as it does today.
    pub fn uniform(working_days: u32) -> Self {
        Self {
            onboarding: Some(working_days),
            go_live: Some(working_days),
            change: Some(working_days),
            exit: Some(working_days),
        }
    }

    /// Shanghai A1: 5 working days.
    pub fn shanghai() -> Self {
        Self::uniform(A1_WORKING_DAYS)
    }

    /// The days a scheme gives every part: its monthly A1's `working_days`
    /// (the standard's 5 unless overridden); none when the scheme does not
    /// assess A1 (Songjiang's scorecard): its parts are not assessed.
    pub fn of_scheme(scheme: &Scheme) -> Self {
        let a1 = scheme
            .monthly
            .iter()
            .flat_map(|card| card.indicators.iter())
            .find(|spec| spec.code == "A1");
        match a1 {
            Some(spec) => Self::uniform(spec.params.working_days.unwrap_or(A1_WORKING_DAYS)),
            None => Self {
                onboarding: None,
                go_live: None,
                change: None,
                exit: None,
            },
        }
    }

    /// The contract terms' days when they set them (Beijing), else the
    /// scheme's ([`PartDeadlines::of_scheme`]).
    pub fn governing(terms: Option<&PartDeadlines>, scheme: &Scheme) -> Self {
        terms.copied().unwrap_or_else(|| Self::of_scheme(scheme))
    }

    pub fn working_days(&self, part: Part) -> Option<u32> {
        match part {
            Part::Onboarding => self.onboarding,
            Part::GoLive => self.go_live,
            Part::Change => self.change,
            Part::Exit => self.exit,
        }
    }
}

/// The last day to complete `part` received (approved and handed to the
/// vendor) at `received_at`; `None` when the part has no fixed deadline.
pub fn part_deadline(
    calendar: &WorkCalendar,
    deadlines: &PartDeadlines,
    part: Part,
    received_at: DateTime<Utc>,
) -> Result<Option<NaiveDate>, CalendarError> {
    deadlines
        .working_days(part)
        .map(|days| calendar.work_order_deadline(local_day(received_at), days))
        .transpose()
}

/// Where `part` stands at `now`; `None` when it has no fixed deadline.
pub fn part_status(
    calendar: &WorkCalendar,
    deadlines: &PartDeadlines,
    part: Part,
    received_at: DateTime<Utc>,
    completed_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<Option<DutyStatus>, CalendarError> {
    let last_day = part_deadline(calendar, deadlines, part, received_at)?;
    Ok(last_day.map(|day| duty_status(day, completed_at, now)))
}

/// Migration help: 乙方应在甲方提出系统迁出需求后 N 天内配合甲方完成信息系统迁移
/// — 45 days in the SLA (seed 000, 数据可迁移性), 10 in the lease contract (seed
/// 002 第十四条第2款, as the model agreement, seed 001 附件 第十三条第2款).
pub const SLA_MIGRATION_DAYS: u32 = 45;
pub const LEASE_MIGRATION_DAYS: u32 = 10;

/// A contract's exit terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExitTerms {
    /// Calendar days (天, not 工作日) after the request to help migrate.
    pub migration_days: u32,
    /// Calendar days after the exit date (退出日期) for both data-erasure
    /// confirmations. Decision: the seeds set no time; part 4 records the
    /// erasure (数据清除情况) with the exit itself, so the default is 0: due on
    /// the exit date.
    pub erasure_days: u32,
}

impl ExitTerms {
    /// The SLA (seed 000): 45 days.
    pub fn sla() -> Self {
        Self {
            migration_days: SLA_MIGRATION_DAYS,
            erasure_days: 0,
        }
    }

    /// The lease contract (seed 002): 10 days.
    pub fn lease() -> Self {
        Self {
            migration_days: LEASE_MIGRATION_DAYS,
            erasure_days: 0,
        }
    }
}

/// The last day of a period of `days` calendar days from `start`, as the Civil
/// Code counts it: the first day does not count (民法典 第二百零一条：开始的当日不
/// 计入，自下一日开始计算), and a last day that is a day off moves to the next
/// working day (第二百零三条：期间的最后一日是法定休假日的，以法定休假日结束的次日
/// 为期间的最后一日). `days = 0` is `start` itself, not a period.
pub fn period_last_day(
    calendar: &WorkCalendar,
    start: NaiveDate,
    days: u32,
) -> Result<NaiveDate, CalendarError> {
    if days == 0 {
        return Ok(start);
    }
    let mut last = start
        .checked_add_signed(TimeDelta::days(i64::from(days)))
        .ok_or(CalendarError::DateOutOfRange(start))?;
    while !calendar.is_working_day(last)? {
        last = last.succ_opt().ok_or(CalendarError::DateOutOfRange(last))?;
    }
    Ok(last)
}

/// A data-erasure confirmation on part 4 (清除与否：是/否).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Confirmation {
    /// 是 (true) or 否: a "not erased" confirmation does not discharge the duty.
    pub erased: bool,
    pub at: DateTime<Utc>,
}

/// What an exit's duties are measured on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExitFacts {
    /// When the agency asked for the system to be migrated out (提出系统迁出需求).
    pub migration_requested_at: DateTime<Utc>,
    /// When the vendor's migration help was completed, if it was.
    pub migration_done_at: Option<DateTime<Utc>>,
    /// 退出日期 on part 4.
    pub exit_on: NaiveDate,
    pub vendor_erasure: Option<Confirmation>,
    pub agency_erasure: Option<Confirmation>,
}

/// One exit duty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExitDuty {
    Migration,
    VendorErasure,
    AgencyErasure,
}

impl ExitDuty {
    /// What a notice calls it.
    pub fn text(self) -> &'static str {
        match self {
            ExitDuty::Migration => "配合完成信息系统迁移",
            ExitDuty::VendorErasure => "云服务商确认数据清除",
            ExitDuty::AgencyErasure => "使用单位确认数据清除",
        }
    }
}

/// Where an exit's duties stand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExitStatus {
    pub migration_due: NaiveDate,
    pub erasure_due: NaiveDate,
    pub migration: DutyStatus,
    pub vendor_erasure: DutyStatus,
    pub agency_erasure: DutyStatus,
}

impl ExitStatus {
    /// The duties overdue at the instant assessed: each raises a notice.
    pub fn overdue(&self) -> Vec<ExitDuty> {
        [
            (ExitDuty::Migration, self.migration),
            (ExitDuty::VendorErasure, self.vendor_erasure),
            (ExitDuty::AgencyErasure, self.agency_erasure),
        ]
        .into_iter()
        .filter(|&(_, status)| status == DutyStatus::Overdue)
        .map(|(duty, _)| duty)
        .collect()
    }
}

/// Where an exit's duties stand at `now`, under the contract's exit terms.
pub fn exit_status(
    calendar: &WorkCalendar,
    terms: &ExitTerms,
    exit: &ExitFacts,
    now: DateTime<Utc>,
) -> Result<ExitStatus, CalendarError> {
    let migration_due = period_last_day(
        calendar,
        local_day(exit.migration_requested_at),
        terms.migration_days,
    )?;
    let erasure_due = period_last_day(calendar, exit.exit_on, terms.erasure_days)?;
    let erased = |c: Option<Confirmation>| c.filter(|c| c.erased).map(|c| c.at);
    Ok(ExitStatus {
        migration_due,
        erasure_due,
        migration: duty_status(migration_due, exit.migration_done_at, now),
        vendor_erasure: duty_status(erasure_due, erased(exit.vendor_erasure), now),
        agency_erasure: duty_status(erasure_due, erased(exit.agency_erasure), now),
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::testing::{at, day};

    fn cal() -> WorkCalendar {
        WorkCalendar::builtin()
    }

    fn status(
        deadlines: &PartDeadlines,
        part: Part,
        received: &str,
        completed: Option<&str>,
        now: &str,
    ) -> Option<DutyStatus> {
        part_status(
            &cal(),
            deadlines,
            part,
            at(received),
            completed.map(at),
            at(now),
        )
        .expect("loaded years")
    }

    #[test]
    fn beijing_part_1_is_due_in_3_working_days() {
        // Received Tue 2025-09-30; 1–8 Oct off: Thu 9, Fri 10, Sat 11 Oct
        // (调休上班) → due 11 Oct. Done 11 Oct: on time; done 13 Oct: late.
        let bj = PartDeadlines::beijing();
        assert_eq!(
            part_deadline(&cal(), &bj, Part::Onboarding, at("2025-09-30 15:00")),
            Ok(Some(day(2025, 10, 11)))
        );
        let done = |when| {
            status(
                &bj,
                Part::Onboarding,
                "2025-09-30 15:00",
                Some(when),
                "2025-10-20 09:00",
            )
        };
        assert_eq!(done("2025-10-11 17:00"), Some(DutyStatus::OnTime));
        assert_eq!(done("2025-10-13 09:00"), Some(DutyStatus::Late));
    }

    #[test]
    fn beijing_part_2_is_due_in_1_working_day() {
        // Received Fri 2025-11-07 18:00: the next working day is Mon 10 Nov.
        // Done Mon 23:00: on time; open on Tue 11 Nov: overdue.
        let bj = PartDeadlines::beijing();
        assert_eq!(
            status(
                &bj,
                Part::GoLive,
                "2025-11-07 18:00",
                Some("2025-11-10 23:00"),
                "2025-11-20 09:00"
            ),
            Some(DutyStatus::OnTime)
        );
        assert_eq!(
            status(
                &bj,
                Part::GoLive,
                "2025-11-07 18:00",
                None,
                "2025-11-11 09:00"
            ),
            Some(DutyStatus::Overdue)
        );
    }

    #[test]
    fn beijing_parts_3_and_4_have_no_fixed_deadline() {
        let bj = PartDeadlines::beijing();
        for part in [Part::Change, Part::Exit] {
            assert_eq!(
                status(&bj, part, "2025-11-03 09:00", None, "2026-06-01 09:00"),
                None,
                "{}",
                part.name()
            );
        }
    }

    #[test]
    fn shanghai_a1_is_due_in_5_working_days() {
        // Approved 2025-09-30: 9, 10, 11 (Sat, 调休), 13, 14 Oct → due 14 Oct;
        // done 16 Oct: late (A1's own example).
        let sh = PartDeadlines::shanghai();
        assert_eq!(
            status(
                &sh,
                Part::Onboarding,
                "2025-09-30 10:00",
                Some("2025-10-16 09:00"),
                "2025-10-20 09:00"
            ),
            Some(DutyStatus::Late)
        );
    }

    #[test]
    fn the_day_received_is_the_shanghai_day() {
        // 2025-10-09 01:00 Shanghai (8 Oct 17:00 UTC) is received on 9 Oct: 5
        // working days are 10, 11 (调休), 13, 14, 15 Oct; done 15 Oct: on time.
        assert_eq!(
            status(
                &PartDeadlines::shanghai(),
                Part::Change,
                "2025-10-09 01:00",
                Some("2025-10-15 20:00"),
                "2025-10-20 09:00"
            ),
            Some(DutyStatus::OnTime)
        );
    }

    #[test]
    fn a_year_without_calendar_is_an_error_not_a_guess() {
        assert_eq!(
            part_deadline(
                &cal(),
                &PartDeadlines::beijing(),
                Part::Onboarding,
                at("2027-03-01 09:00")
            ),
            Err(CalendarError::YearNotLoaded(2027))
        );
    }

    #[test]
    fn a_scheme_gives_every_part_its_a1_days_and_terms_come_first() {
        // sh-municipal assesses A1 at 5 working days: every part has 5; the
        // Beijing terms' 3 / 1 / none / none replace them; Songjiang's
        // scorecard has no A1: no part is assessed.
        let municipal = crate::scheme::Scheme::builtin()
            .into_iter()
            .find(|s| s.code == "sh-municipal")
            .expect("built in");
        assert_eq!(
            PartDeadlines::of_scheme(&municipal),
            PartDeadlines::shanghai()
        );
        assert_eq!(
            PartDeadlines::governing(Some(&PartDeadlines::beijing()), &municipal),
            PartDeadlines::beijing()
        );
        let songjiang = crate::scheme::Scheme::builtin()
            .into_iter()
            .find(|s| s.code == "sh-songjiang")
            .expect("built in");
        assert_eq!(
            PartDeadlines::of_scheme(&songjiang).working_days(Part::Onboarding),
            None
        );
    }

    #[test]
    fn the_parts_read_as_the_form_prints_them() {
        let titles: Vec<_> = Part::ALL.iter().map(|p| p.title()).collect();
        assert_eq!(
            titles,
            [
                "第一部分：信息系统入云",
                "第二部分：信息系统上线",
                "第三部分：云服务变更",
                "第四部分：信息系统退出"
            ]
        );
    }

    #[test]
    fn sla_migration_help_is_due_45_days_after_the_request() {
        // Requested Fri 2025-08-01: 2–31 Aug = 30 days, 1–15 Sep = 15 → day 45 is
        // Mon 15 Sep, a working day.
        assert_eq!(
            period_last_day(&cal(), day(2025, 8, 1), SLA_MIGRATION_DAYS),
            Ok(day(2025, 9, 15))
        );
    }

    #[test]
    fn lease_migration_help_ending_on_a_holiday_moves_to_the_next_working_day() {
        // Requested Thu 2025-09-25: day 10 is Sun 5 Oct, inside the 1–8 Oct
        // holiday; the period ends on the next working day, Thu 9 Oct
        // (民法典 第二百零三条).
        assert_eq!(
            period_last_day(&cal(), day(2025, 9, 25), LEASE_MIGRATION_DAYS),
            Ok(day(2025, 10, 9))
        );
    }

    fn exit(vendor: Option<Confirmation>, agency: Option<Confirmation>) -> ExitFacts {
        ExitFacts {
            migration_requested_at: at("2025-09-25 10:00"),
            migration_done_at: None,
            exit_on: day(2025, 10, 20),
            vendor_erasure: vendor,
            agency_erasure: agency,
        }
    }

    fn confirmed(erased: bool, when: &str) -> Option<Confirmation> {
        Some(Confirmation {
            erased,
            at: at(when),
        })
    }

    #[test]
    fn overdue_exit_duties_are_named() {
        // Lease terms: migration due 9 Oct (above), not done by 21 Oct: overdue.
        // Erasure due on the exit date, 20 Oct: the vendor confirmed 是 on 20 Oct
        // (on time); the agency confirmed 否 (not erased): still overdue on 21 Oct.
        let status = exit_status(
            &cal(),
            &ExitTerms::lease(),
            &exit(
                confirmed(true, "2025-10-20 16:00"),
                confirmed(false, "2025-10-20 16:00"),
            ),
            at("2025-10-21 09:00"),
        )
        .expect("loaded years");
        assert_eq!(status.migration_due, day(2025, 10, 9));
        assert_eq!(status.erasure_due, day(2025, 10, 20));
        assert_eq!(status.vendor_erasure, DutyStatus::OnTime);
        assert_eq!(
            status.overdue(),
            [ExitDuty::Migration, ExitDuty::AgencyErasure]
        );
        assert_eq!(ExitDuty::AgencyErasure.text(), "使用单位确认数据清除");
    }

    #[test]
    fn exit_duties_are_open_until_their_day_passes() {
        // SLA terms: migration requested 25 Sep is due 45 days later, Sun 9 Nov
        // → Mon 10 Nov; on 20 Oct nothing is overdue yet.
        let status = exit_status(
            &cal(),
            &ExitTerms::sla(),
            &exit(None, None),
            at("2025-10-20 23:00"),
        )
        .expect("loaded years");
        assert_eq!(status.migration_due, day(2025, 11, 10));
        assert_eq!(status.migration, DutyStatus::Open);
        assert_eq!(status.agency_erasure, DutyStatus::Open);
        assert!(status.overdue().is_empty());
    }

    proptest! {
        #[test]
        fn parts_count_days_as_a1_does(
            offset_hours in 0i64..(2 * 365 * 24),
            days in 1u32..10,
        ) {
            // Any instant in 2024–2025: the part's last day is A1's
            // work_order_deadline from the Shanghai day received.
            let received = at("2024-01-01 00:00") + TimeDelta::hours(offset_hours);
            let deadline = part_deadline(&cal(), &PartDeadlines::uniform(days), Part::GoLive, received)
                .expect("loaded years");
            prop_assert_eq!(
                deadline,
                Some(cal().work_order_deadline(local_day(received), days).expect("loaded"))
            );
        }
    }
}
