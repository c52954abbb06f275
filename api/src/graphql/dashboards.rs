//! Dashboards (issue 4, item 4): for a region and a period, the vendors ranked by
//! total with their indicator breakdown, one vendor's monthly trend over a year,
//! satisfaction per vendor and service year, the annual results with the 80/20
//! parts and the penalty, and the open and overdue notices per vendor.
//!
//! Supervisors of the region and administrators see every vendor and the latest
//! revision of each result, drafts included (flagged `published`); a vendor sees
//! the same views for itself only, and only published results; agencies have no
//! dashboards. Every resolver runs a fixed number of SQL statements whatever the
//! number of vendors: the latest revision of each result of the region and
//! period in one query (chosen in SQL), the documents not yet kept parsed in one
//! `IN (…)` query, and the vendors' names in one `IN (…)` query. A monthly
//! result's scorecard is resolved once per query shape (`scorecard_cache`). The
//! reads the console shares (the ranking, the notice counts, who reaches what)
//! are `domain::dashboards`.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use async_graphql::{ComplexObject, Context, ID, Object, SimpleObject};
use engine::{AnnualResult, two_dp};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::assessment::{Penalty, Scorecard, months_without_result, unrounded};
use super::nested::id;
use super::scorecard_cache::{RowKey, StoredScorecard};
use super::vendors::Vendor;
use crate::error::{DomainError, DomainResult, GqlResult};
use crate::graphql::crud;
use domain::access::{self, Policy, Scope};
use domain::assessments::StoredResult;
use domain::dashboards::{
    self, no_agencies, ranked, reach, reach_of, require_region, results, vendors,
};
use domain::result_cache::ResultHead;
use jobs::runs::RunKind;

/// The highest total of one survey response: Q1–Q9 at 4 and Q10 at 8 (spec §2).
const SURVEY_MAX_POINTS: i64 = 44;

fn check_year(field: &str, year: i32) -> DomainResult<()> {
    if (2000..=2100).contains(&year) {
        Ok(())
    } else {
        Err(DomainError::bad(field, "must be from 2000 to 2100"))
    }
}

fn vendor_of(
    names: &HashMap<i64, entities::vendor::Model>,
    vendor_id: i64,
) -> DomainResult<Vendor> {
    names
        .get(&vendor_id)
        .cloned()
        .ok_or_else(|| {
            DomainError::Internal(format!("vendor {vendor_id} of a stored row is missing").into())
        })
        .and_then(Vendor::try_from)
}

#[derive(SimpleObject)]
#[graphql(complex)]
pub struct RankedResult {
    /// 1 for the best total; equal totals share a rank. Null for a vendor, who
    /// sees nothing of the others.
    pub rank: Option<i32>,
    pub vendor: Vendor,
    pub result_id: ID,
    pub revision: i32,
    /// Shown rounded half-up to exactly 2 decimals (ranked by the exact total).
    pub total: Decimal,
    pub total_exact: Decimal,
    pub passed: bool,
    /// False for a draft (only supervisors and administrators see drafts).
    pub published: bool,
    #[graphql(skip)]
    pub stored: Arc<StoredResult>,
    #[graphql(skip)]
    pub row: Option<RowKey>,
}

#[ComplexObject]
impl RankedResult {
    /// The indicator breakdown, with every deduction and its cause.
    async fn scorecard(&self) -> StoredScorecard {
        StoredScorecard {
            stored: self.stored.clone(),
            row: self.row,
        }
    }
}

#[derive(SimpleObject)]
pub struct TrendPoint {
    /// `YYYY-MM`.
    pub period: String,
    /// The month's total shown rounded half-up to exactly 2 decimals; null
    /// without a result (for a vendor: without a published one).
    pub total: Option<Decimal>,
    pub total_exact: Option<Decimal>,
    pub passed: Option<bool>,
    pub published: Option<bool>,
    pub revision: Option<i32>,
}

#[derive(SimpleObject)]
pub struct VendorSatisfaction {
    pub vendor: Vendor,
    pub responses: i32,
    /// Mean over the responses of (Q1 + … + Q10) / 44 × 100, shown rounded
    /// half-up to exactly 2 decimals.
    pub percent: Decimal,
    pub percent_exact: Decimal,
}

