//! The scheduled jobs, in Asia/Shanghai time: the monthly run (default 02:00 on
//! the 5th, for the previous month, every region), the annual run (after a
//! region's service year has ended), and the daily check for security risks
//! past their deadline. Each cron callback only calls a testable function here;
//! running one twice does no harm: a period that already has a scheduled run is
//! skipped, and a lease in the database keeps two processes from racing.
//! At start-up the same functions run once (catch-up for a run missed while the
//! server was down).

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use jobs::engine::{Month, Period, ServiceYear};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};
use tokio_cron_scheduler::{Job, JobScheduler, JobSchedulerError};

use crate::error::AppResult;
use crate::leases;
use crate::metrics::{JOB_ANNUAL, JOB_MONTHLY, JOB_RISK_CHECK, Metrics};
use crate::notices::{self, NewNotice};
use crate::runs::{self, ANNUAL, MONTHLY, Trigger};
use crate::shutdown::Shutdown;

/// How long a lease on one run lasts unless renewed (`JOB_LEASE_SECONDS`). The
/// process running the job renews it every third of that, so a process that
/// dies holding it blocks the job for at most this long.
pub const DEFAULT_LEASE_SECONDS: u64 = 60;

/// How many times the start-up catch-up looks again, one lease apart, at runs
/// it found leased by another process (alive, or dead and not yet expired).
const CATCH_UP_ROUNDS: u32 = 5;

/// What the scheduled jobs of one application share.
#[derive(Clone, Debug)]
pub struct Jobs {
    pub db: DatabaseConnection,
    /// This process's name in the leases table.
    pub holder: String,
    pub metrics: Arc<Metrics>,
    /// A job holds a guard from it while running, so shutdown waits for it.
    pub shutdown: Shutdown,
    /// How long a lease on one run lasts unless renewed.
    pub lease: std::time::Duration,
}

#[derive(Clone, Debug)]
pub struct Schedule {
    pub monthly_cron: String,
    pub annual_cron: String,
    pub risk_cron: String,
    /// The lifetime of a job's lease, renewed while the job runs.
    pub lease: std::time::Duration,
}

impl Default for Schedule {
    fn default() -> Self {
        Self {
            monthly_cron: "0 0 2 5 * *".to_owned(),
            // The 20th: after the supervisors have published December.
            annual_cron: "0 0 3 20 * *".to_owned(),
            risk_cron: "0 30 1 * * *".to_owned(),
            lease: std::time::Duration::from_secs(DEFAULT_LEASE_SECONDS),
        }
    }
}

/// The month before `now`, local time.
pub fn previous_month(now: DateTime<Utc>) -> Month {
    Month::of(Period::Month(Month::of(now)).start() - Duration::days(1))
}

async fn has_automatic_run(
    db: &DatabaseConnection,
    region_id: i64,
    kind: &str,
    period: &str,
) -> AppResult<bool> {
    use entities::assessment_run::Column as C;
    Ok(entities::assessment_run::Entity::find()
        .filter(C::RegionId.eq(region_id))
        .filter(C::Kind.eq(kind))
        .filter(C::Period.eq(period))
        .filter(C::Status.eq("SUCCEEDED"))
        .filter(C::Trigger.is_in(["SCHEDULE", "CATCH_UP"]))
        .one(db)
        .await?
        .is_some())
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

/// Runs `job` while holding the lease `name`, renewing it every third of
/// `ttl`, and gives the lease back after. `None` when another holder has it.
async fn under_lease<T>(
    db: &DatabaseConnection,
    name: &str,
    holder: &str,
    ttl: std::time::Duration,
    job: impl std::future::Future<Output = AppResult<T>>,
) -> AppResult<Option<T>> {
    let lease = Duration::from_std(ttl).unwrap_or(Duration::seconds(60));
    if !leases::acquire(db, name, holder, Utc::now(), lease).await? {
        return Ok(None);
    }
    let renewing = {
        let (db, name, holder) = (db.clone(), name.to_owned(), holder.to_owned());
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(ttl / 3).await;
                match leases::renew(&db, &name, &holder, Utc::now(), lease).await {
                    Ok(true) => {}
                    Ok(false) => tracing::warn!(lease = name, "lease lost while running"),
                    Err(e) => tracing::warn!(lease = name, error = %e, "cannot renew lease"),
                }
            }
        })
    };
    // Stops the renewal however `job` ends (also if it panics).
    struct Abort(tokio::task::JoinHandle<()>);
    impl Drop for Abort {
        fn drop(&mut self) {
            self.0.abort();
        }
    }
    let renewing = Abort(renewing);
    let result = job.await;
    drop(renewing);
    if let Err(e) = leases::release(db, name, holder).await {
        tracing::warn!(lease = name, error = %e, "cannot release lease; it will expire");
    }
    result.map(Some)
}

