//! Outages of a cloud service (服务中断). D1 computes each service's monthly
//! availability from them; an outage crossing a month boundary is split at it.

use super::columns::{Flag, Instant, Nullable, Text};

pub use domain::facts::outages::Outages;

fact_kind! {
    Outages => Outage, entity: outage, page: OutagePage,
    label: "服务中断", title: description,
    inputs: CreateOutageInput, UpdateOutageInput,
    query: OutageQuery { outage, outages },
    mutation: OutageMutation { create_outage, update_outage, delete_outage },
    columns {
        /// The cloud service, e.g. `ECS`.
        #[label("云服务")]
        service: Text<100>,
        #[label("情况说明")]
        description: Text<2000>,
        #[label("开始时间")]
        started_at: Instant,
        /// Null while the outage is ongoing.
        #[label("结束时间")]
        ended_at: Nullable<Instant>,
        #[label("已确认")]
        confirmed: Flag,
        #[label("服务商责任")]
        vendor_liable: Flag,
    }
    links {}
}
