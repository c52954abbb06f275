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
    let user = match entities::user::Entity::find_by_id(user_id).one(&state.db).await {
        Ok(user) => user?,
        Err(e) => {
            tracing::error!(error = %e, "cannot load the token's user");
            return None;
        }
    };
    // A disabled user, or a token issued before the last password change, is out.
    if user.disabled || claims.pwd != user.password_changed_at.timestamp() {
        return None;
    }
    let role = Role::from_user(&user).ok()?;
    Some(Actor { user_id: user.id, role })
}

/// Errors raised before any resolver ran (a malformed date, a wrong type, an
/// unknown field, a query over the limits) come without a code; they are all the
/// client's to fix, so they get `BAD_USER_INPUT`.
pub fn label_client_errors(response: &mut async_graphql::Response) {
    for error in &mut response.errors {
        let has_code = error.extensions.as_ref().is_some_and(|e| e.get("code").is_some());
        if !has_code {
            error
                .extensions
                .get_or_insert_with(Default::default)
                .set("code", "BAD_USER_INPUT");
        }
    }
}
