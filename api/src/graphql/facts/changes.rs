//! Changes to the platform (变更). F1 deducts each change not completed as planned
//! (a failed one; one rolled back according to its plan is not deducted); F2 each
//! non-emergency change not reported, or reported later than the lead time before
//! its execution.

use async_graphql::{ID, InputObject, MaybeUndefined, SimpleObject};
use chrono::{DateTime, FixedOffset, Utc};

use super::{fact_links, opt_utc, owner, set_nullable, utc};
use crate::error::DomainResult;
use crate::graphql::crud::FromInput;
use crate::graphql::nested::id;
use domain::actor::Actor;
use domain::period::local;
use domain::validate;
use entities::change::Model;

pub use domain::facts::changes::Changes;

db_enum!(
    /// How a change ended. `ROLLED_BACK` means rolled back successfully according to
    /// its plan, which F1 does not deduct; `FAILED` is deducted.
    ChangeOutcome { Pending => "PENDING", Succeeded => "SUCCEEDED", Failed => "FAILED", RolledBack => "ROLLED_BACK" }
);

#[derive(SimpleObject)]
#[graphql(complex)]
pub struct Change {
    pub id: ID,
    pub region_id: ID,
    pub vendor_id: ID,
    pub title: String,
    /// When the change was reported to the supervision team; null: not reported.
    pub submitted_at: Option<DateTime<FixedOffset>>,
    pub planned_at: DateTime<FixedOffset>,
    pub executed_at: Option<DateTime<FixedOffset>>,
    /// Emergency changes are exempt from F2.
    pub emergency: bool,
    pub outcome: ChangeOutcome,
    pub confirmed: bool,
    pub vendor_liable: bool,
    pub recorded_by_id: ID,
    pub recorded_at: DateTime<FixedOffset>,
}

impl From<Model> for Change {
    fn from(m: Model) -> Self {
        Self {
            id: id(m.id),
            region_id: id(m.region_id),
            vendor_id: id(m.vendor_id),
            title: m.title,
            submitted_at: m.submitted_at.map(local),
            planned_at: local(m.planned_at),
            executed_at: m.executed_at.map(local),
            emergency: m.emergency,
            outcome: ChangeOutcome::from_db(&m.outcome),
            confirmed: m.confirmed,
            vendor_liable: m.vendor_liable,
            recorded_by_id: id(m.recorded_by),
            recorded_at: local(m.recorded_at),
        }
    }
}

fact_links!(Change {});

#[derive(InputObject)]
pub struct CreateChangeInput {
    pub region_id: ID,
    pub vendor_id: ID,
    pub title: String,
    pub submitted_at: Option<DateTime<FixedOffset>>,
    pub planned_at: DateTime<FixedOffset>,
    pub executed_at: Option<DateTime<FixedOffset>>,
    #[graphql(default)]
    pub emergency: bool,
    #[graphql(default_with = "ChangeOutcome::Pending")]
    pub outcome: ChangeOutcome,
    pub confirmed: bool,
    pub vendor_liable: bool,
}

#[derive(InputObject)]
pub struct UpdateChangeInput {
    pub title: Option<String>,
    pub submitted_at: MaybeUndefined<DateTime<FixedOffset>>,
    pub planned_at: Option<DateTime<FixedOffset>>,
    pub executed_at: MaybeUndefined<DateTime<FixedOffset>>,
    pub emergency: Option<bool>,
    pub outcome: Option<ChangeOutcome>,
    pub confirmed: Option<bool>,
    pub vendor_liable: Option<bool>,
}

impl FromInput for Changes {
    type Create = CreateChangeInput;
    type Update = UpdateChangeInput;

    fn build(input: CreateChangeInput, actor: &Actor, now: DateTime<Utc>) -> DomainResult<Model> {
        let (region_id, vendor_id) = owner(&input.region_id, &input.vendor_id)?;
        Ok(Model {
            id: 0,
            region_id,
            vendor_id,
            title: validate::text("input.title", input.title, 200)?,
            submitted_at: opt_utc(input.submitted_at),
            planned_at: utc(input.planned_at),
            executed_at: opt_utc(input.executed_at),
            emergency: input.emergency,
            outcome: input.outcome.as_str().to_owned(),
            confirmed: input.confirmed,
            vendor_liable: input.vendor_liable,
            recorded_by: actor.user_id,
            recorded_at: now,
        })
    }

    fn patch(row: &mut Model, input: UpdateChangeInput) -> DomainResult<()> {
        if let Some(v) = input.title {
            row.title = validate::text("input.title", v, 200)?;
        }
        set_nullable(&mut row.submitted_at, input.submitted_at.map_value(utc));
        if let Some(v) = input.planned_at {
            row.planned_at = utc(v);
        }
        set_nullable(&mut row.executed_at, input.executed_at.map_value(utc));
        row.emergency = input.emergency.unwrap_or(row.emergency);
        if let Some(v) = input.outcome {
            row.outcome = v.as_str().to_owned();
        }
        row.confirmed = input.confirmed.unwrap_or(row.confirmed);
        row.vendor_liable = input.vendor_liable.unwrap_or(row.vendor_liable);
        Ok(())
    }
}

crud_api!(resource: Changes, object: Change, page: ChangePage,
    create_input: CreateChangeInput, update_input: UpdateChangeInput,
    query: ChangeQuery { change, changes },
    mutation: ChangeMutation { create_change, update_change, delete_change });