/// The monthly run for the previous month in every region whose scheme assesses
/// monthly and that has no scheduled run for it yet. Returns the runs started.
pub async fn monthly_due(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    trigger: Trigger,
    holder: &str,
    lease: std::time::Duration,
) -> AppResult<usize> {
    // Outside an application (tests, `run-due`) nobody reads the metrics.
    Ok(
        monthly_round(db, now, trigger, holder, lease, &Metrics::new())
            .await?
            .started,
    )
}

async fn monthly_round(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    trigger: Trigger,
    holder: &str,
    lease: std::time::Duration,
    metrics: &Metrics,
) -> AppResult<Round> {
    let month = previous_month(now);
    let period = month.to_string();
    let mut round = Round::default();
    for region in entities::region::Entity::find().all(db).await? {
        let scheme = crate::schemes::require_known(db, "schemeCode", &region.scheme_code).await?;
        if scheme.monthly.is_none() || has_automatic_run(db, region.id, MONTHLY, &period).await? {
            continue;
        }
        let name = format!("monthly:{}:{month}", region.id);
        let ran = under_lease(db, &name, holder, lease, async {
            // Checked again under the lease: another process may have finished it.
            if has_automatic_run(db, region.id, MONTHLY, &period).await? {
                return Ok(false);
            }
            runs::abandon_stale(db, region.id, MONTHLY, &period).await?;
            let run = runs::run_monthly(db, region.id, month, trigger, None);
            if let Err(e) = metrics.job(JOB_MONTHLY, run).await {
                tracing::error!(region = region.id, %month, error = %e, "scheduled monthly run failed");
            }
            Ok(true)
        })
        .await?;
        match ran {
            None => round.busy += 1,
            Some(true) => round.started += 1,
            Some(false) => {}
        }
    }
    Ok(round)
}

/// The annual run for each region whose service year ended with the previous
/// month.
pub async fn annual_due(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    trigger: Trigger,
    holder: &str,
    lease: std::time::Duration,
) -> AppResult<usize> {
    Ok(
        annual_round(db, now, trigger, holder, lease, &Metrics::new())
            .await?
            .started,
    )
}

async fn annual_round(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    trigger: Trigger,
    holder: &str,
    lease: std::time::Duration,
    metrics: &Metrics,
) -> AppResult<Round> {
    let last = previous_month(now);
    let mut round = Round::default();
    for region in entities::region::Entity::find().all(db).await? {
        let scheme = crate::schemes::require_known(db, "schemeCode", &region.scheme_code).await?;
        let Ok(year) = ServiceYear::containing(scheme.service_year_first_month, last) else {
            continue;
        };
        let ended = year.months().last() == Some(last);
        let start_year = year.first_month().year();
        let period = start_year.to_string();
        if !ended || has_automatic_run(db, region.id, ANNUAL, &period).await? {
            continue;
        }
        let name = format!("annual:{}:{start_year}", region.id);
        let ran = under_lease(db, &name, holder, lease, async {
            if has_automatic_run(db, region.id, ANNUAL, &period).await? {
                return Ok(false);
            }
            runs::abandon_stale(db, region.id, ANNUAL, &period).await?;
            let run = runs::run_annual(db, region.id, start_year, trigger, None);
            if let Err(e) = metrics.job(JOB_ANNUAL, run).await {
                tracing::error!(region = region.id, start_year, error = %e, "scheduled annual run failed");
            }
            Ok(true)
        })
        .await?;
        match ran {
            None => round.busy += 1,
            Some(true) => round.started += 1,
            Some(false) => {}
        }
    }
    Ok(round)
}

/// A notice for every confirmed, vendor-liable security risk past its deadline
/// and not rectified, once per risk.
pub async fn overdue_risks(db: &DatabaseConnection, now: DateTime<Utc>) -> AppResult<usize> {
    use entities::security_risk::Column as R;
    let today = crate::period::local(now).date_naive();
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
        .filter(entities::notice::Column::Kind.eq(notices::SECURITY_RISK_OVERDUE))
        .filter(entities::notice::Column::RiskId.is_in(ids))
        .into_tuple()
        .all(db)
        .await?;
    let noticed: Vec<i64> = noticed.into_iter().flatten().collect();
    let mut issued = 0;
    for risk in overdue.into_iter().filter(|r| !noticed.contains(&r.id)) {
        let txn = crate::db::write_txn(db).await?;
        let new = NewNotice {
            region_id: risk.region_id,
            vendor_id: risk.vendor_id,
            kind: notices::SECURITY_RISK_OVERDUE,
            period: None,
            reason: format!(
                "安全风险{}（{} 发现）整改期限 {} 已过，尚未整改",
                jobs::engine::title_text(&risk.description),
                jobs::engine::local_time_text(risk.found_at),
                risk.deadline
            ),
            basis: vec![risk.description.clone()],
            result_id: None,
            risk_id: Some(risk.id),
            deadline: None,
            created_by: None,
        };
        notices::issue(&txn, new, now).await?;
        txn.commit().await?;
        issued += 1;
    }
    Ok(issued)
}

