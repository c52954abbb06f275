//! Scheme versions and working-day calendar years that administrators add at
//! run time (the built-in ones live in the engine's code).

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{fk, unique_index};
use crate::m20261123_000001_reference_data::Users;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Schemes::Table)
                    .if_not_exists()
                    .col(big_integer(Schemes::Id).auto_increment().primary_key())
                    .col(string(Schemes::Code))
                    .col(integer(Schemes::Version))
                    .col(text(Schemes::Document))
                    .col(big_integer(Schemes::CreatedBy))
                    .col(timestamp_with_time_zone(Schemes::CreatedAt))
                    .foreign_key(&mut fk(Schemes::Table, Schemes::CreatedBy, Users::Table))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(unique_index(
                Schemes::Table,
                (Schemes::Code, Schemes::Version),
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CalendarYears::Table)
                    .if_not_exists()
                    .col(
                        big_integer(CalendarYears::Id)
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(integer(CalendarYears::Year))
                    .col(text(CalendarYears::Document))
                    .col(big_integer(CalendarYears::LoadedBy))
                    .col(timestamp_with_time_zone(CalendarYears::LoadedAt))
                    .foreign_key(&mut fk(
                        CalendarYears::Table,
                        CalendarYears::LoadedBy,
                        Users::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(unique_index(CalendarYears::Table, CalendarYears::Year))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CalendarYears::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Schemes::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum Schemes {
    Table,
    Id,
    Code,
    Version,
    Document,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
pub enum CalendarYears {
    Table,
    Id,
    Year,
    Document,
    LoadedBy,
    LoadedAt,
}
