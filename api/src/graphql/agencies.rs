//! Agencies (使用单位): the government bodies whose systems run on the cloud.

use async_graphql::{ID, InputObject, SimpleObject};
use chrono::{DateTime, FixedOffset, Utc};

use super::nested::id;
use crate::error::DomainResult;
use crate::graphql::crud::{self, FromInput};
use domain::actor::Actor;
use domain::period::local;
use domain::validate;

pub use domain::reference::agencies::Agencies;

#[derive(SimpleObject)]
#[graphql(complex)]
pub struct Agency {
    pub id: ID,
    pub region_id: ID,
    pub name: String,
    pub created_at: DateTime<FixedOffset>,
}

impl From<entities::agency::Model> for Agency {
    fn from(m: entities::agency::Model) -> Self {
        Self {
            id: id(m.id),
            region_id: id(m.region_id),
            name: m.name,
            created_at: local(m.created_at),
        }
    }
}

#[derive(InputObject)]
pub struct CreateAgencyInput {
    pub region_id: ID,
    pub name: String,
}

#[derive(InputObject)]
pub struct UpdateAgencyInput {
    pub name: Option<String>,
}

impl FromInput for Agencies {
    type Create = CreateAgencyInput;
    type Update = UpdateAgencyInput;

    fn build(
        input: CreateAgencyInput,
        _actor: &Actor,
        now: DateTime<Utc>,
    ) -> DomainResult<entities::agency::Model> {
        Ok(entities::agency::Model {
            id: 0,
            region_id: crud::parse_id("input.regionId", &input.region_id)?,
            name: validate::text("input.name", input.name, 100)?,
            created_at: now,
        })
    }

    fn patch(row: &mut entities::agency::Model, input: UpdateAgencyInput) -> DomainResult<()> {
        if let Some(v) = input.name {
            row.name = validate::text("input.name", v, 100)?;
        }
        Ok(())
    }
}

crud_api!(resource: Agencies, object: Agency, page: AgencyPage,
    create_input: CreateAgencyInput, update_input: UpdateAgencyInput,
    query: AgencyQuery { agency, agencies },
    mutation: AgencyMutation { create_agency, update_agency, delete_agency });
