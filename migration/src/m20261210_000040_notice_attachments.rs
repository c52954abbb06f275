//! Attachments of a rectification (issue 13, item 3): the files a vendor
//! submits with its answer to a notice (PDF, PNG, JPEG), kept in the database
//! with the notice so a backup of the database is a backup of the evidence.
//! Written in the same transaction as the submission.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{fk, index};
use crate::m20261123_000001_reference_data::Users;
use crate::m20261123_000004_runs_notices::Notices;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// `notice_attachments`
#[derive(DeriveIden, Clone, Copy)]
pub enum NoticeAttachments {
    Table,
    Id,
    NoticeId,
    FileName,
    ContentType,
    Size,
    Bytes,
    UploadedBy,
    UploadedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use NoticeAttachments as A;
        manager
            .create_table(
                Table::create()
                    .table(A::Table)
                    .col(big_pk_auto(A::Id))
                    .col(big_integer(A::NoticeId))
                    .col(string(A::FileName))
                    .col(string(A::ContentType))
                    .col(big_integer(A::Size))
                    .col(blob(A::Bytes))
                    .col(big_integer(A::UploadedBy))
                    .col(timestamp_with_time_zone(A::UploadedAt))
                    .foreign_key(&mut fk(A::Table, A::NoticeId, Notices::Table))
                    .foreign_key(&mut fk(A::Table, A::UploadedBy, Users::Table))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index(A::Table, A::NoticeId)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(NoticeAttachments::Table).to_owned())
            .await
    }
}
