//! Assessment runs and their results through GraphQL: supervisors run a region's
//! month or service year, see the ranking of drafts, and publish a run; vendors
//! see their own published results only.

use async_graphql::{ComplexObject, Context, ID, Json, Object, SimpleObject};
use chrono::{DateTime, FixedOffset, Utc};
use engine::Month;
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;

use super::assessment::{
    FactLink, IndicatorNumbers, IndicatorScore, ScoreDeduction, Scorecard, shown, unrounded,
};
use super::nested::{self, id};
use domain::access::{self, Policy, Scope};

use crate::error::{DomainError, DomainResult, GqlResult};
use crate::graphql::crud::{self};
use domain::actor::Actor;
use domain::period::local;
use domain::store::Resource;
use jobs::observe::{JOB_ANNUAL, JOB_MONTHLY};
use jobs::runs::{self, Target};

pub use domain::assessments::{AssessmentResults, AssessmentRuns};

#[derive(SimpleObject)]
#[graphql(complex)]
pub struct AssessmentRun {
    pub id: ID,
    /// MONTHLY or ANNUAL.
    pub kind: String,
    pub region_id: ID,
    /// `2025-03`, or the service year's first calendar year.
    pub period: String,
    pub scheme_code: String,
    pub scheme_version: i32,
    /// SCHEDULE, CATCH_UP or MANUAL.
    pub trigger: String,
    pub started_by_id: Option<ID>,
    /// RUNNING, SUCCEEDED or FAILED.
    pub status: String,
    pub error: Option<String>,
    pub started_at: DateTime<FixedOffset>,
    pub finished_at: Option<DateTime<FixedOffset>>,
    /// Fact rows the run read, over all its vendors (0 until it succeeds).
    pub rows_read: i64,
    /// What to know although the run succeeded (e.g. no contracted vendor).
    pub warnings: Vec<String>,
}

impl From<entities::assessment_run::Model> for AssessmentRun {
    fn from(m: entities::assessment_run::Model) -> Self {
        Self {
            id: id(m.id),
            kind: m.kind,
            region_id: id(m.region_id),
            period: m.period,
            scheme_code: m.scheme_code,
            scheme_version: m.scheme_version,
            trigger: m.trigger.as_str().to_owned(),
            started_by_id: m.started_by.map(id),
            status: m.status.as_str().to_owned(),
            error: m.error,
            started_at: local(m.started_at),
            finished_at: m.finished_at.map(local),
            rows_read: m.rows_read,
            warnings: serde_json::from_str(&m.warnings).unwrap_or_default(),
        }
    }
}

