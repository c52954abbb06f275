//! H1 satisfaction from the questionnaire of annex 2: Q1–Q9 answered 4/3/2/1/0,
//! Q10 (overall) 8/6/4/2/0; a response's satisfaction is its total / 44.

use rust_decimal::Decimal;

use crate::error::EngineError;
use crate::facts::{Fact, SurveyResponse};
use crate::rate::shortfall;
use crate::result::Findings;
use crate::scheme::Threshold;
use crate::shown::percent_text;

use super::Context;

/// The highest total of one response: 9 × 4 + 8.
pub const MAX_POINTS: u32 = 44;

/// The total of a response, or an error naming the first invalid answer.
pub fn response_total(response: &SurveyResponse) -> Result<u32, EngineError> {
    let mut total = 0;
    for (index, &answer) in response.answers.iter().enumerate() {
        let question = index + 1;
        let (valid, allowed) = if question < 10 {
            (answer <= 4, "0, 1, 2, 3, 4")
        } else {
            (answer <= 8 && answer % 2 == 0, "0, 2, 4, 6, 8")
        };
        if !valid {
            return Err(EngineError::InvalidSurveyAnswer {
                id: response.id,
                question,
                value: answer,
                allowed,
            });
        }
        total += u32::from(answer);
    }
    Ok(total)
}

/// H1: the vendor's satisfaction is the mean of its responses' total / 44, i.e.
/// Σ totals / (44 × responses); full at or above the threshold.
///
/// Decision: with no response the indicator is scored in full with a warning,
/// as B1 is without an attendance record — the survey is the supervisor's to
/// conduct, and a missing survey is not evidence of a dissatisfied agency.
pub fn satisfaction(
    rule: &Threshold,
    weight: Decimal,
    ctx: &Context<'_>,
) -> Result<Findings, EngineError> {
    let mut findings = Findings::default();
    let responses = &ctx.facts.survey_responses;
    let totals = responses
        .iter()
        .map(response_total)
        .collect::<Result<Vec<u32>, _>>()?;
    if totals.is_empty() {
        findings.warn(format!(
            "{} 没有满意度调查问卷，H1 按满分计（调查由监管方组织）",
            ctx.period
        ));
        return Ok(findings);
    }
    let points: u32 = totals.iter().sum();
    let possible = MAX_POINTS as usize * totals.len();
    let rate = Decimal::from(points) / Decimal::from(possible);
    if let Some(short) = shortfall(rate, rule, weight, ctx.partial_steps) {
        findings.deduct(
            short.points,
            format!(
                "满意率 {}（{} 份问卷平均：共得 {points} 分，满分 {possible} 分），{}",
                percent_text(rate),
                totals.len(),
                short.explain(rule, weight)
            ),
            responses.iter().map(Fact::fact_ref).collect(),
        );
    }
    Ok(findings)
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;
    use crate::facts::VendorFacts;
    use crate::scheme::IndicatorCode::H1;
    use crate::testing::*;

    fn surveys(answers: &[[u8; 10]]) -> VendorFacts {
        VendorFacts {
            survey_responses: answers
                .iter()
                .zip(1..)
                .map(|(a, id)| survey(id, *a))
                .collect(),
            ..VendorFacts::default()
        }
    }

    const ALL_BEST: [u8; 10] = [4, 4, 4, 4, 4, 4, 4, 4, 4, 8]; // 44
    const TOTAL_40: [u8; 10] = [4, 4, 4, 4, 4, 4, 4, 4, 4, 4]; // 36 + 4
    const TOTAL_36: [u8; 10] = [4, 4, 4, 4, 4, 4, 4, 4, 4, 0]; // 36 + 0
    const TOTAL_34: [u8; 10] = [4, 4, 4, 4, 3, 3, 2, 2, 2, 6]; // 28 + 6
    const TOTAL_33: [u8; 10] = [3, 3, 3, 3, 3, 3, 3, 3, 3, 6]; // 27 + 6

    fn year() -> crate::period::Period {
        service_year(1, 2025)
    }

    #[test]
    fn h1_response_total_is_out_of_44() {
        assert_eq!(response_total(&survey(1, ALL_BEST)), Ok(44));
        assert_eq!(response_total(&survey(1, TOTAL_34)), Ok(34));
    }

    #[test]
    fn h1_at_or_above_90_percent_scores_in_full() {
        // (44 + 36) / 88 = 90.9 % → 30.
        assert_eq!(
            score(H1, &surveys(&[ALL_BEST, TOTAL_36]), year()).score,
            dec!(30)
        );
    }

    #[test]
    fn h1_mean_of_85_percent_loses_three() {
        // (44 + 40 + 36 + 34 + 33) / (5 × 44) = 187 / 220 = 85 %:
        // 5 steps × 2 % × 30 = 3 → 27.
        let r = score(
            H1,
            &surveys(&[ALL_BEST, TOTAL_40, TOTAL_36, TOTAL_34, TOTAL_33]),
            year(),
        );
        assert_eq!(r.score, dec!(27));
        assert_eq!(
            r.deductions[0].reason,
            // (90 − 85) / 1 = 5 steps × 2 % × 30 = 3.
            "满意率 85 %（5 份问卷平均：共得 187 分，满分 220 分），低于 90 % 共 5 档（每档 1 %），每档扣权重 30.00 分的 2 %：扣 3.00 分"
        );
        assert_eq!(r.deductions[0].facts.len(), 5);
    }

    #[test]
    fn h1_one_response_of_75_percent_loses_nine() {
        // 33 / 44 = 75 %: 15 steps × 0.6 = 9 → 21.
        assert_eq!(score(H1, &surveys(&[TOTAL_33]), year()).score, dec!(21));
    }

    #[test]
    fn h1_caps_at_zero() {
        // 0 %: 90 steps × 0.6 = 54 > 30 → 0, 24 capped.
        let r = score(H1, &surveys(&[[0; 10]]), year());
        assert_eq!(
            (r.score, r.deducted, r.capped),
            (dec!(0), dec!(54), dec!(24))
        );
    }

    #[test]
    fn h1_no_response_scores_in_full_with_a_warning() {
        let r = score(H1, &VendorFacts::default(), year());
        assert_eq!(r.score, dec!(30));
        assert_eq!(r.warnings.len(), 1);
    }

    #[test]
    fn h1_an_invalid_answer_is_refused_naming_the_question() {
        let mut answers = ALL_BEST;
        answers[9] = 5;
        let err = try_score(H1, &surveys(&[answers]), year()).expect_err("invalid");
        assert_eq!(
            err.to_string(),
            "survey response 1: Q10 answer 5 is invalid (allowed: 0, 2, 4, 6, 8)"
        );
        let mut answers = ALL_BEST;
        answers[2] = 6;
        let err = try_score(H1, &surveys(&[answers]), year()).expect_err("invalid");
        assert_eq!(
            err.to_string(),
            "survey response 1: Q3 answer 6 is invalid (allowed: 0, 1, 2, 3, 4)"
        );
    }
}
