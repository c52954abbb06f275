//! Contract terms through GraphQL (administrators): every version, built-in
//! and added, and adding a version from its JSON document.

use async_graphql::{Context, Json, Object, SimpleObject};
use engine::contract_terms::ContractTerms;

use crate::error::{DomainError, DomainResult, GqlResult};
use crate::graphql::crud;

#[derive(SimpleObject)]
pub struct ContractTermsVersion {
    pub code: String,
    pub version: u32,
    pub name: String,
    /// Built into the engine (else added by an administrator).
    pub built_in: bool,
    /// The whole document: breach tables and their rows, the major-incident
    /// rule, the security-rectification rate, termination grounds, payment.
    pub document: Json<serde_json::Value>,
}

impl From<ContractTerms> for ContractTermsVersion {
    fn from(t: ContractTerms) -> Self {
        let built_in = ContractTerms::builtin()
            .iter()
            .any(|b| b.code == t.code && b.version == t.version);
        let document = serde_json::to_value(&t).unwrap_or_default();
        Self {
            code: t.code,
            version: t.version,
            name: t.name,
            built_in,
            document: Json(document),
        }
    }
}

#[derive(Default)]
pub struct ContractTermsQuery;

#[Object]
impl ContractTermsQuery {
    /// Every contract-terms version, built-in and added (administrators).
    async fn contract_terms(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<ContractTermsVersion>> {
        async {
            let (state, actor) = crud::env(ctx)?;
            let _db = domain::db_share::permit().await;
            let all = domain::contract_terms::all(&state.db, actor).await?;
            Ok(all.into_iter().map(ContractTermsVersion::from).collect())
        }
        .await
        .gql()
    }

    /// One version, or the latest of a code when `version` is omitted
    /// (administrators).
    async fn contract_terms_version(
        &self,
        ctx: &Context<'_>,
        code: String,
        version: Option<u32>,
    ) -> async_graphql::Result<ContractTermsVersion> {
        async {
            let (state, actor) = crud::env(ctx)?;
            let _db = domain::db_share::permit().await;
            domain::contract_terms::find(&state.db, actor, &code, version)
                .await?
                .map(ContractTermsVersion::from)
                .ok_or_else(|| DomainError::not_found(format!("contract terms {code}")))
        }
        .await
        .gql()
    }
}

#[derive(Default)]
pub struct ContractTermsMutation;

#[Object]
impl ContractTermsMutation {
    /// Adds a contract-terms version (administrators). The document is
    /// validated: coefficients 20 %–600 %, fixed amounts above 0 to the fen,
    /// row numbers unique in their table, rates of the contract in (0, 1], …
    async fn create_contract_terms(
        &self,
        ctx: &Context<'_>,
        document: Json<serde_json::Value>,
    ) -> async_graphql::Result<ContractTermsVersion> {
        create(ctx, &document.0).await.gql()
    }
}

async fn create(
    ctx: &Context<'_>,
    document: &serde_json::Value,
) -> DomainResult<ContractTermsVersion> {
    let (state, actor) = crud::env(ctx)?;
    let text = serde_json::to_string(document).map_err(DomainError::internal)?;
    let audit = crate::graphql::audit::of(ctx, actor);
    domain::contract_terms::create(&state.db, actor, &audit, &text)
        .await
        .map(ContractTermsVersion::from)
}
