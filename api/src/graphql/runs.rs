//! Assessment runs and their results through GraphQL: supervisors run a region's
//! month or service year, see the ranking of drafts, and publish a run; vendors
//! see their own published results only.

use async_graphql::{ComplexObject, Context, ID, Json, Object, SimpleObject};
use chrono::{DateTime, FixedOffset, Utc};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;

use std::sync::Arc;

use super::assessment::unrounded;
use super::nested::{self, id};
use super::scorecard_cache::{RowKey, StoredScorecard};
use domain::access::{self, Policy};
use domain::result_cache::ResultHead;

use crate::error::{DomainError, DomainResult, GqlResult};
use crate::graphql::crud::{self};
use domain::assessments::StoredResult;
use domain::period::local;
use domain::store::Resource;
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

impl TryFrom<entities::assessment_run::Model> for AssessmentRun {
    type Error = DomainError;

    fn try_from(m: entities::assessment_run::Model) -> DomainResult<Self> {
        let warnings = serde_json::from_str(&m.warnings).map_err(|e| {
            tracing::error!(run = m.id, error = %e, "a stored run's warnings do not parse");
            DomainError::Internal(format!("run {}: its warnings do not parse: {e}", m.id).into())
        })?;
        Ok(Self {
            id: id(m.id),
            kind: m.kind.as_str().to_owned(),
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
            warnings,
        })
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
            let mut visible = rows
                .into_iter()
                .filter(|r| access::can_read(actor, &Policy::FACT, AssessmentResults::scope(r)))
                .map(|r| {
                    Ok((
                        state.results.parsed(&r)?.total(),
                        AssessmentResult::try_from(r)?,
                    ))
                })
                .collect::<DomainResult<Vec<_>>>()?;
            visible.sort_by_key(|(total, _)| std::cmp::Reverse(*total));
            Ok::<_, DomainError>(visible.into_iter().map(|(_, r)| r).collect::<Vec<_>>())
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
    #[graphql(name = "runId")]
    pub run: ID,
    pub region_id: ID,
    pub vendor_id: ID,
    pub kind: String,
    pub period: String,
    pub revision: i32,
    pub passed: bool,
    pub published: bool,
    pub published_at: Option<DateTime<FixedOffset>>,
    /// The row as read, its document parsed only when a field needs it
    /// (through the application's `ResultCache`: a monthly one once).
    #[graphql(skip)]
    pub row: entities::assessment_result::Model,
}

impl TryFrom<entities::assessment_result::Model> for AssessmentResult {
    type Error = DomainError;

    fn try_from(m: entities::assessment_result::Model) -> DomainResult<Self> {
        Ok(Self {
            id: id(m.id),
            run_id: m.run_id,
            run: id(m.run_id),
            region_id: id(m.region_id),
            vendor_id: id(m.vendor_id),
            kind: m.kind.as_str().to_owned(),
            period: m.period.clone(),
            revision: m.revision,
            passed: m.passed,
            published: m.published,
            published_at: m.published_at.map(local),
            row: m,
        })
    }
}

impl AssessmentResult {
    /// The parsed document: kept by the application (`ResultCache`), or
    /// parsed here when the schema runs without one.
    fn stored(&self, ctx: &Context<'_>) -> DomainResult<Arc<StoredResult>> {
        match ctx.data_opt::<crate::state::AppState>() {
            Some(state) => state.results.parsed(&self.row),
            None => StoredResult::of(&self.row).map(Arc::new),
        }
    }
}

#[ComplexObject]
impl AssessmentResult {
    /// Shown rounded half-up to exactly 2 decimals ("82.00").
    async fn total(&self, ctx: &Context<'_>) -> async_graphql::Result<Decimal> {
        self.stored(ctx).map(|s| engine::two_dp(s.total())).gql()
    }
    /// The exact total, for programs that add totals up.
    async fn total_exact(&self, ctx: &Context<'_>) -> async_graphql::Result<Decimal> {
        self.stored(ctx).map(|s| unrounded(s.total())).gql()
    }
    /// The full stored result (scorecard, or annual result with its blend and penalty).
    async fn document(&self) -> async_graphql::Result<Json<Value>> {
        serde_json::from_str(&self.row.document)
            .map(Json)
            .map_err(DomainError::internal)
            .gql()
    }
    /// The scorecard with every indicator and deduction (of a monthly result, or
    /// the annual scorecard of an annual one).
    async fn scorecard(&self, ctx: &Context<'_>) -> async_graphql::Result<StoredScorecard> {
        self.stored(ctx)
            .map(|stored| StoredScorecard {
                stored,
                row: RowKey::of(&ResultHead::from(&self.row)),
            })
            .gql()
    }
    async fn vendor(&self, ctx: &Context<'_>) -> async_graphql::Result<super::vendors::Vendor> {
        nested::one::<super::vendors::Vendors, _>(ctx, &self.vendor_id).await
    }
    /// The disputes of this vendor's month (on any revision), oldest first.
    async fn disputes(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<super::disputes::Dispute>> {
        super::disputes::of_month(ctx, &self.region_id, &self.vendor_id, &self.period)
            .await
            .gql()
    }
}

crud_api!(@read resource: AssessmentRuns, object: AssessmentRun, page: AssessmentRunPage,
    query: AssessmentRunQuery { assessment_run, assessment_runs });
crud_api!(@read resource: AssessmentResults, object: AssessmentResult, page: AssessmentResultPage,
    query: AssessmentResultQuery { assessment_result, assessment_results });

/// A run started by the caller (`jobs::runs::run_for` checks the region).
async fn run(ctx: &Context<'_>, region_id: i64, target: Target) -> DomainResult<AssessmentRun> {
    let (state, actor) = crud::env(ctx)?;
    let audit = crate::graphql::audit::of(ctx, actor);
    let _db = domain::db_share::permit().await;
    runs::run_for(
        &state.db,
        &state.lease,
        &*state.metrics,
        actor,
        region_id,
        target,
        &audit,
    )
    .await
    .map_err(DomainError::from)
    .and_then(AssessmentRun::try_from)
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
            run(ctx, region_id, Target::month(&period)?).await
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
            run(ctx, region_id, Target::service_year(service_year)?).await
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
            let run_id = crud::parse_id("runId", &run_id)?;
            let audit = crate::graphql::audit::of(ctx, actor);
            jobs::publishing::publish_for(
                &state.db,
                actor,
                &audit,
                run_id,
                &state.public_url,
                Utc::now(),
            )
            .await
            .map_err(DomainError::from)
            .and_then(AssessmentRun::try_from)
        }
        .await
        .gql()
    }
}
