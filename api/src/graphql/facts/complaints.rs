//! Complaints about a vendor (投诉), filed by a supervisor or by the agency itself.
//! C1 deducts each liable complaint; only a supervisor confirms one or finds the
//! vendor liable.

use async_graphql::{Context, ID, InputObject, SimpleObject};
use chrono::{DateTime, FixedOffset, Utc};

use super::{fact_links, owner, utc};
use crate::error::{DomainError, DomainResult};
use crate::graphql::agencies::{Agencies, Agency};
use crate::graphql::crud::{self, FromInput};
use crate::graphql::nested::{self, id};
use domain::actor::{Actor, Role};
use domain::period::local;
use domain::validate;
use entities::complaint::Model;

pub use domain::facts::complaints::Complaints;

db_enum!(
    /// How the complaint reached the supervision team.
    ComplaintChannel { Letter => "LETTER", Phone => "PHONE", Email => "EMAIL", Other => "OTHER" }
);

#[derive(SimpleObject)]
#[graphql(complex)]
pub struct Complaint {
    pub id: ID,
    pub region_id: ID,
    pub vendor_id: ID,
    /// The complaining agency, if known.
    pub agency_id: Option<ID>,
    pub channel: ComplaintChannel,
    pub description: String,
    pub received_at: DateTime<FixedOffset>,
    pub confirmed: bool,
    pub vendor_liable: bool,
    #[graphql(skip)]
    pub recorded_by_id: ID,
    pub recorded_at: DateTime<FixedOffset>,
}

impl From<Model> for Complaint {
    fn from(m: Model) -> Self {
        Self {
            id: id(m.id),
            region_id: id(m.region_id),
            vendor_id: id(m.vendor_id),
            agency_id: m.agency_id.map(id),
            channel: ComplaintChannel::from_db(&m.channel),
            description: m.description,
            received_at: local(m.received_at),
            confirmed: m.confirmed,
            vendor_liable: m.vendor_liable,
            recorded_by_id: id(m.recorded_by),
            recorded_at: local(m.recorded_at),
        }
    }
}

fact_links!(Complaint {
    /// The complaining agency's name (null: none recorded), also for the vendor.
    async fn agency_name(&self, ctx: &async_graphql::Context<'_>) -> async_graphql::Result<Option<String>> {
        super::agency_name(ctx, self.agency_id.as_ref()).await
    }
    /// Who recorded the complaint (an agency's user, or the supervision team);
    /// null for the vendor complained about: it sees the agency, not the person.
    async fn recorded_by_id(&self, ctx: &Context<'_>) -> Option<&ID> {
        super::unless_vendor(ctx, Some(&self.recorded_by_id))
    }
    async fn agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Agency>> {
        nested::optional::<Agencies, Agency>(ctx, &self.agency_id).await
    }
});

#[derive(InputObject)]
pub struct CreateComplaintInput {
    pub region_id: ID,
    pub vendor_id: ID,
    /// An agency filing its own complaint may leave this out.
    pub agency_id: Option<ID>,
    pub channel: ComplaintChannel,
    pub description: String,
    pub received_at: DateTime<FixedOffset>,
    /// Only a supervisor (or an administrator) may set it.
    #[graphql(default)]
    pub confirmed: bool,
    /// Only a supervisor (or an administrator) may set it.
    #[graphql(default)]
    pub vendor_liable: bool,
}

#[derive(InputObject)]
pub struct UpdateComplaintInput {
    pub channel: Option<ComplaintChannel>,
    pub description: Option<String>,
    pub received_at: Option<DateTime<FixedOffset>>,
    pub confirmed: Option<bool>,
    pub vendor_liable: Option<bool>,
}

impl FromInput for Complaints {
    type Create = CreateComplaintInput;
    type Update = UpdateComplaintInput;

    fn build(
        input: CreateComplaintInput,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> DomainResult<Model> {
        let (region_id, vendor_id) = owner(&input.region_id, &input.vendor_id)?;
        let mut agency_id = crud::parse_opt_id("input.agencyId", &input.agency_id)?;
        if let Role::Agency { agency_id: own } = actor.role {
            if input.confirmed {
                return Err(DomainError::bad(
                    "input.confirmed",
                    "only a supervisor confirms a complaint",
                ));
            }
            if input.vendor_liable {
                return Err(DomainError::bad(
                    "input.vendorLiable",
                    "only a supervisor confirms a complaint",
                ));
            }
            // The access layer then checks that the agency is the actor's own.
            agency_id = agency_id.or(Some(own));
        }
        Ok(Model {
            id: 0,
            region_id,
            vendor_id,
            agency_id,
            channel: input.channel.as_str().to_owned(),
            description: validate::text("input.description", input.description, 2000)?,
            received_at: utc(input.received_at),
            confirmed: input.confirmed,
            vendor_liable: input.vendor_liable,
            recorded_by: actor.user_id,
            recorded_at: now,
        })
    }

    fn patch(row: &mut Model, input: UpdateComplaintInput) -> DomainResult<()> {
        if let Some(v) = input.channel {
            row.channel = v.as_str().to_owned();
        }
        if let Some(v) = input.description {
            row.description = validate::text("input.description", v, 2000)?;
        }
        if let Some(v) = input.received_at {
            row.received_at = utc(v);
        }
        row.confirmed = input.confirmed.unwrap_or(row.confirmed);
        row.vendor_liable = input.vendor_liable.unwrap_or(row.vendor_liable);
        Ok(())
    }
}

crud_api!(resource: Complaints, object: Complaint, page: ComplaintPage,
    create_input: CreateComplaintInput, update_input: UpdateComplaintInput,
    query: ComplaintQuery { complaint, complaints },
    mutation: ComplaintMutation { create_complaint, update_complaint, delete_complaint });
