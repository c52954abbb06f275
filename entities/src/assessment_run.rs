//! `assessment_runs`: One assessment run: a kind (MONTHLY/ANNUAL), a region, a period, the scheme version, what started it and how it ended.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "assessment_runs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kind: RunKind,
    pub region_id: i64,
    pub period: String,
    pub scheme_code: String,
    pub scheme_version: i32,
    pub trigger: RunTrigger,
    pub started_by: Option<i64>,
    pub status: RunStatus,
    pub error: Option<String>,
    pub started_at: DateTimeUtc,
    pub finished_at: Option<DateTimeUtc>,
    /// Fact rows the run loaded, over all its vendors.
    pub rows_read: i64,
    /// What the reader should know although the run succeeded: a JSON array of sentences.
    #[sea_orm(column_type = "Text")]
    pub warnings: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// What a run assesses, and so what its results are: a month or a service year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RunKind {
    #[sea_orm(string_value = "MONTHLY")]
    Monthly,
    #[sea_orm(string_value = "ANNUAL")]
    Annual,
}

/// Where a run is: RUNNING until it ends SUCCEEDED or FAILED (an abandoned run
/// is FAILED with the reason in `error`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RunStatus {
    #[sea_orm(string_value = "RUNNING")]
    Running,
    #[sea_orm(string_value = "SUCCEEDED")]
    Succeeded,
    #[sea_orm(string_value = "FAILED")]
    Failed,
}

/// What started a run: the cron, the catch-up at start-up, or a person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RunTrigger {
    #[sea_orm(string_value = "SCHEDULE")]
    Schedule,
    #[sea_orm(string_value = "CATCH_UP")]
    CatchUp,
    #[sea_orm(string_value = "MANUAL")]
    Manual,
}

impl RunKind {
    /// As stored and shown: `MONTHLY`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Monthly => "MONTHLY",
            Self::Annual => "ANNUAL",
        }
    }
}

impl RunStatus {
    /// As stored and shown: `SUCCEEDED`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Running => "RUNNING",
            Self::Succeeded => "SUCCEEDED",
            Self::Failed => "FAILED",
        }
    }
}

impl RunTrigger {
    /// As stored and shown: `CATCH_UP`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Schedule => "SCHEDULE",
            Self::CatchUp => "CATCH_UP",
            Self::Manual => "MANUAL",
        }
    }

    /// The triggers of the scheduler (a period it ran is done for it).
    pub const AUTOMATIC: [RunTrigger; 2] = [RunTrigger::Schedule, RunTrigger::CatchUp];
}
