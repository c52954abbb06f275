//! `purchaser_caps`: the municipal purchaser's cap for a catalogue item in a
//! region's service period (封顶价, seed 003 §1.1 item 6): its use beyond the
//! cap is free, the cap prorated for a partial period. Districts have none.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "purchaser_caps")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub region_id: i64,
    pub item_id: i64,
    /// The service period's start year (as `metering_closes.service_year`).
    pub service_year: i32,
    /// The cap over a full period, in yuan.
    #[sea_orm(column_type = "Decimal(Some((18, 2)))")]
    pub amount: Decimal,
    pub set_by: Option<i64>,
    pub set_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
