//! Security risks found on the platform (安全风险: vulnerabilities, hidden faults,
//! inspection findings), each with a rectification deadline. J1 deducts each one
//! not rectified by its deadline.

use async_graphql::{ID, InputObject, MaybeUndefined, SimpleObject};
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

use super::{fact_links, opt_utc, owner, set_nullable, utc};
use crate::error::DomainResult;
use crate::graphql::crud::FromInput;
use crate::graphql::nested::id;
use domain::actor::Actor;
use domain::period::local;
use domain::validate;
use entities::security_risk::Model;

pub use domain::facts::security_risks::SecurityRisks;

db_enum!(
    /// What kind of security risk was found.
    SecurityRiskKind { Vulnerability => "VULNERABILITY", HiddenFault => "HIDDEN_FAULT", Inspection => "INSPECTION" }
);

#[derive(SimpleObject)]
#[graphql(complex)]
pub struct SecurityRisk {
    pub id: ID,
    pub region_id: ID,
    pub vendor_id: ID,
    pub kind: SecurityRiskKind,
    pub description: String,
    pub found_at: DateTime<FixedOffset>,
    /// The last day (Asia/Shanghai) to rectify it.
    pub deadline: NaiveDate,
    pub rectified_at: Option<DateTime<FixedOffset>>,
    pub confirmed: bool,
    pub vendor_liable: bool,
    pub recorded_by_id: ID,
    pub recorded_at: DateTime<FixedOffset>,
}

impl From<Model> for SecurityRisk {
    fn from(m: Model) -> Self {
        Self {
            id: id(m.id),
            region_id: id(m.region_id),
            vendor_id: id(m.vendor_id),
            kind: SecurityRiskKind::from_db(&m.kind),
            description: m.description,
            found_at: local(m.found_at),
            deadline: m.deadline,
            rectified_at: m.rectified_at.map(local),
            confirmed: m.confirmed,
            vendor_liable: m.vendor_liable,
            recorded_by_id: id(m.recorded_by),
            recorded_at: local(m.recorded_at),
        }
    }
}

fact_links!(SecurityRisk {});

#[derive(InputObject)]
pub struct CreateSecurityRiskInput {
    pub region_id: ID,
    pub vendor_id: ID,
    pub kind: SecurityRiskKind,
    pub description: String,
    pub found_at: DateTime<FixedOffset>,
    pub deadline: NaiveDate,
    pub rectified_at: Option<DateTime<FixedOffset>>,
    pub confirmed: bool,
    pub vendor_liable: bool,
}

#[derive(InputObject)]
pub struct UpdateSecurityRiskInput {
    pub kind: Option<SecurityRiskKind>,
    pub description: Option<String>,
    pub found_at: Option<DateTime<FixedOffset>>,
    pub deadline: Option<NaiveDate>,
    pub rectified_at: MaybeUndefined<DateTime<FixedOffset>>,
    pub confirmed: Option<bool>,
    pub vendor_liable: Option<bool>,
}

impl FromInput for SecurityRisks {
    type Create = CreateSecurityRiskInput;
    type Update = UpdateSecurityRiskInput;

    fn build(
        input: CreateSecurityRiskInput,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> DomainResult<Model> {
        let (region_id, vendor_id) = owner(&input.region_id, &input.vendor_id)?;
        Ok(Model {
            id: 0,
            region_id,
            vendor_id,
            kind: input.kind.as_str().to_owned(),
            description: validate::text("input.description", input.description, 2000)?,
            found_at: utc(input.found_at),
            deadline: input.deadline,
            rectified_at: opt_utc(input.rectified_at),
            confirmed: input.confirmed,
            vendor_liable: input.vendor_liable,
            recorded_by: actor.user_id,
            recorded_at: now,
        })
    }

    fn patch(row: &mut Model, input: UpdateSecurityRiskInput) -> DomainResult<()> {
        if let Some(v) = input.kind {
            row.kind = v.as_str().to_owned();
        }
        if let Some(v) = input.description {
            row.description = validate::text("input.description", v, 2000)?;
        }
        if let Some(v) = input.found_at {
            row.found_at = utc(v);
        }
        if let Some(v) = input.deadline {
            row.deadline = v;
        }
        set_nullable(&mut row.rectified_at, input.rectified_at.map_value(utc));
        row.confirmed = input.confirmed.unwrap_or(row.confirmed);
        row.vendor_liable = input.vendor_liable.unwrap_or(row.vendor_liable);
        Ok(())
    }
}

crud_api!(resource: SecurityRisks, object: SecurityRisk, page: SecurityRiskPage,
    create_input: CreateSecurityRiskInput, update_input: UpdateSecurityRiskInput,
    query: SecurityRiskQuery { security_risk, security_risks },
    mutation: SecurityRiskMutation { create_security_risk, update_security_risk, delete_security_risk });
