//! `contract_instalments`: a payment instalment of a contract: its percentage
//! of the amount, the condition that makes it due, and its amount.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "contract_instalments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub contract_id: i64,
    /// From 1 in the order paid; the last is the final payment (尾款).
    pub position: i32,
    #[sea_orm(column_type = "Decimal(Some((5, 2)))")]
    pub percent: Decimal,
    #[sea_orm(column_type = "Text")]
    pub condition: String,
    #[sea_orm(column_type = "Decimal(Some((18, 2)))")]
    pub amount: Decimal,
    /// The day it was paid; `None`: not yet.
    pub paid_on: Option<Date>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
