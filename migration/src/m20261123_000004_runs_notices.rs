//! Assessment runs and their results (kept per revision), rectification notices,
//! the e-mail outbox with its delivery attempts, the breach register, and the
//! leases that keep several server processes from running the same job twice.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{fk, index};
use crate::m20261123_000001_reference_data::{Regions, Users, Vendors};
use crate::m20261123_000002_facts::SecurityRisks;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AssessmentRuns::Table)
                    .col(big_pk_auto(AssessmentRuns::Id))
                    .col(string(AssessmentRuns::Kind))
                    .col(big_integer(AssessmentRuns::RegionId))
                    .col(string(AssessmentRuns::Period))
                    .col(string(AssessmentRuns::SchemeCode))
                    .col(integer(AssessmentRuns::SchemeVersion))
                    .col(string(AssessmentRuns::Trigger))
                    .col(big_integer_null(AssessmentRuns::StartedBy))
                    .col(string(AssessmentRuns::Status))
                    .col(text_null(AssessmentRuns::Error))
                    .col(timestamp_with_time_zone(AssessmentRuns::StartedAt))
                    .col(timestamp_with_time_zone_null(AssessmentRuns::FinishedAt))
                    .foreign_key(&mut fk(
                        AssessmentRuns::Table,
                        AssessmentRuns::RegionId,
                        Regions::Table,
                    ))
                    .foreign_key(&mut fk(
                        AssessmentRuns::Table,
                        AssessmentRuns::StartedBy,
                        Users::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                AssessmentRuns::Table,
                (
                    AssessmentRuns::RegionId,
                    AssessmentRuns::Kind,
                    AssessmentRuns::Period,
                ),
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AssessmentResults::Table)
                    .col(big_pk_auto(AssessmentResults::Id))
                    .col(big_integer(AssessmentResults::RunId))
                    .col(big_integer(AssessmentResults::RegionId))
                    .col(big_integer(AssessmentResults::VendorId))
                    .col(string(AssessmentResults::Kind))
                    .col(string(AssessmentResults::Period))
                    .col(integer(AssessmentResults::Revision))
                    .col(decimal_len(AssessmentResults::Total, 12, 4))
                    .col(boolean(AssessmentResults::Passed))
                    .col(text(AssessmentResults::Document))
                    .col(boolean(AssessmentResults::Published).default(false))
                    .col(timestamp_with_time_zone_null(
                        AssessmentResults::PublishedAt,
                    ))
                    .col(big_integer_null(AssessmentResults::PublishedBy))
                    .col(timestamp_with_time_zone(AssessmentResults::CreatedAt))
                    .foreign_key(&mut fk(
                        AssessmentResults::Table,
                        AssessmentResults::RunId,
                        AssessmentRuns::Table,
                    ))
                    .foreign_key(&mut fk(
                        AssessmentResults::Table,
                        AssessmentResults::RegionId,
                        Regions::Table,
                    ))
                    .foreign_key(&mut fk(
                        AssessmentResults::Table,
                        AssessmentResults::VendorId,
                        Vendors::Table,
                    ))
                    .foreign_key(&mut fk(
                        AssessmentResults::Table,
                        AssessmentResults::PublishedBy,
                        Users::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(unique_many(
                AssessmentResults::Table,
                [
                    AssessmentResults::RegionId,
                    AssessmentResults::VendorId,
                    AssessmentResults::Kind,
                    AssessmentResults::Period,
                    AssessmentResults::Revision,
                ],
            ))
            .await?;
        manager
            .create_index(index(AssessmentResults::Table, AssessmentResults::RunId))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Notices::Table)
                    .col(big_pk_auto(Notices::Id))
                    .col(big_integer(Notices::RegionId))
                    .col(big_integer(Notices::VendorId))
                    .col(string(Notices::Kind))
                    .col(text(Notices::Reason))
                    .col(text(Notices::Basis))
                    .col(big_integer_null(Notices::ResultId))
                    .col(big_integer_null(Notices::RiskId))
                    .col(date(Notices::Deadline))
                    .col(string(Notices::Status))
                    .col(text_null(Notices::Rectification))
                    .col(big_integer_null(Notices::CreatedBy))
                    .col(timestamp_with_time_zone(Notices::CreatedAt))
                    .col(timestamp_with_time_zone(Notices::UpdatedAt))
                    .foreign_key(&mut fk(Notices::Table, Notices::RegionId, Regions::Table))
                    .foreign_key(&mut fk(Notices::Table, Notices::VendorId, Vendors::Table))
                    .foreign_key(&mut fk(
                        Notices::Table,
                        Notices::ResultId,
                        AssessmentResults::Table,
                    ))
                    .foreign_key(&mut fk(
                        Notices::Table,
                        Notices::RiskId,
                        SecurityRisks::Table,
                    ))
                    .foreign_key(&mut fk(Notices::Table, Notices::CreatedBy, Users::Table))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(Notices::Table, (Notices::VendorId, Notices::Status)))
            .await?;
        manager
            .create_index(index(Notices::Table, (Notices::RegionId, Notices::Status)))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Outbox::Table)
                    .col(big_pk_auto(Outbox::Id))
                    .col(big_integer_null(Outbox::NoticeId))
                    .col(string(Outbox::Recipient))
                    .col(string(Outbox::Subject))
                    .col(text(Outbox::Body))
                    .col(string(Outbox::Status))
                    .col(integer(Outbox::Attempts).default(0))
                    .col(timestamp_with_time_zone(Outbox::NextAttemptAt))
                    .col(text_null(Outbox::LastError))
                    .col(timestamp_with_time_zone_null(Outbox::SentAt))
                    .col(timestamp_with_time_zone(Outbox::CreatedAt))
                    .foreign_key(&mut fk(Outbox::Table, Outbox::NoticeId, Notices::Table))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                Outbox::Table,
                (Outbox::Status, Outbox::NextAttemptAt),
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OutboxAttempts::Table)
                    .col(big_pk_auto(OutboxAttempts::Id))
                    .col(big_integer(OutboxAttempts::OutboxId))
                    .col(timestamp_with_time_zone(OutboxAttempts::AttemptedAt))
                    .col(text_null(OutboxAttempts::Error))
                    .foreign_key(&mut fk(
                        OutboxAttempts::Table,
                        OutboxAttempts::OutboxId,
                        Outbox::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(OutboxAttempts::Table, OutboxAttempts::OutboxId))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Breaches::Table)
                    .col(big_pk_auto(Breaches::Id))
                    .col(big_integer(Breaches::RegionId))
                    .col(big_integer(Breaches::VendorId))
                    .col(string(Breaches::Kind))
                    .col(string(Breaches::Period))
                    .col(text(Breaches::Basis))
                    .col(timestamp_with_time_zone(Breaches::CreatedAt))
                    .foreign_key(&mut fk(Breaches::Table, Breaches::RegionId, Regions::Table))
                    .foreign_key(&mut fk(Breaches::Table, Breaches::VendorId, Vendors::Table))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(unique_many(
                Breaches::Table,
                [
                    Breaches::RegionId,
                    Breaches::VendorId,
                    Breaches::Kind,
                    Breaches::Period,
                ],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(JobLeases::Table)
                    .col(string(JobLeases::Name).primary_key())
                    .col(string(JobLeases::Holder))
                    .col(timestamp_with_time_zone(JobLeases::ExpiresAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            JobLeases::Table.into_iden(),
            Breaches::Table.into_iden(),
            OutboxAttempts::Table.into_iden(),
            Outbox::Table.into_iden(),
            Notices::Table.into_iden(),
            AssessmentResults::Table.into_iden(),
            AssessmentRuns::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

/// A unique index over more columns than sea-query's tuples take, named like
/// `common::unique_index` (`uq_<table>__<column>__…`).
fn unique_many<T: Iden + Copy + 'static>(
    table: T,
    columns: impl IntoIterator<Item = T>,
) -> IndexCreateStatement {
    let columns: Vec<T> = columns.into_iter().collect();
    let names: Vec<String> = columns.iter().map(|c| c.to_string()).collect();
    let mut index = Index::create();
    index
        .name(format!("uq_{}__{}", table.to_string(), names.join("__")))
        .table(table)
        .unique();
    for c in columns {
        index.col(c);
    }
    index
}

#[derive(DeriveIden, Clone, Copy)]
pub enum AssessmentRuns {
    Table,
    Id,
    Kind,
    RegionId,
    Period,
    SchemeCode,
    SchemeVersion,
    Trigger,
    StartedBy,
    Status,
    Error,
    StartedAt,
    FinishedAt,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum AssessmentResults {
    Table,
    Id,
    RunId,
    RegionId,
    VendorId,
    Kind,
    Period,
    Revision,
    Total,
    Passed,
    Document,
    Published,
    PublishedAt,
    PublishedBy,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum Notices {
    Table,
    Id,
    RegionId,
    VendorId,
    Kind,
    Reason,
    Basis,
    ResultId,
    RiskId,
    Deadline,
    Status,
    Rectification,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum Outbox {
    Table,
    Id,
    NoticeId,
    Recipient,
    Subject,
    Body,
    Status,
    Attempts,
    NextAttemptAt,
    LastError,
    SentAt,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum OutboxAttempts {
    Table,
    Id,
    OutboxId,
    AttemptedAt,
    Error,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum Breaches {
    Table,
    Id,
    RegionId,
    VendorId,
    Kind,
    Period,
    Basis,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum JobLeases {
    Table,
    Name,
    Holder,
    ExpiresAt,
}
