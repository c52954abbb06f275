//! The platform a fault was graded against (issue 10, item 9): how many systems
//! the vendor hosted on the day of the fault, in every region (spec §3 Decision),
//! kept beside the level so a supervisor sees the count the grading used.
//!
//! Old rows get `NULL`: they were graded against the supervising region's
//! systems only and that count was not kept. Their level stays as graded (a
//! re-run of an old month gives what it gave); saving such a fault again
//! re-grades it on the new platform and stores the count.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000002_facts::Faults;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Fault {
    PlatformSystems,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Faults::Table)
                    .add_column(integer_null(Fault::PlatformSystems))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Faults::Table)
                    .drop_column(Fault::PlatformSystems)
                    .to_owned(),
            )
            .await
    }
}
