//! Changes to the platform (变更). F1 deducts each change not completed as planned
//! (a failed one; one rolled back according to its plan is not deducted); F2 each
//! non-emergency change not reported, or reported later than the lead time before
//! its execution.

use super::columns::{Flag, Instant, Nullable, Text};

pub use domain::facts::changes::Changes;

db_enum!(
    /// How a change ended. `ROLLED_BACK` means rolled back successfully according to
    /// its plan, which F1 does not deduct; `FAILED` is deducted.
    ChangeOutcome { Pending => "PENDING" / "待执行", Succeeded => "SUCCEEDED" / "成功", Failed => "FAILED" / "失败", RolledBack => "ROLLED_BACK" / "按计划回退" }
);

fact_kind! {
    Changes => Change, entity: change, page: ChangePage,
    label: "变更", title: title,
    inputs: CreateChangeInput, UpdateChangeInput,
    query: ChangeQuery { change, changes },
    mutation: ChangeMutation { create_change, update_change, delete_change },
    columns {
        #[label("标题")]
        title: Text<200>,
        /// When the change was reported to the supervision team; null: not reported.
        #[label("报备时间")]
        submitted_at: Nullable<Instant>,
        #[label("计划执行时间")]
        planned_at: Instant,
        #[label("实际执行时间")]
        executed_at: Nullable<Instant>,
        /// Emergency changes are exempt from F2.
        #[label("紧急变更")]
        #[create(graphql(default))]
        emergency: Flag,
        #[label("变更结果")]
        #[create(graphql(default_with = "ChangeOutcome::Pending"))]
        outcome: ChangeOutcome,
        #[label("已确认")]
        confirmed: Flag,
        #[label("服务商责任")]
        vendor_liable: Flag,
    }
    links {}
}
