//! `usage_records`: a system's metered use of one catalogue item in one month
//! (资源计量, 先用后付、按实结算; seed 004 §6), imported from the
//! cloud-management platform's export or entered. One per system, item and
//! month: a re-import replaces the figure.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "usage_records")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub region_id: i64,
    pub vendor_id: i64,
    pub agency_id: i64,
    pub system_id: i64,
    pub item_id: i64,
    /// `2025-07` (local month).
    pub month: String,
    #[sea_orm(column_type = "Decimal(Some((18, 2)))")]
    pub quantity: Decimal,
    /// Above the approved quota plus approved expansions: flagged, not refused.
    pub beyond_approved: bool,
    pub source: UsageSource,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum UsageSource {
    #[sea_orm(string_value = "IMPORTED")]
    Imported,
    #[sea_orm(string_value = "ENTERED")]
    Entered,
}
