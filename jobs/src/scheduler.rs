//! The scheduled jobs, in Asia/Shanghai time: the monthly run (default 02:00 on
//! the 5th, for the previous month, every region), the annual run (after a
//! region's service year has ended and its months are published), and the
//! daily check (`RISK_CHECK_CRON`): security risks past their deadline, then
//! breach proposals from the facts (`crate::breaches::detect_breaches`). Each cron callback only
//! calls a testable function here, with the instant it runs at; running one
//! twice does no harm: a period that already has a scheduled run is skipped,
//! and the period's lease keeps two processes from racing.
//!
//! A period is due once the cron's first firing after the period's end has
//! passed. Every round (the cron's, start-up's catch-up and `run-due`) runs
//! every due period that has no scheduled or catch-up run yet, oldest first,
//! from the region's first contract but no further back than
//! `CATCH_UP_MONTHS`: a server that was down over month ends catches up every
//! month it missed, and none before its time.

use std::collections::HashSet;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use croner::Cron;
use engine::scheme::Scheme;
use engine::{Month, Period, ServiceYear};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};
use tokio_cron_scheduler::{Job, JobScheduler, JobSchedulerError};

use crate::error::JobResult;
use crate::leases::{self, Lease};
use crate::observe::{
    self, JOB_ANNUAL, JOB_BREACH_DETECTION, JOB_MONTHLY, JOB_RISK_CHECK, Observer, Unobserved,
};
use crate::runs::{self, RunKind, Target, Trigger};
use crate::shutdown::Shutdown;
use domain::notices::{NewNotice, NoticeKind};

/// How long a lease on one run lasts unless renewed (`JOB_LEASE_SECONDS`). The
/// process running the job renews it every third of that, so a process that
/// dies holding it blocks the job for at most this long.
pub const DEFAULT_LEASE_SECONDS: u64 = 60;

/// How far back a round looks for missed periods (`CATCH_UP_MONTHS`).
pub const DEFAULT_CATCH_UP_MONTHS: u32 = 24;

/// How many times the start-up catch-up looks again, one lease apart, at runs
/// it found leased by another process (alive, or dead and not yet expired).
const CATCH_UP_ROUNDS: u32 = 5;

/// What the scheduled jobs of one application share.
#[derive(Clone, Debug)]
pub struct Jobs {
    pub db: DatabaseConnection,
    /// This process's name in the leases table and the leases' lifetime.
    pub lease: Lease,
    pub observer: Arc<dyn Observer>,
    /// A job holds a guard from it while running, so shutdown waits for it.
    pub shutdown: Shutdown,
    pub schedule: Schedule,
}

#[derive(Clone, Debug)]
pub struct Schedule {
    pub monthly_cron: String,
    pub annual_cron: String,
    pub risk_cron: String,
    /// How many months before the current one a round looks for missed periods.
    pub catch_up_months: u32,
    /// `PUBLIC_URL`, for the link in the mail of the notices a job issues.
    pub public_url: String,
}

impl Default for Schedule {
    fn default() -> Self {
        Self {
            monthly_cron: "0 0 2 5 * *".to_owned(),
            // The 20th: after the supervisors have published December.
            annual_cron: "0 0 3 20 * *".to_owned(),
            risk_cron: "0 30 1 * * *".to_owned(),
            catch_up_months: DEFAULT_CATCH_UP_MONTHS,
            public_url: crate::mail::DEFAULT_PUBLIC_URL.to_owned(),
        }
    }
}

impl Schedule {
    /// Every cron expression parses; the error names its variable.
    pub fn check(&self) -> Result<(), (&'static str, String)> {
        for (variable, cron) in self.crons() {
            parse_cron(cron).map_err(|e| (variable, e))?;
        }
        Ok(())
    }

