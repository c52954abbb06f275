//! The built-in schemes, with every parameter written out (see
//! [`IndicatorSpec::standard`]).

use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::{
    Blend, ByLevel, Indicator, IndicatorCode, IndicatorSpec, PartialSteps, PenaltyTier, PerEvent,
    Scheme, Scorecard,
};
use IndicatorCode::*;

/// The tiers of annex 2 (and of the Songjiang table): < 90 → 5 %, < 80 → 10 %,
/// < 70 → 15 % of the year's settlement.
fn shanghai_penalty_tiers() -> Vec<PenaltyTier> {
    [
        (dec!(90), dec!(0.05)),
        (dec!(80), dec!(0.10)),
        (dec!(70), dec!(0.15)),
    ]
    .into_iter()
    .map(|(below, rate)| PenaltyTier { below, rate })
    .collect()
}

fn scorecard(indicators: Vec<IndicatorSpec>) -> Scorecard {
    Scorecard {
        pass_mark: dec!(90),
        indicators,
    }
}

fn standard(entries: &[(IndicatorCode, Decimal)]) -> Vec<IndicatorSpec> {
    entries
        .iter()
        .map(|&(code, weight)| IndicatorSpec::standard(code, weight))
        .collect()
}

/// Shanghai municipal scheme (annex 2; spec §1–2): monthly A1–G1, annual H1–J2,
/// year = 80 % monthly mean + 20 % annual, calendar service year.
pub(super) fn sh_municipal() -> Scheme {
    Scheme {
        code: "sh-municipal".into(),
        version: 1,
        name: "上海市政务云服务商服务考核标准（试行） Shanghai municipal cloud-vendor assessment"
            .into(),
        service_year_first_month: 1,
        monthly: Some(scorecard(standard(&[
            (A1, dec!(10)),
            (A2, dec!(5)),
            (A3, dec!(5)),
            (A4, dec!(5)),
            (B1, dec!(10)),
            (C1, dec!(10)),
            (D1, dec!(10)),
            (E1, dec!(10)),
            (E2, dec!(10)),
            (E3, dec!(5)),
            (E4, dec!(5)),
            (F1, dec!(5)),
            (F2, dec!(5)),
            (G1, dec!(5)),
        ]))),
        annual: scorecard(standard(&[
            (H1, dec!(30)),
            (I1, dec!(20)),
            (J1, dec!(20)),
            (J2, dec!(30)),
        ])),
        blend: Some(Blend {
            monthly_share: dec!(0.8),
            annual_share: dec!(0.2),
        }),
        penalty_tiers: shanghai_penalty_tiers(),
        partial_steps: PartialSteps::Proportional,
    }
}

/// Songjiang district scheme (松江区云服务商绩效考核表; spec §4): one annual
/// scorecard over a July–June service year, no monthly blend.
pub(super) fn sh_songjiang() -> Scheme {
    let flat = |points: Decimal, levels: usize| ByLevel {
        deductions: vec![points; levels],
    };
    Scheme {
        code: "sh-songjiang".into(),
        version: 1,
        name: "松江区云服务商绩效考核表 Songjiang district cloud-vendor assessment".into(),
        service_year_first_month: 7,
        monthly: None,
        annual: scorecard(vec![
            // −1 per task not finished as planned (as the municipal A3).
            IndicatorSpec::standard(A3, dec!(5)),
            // −5 per liable complaint (as the municipal C1).
            IndicatorSpec::standard(C1, dec!(10)),
            // −3 per liable fault whatever its level.
            IndicatorSpec::with(&Indicator::E1(flat(dec!(3), super::FAULT_LEVELS)), dec!(10)),
            // −5 per misreported or concealed fault.
            IndicatorSpec::with(&Indicator::E4(PerEvent { deduction: dec!(5) }), dec!(5)),
            // −5 per security-liability accident whatever its level.
            IndicatorSpec::with(
                &Indicator::J2(flat(dec!(5), super::ACCIDENT_LEVELS)),
                dec!(20),
            ),
            // ≥ 90 % full; −2 % of 50 = 1 point per 1 % below (as the municipal H1).
            IndicatorSpec::standard(H1, dec!(50)),
        ]),
        blend: None,
        penalty_tiers: shanghai_penalty_tiers(),
        partial_steps: PartialSteps::Proportional,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheme::SchemeError;

    #[test]
    fn builtin_schemes_round_trip_through_json() {
        for scheme in Scheme::builtin() {
            let json = scheme.to_json().expect("serialises");
            assert_eq!(Scheme::from_json(&json), Ok(scheme));
        }
    }

    #[test]
    fn a_minimal_document_takes_the_standard_parameters() {
        // Only codes and weights: every parameter comes from annex 2.
        let json = r#"{
            "code": "x-district", "version": 1, "name": "X",
            "service_year_first_month": 1,
            "annual": { "indicators": [
                { "code": "C1", "weight": "40" },
                { "code": "H1", "weight": "60" }
            ]}
        }"#;
        let scheme = Scheme::from_json(json).expect("valid");
        let resolved = scheme
            .annual
            .resolve(crate::scheme::ScorecardKind::Annual)
            .expect("valid");
        assert_eq!(resolved[0].indicator, Indicator::standard(C1));
        assert_eq!(resolved[1].indicator, Indicator::standard(H1));
        assert_eq!(scheme.annual.pass_mark, dec!(90));
    }

    #[test]
    fn decimals_may_be_written_as_strings_or_numbers() {
        let json = r#"{ "code": "x", "version": 1, "name": "X", "service_year_first_month": 1,
            "annual": { "indicators": [ { "code": "C1", "weight": 100, "params": { "deduction": 2.5 } } ] } }"#;
        let scheme = Scheme::from_json(json).expect("valid");
        assert_eq!(
            scheme.annual.indicators[0].params.deduction,
            Some(dec!(2.5))
        );
    }

    #[test]
    fn from_json_refuses_an_unknown_field() {
        let json = r#"{ "code": "x", "version": 1, "name": "X", "service_year_first_month": 1,
            "annual": { "indicators": [ { "code": "C1", "weight": "100", "wieght": "1" } ] } }"#;
        assert!(
            matches!(Scheme::from_json(json), Err(SchemeError::Json(m)) if m.contains("wieght"))
        );
    }

    #[test]
    fn from_json_validates_after_parsing() {
        let json = r#"{ "code": "x", "version": 1, "name": "X", "service_year_first_month": 1,
            "annual": { "indicators": [ { "code": "Z9", "weight": "100" } ] } }"#;
        assert_eq!(
            Scheme::from_json(json),
            Err(SchemeError::UnknownIndicator {
                path: "annual.indicators[0].code".into(),
                code: "Z9".into()
            })
        );
    }
}
