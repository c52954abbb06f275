//! Complaints about a vendor (投诉), filed by a supervisor or by the agency itself.
//! C1 deducts each liable complaint; only a supervisor confirms one or finds the
//! vendor liable.

use async_graphql::{Context, ID};

use super::columns::{Flag, Instant, Nullable, Ref, Text};
use crate::error::{DomainError, DomainResult};
use crate::graphql::agencies::{Agencies, Agency};
use crate::graphql::nested;
use domain::actor::{Actor, Role};
use entities::complaint::Model;

pub use domain::facts::complaints::Complaints;

db_enum!(
    /// How the complaint reached the supervision team.
    ComplaintChannel { Letter => "LETTER" / "信函", Phone => "PHONE" / "电话", Email => "EMAIL" / "电子邮件", Other => "OTHER" / "其他" }
);

fact_kind! {
    #[recorder(graphql(skip))]
    Complaints => Complaint, entity: complaint, page: ComplaintPage,
    label: "投诉", title: description,
    inputs: CreateComplaintInput, UpdateComplaintInput,
    query: ComplaintQuery { complaint, complaints },
    mutation: ComplaintMutation { create_complaint, update_complaint, delete_complaint },
    fixed {
        /// The complaining agency, if known.
        #[label("投诉单位", Agency)]
        #[create(doc = "An agency filing its own complaint may leave this out.")]
        agency_id: Nullable<Ref>,
    }
    columns {
        #[label("投诉渠道")]
        channel: ComplaintChannel,
        #[label("投诉内容")]
        description: Text<2000>,
        #[label("收到时间")]
        received_at: Instant,
        #[label("已确认")]
        #[create(doc = "Only a supervisor (or an administrator) may set it.")]
        #[create(graphql(default))]
        confirmed: Flag,
        #[label("服务商责任")]
        #[create(doc = "Only a supervisor (or an administrator) may set it.")]
        #[create(graphql(default))]
        vendor_liable: Flag,
    }
    after_build: filed_by_an_agency,
    links {
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
    }
}

/// An agency files a complaint as itself (the access layer then checks that
/// the agency is the actor's own) and may not confirm it or find the vendor
/// liable: only a supervisor does.
fn filed_by_an_agency(row: &mut Model, actor: &Actor) -> DomainResult<()> {
    let Role::Agency { agency_id: own } = actor.role else {
        return Ok(());
    };
    if row.confirmed {
        return Err(DomainError::bad(
            "input.confirmed",
            "only a supervisor confirms a complaint",
        ));
    }
    if row.vendor_liable {
        return Err(DomainError::bad(
            "input.vendorLiable",
            "only a supervisor confirms a complaint",
        ));
    }
    row.agency_id = row.agency_id.or(Some(own));
    Ok(())
}
