//! `quotas`: a system's quota of one catalogue item (资源配额, the district's
//! 资源申请表; seed 004 §5): applied for, approved by the district, delivered
//! within 5 working days of the three-party agreement. Test resources (测试资源)
//! are quotas of their own with a free period of 1–3 months.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "quotas")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub region_id: i64,
    pub agency_id: i64,
    pub system_id: i64,
    pub vendor_id: i64,
    pub item_id: i64,
    #[sea_orm(column_type = "Decimal(Some((18, 2)))")]
    pub quantity: Decimal,
    pub status: QuotaStatus,
    pub is_test: bool,
    /// Test resources: the free period, 1–3 months; `None` otherwise.
    pub test_months: Option<i32>,
    pub applied_at: DateTimeUtc,
    pub applied_by: Option<i64>,
    pub approved_by: Option<i64>,
    pub approved_at: Option<DateTimeUtc>,
    /// The day of the three-party agreement (三方协议) the delivery counts from.
    pub agreement_on: Option<Date>,
    pub delivered_on: Option<Date>,
    #[sea_orm(column_type = "Text")]
    pub note: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum QuotaStatus {
    #[sea_orm(string_value = "APPLIED")]
    Applied,
    #[sea_orm(string_value = "APPROVED")]
    Approved,
    #[sea_orm(string_value = "DELIVERED")]
    Delivered,
    #[sea_orm(string_value = "REJECTED")]
    Rejected,
}
