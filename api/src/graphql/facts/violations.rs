//! Violations of the cloud management rules (违反云管理制度). G1 deducts each
//! confirmed one.

use super::columns::{Flag, Instant, Text};

pub use domain::facts::violations::Violations;

fact_kind! {
    Violations => Violation, entity: violation, page: ViolationPage,
    inputs: CreateViolationInput, UpdateViolationInput,
    query: ViolationQuery { violation, violations },
    mutation: ViolationMutation { create_violation, update_violation, delete_violation },
    columns {
        description: Text<2000>,
        occurred_at: Instant,
        confirmed: Flag,
        vendor_liable: Flag,
    }
    links {}
}
