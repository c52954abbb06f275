//! Service tasks (服务任务) with a planned deadline. A3 deducts each task not
//! finished as planned; finishing early is fine, so finished and planned have no
//! order rule.

use super::columns::{Flag, Instant, Nullable, Text};

pub use domain::facts::service_tasks::ServiceTasks;

fact_kind! {
    ServiceTasks => ServiceTask, entity: service_task, page: ServiceTaskPage,
    inputs: CreateServiceTaskInput, UpdateServiceTaskInput,
    query: ServiceTaskQuery { service_task, service_tasks },
    mutation: ServiceTaskMutation { create_service_task, update_service_task, delete_service_task },
    columns {
        title: Text<200>,
        /// The deadline.
        planned_at: Instant,
        finished_at: Nullable<Instant>,
        confirmed: Flag,
        vendor_liable: Flag,
    }
    links {}
}
