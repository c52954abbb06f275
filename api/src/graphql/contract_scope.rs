//! What a contract covers and which terms govern it, through GraphQL: its
//! systems (share, monthly fee), contacts, governing terms and major-incident
//! count, read through per-request batch loaders (a list of contracts costs
//! one query per part, not one per contract); `setContractTerms` for an
//! administrator to change them on a signed contract.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use entities::contract_contact::ContactParty as Party;
use rust_decimal::Decimal;

use super::contract_terms::ContractTermsVersion;
use super::contracts::{Contract, ContractInstalment, ContractLine, ContractSupplement};
use super::nested::{Rows, id};
use crate::error::{DomainError, DomainResult, GqlResult};
use crate::graphql::crud;
use domain::contract_scope::{ContactInput, ScopeInput, SystemInput};

/// Which party a contact speaks for.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum ContactParty {
    /// 乙方: the vendor.
    Vendor,
    /// 甲方: the agency.
    Agency,
    /// The supervising body.
    Supervisor,
}

impl From<ContactParty> for Party {
    fn from(p: ContactParty) -> Self {
        match p {
            ContactParty::Vendor => Party::Vendor,
            ContactParty::Agency => Party::Agency,
            ContactParty::Supervisor => Party::Supervisor,
        }
    }
}

impl From<Party> for ContactParty {
    fn from(p: Party) -> Self {
        match p {
            Party::Vendor => ContactParty::Vendor,
            Party::Agency => ContactParty::Agency,
            Party::Supervisor => ContactParty::Supervisor,
        }
    }
}

#[derive(InputObject)]
pub struct ContractSystemInput {
    pub system_id: ID,
    /// Its share of the amount; omitted: the unshared rest split evenly.
    pub share: Option<Decimal>,
}

#[derive(InputObject)]
pub struct ContractContactInput {
    pub party: ContactParty,
    /// e.g. 项目负责人, 运维联系人.
    pub role: String,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// Agency, terms, systems and contacts of a contract.
#[derive(InputObject)]
pub struct ContractScopeInput {
    /// An agency of the contract's region.
    pub agency_id: Option<ID>,
    /// An existing terms code; null: the region's terms govern.
    pub terms_code: Option<String>,
    /// A version of `termsCode`; null: its latest.
    pub terms_version: Option<i32>,
    #[graphql(default)]
    pub systems: Vec<ContractSystemInput>,
    #[graphql(default)]
    pub contacts: Vec<ContractContactInput>,
}

/// Parses what the signing and `setContractTerms` share.
pub fn scope_input(input: ContractScopeInput) -> DomainResult<ScopeInput> {
    let ContractScopeInput {
        agency_id,
        terms_code,
        terms_version,
        systems,
        contacts,
    } = input;
    let systems = systems
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            Ok(SystemInput {
                system_id: crud::parse_id(&format!("input.systems[{i}].systemId"), &s.system_id)?,
                share: s.share,
            })
        })
        .collect::<DomainResult<Vec<_>>>()?;
    let contacts = contacts
        .into_iter()
        .map(|c| ContactInput {
            party: c.party.into(),
            role: c.role,
            name: c.name,
            phone: c.phone,
            email: c.email,
        })
        .collect();
    Ok(ScopeInput {
        agency_id: crud::parse_opt_id("input.agencyId", &agency_id)?,
        systems,
        contacts,
        terms_code: terms_code.filter(|c| !c.trim().is_empty()),
        terms_version,
    })
}

/// A system the contract covers.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct ContractSystem {
    pub system_id: ID,
    /// Its share of the amount as entered; null: the unshared rest split evenly.
    pub share: Option<Decimal>,
    /// Its share / service months (spec §5), to the fen: the base of a
    /// breach's penalty.
    pub monthly_fee: Decimal,
}

#[async_graphql::ComplexObject]
impl ContractSystem {
    async fn system(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<super::systems::InformationSystem> {
        super::nested::one::<domain::reference::systems::InformationSystems, _>(
            ctx,
            &self.system_id,
        )
        .await
    }
}

/// A person named in the contract.
#[derive(SimpleObject)]
pub struct ContractContact {
    pub position: i32,
    pub party: ContactParty,
    pub role: String,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
}

impl From<entities::contract_contact::Model> for ContractContact {
    fn from(m: entities::contract_contact::Model) -> Self {
        Self {
            position: m.position,
            party: m.party.into(),
            role: m.role,
            name: m.name,
            phone: m.phone,
            email: m.email,
        }
    }
}

/// The confirmed major incidents (附件1) of a contract against its terms.
#[derive(SimpleObject)]
pub struct MajorIncidentCount {
    pub a_level: u32,
    pub b_level: u32,
    /// The counts that give the agency the right to terminate (1 and N).
    pub a_level_needed: u32,
    pub b_level_needed: u32,
    /// `A` or `B`: the count that gave the right; null: no right yet.
    pub termination_right: Option<String>,
    /// rate × contract amount, once the right is given; 0.00 before.
    pub penalty: Decimal,
}

/// The keys of the batch loaders of a contract's parts.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartsOf(pub i64);
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct SystemsOf(pub i64);
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ContactsOf(pub i64);

// The contracts were read through the access checks before their parts are
// asked for, so the loaders only batch.
impl Loader<PartsOf> for Rows {
    type Value = domain::contracts::Terms;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[PartsOf]) -> Result<HashMap<PartsOf, Self::Value>, Self::Error> {
        let ids = keys.iter().map(|k| k.0).collect();
        let found = domain::contracts::parts_of(&self.state.db, ids)
            .await
            .gql()?;
        Ok(found.into_iter().map(|(k, v)| (PartsOf(k), v)).collect())
    }
}

