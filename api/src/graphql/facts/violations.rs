//! Violations of the cloud management rules (违反云管理制度). G1 deducts each
//! confirmed one.

use async_graphql::{ID, InputObject, SimpleObject};
use chrono::{DateTime, FixedOffset, Utc};

use super::{fact_links, owner, utc};
use crate::error::DomainResult;
use crate::graphql::crud::FromInput;
use crate::graphql::nested::id;
use domain::actor::Actor;
use domain::period::local;
use domain::validate;
use entities::violation::Model;

pub use domain::facts::violations::Violations;

#[derive(SimpleObject)]
#[graphql(complex)]
pub struct Violation {
    pub id: ID,
    pub region_id: ID,
    pub vendor_id: ID,
    pub description: String,
    pub occurred_at: DateTime<FixedOffset>,
    pub confirmed: bool,
    pub vendor_liable: bool,
    pub recorded_by_id: ID,
    pub recorded_at: DateTime<FixedOffset>,
}

impl From<Model> for Violation {
    fn from(m: Model) -> Self {
        Self {
            id: id(m.id),
            region_id: id(m.region_id),
            vendor_id: id(m.vendor_id),
            description: m.description,
            occurred_at: local(m.occurred_at),
            confirmed: m.confirmed,
            vendor_liable: m.vendor_liable,
            recorded_by_id: id(m.recorded_by),
            recorded_at: local(m.recorded_at),
        }
    }
}

fact_links!(Violation {});

#[derive(InputObject)]
pub struct CreateViolationInput {
    pub region_id: ID,
    pub vendor_id: ID,
    pub description: String,
    pub occurred_at: DateTime<FixedOffset>,
    pub confirmed: bool,
    pub vendor_liable: bool,
}

#[derive(InputObject)]
pub struct UpdateViolationInput {
    pub description: Option<String>,
    pub occurred_at: Option<DateTime<FixedOffset>>,
    pub confirmed: Option<bool>,
    pub vendor_liable: Option<bool>,
}

impl FromInput for Violations {
    type Create = CreateViolationInput;
    type Update = UpdateViolationInput;

    fn build(
        input: CreateViolationInput,
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
            confirmed: input.confirmed,
            vendor_liable: input.vendor_liable,
            recorded_by: actor.user_id,
            recorded_at: now,
        })
    }

    fn patch(row: &mut Model, input: UpdateViolationInput) -> DomainResult<()> {
        if let Some(v) = input.description {
            row.description = validate::text("input.description", v, 2000)?;
        }
        if let Some(v) = input.occurred_at {
            row.occurred_at = utc(v);
        }
        row.confirmed = input.confirmed.unwrap_or(row.confirmed);
        row.vendor_liable = input.vendor_liable.unwrap_or(row.vendor_liable);
        Ok(())
    }
}

crud_api!(resource: Violations, object: Violation, page: ViolationPage,
    create_input: CreateViolationInput, update_input: UpdateViolationInput,
    query: ViolationQuery { violation, violations },
    mutation: ViolationMutation { create_violation, update_violation, delete_violation });
