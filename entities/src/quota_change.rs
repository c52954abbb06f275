//! `quota_changes`: a change of a quota (资源变更申请表, seed 004 附件4):
//! an expansion (扩容), which may bring the item to at most 120 % of its quota,
//! or a reclaim (回收) of idle resources, which lowers use, not the quota.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "quota_changes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub quota_id: i64,
    pub kind: QuotaChangeKind,
    /// How much is added (expansion) or given back (reclaim); positive.
    #[sea_orm(column_type = "Decimal(Some((18, 2)))")]
    pub quantity: Decimal,
    pub status: QuotaChangeStatus,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    pub requested_by: Option<i64>,
    pub requested_at: DateTimeUtc,
    pub decided_by: Option<i64>,
    pub decided_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text")]
    pub decision_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum QuotaChangeKind {
    #[sea_orm(string_value = "EXPAND")]
    Expand,
    #[sea_orm(string_value = "RECLAIM")]
    Reclaim,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum QuotaChangeStatus {
    #[sea_orm(string_value = "REQUESTED")]
    Requested,
    #[sea_orm(string_value = "APPROVED")]
    Approved,
    #[sea_orm(string_value = "REFUSED")]
    Refused,
}