/// Runs what is due now, as at start-up after a stop; shutdown waits for it. A
/// run leased by another process is looked at again once that lease can have
/// expired: if that process died in the middle of the run (and is maybe this
/// one's previous life), the run is closed as abandoned and run again here.
pub async fn catch_up(jobs: &Jobs) -> AppResult<()> {
    let Some(_running) = jobs.shutdown.job_guard() else {
        return Ok(());
    };
    let (db, holder, metrics) = (&jobs.db, jobs.holder.as_str(), jobs.metrics.as_ref());
    let lease = jobs.lease;
    for attempt in 1..=CATCH_UP_ROUNDS {
        let now = Utc::now();
        let monthly = monthly_round(db, now, Trigger::CatchUp, holder, lease, metrics).await?;
        let annual = annual_round(db, now, Trigger::CatchUp, holder, lease, metrics).await?;
        let busy = monthly.busy + annual.busy;
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
        tokio::time::sleep(lease + std::time::Duration::from_secs(1)).await;
    }
    metrics
        .job(JOB_RISK_CHECK, overdue_risks(db, Utc::now()))
        .await?;
    Ok(())
}

/// Starts the cron jobs. A bad cron expression is named by its variable.
pub async fn start(
    jobs: Jobs,
    schedule: &Schedule,
) -> Result<JobScheduler, (String, JobSchedulerError)> {
    let scheduler = JobScheduler::new()
        .await
        .map_err(|e| ("scheduler".to_owned(), e))?;
    let crons: [(&str, &str, Kind); 3] = [
        ("MONTHLY_CRON", &schedule.monthly_cron, Kind::Monthly),
        ("ANNUAL_CRON", &schedule.annual_cron, Kind::Annual),
        ("RISK_CHECK_CRON", &schedule.risk_cron, Kind::Risks),
    ];
    for (variable, cron, kind) in crons {
        let jobs = jobs.clone();
        let job = Job::new_async_tz(cron, chrono_tz::Asia::Shanghai, move |_, _| {
            let jobs = jobs.clone();
            Box::pin(async move { tick(&jobs, kind).await })
        })
        .map_err(|e| (variable.to_owned(), e))?;
        scheduler
            .add(job)
            .await
            .map_err(|e| (variable.to_owned(), e))?;
    }
    scheduler
        .start()
        .await
        .map_err(|e| ("scheduler".to_owned(), e))?;
    Ok(scheduler)
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
    let (db, holder, metrics) = (&jobs.db, jobs.holder.as_str(), jobs.metrics.as_ref());
    let (now, lease) = (Utc::now(), jobs.lease);
    let result = match kind {
        Kind::Monthly => monthly_round(db, now, Trigger::Schedule, holder, lease, metrics)
            .await
            .map(|r| r.started),
        Kind::Annual => annual_round(db, now, Trigger::Schedule, holder, lease, metrics)
            .await
            .map(|r| r.started),
        Kind::Risks => metrics.job(JOB_RISK_CHECK, overdue_risks(db, now)).await,
    };
    if let Err(e) = result {
        tracing::error!(error = %e, "scheduled job failed");
    }
}

/// `govcloud run-due [--at <instant>]`: one round of every scheduled job, as the
/// cron would run it at `--at` (default now), then exit.
pub async fn run_due_once(config: &crate::config::Config, args: &[String]) -> Result<(), String> {
    let now = match args {
        [] => Utc::now(),
        [flag, at] if flag == "--at" => DateTime::parse_from_rfc3339(at)
            .map_err(|e| format!("--at: {at:?} is not an RFC 3339 instant ({e})"))?
            .with_timezone(&Utc),
        _ => return Err("usage: govcloud run-due [--at 2025-04-05T02:00:00+08:00]".to_owned()),
    };
    let db = crate::db::connect(config)
        .await
        .map_err(|e| format!("database: {e}"))?;
    let holder = leases::holder_name();
    let lease = config
        .schedule
        .as_ref()
        .map_or(std::time::Duration::from_secs(DEFAULT_LEASE_SECONDS), |s| {
            s.lease
        });
    let monthly = monthly_due(&db, now, Trigger::Schedule, &holder, lease)
        .await
        .map_err(|e| e.to_string())?;
    let annual = annual_due(&db, now, Trigger::Schedule, &holder, lease)
        .await
        .map_err(|e| e.to_string())?;
    let notices = overdue_risks(&db, now).await.map_err(|e| e.to_string())?;
    println!("monthly runs: {monthly}, annual runs: {annual}, risk notices: {notices}");
    Ok(())
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
}
