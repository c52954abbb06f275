//! Contract terms (spec §5): the engine's built-in versions plus the versions an
//! administrator adds (stored as JSON documents). As with schemes, a new
//! version is a new row and nothing is edited, so a charged breach can always
//! name the terms it was charged under. Administrators only, for now: the
//! register that will let supervisors and vendors read the terms of their own
//! contracts is not built yet.

use chrono::Utc;
use engine::contract_terms::ContractTerms;
use entities::contract_terms::{ActiveModel, Column, Entity, Model};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryOrder, Set,
};

use crate::actor::Actor;
use crate::audit::Audit;
use crate::error::{DomainError, DomainResult};
use crate::schemes::version_not_above;

/// Every version, built-in and stored, ordered by code and version.
pub async fn all(conn: &impl ConnectionTrait, actor: &Actor) -> DomainResult<Vec<ContractTerms>> {
    actor.require_admin()?;
    stored_and_builtin(conn).await
}

async fn stored_and_builtin(conn: &impl ConnectionTrait) -> DomainResult<Vec<ContractTerms>> {
    let rows = Entity::find()
        .order_by_asc(Column::Code)
        .order_by_asc(Column::Version)
        .all(conn)
        .await?;
    let mut terms = ContractTerms::builtin();
    for row in &rows {
        terms.push(parse(row)?);
    }
    terms.sort_by(|a, b| (a.code.as_str(), a.version).cmp(&(b.code.as_str(), b.version)));
    Ok(terms)
}

fn parse(row: &Model) -> DomainResult<ContractTerms> {
    ContractTerms::from_json(&row.document).map_err(|e| {
        let what = format!(
            "stored terms {} v{} no longer parse: {e}",
            row.code, row.version
        );
        DomainError::Internal(what.into())
    })
}

/// A given version, or the latest version of a code.
pub async fn find(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    code: &str,
    version: Option<u32>,
) -> DomainResult<Option<ContractTerms>> {
    actor.require_admin()?;
    Ok(latest(&stored_and_builtin(conn).await?, code, version))
}

/// A given version, or the latest of a code, with no access check: for
/// charging a breach under the terms its contract names.
pub async fn resolve(
    conn: &impl ConnectionTrait,
    code: &str,
    version: Option<u32>,
) -> DomainResult<Option<ContractTerms>> {
    Ok(latest(&stored_and_builtin(conn).await?, code, version))
}

/// Every version, built-in and stored, with no access check: for charging
/// several contracts' breaches with one read (`charging::governing_terms_of`).
pub async fn every(conn: &impl ConnectionTrait) -> DomainResult<Vec<ContractTerms>> {
    stored_and_builtin(conn).await
}

/// Of `all`, version `version` of `code`, or its latest.
pub fn latest(all: &[ContractTerms], code: &str, version: Option<u32>) -> Option<ContractTerms> {
    all.iter()
        .filter(|t| t.code == code && version.is_none_or(|v| t.version == v))
        .max_by_key(|t| t.version)
        .cloned()
}

/// Adds a terms version from its JSON document (administrators only). The
/// document is validated by the engine; a version not above the latest of its
/// code is refused.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    audit: &Audit,
    document: &str,
) -> DomainResult<ContractTerms> {
    actor.require_admin()?;
    let terms = ContractTerms::from_json(document)
        .map_err(|e| DomainError::bad("document", e.to_string()))?;
    let canonical = terms.to_json().map_err(DomainError::internal)?;
    let _db = crate::db_share::permit().await;
    let txn = audit.begin(db).await?;
    let newest = latest(&stored_and_builtin(&*txn).await?, &terms.code, None);
    if let Some(newest) = newest.filter(|n| n.version >= terms.version) {
        return Err(version_not_above(&newest.code, newest.version));
    }
    let row = ActiveModel {
        code: Set(terms.code.clone()),
        version: Set(terms.version as i32),
        document: Set(canonical),
        created_by: Set(actor.user_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    txn.commit_rule_created("ContractTerms", row.id, &row)
        .await?;
    Ok(terms)
}
