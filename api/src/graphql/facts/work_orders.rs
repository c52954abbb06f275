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
    label: "工单", title: title,
    inputs: CreateWorkOrderInput, UpdateWorkOrderInput,
    query: WorkOrderQuery { work_order, work_orders },
    mutation: WorkOrderMutation { create_work_order, update_work_order, delete_work_order },
    fixed {
        #[label("使用单位", Agency)]
        agency_id: Nullable<Ref>,
        #[label("信息系统", System)]
        system_id: Nullable<Ref>,
    }
    columns {
        #[label("标题")]
        title: Text<200>,
        #[label("批准时间")]
        approved_at: Instant,
        #[label("交付完成时间")]
        completed_at: Nullable<Instant>,
        #[label("与审批不一致")]
        #[create(graphql(default))]
        provisioned_differently: Flag,
        #[label("已确认")]
        confirmed: Flag,
        #[label("服务商责任")]
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
