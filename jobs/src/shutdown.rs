//! Graceful shutdown: on SIGTERM or Ctrl-C (or [`Shutdown::trigger`], for
//! tests) the server stops accepting connections and starting jobs, and waits
//! for the requests and jobs under way, up to a grace period.

use tokio_util::sync::CancellationToken;
use tokio_util::task::{TaskTracker, task_tracker::TaskTrackerToken};

/// Shared by the server and the jobs of one application.
#[derive(Clone, Debug, Default)]
pub struct Shutdown {
    requested: CancellationToken,
    jobs: TaskTracker,
}

impl Shutdown {
    /// Asks the application to stop, as a signal would.
    pub fn trigger(&self) {
        self.requested.cancel();
    }

    pub fn is_triggered(&self) -> bool {
        self.requested.is_cancelled()
    }

    /// Completes once shutdown is asked for.
    pub async fn triggered(self) {
        self.requested.cancelled_owned().await;
    }

    /// What a job holds while it runs, so that shutdown waits for it; `None`
    /// once shutting down: the job is then not started. The guard is taken
    /// before the check, so a job either is waited for or does not start.
    pub fn job_guard(&self) -> Option<TaskTrackerToken> {
        let guard = self.jobs.token();
        (!self.is_triggered()).then_some(guard)
    }

    /// Completes when every job holding a guard has finished.
    pub async fn jobs_finished(&self) {
        self.jobs.close();
        self.jobs.wait().await;
    }
}

/// Completes on SIGTERM (what container runtimes send) or Ctrl-C.
pub async fn signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => tracing::info!("SIGTERM received"),
                    _ = tokio::signal::ctrl_c() => tracing::info!("Ctrl-C received"),
                }
                return;
            }
            Err(e) => tracing::warn!(error = %e, "cannot listen for SIGTERM; Ctrl-C only"),
        }
    }
    let _ = tokio::signal::ctrl_c().await;
    tracing::info!("Ctrl-C received");
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn shutdown_waits_for_a_running_job_and_starts_no_new_one() {
        let shutdown = Shutdown::default();
        let running = shutdown.job_guard().expect("not shutting down yet");

        shutdown.trigger();
        let waiting = tokio::spawn({
            let shutdown = shutdown.clone();
            async move { shutdown.jobs_finished().await }
        });

        assert!(shutdown.job_guard().is_none(), "no job starts now");
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!waiting.is_finished(), "the running job is waited for");
        drop(running);
        tokio::time::timeout(Duration::from_secs(5), waiting)
            .await
            .expect("done once the job is")
            .expect("no panic");
    }
}