#[ComplexObject]
impl AssessmentRun {
    /// The run's results the caller may see, best total first.
    async fn results(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<AssessmentResult>> {
        async {
            let (state, actor) = crud::env(ctx)?;
            let run_id = crud::parse_id("id", &self.id)?;
            let _db = domain::db_share::permit().await;

            let query = entities::assessment_result::Entity::find()
                .filter(entities::assessment_result::Column::RunId.eq(run_id));
            let rows = AssessmentResults::restrict(actor, query)
                .all(&state.db)
                .await?;
            let mut visible: Vec<AssessmentResult> = rows
                .into_iter()
                .filter(|r| access::can_read(actor, &Policy::FACT, AssessmentResults::scope(r)))
                .map(AssessmentResult::from)
                .collect();
            visible.sort_by_key(|r| std::cmp::Reverse(r.exact_total));
            Ok::<_, DomainError>(visible)
        }
        .await
        .gql()
    }
}

#[derive(SimpleObject)]
#[graphql(complex)]
pub struct AssessmentResult {
    pub id: ID,
    #[graphql(skip)]
    pub run_id: i64,
    #[graphql(skip)]
    pub exact_total: Decimal,
    #[graphql(name = "runId")]
    pub run: ID,
    pub region_id: ID,
    pub vendor_id: ID,
    pub kind: String,
    pub period: String,
    pub revision: i32,
    /// Shown rounded half-up to exactly 2 decimals ("82.00").
    pub total: Decimal,
    /// The exact total, for programs that add totals up.
    pub total_exact: Decimal,
    pub passed: bool,
    pub published: bool,
    pub published_at: Option<DateTime<FixedOffset>>,
    /// The full stored result (scorecard, or annual result with its blend and penalty).
    pub document: Json<Value>,
}

impl From<entities::assessment_result::Model> for AssessmentResult {
    fn from(m: entities::assessment_result::Model) -> Self {
        let exact_total = domain::assessments::exact_total(&m).unwrap_or(m.total);
        let document: Value = serde_json::from_str(&m.document).unwrap_or_default();
        Self {
            id: id(m.id),
            run_id: m.run_id,
            exact_total,
            run: id(m.run_id),
            region_id: id(m.region_id),
            vendor_id: id(m.vendor_id),
            kind: m.kind,
            period: m.period,
            revision: m.revision,
            total: engine::two_dp(exact_total),
            total_exact: unrounded(exact_total),
            passed: m.passed,
            published: m.published,
            published_at: m.published_at.map(local),
            document: Json(document),
        }
    }
}

#[ComplexObject]
impl AssessmentResult {
    /// The scorecard with every indicator and deduction (of a monthly result, or
    /// the annual scorecard of an annual one).
    async fn scorecard(&self) -> Scorecard {
        let card = if self.kind == runs::ANNUAL {
            &self.document.0["annual"]
        } else {
            &self.document.0
        };
        scorecard_of(card)
    }
    async fn vendor(&self, ctx: &Context<'_>) -> async_graphql::Result<super::vendors::Vendor> {
        nested::one::<super::vendors::Vendors, _>(ctx, &self.vendor_id).await
    }
}

/// A decimal of a stored document (the engine writes them as strings), exact.
fn dec(v: &Value) -> Decimal {
    v.as_str().and_then(|s| s.parse().ok()).unwrap_or_default()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_str().map(str::to_owned))
        .collect()
}

/// The GraphQL scorecard from a stored document (the engine's serialisation).
pub(crate) fn scorecard_of(card: &Value) -> Scorecard {
    let indicators = card["indicators"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|i| {
            IndicatorScore::new(
                i["code"].as_str().unwrap_or_default().to_owned(),
                (
                    i["name"]["zh"].as_str().unwrap_or_default().to_owned(),
                    i["name"]["en"].as_str().unwrap_or_default().to_owned(),
                ),
                IndicatorNumbers {
                    weight: dec(&i["weight"]),
                    score: dec(&i["score"]),
                    deducted: dec(&i["deducted"]),
                    capped: dec(&i["capped"]),
                },
                i["deductions"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|d| {
                        ScoreDeduction::new(
                            dec(&d["points"]),
                            d["reason"].as_str().unwrap_or_default().to_owned(),
                            d["facts"]
                                .as_array()
                                .into_iter()
                                .flatten()
                                .map(|f| FactLink {
                                    kind: f["kind"].as_str().unwrap_or_default().to_owned(),
                                    id: id(f["id"].as_i64().unwrap_or_default()),
                                })
                                .collect(),
                        )
                    })
                    .collect(),
                strings(&i["warnings"]),
            )
        });
    Scorecard {
        scheme_code: card["scheme_code"].as_str().unwrap_or_default().to_owned(),
        scheme_version: card["scheme_version"].as_u64().unwrap_or_default() as u32,
        period: period_text(&card["period"]),
        total: shown(dec(&card["total"])),
        total_exact: unrounded(dec(&card["total"])),
        pass_mark: shown(dec(&card["pass_mark"])),
        passed: card["passed"].as_bool().unwrap_or_default(),
        indicators: indicators.collect(),
        warnings: strings(&card["warnings"]),
        provisional: false,
    }
}

fn period_text(p: &Value) -> String {
    match (&p["month"], &p["service_year"]) {
        (m, _) if m.is_object() => format!(
            "{:04}-{:02}",
            m["year"].as_i64().unwrap_or_default(),
            m["month"].as_i64().unwrap_or_default()
        ),
        (_, y) if !y.is_null() => y.to_string(),
        _ => p.to_string(),
    }
}

