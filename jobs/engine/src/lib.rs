//! The assessment engine: facts in, explained scores out. Pure — no database, no
//! I/O, no clock, no floats: every number is an exact `rust_decimal::Decimal`.
//!
//! - [`assess_month`] scores a scheme's monthly scorecard for one month;
//! - [`assess_year`] scores the annual scorecard over a service year, blends the
//!   monthly totals in when the scheme says so, and computes the penalty;
//! - [`assess_scorecard`] is what both share: the scorecard a period calls for
//!   (a month: the monthly one; a service year: the annual one), every fact
//!   counted in that period;
//! - [`contract_terms`], [`breach_penalty`] and [`settlement`] hold a contract's
//!   terms as data and charge breaches and draw the settlement statement (§5);
//! - [`quotas`], [`metering`] and [`caps`] hold Songjiang's quotas and metered
//!   settlement and Shanghai's service-period caps (§6), [`work_order`] the
//!   unified work order's parts, deadlines and exit duties, all judged on time
//!   or not by [`deadlines`].
//!
//! The rules are those of `shared/spec/scoring-rules.md` §0–2, §4 and §5; where the
//! spec is silent, the decision taken is documented where it is implemented
//! (look for "Decision").

pub mod breach_detection;
pub mod breach_penalty;
pub mod calendar;
pub mod caps;
pub mod contract_terms;
pub mod fault_grading;
pub mod scheme;

mod annual;
pub mod counting;
pub mod deadlines;
mod error;
pub mod facts;
mod indicators;
pub mod metering;
mod penalty;
pub mod period;
pub mod quotas;
mod rate;
mod result;
mod rounding;
pub mod settlement;
pub mod shown;
pub mod work_order;

#[cfg(test)]
mod properties;
#[cfg(test)]
mod scenarios;
#[cfg(test)]
mod testing;

pub use annual::{AnnualResult, Blended, MonthlyTotal, assess_year};
pub use error::EngineError;
pub use facts::{FactKind, FactRef, VendorFacts};
pub use penalty::Penalty;
pub use period::{Month, Period, PeriodError, ServiceYear};
pub use result::{Deduction, IndicatorResult, ScoreCard};
pub use rounding::round_half_up_2dp;
pub use shown::{
    date_text, local_time_text, money_text, month_text, percent_text, points_text, title_text,
    two_dp,
};

use crate::calendar::WorkCalendar;
use crate::scheme::{Scheme, ScorecardKind};

/// Scores the scheme's monthly scorecard for `month`.
pub fn assess_month(
    scheme: &Scheme,
    calendar: &WorkCalendar,
    facts: &VendorFacts,
    month: Month,
) -> Result<ScoreCard, EngineError> {
    assess_scorecard(scheme, calendar, facts, Period::Month(month))
}

/// Scores the scorecard `period` calls for: the monthly one for a month, the
/// annual one for a service year (which must start in the scheme's first month).
/// The scheme is validated first; an invalid one is an error, never a score.
pub fn assess_scorecard(
    scheme: &Scheme,
    calendar: &WorkCalendar,
    facts: &VendorFacts,
    period: Period,
) -> Result<ScoreCard, EngineError> {
    scheme.validate()?;
    let kind = match period {
        Period::Month(_) => ScorecardKind::Monthly,
        Period::ServiceYear(year) => {
            if year.first_month().month() != scheme.service_year_first_month {
                return Err(EngineError::ServiceYearMismatch {
                    scheme: scheme.code.clone(),
                    first_month: scheme.service_year_first_month,
                    given: year,
                });
            }
            ScorecardKind::Annual
        }
    };
    let card = scheme
        .scorecard(kind)
        .ok_or_else(|| EngineError::NoMonthlyScorecard {
            scheme: scheme.code.clone(),
        })?;
    let ctx = indicators::Context {
        period: &period,
        facts,
        calendar,
        partial_steps: scheme.partial_steps,
    };
    let results = card
        .resolve(kind)?
        .iter()
        .map(|indicator| indicators::assess(indicator, &ctx))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ScoreCard::new(
        &scheme.code,
        scheme.version,
        period,
        card.pass_mark,
        results,
    ))
}
