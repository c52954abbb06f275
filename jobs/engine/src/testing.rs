//! Test helpers: Shanghai wall-clock instants and facts with sensible defaults
//! (confirmed, vendor-liable, nothing else wrong), so a test states only what its
//! rule looks at.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use rust_decimal::Decimal;

use super::facts::*;
use super::indicators::{Context, assess};
use super::period::{Month, Period, ServiceYear};
use super::result::IndicatorResult;
use crate::calendar::{SHANGHAI, WorkCalendar};
use crate::scheme::{
    Indicator, IndicatorCode, PartialSteps, ResolvedIndicator, Scheme, ScorecardKind,
};

/// "2025-10-16 10:00" (or "2025-10-16 10:00:30") in Shanghai time.
pub fn at(local: &str) -> DateTime<Utc> {
    NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M"))
        .expect("test instant")
        .and_local_timezone(SHANGHAI)
        .single()
        .expect("fixed offset")
        .with_timezone(&Utc)
}

pub fn day(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("test date")
}

pub fn month(year: i32, month: u32) -> Month {
    Month::new(year, month).expect("test month")
}

pub fn in_month(year: i32, m: u32) -> Period {
    Period::Month(month(year, m))
}

pub fn service_year(first_month: u32, start_year: i32) -> Period {
    Period::ServiceYear(ServiceYear::new(first_month, start_year).expect("test year"))
}

pub fn work_order(id: i64, approved: &str, completed: Option<&str>) -> WorkOrder {
    WorkOrder {
        id,
        title: format!("工单{id}"),
        confirmed: true,
        vendor_liable: true,
        approved_at: at(approved),
        completed_at: completed.map(at),
        provisioned_differently: false,
    }
}

pub fn task(id: i64, planned: &str, finished: Option<&str>) -> ServiceTask {
    ServiceTask {
        id,
        title: format!("任务{id}"),
        confirmed: true,
        vendor_liable: true,
        planned_at: at(planned),
        finished_at: finished.map(at),
    }
}

pub fn delivery(id: i64, occurred: &str, rectified: Option<&str>) -> UnticketedDelivery {
    UnticketedDelivery {
        id,
        title: format!("交付{id}"),
        confirmed: true,
        vendor_liable: true,
        occurred_at: at(occurred),
        rectified_at: rectified.map(at),
    }
}

pub fn attendance(id: i64, m: Month, required: Decimal, actual: Decimal) -> Attendance {
    Attendance {
        id,
        period: m,
        required_hours: required,
        actual_hours: actual,
    }
}

pub fn complaint(id: i64, received: &str) -> Complaint {
    Complaint {
        id,
        title: format!("投诉{id}"),
        confirmed: true,
        vendor_liable: true,
        received_at: at(received),
    }
}

pub fn outage(id: i64, service: &str, started: &str, ended: Option<&str>) -> Outage {
    Outage {
        id,
        title: format!("中断{id}"),
        confirmed: true,
        vendor_liable: true,
        service: service.into(),
        started_at: at(started),
        ended_at: ended.map(at),
    }
}

/// A fault reported and recovered at the moment it occurred: only E1 counts it.
pub fn fault(id: i64, level: u8, occurred: &str) -> Fault {
    Fault {
        id,
        title: format!("故障{id}"),
        confirmed: true,
        vendor_liable: true,
        level,
        occurred_at: at(occurred),
        reported_at: Some(at(occurred)),
        recovered_at: Some(at(occurred)),
        misreported: false,
    }
}

/// A successful change reported a week ahead and executed as planned.
pub fn change(id: i64, planned: &str) -> Change {
    let planned_at = at(planned);
    Change {
        id,
        title: format!("变更{id}"),
        confirmed: true,
        vendor_liable: true,
        submitted_at: Some(planned_at - chrono::TimeDelta::days(7)),
        planned_at,
        executed_at: Some(planned_at),
        emergency: false,
        outcome: ChangeOutcome::Succeeded,
    }
}

pub fn violation(id: i64, occurred: &str) -> Violation {
    Violation {
        id,
        title: format!("违规{id}"),
        confirmed: true,
        vendor_liable: true,
        occurred_at: at(occurred),
    }
}

/// A valid training: 4 attendees and a sign-in sheet.
pub fn training(id: i64, held: &str) -> Training {
    Training {
        id,
        title: format!("培训{id}"),
        held_at: at(held),
        attendees: 4,
        evidence: vec!["sign-in sheet".into()],
    }
}

pub fn risk(id: i64, found: &str, deadline: NaiveDate, rectified: Option<&str>) -> SecurityRisk {
    SecurityRisk {
        id,
        title: format!("风险{id}"),
        confirmed: true,
        vendor_liable: true,
        found_at: at(found),
        deadline,
        rectified_at: rectified.map(at),
    }
}

pub fn accident(id: i64, level: u8, occurred: &str) -> SecurityAccident {
    SecurityAccident {
        id,
        title: format!("事故{id}"),
        confirmed: true,
        vendor_liable: true,
        occurred_at: at(occurred),
        level,
    }
}

pub fn survey(id: i64, answers: [u8; 10]) -> SurveyResponse {
    SurveyResponse { id, answers }
}

pub fn municipal() -> Scheme {
    builtin("sh-municipal")
}

pub fn songjiang() -> Scheme {
    builtin("sh-songjiang")
}

fn builtin(code: &str) -> Scheme {
    Scheme::builtin()
        .into_iter()
        .find(|s| s.code == code)
        .expect("built-in scheme")
}

/// The municipal entry for `code` (weight and standard parameters).
pub fn municipal_entry(code: IndicatorCode) -> ResolvedIndicator {
    let scheme = municipal();
    [ScorecardKind::Monthly, ScorecardKind::Annual]
        .into_iter()
        .filter_map(|kind| scheme.scorecard(kind).map(|card| card.resolve(kind)))
        .flat_map(|cards| cards.expect("valid built-in"))
        .find(|r| r.indicator.code() == code)
        .expect("municipal indicator")
}

/// Scores `code` as the municipal scheme does, over `period`.
pub fn score(code: IndicatorCode, facts: &VendorFacts, period: Period) -> IndicatorResult {
    try_score(code, facts, period).expect("assessable")
}

pub fn try_score(
    code: IndicatorCode,
    facts: &VendorFacts,
    period: Period,
) -> Result<IndicatorResult, super::EngineError> {
    score_with(
        &municipal_entry(code),
        facts,
        period,
        PartialSteps::Proportional,
    )
}

/// Scores a given indicator entry.
pub fn score_with(
    entry: &ResolvedIndicator,
    facts: &VendorFacts,
    period: Period,
    partial_steps: PartialSteps,
) -> Result<IndicatorResult, super::EngineError> {
    let calendar = WorkCalendar::builtin();
    let ctx = Context {
        period: &period,
        facts,
        calendar: &calendar,
        partial_steps,
    };
    assess(entry, &ctx)
}

/// An entry with a custom indicator and weight.
pub fn entry(indicator: Indicator, weight: Decimal) -> ResolvedIndicator {
    ResolvedIndicator { weight, indicator }
}

/// The points of each deduction, in order.
pub fn points(result: &IndicatorResult) -> Vec<Decimal> {
    result.deductions.iter().map(|d| d.points).collect()
}
