//! `work_order_parts`: one part of the unified work order (北京市市级政务云服务
//! 统一工单, seed 001 附件1-3) as the agency filled it, its approval by the
//! supervising body and, once approved, the `work_orders` fact A1 assesses.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "work_order_parts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub region_id: i64,
    pub vendor_id: i64,
    pub agency_id: i64,
    pub system_id: i64,
    pub part: PartKind,
    /// The part's fields as JSON (`domain::work_order_parts::forms`).
    #[sea_orm(column_type = "Text")]
    pub form: String,
    pub status: PartStatus,
    pub submitted_by: i64,
    pub submitted_at: DateTimeUtc,
    pub decided_by: Option<i64>,
    pub decided_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text")]
    pub decision_reason: Option<String>,
    /// The `work_orders` fact written at approval: its `approved_at` is the
    /// instant the vendor received the part, its `completed_at` the delivery.
    pub work_order_id: Option<i64>,
    pub completed_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The four parts: 入云, 上线, 变更, 退出.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    EnumIter,
    DeriveActiveEnum,
    Serialize,
    Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PartKind {
    #[sea_orm(string_value = "ONBOARDING")]
    Onboarding,
    #[sea_orm(string_value = "GO_LIVE")]
    GoLive,
    #[sea_orm(string_value = "CHANGE")]
    Change,
    #[sea_orm(string_value = "EXIT")]
    Exit,
}

/// SUBMITTED → APPROVED → COMPLETED, or SUBMITTED → REJECTED.
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PartStatus {
    #[sea_orm(string_value = "SUBMITTED")]
    Submitted,
    #[sea_orm(string_value = "APPROVED")]
    Approved,
    #[sea_orm(string_value = "REJECTED")]
    Rejected,
    #[sea_orm(string_value = "COMPLETED")]
    Completed,
}
