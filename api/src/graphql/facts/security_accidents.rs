//! Security-liability accidents (安全责任事故), levels 1 (most severe) to 5. J2
//! deducts each confirmed one by its level.

use async_graphql::{ID, InputObject, SimpleObject};
use chrono::{DateTime, FixedOffset, Utc};

use super::{fact_links, owner, utc};
use crate::error::DomainResult;
use crate::graphql::crud::FromInput;
use crate::graphql::nested::id;
use domain::actor::Actor;
use domain::period::local;
use domain::validate;
use entities::security_accident::Model;

pub use domain::facts::security_accidents::SecurityAccidents;

#[derive(SimpleObject)]
#[graphql(complex)]
pub struct SecurityAccident {
    pub id: ID,
    pub region_id: ID,
    pub vendor_id: ID,
    pub description: String,
    pub occurred_at: DateTime<FixedOffset>,
    /// 1 (most severe) to 5.
    pub level: i32,
    pub confirmed: bool,
    pub vendor_liable: bool,
    pub recorded_by_id: ID,
    pub recorded_at: DateTime<FixedOffset>,
}

impl From<Model> for SecurityAccident {
    fn from(m: Model) -> Self {
        Self {
            id: id(m.id),
            region_id: id(m.region_id),
            vendor_id: id(m.vendor_id),
            description: m.description,
            occurred_at: local(m.occurred_at),
            level: m.level,
            confirmed: m.confirmed,
            vendor_liable: m.vendor_liable,
            recorded_by_id: id(m.recorded_by),
            recorded_at: local(m.recorded_at),
        }
    }
}

fact_links!(SecurityAccident {});

#[derive(InputObject)]
pub struct CreateSecurityAccidentInput {
    pub region_id: ID,
    pub vendor_id: ID,
    pub description: String,
    pub occurred_at: DateTime<FixedOffset>,
    pub level: i32,
    pub confirmed: bool,
    pub vendor_liable: bool,
}

#[derive(InputObject)]
pub struct UpdateSecurityAccidentInput {
    pub description: Option<String>,
    pub occurred_at: Option<DateTime<FixedOffset>>,
    pub level: Option<i32>,
    pub confirmed: Option<bool>,
    pub vendor_liable: Option<bool>,
}

impl FromInput for SecurityAccidents {
    type Create = CreateSecurityAccidentInput;
    type Update = UpdateSecurityAccidentInput;

    fn build(
        input: CreateSecurityAccidentInput,
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
            level: validate::in_range("input.level", input.level, 1, 5)?,
            confirmed: input.confirmed,
            vendor_liable: input.vendor_liable,
            recorded_by: actor.user_id,
            recorded_at: now,
        })
    }

    fn patch(row: &mut Model, input: UpdateSecurityAccidentInput) -> DomainResult<()> {
        if let Some(v) = input.description {
            row.description = validate::text("input.description", v, 2000)?;
        }
        if let Some(v) = input.occurred_at {
            row.occurred_at = utc(v);
        }
        if let Some(v) = input.level {
            row.level = validate::in_range("input.level", v, 1, 5)?;
        }
        row.confirmed = input.confirmed.unwrap_or(row.confirmed);
        row.vendor_liable = input.vendor_liable.unwrap_or(row.vendor_liable);
        Ok(())
    }
}

crud_api!(resource: SecurityAccidents, object: SecurityAccident, page: SecurityAccidentPage,
    create_input: CreateSecurityAccidentInput, update_input: UpdateSecurityAccidentInput,
    query: SecurityAccidentQuery { security_accident, security_accidents },
    mutation: SecurityAccidentMutation { create_security_accident, update_security_accident, delete_security_accident });
