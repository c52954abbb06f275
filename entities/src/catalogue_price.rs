//! `catalogue_prices`: one vendor's unit price for a catalogue item over a
//! validity period (both days included); one vendor's periods of an item
//! never overlap.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "catalogue_prices")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub item_id: i64,
    pub vendor_id: i64,
    /// In yuan per the item's unit and price unit.
    #[sea_orm(column_type = "Decimal(Some((18, 2)))")]
    pub unit_price: Decimal,
    pub valid_from: Date,
    pub valid_to: Date,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
