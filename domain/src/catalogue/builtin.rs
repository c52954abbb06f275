//! The built-in catalogue: seed 001's 附件1-1, the 2018 municipal 集采 result
//! (basic services 1001–1024 and video cloud 2001–2003), valid 2018-01-01 to
//! 2019-12-31 (prices are revised every 1–2 years, art. 31(4): these are not
//! today's prices).
//!
//! The table prices each item for eight bidders named in its columns (首信,
//! 浪潮, 联通, …), not for vendors of this database. An administrator attaches
//! a bidder's column to a vendor (`attach`): the bidder is named, or found as
//! the one bidder whose name the vendor's contains (太极 in 太极计算机股份有限公司).
//! A price of 0 in the table is not a price (a catalogue price is > 0; the
//! bidder offers the item free or bundled): the vendor has no price for that
//! item, and a contract line for it is flagged for review. Attaching again
//! adds nothing: items are found by their 编号, and a price whose period
//! already has one of the vendor's prices is skipped.

use chrono::{NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
};

use super::{CatalogueItems, CataloguePrices};
use crate::access::Scope;
use crate::actor::Actor;
use crate::audit::{Audit, AuditedTxn, Change};
use crate::error::{DomainError, DomainResult};
use crate::reference::vendors::Vendors;
use crate::store::{self, Resource};
use entities::{catalogue_item, catalogue_price};

/// The bidders in the order of the table's price columns.
pub const BIDDERS: [&str; 8] = [
    "首信",
    "浪潮",
    "联通",
    "太极",
    "电信",
    "移动",
    "金山",
    "优刻得",
];

/// Tab-separated: 编号, 服务类别, 服务子类, 服务项, 计价单位, 报价单位, then the
/// eight bidders' prices. Merged cells of the seed are filled in on every row.
const TABLE: &str = include_str!("catalogue_2018.tsv");

const fn day(year: i32, month: u32, day: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(d) => d,
        None => panic!("not a day"),
    }
}

/// The first and last day the built-in prices are in force.
pub const VALID_FROM: NaiveDate = day(2018, 1, 1);
pub const VALID_TO: NaiveDate = day(2019, 12, 31);

/// One row of 附件1-1.
pub struct Row {
    pub code: &'static str,
    pub category: &'static str,
    pub sub_category: &'static str,
    pub name: &'static str,
    pub unit: &'static str,
    pub price_unit: &'static str,
    pub prices: [Decimal; 8],
}

/// The table's rows; a malformed row is a defect of the built-in table
/// (its unit test reads every row).
pub fn rows() -> DomainResult<Vec<Row>> {
    TABLE.lines().map(row).collect()
}

fn row(line: &'static str) -> DomainResult<Row> {
    let bad = || DomainError::Internal(format!("built-in catalogue row: {line}").into());
    let cells: Vec<&'static str> = line.split('\t').collect();
    let &[
        code,
        category,
        sub_category,
        name,
        unit,
        price_unit,
        ref prices @ ..,
    ] = cells.as_slice()
    else {
        return Err(bad());
    };
    let prices: Vec<Decimal> = prices
        .iter()
        .map(|p| Decimal::from_str_exact(p).map_err(|_| bad()))
        .collect::<DomainResult<_>>()?;
    Ok(Row {
        code,
        category,
        sub_category,
        name,
        unit,
        price_unit,
        prices: prices.try_into().map_err(|_| bad())?,
    })
}

/// The bidder of the table a vendor is: the one named, or else the one whose
/// name the vendor's name contains.
pub fn bidder_for(vendor_name: &str, named: Option<&str>) -> DomainResult<usize> {
    if let Some(named) = named {
        return BIDDERS
            .iter()
            .position(|b| *b == named.trim())
            .ok_or_else(|| {
                DomainError::bad(
                    "bidder",
                    format!("must be one of {}, got {named}", BIDDERS.join("、")),
                )
            });
    }
    let found: Vec<usize> = (0..BIDDERS.len())
        .filter(|&i| vendor_name.contains(BIDDERS[i]))
        .collect();
    match found.as_slice() {
        [one] => Ok(*one),
        _ => Err(DomainError::bad(
            "bidder",
            format!(
                "the vendor's name \"{vendor_name}\" names no single bidder of the 2018 catalogue; name one of {}",
                BIDDERS.join("、")
            ),
        )),
    }
}

/// What `attach` added.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Attached {
    pub bidder: &'static str,
    pub items_added: u32,
    pub prices_added: u32,
}

