//! Who may read and write which rows. Deny by default: a resource grants each
//! role exactly what its `Policy` lists, and every row is judged by its `Scope`
//! (the region, vendor and agency it belongs to).

use crate::actor::{Actor, Role};

/// The region, vendor and agency a row belongs to (None where the concept does not apply).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Scope {
    pub region: Option<i64>,
    pub vendor: Option<i64>,
    pub agency: Option<i64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SupervisorAccess {
    None,
    /// Reference data used across regions (vendors): read all, write none.
    ReadAll,
    /// Rows of the supervisor's own region: read and write.
    Region,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AgencyAccess {
    None,
    ReadOwn,
    ReadAndCreateOwn,
}

#[derive(Clone, Copy, Debug)]
pub struct Policy {
    /// Any signed-in user may read (reference data such as regions).
    pub everyone_reads: bool,
    pub supervisor: SupervisorAccess,
    /// A vendor reads the rows whose vendor is itself.
    pub vendor_reads_own: bool,
    pub agency: AgencyAccess,
}

impl Policy {
    /// Facts recorded by supervision teams, visible to the vendor they concern.
    pub const FACT: Policy = Policy {
        everyone_reads: false,
        supervisor: SupervisorAccess::Region,
        vendor_reads_own: true,
        agency: AgencyAccess::None,
    };
    /// Facts an agency files itself (complaints, survey responses).
    pub const AGENCY_FILED_FACT: Policy = Policy {
        agency: AgencyAccess::ReadAndCreateOwn,
        ..Self::FACT
    };
    pub const ADMIN_ONLY: Policy = Policy {
        everyone_reads: false,
        supervisor: SupervisorAccess::None,
        vendor_reads_own: false,
        agency: AgencyAccess::None,
    };
}

/// How a list must be narrowed for the actor, as SQL conditions on scope columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListScope {
    All,
    Region(i64),
    Vendor(i64),
    Agency(i64),
    /// The role may not list this resource at all.
    Denied,
}

pub fn can_read(actor: &Actor, policy: &Policy, scope: Scope) -> bool {
    if policy.everyone_reads {
        return true;
    }
    match actor.role {
        Role::Admin => true,
        Role::Supervisor { region_id } => match policy.supervisor {
            SupervisorAccess::None => false,
            SupervisorAccess::ReadAll => true,
            SupervisorAccess::Region => scope.region == Some(region_id),
        },
        Role::Vendor { vendor_id } => policy.vendor_reads_own && scope.vendor == Some(vendor_id),
        Role::Agency { agency_id } => {
            policy.agency != AgencyAccess::None && scope.agency == Some(agency_id)
        }
    }
}

pub fn can_create(actor: &Actor, policy: &Policy, scope: Scope) -> bool {
    match actor.role {
        Role::Agency { agency_id } => {
            policy.agency == AgencyAccess::ReadAndCreateOwn && scope.agency == Some(agency_id)
        }
        _ => can_modify(actor, policy, scope),
    }
}

/// Update and delete: administrators, and supervisors within their region.
pub fn can_modify(actor: &Actor, policy: &Policy, scope: Scope) -> bool {
    match actor.role {
        Role::Admin => true,
        Role::Supervisor { region_id } => {
            policy.supervisor == SupervisorAccess::Region && scope.region == Some(region_id)
        }
        Role::Vendor { .. } | Role::Agency { .. } => false,
    }
}

pub fn list_scope(actor: &Actor, policy: &Policy) -> ListScope {
    if policy.everyone_reads {
        return ListScope::All;
    }
    match actor.role {
        Role::Admin => ListScope::All,
        Role::Supervisor { region_id } => match policy.supervisor {
            SupervisorAccess::None => ListScope::Denied,
            SupervisorAccess::ReadAll => ListScope::All,
            SupervisorAccess::Region => ListScope::Region(region_id),
        },
        Role::Vendor { vendor_id } if policy.vendor_reads_own => ListScope::Vendor(vendor_id),
        Role::Agency { agency_id } if policy.agency != AgencyAccess::None => {
            ListScope::Agency(agency_id)
        }
        Role::Vendor { .. } | Role::Agency { .. } => ListScope::Denied,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role) -> Actor {
        Actor { user_id: 1, role }
    }
    const MINE: Scope = Scope {
        region: Some(1),
        vendor: Some(10),
        agency: Some(100),
    };
    const THEIRS: Scope = Scope {
        region: Some(2),
        vendor: Some(20),
        agency: Some(200),
    };

    #[test]
    fn a_vendor_reads_its_own_facts_only_and_writes_none() {
        let v = actor(Role::Vendor { vendor_id: 10 });
        assert!(can_read(&v, &Policy::FACT, MINE));
        assert!(!can_read(&v, &Policy::FACT, THEIRS));
        assert!(!can_create(&v, &Policy::FACT, MINE));
        assert!(!can_modify(&v, &Policy::FACT, MINE));
    }

    #[test]
    fn a_supervisor_reads_and_writes_its_region_only() {
        let s = actor(Role::Supervisor { region_id: 1 });
        assert!(can_read(&s, &Policy::FACT, MINE) && can_modify(&s, &Policy::FACT, MINE));
        assert!(!can_read(&s, &Policy::FACT, THEIRS) && !can_modify(&s, &Policy::FACT, THEIRS));
        assert_eq!(list_scope(&s, &Policy::ADMIN_ONLY), ListScope::Denied);
    }

    #[test]
    fn an_agency_files_its_own_complaints_but_not_other_facts() {
        let a = actor(Role::Agency { agency_id: 100 });
        assert!(can_create(&a, &Policy::AGENCY_FILED_FACT, MINE));
        assert!(!can_create(&a, &Policy::AGENCY_FILED_FACT, THEIRS));
        assert!(!can_modify(&a, &Policy::AGENCY_FILED_FACT, MINE));
        assert!(!can_read(&a, &Policy::FACT, MINE));
    }
}
