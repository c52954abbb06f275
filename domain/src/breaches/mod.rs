//! The breach register (违约记录, spec §5): an event charged under its
//! contract's terms — proposed by detection from the facts (`jobs::breaches`),
//! or recorded by hand by a supervisor (`record`) — confirmed or dismissed by
//! a supervisor of the region with a reason (`decide`), and answered by the
//! vendor (`answer`).
//!
//! Who reads what (decision): administrators all, supervisors their region's,
//! both read and write. A vendor reads its own breaches once they are
//! CONFIRMED: a proposal is the supervision team's working material until
//! decided, and a dismissed one was never charged. An agency sees none: the
//! register is between the supervision team and the vendor; the agency's say
//! is its complaints, which the register already draws on.

pub mod answer;
pub mod decide;
pub mod record;

use engine::contract_terms::RowRef;
use sea_orm::{ColumnTrait, QueryFilter, Select};

use crate::access::{Policy, Scope};
use crate::actor::{Actor, Role};
use crate::error::{DomainError, DomainResult};
use crate::store::{Resource, TimeColumn};

pub use answer::answer;
pub use decide::{Decision, decide};
pub use entities::breach::{
    BreachKind, BreachSource, BreachStatus, IncidentLevel, Model as Breach, VendorAnswer,
};
pub use record::{NewBreach, RecordedCharge, record};

use entities::breach::Column;

/// `charged_table` of a breach recorded as a security rectification not done
/// in time (seed 002 §13.6): charged 5 % of the contract amount, not a row of
/// the annexes, so it matches no rows and names this pseudo-table instead.
pub const SECURITY_RECTIFICATION_LATE: &str = "security_rectification_late";

/// The longest description, evidence or reason (characters).
pub const MAX_TEXT_CHARS: usize = 4000;

/// The register as a store resource: scoped by region and vendor, filtered by
/// month, with a vendor narrowed to its confirmed breaches (`restrict`).
pub struct Breaches;

impl Resource for Breaches {
    type Entity = entities::breach::Entity;
    type Model = entities::breach::Model;
    type ActiveModel = entities::breach::ActiveModel;
    type Column = Column;
    const NAME: &'static str = "Breach";
    const POLICY: Policy = Policy::FACT;
    const ID: Column = Column::Id;
    const REGION: Option<Column> = Some(Column::RegionId);
    const VENDOR: Option<Column> = Some(Column::VendorId);
    const AGENCY: Option<Column> = None;
    const TIME: TimeColumn<Column> = TimeColumn::MonthText(Column::Period);
    const NEWEST_FIRST: bool = true;

    fn id(m: &Breach) -> i64 {
        m.id
    }

    fn scope(m: &Breach) -> Scope {
        Scope {
            region: Some(m.region_id),
            vendor: Some(m.vendor_id),
            agency: None,
        }
    }

    /// A vendor sees its breaches once confirmed (see the module's doc).
    fn restrict(actor: &Actor, query: Select<Self::Entity>) -> Select<Self::Entity> {
        match actor.role {
            Role::Vendor { .. } => query.filter(Column::Status.eq(BreachStatus::Confirmed)),
            _ => query,
        }
    }
}

/// Whether a vendor may see `breach` (the same rule as `restrict`, for a row
/// read inside a write transaction).
pub fn visible_to(actor: &Actor, breach: &Breach) -> bool {
    let in_reach = crate::access::can_read(actor, &Policy::FACT, Breaches::scope(breach));
    match actor.role {
        Role::Vendor { .. } => in_reach && breach.status == BreachStatus::Confirmed,
        _ => in_reach,
    }
}

/// The rows a breach matched, as stored (a JSON array of `RowRef`).
pub fn matched_rows(breach: &Breach) -> DomainResult<Vec<RowRef>> {
    serde_json::from_str(&breach.matched_rows).map_err(|e| {
        DomainError::Internal(format!("breach {}: matched_rows: {e}", breach.id).into())
    })
}

/// A text as given: trimmed, required, at most `MAX_TEXT_CHARS`; the refusal
/// in Chinese, naming `field`.
pub fn required_text(field: &str, what: &str, text: &str) -> DomainResult<String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(DomainError::bad(field, format!("请填写{what}（不能为空）")));
    }
    optional_text(field, what, text).map(|t| t.unwrap_or_default())
}

/// An optional text: blank is none; otherwise as `required_text`.
pub fn optional_text(field: &str, what: &str, text: &str) -> DomainResult<Option<String>> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if text.contains('\0') || text.chars().count() > MAX_TEXT_CHARS {
        return Err(DomainError::bad(
            field,
            format!("{what}不能超过 {MAX_TEXT_CHARS} 字，且不能含控制字符"),
        ));
    }
    Ok(Some(text.to_owned()))
}

/// The breach `id` read in a write transaction by the actor's reach: one it
/// may not read answers `NOT_FOUND`, exactly like a missing one.
pub async fn find_visible(
    conn: &impl sea_orm::ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> DomainResult<Breach> {
    use sea_orm::EntityTrait;
    entities::breach::Entity::find_by_id(id)
        .one(conn)
        .await?
        .filter(|b| visible_to(actor, b))
        .ok_or_else(|| DomainError::not_found(format!("Breach {id}")))
}