/// Attaches the bidder's 2018 prices to the vendor (administrators only), in
/// one audited transaction.
pub async fn attach(
    db: &DatabaseConnection,
    actor: &Actor,
    audit: &Audit,
    vendor_id: i64,
    bidder: Option<&str>,
) -> DomainResult<Attached> {
    actor.require_admin()?;
    let rows = rows()?;
    let _db = crate::db_share::permit().await;
    let mut txn = audit.begin(db).await?;
    let vendor = store::require::<Vendors>(&txn, "vendorId", vendor_id).await?;
    let column = bidder_for(&vendor.name, bidder)?;
    let mut attached = Attached {
        bidder: BIDDERS[column],
        ..Attached::default()
    };
    for row in &rows {
        let item = match find_item(&txn, row.code).await? {
            Some(item) => item,
            None => {
                attached.items_added += 1;
                add_item(&mut txn, row).await?
            }
        };
        let price = row.prices[column];
        if price > Decimal::ZERO && !has_price_in_period(&txn, vendor_id, item.id).await? {
            attached.prices_added += 1;
            add_price(&mut txn, vendor_id, item.id, price).await?;
        }
    }
    // The attachment itself, on the vendor: also when it added nothing.
    let summary = serde_json::json!({
        "builtInCatalogue": attached.bidder,
        "itemsAdded": attached.items_added,
        "pricesAdded": attached.prices_added,
    });
    let scope = Scope {
        vendor: Some(vendor_id),
        ..Scope::default()
    };
    txn.record(Change::on(Vendors::NAME, Some(vendor_id), scope).with_after(summary))
        .await?;
    txn.commit().await?;
    Ok(attached)
}

async fn find_item(
    txn: &AuditedTxn<'_>,
    code: &str,
) -> DomainResult<Option<catalogue_item::Model>> {
    Ok(catalogue_item::Entity::find()
        .filter(catalogue_item::Column::Code.eq(code))
        .one(&**txn)
        .await?)
}

async fn add_item(txn: &mut AuditedTxn<'_>, row: &Row) -> DomainResult<catalogue_item::Model> {
    let item = catalogue_item::Model {
        id: 0,
        code: row.code.to_owned(),
        category: row.category.to_owned(),
        sub_category: row.sub_category.to_owned(),
        name: row.name.to_owned(),
        unit: row.unit.to_owned(),
        price_unit: row.price_unit.to_owned(),
        created_at: Utc::now(),
    };
    insert_item(txn, item).await
}

/// Adds an item to the catalogue, audited (the built-in table and the import).
pub(super) async fn insert_item(
    txn: &mut AuditedTxn<'_>,
    item: catalogue_item::Model,
) -> DomainResult<catalogue_item::Model> {
    let mut active = item.into_active_model().reset_all();
    active.not_set(catalogue_item::Column::Id);
    let saved = active.insert(&**txn).await?;
    let change =
        Change::on(CatalogueItems::NAME, Some(saved.id), Scope::default()).created(&saved)?;
    txn.record(change).await?;
    Ok(saved)
}

async fn has_price_in_period(
    txn: &AuditedTxn<'_>,
    vendor_id: i64,
    item_id: i64,
) -> DomainResult<bool> {
    use catalogue_price::Column as P;
    Ok(catalogue_price::Entity::find()
        .filter(P::VendorId.eq(vendor_id))
        .filter(P::ItemId.eq(item_id))
        .filter(P::ValidFrom.lte(VALID_TO))
        .filter(P::ValidTo.gte(VALID_FROM))
        .one(&**txn)
        .await?
        .is_some())
}

async fn add_price(
    txn: &mut AuditedTxn<'_>,
    vendor_id: i64,
    item_id: i64,
    unit_price: Decimal,
) -> DomainResult<()> {
    let price = catalogue_price::Model {
        id: 0,
        item_id,
        vendor_id,
        unit_price,
        valid_from: VALID_FROM,
        valid_to: VALID_TO,
        created_at: Utc::now(),
    };
    insert_price(txn, price).await
}

/// Adds a vendor's price, audited (the built-in table and the import).
pub(super) async fn insert_price(
    txn: &mut AuditedTxn<'_>,
    price: catalogue_price::Model,
) -> DomainResult<()> {
    let mut active = price.into_active_model().reset_all();
    active.not_set(catalogue_price::Column::Id);
    let saved = active.insert(&**txn).await?;
    let change = Change::on(
        CataloguePrices::NAME,
        Some(saved.id),
        CataloguePrices::scope(&saved),
    )
    .created(&saved)?;
    txn.record(change).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn the_2018_table_has_every_row_of_annex_1_1() {
        let rows = rows().unwrap();
        // 1001–1024 basic services, 2001–2003 video cloud: 24 + 3 = 27 rows.
        assert_eq!(rows.len(), 27);
        assert_eq!(rows[0].code, "1001");
        assert_eq!(rows[26].code, "2003");
        // Seed 002's vendor 太极 (column 4): memory 35 元/月 per GB (1002),
        // Internet bandwidth 60 元/月 per Mb (1017).
        let taiji = bidder_for("太极计算机股份有限公司", None).unwrap();
        assert_eq!(BIDDERS[taiji], "太极");
        assert_eq!(rows[1].prices[taiji], Decimal::new(35, 0));
        assert_eq!(rows[16].code, "1017");
        assert_eq!(rows[16].prices[taiji], Decimal::new(60, 0));
    }

    #[test]
    fn a_vendor_naming_no_single_bidder_must_name_one() {
        assert!(bidder_for("云1", None).is_err());
        assert_eq!(bidder_for("云1", Some("金山")).unwrap(), 6);
        assert!(bidder_for("云1", Some("阿里")).is_err());
    }
}
