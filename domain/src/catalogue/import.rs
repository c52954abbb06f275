//! Importing catalogue prices from a spreadsheet or the API (issue 15 item 1):
//! each row names an item (编号, category, sub-category, item, units), a
//! vendor by name, a unit price and its validity period. Previewed first
//! (nothing written); confirmed, every row is written in one audited
//! transaction or none is (a refused row refuses the file). A price already
//! there (same vendor, item, period and price) is skipped, so the same file
//! twice adds nothing; a period overlapping another price of the vendor's
//! item is refused naming 起始日期.

use std::str::FromStr;

use chrono::{NaiveDate, Utc};
use entities::{catalogue_item, catalogue_price};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::actor::Actor;
use crate::audit::{Audit, AuditedTxn};
use crate::error::{DomainError, DomainResult};

/// The columns of the import, in the template's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    Code,
    Category,
    SubCategory,
    Item,
    Unit,
    PriceUnit,
    Vendor,
    UnitPrice,
    ValidFrom,
    ValidTo,
}

impl Column {
    pub const ALL: [Column; 10] = [
        Column::Code,
        Column::Category,
        Column::SubCategory,
        Column::Item,
        Column::Unit,
        Column::PriceUnit,
        Column::Vendor,
        Column::UnitPrice,
        Column::ValidFrom,
        Column::ValidTo,
    ];

    /// The header of the column in a file.
    pub fn label(self) -> &'static str {
        match self {
            Column::Code => "编号",
            Column::Category => "类别",
            Column::SubCategory => "子类",
            Column::Item => "服务项",
            Column::Unit => "计价单位",
            Column::PriceUnit => "报价单位",
            Column::Vendor => "云服务商",
            Column::UnitPrice => "单价",
            Column::ValidFrom => "起始日期",
            Column::ValidTo => "截止日期",
        }
    }

    /// The field of the API's row.
    pub fn key(self) -> &'static str {
        match self {
            Column::Code => "code",
            Column::Category => "category",
            Column::SubCategory => "subCategory",
            Column::Item => "item",
            Column::Unit => "unit",
            Column::PriceUnit => "priceUnit",
            Column::Vendor => "vendor",
            Column::UnitPrice => "unitPrice",
            Column::ValidFrom => "validFrom",
            Column::ValidTo => "validTo",
        }
    }
}

/// A row as read: every cell as text (dates `YYYY-MM-DD`).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct PriceRow {
    pub code: String,
    pub category: String,
    pub sub_category: String,
    pub item: String,
    pub unit: String,
    /// Empty: 元/月.
    pub price_unit: String,
    pub vendor: String,
    pub unit_price: String,
    pub valid_from: String,
    pub valid_to: String,
}

/// What became, or would become, of a row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A new price (and a new item when `new_item`).
    Added { new_item: bool },
    /// The same price is there already: nothing to add.
    AlreadyThere,
    /// Refused: the column and the reason, in Chinese.
    Refused { column: Column, reason: String },
}

/// The most rows one import takes.
pub const MAX_ROWS: usize = 5_000;

/// Previews (`dry_run`) or imports the rows; administrators only. On
/// confirm, a refused row writes nothing at all.
pub async fn import(
    db: &DatabaseConnection,
    actor: &Actor,
    audit: &Audit,
    rows: Vec<PriceRow>,
    dry_run: bool,
) -> DomainResult<Vec<Outcome>> {
    actor.require_admin()?;
    if rows.len() > MAX_ROWS {
        return Err(DomainError::bad(
            "rows",
            format!("at most {MAX_ROWS} rows, got {}", rows.len()),
        ));
    }
    let _db = crate::db_share::permit().await;
    let mut txn = audit.begin(db).await?;
    let mut outcomes = Vec::with_capacity(rows.len());
    for row in rows {
        let outcome = match parse(&row) {
            Ok(parsed) => write(&mut txn, parsed).await?,
            Err(refused) => refused,
        };
        outcomes.push(outcome);
    }
    let refused = outcomes
        .iter()
        .any(|o| matches!(o, Outcome::Refused { .. }));
    // Dropping the transaction rolls it back: a preview, a file with a
    // refused row, or one adding nothing leaves nothing behind.
    let added = outcomes.iter().any(|o| matches!(o, Outcome::Added { .. }));
    if !dry_run && !refused && added {
        txn.commit().await?;
    }
    Ok(outcomes)
}

struct Parsed {
    item: catalogue_item::Model,
    vendor: String,
    unit_price: Decimal,
    valid_from: NaiveDate,
    valid_to: NaiveDate,
}

fn refused(column: Column, reason: impl Into<String>) -> Outcome {
    Outcome::Refused {
        column,
        reason: reason.into(),
    }
}

fn text(column: Column, value: &str, max: usize) -> Result<String, Outcome> {
    let v = value.trim();
    if v.is_empty() {
        return Err(refused(column, "不能为空"));
    }
    if v.chars().count() > max || v.contains('\0') {
        return Err(refused(column, format!("至多 {max} 个字符")));
    }
    Ok(v.to_owned())
}

