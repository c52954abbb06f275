//! The year: the annual scorecard over the service year, blended with the monthly
//! results when the scheme says so, and the penalty it costs.

use std::collections::BTreeSet;

use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde::{Deserialize, Serialize};

use super::assess_scorecard;
use super::error::EngineError;
use super::facts::VendorFacts;
use super::penalty::{Penalty, penalty};
use super::period::{Month, Period, ServiceYear};
use super::result::ScoreCard;
use super::shown::percent_text as percent;
use crate::calendar::WorkCalendar;
use crate::scheme::{Blend, Scheme};

/// The result of a service year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnualResult {
    pub scheme_code: String,
    pub scheme_version: u32,
    pub service_year: ServiceYear,
    /// The annual scorecard (its own warnings are in `annual.warnings`).
    pub annual: ScoreCard,
    /// How the monthly results were blended in; `None` when the scheme does not.
    pub blend: Option<Blended>,
    /// The year's total, exact.
    pub total: Decimal,
    pub penalty: Penalty,
    /// Warnings about the year as a whole (months without a result, no settlement
    /// amount, monthly results given to a scheme that does not use them).
    pub warnings: Vec<String>,
}

/// A monthly total as given by the caller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthlyTotal {
    pub month: Month,
    pub total: Decimal,
}

/// `total = monthly_mean × monthly_share + annual_total × annual_share`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Blended {
    /// The months with a result, in order.
    pub monthly_totals: Vec<MonthlyTotal>,
    /// Months of the service year without a result (not in the mean).
    pub months_without_result: Vec<Month>,
    pub monthly_mean: Decimal,
    pub monthly_share: Decimal,
    pub annual_total: Decimal,
    pub annual_share: Decimal,
}

impl Blended {
    pub fn total(&self) -> Decimal {
        self.monthly_mean * self.monthly_share + self.annual_total * self.annual_share
    }
}

/// Assesses the service year: the annual scorecard, the blend with the monthly
/// totals (the months of the service year that have a result, as the caller
/// passes them; spec Decision) and the penalty on `settlement_amount`.
pub fn assess_year(
    scheme: &Scheme,
    calendar: &WorkCalendar,
    facts: &VendorFacts,
    service_year: ServiceYear,
    monthly_totals: &[(Month, Decimal)],
    settlement_amount: Option<Decimal>,
) -> Result<AnnualResult, EngineError> {
    let annual = assess_scorecard(scheme, calendar, facts, Period::ServiceYear(service_year))?;
    let mut warnings = Vec::new();
    let blend = match &scheme.blend {
        Some(shares) => Some(blend(shares, service_year, monthly_totals, annual.total)?),
        None => {
            if !monthly_totals.is_empty() {
                warnings.push(format!(
                    "方案 {} 不计月度考核结果，所给的 {} 个月度得分不参与计算",
                    scheme.code,
                    monthly_totals.len()
                ));
            }
            None
        }
    };
    if let Some(b) = blend
        .as_ref()
        .filter(|b| !b.months_without_result.is_empty())
    {
        let missing: Vec<String> = b
            .months_without_result
            .iter()
            .map(Month::to_string)
            .collect();
        warnings.push(format!(
            "{} 没有已发布的月度考核结果，月度平均分按其余 {} 个月计算",
            missing.join("、"),
            b.monthly_totals.len()
        ));
    }
    let total = blend.as_ref().map_or(annual.total, Blended::total);
    let penalty = penalty(&scheme.penalty_tiers, total, settlement_amount)?;
    if settlement_amount.is_none() {
        warnings.push(format!(
            "未提供结算金额：扣减比例为 {}，扣减金额无法计算",
            percent(penalty.rate)
        ));
    }
    Ok(AnnualResult {
        scheme_code: scheme.code.clone(),
        scheme_version: scheme.version,
        service_year,
        annual,
        blend,
        total,
        penalty,
        warnings,
    })
}

/// Checks the monthly totals (inside the service year, once each, 0–100) and
/// blends their mean with the annual scorecard's total. No monthly result at all
/// is an error, not a zero: a year with no monthly assessment has no total.
fn blend(
    shares: &Blend,
    service_year: ServiceYear,
    monthly_totals: &[(Month, Decimal)],
    annual_total: Decimal,
) -> Result<Blended, EngineError> {
    let mut seen = BTreeSet::new();
    for &(month, total) in monthly_totals {
        if !service_year.contains_month(month) {
            return Err(EngineError::MonthOutsideServiceYear {
                month,
                service_year,
            });
        }
        if !seen.insert(month) {
            return Err(EngineError::DuplicateMonth { month });
        }
        if total < Decimal::ZERO || total > dec!(100) {
            return Err(EngineError::MonthlyTotalOutOfRange { month, total });
        }
    }
    if monthly_totals.is_empty() {
        return Err(EngineError::NoMonthlyResults { service_year });
    }
    let mut ordered: Vec<MonthlyTotal> = monthly_totals
        .iter()
        .map(|&(month, total)| MonthlyTotal { month, total })
        .collect();
    ordered.sort_by_key(|m| m.month);
    let sum: Decimal = ordered.iter().map(|m| m.total).sum();
    let monthly_mean = sum / Decimal::from(ordered.len());
    Ok(Blended {
        months_without_result: service_year
            .months()
            .filter(|m| !seen.contains(m))
            .collect(),
        monthly_totals: ordered,
        monthly_mean,
        monthly_share: shares.monthly_share,
        annual_total,
        annual_share: shares.annual_share,
    })
}
