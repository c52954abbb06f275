//! `contract_lines`: a line item of a contract: a catalogue item (or, for one
//! outside the catalogue, only its description), unit price × quantity ×
//! months = line total, and the catalogue price in force at signing (the
//! ceiling) or, when there was none, a flag for review.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "contract_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub contract_id: i64,
    /// 序号, from 1 in the order entered.
    pub position: i32,
    pub item_id: Option<i64>,
    /// 服务项 as the contract words it.
    #[sea_orm(column_type = "Text")]
    pub description: String,
    /// 计价单位
    pub unit: String,
    #[sea_orm(column_type = "Decimal(Some((18, 2)))")]
    pub unit_price: Decimal,
    #[sea_orm(column_type = "Decimal(Some((18, 2)))")]
    pub quantity: Decimal,
    pub months: i32,
    #[sea_orm(column_type = "Decimal(Some((18, 2)))")]
    pub line_total: Decimal,
    /// The vendor's catalogue price of the item in force on the day of signing.
    #[sea_orm(column_type = "Decimal(Some((18, 2)))", nullable)]
    pub catalogue_price: Option<Decimal>,
    /// No catalogue price was in force: accepted, to be reviewed.
    pub needs_review: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