impl Loader<SystemsOf> for Rows {
    type Value = Vec<entities::contract_system::Model>;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[SystemsOf],
    ) -> Result<HashMap<SystemsOf, Self::Value>, Self::Error> {
        let ids = keys.iter().map(|k| k.0).collect();
        let _db = domain::db_share::permit().await;
        let found = domain::contract_scope::systems_of(&self.state.db, ids)
            .await
            .gql()?;
        Ok(found.into_iter().map(|(k, v)| (SystemsOf(k), v)).collect())
    }
}

impl Loader<ContactsOf> for Rows {
    type Value = Vec<entities::contract_contact::Model>;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[ContactsOf],
    ) -> Result<HashMap<ContactsOf, Self::Value>, Self::Error> {
        let ids = keys.iter().map(|k| k.0).collect();
        let _db = domain::db_share::permit().await;
        let found = domain::contract_scope::contacts_of(&self.state.db, ids)
            .await
            .gql()?;
        Ok(found.into_iter().map(|(k, v)| (ContactsOf(k), v)).collect())
    }
}

/// A contract's lines, instalments and supplements, batched per request.
pub async fn parts(
    ctx: &Context<'_>,
    contract: &Contract,
) -> async_graphql::Result<domain::contracts::Terms> {
    Ok(super::nested::rows(ctx)?
        .load_one(PartsOf(contract.row.id))
        .await?
        .unwrap_or_default())
}

pub async fn lines(ctx: &Context<'_>, c: &Contract) -> async_graphql::Result<Vec<ContractLine>> {
    let parts = parts(ctx, c).await?;
    Ok(parts.lines.into_iter().map(ContractLine::from).collect())
}

pub async fn instalments(
    ctx: &Context<'_>,
    c: &Contract,
) -> async_graphql::Result<Vec<ContractInstalment>> {
    let parts = parts(ctx, c).await?;
    Ok(parts
        .instalments
        .into_iter()
        .map(ContractInstalment::from)
        .collect())
}

pub async fn supplements(
    ctx: &Context<'_>,
    c: &Contract,
) -> async_graphql::Result<Vec<ContractSupplement>> {
    let parts = parts(ctx, c).await?;
    Ok(parts
        .supplements
        .into_iter()
        .map(ContractSupplement::from)
        .collect())
}

pub async fn systems(
    ctx: &Context<'_>,
    c: &Contract,
) -> async_graphql::Result<Vec<ContractSystem>> {
    let listed = super::nested::rows(ctx)?
        .load_one(SystemsOf(c.row.id))
        .await?
        .unwrap_or_default();
    let (state, _) = crud::env(ctx).gql()?;
    let _db = domain::db_share::permit().await;
    let mut out = Vec::with_capacity(listed.len());
    for s in listed {
        let fee =
            domain::charging::system_monthly_fee(&state.db, &c.row, Some(s.system_id)).await?;
        out.push(ContractSystem {
            system_id: id(s.system_id),
            share: s.share.map(engine::two_dp),
            monthly_fee: engine::two_dp(engine::round_half_up_2dp(fee)),
        });
    }
    Ok(out)
}

pub async fn contacts(
    ctx: &Context<'_>,
    c: &Contract,
) -> async_graphql::Result<Vec<ContractContact>> {
    let found = super::nested::rows(ctx)?
        .load_one(ContactsOf(c.row.id))
        .await?
        .unwrap_or_default();
    Ok(found.into_iter().map(ContractContact::from).collect())
}

/// The governing terms: the contract's own, else its region's; readable by
/// whoever reads the contract.
pub async fn terms(
    ctx: &Context<'_>,
    c: &Contract,
) -> async_graphql::Result<Option<ContractTermsVersion>> {
    async {
        let (state, _) = crud::env(ctx)?;
        let _db = domain::db_share::permit().await;
        let found = domain::charging::governing_terms(&state.db, &c.row).await?;
        Ok(found.map(ContractTermsVersion::from))
    }
    .await
    .gql()
}

pub async fn major_incidents(
    ctx: &Context<'_>,
    c: &Contract,
) -> async_graphql::Result<Option<MajorIncidentCount>> {
    async {
        let (state, _) = crud::env(ctx)?;
        let _db = domain::db_share::permit().await;
        let Some(terms) = domain::charging::governing_terms(&state.db, &c.row).await? else {
            return Ok(None);
        };
        let count = domain::charging::major_incidents(&state.db, &terms, &c.row).await?;
        Ok(count.map(|m| MajorIncidentCount {
            a_level: m.a_level,
            b_level: m.b_level,
            a_level_needed: m.a_level_needed,
            b_level_needed: m.b_level_needed,
            termination_right: m.assessed.termination_right.map(|l| {
                match l {
                    engine::breach_penalty::IncidentLevel::A => "A",
                    engine::breach_penalty::IncidentLevel::B => "B",
                }
                .to_owned()
            }),
            penalty: engine::two_dp(m.assessed.penalty),
        }))
    }
    .await
    .gql()
}

#[derive(Default)]
pub struct ContractScopeMutation;

#[Object]
impl ContractScopeMutation {
    /// Replaces the agency, terms, systems and contacts of a contract
    /// (administrators), audited; the same checks as `signContract`.
    async fn set_contract_terms(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: ContractScopeInput,
    ) -> async_graphql::Result<Contract> {
        async {
            let (state, actor) = crud::env(ctx)?;
            let contract_id = crud::parse_id("id", &id)?;
            let scope = scope_input(input)?;
            let audit = crate::graphql::audit::of(ctx, actor);
            let saved =
                domain::contract_scope::set(&state.db, actor, &audit, contract_id, scope).await?;
            Ok::<_, DomainError>(Contract::from(saved))
        }
        .await
        .gql()
    }
}
