//! `assessment_results`: One vendor's result of a run, a new revision each time its period is run again; a draft until a supervisor publishes it.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "assessment_results")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub run_id: i64,
    pub region_id: i64,
    pub vendor_id: i64,
    /// The kind of the run it came from.
    pub kind: crate::assessment_run::RunKind,
    pub period: String,
    pub revision: i32,
    #[sea_orm(column_type = "Decimal(Some((12, 4)))")]
    pub total: Decimal,
    pub passed: bool,
    #[sea_orm(column_type = "Text")]
    pub document: String,
    pub published: bool,
    pub published_at: Option<DateTimeUtc>,
    pub published_by: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
