//! Service tasks (服务任务) with a planned deadline. A3 deducts each task not
//! finished as planned; finishing early is fine, so finished and planned have no
//! order rule.

use async_graphql::{ID, InputObject, MaybeUndefined, SimpleObject};
use chrono::{DateTime, FixedOffset, Utc};

use super::{fact_links, opt_utc, owner, set_nullable, utc};
use crate::error::DomainResult;
use crate::graphql::crud::FromInput;
use crate::graphql::nested::id;
use domain::actor::Actor;
use domain::period::local;
use domain::validate;
use entities::service_task::Model;

pub use domain::facts::service_tasks::ServiceTasks;

#[derive(SimpleObject)]
#[graphql(complex)]
pub struct ServiceTask {
    pub id: ID,
    pub region_id: ID,
    pub vendor_id: ID,
    pub title: String,
    /// The deadline.
    pub planned_at: DateTime<FixedOffset>,
    pub finished_at: Option<DateTime<FixedOffset>>,
    pub confirmed: bool,
    pub vendor_liable: bool,
    pub recorded_by_id: ID,
    pub recorded_at: DateTime<FixedOffset>,
}

impl From<Model> for ServiceTask {
    fn from(m: Model) -> Self {
        Self {
            id: id(m.id),
            region_id: id(m.region_id),
            vendor_id: id(m.vendor_id),
            title: m.title,
            planned_at: local(m.planned_at),
            finished_at: m.finished_at.map(local),
            confirmed: m.confirmed,
            vendor_liable: m.vendor_liable,
            recorded_by_id: id(m.recorded_by),
            recorded_at: local(m.recorded_at),
        }
    }
}

fact_links!(ServiceTask {});

#[derive(InputObject)]
pub struct CreateServiceTaskInput {
    pub region_id: ID,
    pub vendor_id: ID,
    pub title: String,
    pub planned_at: DateTime<FixedOffset>,
    pub finished_at: Option<DateTime<FixedOffset>>,
    pub confirmed: bool,
    pub vendor_liable: bool,
}

#[derive(InputObject)]
pub struct UpdateServiceTaskInput {
    pub title: Option<String>,
    pub planned_at: Option<DateTime<FixedOffset>>,
    pub finished_at: MaybeUndefined<DateTime<FixedOffset>>,
    pub confirmed: Option<bool>,
    pub vendor_liable: Option<bool>,
}

impl FromInput for ServiceTasks {
    type Create = CreateServiceTaskInput;
    type Update = UpdateServiceTaskInput;

    fn build(
        input: CreateServiceTaskInput,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> DomainResult<Model> {
        let (region_id, vendor_id) = owner(&input.region_id, &input.vendor_id)?;
        Ok(Model {
            id: 0,
            region_id,
            vendor_id,
            title: validate::text("input.title", input.title, 200)?,
            planned_at: utc(input.planned_at),
            finished_at: opt_utc(input.finished_at),
            confirmed: input.confirmed,
            vendor_liable: input.vendor_liable,
            recorded_by: actor.user_id,
            recorded_at: now,
        })
    }

    fn patch(row: &mut Model, input: UpdateServiceTaskInput) -> DomainResult<()> {
        if let Some(v) = input.title {
            row.title = validate::text("input.title", v, 200)?;
        }
        if let Some(v) = input.planned_at {
            row.planned_at = utc(v);
        }
        set_nullable(&mut row.finished_at, input.finished_at.map_value(utc));
        row.confirmed = input.confirmed.unwrap_or(row.confirmed);
        row.vendor_liable = input.vendor_liable.unwrap_or(row.vendor_liable);
        Ok(())
    }
}

crud_api!(resource: ServiceTasks, object: ServiceTask, page: ServiceTaskPage,
    create_input: CreateServiceTaskInput, update_input: UpdateServiceTaskInput,
    query: ServiceTaskQuery { service_task, service_tasks },
    mutation: ServiceTaskMutation { create_service_task, update_service_task, delete_service_task });
