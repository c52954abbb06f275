//! One entry of a scorecard — an indicator code, its weight and its parameters —
//! and its resolution into a typed [`Indicator`] the engine computes.
//!
//! The document form ([`IndicatorSpec`]) is deliberately loose (the code is text,
//! every parameter optional) so that a wrong document can be *represented* and then
//! refused with a precise path; the typed form cannot hold a wrong value. A missing
//! parameter takes the default of the Shanghai standard (annex 2), listed once in
//! the table at the bottom of this file.

use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde::{Deserialize, Serialize};

use super::{IndicatorCode, SchemeError};

/// Number of fault levels (section 3 of the spec): 1 is the most severe.
pub const FAULT_LEVELS: usize = 6;
/// Number of security-accident levels (J2): 1 is the most severe.
pub const ACCIDENT_LEVELS: usize = 5;

/// An indicator entry as written in a scheme document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorSpec {
    /// One of the fixed codes ("A1" … "J2"); anything else is refused by validation.
    pub code: String,
    /// Points of the indicator; the weights of a scorecard sum to 100.
    pub weight: Decimal,
    /// Parameters; an absent one takes the standard's default for the code.
    #[serde(default, skip_serializing_if = "IndicatorParams::is_empty")]
    pub params: IndicatorParams,
}

/// Every parameter any indicator takes. Which ones an indicator accepts is fixed by
/// its code (see the table at the bottom); any other is refused. Rates are
/// fractions: 0.9 means 90 %.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorParams {
    /// Points per counted event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deduction: Option<Decimal>,
    /// Points per event by level, most severe level (1) first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deduction_by_level: Option<Vec<Decimal>>,
    /// A1: working days after the day of approval a work order has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub working_days: Option<u32>,
    /// F2: hours before the planned execution a change must be reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead_time_hours: Option<u32>,
    /// E2/E3: time limit in minutes by fault level, level 1 first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit_minutes_by_level: Option<Vec<u32>>,
    /// B1/D1/H1: the rate at or above which the indicator scores in full.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<Decimal>,
    /// B1/D1/H1: the size of one step below the threshold (0.01 = one percent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<Decimal>,
    /// B1/D1/H1: share of the weight lost per step; I1: per training short.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step_share: Option<Decimal>,
    /// I1: valid trainings required in the period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<u32>,
    /// I1: attendees a training needs to count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_attendees: Option<u32>,
}

impl IndicatorParams {
    pub fn is_empty(&self) -> bool {
        self.present().is_empty()
    }

    /// Names of the parameters that are set, as written in JSON.
    fn present(&self) -> Vec<&'static str> {
        let set = [
            ("deduction", self.deduction.is_some()),
            ("deduction_by_level", self.deduction_by_level.is_some()),
            ("working_days", self.working_days.is_some()),
            ("lead_time_hours", self.lead_time_hours.is_some()),
            (
                "limit_minutes_by_level",
                self.limit_minutes_by_level.is_some(),
            ),
            ("threshold", self.threshold.is_some()),
            ("step", self.step.is_some()),
            ("step_share", self.step_share.is_some()),
            ("required", self.required.is_some()),
            ("min_attendees", self.min_attendees.is_some()),
        ];
        set.into_iter()
            .filter_map(|(name, is_set)| is_set.then_some(name))
            .collect()
    }
}

// --- typed parameters, one shape per kind of rule ---------------------------

/// A fixed number of points per counted event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PerEvent {
    pub deduction: Decimal,
}

/// A1: a work order is late after `working_days` working days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkOrderDeadline {
    pub working_days: u32,
    pub deduction: Decimal,
}

/// F2: a change is reported in time at least `lead_time_hours` before execution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeNotice {
    pub lead_time_hours: u32,
    pub deduction: Decimal,
}

/// E1/J2: points per event by level; `deductions[0]` is level 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ByLevel {
    pub deductions: Vec<Decimal>,
}

/// E2/E3: a time limit per fault level (`limit_minutes[0]` is level 1) and the
/// points per fault over its limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelLimits {
    pub limit_minutes: Vec<u32>,
    pub deduction: Decimal,
}

/// B1/D1/H1: full at or above `threshold`; each `step` below loses `step_share`
/// of the weight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Threshold {
    pub threshold: Decimal,
    pub step: Decimal,
    pub step_share: Decimal,
}

/// I1: `required` valid trainings (at least `min_attendees` each); each one short
/// loses `step_share` of the weight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainingCount {
    pub required: u32,
    pub min_attendees: u32,
    pub step_share: Decimal,
}

