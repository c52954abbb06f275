//! Work orders (工单): resources approved for an agency and delivered by the
//! vendor. A1 counts late ones, A2 those provisioned differently from approval.

use async_graphql::Context;

use super::columns::{Flag, Instant, Nullable, Ref, Text};
use crate::graphql::agencies::{Agencies, Agency};
use crate::graphql::nested;
use crate::graphql::systems::{InformationSystem, InformationSystems};

pub use domain::facts::work_orders::WorkOrders;

fact_kind! {
    WorkOrders => WorkOrder, entity: work_order, page: WorkOrderPage,
    inputs: CreateWorkOrderInput, UpdateWorkOrderInput,
    query: WorkOrderQuery { work_order, work_orders },
    mutation: WorkOrderMutation { create_work_order, update_work_order, delete_work_order },
    fixed {
        agency_id: Nullable<Ref>,
        system_id: Nullable<Ref>,
    }
    columns {
        title: Text<200>,
        approved_at: Instant,
        completed_at: Nullable<Instant>,
        #[create(graphql(default))]
        provisioned_differently: Flag,
        confirmed: Flag,
        vendor_liable: Flag,
    }
    links {
        async fn agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Agency>> {
            nested::optional::<Agencies, Agency>(ctx, &self.agency_id).await
        }
        async fn system(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<InformationSystem>> {
            nested::optional::<InformationSystems, InformationSystem>(ctx, &self.system_id).await
        }
    }
}
