//! Vendors (云服务商) and their contact addresses for notices. Supervisors read
//! all of them (they record facts about any); a vendor reads only itself.
//! An agency reads only the names of the vendors that serve it
//! (`servingVendors`: it names them in complaints and surveys), never a vendor
//! that does not, nor any vendor's contacts, contracts or systems.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, FixedOffset, Utc};

use super::nested::id;
use crate::error::{DomainError, DomainResult, GqlResult};
use crate::graphql::crud::FromInput;
use domain::actor::Actor;
use domain::period::local;
use domain::validate;

pub use domain::reference::vendors::Vendors;

#[derive(SimpleObject)]
#[graphql(complex)]
pub struct Vendor {
    pub id: ID,
    pub code: String,
    pub name: String,
    /// Where rectification notices are mailed.
    pub contact_emails: Vec<String>,
    pub created_at: DateTime<FixedOffset>,
}

impl TryFrom<entities::vendor::Model> for Vendor {
    type Error = DomainError;

    fn try_from(m: entities::vendor::Model) -> DomainResult<Self> {
        Ok(Self {
            contact_emails: domain::reference::vendors::contact_emails(&m)?,
            id: id(m.id),
            code: m.code,
            name: m.name,
            created_at: local(m.created_at),
        })
    }
}

#[derive(InputObject)]
pub struct CreateVendorInput {
    pub code: String,
    pub name: String,
    pub contact_emails: Vec<String>,
}

#[derive(InputObject)]
pub struct UpdateVendorInput {
    pub code: Option<String>,
    pub name: Option<String>,
    pub contact_emails: Option<Vec<String>>,
}

fn emails(list: Vec<String>) -> DomainResult<serde_json::Value> {
    if list.len() > 20 {
        return Err(DomainError::bad(
            "input.contactEmails",
            "at most 20 addresses",
        ));
    }
    let checked = list
        .iter()
        .enumerate()
        .map(|(i, e)| validate::email(&format!("input.contactEmails[{i}]"), e))
        .collect::<DomainResult<Vec<_>>>()?;
    Ok(serde_json::Value::from(checked))
}

impl FromInput for Vendors {
    type Create = CreateVendorInput;
    type Update = UpdateVendorInput;

    fn build(
        input: CreateVendorInput,
        _actor: &Actor,
        now: DateTime<Utc>,
    ) -> DomainResult<entities::vendor::Model> {
        Ok(entities::vendor::Model {
            id: 0,
            code: validate::text("input.code", input.code, 40)?,
            name: validate::text("input.name", input.name, 100)?,
            contact_emails: emails(input.contact_emails)?,
            created_at: now,
        })
    }

    fn patch(row: &mut entities::vendor::Model, input: UpdateVendorInput) -> DomainResult<()> {
        if let Some(v) = input.code {
            row.code = validate::text("input.code", v, 40)?;
        }
        if let Some(v) = input.name {
            row.name = validate::text("input.name", v, 100)?;
        }
        if let Some(v) = input.contact_emails {
            row.contact_emails = emails(v)?;
        }
        Ok(())
    }
}

crud_api!(resource: Vendors, object: Vendor, page: VendorPage,
    create_input: CreateVendorInput, update_input: UpdateVendorInput,
    query: VendorQuery { vendor, vendors },
    mutation: VendorMutation { create_vendor, update_vendor, delete_vendor });

/// A vendor as an agency sees it: enough to name it in a complaint or a survey.
#[derive(SimpleObject)]
pub struct ServingVendor {
    pub id: ID,
    pub code: String,
    pub name: String,
}

#[derive(Default)]
pub struct ServingVendorQuery;

#[Object]
impl ServingVendorQuery {
    /// The vendors that serve an agency: those hosting one of its information
    /// systems, on the platform at some time in `serviceYear` (by the region's
    /// scheme) if given, else at any time. An agency asks about itself
    /// (`agencyId` may be omitted); a supervisor about an agency of its region;
    /// an administrator about any. Any other agency is `NOT_FOUND`.
    async fn serving_vendors(
        &self,
        ctx: &Context<'_>,
        agency_id: Option<ID>,
        service_year: Option<i32>,
    ) -> async_graphql::Result<Vec<ServingVendor>> {
        async {
            let (state, actor) = crate::graphql::crud::env(ctx)?;
            let agency_id = crate::graphql::crud::parse_opt_id("agencyId", &agency_id)?;
            let vendors =
                domain::reference::vendors::serving(&state.db, actor, agency_id, service_year)
                    .await?;
            Ok(vendors
                .into_iter()
                .map(|v| ServingVendor {
                    id: id(v.id),
                    code: v.code,
                    name: v.name,
                })
                .collect())
        }
        .await
        .gql()
    }
}