#[derive(SimpleObject)]
#[graphql(complex)]
pub struct AnnualStanding {
    pub vendor: Vendor,
    pub result_id: ID,
    pub revision: i32,
    pub published: bool,
    /// No penalty tier applies.
    pub passed: bool,
    /// The year's total: monthly part + annual part (or the annual scorecard's
    /// total for a scheme without a blend).
    /// Computed from the exact parts, then rounded: it may differ by a cent
    /// from the sum of the rounded parts.
    pub total: Decimal,
    pub total_exact: Decimal,
    /// The mean of the monthly totals blended in; null without a blend.
    pub monthly_mean: Option<Decimal>,
    pub monthly_mean_exact: Option<Decimal>,
    /// mean × monthly share (80 %).
    pub monthly_part: Option<Decimal>,
    pub monthly_part_exact: Option<Decimal>,
    /// The annual scorecard's total.
    pub annual_total: Decimal,
    pub annual_total_exact: Decimal,
    /// annual total × annual share (20 %); null without a blend.
    pub annual_part: Option<Decimal>,
    pub annual_part_exact: Option<Decimal>,
    pub months_without_result: Vec<String>,
    /// The tier (threshold, rate) and the amount on the year's settlement.
    pub penalty: Penalty,
    #[graphql(skip)]
    pub year: AnnualResult,
}

#[ComplexObject]
impl AnnualStanding {
    /// The annual scorecard (H1, I1, J1, J2 for the municipal scheme).
    async fn scorecard(&self) -> Scorecard {
        Scorecard::from(&self.year.annual)
    }
}

impl AnnualStanding {
    fn new(r: ResultHead, year: AnnualResult, total: Decimal, vendor: Vendor) -> Self {
        let blend = year.blend.as_ref();
        let monthly_mean = blend.map(|b| b.monthly_mean);
        let monthly_part = blend.map(|b| b.monthly_mean * b.monthly_share);
        let annual_total = year.annual.total;
        let annual_part = blend.map(|b| b.annual_total * b.annual_share);
        Self {
            vendor,
            result_id: id(r.id),
            revision: r.revision,
            published: r.published,
            passed: r.passed,
            total: two_dp(total),
            total_exact: unrounded(total),
            monthly_mean: monthly_mean.map(two_dp),
            monthly_mean_exact: monthly_mean.map(unrounded),
            monthly_part: monthly_part.map(two_dp),
            monthly_part_exact: monthly_part.map(unrounded),
            annual_total: two_dp(annual_total),
            annual_total_exact: unrounded(annual_total),
            annual_part: annual_part.map(two_dp),
            annual_part_exact: annual_part.map(unrounded),
            months_without_result: months_without_result(&year),
            penalty: Penalty::from(&year.penalty),
            year,
        }
    }
}

#[derive(SimpleObject)]
pub struct NoticeCount {
    pub region_id: ID,
    pub vendor: Vendor,
    /// Notices not yet accepted.
    pub open: i32,
    /// Open notices past their deadline (Asia/Shanghai).
    pub overdue: i32,
}

#[derive(Default)]
pub struct DashboardQuery;

#[Object]
impl DashboardQuery {
    /// The vendors of a region ranked by their total for a month `YYYY-MM`, best
    /// first, each with its latest result and indicator breakdown. Supervisors
    /// and administrators see the latest revision, drafts included; a vendor
    /// sees its own latest published result only.
    async fn ranking(
        &self,
        ctx: &Context<'_>,
        region_id: ID,
        period: String,
    ) -> async_graphql::Result<Vec<RankedResult>> {
        async {
            let (state, actor) = crud::env(ctx)?;
            let _db = domain::db_share::permit().await;
            let region_id = crud::parse_id("regionId", &region_id)?;
            let rows =
                dashboards::ranking(&state.db, &state.results, actor, region_id, &period).await?;
            let names = state
                .vendors
                .many(&state.db, rows.iter().map(|r| r.result.vendor_id))
                .await?;
            rows.into_iter()
                .map(|r| {
                    Ok(RankedResult {
                        rank: r.rank,
                        vendor: vendor_of(&names, r.result.vendor_id)?,
                        result_id: id(r.result.id),
                        revision: r.result.revision,
                        total: two_dp(r.total),
                        total_exact: unrounded(r.total),
                        passed: r.result.passed,
                        published: r.result.published,
                        stored: r.stored,
                        row: RowKey::of(&r.result),
                    })
                })
                .collect::<DomainResult<Vec<_>>>()
        }
        .await
        .gql()
    }

