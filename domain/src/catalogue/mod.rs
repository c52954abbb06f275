//! The price catalogue (服务目录): service items and each vendor's unit price
//! for an item over a validity period. A catalogue price is the ceiling of a
//! contract's unit price (seed 001 art. 31(3): 服务目录价格是最高限价);
//! prices are revised every 1–2 years (art. 31(4)), so an item has one price
//! per vendor and period, the periods of one vendor's item never overlapping.
//!
//! Items are public reference data (every signed-in user reads them); prices
//! are read by supervisors and by each vendor for itself only; only an
//! administrator writes either.

pub mod builtin;
pub mod import;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    QueryFilter, QueryOrder,
};

use crate::access::{self, AgencyAccess, Policy, Scope, SupervisorAccess};
use crate::actor::Actor;
use crate::error::{DomainError, DomainResult};
use crate::reference::vendors::Vendors;
use crate::store::{self, Resource, TimeColumn, Writable};
use entities::catalogue_price::{Column as P, Entity as Prices, Model as Price};

resource!(CatalogueItems => catalogue_item, name: "CatalogueItem",
    policy: Policy { everyone_reads: true, supervisor: SupervisorAccess::ReadAll, vendor_reads_own: false, agency: AgencyAccess::None },
    region: None, vendor: None, agency: None, time: TimeColumn::None,
    scope: |_m| Scope::default());

impl Writable for CatalogueItems {
    async fn check<'a>(
        _txn: &'a DatabaseTransaction,
        _row: &'a mut entities::catalogue_item::Model,
    ) -> DomainResult<()> {
        // The fields are checked where they are parsed; the code's uniqueness
        // by its index.
        Ok(())
    }
}

resource!(CataloguePrices => catalogue_price, name: "CataloguePrice",
    policy: Policy { everyone_reads: false, supervisor: SupervisorAccess::ReadAll, vendor_reads_own: true, agency: AgencyAccess::None },
    region: None, vendor: Some(entities::catalogue_price::Column::VendorId), agency: None,
    time: TimeColumn::None,
    scope: |m| Scope { vendor: Some(m.vendor_id), ..Scope::default() });

impl Writable for CataloguePrices {
    async fn check<'a>(txn: &'a DatabaseTransaction, row: &'a mut Price) -> DomainResult<()> {
        store::require::<CatalogueItems>(txn, "input.itemId", row.item_id).await?;
        store::require::<Vendors>(txn, "input.vendorId", row.vendor_id).await?;
        check_price(row)?;
        check_no_overlap(txn, row).await
    }
}

/// A catalogue price is a positive amount over a period that ends on or
/// after the day it starts.
pub fn check_price(row: &Price) -> DomainResult<()> {
    if row.unit_price <= Decimal::ZERO {
        return Err(DomainError::bad(
            "input.unitPrice",
            format!("must be greater than 0, got {}", row.unit_price),
        ));
    }
    if row.valid_to < row.valid_from {
        return Err(DomainError::bad(
            "input.validTo",
            format!(
                "must not be before validFrom ({}), got {}",
                row.valid_from, row.valid_to
            ),
        ));
    }
    Ok(())
}

/// One vendor's item has one price on any day: the row's period may not
/// share a day with another of its periods (both ends are days of the period).
async fn check_no_overlap(txn: &DatabaseTransaction, row: &Price) -> DomainResult<()> {
    let other = Prices::find()
        .filter(P::VendorId.eq(row.vendor_id))
        .filter(P::ItemId.eq(row.item_id))
        .filter(P::Id.ne(row.id))
        .filter(P::ValidFrom.lte(row.valid_to))
        .filter(P::ValidTo.gte(row.valid_from))
        .order_by_asc(P::ValidFrom)
        .one(txn)
        .await?;
    match other {
        Some(other) => Err(DomainError::bad(
            "input.validFrom",
            format!(
                "the period {} to {} overlaps this vendor's price {} for the item valid {} to {}",
                row.valid_from,
                row.valid_to,
                engine::two_dp(other.unit_price),
                other.valid_from,
                other.valid_to
            ),
        )),
        None => Ok(()),
    }
}

/// The vendor's price of the item in force on `day`, if any (no access
/// check: the caller decides who may learn it).
pub async fn in_force(
    conn: &impl ConnectionTrait,
    vendor_id: i64,
    item_id: i64,
    day: NaiveDate,
) -> DomainResult<Option<Price>> {
    Ok(Prices::find()
        .filter(P::VendorId.eq(vendor_id))
        .filter(P::ItemId.eq(item_id))
        .filter(P::ValidFrom.lte(day))
        .filter(P::ValidTo.gte(day))
        .one(conn)
        .await?)
}

/// `in_force` for a caller: a supervisor or administrator asks about any
/// vendor, a vendor about itself only; any other vendor answers as missing.
pub async fn in_force_for(
    db: &DatabaseConnection,
    actor: &Actor,
    vendor_id: i64,
    item_id: i64,
    day: NaiveDate,
) -> DomainResult<Option<Price>> {
    let scope = Scope {
        vendor: Some(vendor_id),
        ..Scope::default()
    };
    if !access::can_read(actor, &CataloguePrices::POLICY, scope) {
        return Err(DomainError::not_found("Vendor"));
    }
    store::get::<CatalogueItems>(db, actor, item_id).await?;
    let _db = crate::db_share::permit().await;
    in_force(db, vendor_id, item_id, day).await
}

/// The prices of several items the actor may read (a vendor: its own), in
/// one query, by item, each item's ordered by vendor then period.
pub async fn prices_of(
    db: &DatabaseConnection,
    actor: &Actor,
    item_ids: Vec<i64>,
) -> DomainResult<std::collections::HashMap<i64, Vec<Price>>> {
    // Scoped as a list is: a vendor's own prices, none for an agency (refused).
    let query = store::scoped::<CataloguePrices>(actor)?;
    let _db = crate::db_share::permit().await;
    let rows = query
        .filter(P::ItemId.is_in(item_ids))
        .order_by_asc(P::VendorId)
        .order_by_asc(P::ValidFrom)
        .all(db)
        .await?;
    let mut out: std::collections::HashMap<i64, Vec<Price>> = Default::default();
    for row in rows {
        out.entry(row.item_id).or_default().push(row);
    }
    Ok(out)
}