/// Where a parameter sits, for messages: the indicator's path and code.
struct At<'a> {
    path: &'a str,
    code: IndicatorCode,
}

impl At<'_> {
    fn param(&self, name: &str) -> String {
        format!("{}.params.{name}", self.path)
    }
}

/// The common behaviour of the parameter shapes: which JSON names they take, how a
/// document overrides their defaults, their range checks, and writing them back.
trait Shape: Sized {
    const PARAMS: &'static [&'static str];
    fn overridden(self, given: &IndicatorParams) -> Self;
    fn check(&self, at: &At<'_>) -> Result<(), SchemeError>;
    fn write(&self, to: &mut IndicatorParams);
}

fn non_negative(value: Decimal, path: String) -> Result<(), SchemeError> {
    if value.is_sign_negative() && !value.is_zero() {
        return Err(SchemeError::Negative { path, value });
    }
    Ok(())
}

/// `0 < value ≤ 1`: a threshold or a step (a zero step would divide by zero).
fn positive_fraction(value: Decimal, path: String) -> Result<(), SchemeError> {
    if value <= Decimal::ZERO || value > Decimal::ONE {
        return Err(SchemeError::OutOfRange {
            path,
            value: value.to_string(),
            range: "(0, 1]",
        });
    }
    Ok(())
}

/// `0 ≤ value ≤ 1`: a share of the weight.
pub(super) fn fraction(value: Decimal, path: String) -> Result<(), SchemeError> {
    if value < Decimal::ZERO || value > Decimal::ONE {
        return Err(SchemeError::OutOfRange {
            path,
            value: value.to_string(),
            range: "[0, 1]",
        });
    }
    Ok(())
}

/// How many levels the code's level table has.
fn levels_of(code: IndicatorCode) -> usize {
    match code {
        IndicatorCode::J2 => ACCIDENT_LEVELS,
        _ => FAULT_LEVELS,
    }
}

fn level_count(at: &At<'_>, name: &str, got: usize) -> Result<(), SchemeError> {
    let expected = levels_of(at.code);
    if got != expected {
        return Err(SchemeError::LevelCount {
            path: at.param(name),
            code: at.code.to_string(),
            expected,
            got,
        });
    }
    Ok(())
}

impl Shape for PerEvent {
    const PARAMS: &'static [&'static str] = &["deduction"];
    fn overridden(self, given: &IndicatorParams) -> Self {
        Self {
            deduction: given.deduction.unwrap_or(self.deduction),
        }
    }
    fn check(&self, at: &At<'_>) -> Result<(), SchemeError> {
        non_negative(self.deduction, at.param("deduction"))
    }
    fn write(&self, to: &mut IndicatorParams) {
        to.deduction = Some(self.deduction);
    }
}

impl Shape for WorkOrderDeadline {
    const PARAMS: &'static [&'static str] = &["working_days", "deduction"];
    fn overridden(self, given: &IndicatorParams) -> Self {
        Self {
            working_days: given.working_days.unwrap_or(self.working_days),
            deduction: given.deduction.unwrap_or(self.deduction),
        }
    }
    fn check(&self, at: &At<'_>) -> Result<(), SchemeError> {
        non_negative(self.deduction, at.param("deduction"))
    }
    fn write(&self, to: &mut IndicatorParams) {
        to.working_days = Some(self.working_days);
        to.deduction = Some(self.deduction);
    }
}

impl Shape for ChangeNotice {
    const PARAMS: &'static [&'static str] = &["lead_time_hours", "deduction"];
    fn overridden(self, given: &IndicatorParams) -> Self {
        Self {
            lead_time_hours: given.lead_time_hours.unwrap_or(self.lead_time_hours),
            deduction: given.deduction.unwrap_or(self.deduction),
        }
    }
    fn check(&self, at: &At<'_>) -> Result<(), SchemeError> {
        non_negative(self.deduction, at.param("deduction"))
    }
    fn write(&self, to: &mut IndicatorParams) {
        to.lead_time_hours = Some(self.lead_time_hours);
        to.deduction = Some(self.deduction);
    }
}

impl Shape for ByLevel {
    const PARAMS: &'static [&'static str] = &["deduction_by_level"];
    fn overridden(self, given: &IndicatorParams) -> Self {
        Self {
            deductions: given.deduction_by_level.clone().unwrap_or(self.deductions),
        }
    }
    fn check(&self, at: &At<'_>) -> Result<(), SchemeError> {
        level_count(at, "deduction_by_level", self.deductions.len())?;
        self.deductions.iter().enumerate().try_for_each(|(i, d)| {
            non_negative(*d, format!("{}[{i}]", at.param("deduction_by_level")))
        })
    }
    fn write(&self, to: &mut IndicatorParams) {
        to.deduction_by_level = Some(self.deductions.clone());
    }
}

