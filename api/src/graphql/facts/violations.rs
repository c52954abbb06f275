//! Violations of the cloud management rules (违反云管理制度). G1 deducts each
//! confirmed one.

use super::columns::{Flag, Instant, Text};

pub use domain::facts::violations::Violations;

fact_kind! {
    Violations => Violation, entity: violation, page: ViolationPage,
    label: "违反云管理制度", title: description,
    inputs: CreateViolationInput, UpdateViolationInput,
    query: ViolationQuery { violation, violations },
    mutation: ViolationMutation { create_violation, update_violation, delete_violation },
    columns {
        #[label("违规说明")]
        description: Text<2000>,
        #[label("发生时间")]
        occurred_at: Instant,
        #[label("已确认")]
        confirmed: Flag,
        #[label("服务商责任")]
        vendor_liable: Flag,
    }
    links {}
}
