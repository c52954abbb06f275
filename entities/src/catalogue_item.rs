//! `catalogue_items`: a service item of the price catalogue (服务目录): its
//! 编号, category, sub-category, the item itself and the unit it is priced per.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "catalogue_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The catalogue's 编号 (e.g. `1001`), unique.
    pub code: String,
    pub category: String,
    pub sub_category: String,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    /// 计价单位, e.g. `1 GB`.
    pub unit: String,
    /// 报价单位, e.g. `元/月`.
    pub price_unit: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
