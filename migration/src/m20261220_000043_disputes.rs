//! Disputes (申诉, issue 14 item 3): a vendor disputes one deduction of a
//! published monthly result of its own, naming the fact the deduction was
//! taken for; a supervisor of the region accepts (clearing the fact's
//! liability or confirmation, the period re-run as a new draft revision) or
//! rejects it with a reason. A dispute may carry one file (PDF, PNG, JPEG),
//! kept beside it in the database as the notices' files are.
//!
//! `open_fact` holds `kind:id` of the disputed fact while the dispute is
//! open and NULL once it is decided: its unique index keeps one open dispute
//! per fact on both backends (NULLs never collide), also against two
//! requests at once.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{fk, index, unique_index};
use crate::m20261123_000001_reference_data::{Regions, Users, Vendors};
use crate::m20261123_000004_runs_notices::{AssessmentResults, AssessmentRuns};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// `disputes`
#[derive(DeriveIden, Clone, Copy)]
pub enum Disputes {
    Table,
    Id,
    ResultId,
    RegionId,
    VendorId,
    Period,
    FactKind,
    FactId,
    Indicator,
    Points,
    Reason,
    Status,
    OpenFact,
    Cleared,
    DecisionReason,
    DecidedBy,
    DecidedAt,
    RerunId,
    CreatedBy,
    CreatedAt,
}

/// `dispute_attachments`
#[derive(DeriveIden, Clone, Copy)]
pub enum DisputeAttachments {
    Table,
    Id,
    DisputeId,
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
        use Disputes as D;
        manager
            .create_table(
                Table::create()
                    .table(D::Table)
                    .col(big_pk_auto(D::Id))
                    .col(big_integer(D::ResultId))
                    .col(big_integer(D::RegionId))
                    .col(big_integer(D::VendorId))
                    .col(string(D::Period))
                    .col(string(D::FactKind))
                    .col(big_integer(D::FactId))
                    .col(string(D::Indicator))
                    .col(decimal_len(D::Points, 12, 4))
                    .col(text(D::Reason))
                    .col(string(D::Status))
                    .col(string_null(D::OpenFact))
                    .col(string_null(D::Cleared))
                    .col(text_null(D::DecisionReason))
                    .col(big_integer_null(D::DecidedBy))
                    .col(timestamp_with_time_zone_null(D::DecidedAt))
                    .col(big_integer_null(D::RerunId))
                    .col(big_integer(D::CreatedBy))
                    .col(timestamp_with_time_zone(D::CreatedAt))
                    .foreign_key(&mut fk(D::Table, D::ResultId, AssessmentResults::Table))
                    .foreign_key(&mut fk(D::Table, D::RegionId, Regions::Table))
                    .foreign_key(&mut fk(D::Table, D::VendorId, Vendors::Table))
                    .foreign_key(&mut fk(D::Table, D::DecidedBy, Users::Table))
                    .foreign_key(&mut fk(D::Table, D::RerunId, AssessmentRuns::Table))
                    .foreign_key(&mut fk(D::Table, D::CreatedBy, Users::Table))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(D::Table, (D::RegionId, D::VendorId, D::Period)))
            .await?;
        manager
            .create_index(unique_index(D::Table, D::OpenFact))
            .await?;
        use DisputeAttachments as A;
        manager
            .create_table(
                Table::create()
                    .table(A::Table)
                    .col(big_pk_auto(A::Id))
                    .col(big_integer(A::DisputeId))
                    .col(string(A::FileName))
                    .col(string(A::ContentType))
                    .col(big_integer(A::Size))
                    .col(blob(A::Bytes))
                    .col(big_integer(A::UploadedBy))
                    .col(timestamp_with_time_zone(A::UploadedAt))
                    .foreign_key(&mut fk(A::Table, A::DisputeId, D::Table))
                    .foreign_key(&mut fk(A::Table, A::UploadedBy, Users::Table))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(unique_index(A::Table, A::DisputeId))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(DisputeAttachments::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Disputes::Table).to_owned())
            .await
    }
}
