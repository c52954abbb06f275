//! Resources delivered without a work order (无工单交付). A4 deducts each one in
//! the month it occurred, and again in each later month at whose end it was
//! still not rectified (`rectifiedAt` null or after that month).

use async_graphql::{ID, InputObject, MaybeUndefined, SimpleObject};
use chrono::{DateTime, FixedOffset, Utc};

use super::{fact_links, opt_utc, owner, set_nullable, utc};
use crate::error::DomainResult;
use crate::graphql::crud::FromInput;
use crate::graphql::nested::id;
use domain::actor::Actor;
use domain::period::local;
use domain::validate;
use entities::unticketed_delivery::Model;

pub use domain::facts::unticketed_deliveries::UnticketedDeliveries;

#[derive(SimpleObject)]
#[graphql(complex)]
pub struct UnticketedDelivery {
    pub id: ID,
    pub region_id: ID,
    pub vendor_id: ID,
    pub description: String,
    pub occurred_at: DateTime<FixedOffset>,
    /// When it was rectified; null: not (yet). A4 counts it again in each month
    /// after the one it occurred in, at whose end it was still not rectified.
    pub rectified_at: Option<DateTime<FixedOffset>>,
    pub confirmed: bool,
    pub vendor_liable: bool,
    pub recorded_by_id: ID,
    pub recorded_at: DateTime<FixedOffset>,
}

impl From<Model> for UnticketedDelivery {
    fn from(m: Model) -> Self {
        Self {
            id: id(m.id),
            region_id: id(m.region_id),
            vendor_id: id(m.vendor_id),
            description: m.description,
            occurred_at: local(m.occurred_at),
            rectified_at: m.rectified_at.map(local),
            confirmed: m.confirmed,
            vendor_liable: m.vendor_liable,
            recorded_by_id: id(m.recorded_by),
            recorded_at: local(m.recorded_at),
        }
    }
}

fact_links!(UnticketedDelivery {});

#[derive(InputObject)]
pub struct CreateUnticketedDeliveryInput {
    pub region_id: ID,
    pub vendor_id: ID,
    pub description: String,
    pub occurred_at: DateTime<FixedOffset>,
    /// When it was rectified; omit or null while it is not.
    pub rectified_at: Option<DateTime<FixedOffset>>,
    pub confirmed: bool,
    pub vendor_liable: bool,
}

#[derive(InputObject)]
pub struct UpdateUnticketedDeliveryInput {
    pub description: Option<String>,
    pub occurred_at: Option<DateTime<FixedOffset>>,
    /// `null` clears it (not rectified after all).
    pub rectified_at: MaybeUndefined<DateTime<FixedOffset>>,
    pub confirmed: Option<bool>,
    pub vendor_liable: Option<bool>,
}

impl FromInput for UnticketedDeliveries {
    type Create = CreateUnticketedDeliveryInput;
    type Update = UpdateUnticketedDeliveryInput;

    fn build(
        input: CreateUnticketedDeliveryInput,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> DomainResult<Model> {
        let (region_id, vendor_id) = owner(&input.region_id, &input.vendor_id)?;
        Ok(Model {
            id: 0,
            region_id,
            vendor_id,
            description: validate::text("input.description", input.description, 2000)?,
            occurred_at: utc(input.occurred_at),
            rectified_at: opt_utc(input.rectified_at),
            confirmed: input.confirmed,
            vendor_liable: input.vendor_liable,
            recorded_by: actor.user_id,
            recorded_at: now,
        })
    }

    fn patch(row: &mut Model, input: UpdateUnticketedDeliveryInput) -> DomainResult<()> {
        if let Some(v) = input.description {
            row.description = validate::text("input.description", v, 2000)?;
        }
        if let Some(v) = input.occurred_at {
            row.occurred_at = utc(v);
        }
        set_nullable(&mut row.rectified_at, input.rectified_at.map_value(utc));
        row.confirmed = input.confirmed.unwrap_or(row.confirmed);
        row.vendor_liable = input.vendor_liable.unwrap_or(row.vendor_liable);
        Ok(())
    }
}

crud_api!(resource: UnticketedDeliveries, object: UnticketedDelivery, page: UnticketedDeliveryPage,
    create_input: CreateUnticketedDeliveryInput, update_input: UpdateUnticketedDeliveryInput,
    query: UnticketedDeliveryQuery { unticketed_delivery, unticketed_deliveries },
    mutation: UnticketedDeliveryMutation { create_unticketed_delivery, update_unticketed_delivery, delete_unticketed_delivery });
