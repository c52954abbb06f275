//! Outages of a cloud service (服务中断). D1 computes each service's monthly
//! availability from them; an outage crossing a month boundary is split at it.

use super::columns::{Flag, Instant, Nullable, Text};

pub use domain::facts::outages::Outages;

fact_kind! {
    Outages => Outage, entity: outage, page: OutagePage,
    inputs: CreateOutageInput, UpdateOutageInput,
    query: OutageQuery { outage, outages },
    mutation: OutageMutation { create_outage, update_outage, delete_outage },
    columns {
        /// The cloud service, e.g. `ECS`.
        service: Text<100>,
        description: Text<2000>,
        started_at: Instant,
        /// Null while the outage is ongoing.
        ended_at: Nullable<Instant>,
        confirmed: Flag,
        vendor_liable: Flag,
    }
    links {}
}