fn date(column: Column, value: &str) -> Result<NaiveDate, Outcome> {
    let v = value.trim();
    NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(v, "%Y/%m/%d"))
        .map_err(|_| refused(column, format!("应为日期，如 2018-01-01，而不是“{v}”")))
}

fn parse(row: &PriceRow) -> Result<Parsed, Outcome> {
    let price_unit = match row.price_unit.trim() {
        "" => "元/月".to_owned(),
        other => text(Column::PriceUnit, other, 40)?,
    };
    let item = catalogue_item::Model {
        id: 0,
        code: text(Column::Code, &row.code, 40)?,
        category: text(Column::Category, &row.category, 100)?,
        sub_category: text(Column::SubCategory, &row.sub_category, 100)?,
        name: text(Column::Item, &row.item, 1000)?,
        unit: text(Column::Unit, &row.unit, 100)?,
        price_unit,
        created_at: Utc::now(),
    };
    let vendor = text(Column::Vendor, &row.vendor, 200)?;
    let raw = row.unit_price.trim().replace(['¥', ','], "");
    let unit_price = Decimal::from_str(&raw)
        .ok()
        .filter(|p| *p > Decimal::ZERO && p.normalize().scale() <= 2)
        .ok_or_else(|| {
            refused(
                Column::UnitPrice,
                format!(
                    "应为大于 0、至多两位小数的金额，而不是“{}”",
                    row.unit_price.trim()
                ),
            )
        })?;
    let valid_from = date(Column::ValidFrom, &row.valid_from)?;
    let valid_to = date(Column::ValidTo, &row.valid_to)?;
    if valid_to < valid_from {
        return Err(refused(
            Column::ValidTo,
            format!("不能早于起始日期 {valid_from}"),
        ));
    }
    Ok(Parsed {
        item,
        vendor,
        unit_price,
        valid_from,
        valid_to,
    })
}

async fn write(txn: &mut AuditedTxn<'_>, row: Parsed) -> DomainResult<Outcome> {
    let vendor = entities::vendor::Entity::find()
        .filter(entities::vendor::Column::Name.eq(row.vendor.as_str()))
        .one(&**txn)
        .await?;
    let Some(vendor) = vendor else {
        return Ok(refused(
            Column::Vendor,
            format!("没有名为“{}”的云服务商", row.vendor),
        ));
    };
    let found = catalogue_item::Entity::find()
        .filter(catalogue_item::Column::Code.eq(row.item.code.as_str()))
        .one(&**txn)
        .await?;
    let (item, new_item) = match found {
        Some(item) => {
            if let Some(column) = differs(&item, &row.item) {
                return Ok(refused(
                    column,
                    format!("与目录中编号 {} 的服务项不一致", item.code),
                ));
            }
            (item, false)
        }
        None => (
            super::builtin::insert_item(txn, row.item.clone()).await?,
            true,
        ),
    };
    use catalogue_price::Column as P;
    let overlapping = catalogue_price::Entity::find()
        .filter(P::VendorId.eq(vendor.id))
        .filter(P::ItemId.eq(item.id))
        .filter(P::ValidFrom.lte(row.valid_to))
        .filter(P::ValidTo.gte(row.valid_from))
        .one(&**txn)
        .await?;
    if let Some(other) = overlapping {
        let same = other.valid_from == row.valid_from
            && other.valid_to == row.valid_to
            && engine::two_dp(other.unit_price) == engine::two_dp(row.unit_price);
        if same {
            return Ok(Outcome::AlreadyThere);
        }
        return Ok(refused(
            Column::ValidFrom,
            format!(
                "与该服务商此项已有价格 {}（{} 至 {}）的有效期重叠",
                engine::two_dp(other.unit_price),
                other.valid_from,
                other.valid_to
            ),
        ));
    }
    add_price(txn, &row, vendor.id, item.id).await?;
    Ok(Outcome::Added { new_item })
}

/// The first column in which a row's item differs from the catalogue's.
fn differs(stored: &catalogue_item::Model, given: &catalogue_item::Model) -> Option<Column> {
    [
        (Column::Category, &stored.category, &given.category),
        (
            Column::SubCategory,
            &stored.sub_category,
            &given.sub_category,
        ),
        (Column::Item, &stored.name, &given.name),
        (Column::Unit, &stored.unit, &given.unit),
    ]
    .into_iter()
    .find(|(_, a, b)| a.trim() != b.trim())
    .map(|(c, _, _)| c)
}

async fn add_price(
    txn: &mut AuditedTxn<'_>,
    row: &Parsed,
    vendor_id: i64,
    item_id: i64,
) -> DomainResult<()> {
    let price = catalogue_price::Model {
        id: 0,
        item_id,
        vendor_id,
        unit_price: row.unit_price,
        valid_from: row.valid_from,
        valid_to: row.valid_to,
        created_at: Utc::now(),
    };
    super::builtin::insert_price(txn, price).await
}
