//! Changes to the platform (变更). F1 deducts each change not completed as planned
//! (a failed one; one rolled back according to its plan is not deducted); F2 each
//! non-emergency change not reported, or reported later than the lead time before
//! its execution.

use super::columns::{Flag, Instant, Nullable, Text};

pub use domain::facts::changes::Changes;

db_enum!(
    /// How a change ended. `ROLLED_BACK` means rolled back successfully according to
    /// its plan, which F1 does not deduct; `FAILED` is deducted.
    ChangeOutcome { Pending => "PENDING", Succeeded => "SUCCEEDED", Failed => "FAILED", RolledBack => "ROLLED_BACK" }
);

fact_kind! {
    Changes => Change, entity: change, page: ChangePage,
    inputs: CreateChangeInput, UpdateChangeInput,
    query: ChangeQuery { change, changes },
    mutation: ChangeMutation { create_change, update_change, delete_change },
    columns {
        title: Text<200>,
        /// When the change was reported to the supervision team; null: not reported.
        submitted_at: Nullable<Instant>,
        planned_at: Instant,
        executed_at: Nullable<Instant>,
        /// Emergency changes are exempt from F2.
        #[create(graphql(default))]
        emergency: Flag,
        #[create(graphql(default_with = "ChangeOutcome::Pending"))]
        outcome: ChangeOutcome,
        confirmed: Flag,
        vendor_liable: Flag,
    }
    links {}
}
