//! Assessment runs: every vendor with a contract in a region, assessed for one
//! month or one service year, results stored as a new revision.
//!
//! A period is assessed only once it has ended, and by one run at a time: a run
//! holds the period's lease (`leases`) whether the scheduler or a supervisor
//! started it, so a second request while it works is told so (`CONFLICT`), and
//! whoever takes the lease next closes a run left RUNNING by a process that
//! stopped (or a request that was cut off) as abandoned.
//!
//! A run is recorded (RUNNING) before it starts and closed (SUCCEEDED or FAILED
//! with the error) after; all of its results are written in one transaction, so
//! a crash leaves no partial result, only a run that never finished.

use chrono::{DateTime, Utc};
use engine::scheme::Scheme;
use engine::{Month, Period, ServiceYear};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Set,
};

pub use entities::assessment_run::RunKind;
use entities::assessment_run::{RunStatus, RunTrigger};

use crate::assessment::{self, cohort};
use crate::error::{JobError, JobResult};
use crate::leases::{self, Lease};
use crate::observe::{JOB_ANNUAL, JOB_MONTHLY, Observer};
use crate::revisions::{self, Outcome};
use domain::access::Scope;
use domain::actor::Actor;
use domain::audit::{self, Audit, Change};
use domain::db;
use domain::period::local;

/// The earliest year a period may be assessed in: older dates are typing errors.
pub const FIRST_YEAR: i32 = 2000;

/// What started a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trigger {
    Schedule,
    CatchUp,
    Manual { user_id: i64 },
}

impl Trigger {
    fn stored(self) -> RunTrigger {
        match self {
            Self::Schedule => RunTrigger::Schedule,
            Self::CatchUp => RunTrigger::CatchUp,
            Self::Manual { .. } => RunTrigger::Manual,
        }
    }
    fn user(self) -> Option<i64> {
        match self {
            Self::Manual { user_id } => Some(user_id),
            _ => None,
        }
    }
}

/// The period a run assesses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Month(Month),
    /// A service year, named by the calendar year it starts in.
    Year(i32),
}

impl Target {
    pub fn kind(self) -> RunKind {
        match self {
            Self::Month(_) => RunKind::Monthly,
            Self::Year(_) => RunKind::Annual,
        }
    }

    /// A month named `YYYY-MM` (the `period` a person asks to run).
    pub fn month(period: &str) -> JobResult<Self> {
        match domain::period::Period::parse(period) {
            Ok(domain::period::Period::Month { year, month }) => Month::new(year, month)
                .map(Self::Month)
                .map_err(|e| JobError::bad("period", e.to_string())),
            _ => Err(JobError::bad(
                "period",
                format!("\"{period}\" is not a month YYYY-MM"),
            )),
        }
    }

    /// The service year starting in `year` (the `serviceYear` a person asks to run).
    pub fn service_year(year: i32) -> JobResult<Self> {
        if (FIRST_YEAR..=2100).contains(&year) {
            Ok(Self::Year(year))
        } else {
            Err(JobError::bad("serviceYear", "must be from 2000 to 2100"))
        }
    }

    /// As stored in `assessment_runs.period`: `2025-03` or `2025`.
    pub fn period(self) -> String {
        match self {
            Self::Month(m) => m.to_string(),
            Self::Year(y) => y.to_string(),
        }
    }

    /// The input field that names the period, for errors.
    fn field(self) -> &'static str {
        match self {
            Self::Month(_) => "period",
            Self::Year(_) => "serviceYear",
        }
    }

    /// The lease every run of this region and period holds while it works.
    pub fn lease_name(self, region_id: i64) -> String {
        match self {
            Self::Month(m) => format!("monthly:{region_id}:{m}"),
            Self::Year(y) => format!("annual:{region_id}:{y}"),
        }
    }

    /// The engine's period under `scheme` (its service year's first month).
    pub fn engine_period(self, scheme: &Scheme) -> JobResult<Period> {
        match self {
            Self::Month(m) => Ok(Period::Month(m)),
            Self::Year(y) => ServiceYear::new(scheme.service_year_first_month, y)
                .map(Period::ServiceYear)
                .map_err(|e| JobError::bad("serviceYear", e.to_string())),
        }
    }
}

