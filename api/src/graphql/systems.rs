//! Information systems on the cloud: whose (agency), hosted by whom (vendor), how
//! important (class A/B/C, used by fault grading) and their 等保 level.

use async_graphql::{ID, InputObject, MaybeUndefined, SimpleObject};
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

use super::nested::id;
use crate::error::DomainResult;
use crate::graphql::crud::{self, FromInput};
use domain::actor::Actor;
use domain::period::local;
use domain::validate;

pub use domain::reference::systems::InformationSystems;

db_enum!(
    /// How important a system is; class A and B faults grade more severely.
    SystemClass { A => "A", B => "B", C => "C" }
);

#[derive(SimpleObject)]
#[graphql(complex)]
pub struct InformationSystem {
    pub id: ID,
    pub region_id: ID,
    pub agency_id: ID,
    pub vendor_id: ID,
    pub name: String,
    pub class: SystemClass,
    /// 等保 level, 1 to 5.
    pub protection_level: i32,
    pub online_on: NaiveDate,
    pub offline_on: Option<NaiveDate>,
    pub created_at: DateTime<FixedOffset>,
}

impl From<entities::information_system::Model> for InformationSystem {
    fn from(m: entities::information_system::Model) -> Self {
        Self {
            id: id(m.id),
            region_id: id(m.region_id),
            agency_id: id(m.agency_id),
            vendor_id: id(m.vendor_id),
            name: m.name,
            class: SystemClass::from_db(&m.class),
            protection_level: m.protection_level,
            online_on: m.online_on,
            offline_on: m.offline_on,
            created_at: local(m.created_at),
        }
    }
}

#[derive(InputObject)]
pub struct CreateInformationSystemInput {
    pub region_id: ID,
    pub agency_id: ID,
    pub vendor_id: ID,
    pub name: String,
    pub class: SystemClass,
    pub protection_level: i32,
    pub online_on: NaiveDate,
    pub offline_on: Option<NaiveDate>,
}

#[derive(InputObject)]
pub struct UpdateInformationSystemInput {
    pub vendor_id: Option<ID>,
    pub name: Option<String>,
    pub class: Option<SystemClass>,
    pub protection_level: Option<i32>,
    pub online_on: Option<NaiveDate>,
    pub offline_on: MaybeUndefined<NaiveDate>,
}

impl FromInput for InformationSystems {
    type Create = CreateInformationSystemInput;
    type Update = UpdateInformationSystemInput;

    fn build(
        input: CreateInformationSystemInput,
        _actor: &Actor,
        now: DateTime<Utc>,
    ) -> DomainResult<entities::information_system::Model> {
        Ok(entities::information_system::Model {
            id: 0,
            region_id: crud::parse_id("input.regionId", &input.region_id)?,
            agency_id: crud::parse_id("input.agencyId", &input.agency_id)?,
            vendor_id: crud::parse_id("input.vendorId", &input.vendor_id)?,
            name: validate::text("input.name", input.name, 200)?,
            class: input.class.as_str().to_owned(),
            protection_level: validate::in_range(
                "input.protectionLevel",
                input.protection_level,
                1,
                5,
            )?,
            online_on: input.online_on,
            offline_on: input.offline_on,
            created_at: now,
        })
    }

    fn patch(
        row: &mut entities::information_system::Model,
        input: UpdateInformationSystemInput,
    ) -> DomainResult<()> {
        if let Some(v) = input.vendor_id {
            row.vendor_id = crud::parse_id("input.vendorId", &v)?;
        }
        if let Some(v) = input.name {
            row.name = validate::text("input.name", v, 200)?;
        }
        if let Some(v) = input.class {
            row.class = v.as_str().to_owned();
        }
        if let Some(v) = input.protection_level {
            row.protection_level = validate::in_range("input.protectionLevel", v, 1, 5)?;
        }
        if let Some(v) = input.online_on {
            row.online_on = v;
        }
        match input.offline_on {
            MaybeUndefined::Undefined => {}
            MaybeUndefined::Null => row.offline_on = None,
            MaybeUndefined::Value(v) => row.offline_on = Some(v),
        }
        Ok(())
    }
}

crud_api!(resource: InformationSystems, object: InformationSystem, page: InformationSystemPage,
    create_input: CreateInformationSystemInput, update_input: UpdateInformationSystemInput,
    query: InformationSystemQuery { information_system, information_systems },
    mutation: InformationSystemMutation { create_information_system, update_information_system, delete_information_system });
