//! Assessment runs and their results through GraphQL: supervisors run a region's
//! month or service year, see the ranking of drafts, and publish a run; vendors
//! see their own published results only.

use async_graphql::{ComplexObject, Context, ID, Json, Object, SimpleObject};
use chrono::{DateTime, FixedOffset, Utc};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;

use super::assessment::{Scorecard, unrounded};
use super::nested::{self, id};
use domain::access::{self, Policy};

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
            let mut visible: Vec<AssessmentResult> = rows
                .into_iter()
                .filter(|r| access::can_read(actor, &Policy::FACT, AssessmentResults::scope(r)))
                .map(AssessmentResult::try_from)
                .collect::<DomainResult<_>>()?;
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
    #[graphql(skip)]
    pub stored: StoredResult,
}

impl TryFrom<entities::assessment_result::Model> for AssessmentResult {
    type Error = DomainError;

    fn try_from(m: entities::assessment_result::Model) -> DomainResult<Self> {
        let stored = StoredResult::of(&m)?;
        // As stored, for the `document` field (it parsed as a result just now).
        let document: Value = serde_json::from_str(&m.document).map_err(DomainError::internal)?;
        let exact_total = stored.total();
        Ok(Self {
            id: id(m.id),
            run_id: m.run_id,
            exact_total,
            run: id(m.run_id),
            region_id: id(m.region_id),
            vendor_id: id(m.vendor_id),
            kind: m.kind.as_str().to_owned(),
            period: m.period,
            revision: m.revision,
            total: engine::two_dp(exact_total),
            total_exact: unrounded(exact_total),
            passed: m.passed,
            published: m.published,
            published_at: m.published_at.map(local),
            document: Json(document),
            stored,
        })
    }
}

#[ComplexObject]
impl AssessmentResult {
    /// The scorecard with every indicator and deduction (of a monthly result, or
    /// the annual scorecard of an annual one).
    async fn scorecard(&self) -> Scorecard {
        Scorecard::from(self.stored.scorecard())
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
