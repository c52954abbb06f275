//! Security risks found on the platform (安全风险: vulnerabilities, hidden faults,
//! inspection findings), each with a rectification deadline. J1 deducts each one
//! not rectified by its deadline.

use super::columns::{Day, Flag, Instant, Nullable, Text};

pub use domain::facts::security_risks::SecurityRisks;

db_enum!(
    /// What kind of security risk was found.
    SecurityRiskKind { Vulnerability => "VULNERABILITY" / "漏洞", HiddenFault => "HIDDEN_FAULT" / "隐患", Inspection => "INSPECTION" / "检查发现" }
);

fact_kind! {
    SecurityRisks => SecurityRisk, entity: security_risk, page: SecurityRiskPage,
    label: "安全风险", title: description,
    inputs: CreateSecurityRiskInput, UpdateSecurityRiskInput,
    query: SecurityRiskQuery { security_risk, security_risks },
    mutation: SecurityRiskMutation { create_security_risk, update_security_risk, delete_security_risk },
    columns {
        #[label("风险类型")]
        kind: SecurityRiskKind,
        #[label("风险说明")]
        description: Text<2000>,
        #[label("发现时间")]
        found_at: Instant,
        /// The last day (Asia/Shanghai) to rectify it.
        #[label("整改期限")]
        deadline: Day,
        #[label("整改完成时间")]
        rectified_at: Nullable<Instant>,
        #[label("已确认")]
        confirmed: Flag,
        #[label("服务商责任")]
        vendor_liable: Flag,
    }
    links {}
}
