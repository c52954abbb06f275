//! Scoring schemes: the engine's built-in versions plus the versions an
//! administrator adds through the API (stored as JSON documents). A new version
//! is a new row; nothing is ever edited, so a result can always name its rules.

use chrono::Utc;
use engine::scheme::Scheme;
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryOrder, Set,
};

use crate::actor::Actor;
use crate::audit::Audit;
use crate::error::{DomainError, DomainResult};

/// Every version: built-in first, then stored, each ordered by code and version.
pub async fn all(conn: &impl ConnectionTrait) -> DomainResult<Vec<Scheme>> {
    let mut schemes = Scheme::builtin();
    let stored = entities::scheme::Entity::find()
        .order_by_asc(entities::scheme::Column::Code)
        .order_by_asc(entities::scheme::Column::Version)
        .all(conn)
        .await?;
    for row in stored {
        schemes.push(parse_stored(&row)?);
    }
    schemes.sort_by(|a, b| (a.code.as_str(), a.version).cmp(&(b.code.as_str(), b.version)));
    Ok(schemes)
}

fn parse_stored(row: &entities::scheme::Model) -> DomainResult<Scheme> {
    Scheme::from_json(&row.document).map_err(|e| {
        DomainError::Internal(
            format!(
                "stored scheme {} v{} no longer parses: {e}",
                row.code, row.version
            )
            .into(),
        )
    })
}

/// When each stored version was added, by code and version (the built-in
/// versions are not stored: they hold from the start).
pub async fn added_at(
    conn: &impl ConnectionTrait,
) -> DomainResult<std::collections::HashMap<(String, u32), chrono::DateTime<Utc>>> {
    let stored = entities::scheme::Entity::find().all(conn).await?;
    Ok(stored
        .into_iter()
        .map(|row| ((row.code, row.version as u32), row.created_at))
        .collect())
}

/// A given version, or the latest version of a code.
pub async fn find(
    conn: &impl ConnectionTrait,
    code: &str,
    version: Option<u32>,
) -> DomainResult<Option<Scheme>> {
    Ok(all(conn)
        .await?
        .into_iter()
        .filter(|s| s.code == code && version.is_none_or(|v| s.version == v))
        .max_by_key(|s| s.version))
}

pub async fn require_known(
    conn: &impl ConnectionTrait,
    field: &str,
    code: &str,
) -> DomainResult<Scheme> {
    find(conn, code, None)
        .await?
        .ok_or_else(|| DomainError::bad(field, format!("unknown scheme \"{code}\"")))
}

/// Adds a scheme version from its JSON document (administrators only).
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    audit: &Audit,
    document: &str,
) -> DomainResult<Scheme> {
    actor.require_admin()?;
    let scheme =
        Scheme::from_json(document).map_err(|e| DomainError::bad("document", e.to_string()))?;
    let _db = crate::db_share::permit().await;
    let txn = audit.begin(db).await?;
    if let Some(latest) = find(&*txn, &scheme.code, None).await?
        && latest.version >= scheme.version
    {
        return Err(version_not_above(&latest.code, latest.version));
    }
    let canonical = scheme
        .to_json()
        .map_err(|e| DomainError::Internal(e.to_string().into()))?;
    let row = entities::scheme::ActiveModel {
        code: Set(scheme.code.clone()),
        version: Set(scheme.version as i32),
        document: Set(canonical),
        created_by: Set(actor.user_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    txn.commit_rule_created("Scheme", row.id, &row).await?;
    Ok(scheme)
}

/// A rule document (scheme, contract terms) whose version is not above the
/// latest of its code: versions only go up, so a result names its rules.
pub(crate) fn version_not_above(code: &str, latest: u32) -> DomainError {
    DomainError::bad(
        "document.version",
        format!("{code} v{latest} exists already; a new version must be above it"),
    )
}
