//! Contract terms (issue 15): versions of the terms documents an administrator
//! adds (breach tables, major-incident rule, termination grounds, how penalties
//! are paid), one JSON document each, as schemes are stored; the built-in
//! versions are in the engine. A new version is a new row, never an edit.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{fk, unique_index};
use crate::m20261123_000001_reference_data::Users;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// `contract_terms`
#[derive(DeriveIden, Clone, Copy)]
pub enum ContractTerms {
    Table,
    Id,
    Code,
    Version,
    Document,
    CreatedBy,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ContractTerms::Table)
                    .if_not_exists()
                    .col(
                        big_integer(ContractTerms::Id)
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(string(ContractTerms::Code))
                    .col(integer(ContractTerms::Version))
                    .col(text(ContractTerms::Document))
                    .col(big_integer(ContractTerms::CreatedBy))
                    .col(timestamp_with_time_zone(ContractTerms::CreatedAt))
                    .foreign_key(&mut fk(
                        ContractTerms::Table,
                        ContractTerms::CreatedBy,
                        Users::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(unique_index(
                ContractTerms::Table,
                (ContractTerms::Code, ContractTerms::Version),
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ContractTerms::Table).to_owned())
            .await
    }
}
