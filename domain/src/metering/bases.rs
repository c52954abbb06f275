//! The settlement base of each vendor of a region's service year at once (the
//! annual run's: three statements whatever the number of vendors), by the
//! rule of [`super::settlement_base`]: a fixed metered amount; else the
//! contract's when the vendor has no usage in the year; else pending until the
//! close (or 0.00 if closed without an amount of the vendor).

use std::collections::{HashMap, HashSet};

use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use super::{SettlementBase, closed, month_keys, service_year};
use crate::error::DomainResult;

/// Each of `vendors`' settlement base in the region's service year starting
/// in `start_year`.
pub async fn settlement_bases(
    conn: &impl ConnectionTrait,
    region: &entities::region::Model,
    vendors: &[i64],
    start_year: i32,
) -> DomainResult<HashMap<i64, SettlementBase>> {
    let year = service_year(region, start_year)?;
    if vendors.is_empty() {
        return Ok(HashMap::new());
    }
    let metered: HashMap<i64, Decimal> = {
        use entities::metered_amount::{Column as M, Entity};
        Entity::find()
            .select_only()
            .columns([M::VendorId, M::Amount])
            .filter(M::RegionId.eq(region.id))
            .filter(M::ServiceYear.eq(start_year))
            .filter(M::VendorId.is_in(vendors.iter().copied()))
            .into_tuple()
            .all(conn)
            .await?
            .into_iter()
            .collect()
    };
    let used: HashSet<i64> = {
        use entities::usage_record::{Column as U, Entity};
        Entity::find()
            .select_only()
            .column(U::VendorId)
            .distinct()
            .filter(U::RegionId.eq(region.id))
            .filter(U::VendorId.is_in(vendors.iter().copied()))
            .filter(U::Month.is_in(month_keys(year)))
            .into_tuple()
            .all(conn)
            .await?
            .into_iter()
            .collect()
    };
    // Whether the year is closed matters only for a metered vendor without
    // an amount: asked only then.
    let is_closed = if used.iter().any(|v| !metered.contains_key(v)) {
        closed(conn, region.id, start_year).await?.is_some()
    } else {
        false
    };
    Ok(vendors
        .iter()
        .map(|&vendor| {
            let base = match (metered.get(&vendor), used.contains(&vendor)) {
                (Some(&amount), _) => SettlementBase::Metered(amount),
                (None, false) => SettlementBase::Contract,
                // Closed without an amount of this vendor cannot happen (the
                // close writes one per vendor with usage); 0.00 rather than a guess.
                (None, true) if is_closed => SettlementBase::Metered(Decimal::ZERO),
                (None, true) => SettlementBase::Pending,
            };
            (vendor, base)
        })
        .collect())
}