    fn crons(&self) -> [(&'static str, &str); 3] {
        [
            ("MONTHLY_CRON", &self.monthly_cron),
            ("ANNUAL_CRON", &self.annual_cron),
            ("RISK_CHECK_CRON", &self.risk_cron),
        ]
    }

    fn monthly(&self) -> JobResult<Cron> {
        parse_cron(&self.monthly_cron).map_err(|e| crate::error::JobError::Internal(e.into()))
    }

    fn annual(&self) -> JobResult<Cron> {
        parse_cron(&self.annual_cron).map_err(|e| crate::error::JobError::Internal(e.into()))
    }
}

/// A cron expression as the scheduler reads it (seconds first).
fn parse_cron(text: &str) -> Result<Cron, String> {
    croner::parser::CronParser::builder()
        .seconds(croner::parser::Seconds::Required)
        .build()
        .parse(text)
        .map_err(|e| format!("not a valid cron expression ({e})"))
}

/// The month before `now`, local time.
pub fn previous_month(now: DateTime<Utc>) -> Month {
    Month::of(Period::Month(Month::of(now)).start() - Duration::days(1))
}

/// `n` months before `m`.
pub(crate) fn months_before(m: Month, n: u32) -> Month {
    let index = m.year() * 12 + m.month() as i32 - 1 - n as i32;
    Month::new(index.div_euclid(12), index.rem_euclid(12) as u32 + 1).unwrap_or(m)
}

fn next_month(m: Month) -> Month {
    Month::of(Period::Month(m).end())
}

/// The instant the cron first fires at or after `end` (Asia/Shanghai): when a
/// period that ends at `end` is scheduled to run.
pub fn scheduled_instant(cron: &Cron, end: DateTime<Utc>) -> Option<DateTime<Utc>> {
    cron.find_next_occurrence(&end.with_timezone(&chrono_tz::Asia::Shanghai), true)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// The months due at `now`, oldest first: from `first` (or the horizon, if
/// later) to the last month whose scheduled instant has passed.
pub fn due_months(cron: &Cron, first: Month, now: DateTime<Utc>, horizon: u32) -> Vec<Month> {
    let mut month = first.max(months_before(Month::of(now), horizon));
    let mut due = Vec::new();
    while Period::Month(month).end() <= now {
        if scheduled_instant(cron, Period::Month(month).end()).is_some_and(|t| t <= now) {
            due.push(month);
        }
        month = next_month(month);
    }
    due
}

/// The service years (by their first calendar year) due at `now`, oldest
/// first: from `first_year` on, ending after the horizon, whose scheduled
/// instant has passed.
pub fn due_years(
    cron: &Cron,
    first_month: u32,
    first_year: i32,
    now: DateTime<Utc>,
    horizon: u32,
) -> Vec<i32> {
    let oldest = Period::Month(months_before(Month::of(now), horizon)).start();
    let mut due = Vec::new();
    for start_year in first_year..=Month::of(now).year() {
        let Ok(year) = ServiceYear::new(first_month, start_year) else {
            continue;
        };
        let end = Period::ServiceYear(year).end();
        if end > oldest && end <= now && scheduled_instant(cron, end).is_some_and(|t| t <= now) {
            due.push(start_year);
        }
    }
    due
}

/// The region's scheduled or catch-up runs of `kind` that succeeded.
fn automatic(region_id: i64, kind: RunKind) -> sea_orm::Select<entities::assessment_run::Entity> {
    use entities::assessment_run::Column as C;
    entities::assessment_run::Entity::find()
        .filter(C::RegionId.eq(region_id))
        .filter(C::Kind.eq(kind))
        .filter(C::Status.eq(entities::assessment_run::RunStatus::Succeeded))
        .filter(C::Trigger.is_in(entities::assessment_run::RunTrigger::AUTOMATIC))
}

/// The periods of `kind` in the region that already have an automatic run.
async fn automatic_runs(
    db: &DatabaseConnection,
    region_id: i64,
    kind: RunKind,
) -> JobResult<HashSet<String>> {
    let periods: Vec<String> = automatic(region_id, kind)
        .select_only()
        .column(entities::assessment_run::Column::Period)
        .into_tuple()
        .all(db)
        .await?;
    Ok(periods.into_iter().collect())
}

/// Whether the target already has an automatic run in the region.
async fn has_automatic_run(
    db: &DatabaseConnection,
    region_id: i64,
    target: Target,
) -> JobResult<bool> {
    use sea_orm::PaginatorTrait;
    let period = entities::assessment_run::Column::Period.eq(target.period());
    Ok(automatic(region_id, target.kind())
        .filter(period)
        .count(db)
        .await?
        > 0)
}

/// The first service year of the region's first contract, if it has any.
async fn first_contract_year(db: &DatabaseConnection, region_id: i64) -> JobResult<Option<i32>> {
    use entities::contract::Column as C;
    let first: Option<Option<i32>> = entities::contract::Entity::find()
        .select_only()
        .column_as(C::ServiceYear.min(), "first")
        .filter(C::RegionId.eq(region_id))
        .into_tuple()
        .one(db)
        .await?;
    Ok(first.flatten())
}

/// What one round of a scheduled job did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Round {
    /// Runs this process started (and finished, successfully or not).
    pub started: usize,
    /// Runs due whose lease another process holds: running them now, or dead
    /// holding it until it expires.
    pub busy: usize,
}

impl Round {
    fn add(&mut self, ran: Option<bool>) {
        match ran {
            None => self.busy += 1,
            Some(true) => self.started += 1,
            Some(false) => {}
        }
    }
}

/// How one round runs: the schedule, the instant it runs at, what started it.
struct RoundOf<'a> {
    db: &'a DatabaseConnection,
    schedule: &'a Schedule,
    now: DateTime<Utc>,
    trigger: Trigger,
    lease: &'a Lease,
    observer: &'a dyn Observer,
}