/// The period may be assessed by a run at `now`: it is from 2000 on and has
/// ended (a month after its last day, a service year after its last month).
/// The error says from when it can run.
pub fn ensure_ended(target: Target, scheme: &Scheme, now: DateTime<Utc>) -> JobResult<()> {
    let period = target.engine_period(scheme)?;
    let first_year = period.months().first().map_or(0, |m| m.year());
    if first_year < FIRST_YEAR {
        return Err(JobError::bad(
            target.field(),
            format!("{FIRST_YEAR} 年以前的期间不予考核"),
        ));
    }
    if period.end() > now {
        return Err(JobError::bad(
            target.field(),
            format!(
                "{} 尚未结束，{}（北京时间）起方可考核；可先预览（结果为临时）",
                describe(period),
                local(period.end()).format("%Y-%m-%d %H:%M")
            ),
        ));
    }
    Ok(())
}

/// "2026年11月", "服务年度 2025-07..2026-06".
fn describe(period: Period) -> String {
    match period {
        Period::Month(m) => format!("{}年{}月", m.year(), m.month()),
        Period::ServiceYear(y) => format!("服务年度 {y}"),
    }
}

/// What a finished run reports besides its results.
#[derive(Default)]
struct Figures {
    rows_read: u64,
    warnings: Vec<String>,
}

/// The region and its scheme, checked for the target: the scheme assesses
/// that kind of period, and the period has ended by the clock.
pub async fn prepare(
    db: &DatabaseConnection,
    region_id: i64,
    target: Target,
) -> JobResult<(entities::region::Model, Scheme)> {
    let region = region(db, region_id).await?;
    let scheme = domain::schemes::require_known(db, "regionId", &region.scheme_code).await?;
    if matches!(target, Target::Month(_)) && scheme.monthly.is_none() {
        return Err(JobError::bad(
            "period",
            format!("scheme {} has no monthly scorecard", scheme.code),
        ));
    }
    ensure_ended(target, &scheme, Utc::now())?;
    Ok((region, scheme))
}

/// A run started by a person: checked, then run under the period's lease; a
/// run of the same period under way answers `CONFLICT`.
pub async fn run_manual(
    db: &DatabaseConnection,
    lease: &Lease,
    region_id: i64,
    target: Target,
    user_id: i64,
    audit: &Audit,
) -> JobResult<entities::assessment_run::Model> {
    let (region, scheme) = prepare(db, region_id, target).await?;
    let trigger = Trigger::Manual { user_id };
    let name = target.lease_name(region.id);
    // Boxed: a run's future is large, and resolvers run on small stacks.
    let job = Box::pin(async {
        abandon_stale(db, region.id, target).await?;
        execute(db, &region, &scheme, target, trigger, Some(audit)).await
    });
    leases::hold(db, &name, lease, job).await?.ok_or_else(|| {
        JobError::conflict(format!(
            "{}{} 的考核正在进行中，请在其完成后再试",
            region.name,
            target.period()
        ))
    })
}

/// A run a person asked for from an edge (GraphQL or the console): the caller
/// must supervise the region; the run is observed as a job of its kind.
pub async fn run_for(
    db: &DatabaseConnection,
    lease: &Lease,
    observer: &dyn Observer,
    actor: &Actor,
    region_id: i64,
    target: Target,
    audit: &Audit,
) -> JobResult<entities::assessment_run::Model> {
    domain::assessments::may_run(actor, region_id)?;
    let job = match target.kind() {
        RunKind::Monthly => JOB_MONTHLY,
        RunKind::Annual => JOB_ANNUAL,
    };
    let run = run_manual(db, lease, region_id, target, actor.user_id, audit);
    crate::observe::job(observer, job, run).await
}

/// Runs the target for the region. The caller holds the period's lease and
/// has checked the period (`prepare`).
pub async fn execute(
    db: &DatabaseConnection,
    region: &entities::region::Model,
    scheme: &Scheme,
    target: Target,
    trigger: Trigger,
    audit: Option<&Audit>,
) -> JobResult<entities::assessment_run::Model> {
    let (run, entry) = open(db, region, target, scheme, trigger, audit).await?;
    let result = match target {
        Target::Month(month) => Box::pin(assess_month(db, &run, region, scheme, month)).await,
        Target::Year(start_year) => {
            Box::pin(assess_year(db, &run, region, scheme, start_year)).await
        }
    };
    close(db, run, result, entry).await
}

