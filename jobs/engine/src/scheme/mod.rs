//! Assessment schemes as data: which indicators a district assesses, with which
//! weights and parameters, how the year's score is formed and what it costs the
//! vendor. A scheme is a versioned JSON document an administrator can post; it is
//! refused unless [`Scheme::validate`] accepts it, and the engine only computes
//! validated schemes.
//!
//! Two schemes are built in: `sh-municipal` (spec §1–2) and `sh-songjiang` (§4).

mod builtin;
mod code;
mod error;
mod indicator;
mod kinds;
mod validate;

use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde::{Deserialize, Serialize};

pub use code::{IndicatorCode, IndicatorName};
pub use error::SchemeError;
pub use indicator::{
    ACCIDENT_LEVELS, ByLevel, ChangeNotice, FAULT_LEVELS, Indicator, IndicatorParams,
    IndicatorSpec, LevelLimits, PerEvent, ResolvedIndicator, Threshold, TrainingCount,
    WorkOrderDeadline,
};

/// A versioned assessment scheme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scheme {
    /// Stable identifier, e.g. `sh-municipal`.
    pub code: String,
    /// Version of the scheme under its code, from 1; a change is a new version, so
    /// a stored result can always name the rules that produced it.
    pub version: u32,
    pub name: String,
    /// First month (1–12) of the service year: 1 for a calendar year, 7 for
    /// Songjiang's July–June year.
    pub service_year_first_month: u32,
    /// The monthly scorecard, if the scheme assesses monthly.
    #[serde(default)]
    pub monthly: Option<Scorecard>,
    /// The scorecard assessed once per service year.
    pub annual: Scorecard,
    /// How the year's total blends the monthly results; `None`: the annual
    /// scorecard's total is the year's total.
    #[serde(default)]
    pub blend: Option<Blend>,
    /// Penalty tiers from the highest threshold down; the lowest tier whose
    /// threshold the total is below applies (only the most severe).
    #[serde(default)]
    pub penalty_tiers: Vec<PenaltyTier>,
    /// How a partial step below a rate threshold is charged (B1, D1, H1).
    #[serde(default)]
    pub partial_steps: PartialSteps,
}

/// A scorecard: indicators whose weights sum to 100. Its period — a month or the
/// whole service year — is the window in which facts are counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scorecard {
    /// Total at or above which the period counts as passed (default 90). Used to
    /// flag a failed month (e.g. for breach rules on repeated failures); it never
    /// changes a score.
    #[serde(default = "default_pass_mark")]
    pub pass_mark: Decimal,
    pub indicators: Vec<IndicatorSpec>,
}

fn default_pass_mark() -> Decimal {
    dec!(90)
}

/// `annual total = mean(monthly totals) × monthly_share + annual total × annual_share`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Blend {
    pub monthly_share: Decimal,
    pub annual_share: Decimal,
}

/// A year's total below `below` costs `rate` (0.05 = 5 %) of the settlement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PenaltyTier {
    pub below: Decimal,
    pub rate: Decimal,
}

/// How a rate that falls part of a step below its threshold is charged.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartialSteps {
    /// Pro rata (spec §0 default): with −0.5 per 1 %, 88.5 % loses 0.75.
    #[default]
    Proportional,
    /// Every started step in full: 88.5 % loses 2 × 0.5 = 1.
    PerStartedStep,
}

/// Which of a scheme's scorecards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScorecardKind {
    Monthly,
    Annual,
}

impl ScorecardKind {
    /// The scorecard's path in the scheme document, for messages.
    pub fn path(self) -> &'static str {
        match self {
            Self::Monthly => "monthly",
            Self::Annual => "annual",
        }
    }
}

impl Scheme {
    /// The built-in schemes: `sh-municipal` v1 and `sh-songjiang` v1.
    pub fn builtin() -> Vec<Scheme> {
        vec![builtin::sh_municipal(), builtin::sh_songjiang()]
    }

    /// Parses a scheme document and validates it.
    pub fn from_json(json: &str) -> Result<Scheme, SchemeError> {
        let scheme: Scheme =
            serde_json::from_str(json).map_err(|e| SchemeError::Json(e.to_string()))?;
        scheme.validate()?;
        Ok(scheme)
    }

    /// The scheme as a pretty-printed JSON document ([`Scheme::from_json`] reads it
    /// back to an equal scheme).
    pub fn to_json(&self) -> Result<String, SchemeError> {
        serde_json::to_string_pretty(self).map_err(|e| SchemeError::Json(e.to_string()))
    }

    pub fn scorecard(&self, kind: ScorecardKind) -> Option<&Scorecard> {
        match kind {
            ScorecardKind::Monthly => self.monthly.as_ref(),
            ScorecardKind::Annual => Some(&self.annual),
        }
    }
}
