//! The GraphQL schema: one module per domain area, merged into one query and one
//! mutation root.

#[macro_use]
mod macros;

pub mod agencies;
pub mod assessment;
pub mod audit;
pub mod breaches;
pub mod catalogue;
pub mod catalogue_import;
pub mod contract_scope;
pub mod contract_terms;
pub mod contracts;
pub mod crud;
pub mod dashboards;
pub mod disputes;
pub mod facts;
pub mod imports;
pub mod limits;
mod links;
pub mod metering;
pub mod nested;
pub mod notices;
pub mod parsed_queries;
pub mod quotas;
pub mod regions;
pub mod rules;
pub mod runs;
pub mod scorecard_cache;
pub mod session;
pub mod settlement;
pub mod systems;
pub mod users;
pub mod vendors;
pub mod work_order_parts;

use async_graphql::{EmptySubscription, MergedObject, Schema};

use crate::state::AppState;

#[derive(MergedObject, Default)]
pub struct Query(
    session::SessionQuery,
    assessment::AssessmentQuery,
    rules::RulesQuery,
    contract_terms::ContractTermsQuery,
    runs::AssessmentRunQuery,
    runs::AssessmentResultQuery,
    dashboards::DashboardQuery,
    notices::NoticeQuery,
    disputes::DisputeQuery,
    quotas::QuotaQuery,
    quotas::UsageQuery,
    audit::AuditQuery,
    breaches::BreachQuery,
    regions::RegionQuery,
    vendors::VendorQuery,
    vendors::ServingVendorQuery,
    contracts::ContractQuery,
    settlement::SettlementQuery,
    catalogue::CatalogueItemQuery,
    catalogue::CataloguePriceQuery,
    catalogue::PriceInForceQuery,
    agencies::AgencyQuery,
    systems::InformationSystemQuery,
    users::UserQuery,
    facts::FactQuery,
    metering::MeteringQuery,
    work_order_parts::WorkOrderPartQuery,
);

#[derive(MergedObject, Default)]
pub struct Mutation(
    session::SessionMutation,
    rules::RulesMutation,
    contract_terms::ContractTermsMutation,
    runs::RunMutation,
    notices::NoticeMutation,
    disputes::DisputeMutation,
    quotas::QuotaMutation,
    breaches::BreachMutation,
    regions::RegionMutation,
    vendors::VendorMutation,
    contracts::ContractMutation,
    contracts::SigningMutation,
    settlement::SettlementMutation,
    contract_scope::ContractScopeMutation,
    catalogue::CatalogueItemMutation,
    catalogue::CataloguePriceMutation,
    catalogue::CatalogueMutation,
    catalogue_import::CatalogueImportMutation,
    agencies::AgencyMutation,
    systems::InformationSystemMutation,
    users::UserMutation,
    metering::MeteringMutation,
    facts::FactMutation,
    imports::ImportMutation,
    work_order_parts::WorkOrderPartMutation,
);

pub type AppSchema = Schema<Query, Mutation, EmptySubscription>;

/// Depth and complexity limits keep one request from walking the whole database
/// through nested lists; introspection has its own (see `limits`).
pub use limits::{MAX_COMPLEXITY, MAX_DEPTH};

pub fn build(state: Option<AppState>, introspection: bool) -> AppSchema {
    let mut builder = Schema::build(Query::default(), Mutation::default(), EmptySubscription)
        .extension(limits::Limits);
    if !introspection {
        builder = builder.disable_introspection();
    }
    match state {
        Some(s) => builder.data(s).finish(),
        None => builder.finish(),
    }
}

/// The SDL the server serves; `schema.graphql` must equal it (checked by a test).
pub fn sdl() -> String {
    build(None, true).sdl()
}
