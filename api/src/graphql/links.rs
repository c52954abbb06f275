//! The links between the reference objects (a region's agencies and
//! contracts, an agency's region and systems, …): each object's module knows
//! only itself; the graph of links is drawn here, once, so the modules do not
//! import each other.

use async_graphql::{ComplexObject, Context};
use domain::reference::{
    agencies::Agencies, contracts::Contracts, regions::Regions, systems::InformationSystems,
    vendors::Vendors,
};
use domain::store::Link;

use super::agencies::Agency;
use super::contract_scope::{self, ContractContact, ContractSystem, MajorIncidentCount};
use super::contract_terms::ContractTermsVersion;
use super::contracts::{Contract, ContractInstalment, ContractLine, ContractSupplement};
use super::nested;
use super::regions::Region;
use super::systems::InformationSystem;
use super::vendors::Vendor;

#[ComplexObject]
impl Region {
    async fn parent(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Region>> {
        nested::optional::<Regions, Region>(ctx, &self.parent_id).await
    }
    async fn agencies(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Agency>> {
        nested::many::<Agencies, Agency>(ctx, Link::Region, &self.id).await
    }
    async fn contracts(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Contract>> {
        nested::many::<Contracts, Contract>(ctx, Link::Region, &self.id).await
    }
}

#[ComplexObject]
impl Agency {
    async fn region(&self, ctx: &Context<'_>) -> async_graphql::Result<Region> {
        nested::one::<Regions, Region>(ctx, &self.region_id).await
    }
    async fn systems(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<InformationSystem>> {
        nested::many::<InformationSystems, InformationSystem>(ctx, Link::Agency, &self.id).await
    }
}

#[ComplexObject]
impl Contract {
    async fn vendor(&self, ctx: &Context<'_>) -> async_graphql::Result<Vendor> {
        nested::one::<Vendors, Vendor>(ctx, &self.vendor_id).await
    }
    async fn region(&self, ctx: &Context<'_>) -> async_graphql::Result<Region> {
        nested::one::<Regions, Region>(ctx, &self.region_id).await
    }
    /// The agency (使用单位); null when the contract names none or the caller
    /// may not read agencies (a vendor: see `agencyId`).
    async fn agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Agency>> {
        nested::if_readable::<Agencies, Agency>(ctx, &self.agency_id).await
    }
    /// The line items, in order; empty for a contract entered as one amount.
    async fn lines(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ContractLine>> {
        contract_scope::lines(ctx, self).await
    }
    /// The payment instalments, in order; the last is the final payment (尾款).
    async fn instalments(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<ContractInstalment>> {
        contract_scope::instalments(ctx, self).await
    }
    /// The supplementary agreements (补充协议), together at most 10 % of the amount.
    async fn supplements(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<ContractSupplement>> {
        contract_scope::supplements(ctx, self).await
    }
    /// The information systems covered, each with its share and monthly fee;
    /// empty: the contract covers all the vendor's systems in the region.
    async fn systems(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ContractSystem>> {
        contract_scope::systems(ctx, self).await
    }
    /// The contacts (联系人), in order.
    async fn contacts(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ContractContact>> {
        contract_scope::contacts(ctx, self).await
    }
    /// The terms that govern it (its own, else its region's), with their
    /// tables and rows; null: none (no breach register).
    async fn terms(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<ContractTermsVersion>> {
        contract_scope::terms(ctx, self).await
    }
    /// The confirmed A- and B-level incidents against the terms' rule, with
    /// the termination right and penalty once given; null without such a rule.
    async fn major_incidents(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<MajorIncidentCount>> {
        contract_scope::major_incidents(ctx, self).await
    }
}

#[ComplexObject]
impl InformationSystem {
    async fn agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Agency> {
        nested::one::<Agencies, Agency>(ctx, &self.agency_id).await
    }
    async fn vendor(&self, ctx: &Context<'_>) -> async_graphql::Result<Vendor> {
        nested::one::<Vendors, Vendor>(ctx, &self.vendor_id).await
    }
    async fn region(&self, ctx: &Context<'_>) -> async_graphql::Result<Region> {
        nested::one::<Regions, Region>(ctx, &self.region_id).await
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