    /// One vendor's monthly totals over a calendar year: the twelve months in
    /// order, each with its latest result (a vendor: its latest published one),
    /// or null.
    async fn vendor_trend(
        &self,
        ctx: &Context<'_>,
        vendor_id: ID,
        region_id: ID,
        year: i32,
    ) -> async_graphql::Result<Vec<TrendPoint>> {
        async {
            let (state, actor) = crud::env(ctx)?;
            let _db = domain::db_share::permit().await;
            let vendor_id = crud::parse_id("vendorId", &vendor_id)?;
            let region_id = crud::parse_id("regionId", &region_id)?;
            check_year("year", year)?;
            no_agencies(actor)?;
            if !access::can_read(
                actor,
                &Policy::FACT,
                Scope {
                    region: Some(region_id),
                    vendor: Some(vendor_id),
                    agency: None,
                },
            ) {
                return Err(DomainError::not_found(format!(
                    "results of vendor {vendor_id} in region {region_id}"
                )));
            }
            let reach = reach_of(actor, region_id)?;
            let months: Vec<String> = (1..=12).map(|m| format!("{year:04}-{m:02}")).collect();
            let rows = results(
                &state.db,
                reach,
                region_id,
                RunKind::Monthly,
                months.clone(),
                Some(vendor_id),
            )
            .await?;
            // A result found names a region and a vendor that exist; only an
            // empty year asks which of them is missing.
            if rows.is_empty() {
                require_region(&state.db, region_id).await?;
                if vendors(&state.db, [vendor_id]).await?.is_empty() {
                    return Err(DomainError::not_found(format!("Vendor {vendor_id}")));
                }
            }
            let documents = state.results.documents(&state.db, &rows).await?;
            let mut latest: HashMap<String, (ResultHead, Arc<StoredResult>)> = rows
                .into_iter()
                .zip(documents)
                .map(|(r, stored)| (r.period.clone(), (r, stored)))
                .collect();
            months
                .into_iter()
                .map(|period| {
                    let Some((r, stored)) = latest.remove(&period) else {
                        return Ok(TrendPoint {
                            period,
                            total: None,
                            total_exact: None,
                            passed: None,
                            published: None,
                            revision: None,
                        });
                    };
                    let total = stored.total();
                    Ok(TrendPoint {
                        period,
                        total: Some(two_dp(total)),
                        total_exact: Some(unrounded(total)),
                        passed: Some(r.passed),
                        published: Some(r.published),
                        revision: Some(r.revision),
                    })
                })
                .collect::<DomainResult<Vec<_>>>()
        }
        .await
        .gql()
    }

