//! Work orders (工单): resources approved for an agency and delivered by the
//! vendor. A1 counts late ones, A2 those provisioned differently from approval.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, SimpleObject};
use chrono::{DateTime, FixedOffset, Utc};

use super::{fact_links, opt_utc, owner, set_nullable, utc};
use crate::error::DomainResult;
use crate::graphql::agencies::{Agencies, Agency};
use crate::graphql::crud::{self, FromInput};
use crate::graphql::nested::{self, id};
use crate::graphql::systems::{InformationSystem, InformationSystems};
use domain::actor::Actor;
use domain::period::local;
use domain::validate;
use entities::work_order::Model;

pub use domain::facts::work_orders::WorkOrders;

#[derive(SimpleObject)]
#[graphql(complex)]
pub struct WorkOrder {
    pub id: ID,
    pub region_id: ID,
    pub vendor_id: ID,
    pub agency_id: Option<ID>,
    pub system_id: Option<ID>,
    pub title: String,
    pub approved_at: DateTime<FixedOffset>,
    pub completed_at: Option<DateTime<FixedOffset>>,
    pub provisioned_differently: bool,
    pub confirmed: bool,
    pub vendor_liable: bool,
    pub recorded_by_id: ID,
    pub recorded_at: DateTime<FixedOffset>,
}

impl From<Model> for WorkOrder {
    fn from(m: Model) -> Self {
        Self {
            id: id(m.id),
            region_id: id(m.region_id),
            vendor_id: id(m.vendor_id),
            agency_id: m.agency_id.map(id),
            system_id: m.system_id.map(id),
            title: m.title,
            approved_at: local(m.approved_at),
            completed_at: m.completed_at.map(local),
            provisioned_differently: m.provisioned_differently,
            confirmed: m.confirmed,
            vendor_liable: m.vendor_liable,
            recorded_by_id: id(m.recorded_by),
            recorded_at: local(m.recorded_at),
        }
    }
}

fact_links!(WorkOrder {
    async fn agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Agency>> {
        nested::optional::<Agencies, Agency>(ctx, &self.agency_id).await
    }
    async fn system(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<InformationSystem>> {
        nested::optional::<InformationSystems, InformationSystem>(ctx, &self.system_id).await
    }
});

#[derive(InputObject)]
pub struct CreateWorkOrderInput {
    pub region_id: ID,
    pub vendor_id: ID,
    pub agency_id: Option<ID>,
    pub system_id: Option<ID>,
    pub title: String,
    pub approved_at: DateTime<FixedOffset>,
    pub completed_at: Option<DateTime<FixedOffset>>,
    #[graphql(default)]
    pub provisioned_differently: bool,
    pub confirmed: bool,
    pub vendor_liable: bool,
}

#[derive(InputObject)]
pub struct UpdateWorkOrderInput {
    pub title: Option<String>,
    pub approved_at: Option<DateTime<FixedOffset>>,
    pub completed_at: MaybeUndefined<DateTime<FixedOffset>>,
    pub provisioned_differently: Option<bool>,
    pub confirmed: Option<bool>,
    pub vendor_liable: Option<bool>,
}

impl FromInput for WorkOrders {
    type Create = CreateWorkOrderInput;
    type Update = UpdateWorkOrderInput;

    fn build(
        input: CreateWorkOrderInput,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> DomainResult<Model> {
        let (region_id, vendor_id) = owner(&input.region_id, &input.vendor_id)?;
        Ok(Model {
            id: 0,
            region_id,
            vendor_id,
            agency_id: crud::parse_opt_id("input.agencyId", &input.agency_id)?,
            system_id: crud::parse_opt_id("input.systemId", &input.system_id)?,
            title: validate::text("input.title", input.title, 200)?,
            approved_at: utc(input.approved_at),
            completed_at: opt_utc(input.completed_at),
            provisioned_differently: input.provisioned_differently,
            confirmed: input.confirmed,
            vendor_liable: input.vendor_liable,
            recorded_by: actor.user_id,
            recorded_at: now,
        })
    }

    fn patch(row: &mut Model, input: UpdateWorkOrderInput) -> DomainResult<()> {
        if let Some(v) = input.title {
            row.title = validate::text("input.title", v, 200)?;
        }
        if let Some(v) = input.approved_at {
            row.approved_at = utc(v);
        }
        set_nullable(&mut row.completed_at, input.completed_at.map_value(utc));
        row.provisioned_differently = input
            .provisioned_differently
            .unwrap_or(row.provisioned_differently);
        row.confirmed = input.confirmed.unwrap_or(row.confirmed);
        row.vendor_liable = input.vendor_liable.unwrap_or(row.vendor_liable);
        Ok(())
    }
}

crud_api!(resource: WorkOrders, object: WorkOrder, page: WorkOrderPage,
    create_input: CreateWorkOrderInput, update_input: UpdateWorkOrderInput,
    query: WorkOrderQuery { work_order, work_orders },
    mutation: WorkOrderMutation { create_work_order, update_work_order, delete_work_order });
