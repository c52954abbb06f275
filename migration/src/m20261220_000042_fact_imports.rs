//! Facts imported from spreadsheets (issue 14, item 1).
//!
//! `fact_imports` remembers, for each imported fact, the source's own ticket
//! number (外部编号) per region and kind: the unique index is what makes a
//! second import of the same file add nothing, even when two imports race.
//! `kind` is the fact's resource name (`WorkOrder`, as the audit trail's
//! `target_type`); `fact_id` has no foreign key since it points into the
//! table of its kind, and the store deletes the row with its fact.
//!
//! `import_batches` keeps an uploaded file between its preview and its
//! commit (one per user: a new upload replaces the last), so the commit reads
//! the very bytes the preview showed, not a second upload.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{fk, index, unique_index};
use crate::m20261123_000001_reference_data::{Regions, Users};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// `fact_imports`
#[derive(DeriveIden, Clone, Copy)]
pub enum FactImports {
    Table,
    Id,
    RegionId,
    Kind,
    ExternalId,
    FactId,
    ImportedAt,
}

/// `import_batches`
#[derive(DeriveIden, Clone, Copy)]
pub enum ImportBatches {
    Table,
    Id,
    Kind,
    FileName,
    Bytes,
    UploadedBy,
    UploadedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use FactImports as F;
        use ImportBatches as B;
        manager
            .create_table(
                Table::create()
                    .table(F::Table)
                    .col(big_pk_auto(F::Id))
                    .col(big_integer(F::RegionId))
                    .col(string(F::Kind))
                    .col(string(F::ExternalId))
                    .col(big_integer(F::FactId))
                    .col(timestamp_with_time_zone(F::ImportedAt))
                    .foreign_key(&mut fk(F::Table, F::RegionId, Regions::Table))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(unique_index(
                F::Table,
                (F::RegionId, F::Kind, F::ExternalId),
            ))
            .await?;
        manager
            .create_index(index(F::Table, (F::Kind, F::FactId)))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(B::Table)
                    .col(big_pk_auto(B::Id))
                    .col(string(B::Kind))
                    .col(string(B::FileName))
                    .col(blob(B::Bytes))
                    .col(big_integer(B::UploadedBy))
                    .col(timestamp_with_time_zone(B::UploadedAt))
                    .foreign_key(&mut fk(B::Table, B::UploadedBy, Users::Table))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index(B::Table, B::UploadedBy)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ImportBatches::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(FactImports::Table).to_owned())
            .await
    }
}
