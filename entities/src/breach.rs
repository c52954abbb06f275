//! `breaches`: the breach register (违约记录): an event charged under its
//! contract's terms (spec §5), proposed by detection from the facts or recorded
//! by a supervisor, confirmed or dismissed with a reason, answered by the vendor.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "breaches")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub region_id: i64,
    pub vendor_id: i64,
    /// How the event came to the register (which detection rule, or by hand).
    pub kind: BreachKind,
    /// The month (`2024-03`, local) the event falls in.
    pub period: String,
    /// Why it was proposed or recorded, in Chinese (the facts it rests on).
    #[sea_orm(column_type = "Text")]
    pub basis: String,
    pub created_at: DateTimeUtc,
    /// The contract it is charged under; `None` for a row from before the
    /// register (a supervisor confirms it against a contract) or where the
    /// vendor has no contract in the region.
    pub contract_id: Option<i64>,
    pub system_id: Option<i64>,
    pub occurred_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    #[sea_orm(column_type = "Text")]
    pub evidence: Option<String>,
    /// The fact a detected event came from (`outage:12`, `notice:7`); unique
    /// per kind so detection run twice proposes nothing new.
    pub source_ref: Option<String>,
    pub status: BreachStatus,
    pub source: BreachSource,
    /// 附件1: an A- or B-level major incident, else `None`.
    pub incident_level: Option<IncidentLevel>,
    /// JSON array of the terms rows it matches: `[{"table":"general","number":5}]`.
    #[sea_orm(column_type = "Text")]
    pub matched_rows: String,
    /// The row it is charged at (the heaviest of the matched: 择其重者).
    pub charged_table: Option<String>,
    pub charged_row: Option<i32>,
    /// Exact to the fen; `None` until it can be charged (no contract, no row).
    #[sea_orm(column_type = "Decimal(Some((18, 2)))")]
    pub penalty: Option<Decimal>,
    /// The terms version it is charged under.
    pub terms_code: Option<String>,
    pub terms_version: Option<i32>,
    pub recorded_by: Option<i64>,
    pub decided_by: Option<i64>,
    pub decided_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text")]
    pub decision_reason: Option<String>,
    pub vendor_answer: Option<VendorAnswer>,
    #[sea_orm(column_type = "Text")]
    pub vendor_answer_reason: Option<String>,
    pub answered_at: Option<DateTimeUtc>,
    /// The rectification notice sent when it was confirmed.
    pub notice_id: Option<i64>,
    /// Three failed months: the rectification deadline set after the third.
    pub rectification_due: Option<Date>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// How an event came to the register.
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum BreachKind {
    /// Three consecutive failed monthly assessments whose rectification
    /// deadline passed unmet (general breach row 3).
    #[sea_orm(string_value = "THREE_CONSECUTIVE_FAILED_MONTHS")]
    ThreeConsecutiveFailedMonths,
    /// A system down 2 h or more, or the outage that brings the term to 3 in
    /// a row or 8 h cumulative (rows 5 and 6).
    #[sea_orm(string_value = "OUTAGE")]
    Outage,
    /// Availability below 99.99 % with 3 or more complaints (row 2).
    #[sea_orm(string_value = "AVAILABILITY_COMPLAINTS")]
    AvailabilityComplaints,
    /// Recorded by a supervisor with evidence.
    #[sea_orm(string_value = "RECORDED")]
    Recorded,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum BreachStatus {
    /// Detected; waits for a supervisor.
    #[sea_orm(string_value = "PROPOSED")]
    Proposed,
    /// Charged: counts in the settlement statement.
    #[sea_orm(string_value = "CONFIRMED")]
    Confirmed,
    /// Not a breach, with the supervisor's reason.
    #[sea_orm(string_value = "DISMISSED")]
    Dismissed,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum BreachSource {
    #[sea_orm(string_value = "DETECTED")]
    Detected,
    #[sea_orm(string_value = "RECORDED")]
    Recorded,
}

/// 附件1: major-incident levels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum IncidentLevel {
    #[sea_orm(string_value = "A")]
    A,
    #[sea_orm(string_value = "B")]
    B,
}

/// The vendor's answer to a breach.
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum VendorAnswer {
    #[sea_orm(string_value = "ACCEPTED")]
    Accepted,
    #[sea_orm(string_value = "DISPUTED")]
    Disputed,
}
