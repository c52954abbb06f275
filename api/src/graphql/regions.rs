//! Regions: a municipality and its districts, each with its scoring scheme and
//! the first month of its service year. Reference data every signed-in user may
//! read; only administrators change it.

use async_graphql::{ID, InputObject, MaybeUndefined, SimpleObject};
use chrono::{DateTime, FixedOffset, Utc};

use super::nested::id;
use crate::error::DomainResult;
use crate::graphql::crud::{self, FromInput};
use domain::actor::Actor;
use domain::period::local;
use domain::validate;

pub use domain::reference::regions::Regions;

#[derive(SimpleObject)]
#[graphql(complex)]
pub struct Region {
    pub id: ID,
    pub code: String,
    pub name: String,
    pub parent_id: Option<ID>,
    /// The scoring scheme the region's vendors are assessed by, e.g. `sh-municipal`.
    pub scheme_code: String,
    /// 1 = the service year is the calendar year; 7 = July to June.
    pub service_year_start_month: i32,
    pub created_at: DateTime<FixedOffset>,
    /// The prefix of the region's notice numbers as set, e.g. `沪政云监`; null:
    /// derived from the name (`上海市` → `上海政云监`).
    pub notice_prefix: Option<String>,
    /// The supervision contact the notices' mail names (name and phone or
    /// e-mail); null: the mail names the region.
    pub contact: Option<String>,
    /// The contract terms (e.g. `bj-lease`) that govern the region's contracts
    /// naming none of their own; null: none (no breach register).
    pub terms_code: Option<String>,
}

impl From<entities::region::Model> for Region {
    fn from(m: entities::region::Model) -> Self {
        Self {
            id: id(m.id),
            code: m.code,
            name: m.name,
            parent_id: m.parent_id.map(id),
            scheme_code: m.scheme_code,
            service_year_start_month: m.service_year_start_month,
            created_at: local(m.created_at),
            notice_prefix: m.notice_prefix,
            contact: m.contact,
            terms_code: m.terms_code,
        }
    }
}

#[derive(InputObject)]
pub struct CreateRegionInput {
    pub code: String,
    pub name: String,
    pub parent_id: Option<ID>,
    pub scheme_code: String,
    #[graphql(default = 1)]
    pub service_year_start_month: i32,
    pub notice_prefix: Option<String>,
    pub contact: Option<String>,
    /// An existing contract-terms code, or null.
    pub terms_code: Option<String>,
}

#[derive(InputObject)]
pub struct UpdateRegionInput {
    pub code: Option<String>,
    pub name: Option<String>,
    pub parent_id: MaybeUndefined<ID>,
    pub scheme_code: Option<String>,
    pub service_year_start_month: Option<i32>,
    pub notice_prefix: MaybeUndefined<String>,
    pub contact: MaybeUndefined<String>,
    pub terms_code: MaybeUndefined<String>,
}

impl FromInput for Regions {
    type Create = CreateRegionInput;
    type Update = UpdateRegionInput;

    fn build(
        input: CreateRegionInput,
        _actor: &Actor,
        now: DateTime<Utc>,
    ) -> DomainResult<entities::region::Model> {
        Ok(entities::region::Model {
            id: 0,
            code: validate::text("input.code", input.code, 40)?,
            name: validate::text("input.name", input.name, 100)?,
            parent_id: crud::parse_opt_id("input.parentId", &input.parent_id)?,
            scheme_code: validate::text("input.schemeCode", input.scheme_code, 60)?,
            service_year_start_month: validate::in_range(
                "input.serviceYearStartMonth",
                input.service_year_start_month,
                1,
                12,
            )?,
            created_at: now,
            notice_prefix: input
                .notice_prefix
                .map(|v| validate::text("input.noticePrefix", v, 20))
                .transpose()?,
            contact: input
                .contact
                .map(|v| validate::text("input.contact", v, 200))
                .transpose()?,
            terms_code: input
                .terms_code
                .map(|v| validate::text("input.termsCode", v, 60))
                .transpose()?,
        })
    }

    fn patch(row: &mut entities::region::Model, input: UpdateRegionInput) -> DomainResult<()> {
        if let Some(v) = input.code {
            row.code = validate::text("input.code", v, 40)?;
        }
        if let Some(v) = input.name {
            row.name = validate::text("input.name", v, 100)?;
        }
        match input.parent_id {
            MaybeUndefined::Undefined => {}
            MaybeUndefined::Null => row.parent_id = None,
            MaybeUndefined::Value(v) => row.parent_id = Some(crud::parse_id("input.parentId", &v)?),
        }
        if let Some(v) = input.scheme_code {
            row.scheme_code = validate::text("input.schemeCode", v, 60)?;
        }
        if let Some(v) = input.service_year_start_month {
            row.service_year_start_month =
                validate::in_range("input.serviceYearStartMonth", v, 1, 12)?;
        }
        match input.notice_prefix {
            MaybeUndefined::Undefined => {}
            MaybeUndefined::Null => row.notice_prefix = None,
            MaybeUndefined::Value(v) => {
                row.notice_prefix = Some(validate::text("input.noticePrefix", v, 20)?);
            }
        }
        match input.contact {
            MaybeUndefined::Undefined => {}
            MaybeUndefined::Null => row.contact = None,
            MaybeUndefined::Value(v) => {
                row.contact = Some(validate::text("input.contact", v, 200)?)
            }
        }
        match input.terms_code {
            MaybeUndefined::Undefined => {}
            MaybeUndefined::Null => row.terms_code = None,
            MaybeUndefined::Value(v) => {
                row.terms_code = Some(validate::text("input.termsCode", v, 60)?)
            }
        }
        Ok(())
    }
}

crud_api!(resource: Regions, object: Region, page: RegionPage,
    create_input: CreateRegionInput, update_input: UpdateRegionInput,
    query: RegionQuery { region, regions },
    mutation: RegionMutation { create_region, update_region, delete_region });
