//! `import_batches`: a spreadsheet uploaded for import, kept between its preview and its commit.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "import_batches")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The kind's address in the console (`work-orders`).
    pub kind: String,
    /// The name the file had on the uploader's computer (tells `.csv` from `.xlsx`).
    pub file_name: String,
    #[sea_orm(column_type = "Blob")]
    #[serde(skip)]
    pub bytes: Vec<u8>,
    pub uploaded_by: i64,
    pub uploaded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
