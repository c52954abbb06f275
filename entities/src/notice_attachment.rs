//! `notice_attachments`: A file (PDF, PNG or JPEG) a vendor submitted with its rectification of a notice, kept with the notice.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "notice_attachments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub notice_id: i64,
    /// The name the file had on the uploader's computer (shown and offered
    /// back on download; never used as a path).
    pub file_name: String,
    /// `application/pdf`, `image/png` or `image/jpeg`, as detected from the
    /// file's first bytes.
    pub content_type: String,
    pub size: i64,
    /// The file itself; the audit trail keeps its name and size, not this.
    #[sea_orm(column_type = "Blob")]
    #[serde(skip)]
    pub bytes: Vec<u8>,
    pub uploaded_by: i64,
    pub uploaded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
