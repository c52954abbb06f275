//! Why an assessment could not be made. Missing data that the rules settle
//! (no attendance record, no survey, a calendar year not loaded) is not an error
//! but a warning on the result; an error means the input cannot be scored.

use rust_decimal::Decimal;
use thiserror::Error;

use super::facts::FactRef;
use super::period::{Month, ServiceYear};
use crate::scheme::SchemeError;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EngineError {
    #[error("invalid scheme: {0}")]
    Scheme(#[from] SchemeError),

    #[error("scheme {scheme} has no monthly scorecard")]
    NoMonthlyScorecard { scheme: String },

    #[error(
        "service year {given} does not start in month {first_month} as scheme {scheme} requires"
    )]
    ServiceYearMismatch {
        scheme: String,
        first_month: u32,
        given: ServiceYear,
    },

    #[error("{fact}: {reason}")]
    InvalidFact { fact: FactRef, reason: String },

    #[error("survey response {id}: Q{question} answer {value} is invalid (allowed: {allowed})")]
    InvalidSurveyAnswer {
        id: i64,
        question: usize,
        value: u8,
        allowed: &'static str,
    },

    #[error(
        "no monthly result in service year {service_year}: the annual total blends the monthly mean, so it cannot be computed"
    )]
    NoMonthlyResults { service_year: ServiceYear },

    #[error("monthly result {month} is outside service year {service_year}")]
    MonthOutsideServiceYear {
        month: Month,
        service_year: ServiceYear,
    },

    #[error("monthly result {month} is given twice")]
    DuplicateMonth { month: Month },

    #[error("monthly total {total} of {month} is outside 0–100")]
    MonthlyTotalOutOfRange { month: Month, total: Decimal },

    #[error("settlement amount {0} is negative")]
    NegativeSettlement(Decimal),
}
