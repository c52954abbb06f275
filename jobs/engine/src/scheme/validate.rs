//! The checks a scheme must pass before the engine computes it. Each refusal names
//! the path of the offending field.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::indicator::fraction;
use super::{
    IndicatorCode, PenaltyTier, ResolvedIndicator, Scheme, SchemeError, Scorecard, ScorecardKind,
};

const FULL_MARKS: Decimal = dec!(100);

impl Scheme {
    /// Accepts the scheme or says precisely what is wrong with it.
    pub fn validate(&self) -> Result<(), SchemeError> {
        not_empty(&self.code, "code")?;
        not_empty(&self.name, "name")?;
        if self.version == 0 {
            return Err(out_of_range("version", 0, "1 or more"));
        }
        if !(1..=12).contains(&self.service_year_first_month) {
            return Err(out_of_range(
                "service_year_first_month",
                self.service_year_first_month,
                "1–12",
            ));
        }
        if let Some(monthly) = &self.monthly {
            monthly.resolve(ScorecardKind::Monthly)?;
        }
        self.annual.resolve(ScorecardKind::Annual)?;
        self.validate_blend()?;
        validate_tiers(&self.penalty_tiers)
    }

    fn validate_blend(&self) -> Result<(), SchemeError> {
        let Some(blend) = &self.blend else {
            return Ok(());
        };
        if self.monthly.is_none() {
            return Err(SchemeError::BlendWithoutMonthly);
        }
        fraction(blend.monthly_share, "blend.monthly_share".into())?;
        fraction(blend.annual_share, "blend.annual_share".into())?;
        let sum = blend.monthly_share + blend.annual_share;
        if sum != Decimal::ONE {
            return Err(SchemeError::BlendSharesNotOne { sum });
        }
        Ok(())
    }
}

impl Scorecard {
    /// Checks the scorecard (found under `kind`'s path) and types its indicators.
    pub fn resolve(&self, kind: ScorecardKind) -> Result<Vec<ResolvedIndicator>, SchemeError> {
        let card = kind.path();
        if self.pass_mark < Decimal::ZERO || self.pass_mark > FULL_MARKS {
            return Err(out_of_range(
                &format!("{card}.pass_mark"),
                self.pass_mark,
                "0–100",
            ));
        }
        let mut first_seen: BTreeMap<IndicatorCode, String> = BTreeMap::new();
        let mut resolved = Vec::with_capacity(self.indicators.len());
        for (i, spec) in self.indicators.iter().enumerate() {
            let path = format!("{card}.indicators[{i}]");
            let indicator = spec.resolve(&path)?;
            let code = indicator.indicator.code();
            if let Some(first) = first_seen.get(&code) {
                return Err(SchemeError::DuplicateIndicator {
                    path: format!("{path}.code"),
                    code: code.to_string(),
                    first: first.clone(),
                });
            }
            first_seen.insert(code, path);
            resolved.push(indicator);
        }
        let sum: Decimal = resolved.iter().map(|r| r.weight).sum();
        if sum != FULL_MARKS {
            return Err(SchemeError::WeightsNotHundred {
                path: format!("{card}.indicators"),
                sum,
            });
        }
        Ok(resolved)
    }
}

fn validate_tiers(tiers: &[PenaltyTier]) -> Result<(), SchemeError> {
    for (i, tier) in tiers.iter().enumerate() {
        let path = format!("penalty_tiers[{i}]");
        if tier.below < Decimal::ZERO || tier.below > FULL_MARKS {
            return Err(out_of_range(&format!("{path}.below"), tier.below, "0–100"));
        }
        fraction(tier.rate, format!("{path}.rate"))?;
        let Some(previous) = i.checked_sub(1).and_then(|p| tiers.get(p)) else {
            continue;
        };
        if tier.below >= previous.below {
            return Err(SchemeError::TiersNotDescending {
                path: format!("{path}.below"),
                value: tier.below,
                previous: previous.below,
            });
        }
        // A lower threshold is a worse score: it must cost more, or "only the most
        // severe tier applies" would not mean the most expensive one.
        if tier.rate <= previous.rate {
            return Err(SchemeError::TierRatesNotAscending {
                path: format!("{path}.rate"),
                value: tier.rate,
                previous: previous.rate,
            });
        }
    }
    Ok(())
}

fn not_empty(value: &str, path: &str) -> Result<(), SchemeError> {
    if value.trim().is_empty() {
        return Err(SchemeError::Empty { path: path.into() });
    }
    Ok(())
}

