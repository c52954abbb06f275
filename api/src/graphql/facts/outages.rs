//! Outages of a cloud service (服务中断). D1 computes each service's monthly
//! availability from them; an outage crossing a month boundary is split at it.

use async_graphql::{ID, InputObject, MaybeUndefined, SimpleObject};
use chrono::{DateTime, FixedOffset, Utc};

use super::{fact_links, opt_utc, owner, set_nullable, utc};
use crate::error::DomainResult;
use crate::graphql::crud::FromInput;
use crate::graphql::nested::id;
use domain::actor::Actor;
use domain::period::local;
use domain::validate;
use entities::outage::Model;

pub use domain::facts::outages::Outages;

#[derive(SimpleObject)]
#[graphql(complex)]
pub struct Outage {
    pub id: ID,
    pub region_id: ID,
    pub vendor_id: ID,
    /// The cloud service, e.g. `ECS`.
    pub service: String,
    pub description: String,
    pub started_at: DateTime<FixedOffset>,
    /// Null while the outage is ongoing.
    pub ended_at: Option<DateTime<FixedOffset>>,
    pub confirmed: bool,
    pub vendor_liable: bool,
    pub recorded_by_id: ID,
    pub recorded_at: DateTime<FixedOffset>,
}

impl From<Model> for Outage {
    fn from(m: Model) -> Self {
        Self {
            id: id(m.id),
            region_id: id(m.region_id),
            vendor_id: id(m.vendor_id),
            service: m.service,
            description: m.description,
            started_at: local(m.started_at),
            ended_at: m.ended_at.map(local),
            confirmed: m.confirmed,
            vendor_liable: m.vendor_liable,
            recorded_by_id: id(m.recorded_by),
            recorded_at: local(m.recorded_at),
        }
    }
}

fact_links!(Outage {});

#[derive(InputObject)]
pub struct CreateOutageInput {
    pub region_id: ID,
    pub vendor_id: ID,
    pub service: String,
    pub description: String,
    pub started_at: DateTime<FixedOffset>,
    pub ended_at: Option<DateTime<FixedOffset>>,
    pub confirmed: bool,
    pub vendor_liable: bool,
}

#[derive(InputObject)]
pub struct UpdateOutageInput {
    pub service: Option<String>,
    pub description: Option<String>,
    pub started_at: Option<DateTime<FixedOffset>>,
    pub ended_at: MaybeUndefined<DateTime<FixedOffset>>,
    pub confirmed: Option<bool>,
    pub vendor_liable: Option<bool>,
}

impl FromInput for Outages {
    type Create = CreateOutageInput;
    type Update = UpdateOutageInput;

    fn build(input: CreateOutageInput, actor: &Actor, now: DateTime<Utc>) -> DomainResult<Model> {
        let (region_id, vendor_id) = owner(&input.region_id, &input.vendor_id)?;
        Ok(Model {
            id: 0,
            region_id,
            vendor_id,
            service: validate::text("input.service", input.service, 100)?,
            description: validate::text("input.description", input.description, 2000)?,
            started_at: utc(input.started_at),
            ended_at: opt_utc(input.ended_at),
            confirmed: input.confirmed,
            vendor_liable: input.vendor_liable,
            recorded_by: actor.user_id,
            recorded_at: now,
        })
    }

    fn patch(row: &mut Model, input: UpdateOutageInput) -> DomainResult<()> {
        if let Some(v) = input.service {
            row.service = validate::text("input.service", v, 100)?;
        }
        if let Some(v) = input.description {
            row.description = validate::text("input.description", v, 2000)?;
        }
        if let Some(v) = input.started_at {
            row.started_at = utc(v);
        }
        set_nullable(&mut row.ended_at, input.ended_at.map_value(utc));
        row.confirmed = input.confirmed.unwrap_or(row.confirmed);
        row.vendor_liable = input.vendor_liable.unwrap_or(row.vendor_liable);
        Ok(())
    }
}

crud_api!(resource: Outages, object: Outage, page: OutagePage,
    create_input: CreateOutageInput, update_input: UpdateOutageInput,
    query: OutageQuery { outage, outages },
    mutation: OutageMutation { create_outage, update_outage, delete_outage });
