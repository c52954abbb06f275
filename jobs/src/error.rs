//! The jobs' error: what failed, said so that a failed 02:00 run's log line
//! names it. A rule the domain refused (a run asked for a period that has not
//! ended, say) stays the domain's error, so an edge that started the job
//! answers with the same code as for any other refused input.

use domain::DomainError;
use sea_orm::DbErr;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum JobError {
    /// A rule of the domain refused, or the store could not answer.
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// A stored scheme the engine cannot apply (validated when it was loaded,
    /// so this is a corrupted row or an engine that changed under it).
    #[error("scheme {code}: {reason}")]
    Scheme { code: String, reason: String },
    /// Anything else; logged, never shown to a client.
    #[error("{0}")]
    Internal(Box<dyn std::error::Error + Send + Sync>),
}

pub type JobResult<T> = Result<T, JobError>;

impl JobError {
    pub fn bad(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::Domain(DomainError::bad(field, reason))
    }
    pub fn not_found(what: impl Into<String>) -> Self {
        Self::Domain(DomainError::not_found(what))
    }
    pub fn conflict(what: impl Into<String>) -> Self {
        Self::Domain(DomainError::Conflict(what.into()))
    }
    pub fn internal(e: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::Internal(Box::new(e))
    }
}

impl From<DbErr> for JobError {
    fn from(e: DbErr) -> Self {
        Self::Domain(DomainError::from(e))
    }
}

/// Where a job's error reaches a client (a run started from the API): the
/// domain's own errors keep their code; anything else is internal (logged with
/// what failed, shown as "internal error").
impl From<JobError> for DomainError {
    fn from(e: JobError) -> Self {
        match e {
            JobError::Domain(d) => d,
            other => DomainError::Internal(Box::new(other)),
        }
    }
}
