//! Security risks found on the platform (安全风险: vulnerabilities, hidden faults,
//! inspection findings), each with a rectification deadline. J1 deducts each one
//! not rectified by its deadline.

use async_graphql::{ID, InputObject, MaybeUndefined, SimpleObject};
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use sea_orm::DatabaseTransaction;

use super::{check_owner, ensure_after, fact_links, opt_utc, owner, set_nullable, utc};
use crate::access::{Policy, Scope};
use crate::auth::Actor;
use crate::crud::{self, TimeColumn, Writable};
use crate::error::AppResult;
use crate::graphql::nested::id;
use crate::period::local;
use crate::validate;
use entities::security_risk::{Column, Model};

resource!(SecurityRisks => security_risk, name: "SecurityRisk", policy: Policy::FACT,
    region: Some(Column::RegionId), vendor: Some(Column::VendorId), agency: None,
    time: TimeColumn::Date(Column::Deadline),
    scope: |m| Scope { region: Some(m.region_id), vendor: Some(m.vendor_id), agency: None });

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

impl Writable for SecurityRisks {
    type Create = CreateSecurityRiskInput;
    type Update = UpdateSecurityRiskInput;

    fn build(
        input: CreateSecurityRiskInput,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> AppResult<Model> {
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

    fn patch(row: &mut Model, input: UpdateSecurityRiskInput) -> AppResult<()> {
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

    async fn check<'a>(txn: &'a DatabaseTransaction, row: &'a mut Model) -> AppResult<()> {
        check_owner(txn, row.region_id, row.vendor_id, None).await?;
        let found_on = local(row.found_at).date_naive();
        crud::ensure_date_not_before("input.deadline", row.deadline, "foundAt", found_on)?;
        crate::validate::deadline("input.deadline", row.deadline, found_on)?;
        ensure_after(
            "input.rectifiedAt",
            row.rectified_at,
            "foundAt",
            row.found_at,
        )
    }
}

crud_api!(resource: SecurityRisks, object: SecurityRisk, page: SecurityRiskPage,
    create_input: CreateSecurityRiskInput, update_input: UpdateSecurityRiskInput,
    query: SecurityRiskQuery { security_risk, security_risks },
    mutation: SecurityRiskMutation { create_security_risk, update_security_risk, delete_security_risk });