    /// Satisfaction per vendor of a region for a service year (named by the
    /// calendar year it starts in), from the survey responses recorded: their
    /// number and the mean of (Q1 + … + Q10) / 44 × 100 (spec §2). Vendors
    /// without a response are not listed; a vendor sees its own row only.
    async fn satisfaction(
        &self,
        ctx: &Context<'_>,
        region_id: ID,
        service_year: i32,
    ) -> async_graphql::Result<Vec<VendorSatisfaction>> {
        async {
            use entities::survey_response::Column as C;
            let (state, actor) = crud::env(ctx)?;
            let _db = domain::db_share::permit().await;
            let region_id = crud::parse_id("regionId", &region_id)?;
            check_year("serviceYear", service_year)?;
            let reach = reach(&state.db, actor, region_id).await?;
            let mut query = entities::survey_response::Entity::find()
                .filter(C::RegionId.eq(region_id))
                .filter(C::ServiceYear.eq(service_year));
            if let Some(vendor_id) = reach.vendor() {
                query = query.filter(C::VendorId.eq(vendor_id));
            }
            // vendor → (responses, Σ points)
            let mut sums: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
            for r in query.all(&state.db).await? {
                let points = [r.q1, r.q2, r.q3, r.q4, r.q5, r.q6, r.q7, r.q8, r.q9, r.q10]
                    .iter()
                    .map(|&q| i64::from(q))
                    .sum::<i64>();
                let entry = sums.entry(r.vendor_id).or_default();
                entry.0 += 1;
                entry.1 += points;
            }
            let names = vendors(&state.db, sums.keys().copied()).await?;
            sums.into_iter()
                .map(|(vendor_id, (responses, points))| {
                    // mean of (points_i / 44 × 100) = Σ points × 100 / (44 × n), one exact division.
                    let percent = Decimal::from(points) * Decimal::ONE_HUNDRED
                        / Decimal::from(SURVEY_MAX_POINTS * responses);
                    Ok(VendorSatisfaction {
                        vendor: vendor_of(&names, vendor_id)?,
                        responses: i32::try_from(responses).map_err(DomainError::internal)?,
                        percent: two_dp(percent),
                        percent_exact: unrounded(percent),
                    })
                })
                .collect::<DomainResult<Vec<_>>>()
        }
        .await
        .gql()
    }

    /// The annual results of a region's vendors for a service year (named by the
    /// calendar year it starts in), best total first: the total, the monthly mean
    /// and the 80/20 parts, the annual scorecard, the penalty tier and amount.
    /// Supervisors see the latest revision, drafts included; a vendor its own
    /// latest published result only.
    async fn annual_results(
        &self,
        ctx: &Context<'_>,
        region_id: ID,
        service_year: i32,
    ) -> async_graphql::Result<Vec<AnnualStanding>> {
        async {
            let (state, actor) = crud::env(ctx)?;
            let _db = domain::db_share::permit().await;
            let region_id = crud::parse_id("regionId", &region_id)?;
            check_year("serviceYear", service_year)?;
            let reach = reach(&state.db, actor, region_id).await?;
            let heads = results(
                &state.db,
                reach,
                region_id,
                RunKind::Annual,
                vec![service_year.to_string()],
                None,
            )
            .await?;
            let rows = ranked(&state.db, &state.results, heads).await?;
            let names = vendors(&state.db, rows.iter().map(|(r, _, _)| r.vendor_id)).await?;
            rows.into_iter()
                .map(|(r, stored, total)| {
                    let vendor = vendor_of(&names, r.vendor_id)?;
                    let StoredResult::Annual(year) = &*stored else {
                        return Err(DomainError::Internal(
                            format!("result {} of an annual query is not annual", r.id).into(),
                        ));
                    };
                    Ok(AnnualStanding::new(r, (**year).clone(), total, vendor))
                })
                .collect::<DomainResult<Vec<_>>>()
        }
        .await
        .gql()
    }

    /// Open (not accepted) and overdue (open and past the deadline, Asia/Shanghai)
    /// notices per region and vendor, vendors with open notices only. Supervisors
    /// see their region, vendors their own, administrators all regions or the
    /// one given.
    async fn notice_counts(
        &self,
        ctx: &Context<'_>,
        region_id: Option<ID>,
    ) -> async_graphql::Result<Vec<NoticeCount>> {
        async {
            let (state, actor) = crud::env(ctx)?;
            let _db = domain::db_share::permit().await;
            let region_id = crud::parse_opt_id("regionId", &region_id)?;
            let rows = dashboards::notice_counts(&state.db, actor, region_id).await?;
            let names = vendors(&state.db, rows.iter().map(|r| r.vendor_id)).await?;
            rows.into_iter()
                .map(|c| {
                    Ok(NoticeCount {
                        region_id: id(c.region_id),
                        vendor: vendor_of(&names, c.vendor_id)?,
                        open: i32::try_from(c.open).map_err(DomainError::internal)?,
                        overdue: i32::try_from(c.overdue).map_err(DomainError::internal)?,
                    })
                })
                .collect::<DomainResult<Vec<_>>>()
        }
        .await
        .gql()
    }
}
