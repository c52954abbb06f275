//! Service tasks (服务任务) with a planned deadline. A3 deducts each task not
//! finished as planned; finishing early is fine, so finished and planned have no
//! order rule.

use super::columns::{Flag, Instant, Nullable, Text};

pub use domain::facts::service_tasks::ServiceTasks;

fact_kind! {
    ServiceTasks => ServiceTask, entity: service_task, page: ServiceTaskPage,
    label: "服务任务", title: title,
    inputs: CreateServiceTaskInput, UpdateServiceTaskInput,
    query: ServiceTaskQuery { service_task, service_tasks },
    mutation: ServiceTaskMutation { create_service_task, update_service_task, delete_service_task },
    columns {
        #[label("标题")]
        title: Text<200>,
        /// The deadline.
        #[label("计划完成时间")]
        planned_at: Instant,
        #[label("实际完成时间")]
        finished_at: Nullable<Instant>,
        #[label("已确认")]
        confirmed: Flag,
        #[label("服务商责任")]
        vendor_liable: Flag,
    }
    links {}
}
