//! The HTTP edge of authentication: the bearer token becomes an `Actor` once per
//! request; a missing, invalid or outdated token leaves the request anonymous,
//! which every field but `login` refuses. A database that cannot be asked is
//! an error of its own, not "sign in first".

use axum::http::{HeaderMap, header};
use sea_orm::EntityTrait;

use crate::auth::{Actor, Role};
use crate::error::AppError;
use crate::state::AppState;

pub async fn actor_from_headers(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<Actor>, AppError> {
    let Some(user) = token_user(state, headers).await? else {
        return Ok(None);
    };
    Ok(actor_of(user))
}

/// The user a valid token names, if it still exists.
async fn token_user(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<(entities::user::Model, i64)>, AppError> {
    let Some(claims) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .and_then(|token| state.keys.verify(token.trim()).ok())
    else {
        return Ok(None);
    };
    let Ok(user_id) = claims.sub.parse::<i64>() else {
        return Ok(None);
    };
    let user = entities::user::Entity::find_by_id(user_id)
        .one(&state.db)
        .await?;
    Ok(user.map(|u| (u, claims.pwd)))
}

/// The token's user as an actor: not a disabled user, nor a token issued
/// before the user's last password change (`pwd`, the token's claim).
fn actor_of((user, pwd): (entities::user::Model, i64)) -> Option<Actor> {
    if user.disabled || pwd != user.password_changed_at.timestamp_millis() {
        return None;
    }
    let role = Role::from_user(&user).ok()?;
    Some(Actor {
        user_id: user.id,
        role,
    })
}
