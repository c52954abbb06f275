//! Signing in, and who am I.

use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, FixedOffset, Utc};
use sea_orm::EntityTrait;

use super::users::User;
use crate::auth::login::{Attempt, sign_in, user_scope};
use crate::auth::password;
use crate::error::{DomainError, DomainResult, GqlResult};
use crate::graphql::crud;
use crate::state::AppState;
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
    let attempt = Attempt {
        operation: ctx.field().name(),
        username,
        password: password_text,
        addr: ctx.data_opt::<crate::state::ClientAddr>().map(|a| a.0),
        request_id: ctx
            .data_opt::<crate::request_id::RequestId>()
            .map(|r| r.0.clone()),
    };
    let signed_in = sign_in(state, attempt).await?;
    Ok(LoginPayload {
        token: signed_in.token,
        expires_at: local(signed_in.expires),
        user: User::from(signed_in.user),
    })
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