async fn assess_month(
    db: &DatabaseConnection,
    run: &entities::assessment_run::Model,
    region: &entities::region::Model,
    scheme: &Scheme,
    month: Month,
) -> JobResult<Figures> {
    let start_year = ServiceYear::containing(scheme.service_year_first_month, month)
        .map_err(|e| JobError::bad("period", e.to_string()))?
        .first_month()
        .year();
    let mut figures = Figures::default();
    let vendors = contracted_vendors(db, region.id, start_year).await?;
    if vendors.is_empty() {
        figures.warnings.push(no_vendor(region, start_year));
    }
    let calendar = domain::calendar::load(db).await?;
    let month_run = cohort::MonthRun {
        region_id: region.id,
        scheme,
        calendar: &calendar,
        month,
    };
    // Scored first, from facts read outside the write transaction (on two
    // connections at once); then every result written in one transaction,
    // which holds the write lock only as long as the writing takes.
    let mut outcomes = Vec::with_capacity(vendors.len());
    for batch in vendors.chunks(cohort::VENDORS_PER_BATCH) {
        for assessed in month_run.assess(db, batch).await? {
            figures.rows_read += assessed.rows_read;
            let card = assessed.result;
            outcomes.push(Outcome {
                vendor_id: assessed.vendor_id,
                total: card.total,
                passed: card.passed,
                document: serde_json::to_string(&card).map_err(JobError::internal)?,
            });
        }
        fault_delay_per_batch(batch.len()).await;
    }
    let txn = db::write_txn(db).await?;
    revisions::store(&txn, run, outcomes).await?;
    txn.commit().await?;
    Ok(figures)
}

/// The annual run blends the latest published monthly result of each month of
/// the service year (a month without one is left out of the mean, and the
/// result says so), exactly as the preview does; it reads only the kinds of
/// fact the annual scorecard reads.
async fn assess_year(
    db: &DatabaseConnection,
    run: &entities::assessment_run::Model,
    region: &entities::region::Model,
    scheme: &Scheme,
    start_year: i32,
) -> JobResult<Figures> {
    let service_year = ServiceYear::new(scheme.service_year_first_month, start_year)
        .map_err(|e| JobError::bad("serviceYear", e.to_string()))?;
    let txn = db::write_txn(db).await?;
    let mut figures = Figures::default();
    let contracts = contracts(&txn, region.id, start_year).await?;
    if contracts.is_empty() {
        figures.warnings.push(no_vendor(region, start_year));
    }
    let vendors: Vec<i64> = contracts.iter().map(|c| c.vendor_id).collect();
    let calendar = domain::calendar::load(&txn).await?;
    let year = assessment::Year {
        scheme,
        calendar: &calendar,
        service_year,
    };
    let year_run = cohort::YearRun::prepare(&txn, region, year, start_year, contracts).await?;
    for batch in vendors.chunks(cohort::VENDORS_PER_BATCH) {
        let mut outcomes = Vec::with_capacity(batch.len());
        for assessed in year_run.assess(&txn, batch).await? {
            figures.rows_read += assessed.rows_read;
            let result = assessed.result;
            outcomes.push(Outcome {
                vendor_id: assessed.vendor_id,
                total: result.total,
                passed: result.penalty.tier.is_none(),
                document: serde_json::to_string(&result).map_err(JobError::internal)?,
            });
        }
        revisions::store(&txn, run, outcomes).await?;
    }
    txn.commit().await?;
    Ok(figures)
}

fn no_vendor(region: &entities::region::Model, start_year: i32) -> String {
    format!(
        "{}在服务年度 {start_year} 没有签订合同的云服务商，本次考核没有结果",
        region.name
    )
}

/// TEST-ONLY fault injection: with `GOVCLOUD_FAULT_RUN_VENDOR_DELAY_MS` set,
/// a monthly run waits that long for each vendor's result (after each batch
/// is scored, before the results are written), so that a test can kill the
/// process in the middle of a run (`api/tests/killed_run.rs`). Unset — always,
/// outside that test — it does nothing. Not a configuration variable; never
/// set it in production.
async fn fault_delay_per_batch(vendors: usize) {
    if let Some(ms) = std::env::var("GOVCLOUD_FAULT_RUN_VENDOR_DELAY_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        let total = ms.saturating_mul(vendors as u64);
        tokio::time::sleep(std::time::Duration::from_millis(total)).await;
    }
}

/// What an abandoned run says: the process running it stopped.
pub const ABANDONED: &str =
    "abandoned: the process running it stopped before it finished (its lease expired)";

