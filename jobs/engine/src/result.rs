//! What the engine returns: each indicator's score with the deductions that
//! explain it, and the scorecard total. A score never travels without its
//! deductions (spec §0).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::facts::FactRef;
use super::period::Period;
use crate::scheme::{IndicatorCode, IndicatorName};

/// Points taken off an indicator, why, and the fact(s) that caused it. An event
/// deduction names its one fact; a rate or count deduction (B1, D1, H1, I1) names
/// the facts it was computed from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deduction {
    pub points: Decimal,
    pub reason: String,
    pub facts: Vec<FactRef>,
}

/// One indicator's result.
///
/// Decision on "扣完为止": `deductions` lists every deduction at its full points,
/// `deducted` is their sum and `capped` the part of it that was not applied
/// because the score stops at 0. So `score = weight − (deducted − capped)`, and
/// a reader sees that, say, three complaints (−15) met a weight of 10.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorResult {
    pub code: IndicatorCode,
    pub name: IndicatorName,
    pub weight: Decimal,
    pub score: Decimal,
    pub deducted: Decimal,
    pub capped: Decimal,
    pub deductions: Vec<Deduction>,
    /// Things a supervisor should know (missing data, a year's calendar not
    /// loaded, a fault still open); they never change the score by themselves.
    pub warnings: Vec<String>,
}

impl IndicatorResult {
    /// Scores an indicator from its findings, keeping it within [0, weight].
    pub fn new(code: IndicatorCode, weight: Decimal, findings: Findings) -> Self {
        let deducted: Decimal = findings.deductions.iter().map(|d| d.points).sum();
        let score = (weight - deducted).clamp(Decimal::ZERO, weight);
        // Normalised so that 20 × 5 % × 20 reads "20", not "20.00"; the value is the same.
        Self {
            code,
            name: code.name(),
            weight,
            score: score.normalize(),
            deducted: deducted.normalize(),
            capped: (deducted - (weight - score)).normalize(),
            deductions: findings.deductions,
            warnings: findings.warnings,
        }
    }
}

/// What an indicator's rule found in the facts.
#[derive(Debug, Default)]
pub struct Findings {
    pub deductions: Vec<Deduction>,
    pub warnings: Vec<String>,
}

impl Findings {
    pub fn deduct(&mut self, points: Decimal, reason: String, facts: Vec<FactRef>) {
        self.deductions.push(Deduction {
            points: points.normalize(),
            reason,
            facts,
        });
    }

    pub fn warn(&mut self, warning: String) {
        self.warnings.push(warning);
    }
}

/// A scorecard assessed for one period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreCard {
    pub scheme_code: String,
    pub scheme_version: u32,
    pub period: Period,
    pub indicators: Vec<IndicatorResult>,
    /// Sum of the indicator scores, exact.
    pub total: Decimal,
    pub pass_mark: Decimal,
    /// `total ≥ pass_mark`.
    pub passed: bool,
    /// Every indicator's warnings, prefixed with its code, so a reader of the
    /// total sees them without opening each indicator.
    pub warnings: Vec<String>,
}

impl ScoreCard {
    pub fn new(
        scheme_code: &str,
        scheme_version: u32,
        period: Period,
        pass_mark: Decimal,
        indicators: Vec<IndicatorResult>,
    ) -> Self {
        let total: Decimal = indicators.iter().map(|i| i.score).sum();
        let warnings = indicators
            .iter()
            .flat_map(|i| i.warnings.iter().map(move |w| format!("{}: {w}", i.code)))
            .collect();
        Self {
            scheme_code: scheme_code.to_owned(),
            scheme_version,
            period,
            indicators,
            total: total.normalize(),
            pass_mark,
            passed: total >= pass_mark,
            warnings,
        }
    }

    pub fn indicator(&self, code: IndicatorCode) -> Option<&IndicatorResult> {
        self.indicators.iter().find(|i| i.code == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn findings(points: &[Decimal]) -> Findings {
        let mut f = Findings::default();
        for p in points {
            f.deduct(*p, "test".into(), vec![]);
        }
        f
    }

    #[test]
    fn deductions_beyond_the_weight_are_capped_at_zero() {
        // Three complaints at −5 against a weight of 10: 15 deducted, 5 of it capped.
        let r = IndicatorResult::new(IndicatorCode::C1, dec!(10), findings(&[dec!(5); 3]));
        assert_eq!(
            (r.score, r.deducted, r.capped),
            (dec!(0), dec!(15), dec!(5))
        );
    }

    #[test]
    fn without_deductions_the_score_is_the_weight() {
        let r = IndicatorResult::new(IndicatorCode::G1, dec!(5), Findings::default());
        assert_eq!((r.score, r.deducted, r.capped), (dec!(5), dec!(0), dec!(0)));
    }
}
