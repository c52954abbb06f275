//! `assessment_runs`: One assessment run: a kind (MONTHLY/ANNUAL), a region, a period, the scheme version, what started it and how it ended.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "assessment_runs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kind: String,
    pub region_id: i64,
    pub period: String,
    pub scheme_code: String,
    pub scheme_version: i32,
    pub trigger: String,
    pub started_by: Option<i64>,
    pub status: String,
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
