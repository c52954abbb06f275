//! `dispute_attachments`: The one file (PDF, PNG or JPEG) a vendor may send with its dispute, kept with it.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "dispute_attachments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub dispute_id: i64,
    /// The name the file had on the uploader's computer (never used as a path).
    pub file_name: String,
    /// As detected from the file's first bytes.
    pub content_type: String,
    pub size: i64,
    #[sea_orm(column_type = "Blob")]
    #[serde(skip)]
    pub bytes: Vec<u8>,
    pub uploaded_by: i64,
    pub uploaded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
