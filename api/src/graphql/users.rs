//! User accounts, managed by administrators. Every user can read itself (`me`).

use async_graphql::{ID, InputObject, MaybeUndefined, SimpleObject};
use chrono::{DateTime, FixedOffset, Utc};

use super::nested::id;
use crate::auth::password;
use crate::error::{DomainError, DomainResult};
use crate::graphql::crud::{self, FromInput};
use domain::actor::Actor;
use domain::period::local;
use domain::validate;

pub use domain::reference::users::Users;

// The role a user acts in: the domain's `RoleKind` as GraphQL names it
// (no description, so the schema stays as it was).
#[derive(async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "domain::actor::RoleKind")]
pub enum RoleKind {
    Admin,
    Supervisor,
    Vendor,
    Agency,
}

impl RoleKind {
    fn as_str(self) -> &'static str {
        domain::actor::RoleKind::from(self).as_str()
    }
}

#[derive(SimpleObject)]
pub struct User {
    pub id: ID,
    pub username: String,
    pub role: RoleKind,
    /// The region of a SUPERVISOR.
    pub region_id: Option<ID>,
    /// The vendor of a VENDOR user.
    pub vendor_id: Option<ID>,
    /// The agency of an AGENCY user.
    pub agency_id: Option<ID>,
    pub disabled: bool,
    pub created_at: DateTime<FixedOffset>,
    /// Where the user's mail goes: a supervisor is mailed when a vendor of its
    /// region submits a rectification.
    pub email: Option<String>,
}

impl From<entities::user::Model> for User {
    fn from(m: entities::user::Model) -> Self {
        Self {
            id: id(m.id),
            username: m.username,
            role: domain::actor::RoleKind::parse(&m.role)
                .unwrap_or(domain::actor::RoleKind::Agency)
                .into(),
            region_id: m.region_id.map(id),
            vendor_id: m.vendor_id.map(id),
            agency_id: m.agency_id.map(id),
            disabled: m.disabled,
            created_at: local(m.created_at),
            email: m.email,
        }
    }
}

#[derive(InputObject)]
pub struct CreateUserInput {
    pub username: String,
    pub password: String,
    pub role: RoleKind,
    pub region_id: Option<ID>,
    pub vendor_id: Option<ID>,
    pub agency_id: Option<ID>,
    /// Where the user's mail goes.
    pub email: Option<String>,
}

#[derive(InputObject)]
pub struct UpdateUserInput {
    /// A new e-mail; null removes it.
    pub email: MaybeUndefined<String>,
    /// A new password (the user's tokens stop working).
    pub password: Option<String>,
    // `true`: the user can no longer sign in and its tokens stop working, for
    // good (enabling it again does not revive them).
    pub disabled: Option<bool>,
}

fn username(value: String) -> DomainResult<String> {
    let v = validate::text("input.username", value, 60)?;
    if !v
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
    {
        return Err(DomainError::bad(
            "input.username",
            "may contain only letters, digits and . _ - @",
        ));
    }
    Ok(v)
}

/// A role is bound to exactly the one thing it needs, and nothing else.
fn binding(input: &CreateUserInput) -> DomainResult<(Option<i64>, Option<i64>, Option<i64>)> {
    let region = crud::parse_opt_id("input.regionId", &input.region_id)?;
    let vendor = crud::parse_opt_id("input.vendorId", &input.vendor_id)?;
    let agency = crud::parse_opt_id("input.agencyId", &input.agency_id)?;
    let (needed, given) = match input.role {
        RoleKind::Admin => (None, [region, vendor, agency].iter().flatten().count()),
        RoleKind::Supervisor => (
            Some(("input.regionId", region)),
            [vendor, agency].iter().flatten().count(),
        ),
        RoleKind::Vendor => (
            Some(("input.vendorId", vendor)),
            [region, agency].iter().flatten().count(),
        ),
        RoleKind::Agency => (
            Some(("input.agencyId", agency)),
            [region, vendor].iter().flatten().count(),
        ),
    };
    if let Some((field, None)) = needed {
        return Err(DomainError::bad(
            field,
            format!("required for role {}", input.role.as_str()),
        ));
    }
    if given > 0 {
        return Err(DomainError::bad(
            "input.role",
            format!("role {} takes only its own binding", input.role.as_str()),
        ));
    }
    Ok((region, vendor, agency))
}

impl FromInput for Users {
    type Create = CreateUserInput;
    type Update = UpdateUserInput;

    fn build(
        input: CreateUserInput,
        _actor: &Actor,
        now: DateTime<Utc>,
    ) -> DomainResult<entities::user::Model> {
        let (region_id, vendor_id, agency_id) = binding(&input)?;
        password::check_policy("input.password", &input.password)?;
        Ok(entities::user::Model {
            id: 0,
            username: username(input.username)?,
            password_hash: password::hash(&input.password)?,
            role: input.role.as_str().to_owned(),
            region_id,
            vendor_id,
            agency_id,
            disabled: false,
            created_at: now,
            password_changed_at: now,
            tokens_valid_after: None,
            email: input
                .email
                .as_deref()
                .map(|e| validate::email("input.email", e))
                .transpose()?,
        })
    }

    fn patch(row: &mut entities::user::Model, input: UpdateUserInput) -> DomainResult<()> {
        match input.email {
            MaybeUndefined::Undefined => {}
            MaybeUndefined::Null => row.email = None,
            MaybeUndefined::Value(e) => row.email = Some(validate::email("input.email", &e)?),
        }
        if let Some(p) = input.password {
            password::check_policy("input.password", &p)?;
            row.password_hash = password::hash(&p)?;
            row.password_changed_at = Utc::now();
        }
        if let Some(d) = input.disabled {
            // A disable kills the user's tokens for good: enabling it again
            // later does not revive them (see `Claims::still_valid_for`).
            if d {
                row.tokens_valid_after = Some(Utc::now());
            }
            row.disabled = d;
        }
        Ok(())
    }
}

crud_api!(resource: Users, object: User, page: UserPage,
    create_input: CreateUserInput, update_input: UpdateUserInput,
    query: UserQuery { user, users },
    mutation: UserMutation { create_user, update_user, delete_user });
