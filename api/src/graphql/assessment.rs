//! Scores as the API shows them: every indicator with its weight, score and
//! each deduction with its points, reason and the facts behind it. Scores,
//! points and amounts are shown rounded half-up to exactly 2 decimals ("82.00");
//! the engine keeps them exact, and each has an `…Exact` field beside it with
//! the unrounded value, for programs that add them up. Rates read as
//! percentages ("5 %").

use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::Utc;
use engine::{self, AnnualResult, Deduction, FactRef, IndicatorResult, Month, ScoreCard};
use rust_decimal::Decimal;

use super::nested::id;
use crate::error::{DomainError, DomainResult, GqlResult};
use crate::graphql::crud;
use jobs::assessment;
use jobs::runs::RunKind;

/// A score, points or an amount as shown: half-up, exactly 2 decimals.
pub(crate) fn shown(d: Decimal) -> Decimal {
    engine::two_dp(d)
}

/// The exact value of an `…Exact` field, without trailing zeros, so both
/// databases give the same text ("55286.4", "85.500788528", "92").
pub(crate) fn unrounded(d: Decimal) -> Decimal {
    d.normalize()
}

#[derive(SimpleObject)]
pub struct FactLink {
    /// e.g. `work_order`, `fault`: the fact's kind, as in the list of its type.
    pub kind: String,
    pub id: ID,
}

impl From<&FactRef> for FactLink {
    fn from(f: &FactRef) -> Self {
        Self {
            kind: f.kind.as_str().to_owned(),
            id: id(f.id),
        }
    }
}

#[derive(SimpleObject)]
pub struct ScoreDeduction {
    /// Points taken off, rounded half-up to 2 decimals ("0.49").
    pub points: Decimal,
    /// The exact points (e.g. 0.4924242424…), for programs that add them up.
    pub points_exact: Decimal,
    /// Why, in Chinese, naming the fact by its own title and time.
    pub reason: String,
    pub facts: Vec<FactLink>,
}

impl ScoreDeduction {
    pub(crate) fn new(points: Decimal, reason: String, facts: Vec<FactLink>) -> Self {
        Self {
            points: shown(points),
            points_exact: unrounded(points),
            reason,
            facts,
        }
    }
}

impl From<&Deduction> for ScoreDeduction {
    fn from(d: &Deduction) -> Self {
        Self::new(
            d.points,
            d.reason.clone(),
            d.facts.iter().map(FactLink::from).collect(),
        )
    }
}

#[derive(SimpleObject)]
pub struct IndicatorScore {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub weight: Decimal,
    /// Rounded half-up to 2 decimals.
    pub score: Decimal,
    /// The exact score.
    pub score_exact: Decimal,
    /// The sum of the deductions' points, before the floor at zero.
    pub deducted: Decimal,
    pub deducted_exact: Decimal,
    /// The part of `deducted` not applied because the score stops at zero (扣完为止).
    pub capped: Decimal,
    pub capped_exact: Decimal,
    pub deductions: Vec<ScoreDeduction>,
    pub warnings: Vec<String>,
}

/// An indicator's numbers, exact.
pub(crate) struct IndicatorNumbers {
    pub weight: Decimal,
    pub score: Decimal,
    pub deducted: Decimal,
    pub capped: Decimal,
}

impl IndicatorScore {
    pub(crate) fn new(
        code: String,
        (name_zh, name_en): (String, String),
        n: IndicatorNumbers,
        deductions: Vec<ScoreDeduction>,
        warnings: Vec<String>,
    ) -> Self {
        Self {
            code,
            name_zh,
            name_en,
            weight: shown(n.weight),
            score: shown(n.score),
            score_exact: unrounded(n.score),
            deducted: shown(n.deducted),
            deducted_exact: unrounded(n.deducted),
            capped: shown(n.capped),
            capped_exact: unrounded(n.capped),
            deductions,
            warnings,
        }
    }
}

impl From<&IndicatorResult> for IndicatorScore {
    fn from(i: &IndicatorResult) -> Self {
        Self::new(
            i.code.to_string(),
            (i.name.zh.to_string(), i.name.en.to_string()),
            IndicatorNumbers {
                weight: i.weight,
                score: i.score,
                deducted: i.deducted,
                capped: i.capped,
            },
            i.deductions.iter().map(ScoreDeduction::from).collect(),
            i.warnings.clone(),
        )
    }
}

#[derive(SimpleObject)]
pub struct Scorecard {
    pub scheme_code: String,
    pub scheme_version: u32,
    /// `2025-03`, or the service year `2025-07..2026-06`.
    pub period: String,
    /// The sum of the exact indicator scores, rounded half-up to 2 decimals
    /// (so it may differ by a cent from the sum of the rounded scores).
    pub total: Decimal,
    /// The exact total.
    pub total_exact: Decimal,
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
            total_exact: unrounded(c.total),
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
    pub total_exact: Decimal,
}

impl MonthTotal {
    pub(crate) fn new(period: String, total: Decimal) -> Self {
        Self {
            period,
            total: shown(total),
            total_exact: unrounded(total),
        }
    }
}

#[derive(SimpleObject)]
pub struct Penalty {
    /// The tier's threshold ("total below …"); null when no tier applies.
    pub tier_below: Option<Decimal>,
    /// The tier's rate as a percentage: "5 %" ("0 %" without a tier).
    pub rate: String,
    /// The rate as a fraction: 0.05.
    pub rate_exact: Decimal,
    pub settlement_amount: Option<Decimal>,
    pub settlement_amount_exact: Option<Decimal>,
    /// What is deducted: settlement × rate, rounded half-up to the fen; null
    /// without a contract's settlement.
    pub amount: Option<Decimal>,
    /// settlement × rate before rounding to the fen.
    pub amount_exact: Option<Decimal>,
}