impl<'a> RoundOf<'a> {
    /// A round outside an application (tests, `run-due`): nobody reads the
    /// metrics.
    fn unobserved(
        db: &'a DatabaseConnection,
        schedule: &'a Schedule,
        now: DateTime<Utc>,
        trigger: Trigger,
        lease: &'a Lease,
    ) -> Self {
        Self {
            db,
            schedule,
            now,
            trigger,
            lease,
            observer: &Unobserved,
        }
    }

    /// Runs the target under its lease unless it has an automatic run by then;
    /// `None` when another process holds the lease.
    async fn run(
        &self,
        region: &entities::region::Model,
        scheme: &Scheme,
        target: Target,
    ) -> JobResult<Option<bool>> {
        let db = self.db;
        let name = target.lease_name(region.id);
        let job = Box::pin(async {
            // Checked again under the lease: another process may have finished it.
            if has_automatic_run(db, region.id, target).await? {
                return Ok(false);
            }
            // Never a period that has not ended by the clock, whatever `now` says.
            if let Err(e) = runs::ensure_ended(target, scheme, Utc::now()) {
                tracing::warn!(region = region.id, period = target.period(), error = %e, "not run");
                return Ok(false);
            }
            runs::abandon_stale(db, region.id, target).await?;
            let job = match target {
                Target::Month(_) => JOB_MONTHLY,
                Target::Year(_) => JOB_ANNUAL,
            };
            let run = runs::execute(db, region, scheme, target, self.trigger, None);
            if let Err(e) = observe::job(self.observer, job, run).await {
                tracing::error!(region = region.id, period = target.period(), error = %e, "scheduled run failed");
            }
            Ok(true)
        });
        leases::hold(db, &name, self.lease, job).await
    }

    async fn monthly(&self) -> JobResult<Round> {
        let cron = self.schedule.monthly()?;
        let mut round = Round::default();
        for region in entities::region::Entity::find().all(self.db).await? {
            let scheme =
                domain::schemes::require_known(self.db, "schemeCode", &region.scheme_code).await?;
            if scheme.monthly.is_none() {
                continue;
            }
            let Some(first_year) = first_contract_year(self.db, region.id).await? else {
                continue;
            };
            let Ok(first) = Month::new(first_year, scheme.service_year_first_month) else {
                continue;
            };
            let done = automatic_runs(self.db, region.id, RunKind::Monthly).await?;
            for month in due_months(&cron, first, self.now, self.schedule.catch_up_months) {
                if !done.contains(&month.to_string()) {
                    round.add(self.run(&region, &scheme, Target::Month(month)).await?);
                }
            }
        }
        Ok(round)
    }

