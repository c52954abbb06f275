//! The information system a complaint is about (issue 13, item 5): an agency
//! files a complaint by picking one of its systems, and the vendor is the
//! system's host. Kept so the complaint names the system it was about.
//!
//! Old rows get `NULL`: they were filed against a vendor only. No foreign key:
//! SQLite cannot add one to an existing table; the store checks on every write
//! that the system exists in the complaint's region, is hosted by its vendor
//! and belongs to its agency (`domain::facts::systems_of_fact`).

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000002_facts::Complaints;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Complaint {
    SystemId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Complaints::Table)
                    .add_column(big_integer_null(Complaint::SystemId))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Complaints::Table)
                    .drop_column(Complaint::SystemId)
                    .to_owned(),
            )
            .await
    }
}