impl Penalty {
    /// From the exact tier threshold, rate and settlement; `amount` is the
    /// engine's (already to the fen), shown with 2 decimals.
    pub(crate) fn new(
        tier_below: Option<Decimal>,
        rate: Decimal,
        settlement_amount: Option<Decimal>,
        amount: Option<Decimal>,
    ) -> Self {
        Self {
            tier_below: tier_below.map(shown),
            rate: engine::percent_text(rate),
            rate_exact: unrounded(rate),
            settlement_amount: settlement_amount.map(shown),
            settlement_amount_exact: settlement_amount.map(unrounded),
            amount: amount.map(shown),
            amount_exact: settlement_amount.map(|s| unrounded(s * rate)),
        }
    }
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
    pub monthly_mean_exact: Option<Decimal>,
    /// mean × monthly share (80 %).
    pub monthly_part: Option<Decimal>,
    pub monthly_part_exact: Option<Decimal>,
    /// annual total × annual share (20 %).
    pub annual_part: Option<Decimal>,
    pub annual_part_exact: Option<Decimal>,
    /// monthly part + annual part from the exact values, rounded half-up to 2
    /// decimals: it may differ by a cent from the sum of the rounded parts.
    pub total: Decimal,
    pub total_exact: Decimal,
    pub penalty: Penalty,
    pub warnings: Vec<String>,
    /// A preview of a service year that has not ended: months may still come in.
    pub provisional: bool,
}

impl From<&engine::Penalty> for Penalty {
    fn from(p: &engine::Penalty) -> Self {
        Self::new(
            p.tier.as_ref().map(|t| t.below),
            p.rate,
            p.settlement_amount,
            p.amount,
        )
    }
}

/// The months of the service year without a monthly result (`YYYY-MM`);
/// none for a scheme that does not blend.
pub(crate) fn months_without_result(r: &AnnualResult) -> Vec<String> {
    r.blend
        .as_ref()
        .map(|b| {
            b.months_without_result
                .iter()
                .map(Month::to_string)
                .collect()
        })
        .unwrap_or_default()
}

impl From<&AnnualResult> for AnnualScore {
    fn from(r: &AnnualResult) -> Self {
        let blend = r.blend.as_ref();
        let monthly_part = blend.map(|b| b.monthly_mean * b.monthly_share);
        let annual_part = blend.map(|b| b.annual_total * b.annual_share);
        Self {
            scheme_code: r.scheme_code.clone(),
            scheme_version: r.scheme_version,
            service_year: r.service_year.to_string(),
            annual: Scorecard::from(&r.annual),
            monthly_totals: blend
                .map(|b| {
                    b.monthly_totals
                        .iter()
                        .map(|m| MonthTotal::new(m.month.to_string(), m.total))
                        .collect()
                })
                .unwrap_or_default(),
            months_without_result: months_without_result(r),
            monthly_mean: blend.map(|b| shown(b.monthly_mean)),
            monthly_mean_exact: blend.map(|b| unrounded(b.monthly_mean)),
            monthly_part: monthly_part.map(shown),
            monthly_part_exact: monthly_part.map(unrounded),
            annual_part: annual_part.map(shown),
            annual_part_exact: annual_part.map(unrounded),
            total: shown(r.total),
            total_exact: unrounded(r.total),
            penalty: Penalty::from(&r.penalty),
            warnings: r.warnings.clone(),
            provisional: false,
        }
    }
}

fn month_of(period: &str) -> DomainResult<Month> {
    match domain::period::Period::parse(period) {
        Ok(domain::period::Period::Month { year, month }) => {
            Month::new(year, month).map_err(|e| DomainError::bad("period", e.to_string()))
        }
        _ => Err(DomainError::bad(
            "period",
            format!("\"{period}\" is not a month YYYY-MM"),
        )),
    }
}

/// Policy: a vendor previewing a period the supervision team has not published
/// sees a provisional score: the published result is the one that counts.
async fn unpublished_for_vendor(
    state: &crate::state::AppState,
    actor: &domain::actor::Actor,
    subject: &assessment::Subject,
    kind: RunKind,
    period: &str,
) -> DomainResult<bool> {
    if !matches!(actor.role, domain::actor::Role::Vendor { .. }) {
        return Ok(false);
    }
    let published = domain::assessments::latest_published(
        &state.db,
        subject.region.id,
        subject.vendor_id,
        kind,
        period,
    )
    .await?;
    Ok(published.is_none())
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
                &state.db,
                actor,
                crud::parse_id("regionId", &region_id)?,
                crud::parse_id("vendorId", &vendor_id)?,
            )
            .await?;
            let _db = domain::db_share::permit().await;
            let card = assessment::month(&state.db, &subject, month).await?;
            let provisional = assessment::provisional(card.period, Utc::now())
                || unpublished_for_vendor(state, actor, &subject, RunKind::Monthly, &period)
                    .await?;
            Ok(Scorecard {
                provisional,
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
                return Err(DomainError::bad("serviceYear", "must be from 2000 to 2100"));
            }
            let subject = assessment::subject(
                &state.db,
                actor,
                crud::parse_id("regionId", &region_id)?,
                crud::parse_id("vendorId", &vendor_id)?,
            )
            .await?;
            let _db = domain::db_share::permit().await;
            let result = assessment::year(&state.db, &subject, service_year).await?;
            let year = service_year.to_string();
            let provisional =
                assessment::provisional(
                    engine::Period::ServiceYear(result.service_year),
                    Utc::now(),
                ) || unpublished_for_vendor(state, actor, &subject, RunKind::Annual, &year).await?;
            Ok(AnnualScore {
                provisional,
                ..AnnualScore::from(&result)
            })
        }
        .await
        .gql()
    }
}
