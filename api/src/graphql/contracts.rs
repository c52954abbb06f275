//! Contracts: one vendor serving one region for one service year, with the
//! year's settlement amount (the base of the penalty) and the monthly fee;
//! entered as one amount (`createContract`) or as signed, with line items,
//! instalments and supplementary agreements (`signContract`).

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use rust_decimal::Decimal;

use super::contract_scope::ContractScopeInput;
use super::nested::id;
use crate::error::{DomainError, DomainResult, GqlResult};
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
    /// The day of signing; null for a contract entered as one amount.
    pub signed_on: Option<NaiveDate>,
    pub term_start: Option<NaiveDate>,
    pub term_end: Option<NaiveDate>,
    /// Whole months from the term's first day to the day after its last (a
    /// month begun counts whole); null without a term.
    pub service_months: Option<i32>,
    pub created_at: DateTime<FixedOffset>,
    pub agency_id: Option<ID>,
    /// The terms the contract itself names; null: its region's govern (see `terms`).
    pub terms_code: Option<String>,
    pub terms_version: Option<i32>,
    /// The row, for the fields resolved from it.
    #[graphql(skip)]
    pub row: entities::contract::Model,
}

impl From<entities::contract::Model> for Contract {
    fn from(m: entities::contract::Model) -> Self {
        Self {
            row: m.clone(),
            agency_id: m.agency_id.map(id),
            terms_code: m.terms_code.clone(),
            terms_version: m.terms_version,
            id: id(m.id),
            vendor_id: id(m.vendor_id),
            region_id: id(m.region_id),
            service_year: m.service_year,
            // SQLite hands decimals back through f64: restore the fen scale,
            // always 2 decimals ("1105728.00") on both databases. Amounts are
            // entered with at most 2 decimals, so this is the exact value.
            settlement_amount: engine::two_dp(m.settlement_amount),
            monthly_fee: engine::two_dp(m.monthly_fee),
            signed_on: m.signed_on,
            term_start: m.term_start,
            term_end: m.term_end,
            service_months: match (m.term_start, m.term_end) {
                (Some(start), Some(end)) => domain::contracts::service_months(start, end).ok(),
                _ => None,
            },
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
            signed_on: None,
            term_start: None,
            term_end: None,
            created_at: now,
            agency_id: None,
            terms_code: None,
            terms_version: None,
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

/// A line item as signed.
#[derive(SimpleObject)]
pub struct ContractLine {
    pub id: ID,
    /// 序号, from 1.
    pub position: i32,
    pub item_id: Option<ID>,
    pub description: String,
    pub unit: String,
    pub unit_price: Decimal,
    pub quantity: Decimal,
    pub months: i32,
    /// unit price × quantity × months, to the fen.
    pub line_total: Decimal,
    /// The vendor's catalogue price of the item in force on the day of
    /// signing: the ceiling the unit price kept to.
    pub catalogue_price: Option<Decimal>,
    /// No catalogue price was in force (or no catalogue item was named): the
    /// line was accepted and is to be reviewed.
    pub needs_review: bool,
}

impl From<entities::contract_line::Model> for ContractLine {
    fn from(m: entities::contract_line::Model) -> Self {
        Self {
            id: id(m.id),
            position: m.position,
            item_id: m.item_id.map(id),
            description: m.description,
            unit: m.unit,
            unit_price: engine::two_dp(m.unit_price),
            quantity: engine::two_dp(m.quantity),
            months: m.months,
            line_total: engine::two_dp(m.line_total),
            catalogue_price: m.catalogue_price.map(engine::two_dp),
            needs_review: m.needs_review,
        }
    }
}

/// A payment instalment.
#[derive(SimpleObject)]
pub struct ContractInstalment {
    pub id: ID,
    pub position: i32,
    /// Its share of the amount, in percent.
    pub percent: Decimal,
    /// What makes it due (e.g. 合同签订后 / 云资源开通 2 个月并通过初步验收后).
    pub condition: String,
    /// Its percentage of the amount to the fen; the last takes what the others leave.
    pub amount: Decimal,
    /// The day it was paid (`recordInstalmentPaid`); null: not yet.
    pub paid_on: Option<NaiveDate>,
}

impl From<entities::contract_instalment::Model> for ContractInstalment {
    fn from(m: entities::contract_instalment::Model) -> Self {
        Self {
            id: id(m.id),
            position: m.position,
            percent: engine::two_dp(m.percent),
            condition: m.condition,
            amount: engine::two_dp(m.amount),
            paid_on: m.paid_on,
        }
    }
}

/// A supplementary agreement.
#[derive(SimpleObject)]
pub struct ContractSupplement {
    pub id: ID,
    pub contract_id: ID,
    pub signed_on: NaiveDate,
    pub amount: Decimal,
    pub description: String,
}

impl From<entities::contract_supplement::Model> for ContractSupplement {
    fn from(m: entities::contract_supplement::Model) -> Self {
        Self {
            id: id(m.id),
            contract_id: id(m.contract_id),
            signed_on: m.signed_on,
            amount: engine::two_dp(m.amount),
            description: m.description,
        }
    }
}

#[derive(InputObject)]
pub struct ContractLineInput {
    /// The catalogue item; omitted for an item outside the catalogue (the
    /// line is then flagged for review).
    pub item_id: Option<ID>,
    pub description: String,
    pub unit: String,
    pub unit_price: Decimal,
    pub quantity: Decimal,
    pub months: i32,
}

#[derive(InputObject)]
pub struct ContractInstalmentInput {
    pub percent: Decimal,
    pub condition: String,
}

#[derive(InputObject)]
pub struct SignContractInput {
    pub vendor_id: ID,
    pub region_id: ID,
    pub service_year: i32,
    /// The day of signing: the catalogue prices in force that day cap the lines.
    pub signed_on: NaiveDate,
    /// The first and last day of service; the service months are derived.
    pub term_start: NaiveDate,
    pub term_end: NaiveDate,
    pub lines: Vec<ContractLineInput>,
    /// Percentages summing to 100; the last is the final payment (尾款).
    pub instalments: Vec<ContractInstalmentInput>,
    /// Agency, terms, systems (the vendor's, in the region and agency;
    /// shares together at most the amount) and contacts.
    #[graphql(flatten)]
    pub scope: ContractScopeInput,
}

#[derive(InputObject)]
pub struct SupplementInput {
    pub signed_on: NaiveDate,
    pub amount: Decimal,
    pub description: String,
}

const MAX_LINES: usize = 200;

fn signing(input: SignContractInput) -> DomainResult<domain::contracts::Signing> {
    if input.lines.len() > MAX_LINES || input.instalments.len() > MAX_LINES {
        return Err(DomainError::bad(
            "input.lines",
            format!("at most {MAX_LINES} lines and {MAX_LINES} instalments"),
        ));
    }
    let lines = input
        .lines
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            Ok(domain::contracts::LineInput {
                item_id: crud::parse_opt_id(&format!("input.lines[{i}].itemId"), &l.item_id)?,
                description: l.description,
                unit: l.unit,
                unit_price: l.unit_price,
                quantity: l.quantity,
                months: l.months,
            })
        })
        .collect::<DomainResult<Vec<_>>>()?;
    let scope = super::contract_scope::scope_input(input.scope)?;
    Ok(domain::contracts::Signing {
        scope,
        vendor_id: crud::parse_id("input.vendorId", &input.vendor_id)?,
        region_id: crud::parse_id("input.regionId", &input.region_id)?,
        service_year: input.service_year,
        signed_on: input.signed_on,
        term_start: input.term_start,
        term_end: input.term_end,
        lines,
        instalments: input
            .instalments
            .into_iter()
            .map(|i| domain::contracts::InstalmentInput {
                percent: i.percent,
                condition: i.condition,
            })
            .collect(),
    })
}

#[derive(Default)]
pub struct SigningMutation;

#[Object]
impl SigningMutation {
    /// Enters a contract as signed: its lines (each unit price at most the
    /// vendor's catalogue price in force on `signedOn`; a line with none in
    /// force is accepted and flagged `needsReview`), the amount as their sum,
    /// the monthly fee as the amount / service months, and the instalments.
    async fn sign_contract(
        &self,
        ctx: &Context<'_>,
        input: SignContractInput,
    ) -> async_graphql::Result<Contract> {
        async {
            let (state, actor) = crud::env(ctx)?;
            let signing = signing(input)?;
            let audit = crate::graphql::audit::of(ctx, actor);
            let saved = domain::contracts::sign(&state.db, actor, &audit, signing).await?;
            Ok(Contract::from(saved))
        }
        .await
        .gql()
    }

    /// Adds a supplementary agreement (补充协议); refused when the agreements
    /// together would exceed 10 % of the contract amount, naming the figures.
    async fn add_supplementary_agreement(
        &self,
        ctx: &Context<'_>,
        contract_id: ID,
        input: SupplementInput,
    ) -> async_graphql::Result<ContractSupplement> {
        async {
            let (state, actor) = crud::env(ctx)?;
            let contract_id = crud::parse_id("contractId", &contract_id)?;
            let audit = crate::graphql::audit::of(ctx, actor);
            let saved = domain::contracts::add_supplement(
                &state.db,
                actor,
                &audit,
                contract_id,
                input.signed_on,
                input.amount,
                input.description,
            )
            .await?;
            Ok(ContractSupplement::from(saved))
        }
        .await
        .gql()
    }
}
