//! Signing in with a username and password, the one path for every edge: the
//! GraphQL `login` and the web console's sign-in form both call [`sign_in`],
//! so they share the throttle, the answer to a bad guess and the audit entry.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::auth::password;
use crate::error::{DomainError, DomainResult};
use crate::state::AppState;
use domain::access::Scope;
use domain::actor::RoleKind;
use domain::audit::{Audit, Change};

/// Who is signing in from where, for the throttle and the audit entry.
pub struct Attempt<'a> {
    /// The audited operation (`login`).
    pub operation: &'a str,
    pub username: &'a str,
    pub password: &'a str,
    pub addr: Option<IpAddr>,
    pub request_id: Option<String>,
}

/// A successful sign-in: the user and the token the API issues.
pub struct SignedIn {
    pub user: entities::user::Model,
    pub token: String,
    pub expires: DateTime<Utc>,
}

/// Checks the password and issues a token. A wrong password, an unknown user,
/// a disabled user and a locked username or address all get the same
/// `BadCredentials`, after the same hashing work. The attempt counts as a
/// failure from its start until it succeeds (see `LoginThrottle::begin`).
pub async fn sign_in(state: &AppState, attempt: Attempt<'_>) -> DomainResult<SignedIn> {
    let Attempt {
        operation,
        username,
        password: password_text,
        addr,
        request_id,
    } = attempt;
    let user = entities::user::Entity::find()
        .filter(entities::user::Column::Username.eq(username.trim()))
        .one(&state.db)
        .await?;
    let stored = user.as_ref().map(|u| u.password_hash.as_str());
    let allowed = state
        .throttle
        .begin(username, addr, std::time::Instant::now());
    let password_ok = password::verify_off_workers(password_text, stored).await? && allowed;
    let user = match user {
        Some(u) if password_ok && !u.disabled => {
            state.throttle.succeeded(username, addr);
            u
        }
        _ => return Err(DomainError::BadCredentials),
    };
    audit_sign_in(state, operation, addr, request_id, &user).await?;
    let (token, expires) = state.keys.issue(&user, Utc::now())?;
    Ok(SignedIn {
        user,
        token,
        expires,
    })
}

/// A successful sign-in is audited (a failed one is a refusal: nothing is
/// written, the throttle counts it). The user's scope lets a supervisor see the
/// sign-ins of its region's supervisors.
async fn audit_sign_in(
    state: &AppState,
    operation: &str,
    addr: Option<IpAddr>,
    request_id: Option<String>,
    user: &entities::user::Model,
) -> DomainResult<()> {
    let role = RoleKind::parse(&user.role).ok_or_else(|| {
        DomainError::Internal(format!("user {} has unknown role", user.id).into())
    })?;
    let audit = Audit::by(
        operation,
        user.id,
        role,
        addr.map(|a| a.to_string()),
        request_id,
    );
    let mut txn = audit.begin(&state.db).await?;
    txn.record(Change::on("User", Some(user.id), user_scope(user)))
        .await?;
    txn.commit().await
}

/// The scope a user's audit entries are filed under.
pub fn user_scope(user: &entities::user::Model) -> Scope {
    Scope {
        region: user.region_id,
        vendor: user.vendor_id,
        agency: user.agency_id,
    }
}
