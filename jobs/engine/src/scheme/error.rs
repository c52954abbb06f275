//! Why a scheme was refused. Every message starts with the path of the offending
//! field in the scheme's JSON (e.g. `monthly.indicators[3].code`), so an
//! administrator who posted the document can find and fix it.

use rust_decimal::Decimal;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SchemeError {
    #[error("the scheme is not valid JSON of the expected shape: {0}")]
    Json(String),

    #[error("{path}: must not be empty")]
    Empty { path: String },

    #[error("{path}: {value} is outside {range}")]
    OutOfRange {
        path: String,
        value: String,
        range: &'static str,
    },

    #[error("{path}: {value} is negative")]
    Negative { path: String, value: Decimal },

    #[error(
        "{path}: unknown indicator \"{code}\" (known: A1–A4, B1, C1, D1, E1–E4, F1, F2, G1, H1, I1, J1, J2)"
    )]
    UnknownIndicator { path: String, code: String },

    #[error("{path}: indicator {code} is listed twice (first at {first})")]
    DuplicateIndicator {
        path: String,
        code: String,
        first: String,
    },

    #[error("{path}: weights sum to {sum}, not 100")]
    WeightsNotHundred { path: String, sum: Decimal },

    #[error("{path}: not a parameter of {code} (it takes: {allowed})")]
    ParamNotApplicable {
        path: String,
        code: String,
        allowed: String,
    },

    #[error("{path}: {code} needs one value per level, {expected} levels, got {got}")]
    LevelCount {
        path: String,
        code: String,
        expected: usize,
        got: usize,
    },

    #[error(
        "{path}: {value} is not below the previous tier's {previous}; tiers must be listed from the highest threshold down"
    )]
    TiersNotDescending {
        path: String,
        value: Decimal,
        previous: Decimal,
    },

    #[error(
        "{path}: {value} is not above the previous tier's {previous}; a lower score must never cost less"
    )]
    TierRatesNotAscending {
        path: String,
        value: Decimal,
        previous: Decimal,
    },

    #[error("blend: monthly_share + annual_share = {sum}, not 1")]
    BlendSharesNotOne { sum: Decimal },

    #[error("blend: blending monthly results needs a monthly scorecard")]
    BlendWithoutMonthly,
}
