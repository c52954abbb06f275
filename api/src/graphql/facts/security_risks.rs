//! Security risks found on the platform (安全风险: vulnerabilities, hidden faults,
//! inspection findings), each with a rectification deadline. J1 deducts each one
//! not rectified by its deadline.

use super::columns::{Day, Flag, Instant, Nullable, Text};

pub use domain::facts::security_risks::SecurityRisks;

db_enum!(
    /// What kind of security risk was found.
    SecurityRiskKind { Vulnerability => "VULNERABILITY", HiddenFault => "HIDDEN_FAULT", Inspection => "INSPECTION" }
);

fact_kind! {
    SecurityRisks => SecurityRisk, entity: security_risk, page: SecurityRiskPage,
    inputs: CreateSecurityRiskInput, UpdateSecurityRiskInput,
    query: SecurityRiskQuery { security_risk, security_risks },
    mutation: SecurityRiskMutation { create_security_risk, update_security_risk, delete_security_risk },
    columns {
        kind: SecurityRiskKind,
        description: Text<2000>,
        found_at: Instant,
        /// The last day (Asia/Shanghai) to rectify it.
        deadline: Day,
        rectified_at: Nullable<Instant>,
        confirmed: Flag,
        vendor_liable: Flag,
    }
    links {}
}
