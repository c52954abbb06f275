//! Signing in, and who am I.

use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, FixedOffset, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::users::User;
use crate::auth::password;
use crate::error::{DomainError, DomainResult, GqlResult};
use crate::graphql::crud;
use crate::state::AppState;
use domain::access::Scope;
use domain::actor::RoleKind;
use domain::audit::Change;
use domain::period::local;

#[derive(SimpleObject)]
pub struct LoginPayload {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    pub expires_at: DateTime<FixedOffset>,
    pub user: User,
}

#[derive(Default)]
pub struct SessionQuery;

#[Object]
impl SessionQuery {
    /// The signed-in user.
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<User> {
        async {
            let (state, actor) = crud::env(ctx)?;
            let user = entities::user::Entity::find_by_id(actor.user_id)
                .one(&state.db)
                .await?;
            user.map(User::from).ok_or(DomainError::Unauthenticated)
        }
        .await
        .gql()
    }
}

#[derive(Default)]
pub struct SessionMutation;

#[Object]
impl SessionMutation {
    /// Exchanges a username and password for a token. A wrong password, an
    /// unknown user and a disabled user get the same answer.
    async fn login(
        &self,
        ctx: &Context<'_>,
        username: String,
        password: String,
    ) -> async_graphql::Result<LoginPayload> {
        login(ctx, &username, &password).await.gql()
    }

    /// Changes the signed-in user's own password. Every token issued before stops
    /// working; the answer carries a new one.
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        current_password: String,
        new_password: String,
    ) -> async_graphql::Result<LoginPayload> {
        change_password(ctx, &current_password, &new_password)
            .await
            .gql()
    }
}

async fn login(
    ctx: &Context<'_>,
    username: &str,
    password_text: &str,
) -> DomainResult<LoginPayload> {
    let state = ctx
        .data::<AppState>()
        .map_err(|e| DomainError::Internal(e.message.into()))?;
    let user = entities::user::Entity::find()
        .filter(entities::user::Column::Username.eq(username.trim()))
        .one(&state.db)
        .await?;
    let stored = user.as_ref().map(|u| u.password_hash.as_str());
    let addr = ctx.data_opt::<crate::state::ClientAddr>().map(|a| a.0);
    let now = std::time::Instant::now();
    // A locked username or address gets the same answer as a wrong password,
    // after the same hashing work. The attempt counts as a failure from its
    // start until it succeeds (see `LoginThrottle::begin`).
    let allowed = state.throttle.begin(username, addr, now);
    let password_ok = password::verify_off_workers(password_text, stored).await? && allowed;
    let user = match user {
        Some(u) if password_ok && !u.disabled => {
            state.throttle.succeeded(username, addr);
            u
        }
        _ => return Err(DomainError::BadCredentials),
    };
    audit_login(ctx, state, &user).await?;
    let (token, expires) = state.keys.issue(&user, Utc::now())?;
    Ok(LoginPayload {
        token,
        expires_at: local(expires),
        user: User::from(user),
    })
}

/// A successful sign-in is audited (a failed one is a refusal: nothing is
/// written, the throttle counts it). The user's scope lets a supervisor see the
/// sign-ins of its region's supervisors.
async fn audit_login(
    ctx: &Context<'_>,
    state: &AppState,
    user: &entities::user::Model,
) -> DomainResult<()> {
    let role = RoleKind::parse(&user.role).ok_or_else(|| {
        DomainError::Internal(format!("user {} has unknown role", user.id).into())
    })?;
    let audit = crate::graphql::audit::of_user(ctx, user.id, role);
    let mut txn = audit.begin(&state.db).await?;
    txn.record(Change::on("User", Some(user.id), user_scope(user)))
        .await?;
    txn.commit().await
}

fn user_scope(user: &entities::user::Model) -> Scope {
    Scope {
        region: user.region_id,
        vendor: user.vendor_id,
        agency: user.agency_id,
    }
}

async fn change_password(
    ctx: &Context<'_>,
    current: &str,
    new: &str,
) -> DomainResult<LoginPayload> {
    use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
    let (state, actor) = crud::env(ctx)?;
    let user = entities::user::Entity::find_by_id(actor.user_id)
        .one(&state.db)
        .await?
        .ok_or(DomainError::Unauthenticated)?;
    // A guess at the current password is a sign-in attempt: it counts against
    // the same per-username and per-address limits as `login`, and once they
    // are reached even the right password gets the wrong password's answer,
    // after the same hashing work.
    let addr = ctx.data_opt::<crate::state::ClientAddr>().map(|a| a.0);
    let started = std::time::Instant::now();
    let allowed = state.throttle.begin(&user.username, addr, started);
    let current_ok =
        password::verify_off_workers(current, Some(&user.password_hash)).await? && allowed;
    if !current_ok {
        return Err(DomainError::bad(
            "currentPassword",
            "is not the current password",
        ));
    }
    state.throttle.succeeded(&user.username, addr);
    password::check_policy("newPassword", new)?;
    // Hashed before the write transaction: the write lock is not held while
    // argon2 works.
    let hash = password::hash_off_workers(new).await?;
    let now = Utc::now();
    let audit = crate::graphql::audit::of(ctx, actor);
    let mut txn = audit.begin(&state.db).await?;
    let before = user.clone();
    let mut active = user.into_active_model();
    active.password_hash = Set(hash);
    active.password_changed_at = Set(now);
    let user = active.update(&*txn).await?;
    // The hash is redacted in the entry: it shows that it changed, not what to.
    let change = Change::on("User", Some(user.id), user_scope(&user)).updated(&before, &user)?;
    txn.record(change).await?;
    txn.commit().await?;
    let (token, expires) = state.keys.issue(&user, now)?;
    Ok(LoginPayload {
        token,
        expires_at: local(expires),
        user: User::from(user),
    })
}