    async fn annual(&self) -> JobResult<Round> {
        let cron = self.schedule.annual()?;
        let mut round = Round::default();
        for region in entities::region::Entity::find().all(self.db).await? {
            let scheme =
                domain::schemes::require_known(self.db, "schemeCode", &region.scheme_code).await?;
            let Some(first_year) = first_contract_year(self.db, region.id).await? else {
                continue;
            };
            let done = automatic_runs(self.db, region.id, RunKind::Annual).await?;
            let first_month = scheme.service_year_first_month;
            for year in due_years(
                &cron,
                first_month,
                first_year,
                self.now,
                self.schedule.catch_up_months,
            ) {
                if done.contains(&year.to_string()) {
                    continue;
                }
                if let Some(missing) = unpublished_months(self.db, &region, &scheme, year).await? {
                    tracing::info!(
                        region = region.id,
                        year,
                        missing,
                        "annual run waits for published monthly results"
                    );
                    continue;
                }
                round.add(self.run(&region, &scheme, Target::Year(year)).await?);
            }
        }
        Ok(round)
    }
}

/// The months of the service year (vendor, month) still without a published
/// monthly result for a contracted vendor, as text; `None` when every one has
/// it or the scheme has no monthly scorecard (Songjiang's) and needs none.
async fn unpublished_months(
    db: &DatabaseConnection,
    region: &entities::region::Model,
    scheme: &Scheme,
    start_year: i32,
) -> JobResult<Option<String>> {
    if scheme.monthly.is_none() {
        return Ok(None);
    }
    let Ok(year) = ServiceYear::new(scheme.service_year_first_month, start_year) else {
        return Ok(None);
    };
    let published = domain::assessments::published_months(db, region.id, year.months()).await?;
    let mut missing = Vec::new();
    for vendor_id in runs::contracted_vendors(db, region.id, start_year).await? {
        for month in year.months() {
            if !published.contains_key(&(vendor_id, month)) {
                missing.push(format!("vendor {vendor_id} {month}"));
            }
        }
    }
    Ok((!missing.is_empty()).then(|| missing.join(", ")))
}

/// Every monthly run due at `now` that has no scheduled or catch-up run yet,
/// oldest first (see the module's rules). Returns the runs started.
pub async fn monthly_due(
    db: &DatabaseConnection,
    schedule: &Schedule,
    now: DateTime<Utc>,
    trigger: Trigger,
    lease: &Lease,
) -> JobResult<usize> {
    let round = RoundOf::unobserved(db, schedule, now, trigger, lease);
    Ok(round.monthly().await?.started)
}

/// Every annual run due at `now`: its service year has ended, the annual cron
/// has fired since, and every contracted vendor has a published result for
/// every month of it (for a scheme with a monthly scorecard).
pub async fn annual_due(
    db: &DatabaseConnection,
    schedule: &Schedule,
    now: DateTime<Utc>,
    trigger: Trigger,
    lease: &Lease,
) -> JobResult<usize> {
    let round = RoundOf::unobserved(db, schedule, now, trigger, lease);
    Ok(round.annual().await?.started)
}

