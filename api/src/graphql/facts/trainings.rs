//! Trainings the vendor held (培训). I1 counts the valid ones in the service year:
//! a training is valid for I1 when it had at least 4 attendees and some evidence
//! (materials, notice, sign-in sheet or minutes).

use async_graphql::{ID, InputObject, SimpleObject};
use chrono::{DateTime, FixedOffset, Utc};

use super::{fact_links, owner, utc};
use crate::error::DomainResult;
use crate::graphql::crud::FromInput;
use crate::graphql::nested::id;
use domain::actor::Actor;
use domain::period::local;
use domain::validate;
use entities::training::Model;

pub use domain::facts::trainings::Trainings;

db_enum!(
    /// What proves a training took place.
    TrainingEvidence { Materials => "MATERIALS", Notice => "NOTICE", SignIn => "SIGN_IN", Minutes => "MINUTES" }
);

/// A training is valid for I1 with at least 4 attendees and some evidence.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct Training {
    pub id: ID,
    pub region_id: ID,
    pub vendor_id: ID,
    pub title: String,
    pub held_at: DateTime<FixedOffset>,
    pub attendees: i32,
    pub evidence: Vec<TrainingEvidence>,
    pub recorded_by_id: ID,
    pub recorded_at: DateTime<FixedOffset>,
}

impl From<Model> for Training {
    fn from(m: Model) -> Self {
        let evidence: Vec<String> = serde_json::from_value(m.evidence).unwrap_or_default();
        Self {
            id: id(m.id),
            region_id: id(m.region_id),
            vendor_id: id(m.vendor_id),
            title: m.title,
            held_at: local(m.held_at),
            attendees: m.attendees,
            evidence: evidence
                .iter()
                .map(|e| TrainingEvidence::from_db(e))
                .collect(),
            recorded_by_id: id(m.recorded_by),
            recorded_at: local(m.recorded_at),
        }
    }
}

fact_links!(Training {});

#[derive(InputObject)]
pub struct CreateTrainingInput {
    pub region_id: ID,
    pub vendor_id: ID,
    pub title: String,
    pub held_at: DateTime<FixedOffset>,
    pub attendees: i32,
    pub evidence: Vec<TrainingEvidence>,
}

#[derive(InputObject)]
pub struct UpdateTrainingInput {
    pub title: Option<String>,
    pub held_at: Option<DateTime<FixedOffset>>,
    pub attendees: Option<i32>,
    pub evidence: Option<Vec<TrainingEvidence>>,
}

fn attendees(value: i32) -> DomainResult<i32> {
    validate::in_range("input.attendees", value, 0, 100_000)
}

/// The evidence as stored: a JSON array of the enum texts, each once, in the
/// order first given.
fn evidence(list: Vec<TrainingEvidence>) -> serde_json::Value {
    let mut seen: Vec<TrainingEvidence> = Vec::with_capacity(list.len());
    for e in list {
        if !seen.contains(&e) {
            seen.push(e);
        }
    }
    serde_json::Value::from(
        seen.into_iter()
            .map(TrainingEvidence::as_str)
            .collect::<Vec<_>>(),
    )
}

impl FromInput for Trainings {
    type Create = CreateTrainingInput;
    type Update = UpdateTrainingInput;

    fn build(input: CreateTrainingInput, actor: &Actor, now: DateTime<Utc>) -> DomainResult<Model> {
        let (region_id, vendor_id) = owner(&input.region_id, &input.vendor_id)?;
        Ok(Model {
            id: 0,
            region_id,
            vendor_id,
            title: validate::text("input.title", input.title, 200)?,
            held_at: utc(input.held_at),
            attendees: attendees(input.attendees)?,
            evidence: evidence(input.evidence),
            recorded_by: actor.user_id,
            recorded_at: now,
        })
    }

    fn patch(row: &mut Model, input: UpdateTrainingInput) -> DomainResult<()> {
        if let Some(v) = input.title {
            row.title = validate::text("input.title", v, 200)?;
        }
        if let Some(v) = input.held_at {
            row.held_at = utc(v);
        }
        if let Some(v) = input.attendees {
            row.attendees = attendees(v)?;
        }
        if let Some(v) = input.evidence {
            row.evidence = evidence(v);
        }
        Ok(())
    }
}

crud_api!(resource: Trainings, object: Training, page: TrainingPage,
    create_input: CreateTrainingInput, update_input: UpdateTrainingInput,
    query: TrainingQuery { training, trainings },
    mutation: TrainingMutation { create_training, update_training, delete_training });