impl Shape for LevelLimits {
    const PARAMS: &'static [&'static str] = &["limit_minutes_by_level", "deduction"];
    fn overridden(self, given: &IndicatorParams) -> Self {
        Self {
            limit_minutes: given
                .limit_minutes_by_level
                .clone()
                .unwrap_or(self.limit_minutes),
            deduction: given.deduction.unwrap_or(self.deduction),
        }
    }
    fn check(&self, at: &At<'_>) -> Result<(), SchemeError> {
        level_count(at, "limit_minutes_by_level", self.limit_minutes.len())?;
        non_negative(self.deduction, at.param("deduction"))
    }
    fn write(&self, to: &mut IndicatorParams) {
        to.limit_minutes_by_level = Some(self.limit_minutes.clone());
        to.deduction = Some(self.deduction);
    }
}

impl Shape for Threshold {
    const PARAMS: &'static [&'static str] = &["threshold", "step", "step_share"];
    fn overridden(self, given: &IndicatorParams) -> Self {
        Self {
            threshold: given.threshold.unwrap_or(self.threshold),
            step: given.step.unwrap_or(self.step),
            step_share: given.step_share.unwrap_or(self.step_share),
        }
    }
    fn check(&self, at: &At<'_>) -> Result<(), SchemeError> {
        positive_fraction(self.threshold, at.param("threshold"))?;
        positive_fraction(self.step, at.param("step"))?;
        fraction(self.step_share, at.param("step_share"))
    }
    fn write(&self, to: &mut IndicatorParams) {
        to.threshold = Some(self.threshold);
        to.step = Some(self.step);
        to.step_share = Some(self.step_share);
    }
}

impl Shape for TrainingCount {
    const PARAMS: &'static [&'static str] = &["required", "min_attendees", "step_share"];
    fn overridden(self, given: &IndicatorParams) -> Self {
        Self {
            required: given.required.unwrap_or(self.required),
            min_attendees: given.min_attendees.unwrap_or(self.min_attendees),
            step_share: given.step_share.unwrap_or(self.step_share),
        }
    }
    fn check(&self, at: &At<'_>) -> Result<(), SchemeError> {
        fraction(self.step_share, at.param("step_share"))
    }
    fn write(&self, to: &mut IndicatorParams) {
        to.required = Some(self.required);
        to.min_attendees = Some(self.min_attendees);
        to.step_share = Some(self.step_share);
    }
}

/// An indicator entry that passed validation: weight and typed parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedIndicator {
    pub weight: Decimal,
    pub indicator: Indicator,
}

impl IndicatorSpec {
    /// An entry with the standard's parameters written out in full (as the
    /// built-in schemes store them, so a stored scheme never depends on defaults
    /// of a later version of the code).
    pub fn standard(code: IndicatorCode, weight: Decimal) -> Self {
        Self::with(&Indicator::standard(code), weight)
    }

    /// An entry for a typed indicator, parameters written out in full.
    pub fn with(indicator: &Indicator, weight: Decimal) -> Self {
        Self {
            code: indicator.code().to_string(),
            weight,
            params: indicator.to_params(),
        }
    }

    /// Checks the entry found at `path` and types it.
    pub fn resolve(&self, path: &str) -> Result<ResolvedIndicator, SchemeError> {
        let code =
            IndicatorCode::parse(&self.code).ok_or_else(|| SchemeError::UnknownIndicator {
                path: format!("{path}.code"),
                code: self.code.clone(),
            })?;
        non_negative(self.weight, format!("{path}.weight"))?;
        let standard = Indicator::standard(code);
        let taken = standard.params_taken();
        if let Some(extra) = self
            .params
            .present()
            .into_iter()
            .find(|name| !taken.contains(name))
        {
            return Err(SchemeError::ParamNotApplicable {
                path: format!("{path}.params.{extra}"),
                code: code.to_string(),
                allowed: taken.join(", "),
            });
        }
        let indicator = standard.overridden(&self.params);
        indicator.check(&At { path, code })?;
        Ok(ResolvedIndicator {
            weight: self.weight,
            indicator,
        })
    }
}

