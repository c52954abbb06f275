//! Vendors (云服务商) and their contact addresses for notices. Supervisors read
//! all of them (they record facts about any); a vendor reads only itself.

use async_graphql::{ComplexObject, Context, ID, InputObject, SimpleObject};
use chrono::{DateTime, FixedOffset, Utc};
use sea_orm::DatabaseTransaction;

use super::contracts::{Contract, Contracts};
use super::nested::{self, id};
use super::systems::{InformationSystem, InformationSystems};
use crate::access::{AgencyAccess, Policy, Scope, SupervisorAccess};
use crate::auth::Actor;
use crate::crud::{Link, TimeColumn, Writable};
use crate::error::{AppError, AppResult};
use crate::period::local;
use crate::validate;

resource!(Vendors => vendor, name: "Vendor",
    policy: Policy { everyone_reads: false, supervisor: SupervisorAccess::ReadAll, vendor_reads_own: true, agency: AgencyAccess::None },
    region: None, vendor: Some(entities::vendor::Column::Id), agency: None, time: TimeColumn::None,
    scope: |m| Scope { vendor: Some(m.id), ..Scope::default() });

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

impl From<entities::vendor::Model> for Vendor {
    fn from(m: entities::vendor::Model) -> Self {
        Self {
            id: id(m.id),
            code: m.code,
            name: m.name,
            contact_emails: serde_json::from_value(m.contact_emails).unwrap_or_default(),
            created_at: local(m.created_at),
        }
    }
}

#[ComplexObject]
impl Vendor {
    async fn contracts(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Contract>> {
        nested::many::<Contracts, Contract>(ctx, Link::Vendor, &self.id).await
    }
    async fn systems(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<InformationSystem>> {
        nested::many::<InformationSystems, InformationSystem>(ctx, Link::Vendor, &self.id).await
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

fn emails(list: Vec<String>) -> AppResult<serde_json::Value> {
    if list.len() > 20 {
        return Err(AppError::bad("input.contactEmails", "at most 20 addresses"));
    }
    let checked = list
        .iter()
        .enumerate()
        .map(|(i, e)| validate::email(&format!("input.contactEmails[{i}]"), e))
        .collect::<AppResult<Vec<_>>>()?;
    Ok(serde_json::Value::from(checked))
}

impl Writable for Vendors {
    type Create = CreateVendorInput;
    type Update = UpdateVendorInput;

    fn build(
        input: CreateVendorInput,
        _actor: &Actor,
        now: DateTime<Utc>,
    ) -> AppResult<entities::vendor::Model> {
        Ok(entities::vendor::Model {
            id: 0,
            code: validate::text("input.code", input.code, 40)?,
            name: validate::text("input.name", input.name, 100)?,
            contact_emails: emails(input.contact_emails)?,
            created_at: now,
        })
    }

    fn patch(row: &mut entities::vendor::Model, input: UpdateVendorInput) -> AppResult<()> {
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

    async fn check<'a>(
        _txn: &'a DatabaseTransaction,
        _row: &'a mut entities::vendor::Model,
    ) -> AppResult<()> {
        Ok(())
    }
}

crud_api!(resource: Vendors, object: Vendor, page: VendorPage,
    create_input: CreateVendorInput, update_input: UpdateVendorInput,
    query: VendorQuery { vendor, vendors },
    mutation: VendorMutation { create_vendor, update_vendor, delete_vendor });
