//! Reference data: regions, vendors, contracts, agencies, information systems and
//! users (docs/data-model.md, "Reference data").

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{fk, index, unique_index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // regions
        manager
            .create_table(
                Table::create()
                    .table(Regions::Table)
                    .col(big_pk_auto(Regions::Id))
                    .col(string(Regions::Code))
                    .col(string(Regions::Name))
                    .col(big_integer_null(Regions::ParentId))
                    .col(string(Regions::SchemeCode))
                    .col(integer(Regions::ServiceYearStartMonth))
                    .col(timestamp_with_time_zone(Regions::CreatedAt))
                    .foreign_key(&mut fk(Regions::Table, Regions::ParentId, Regions::Table))
                    .to_owned(),
            )
            .await?;
        // vendors
        manager
            .create_table(
                Table::create()
                    .table(Vendors::Table)
                    .col(big_pk_auto(Vendors::Id))
                    .col(string(Vendors::Code))
                    .col(string(Vendors::Name))
                    .col(json(Vendors::ContactEmails))
                    .col(timestamp_with_time_zone(Vendors::CreatedAt))
                    .to_owned(),
            )
            .await?;
        // contracts
        manager
            .create_table(
                Table::create()
                    .table(Contracts::Table)
                    .col(big_pk_auto(Contracts::Id))
                    .col(big_integer(Contracts::VendorId))
                    .col(big_integer(Contracts::RegionId))
                    .col(integer(Contracts::ServiceYear))
                    .col(decimal_len(Contracts::SettlementAmount, 18, 2))
                    .col(decimal_len(Contracts::MonthlyFee, 18, 2))
                    .col(timestamp_with_time_zone(Contracts::CreatedAt))
                    .foreign_key(&mut fk(
                        Contracts::Table,
                        Contracts::VendorId,
                        Vendors::Table,
                    ))
                    .foreign_key(&mut fk(
                        Contracts::Table,
                        Contracts::RegionId,
                        Regions::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(unique_index(
                Contracts::Table,
                (
                    Contracts::VendorId,
                    Contracts::RegionId,
                    Contracts::ServiceYear,
                ),
            ))
            .await?;
        manager
            .create_index(index(Contracts::Table, Contracts::RegionId))
            .await?;
        // agencies
        manager
            .create_table(
                Table::create()
                    .table(Agencies::Table)
                    .col(big_pk_auto(Agencies::Id))
                    .col(big_integer(Agencies::RegionId))
                    .col(string(Agencies::Name))
                    .col(timestamp_with_time_zone(Agencies::CreatedAt))
                    .foreign_key(&mut fk(Agencies::Table, Agencies::RegionId, Regions::Table))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(unique_index(
                Agencies::Table,
                (Agencies::RegionId, Agencies::Name),
            ))
            .await?;
        // information_systems
        manager
            .create_table(
                Table::create()
                    .table(InformationSystems::Table)
                    .col(big_pk_auto(InformationSystems::Id))
                    .col(big_integer(InformationSystems::RegionId))
                    .col(big_integer(InformationSystems::AgencyId))
                    .col(big_integer(InformationSystems::VendorId))
                    .col(string(InformationSystems::Name))
                    .col(string(InformationSystems::Class))
                    .col(integer(InformationSystems::ProtectionLevel))
                    .col(date(InformationSystems::OnlineOn))
                    .col(date_null(InformationSystems::OfflineOn))
                    .col(timestamp_with_time_zone(InformationSystems::CreatedAt))
                    .foreign_key(&mut fk(
                        InformationSystems::Table,
                        InformationSystems::RegionId,
                        Regions::Table,
                    ))
                    .foreign_key(&mut fk(
                        InformationSystems::Table,
                        InformationSystems::AgencyId,
                        Agencies::Table,
                    ))
                    .foreign_key(&mut fk(
                        InformationSystems::Table,
                        InformationSystems::VendorId,
                        Vendors::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                InformationSystems::Table,
                InformationSystems::VendorId,
            ))
            .await?;
        manager
            .create_index(index(
                InformationSystems::Table,
                InformationSystems::AgencyId,
            ))
            .await?;
        manager
            .create_index(index(
                InformationSystems::Table,
                InformationSystems::RegionId,
            ))
            .await?;
        // users
        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(big_pk_auto(Users::Id))
                    .col(string(Users::Username))
                    .col(string(Users::PasswordHash))
                    .col(string(Users::Role))
                    .col(big_integer_null(Users::RegionId))
                    .col(big_integer_null(Users::VendorId))
                    .col(big_integer_null(Users::AgencyId))
                    .col(boolean(Users::Disabled).default(false))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .col(timestamp_with_time_zone(Users::PasswordChangedAt))
                    .foreign_key(&mut fk(Users::Table, Users::RegionId, Regions::Table))
                    .foreign_key(&mut fk(Users::Table, Users::VendorId, Vendors::Table))
                    .foreign_key(&mut fk(Users::Table, Users::AgencyId, Agencies::Table))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(Users::Table, Users::VendorId))
            .await?;
        manager
            .create_index(index(Users::Table, Users::AgencyId))
            .await?;
        manager
            .create_index(index(Users::Table, Users::RegionId))
            .await?;
        // Named unique indexes (not column constraints) so a violation names its column.
        manager
            .create_index(unique_index(Regions::Table, Regions::Code))
            .await?;
        manager
            .create_index(unique_index(Vendors::Table, Vendors::Code))
            .await?;
        manager
            .create_index(unique_index(Users::Table, Users::Username))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Users::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(InformationSystems::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Agencies::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Contracts::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Vendors::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Regions::Table).to_owned())
            .await?;
        Ok(())
    }
}

/// `regions`
#[derive(DeriveIden, Clone, Copy)]
pub enum Regions {
    Table,
    Id,
    Code,
    Name,
    ParentId,
    SchemeCode,
    ServiceYearStartMonth,
    CreatedAt,
}

/// `vendors`
#[derive(DeriveIden, Clone, Copy)]
pub enum Vendors {
    Table,
    Id,
    Code,
    Name,
    ContactEmails,
    CreatedAt,
}

/// `contracts`
#[derive(DeriveIden, Clone, Copy)]
pub enum Contracts {
    Table,
    Id,
    VendorId,
    RegionId,
    ServiceYear,
    SettlementAmount,
    MonthlyFee,
    CreatedAt,
}

/// `agencies`
#[derive(DeriveIden, Clone, Copy)]
pub enum Agencies {
    Table,
    Id,
    RegionId,
    Name,
    CreatedAt,
}

/// `information_systems`
#[derive(DeriveIden, Clone, Copy)]
pub enum InformationSystems {
    Table,
    Id,
    RegionId,
    AgencyId,
    VendorId,
    Name,
    Class,
    ProtectionLevel,
    OnlineOn,
    OfflineOn,
    CreatedAt,
}

/// `users`
#[derive(DeriveIden, Clone, Copy)]
pub enum Users {
    Table,
    Id,
    Username,
    PasswordHash,
    Role,
    RegionId,
    VendorId,
    AgencyId,
    Disabled,
    CreatedAt,
    PasswordChangedAt,
}
