//! `notices`: A rectification notice (整改通知) and where it is in its lifecycle.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "notices")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub region_id: i64,
    pub vendor_id: i64,
    pub kind: NoticeKind,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    #[sea_orm(column_type = "Text")]
    pub basis: String,
    pub result_id: Option<i64>,
    pub risk_id: Option<i64>,
    pub deadline: Date,
    pub status: NoticeStatus,
    #[sea_orm(column_type = "Text")]
    pub rectification: Option<String>,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// The local (Asia/Shanghai) year of issue the number counts in.
    pub doc_year: i32,
    /// The notice's number in its region and year, from 1.
    pub doc_seq: i32,
    /// `沪政云监〔2026〕第12号`, fixed at issue.
    pub document_number: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// Why a notice was raised.
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum NoticeKind {
    /// A published monthly total below the pass mark.
    #[sea_orm(string_value = "MONTHLY_BELOW_PASS_MARK")]
    MonthlyBelowPassMark,
    /// A published annual total in a penalty tier.
    #[sea_orm(string_value = "ANNUAL_PENALTY")]
    AnnualPenalty,
    /// A security risk not rectified by its deadline.
    #[sea_orm(string_value = "SECURITY_RISK_OVERDUE")]
    SecurityRiskOverdue,
    /// Raised by a supervisor by hand.
    #[sea_orm(string_value = "MANUAL")]
    Manual,
    /// A confirmed breach of the register: its rectification notice.
    #[sea_orm(string_value = "BREACH")]
    Breach,
    /// An exit duty (migration help, data erasure) past its due day.
    #[sea_orm(string_value = "EXIT_DUTY_OVERDUE")]
    ExitDutyOverdue,
}

/// Where a notice is in its lifecycle: ISSUED → ACKNOWLEDGED → SUBMITTED →
/// ACCEPTED, or SUBMITTED → REOPENED → …; SUPERSEDED when a newer published
/// result no longer supports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum NoticeStatus {
    #[sea_orm(string_value = "ISSUED")]
    Issued,
    #[sea_orm(string_value = "ACKNOWLEDGED")]
    Acknowledged,
    #[sea_orm(string_value = "SUBMITTED")]
    Submitted,
    #[sea_orm(string_value = "ACCEPTED")]
    Accepted,
    #[sea_orm(string_value = "REOPENED")]
    Reopened,
    /// Closed because a newer revision of its result no longer supports it.
    #[sea_orm(string_value = "SUPERSEDED")]
    Superseded,
}

impl NoticeKind {
    /// As stored and shown: `ANNUAL_PENALTY`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MonthlyBelowPassMark => "MONTHLY_BELOW_PASS_MARK",
            Self::AnnualPenalty => "ANNUAL_PENALTY",
            Self::SecurityRiskOverdue => "SECURITY_RISK_OVERDUE",
            Self::Manual => "MANUAL",
            Self::Breach => "BREACH",
            Self::ExitDutyOverdue => "EXIT_DUTY_OVERDUE",
        }
    }
}

impl NoticeStatus {
    /// As stored and shown: `ACKNOWLEDGED`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Issued => "ISSUED",
            Self::Acknowledged => "ACKNOWLEDGED",
            Self::Submitted => "SUBMITTED",
            Self::Accepted => "ACCEPTED",
            Self::Reopened => "REOPENED",
            Self::Superseded => "SUPERSEDED",
        }
    }

    /// Done with: accepted, or superseded by a newer result.
    pub const CLOSED: [NoticeStatus; 2] = [NoticeStatus::Accepted, NoticeStatus::Superseded];
}