/// Declares [`Indicator`] (one variant per code, holding its parameter shape) and
/// the standard parameters of each code, in one table.
macro_rules! indicators {
    ($($code:ident($shape:ident) = $standard:expr;)*) => {
        /// A typed indicator: which rule to compute, with its parameters.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum Indicator {
            $($code($shape),)*
        }

        impl Indicator {
            pub fn code(&self) -> IndicatorCode {
                match self {
                    $(Self::$code(_) => IndicatorCode::$code,)*
                }
            }

            /// The parameters of the Shanghai standard (annex 2) for `code`.
            pub fn standard(code: IndicatorCode) -> Self {
                match code {
                    $(IndicatorCode::$code => Self::$code($standard),)*
                }
            }

            /// The parameters written out in full, as a document would hold them.
            pub fn to_params(&self) -> IndicatorParams {
                let mut params = IndicatorParams::default();
                match self {
                    $(Self::$code(shape) => shape.write(&mut params),)*
                }
                params
            }

            fn params_taken(&self) -> &'static [&'static str] {
                match self {
                    $(Self::$code(_) => <$shape as Shape>::PARAMS,)*
                }
            }

            fn overridden(self, given: &IndicatorParams) -> Self {
                match self {
                    $(Self::$code(shape) => Self::$code(shape.overridden(given)),)*
                }
            }

            fn check(&self, at: &At<'_>) -> Result<(), SchemeError> {
                match self {
                    $(Self::$code(shape) => shape.check(at),)*
                }
            }
        }
    };
}

fn per_event(deduction: Decimal) -> PerEvent {
    PerEvent { deduction }
}

// The defaults, from annex 2 as restated in spec §1–2 (percentages as fractions).
indicators! {
    // 5 working days; −0.5 per late work order.
    A1(WorkOrderDeadline) = WorkOrderDeadline { working_days: 5, deduction: dec!(0.5) };
    // −0.3 per work order provisioned differently from its approval.
    A2(PerEvent) = per_event(dec!(0.3));
    // −1 per task not finished as planned.
    A3(PerEvent) = per_event(dec!(1));
    // −1 per delivery without a work order / not rectified.
    A4(PerEvent) = per_event(dec!(1));
    // ≥ 90 % full; each 1 % below: −5 % of the weight.
    B1(Threshold) = Threshold { threshold: dec!(0.90), step: dec!(0.01), step_share: dec!(0.05) };
    // −5 per liable complaint.
    C1(PerEvent) = per_event(dec!(5));
    // ≥ 99.99 % full; each 0.01 % below: −1 % of the weight.
    D1(Threshold) = Threshold { threshold: dec!(0.9999), step: dec!(0.0001), step_share: dec!(0.01) };
    // Level 1 … 6: −6, −5, −4, −3, −2, −1.
    E1(ByLevel) = ByLevel { deductions: vec![dec!(6), dec!(5), dec!(4), dec!(3), dec!(2), dec!(1)] };
    // Recovery limits level 1 … 6 in minutes; −2 per fault over its limit.
    E2(LevelLimits) = LevelLimits { limit_minutes: vec![30, 30, 60, 120, 240, 360], deduction: dec!(2) };
    // Reporting limits level 1 … 6 in minutes; −1 per fault reported late.
    E3(LevelLimits) = LevelLimits { limit_minutes: vec![10, 10, 10, 30, 60, 120], deduction: dec!(1) };
    // −1 per misreported or concealed fault.
    E4(PerEvent) = per_event(dec!(1));
    // −1 per change not completed as planned.
    F1(PerEvent) = per_event(dec!(1));
    // 72 h notice (spec Decision); −1 per change reported late or not at all.
    F2(ChangeNotice) = ChangeNotice { lead_time_hours: 72, deduction: dec!(1) };
    // −1 per confirmed violation of the management rules.
    G1(PerEvent) = per_event(dec!(1));
    // ≥ 90 % full; each 1 % below: −2 % of the weight.
    H1(Threshold) = Threshold { threshold: dec!(0.90), step: dec!(0.01), step_share: dec!(0.02) };
    // 20 valid trainings of ≥ 4 attendees; each one short: −5 % of the weight.
    I1(TrainingCount) = TrainingCount { required: 20, min_attendees: 4, step_share: dec!(0.05) };
    // −5 per security risk not rectified by its deadline.
    J1(PerEvent) = per_event(dec!(5));
    // Level 1 … 5: −10, −8, −6, −4, −2.
    J2(ByLevel) = ByLevel { deductions: vec![dec!(10), dec!(8), dec!(6), dec!(4), dec!(2)] };
}