fn out_of_range(path: &str, value: impl ToString, range: &'static str) -> SchemeError {
    SchemeError::OutOfRange {
        path: path.into(),
        value: value.to_string(),
        range,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheme::{Blend, IndicatorParams, IndicatorSpec};

    fn municipal() -> Scheme {
        Scheme::builtin()
            .into_iter()
            .find(|s| s.code == "sh-municipal")
            .expect("built in")
    }

    fn refusal(scheme: &Scheme) -> SchemeError {
        scheme.validate().expect_err("the scheme must be refused")
    }

    #[test]
    fn builtin_schemes_are_valid() {
        for scheme in Scheme::builtin() {
            assert_eq!(scheme.validate(), Ok(()), "{}", scheme.code);
        }
    }

    #[test]
    fn refuses_weights_not_summing_to_100() {
        let mut scheme = municipal();
        // A1 10 → 5: the monthly weights sum to 100 − 5 = 95.
        scheme.monthly.as_mut().expect("monthly").indicators[0].weight = dec!(5);
        let err = refusal(&scheme);
        assert_eq!(
            err,
            SchemeError::WeightsNotHundred {
                path: "monthly.indicators".into(),
                sum: dec!(95)
            }
        );
        assert_eq!(
            err.to_string(),
            "monthly.indicators: weights sum to 95, not 100"
        );
    }

    #[test]
    fn refuses_a_negative_weight() {
        let mut scheme = municipal();
        let card = scheme.monthly.as_mut().expect("monthly");
        // A1 −5 and A2 20 keep the sum at 100, so only the sign is wrong.
        card.indicators[0].weight = dec!(-5);
        card.indicators[1].weight = dec!(20);
        assert_eq!(
            refusal(&scheme),
            SchemeError::Negative {
                path: "monthly.indicators[0].weight".into(),
                value: dec!(-5)
            }
        );
    }

    #[test]
    fn refuses_a_negative_deduction() {
        let mut scheme = municipal();
        scheme.monthly.as_mut().expect("monthly").indicators[5]
            .params
            .deduction = Some(dec!(-5));
        assert_eq!(
            refusal(&scheme),
            SchemeError::Negative {
                path: "monthly.indicators[5].params.deduction".into(),
                value: dec!(-5)
            }
        );
    }

    #[test]
    fn refuses_a_negative_deduction_by_level() {
        let mut scheme = municipal();
        let j2 = &mut scheme.annual.indicators[3];
        j2.params.deduction_by_level = Some(vec![dec!(10), dec!(8), dec!(-6), dec!(4), dec!(2)]);
        assert_eq!(
            refusal(&scheme),
            SchemeError::Negative {
                path: "annual.indicators[3].params.deduction_by_level[2]".into(),
                value: dec!(-6)
            }
        );
    }

    #[test]
    fn refuses_an_unknown_indicator_code() {
        let mut scheme = municipal();
        scheme.monthly.as_mut().expect("monthly").indicators[3].code = "Z9".into();
        let err = refusal(&scheme);
        assert!(
            err.to_string()
                .starts_with("monthly.indicators[3].code: unknown indicator \"Z9\""),
            "{err}"
        );
    }

    #[test]
    fn refuses_a_duplicate_code() {
        let mut scheme = municipal();
        let card = scheme.monthly.as_mut().expect("monthly");
        // A2 (5) replaced by a second A3 (5): weights still sum to 100.
        card.indicators[1] = IndicatorSpec::standard(IndicatorCode::A3, dec!(5));
        assert_eq!(
            refusal(&scheme),
            SchemeError::DuplicateIndicator {
                path: "monthly.indicators[2].code".into(),
                code: "A3".into(),
                first: "monthly.indicators[1]".into()
            }
        );
    }

    #[test]
    fn refuses_a_parameter_the_indicator_does_not_take() {
        let mut scheme = municipal();
        scheme.monthly.as_mut().expect("monthly").indicators[5]
            .params
            .working_days = Some(3);
        assert_eq!(
            refusal(&scheme),
            SchemeError::ParamNotApplicable {
                path: "monthly.indicators[5].params.working_days".into(),
                code: "C1".into(),
                allowed: "deduction".into()
            }
        );
    }

    #[test]
    fn refuses_a_level_table_of_the_wrong_length() {
        let mut scheme = municipal();
        // E1 has six fault levels; five values are given.
        scheme.monthly.as_mut().expect("monthly").indicators[7]
            .params
            .deduction_by_level = Some(vec![dec!(1); 5]);
        assert_eq!(
            refusal(&scheme),
            SchemeError::LevelCount {
                path: "monthly.indicators[7].params.deduction_by_level".into(),
                code: "E1".into(),
                expected: 6,
                got: 5
            }
        );
    }

    #[test]
    fn refuses_a_threshold_above_one() {
        let mut scheme = municipal();
        // 90 written as a percentage instead of the fraction 0.9.
        scheme.monthly.as_mut().expect("monthly").indicators[4]
            .params
            .threshold = Some(dec!(90));
        assert_eq!(
            refusal(&scheme).to_string(),
            "monthly.indicators[4].params.threshold: 90 is outside (0, 1]"
        );
    }

    #[test]
    fn refuses_a_zero_step() {
        let mut scheme = municipal();
        scheme.monthly.as_mut().expect("monthly").indicators[6]
            .params
            .step = Some(dec!(0));
        assert_eq!(
            refusal(&scheme).to_string(),
            "monthly.indicators[6].params.step: 0 is outside (0, 1]"
        );
    }

    #[test]
    fn refuses_a_pass_mark_outside_0_to_100() {
        let mut scheme = municipal();
        scheme.monthly.as_mut().expect("monthly").pass_mark = dec!(101);
        assert_eq!(
            refusal(&scheme).to_string(),
            "monthly.pass_mark: 101 is outside 0–100"
        );
    }

    #[test]
    fn refuses_a_first_month_outside_1_to_12() {
        let mut scheme = municipal();
        scheme.service_year_first_month = 13;
        assert_eq!(
            refusal(&scheme).to_string(),
            "service_year_first_month: 13 is outside 1–12"
        );
    }

    #[test]
    fn refuses_version_zero() {
        let mut scheme = municipal();
        scheme.version = 0;
        assert_eq!(
            refusal(&scheme).to_string(),
            "version: 0 is outside 1 or more"
        );
    }

    #[test]
    fn refuses_an_empty_code() {
        let mut scheme = municipal();
        scheme.code = " ".into();
        assert_eq!(
            refusal(&scheme),
            SchemeError::Empty {
                path: "code".into()
            }
        );
    }

    #[test]
    fn refuses_tiers_not_descending() {
        let mut scheme = municipal();
        scheme.penalty_tiers[1].below = dec!(95);
        assert_eq!(
            refusal(&scheme),
            SchemeError::TiersNotDescending {
                path: "penalty_tiers[1].below".into(),
                value: dec!(95),
                previous: dec!(90)
            }
        );
    }

    #[test]
    fn refuses_tier_rates_that_do_not_grow() {
        let mut scheme = municipal();
        // < 80 would cost 5 %, no more than < 90.
        scheme.penalty_tiers[1].rate = dec!(0.05);
        assert_eq!(
            refusal(&scheme),
            SchemeError::TierRatesNotAscending {
                path: "penalty_tiers[1].rate".into(),
                value: dec!(0.05),
                previous: dec!(0.05)
            }
        );
    }

    #[test]
    fn refuses_a_tier_rate_outside_0_to_1() {
        let mut scheme = municipal();
        // 15 % written as 15.
        scheme.penalty_tiers[2].rate = dec!(15);
        assert_eq!(
            refusal(&scheme).to_string(),
            "penalty_tiers[2].rate: 15 is outside [0, 1]"
        );
    }

    #[test]
    fn refuses_blend_shares_not_summing_to_one() {
        let mut scheme = municipal();
        scheme.blend = Some(Blend {
            monthly_share: dec!(0.8),
            annual_share: dec!(0.3),
        });
        assert_eq!(
            refusal(&scheme),
            SchemeError::BlendSharesNotOne { sum: dec!(1.1) }
        );
    }

    #[test]
    fn refuses_a_blend_without_monthly_scorecard() {
        let mut scheme = municipal();
        scheme.monthly = None;
        assert_eq!(refusal(&scheme), SchemeError::BlendWithoutMonthly);
    }

    #[test]
    fn missing_parameters_take_the_standard_defaults() {
        let spec = IndicatorSpec {
            code: "A1".into(),
            weight: dec!(10),
            params: IndicatorParams::default(),
        };
        let resolved = spec.resolve("monthly.indicators[0]").expect("valid");
        assert_eq!(
            resolved.indicator,
            crate::scheme::Indicator::standard(IndicatorCode::A1)
        );
    }
}
