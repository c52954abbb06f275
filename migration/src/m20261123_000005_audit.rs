//! The audit trail: one row per successful mutation, written in the mutation's
//! own transaction (`api::audit`). Rows are only ever inserted.
//!
//! No foreign keys on purpose: the trail must outlive what it talks about (a
//! deleted user, region or record keeps its entries), and a reference from the
//! trail must never block deleting a row through the API.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AuditEntries::Table)
                    .col(big_pk_auto(AuditEntries::Id))
                    .col(timestamp_with_time_zone(AuditEntries::At))
                    .col(big_integer(AuditEntries::UserId))
                    .col(string(AuditEntries::Username))
                    .col(string(AuditEntries::Role))
                    .col(big_integer_null(AuditEntries::RegionId))
                    .col(big_integer_null(AuditEntries::VendorId))
                    .col(string(AuditEntries::Operation))
                    .col(string(AuditEntries::TargetType))
                    .col(big_integer_null(AuditEntries::TargetId))
                    .col(text_null(AuditEntries::ClientAddr))
                    .col(text_null(AuditEntries::RequestId))
                    .col(json_null(AuditEntries::Before))
                    .col(json_null(AuditEntries::After))
                    .to_owned(),
            )
            .await?;
        // Supervisors read their region newest first; "what did this user do";
        // "what happened to this record".
        for statement in [
            index(
                AuditEntries::Table,
                (AuditEntries::RegionId, AuditEntries::At),
            ),
            index(
                AuditEntries::Table,
                (AuditEntries::UserId, AuditEntries::At),
            ),
            index(
                AuditEntries::Table,
                (AuditEntries::TargetType, AuditEntries::TargetId),
            ),
        ] {
            manager.create_index(statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuditEntries::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
pub enum AuditEntries {
    Table,
    Id,
    At,
    UserId,
    Username,
    Role,
    RegionId,
    VendorId,
    Operation,
    TargetType,
    TargetId,
    ClientAddr,
    RequestId,
    Before,
    After,
}
