//! The authenticated caller, read once per request from the token and the users
//! table, and what each role may reach.

use crate::error::{DomainError, DomainResult};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoleKind {
    Admin,
    Supervisor,
    Vendor,
    Agency,
}

impl RoleKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "ADMIN",
            Self::Supervisor => "SUPERVISOR",
            Self::Vendor => "VENDOR",
            Self::Agency => "AGENCY",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Admin, Self::Supervisor, Self::Vendor, Self::Agency]
            .into_iter()
            .find(|r| r.as_str() == s)
    }
}

/// A role with the one thing it is bound to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Admin,
    Supervisor { region_id: i64 },
    Vendor { vendor_id: i64 },
    Agency { agency_id: i64 },
}

#[derive(Clone, Debug)]
pub struct Actor {
    pub user_id: i64,
    pub role: Role,
}

impl Role {
    /// Builds the role from a users row; a row whose binding is missing is
    /// unusable (refused) rather than widened.
    pub fn from_user(u: &entities::user::Model) -> DomainResult<Self> {
        let missing =
            || DomainError::Internal(format!("user {} has no binding for its role", u.id).into());
        Ok(match RoleKind::parse(&u.role) {
            Some(RoleKind::Admin) => Self::Admin,
            Some(RoleKind::Supervisor) => Self::Supervisor {
                region_id: u.region_id.ok_or_else(missing)?,
            },
            Some(RoleKind::Vendor) => Self::Vendor {
                vendor_id: u.vendor_id.ok_or_else(missing)?,
            },
            Some(RoleKind::Agency) => Self::Agency {
                agency_id: u.agency_id.ok_or_else(missing)?,
            },
            None => {
                return Err(DomainError::Internal(
                    format!("user {} has unknown role", u.id).into(),
                ));
            }
        })
    }
}

impl Actor {
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
    pub fn require_admin(&self) -> DomainResult<()> {
        if self.is_admin() {
            Ok(())
        } else {
            Err(DomainError::forbidden("administrators only"))
        }
    }
}
