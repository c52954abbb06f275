//! Complaints about a vendor (投诉), filed by a supervisor or by the agency itself.
//! C1 deducts each liable complaint; only a supervisor confirms one or finds the
//! vendor liable.

use async_graphql::{Context, ID};

use super::columns::{Flag, Instant, Nullable, Ref, Text};
use crate::graphql::agencies::{Agencies, Agency};
use crate::graphql::nested;
use crate::graphql::systems::{InformationSystem, InformationSystems};

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
        /// The agency's information system the complaint is about (hosted by
        /// the vendor); null on complaints filed against a vendor only.
        #[label("信息系统", System)]
        system_id: Nullable<Ref>,
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
    after_build: domain::facts::complaints::filed_by_an_agency,
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
        async fn system(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<InformationSystem>> {
            nested::optional::<InformationSystems, InformationSystem>(ctx, &self.system_id).await
        }
    }
}
