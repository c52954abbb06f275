//! Security-liability accidents (安全责任事故), levels 1 (most severe) to 5. J2
//! deducts each confirmed one by its level.

use super::columns::{Between, Flag, Instant, Text};

pub use domain::facts::security_accidents::SecurityAccidents;

fact_kind! {
    SecurityAccidents => SecurityAccident, entity: security_accident, page: SecurityAccidentPage,
    label: "安全责任事故", title: description,
    inputs: CreateSecurityAccidentInput, UpdateSecurityAccidentInput,
    query: SecurityAccidentQuery { security_accident, security_accidents },
    mutation: SecurityAccidentMutation { create_security_accident, update_security_accident, delete_security_accident },
    columns {
        #[label("事故说明")]
        description: Text<2000>,
        #[label("发生时间")]
        occurred_at: Instant,
        /// 1 (most severe) to 5.
        #[label("事故等级（1 最严重）")]
        level: Between<1, 5>,
        #[label("已确认")]
        confirmed: Flag,
        #[label("服务商责任")]
        vendor_liable: Flag,
    }
    links {}
}
