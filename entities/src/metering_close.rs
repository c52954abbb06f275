//! `metering_closes`: a region's service year whose metering a supervisor has
//! closed (seed 004 §6–7: metering ends after the annual run); from then its
//! metered amounts are fixed and the annual penalty is charged on them.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "metering_closes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub region_id: i64,
    pub service_year: i32,
    pub closed_by: Option<i64>,
    pub closed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
