//! `contract_systems`: an information system a contract covers, with its share
//! of the contract amount (`None`: the amount split evenly between the
//! contract's systems). A system's monthly fee = its share / service months.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "contract_systems")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub contract_id: i64,
    pub system_id: i64,
    #[sea_orm(column_type = "Decimal(Some((18, 2)))")]
    pub share: Option<Decimal>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