/// A notice for every confirmed, vendor-liable security risk past its deadline
/// and not rectified, once per risk.
pub async fn overdue_risks(
    db: &DatabaseConnection,
    public_url: &str,
    now: DateTime<Utc>,
) -> JobResult<usize> {
    use entities::security_risk::Column as R;
    let today = domain::period::local(now).date_naive();
    let overdue = entities::security_risk::Entity::find()
        .filter(R::Confirmed.eq(true))
        .filter(R::VendorLiable.eq(true))
        .filter(R::RectifiedAt.is_null())
        .filter(R::Deadline.lt(today))
        .all(db)
        .await?;
    let ids: Vec<i64> = overdue.iter().map(|r| r.id).collect();
    let noticed: Vec<Option<i64>> = entities::notice::Entity::find()
        .select_only()
        .column(entities::notice::Column::RiskId)
        .filter(entities::notice::Column::Kind.eq(NoticeKind::SecurityRiskOverdue))
        .filter(entities::notice::Column::RiskId.is_in(ids))
        .into_tuple()
        .all(db)
        .await?;
    let noticed: Vec<i64> = noticed.into_iter().flatten().collect();
    let mut issued = 0;
    for risk in overdue.into_iter().filter(|r| !noticed.contains(&r.id)) {
        let txn = domain::db::write_txn(db).await?;
        let new = NewNotice {
            region_id: risk.region_id,
            vendor_id: risk.vendor_id,
            kind: NoticeKind::SecurityRiskOverdue,
            period: None,
            reason: format!(
                "安全风险{}（{} 发现）整改期限 {} 已过，尚未整改",
                engine::title_text(&risk.description),
                engine::local_time_text(risk.found_at),
                risk.deadline
            ),
            basis: vec![risk.description.clone()],
            result_id: None,
            risk_id: Some(risk.id),
            deadline: None,
            created_by: None,
        };
        crate::notices::issue(&txn, new, public_url, now).await?;
        txn.commit().await?;
        issued += 1;
    }
    Ok(issued)
}

/// Runs what is due now, as at start-up after a stop; shutdown waits for it.
/// First the runs left RUNNING by a process that stopped are closed as
/// abandoned (their leases have expired). A run leased by another process is
/// looked at again once that lease can have expired: if that process died in
/// the middle of the run (and is maybe this one's previous life), the run is
/// closed as abandoned and run again here.
pub async fn catch_up(jobs: &Jobs) -> JobResult<()> {
    let Some(_running) = jobs.shutdown.job_guard() else {
        return Ok(());
    };
    let db = &jobs.db;
    runs::abandon_orphans(db, &jobs.lease).await?;
    for attempt in 1..=CATCH_UP_ROUNDS {
        let round = RoundOf {
            db,
            schedule: &jobs.schedule,
            now: Utc::now(),
            trigger: Trigger::CatchUp,
            lease: &jobs.lease,
            observer: &*jobs.observer,
        };
        let busy = round.monthly().await?.busy + round.annual().await?.busy;
        if busy == 0 {
            break;
        }
        if attempt == CATCH_UP_ROUNDS {
            tracing::warn!(
                busy,
                "catch-up: runs still leased by another process; leaving them to it"
            );
            break;
        }
        tracing::info!(
            busy,
            "catch-up: runs leased by another process; looking again when the lease can have expired"
        );
        tokio::time::sleep(jobs.lease.ttl + std::time::Duration::from_secs(1)).await;
    }
    daily(jobs, Utc::now()).await?;
    Ok(())
}

/// The daily check: overdue security risks, then breach proposals, then the
/// exits' overdue duties.
async fn daily(jobs: &Jobs, now: DateTime<Utc>) -> JobResult<usize> {
    let notices = observe::job(
        &*jobs.observer,
        JOB_RISK_CHECK,
        overdue_risks(&jobs.db, &jobs.schedule.public_url, now),
    )
    .await?;
    let proposals = observe::job(
        &*jobs.observer,
        JOB_BREACH_DETECTION,
        crate::breaches::detect_breaches(&jobs.db, now),
    )
    .await?;
    // The exits' overdue duties, with the risks' check they extend.
    let exits =
        crate::exit_duties::overdue_exit_duties(&jobs.db, &jobs.schedule.public_url, now).await?;
    Ok(notices + proposals + exits)
}

/// The cron jobs of one process, running until `stop`.
pub struct Running(JobScheduler);

