//! What the jobs tell whoever watches them (the server's `/metrics`): each
//! job run with its outcome and duration, and failed mail deliveries. The jobs
//! name the trait; the server implements it.

use std::future::Future;
use std::time::{Duration, Instant};

pub const JOB_MONTHLY: &str = "monthly";
pub const JOB_ANNUAL: &str = "annual";
pub const JOB_RISK_CHECK: &str = "risk_check";
pub const JOB_BREACH_DETECTION: &str = "breach_detection";
pub const JOB_MAIL: &str = "mail";

pub trait Observer: Send + Sync + std::fmt::Debug {
    /// A run of `job` ended, succeeded or not, after `took`.
    fn job_ended(&self, job: &'static str, succeeded: bool, took: Duration);
    /// Mail delivery attempts that failed.
    fn outbox_failed(&self, attempts: usize);
}

/// Nobody watches (tests, `run-due`).
#[derive(Debug, Default)]
pub struct Unobserved;

impl Observer for Unobserved {
    fn job_ended(&self, _: &'static str, _: bool, _: Duration) {}
    fn outbox_failed(&self, _: usize) {}
}

/// Runs `work` as one run of `job`, telling `observer` how it ended.
pub async fn job<T, E>(
    observer: &dyn Observer,
    job: &'static str,
    work: impl Future<Output = Result<T, E>>,
) -> Result<T, E> {
    let started = Instant::now();
    let result = work.await;
    observer.job_ended(job, result.is_ok(), started.elapsed());
    result
}