/// Closes as FAILED the runs of (region, kind, period) still marked RUNNING.
/// Called only by a process that has just taken the period's lease: every run
/// holds it while it works, renewing it, so if it could be taken the process
/// (or request) that opened those runs is gone, and they will never finish.
/// (Their results, written in one transaction, were never committed.) Returns
/// how many were closed.
pub async fn abandon_stale(
    db: &DatabaseConnection,
    region_id: i64,
    target: Target,
) -> JobResult<u64> {
    use entities::assessment_run::Column as C;
    use sea_orm::sea_query::Expr;
    let closed = entities::assessment_run::Entity::update_many()
        .col_expr(C::Status, Expr::value(RunStatus::Failed))
        .col_expr(C::Error, Expr::value(ABANDONED))
        .col_expr(C::FinishedAt, Expr::value(Utc::now()))
        .filter(C::RegionId.eq(region_id))
        .filter(C::Kind.eq(target.kind()))
        .filter(C::Period.eq(target.period()))
        .filter(C::Status.eq(RunStatus::Running))
        .exec(db)
        .await?;
    if closed.rows_affected > 0 {
        tracing::warn!(
            region = region_id,
            kind = target.kind().as_str(),
            period = target.period(),
            runs = closed.rows_affected,
            "closed runs left RUNNING by a process that stopped"
        );
    }
    Ok(closed.rows_affected)
}

/// Closes every run left RUNNING whose lease is free (its process stopped),
/// whatever started it; called at start-up. Returns how many were closed.
pub async fn abandon_orphans(db: &DatabaseConnection, lease: &Lease) -> JobResult<u64> {
    use entities::assessment_run::Column as C;
    let running = entities::assessment_run::Entity::find()
        .filter(C::Status.eq(RunStatus::Running))
        .all(db)
        .await?;
    let mut closed = 0;
    for run in running {
        let Some(target) = target_of(&run) else {
            continue;
        };
        let name = target.lease_name(run.region_id);
        if let Some(n) =
            leases::hold(db, &name, lease, abandon_stale(db, run.region_id, target)).await?
        {
            closed += n;
        }
    }
    Ok(closed)
}

/// The target a stored run assessed.
pub fn target_of(run: &entities::assessment_run::Model) -> Option<Target> {
    match run.kind {
        RunKind::Monthly => {
            let (y, m) = run.period.split_once('-')?;
            Month::new(y.parse().ok()?, m.parse().ok()?)
                .ok()
                .map(Target::Month)
        }
        RunKind::Annual => run.period.parse().ok().map(Target::Year),
    }
}

async fn region(db: &DatabaseConnection, id: i64) -> JobResult<entities::region::Model> {
    entities::region::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| JobError::not_found(format!("Region {id}")))
}

/// The vendors serving the region in the service year (those with a contract).
pub async fn contracted_vendors(
    conn: &impl ConnectionTrait,
    region_id: i64,
    start_year: i32,
) -> JobResult<Vec<i64>> {
    let contracts = contracts(conn, region_id, start_year).await?;
    Ok(contracts.into_iter().map(|c| c.vendor_id).collect())
}

/// The region's contracts of the service year, by vendor.
async fn contracts(
    conn: &impl ConnectionTrait,
    region_id: i64,
    start_year: i32,
) -> JobResult<Vec<entities::contract::Model>> {
    Ok(entities::contract::Entity::find()
        .filter(entities::contract::Column::RegionId.eq(region_id))
        .filter(entities::contract::Column::ServiceYear.eq(start_year))
        .order_by_asc(entities::contract::Column::VendorId)
        .all(conn)
        .await?)
}

/// Records the run as RUNNING; a run started through the API gets its audit
/// entry here, in the same transaction, so even a run that never finishes
/// (the server killed, the request cut off) has one. Returns the entry's id.
async fn open(
    db: &DatabaseConnection,
    region: &entities::region::Model,
    target: Target,
    scheme: &Scheme,
    trigger: Trigger,
    audit: Option<&Audit>,
) -> JobResult<(entities::assessment_run::Model, Option<i64>)> {
    let row = entities::assessment_run::ActiveModel {
        kind: Set(target.kind()),
        region_id: Set(region.id),
        period: Set(target.period()),
        scheme_code: Set(scheme.code.clone()),
        scheme_version: Set(scheme.version as i32),
        trigger: Set(trigger.stored()),
        started_by: Set(trigger.user()),
        status: Set(RunStatus::Running),
        error: Set(None),
        started_at: Set(Utc::now()),
        finished_at: Set(None),
        rows_read: Set(0),
        warnings: Set("[]".to_owned()),
        ..Default::default()
    };
    let Some(audit) = audit else {
        return Ok((row.insert(db).await?, None));
    };
    let mut txn = audit.begin(db).await?;
    let run = row.insert(&*txn).await?;
    let change = Change::on("AssessmentRun", Some(run.id), run_scope(&run)).created(&run)?;
    let entry = txn.record(change).await?;
    txn.commit().await?;
    Ok((run, Some(entry)))
}

