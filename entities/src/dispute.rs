//! `disputes`: A vendor's dispute (申诉) of one deduction of a published monthly result, and its decision.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "disputes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The published result whose deduction is disputed.
    pub result_id: i64,
    pub region_id: i64,
    pub vendor_id: i64,
    /// The result's month, `2026-10`.
    pub period: String,
    /// The disputed fact's kind as the result names it (`complaint`).
    pub fact_kind: String,
    pub fact_id: i64,
    /// The indicator the deduction was taken from (`C1`).
    pub indicator: String,
    /// The deduction's points as the result states them.
    #[sea_orm(column_type = "Decimal(Some((12, 4)))")]
    pub points: Decimal,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    pub status: DisputeStatus,
    /// `complaint:7` while open, NULL once decided: its unique index keeps
    /// one open dispute per fact.
    pub open_fact: Option<String>,
    /// Which flag of the fact an accepted dispute cleared.
    pub cleared: Option<ClearedFlag>,
    #[sea_orm(column_type = "Text")]
    pub decision_reason: Option<String>,
    pub decided_by: Option<i64>,
    pub decided_at: Option<DateTimeUtc>,
    /// The run that re-assessed the month after the dispute was accepted
    /// (its results are drafts).
    pub rerun_id: Option<i64>,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// OPEN until a supervisor of the region decides: ACCEPTED or REJECTED.
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DisputeStatus {
    #[sea_orm(string_value = "OPEN")]
    Open,
    #[sea_orm(string_value = "ACCEPTED")]
    Accepted,
    #[sea_orm(string_value = "REJECTED")]
    Rejected,
}

impl DisputeStatus {
    /// As stored and shown: `ACCEPTED`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "OPEN",
            Self::Accepted => "ACCEPTED",
            Self::Rejected => "REJECTED",
        }
    }
}

/// The flag of a fact an accepted dispute sets false: only confirmed,
/// vendor-liable facts count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ClearedFlag {
    /// 取消服务商责任: the vendor was not liable.
    #[sea_orm(string_value = "VENDOR_LIABLE")]
    VendorLiable,
    /// 取消确认: the fact was not confirmed after all.
    #[sea_orm(string_value = "CONFIRMED")]
    Confirmed,
}

impl ClearedFlag {
    /// As stored: `VENDOR_LIABLE`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::VendorLiable => "VENDOR_LIABLE",
            Self::Confirmed => "CONFIRMED",
        }
    }
}
