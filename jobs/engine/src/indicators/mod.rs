//! The rules of the indicators, one module per domain. Each rule reads the facts
//! that count in the period and returns its findings; [`assess`] turns them into
//! a capped score.

mod attendance;
mod availability;
mod changes;
mod complaints;
mod delivery;
mod faults;
mod rules;
mod satisfaction;
mod security;
mod training;

use rust_decimal::Decimal;

use crate::calendar::WorkCalendar;
use crate::scheme::{Indicator, IndicatorCode, PartialSteps, ResolvedIndicator};

use super::counting::{Occurs, occurred_in};
use super::error::EngineError;
use super::facts::{Event, FactKind, FactRef, VendorFacts};
use super::period::Period;
use super::result::{Findings, IndicatorResult};

/// What every rule may read.
pub struct Context<'a> {
    pub period: &'a Period,
    pub facts: &'a VendorFacts,
    pub calendar: &'a WorkCalendar,
    pub partial_steps: PartialSteps,
}

/// Scores one indicator over the context's period.
pub fn assess(
    resolved: &ResolvedIndicator,
    ctx: &Context<'_>,
) -> Result<IndicatorResult, EngineError> {
    let weight = resolved.weight;
    let findings = match &resolved.indicator {
        Indicator::A1(rule) => delivery::on_time(rule, ctx),
        Indicator::A2(rule) => delivery::provisioning(rule, ctx),
        Indicator::A3(rule) => delivery::tasks(rule, ctx),
        Indicator::A4(rule) => delivery::unticketed(rule, ctx),
        Indicator::B1(rule) => attendance::attendance(rule, weight, ctx)?,
        Indicator::C1(rule) => complaints::complaints(rule, ctx),
        Indicator::D1(rule) => availability::availability(rule, weight, ctx)?,
        Indicator::E1(rule) => faults::occurrence(rule, ctx)?,
        Indicator::E2(rule) => faults::recovery(rule, ctx)?,
        Indicator::E3(rule) => faults::reporting(rule, ctx)?,
        Indicator::E4(rule) => faults::accuracy(rule, ctx),
        Indicator::F1(rule) => changes::success(rule, ctx),
        Indicator::F2(rule) => changes::notice(rule, ctx),
        Indicator::G1(rule) => rules::violations(rule, ctx),
        Indicator::H1(rule) => satisfaction::satisfaction(rule, weight, ctx)?,
        Indicator::I1(rule) => training::trainings(rule, weight, ctx),
        Indicator::J1(rule) => security::risks(rule, ctx),
        Indicator::J2(rule) => security::accidents(rule, ctx)?,
    };
    Ok(IndicatorResult::new(
        resolved.indicator.code(),
        weight,
        findings,
    ))
}

/// The one kind of fact the rule of `code` reads (the field of `ctx.facts`
/// its module looks at), so that a caller loads only what a scorecard needs.
/// Kept beside [`assess`]: a rule that starts reading another kind changes both.
pub fn reads(code: IndicatorCode) -> FactKind {
    use IndicatorCode as C;
    match code {
        C::A1 | C::A2 => FactKind::WorkOrder,
        C::A3 => FactKind::ServiceTask,
        C::A4 => FactKind::UnticketedDelivery,
        C::B1 => FactKind::Attendance,
        C::C1 => FactKind::Complaint,
        C::D1 => FactKind::Outage,
        C::E1 | C::E2 | C::E3 | C::E4 => FactKind::Fault,
        C::F1 | C::F2 => FactKind::Change,
        C::G1 => FactKind::Violation,
        C::H1 => FactKind::SurveyResponse,
        C::I1 => FactKind::Training,
        C::J1 => FactKind::SecurityRisk,
        C::J2 => FactKind::SecurityAccident,
    }
}

/// One deduction of `points` per counting event that occurred in the period.
fn per_occurred_event<E: Event + Occurs>(
    facts: &[E],
    ctx: &Context<'_>,
    points: Decimal,
    describe: impl Fn(&E) -> String,
) -> Findings {
    let mut findings = Findings::default();
    for fact in occurred_in(facts, ctx.period) {
        findings.deduct(points, describe(fact), vec![fact.fact_ref()]);
    }
    findings
}

/// The entry of a per-level table for a fact's level (1 = the first entry); a
/// level outside the table is invalid input, not a zero.
fn by_level<T: Copy>(table: &[T], level: u8, fact: FactRef) -> Result<T, EngineError> {
    usize::from(level)
        .checked_sub(1)
        .and_then(|index| table.get(index))
        .copied()
        .ok_or_else(|| EngineError::InvalidFact {
            fact,
            reason: format!("level {level} is outside 1–{}", table.len()),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::FactKind;

    #[test]
    fn a_level_outside_the_table_is_invalid_input() {
        let fact = FactRef {
            kind: FactKind::Fault,
            id: 9,
        };
        assert_eq!(by_level(&[6, 5, 4, 3, 2, 1], 1, fact), Ok(6));
        assert_eq!(by_level(&[6, 5, 4, 3, 2, 1], 6, fact), Ok(1));
        let err = by_level(&[6, 5, 4, 3, 2, 1], 7, fact).expect_err("invalid");
        assert_eq!(err.to_string(), "fault 9: level 7 is outside 1–6");
        assert!(by_level(&[6, 5, 4, 3, 2, 1], 0, fact).is_err());
    }
}