impl Running {
    /// Stops firing; a job under way goes on (shutdown waits for it).
    pub async fn stop(mut self) {
        if let Err(e) = self.0.shutdown().await {
            tracing::warn!(error = %e, "the cron scheduler did not stop cleanly");
        }
    }
}

/// A cron expression the scheduler refused, named by its variable.
#[derive(Debug, thiserror::Error)]
#[error("{variable}: not a valid cron expression ({source})")]
pub struct ScheduleError {
    pub variable: String,
    #[source]
    source: JobSchedulerError,
}

impl ScheduleError {
    fn new(variable: &str, source: JobSchedulerError) -> Self {
        Self {
            variable: variable.to_owned(),
            source,
        }
    }
}

/// Starts the cron jobs. A bad cron expression is named by its variable.
pub async fn start(jobs: Jobs) -> Result<Running, ScheduleError> {
    let scheduler = JobScheduler::new()
        .await
        .map_err(|e| ScheduleError::new("scheduler", e))?;
    let kinds = [Kind::Monthly, Kind::Annual, Kind::Risks];
    for ((variable, cron), kind) in jobs.schedule.crons().into_iter().zip(kinds) {
        let jobs_of_tick = jobs.clone();
        let job = Job::new_async_tz(cron, chrono_tz::Asia::Shanghai, move |_, _| {
            let jobs = jobs_of_tick.clone();
            Box::pin(async move { tick(&jobs, kind).await })
        })
        .map_err(|e| ScheduleError::new(variable, e))?;
        scheduler
            .add(job)
            .await
            .map_err(|e| ScheduleError::new(variable, e))?;
    }
    scheduler
        .start()
        .await
        .map_err(|e| ScheduleError::new("scheduler", e))?;
    Ok(Running(scheduler))
}

#[derive(Clone, Copy)]
enum Kind {
    Monthly,
    Annual,
    Risks,
}

/// One scheduled job, unless the application is shutting down; shutdown
/// waits for one under way (its run commits or rolls back first).
async fn tick(jobs: &Jobs, kind: Kind) {
    let Some(_running) = jobs.shutdown.job_guard() else {
        tracing::info!("shutting down: scheduled job not started");
        return;
    };
    let now = Utc::now();
    let round = RoundOf {
        db: &jobs.db,
        schedule: &jobs.schedule,
        now,
        trigger: Trigger::Schedule,
        lease: &jobs.lease,
        observer: &*jobs.observer,
    };
    let result = match kind {
        Kind::Monthly => round.monthly().await.map(|r| r.started),
        Kind::Annual => round.annual().await.map(|r| r.started),
        Kind::Risks => daily(jobs, now).await,
    };
    if let Err(e) = result {
        tracing::error!(error = %e, "scheduled job failed");
    }
}

/// What one round of every scheduled job did (`run_due`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DueRound {
    pub monthly: usize,
    pub annual: usize,
    pub risk_notices: usize,
    /// Breach proposals written (`crate::breaches`).
    pub breach_proposals: usize,
    /// Notices of overdue exit duties (`crate::exit_duties`).
    pub exit_notices: usize,
}

