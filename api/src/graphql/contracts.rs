//! Contracts: one vendor serving one region for one service year, with the
//! year's settlement amount (the base of the penalty) and the monthly fee.

use async_graphql::{ID, InputObject, SimpleObject};
use chrono::{DateTime, FixedOffset, Utc};
use rust_decimal::Decimal;

use super::nested::id;
use crate::error::DomainResult;
use crate::graphql::crud::{self, FromInput};
use domain::actor::Actor;
use domain::period::local;
use domain::validate;

pub use domain::reference::contracts::Contracts;

#[derive(SimpleObject)]
#[graphql(complex)]
pub struct Contract {
    pub id: ID,
    pub vendor_id: ID,
    pub region_id: ID,
    pub service_year: i32,
    /// 当年结算金额, in yuan.
    pub settlement_amount: Decimal,
    pub monthly_fee: Decimal,
    pub created_at: DateTime<FixedOffset>,
}

impl From<entities::contract::Model> for Contract {
    fn from(m: entities::contract::Model) -> Self {
        Self {
            id: id(m.id),
            vendor_id: id(m.vendor_id),
            region_id: id(m.region_id),
            service_year: m.service_year,
            // SQLite hands decimals back through f64: restore the fen scale,
            // always 2 decimals ("1105728.00") on both databases. Amounts are
            // entered with at most 2 decimals, so this is the exact value.
            settlement_amount: engine::two_dp(m.settlement_amount),
            monthly_fee: engine::two_dp(m.monthly_fee),
            created_at: local(m.created_at),
        }
    }
}

#[derive(InputObject)]
pub struct CreateContractInput {
    pub vendor_id: ID,
    pub region_id: ID,
    pub service_year: i32,
    pub settlement_amount: Decimal,
    pub monthly_fee: Decimal,
}

#[derive(InputObject)]
pub struct UpdateContractInput {
    pub service_year: Option<i32>,
    pub settlement_amount: Option<Decimal>,
    pub monthly_fee: Option<Decimal>,
}

impl FromInput for Contracts {
    type Create = CreateContractInput;
    type Update = UpdateContractInput;

    fn build(
        input: CreateContractInput,
        _actor: &Actor,
        now: DateTime<Utc>,
    ) -> DomainResult<entities::contract::Model> {
        Ok(entities::contract::Model {
            id: 0,
            vendor_id: crud::parse_id("input.vendorId", &input.vendor_id)?,
            region_id: crud::parse_id("input.regionId", &input.region_id)?,
            service_year: validate::in_range("input.serviceYear", input.service_year, 2000, 2100)?,
            settlement_amount: validate::money("input.settlementAmount", input.settlement_amount)?,
            monthly_fee: validate::money("input.monthlyFee", input.monthly_fee)?,
            created_at: now,
        })
    }

    fn patch(row: &mut entities::contract::Model, input: UpdateContractInput) -> DomainResult<()> {
        if let Some(v) = input.service_year {
            row.service_year = validate::in_range("input.serviceYear", v, 2000, 2100)?;
        }
        if let Some(v) = input.settlement_amount {
            row.settlement_amount = validate::money("input.settlementAmount", v)?;
        }
        if let Some(v) = input.monthly_fee {
            row.monthly_fee = validate::money("input.monthlyFee", v)?;
        }
        Ok(())
    }
}

crud_api!(resource: Contracts, object: Contract, page: ContractPage,
    create_input: CreateContractInput, update_input: UpdateContractInput,
    query: ContractQuery { contract, contracts },
    mutation: ContractMutation { create_contract, update_contract, delete_contract });
