//! The breach register's access declaration lives with its rules in
//! `crate::breaches` (a vendor sees only its confirmed breaches); re-exported
//! here where the reference data is listed.

pub use crate::breaches::Breaches;
