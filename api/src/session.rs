//! The HTTP edge of authentication: the bearer token becomes an `Actor` once per
//! request; a missing, invalid or outdated token leaves the request anonymous,
//! which every field but `login` refuses.

use axum::http::{HeaderMap, header};
use sea_orm::EntityTrait;

use crate::auth::{Actor, Role};
use crate::state::AppState;

pub async fn actor_from_headers(state: &AppState, headers: &HeaderMap) -> Option<Actor> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let token = value.strip_prefix("Bearer ")?.trim();
    let claims = state.keys.verify(token).ok()?;
    let user_id: i64 = claims.sub.parse().ok()?;
    let user = match entities::user::Entity::find_by_id(user_id)
        .one(&state.db)
        .await
    {
        Ok(user) => user?,
        Err(e) => {
            tracing::error!(error = %e, "cannot load the token's user");
            return None;
        }
    };
    // A disabled user, or a token issued before the last password change, is out.
    if user.disabled || claims.pwd != user.password_changed_at.timestamp_millis() {
        return None;
    }
    let role = Role::from_user(&user).ok()?;
    Some(Actor {
        user_id: user.id,
        role,
    })
}
