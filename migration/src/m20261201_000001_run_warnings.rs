//! What a run wants its reader to know although it succeeded (e.g. no vendor
//! had a contract for the period), as a JSON array of sentences.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000004_runs_notices::AssessmentRuns;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(AssessmentRuns::Table)
                    .add_column(text(RunWarnings::Warnings).default("[]"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(AssessmentRuns::Table)
                    .drop_column(RunWarnings::Warnings)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum RunWarnings {
    Warnings,
}
