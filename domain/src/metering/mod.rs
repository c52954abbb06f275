//! The metered settlement of a region's service year (issue 16 item 4; spec §6;
//! seed 004 §6–8): the year's usage records priced at each vendor's catalogue
//! unit price in force each month (`engine::metering`), the municipal
//! purchaser's caps applied where the region has them (`engine::caps`), and the
//! closing of the year, which fixes each vendor's metered amount: the
//! settlement amount of its annual penalty tier and of its settlement statement.
//!
//! Decision (which contracts are metered): a vendor's settlement in a region's
//! service year is metered when it has usage records there in that year (or its
//! amount has been fixed by a close). Its annual penalty then waits for the
//! close (待计量结算) instead of using the contract's typed-in settlement amount.

pub mod bases;
pub mod bill;
pub mod caps;
pub mod close;

use engine::{Month, ServiceYear};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::actor::{Actor, Role};
use crate::error::{DomainError, DomainResult};

pub use bases::settlement_bases;
pub use bill::{Bill, Line, Total, VendorTotal, bill};
pub use close::close;

/// The warning an annual result carries while its amount waits for the close.
pub const PENDING_WARNING: &str =
    "待计量结算：结算金额为本服务年度的计量结算金额，计量关闭后确定扣减金额";

/// Whether an annual result's penalty amount waits for the year's metering.
pub fn is_pending(year: &engine::AnnualResult) -> bool {
    year.penalty.amount.is_none() && year.warnings.iter().any(|w| w == PENDING_WARNING)
}

/// The service year of `region` starting in `start_year`, from the region's
/// first month (Songjiang: July).
pub fn service_year(
    region: &entities::region::Model,
    start_year: i32,
) -> DomainResult<ServiceYear> {
    crate::validate::in_range("serviceYear", start_year, 2000, 2100)?;
    let first = u32::try_from(region.service_year_start_month).unwrap_or(0);
    ServiceYear::new(first, start_year).map_err(|e| DomainError::bad("serviceYear", e.to_string()))
}

/// The months of a service year as `usage_records.month` stores them.
pub fn month_keys(year: ServiceYear) -> Vec<String> {
    year.months().map(|m| m.to_string()).collect()
}

/// `2025-07` back into a month; a stored month that does not parse is an
/// internal error (the recording checks it).
pub fn parse_month(text: &str) -> DomainResult<Month> {
    let bad = || DomainError::Internal(format!("usage month {text:?} does not parse").into());
    let (y, m) = text.split_once('-').ok_or_else(bad)?;
    let year = y.parse().map_err(|_| bad())?;
    let month = m.parse().map_err(|_| bad())?;
    Month::new(year, month).map_err(|_| bad())
}

/// Who may read a region's metered bill: the region's supervisors and the
/// administrators all of it; a vendor its own lines; an agency its own
/// systems'. Anyone else (another region's supervisor) is refused as missing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    All,
    Vendor(i64),
    Agency(i64),
}

pub fn reach(actor: &Actor, region_id: i64) -> DomainResult<Reach> {
    match actor.role {
        Role::Admin => Ok(Reach::All),
        Role::Supervisor { region_id: own } if own == region_id => Ok(Reach::All),
        Role::Supervisor { .. } => Err(DomainError::not_found("MeteredBill")),
        Role::Vendor { vendor_id } => Ok(Reach::Vendor(vendor_id)),
        Role::Agency { agency_id } => Ok(Reach::Agency(agency_id)),
    }
}

/// The close of a region's service year, if it has been closed.
pub async fn closed(
    conn: &impl ConnectionTrait,
    region_id: i64,
    start_year: i32,
) -> DomainResult<Option<entities::metering_close::Model>> {
    use entities::metering_close::{Column as C, Entity};
    Ok(Entity::find()
        .filter(C::RegionId.eq(region_id))
        .filter(C::ServiceYear.eq(start_year))
        .one(conn)
        .await?)
}

/// A vendor's metered amount of a closed service year in a region (caps
/// applied): the amount due of its settlement statement; `None` while the
/// year is open or when the vendor's contract is not metered.
pub async fn metered_amount(
    conn: &impl ConnectionTrait,
    region_id: i64,
    vendor_id: i64,
    service_year: i32,
) -> DomainResult<Option<Decimal>> {
    use entities::metered_amount::{Column as C, Entity};
    Ok(Entity::find()
        .filter(C::RegionId.eq(region_id))
        .filter(C::VendorId.eq(vendor_id))
        .filter(C::ServiceYear.eq(service_year))
        .one(conn)
        .await?
        .map(|row| row.amount))
}

/// The settlement amount the annual penalty tier applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SettlementBase {
    /// The vendor's contract is not metered: its settlement amount applies.
    Contract,
    /// Metered, the year still open: the tier shows, the amount is pending.
    Pending,
    /// Metered and closed: the fixed metered amount.
    Metered(Decimal),
}

impl SettlementBase {
    /// The amount for the engine: the contract's for an unmetered contract.
    pub fn amount(self, contract_amount: Option<Decimal>) -> Option<Decimal> {
        match self {
            Self::Contract => contract_amount,
            Self::Pending => None,
            Self::Metered(amount) => Some(amount),
        }
    }
}

/// Whether the vendor's year in the region is metered, and its amount if closed.
pub async fn settlement_base(
    conn: &impl ConnectionTrait,
    region: &entities::region::Model,
    vendor_id: i64,
    start_year: i32,
) -> DomainResult<SettlementBase> {
    let mut bases = settlement_bases(conn, region, &[vendor_id], start_year).await?;
    Ok(bases.remove(&vendor_id).unwrap_or(SettlementBase::Contract))
}