fn run_scope(run: &entities::assessment_run::Model) -> Scope {
    Scope {
        region: Some(run.region_id),
        ..Scope::default()
    }
}

/// Records how the run ended, completing its audit entry (a failed run is
/// audited too: its row stays, it is not a refusal).
async fn close(
    db: &DatabaseConnection,
    run: entities::assessment_run::Model,
    result: JobResult<Figures>,
    entry: Option<i64>,
) -> JobResult<entities::assessment_run::Model> {
    let mut active = run.into_active_model();
    active.finished_at = Set(Some(Utc::now()));
    match &result {
        Ok(figures) => {
            active.status = Set(RunStatus::Succeeded);
            active.rows_read = Set(figures.rows_read as i64);
            active.warnings =
                Set(serde_json::to_string(&figures.warnings).map_err(JobError::internal)?);
        }
        Err(e) => {
            tracing::error!(error = %e, "assessment run failed");
            active.status = Set(RunStatus::Failed);
            active.error = Set(Some(e.to_string()));
        }
    }
    let closed = match entry {
        None => active.update(db).await?,
        Some(entry) => {
            let txn = db::write_txn(db).await?;
            let closed = active.update(&txn).await?;
            audit::complete(&txn, entry, &closed).await?;
            txn.commit().await?;
            closed
        }
    };
    result.map(|_| closed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .expect("instant")
            .with_timezone(&Utc)
    }

    fn builtin(code: &str) -> Scheme {
        Scheme::builtin()
            .into_iter()
            .find(|s| s.code == code)
            .expect("a built-in scheme")
    }

    fn municipal() -> Scheme {
        builtin("sh-municipal")
    }

    fn songjiang() -> Scheme {
        builtin("sh-songjiang")
    }

    #[test]
    fn a_month_can_be_run_from_the_first_instant_of_the_next() {
        let november = Target::Month(Month::new(2026, 11).expect("month"));
        // 2026-11-30 23:59 in Shanghai: November has not ended.
        let err = ensure_ended(november, &municipal(), at("2026-11-30T23:59:00+08:00"))
            .expect_err("open month");
        assert!(err.to_string().contains("2026-12-01 00:00"), "{err}");
        // 2026-12-01 00:00 in Shanghai (16:00 UTC the day before): it has.
        ensure_ended(november, &municipal(), at("2026-11-30T16:00:00Z")).expect("ended");
    }

    #[test]
    fn a_service_year_can_be_run_after_its_last_month() {
        // Songjiang's year 2025 runs July 2025 – June 2026: runnable from 1 July 2026.
        let err = ensure_ended(
            Target::Year(2025),
            &songjiang(),
            at("2026-06-30T12:00:00+08:00"),
        )
        .expect_err("open year");
        assert!(err.to_string().contains("2026-07-01 00:00"), "{err}");
        ensure_ended(
            Target::Year(2025),
            &songjiang(),
            at("2026-07-01T00:00:00+08:00"),
        )
        .expect("ended");
    }

    #[test]
    fn periods_before_2000_are_refused() {
        let err = ensure_ended(
            Target::Month(Month::new(1999, 12).expect("month")),
            &municipal(),
            at("2026-12-01T00:00:00+08:00"),
        )
        .expect_err("1999");
        assert!(err.to_string().starts_with("period: 2000"), "{err}");
    }

    #[test]
    fn a_stored_run_names_its_target() {
        let run = |kind: RunKind, period: &str| entities::assessment_run::Model {
            id: 1,
            kind,
            region_id: 1,
            period: period.into(),
            scheme_code: "sh-municipal".into(),
            scheme_version: 1,
            trigger: RunTrigger::Manual,
            started_by: None,
            status: RunStatus::Running,
            error: None,
            started_at: Utc::now(),
            finished_at: None,
            rows_read: 0,
            warnings: "[]".into(),
        };
        assert_eq!(
            target_of(&run(RunKind::Monthly, "2025-03")),
            Some(Target::Month(Month::new(2025, 3).expect("month")))
        );
        assert_eq!(
            target_of(&run(RunKind::Annual, "2025")),
            Some(Target::Year(2025))
        );
        assert_eq!(
            Target::Year(2025).lease_name(7),
            "annual:7:2025",
            "the lease the scheduler takes too"
        );
    }
}
