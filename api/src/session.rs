//! The HTTP edge of authentication: the bearer token becomes an `Actor` once per
//! request; a missing, invalid or outdated token leaves the request anonymous,
//! which every field but `login` refuses. A database that cannot be asked is
//! an error of its own, not "sign in first".

use axum::http::HeaderMap;

use crate::auth::token::{Claims, bearer};
use crate::error::DomainError;
use crate::state::AppState;
use domain::actor::{Actor, Role};

pub async fn actor_from_headers(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<Actor>, DomainError> {
    match bearer(headers) {
        Some(token) => actor_from_token(state, token).await,
        None => Ok(None),
    }
}

/// The actor of a token (a bearer token, or the web console's session cookie,
/// which holds the same token): the same checks either way.
pub async fn actor_from_token(state: &AppState, token: &str) -> Result<Option<Actor>, DomainError> {
    let Some(user) = token_user(state, token).await? else {
        return Ok(None);
    };
    Ok(actor_of(user))
}

/// The user a valid token names, if it still exists. The scheme is
/// case-insensitive (`bearer` is `Bearer`).
async fn token_user(
    state: &AppState,
    token: &str,
) -> Result<Option<(entities::user::Model, Claims)>, DomainError> {
    let Ok(claims) = state.keys.verify(token) else {
        return Ok(None);
    };
    let Ok(user_id) = claims.sub.parse::<i64>() else {
        return Ok(None);
    };
    let user = state.users.one(&state.db, user_id).await?;
    Ok(user.map(|u| (u, claims)))
}

/// The token's user as an actor: not a disabled user, nor a token issued
/// before the user's last password change or last disable (the token's
/// stamps, `Claims::still_valid_for`).
fn actor_of((user, claims): (entities::user::Model, Claims)) -> Option<Actor> {
    if user.disabled || !claims.still_valid_for(&user) {
        return None;
    }
    let role = Role::from_user(&user).ok()?;
    Some(Actor {
        user_id: user.id,
        role,
    })
}
