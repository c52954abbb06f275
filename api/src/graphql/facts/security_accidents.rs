//! Security-liability accidents (安全责任事故), levels 1 (most severe) to 5. J2
//! deducts each confirmed one by its level.

use super::columns::{Between, Flag, Instant, Text};

pub use domain::facts::security_accidents::SecurityAccidents;

fact_kind! {
    SecurityAccidents => SecurityAccident, entity: security_accident, page: SecurityAccidentPage,
    inputs: CreateSecurityAccidentInput, UpdateSecurityAccidentInput,
    query: SecurityAccidentQuery { security_accident, security_accidents },
    mutation: SecurityAccidentMutation { create_security_accident, update_security_accident, delete_security_accident },
    columns {
        description: Text<2000>,
        occurred_at: Instant,
        /// 1 (most severe) to 5.
        level: Between<1, 5>,
        confirmed: Flag,
        vendor_liable: Flag,
    }
    links {}
}
