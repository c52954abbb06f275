//! What a run read (for operators and the benchmark), and the index the
//! dashboards' reads of one region, kind and period need: the unique index on
//! results leads with the vendor, so it cannot serve "every vendor of a region".

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::index;
use crate::m20261123_000004_runs_notices::{AssessmentResults, AssessmentRuns};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(AssessmentRuns::Table)
                    .add_column(big_integer(RunFigures::RowsRead).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                AssessmentResults::Table,
                (
                    AssessmentResults::RegionId,
                    AssessmentResults::Kind,
                    AssessmentResults::Period,
                ),
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_assessment_results_region_id_kind_period")
                    .table(AssessmentResults::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(AssessmentRuns::Table)
                    .drop_column(RunFigures::RowsRead)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum RunFigures {
    RowsRead,
}
