//! `metered_amounts`: a vendor's metered amount of a closed service year in a
//! region (usage × catalogue unit price, caps applied): the settlement amount
//! of its annual penalty tier and of its settlement statement.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "metered_amounts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub close_id: i64,
    pub region_id: i64,
    pub vendor_id: i64,
    pub service_year: i32,
    #[sea_orm(column_type = "Decimal(Some((18, 2)))")]
    pub amount: Decimal,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
