//! Scores as the API shows them: every indicator with its weight, score and
//! each deduction with its points, reason and the facts behind it. Scores are
//! shown rounded half-up to 2 decimals (the engine keeps them exact).

use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::Utc;
use jobs::engine::{self, AnnualResult, Deduction, FactRef, IndicatorResult, Month, ScoreCard};
use rust_decimal::Decimal;

use super::nested::id;
use crate::assessment;
use crate::crud;
use crate::error::{AppError, AppResult, GqlResult};

fn shown(d: Decimal) -> Decimal {
    engine::round_half_up_2dp(d)
}

#[derive(SimpleObject)]
pub struct FactLink {
    /// e.g. `work_order`, `fault`: the fact's kind, as in the list of its type.
    pub kind: String,
    pub id: ID,
}

impl From<&FactRef> for FactLink {
    fn from(f: &FactRef) -> Self {
        let kind = serde_json::to_value(f.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        Self { kind, id: id(f.id) }
    }
}

#[derive(SimpleObject)]
pub struct ScoreDeduction {
    pub points: Decimal,
    pub reason: String,
    pub facts: Vec<FactLink>,
}

impl From<&Deduction> for ScoreDeduction {
    fn from(d: &Deduction) -> Self {
        Self {
            points: shown(d.points),
            reason: d.reason.clone(),
            facts: d.facts.iter().map(FactLink::from).collect(),
        }
    }
}

#[derive(SimpleObject)]
pub struct IndicatorScore {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub weight: Decimal,
    pub score: Decimal,
    /// The sum of the deductions' points, before the floor at zero.
    pub deducted: Decimal,
    /// The part of `deducted` not applied because the score stops at zero (扣完为止).
    pub capped: Decimal,
    pub deductions: Vec<ScoreDeduction>,
    pub warnings: Vec<String>,
}

impl From<&IndicatorResult> for IndicatorScore {
    fn from(i: &IndicatorResult) -> Self {
        Self {
            code: i.code.to_string(),
            name_zh: i.name.zh.to_owned(),
            name_en: i.name.en.to_owned(),
            weight: shown(i.weight),
            score: shown(i.score),
            deducted: shown(i.deducted),
            capped: shown(i.capped),
            deductions: i.deductions.iter().map(ScoreDeduction::from).collect(),
            warnings: i.warnings.clone(),
        }
    }
}

#[derive(SimpleObject)]
pub struct Scorecard {
    pub scheme_code: String,
    pub scheme_version: u32,
    /// `2025-03`, or the service year `2025-07..2026-06`.
    pub period: String,
    pub total: Decimal,
    pub pass_mark: Decimal,
    pub passed: bool,
    pub indicators: Vec<IndicatorScore>,
    pub warnings: Vec<String>,
    /// A preview of a period that has not ended: facts may still change it.
    pub provisional: bool,
}

impl From<&ScoreCard> for Scorecard {
    fn from(c: &ScoreCard) -> Self {
        let period = match c.period {
            engine::Period::Month(m) => m.to_string(),
            engine::Period::ServiceYear(y) => y.to_string(),
        };
        Self {
            scheme_code: c.scheme_code.clone(),
            scheme_version: c.scheme_version,
            period,
            total: shown(c.total),
            pass_mark: shown(c.pass_mark),
            passed: c.passed,
            indicators: c.indicators.iter().map(IndicatorScore::from).collect(),
            warnings: c.warnings.clone(),
            provisional: false,
        }
    }
}

#[derive(SimpleObject)]
pub struct MonthTotal {
    pub period: String,
    pub total: Decimal,
}

#[derive(SimpleObject)]
pub struct Penalty {
    /// The tier's threshold ("total below …"); null when no tier applies.
    pub tier_below: Option<Decimal>,
    pub rate: Decimal,
    pub settlement_amount: Option<Decimal>,
    /// settlement × rate, to the fen; null without a contract's settlement.
    pub amount: Option<Decimal>,
}

#[derive(SimpleObject)]
pub struct AnnualScore {
    pub scheme_code: String,
    pub scheme_version: u32,
    pub service_year: String,
    /// The annual scorecard (H1, I1, J1, J2 for the municipal scheme).
    pub annual: Scorecard,
    /// The monthly totals blended in (empty when the scheme does not blend).
    pub monthly_totals: Vec<MonthTotal>,
    pub months_without_result: Vec<String>,
    pub monthly_mean: Option<Decimal>,
    /// mean × monthly share (80 %).
    pub monthly_part: Option<Decimal>,
    /// annual total × annual share (20 %).
    pub annual_part: Option<Decimal>,
    pub total: Decimal,
    pub penalty: Penalty,
    pub warnings: Vec<String>,
    /// A preview of a service year that has not ended: months may still come in.
    pub provisional: bool,
}

impl From<&AnnualResult> for AnnualScore {
    fn from(r: &AnnualResult) -> Self {
        let blend = r.blend.as_ref();
        Self {
            scheme_code: r.scheme_code.clone(),
            scheme_version: r.scheme_version,
            service_year: r.service_year.to_string(),
            annual: Scorecard::from(&r.annual),
            monthly_totals: blend
                .map(|b| {
                    b.monthly_totals
                        .iter()
                        .map(|m| MonthTotal {
                            period: m.month.to_string(),
                            total: shown(m.total),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            months_without_result: blend
                .map(|b| {
                    b.months_without_result
                        .iter()
                        .map(Month::to_string)
                        .collect()
                })
                .unwrap_or_default(),
            monthly_mean: blend.map(|b| shown(b.monthly_mean)),
            monthly_part: blend.map(|b| shown(b.monthly_mean * b.monthly_share)),
            annual_part: blend.map(|b| shown(b.annual_total * b.annual_share)),
            total: shown(r.total),
            penalty: Penalty {
                tier_below: r.penalty.tier.as_ref().map(|t| t.below),
                rate: r.penalty.rate,
                settlement_amount: r.penalty.settlement_amount,
                amount: r.penalty.amount,
            },
            warnings: r.warnings.clone(),
            provisional: false,
        }
    }
}

fn month_of(period: &str) -> AppResult<Month> {
    match crate::period::Period::parse(period) {
        Ok(crate::period::Period::Month { year, month }) => {
            Month::new(year, month).map_err(|e| AppError::bad("period", e.to_string()))
        }
        _ => Err(AppError::bad(
            "period",
            format!("\"{period}\" is not a month YYYY-MM"),
        )),
    }
}

#[derive(Default)]
pub struct AssessmentQuery;

#[Object]
impl AssessmentQuery {
    /// A vendor's monthly score in a region computed now from the recorded facts
    /// (nothing is stored), with every deduction and its cause.
    async fn preview_monthly_score(
        &self,
        ctx: &Context<'_>,
        vendor_id: ID,
        region_id: ID,
        period: String,
    ) -> async_graphql::Result<Scorecard> {
        async {
            let (state, actor) = crud::env(ctx)?;
            let month = month_of(&period)?;
            let subject = assessment::subject(
                state,
                actor,
                crud::parse_id("regionId", &region_id)?,
                crud::parse_id("vendorId", &vendor_id)?,
            )
            .await?;
            let card = assessment::month(&state.db, &subject, month).await?;
            Ok(Scorecard {
                provisional: assessment::provisional(card.period, Utc::now()),
                ..Scorecard::from(&card)
            })
        }
        .await
        .gql()
    }

    /// A vendor's result for a service year (named by the calendar year it starts
    /// in): the annual scorecard, the published monthly results blended in (as
    /// the annual run blends them; `monthsWithoutResult` names the others), the
    /// total, the penalty tier and amount. Nothing is stored.
    async fn preview_annual_score(
        &self,
        ctx: &Context<'_>,
        vendor_id: ID,
        region_id: ID,
        service_year: i32,
    ) -> async_graphql::Result<AnnualScore> {
        async {
            let (state, actor) = crud::env(ctx)?;
            if !(2000..=2100).contains(&service_year) {
                return Err(AppError::bad("serviceYear", "must be from 2000 to 2100"));
            }
            let subject = assessment::subject(
                state,
                actor,
                crud::parse_id("regionId", &region_id)?,
                crud::parse_id("vendorId", &vendor_id)?,
            )
            .await?;
            let result = assessment::year(&state.db, &subject, service_year).await?;
            Ok(AnnualScore {
                provisional: assessment::provisional(
                    engine::Period::ServiceYear(result.service_year),
                    Utc::now(),
                ),
                ..AnnualScore::from(&result)
            })
        }
        .await
        .gql()
    }
}