crud_api!(@read resource: AssessmentRuns, object: AssessmentRun, page: AssessmentRunPage,
    query: AssessmentRunQuery { assessment_run, assessment_runs });
crud_api!(@read resource: AssessmentResults, object: AssessmentResult, page: AssessmentResultPage,
    query: AssessmentResultQuery { assessment_result, assessment_results });

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

/// Supervisors of the region (and administrators) run and publish.
fn may_run(actor: &Actor, region_id: i64) -> DomainResult<()> {
    let scope = Scope {
        region: Some(region_id),
        vendor: None,
        agency: None,
    };
    if access::can_modify(actor, &domain::assessments::RUN_POLICY, scope) {
        Ok(())
    } else {
        Err(DomainError::forbidden(
            "only the region's supervisors run assessments",
        ))
    }
}

/// A run started by the caller, who must supervise the region.
async fn run(
    ctx: &Context<'_>,
    region_id: i64,
    target: Target,
    job: &'static str,
) -> DomainResult<AssessmentRun> {
    let (state, actor) = crud::env(ctx)?;
    may_run(actor, region_id)?;
    let audit = crate::graphql::audit::of(ctx, actor);
    let _db = domain::db_share::permit().await;
    let run = runs::run_manual(
        &state.db,
        &state.lease,
        region_id,
        target,
        actor.user_id,
        &audit,
    );
    jobs::observe::job(&*state.metrics, job, run)
        .await
        .map(AssessmentRun::from)
        .map_err(DomainError::from)
}

#[derive(Default)]
pub struct RunMutation;

#[Object]
impl RunMutation {
    /// Assesses every contracted vendor of the region for the month; the results
    /// are stored as a new revision, as drafts. Only a month that has ended can
    /// be run (the error says from when), and one run of a period at a time
    /// (`CONFLICT` while another is under way).
    async fn run_monthly_assessment(
        &self,
        ctx: &Context<'_>,
        region_id: ID,
        period: String,
    ) -> async_graphql::Result<AssessmentRun> {
        async {
            let region_id = crud::parse_id("regionId", &region_id)?;
            let target = Target::Month(month_of(&period)?);
            run(ctx, region_id, target, JOB_MONTHLY).await
        }
        .await
        .gql()
    }

    /// Assesses the service year starting in `serviceYear`, blending the
    /// published monthly results; only once the year has ended.
    async fn run_annual_assessment(
        &self,
        ctx: &Context<'_>,
        region_id: ID,
        service_year: i32,
    ) -> async_graphql::Result<AssessmentRun> {
        async {
            let region_id = crud::parse_id("regionId", &region_id)?;
            if !(runs::FIRST_YEAR..=2100).contains(&service_year) {
                return Err(DomainError::bad("serviceYear", "must be from 2000 to 2100"));
            }
            run(ctx, region_id, Target::Year(service_year), JOB_ANNUAL).await
        }
        .await
        .gql()
    }

    /// Publishes a run's results: vendors see them, and notices are issued (and
    /// mailed) for totals below the pass mark or in a penalty tier.
    async fn publish_assessment_run(
        &self,
        ctx: &Context<'_>,
        run_id: ID,
    ) -> async_graphql::Result<AssessmentRun> {
        async {
            let (state, actor) = crud::env(ctx)?;
            let run = domain::store::get::<AssessmentRuns>(
                &state.db,
                actor,
                crud::parse_id("runId", &run_id)?,
            )
            .await?;
            may_run(actor, run.region_id)?;
            let audit = crate::graphql::audit::of(ctx, actor);
            {
                let _db = domain::db_share::permit().await;
                jobs::publishing::publish(&state.db, &audit, run.id, actor.user_id, Utc::now())
                    .await?;
            }
            domain::store::get::<AssessmentRuns>(&state.db, actor, run.id)
                .await
                .map(AssessmentRun::from)
        }
        .await
        .gql()
    }
}