/// One round of every scheduled job, as the cron would run it at `now`: the
/// monthly and annual runs that are due, then the overdue security risks and
/// the breach proposals.
pub async fn run_due(
    db: &DatabaseConnection,
    schedule: &Schedule,
    lease: &Lease,
    now: DateTime<Utc>,
) -> JobResult<DueRound> {
    Ok(DueRound {
        monthly: monthly_due(db, schedule, now, Trigger::Schedule, lease).await?,
        annual: annual_due(db, schedule, now, Trigger::Schedule, lease).await?,
        risk_notices: overdue_risks(db, &schedule.public_url, now).await?,
        breach_proposals: crate::breaches::detect_breaches(db, now).await?,
        exit_notices: crate::exit_duties::overdue_exit_duties(db, &schedule.public_url, now)
            .await?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_monthly_run_assesses_the_previous_local_month() {
        // 2026-01-04 20:00 UTC is 2026-01-05 04:00 in Shanghai: the run is for December.
        let now = DateTime::parse_from_rfc3339("2026-01-04T20:00:00Z")
            .expect("instant")
            .with_timezone(&Utc);
        assert_eq!(previous_month(now).to_string(), "2025-12");
    }

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .expect("instant")
            .with_timezone(&Utc)
    }

    fn month(y: i32, m: u32) -> Month {
        Month::new(y, m).expect("month")
    }

    fn default_cron(pick: fn(&Schedule) -> JobResult<Cron>) -> Cron {
        pick(&Schedule::default()).expect("the default crons parse")
    }

    #[test]
    fn a_month_is_due_when_the_cron_first_fires_after_it() {
        let cron = default_cron(Schedule::monthly);
        // November 2026 ends 2026-12-01 00:00; the cron (02:00 on the 5th) fires
        // first at 2026-12-05 02:00 Shanghai.
        assert_eq!(
            scheduled_instant(&cron, Period::Month(month(2026, 11)).end()),
            Some(at("2026-12-05T02:00:00+08:00"))
        );
    }

    #[test]
    fn starting_on_the_first_runs_the_month_before_last_not_last_month() {
        let cron = default_cron(Schedule::monthly);
        // On 1 December October is due (its instant was 5 November), November is not.
        let due = due_months(&cron, month(2026, 1), at("2026-12-01T09:00:00+08:00"), 24);
        assert_eq!(due.first(), Some(&month(2026, 1)));
        assert_eq!(due.last(), Some(&month(2026, 10)));
        assert_eq!(due.len(), 10, "January to October, oldest first");
        // One second before 5 December 02:00 still not November; at 02:00 it is.
        let before = due_months(&cron, month(2026, 11), at("2026-12-05T01:59:59+08:00"), 24);
        assert!(before.is_empty());
        let then = due_months(&cron, month(2026, 11), at("2026-12-05T02:00:00+08:00"), 24);
        assert_eq!(then, vec![month(2026, 11)]);
    }

    #[test]
    fn catch_up_reaches_back_no_further_than_the_horizon() {
        let cron = default_cron(Schedule::monthly);
        // From a 2020 contract, on 2026-12-10 with a 24-month horizon: December
        // 2024 (24 months before December 2026) to November 2026 = 24 months.
        let due = due_months(&cron, month(2020, 1), at("2026-12-10T00:00:00+08:00"), 24);
        assert_eq!(due.first(), Some(&month(2024, 12)));
        assert_eq!(due.last(), Some(&month(2026, 11)));
        assert_eq!(due.len(), 24);
    }

    #[test]
    fn a_service_year_is_due_after_the_annual_cron_fires_past_its_end() {
        let cron = default_cron(Schedule::annual);
        // Calendar year 2025 ends 2026-01-01; the annual cron (03:00 on the 20th)
        // fires first at 2026-01-20 03:00.
        assert!(due_years(&cron, 1, 2025, at("2026-01-20T02:59:00+08:00"), 24).is_empty());
        assert_eq!(
            due_years(&cron, 1, 2025, at("2026-01-20T03:00:00+08:00"), 24),
            vec![2025]
        );
        // Songjiang's year 2025 (July 2025 – June 2026) is due from 2026-07-20 03:00.
        assert!(due_years(&cron, 7, 2025, at("2026-07-19T12:00:00+08:00"), 24).is_empty());
        assert_eq!(
            due_years(&cron, 7, 2024, at("2026-07-20T03:00:00+08:00"), 24),
            vec![2024, 2025]
        );
    }

    #[test]
    fn a_bad_cron_is_named_by_its_variable() {
        let schedule = Schedule {
            annual_cron: "every day".to_owned(),
            ..Schedule::default()
        };
        assert_eq!(schedule.check().map_err(|(v, _)| v), Err("ANNUAL_CRON"));
    }
}
