//! Start-up data: the first administrator.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    Set,
};

use crate::auth::password;
use crate::config::AdminSeed;
use crate::error::DomainResult;
use domain::actor::RoleKind;

/// Creates the configured administrator once, when there is no administrator yet.
pub async fn ensure_admin(db: &DatabaseConnection, seed: &AdminSeed) -> DomainResult<()> {
    let admins = entities::user::Entity::find()
        .filter(entities::user::Column::Role.eq(RoleKind::Admin.as_str()))
        .count(db)
        .await?;
    if admins > 0 {
        return Ok(());
    }
    let Some(secret) = &seed.password else {
        tracing::warn!(
            "no administrator exists and ADMIN_PASSWORD is not set: nobody can sign in as admin"
        );
        return Ok(());
    };
    password::check_policy("ADMIN_PASSWORD", secret.expose())?;
    let now = Utc::now();
    entities::user::ActiveModel {
        username: Set(seed.username.clone()),
        password_hash: Set(password::hash(secret.expose())?),
        role: Set(RoleKind::Admin.as_str().to_owned()),
        region_id: Set(None),
        vendor_id: Set(None),
        agency_id: Set(None),
        disabled: Set(false),
        created_at: Set(now),
        password_changed_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    tracing::info!(username = %seed.username, "created the first administrator");
    Ok(())
}
