//! What happens on a schedule or as a consequence: loading a period's facts for
//! the engine (`assessment`), assessment runs and publishing them, the notices'
//! mail, the scheduler and its leases, the outbox and its sender. Each job is a
//! plain async fn with an injected instant, called by the cron, `run-due` and
//! the tests alike. It knows no HTTP and no GraphQL.

pub mod assessment;
pub mod breach_notices;
pub mod breaches;
pub mod disputes;
pub mod error;
pub mod exit_duties;
pub mod leases;
pub mod mail;
pub mod notices;
pub mod observe;
pub mod publishing;
pub mod revisions;
pub mod runs;
pub mod scheduler;
pub mod shutdown;

pub use error::{JobError, JobResult};
