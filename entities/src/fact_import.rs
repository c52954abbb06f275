//! `fact_imports`: a fact imported from a spreadsheet, by the source's own ticket number (外部编号) per region and kind.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "fact_imports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub region_id: i64,
    /// The fact's resource name (`WorkOrder`), as the audit trail names it.
    pub kind: String,
    /// The source's own number for the row (unique per region and kind).
    pub external_id: String,
    /// The fact in its kind's table.
    pub fact_id: i64,
    pub imported_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
