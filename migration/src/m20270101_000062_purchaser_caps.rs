//! Shanghai's purchaser caps (封顶价, seed 003 §1.1 item 6; spec §6): the most
//! the municipal purchaser of a region pays for a catalogue item in a service
//! period; its use beyond the cap is free. Districts have no rows (no cap).

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{fk, unique_index};
use crate::m20261123_000001_reference_data::{Regions, Users};
use crate::m20261230_000051_catalogue::CatalogueItems;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// `purchaser_caps`
#[derive(DeriveIden, Clone, Copy)]
pub enum PurchaserCaps {
    Table,
    Id,
    RegionId,
    ItemId,
    ServiceYear,
    Amount,
    SetBy,
    SetAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use PurchaserCaps as C;
        manager
            .create_table(
                Table::create()
                    .table(C::Table)
                    .col(big_pk_auto(C::Id))
                    .col(big_integer(C::RegionId))
                    .col(big_integer(C::ItemId))
                    .col(integer(C::ServiceYear))
                    .col(decimal_len(C::Amount, 18, 2))
                    .col(big_integer_null(C::SetBy))
                    .col(timestamp_with_time_zone(C::SetAt))
                    .foreign_key(&mut fk(C::Table, C::RegionId, Regions::Table))
                    .foreign_key(&mut fk(C::Table, C::ItemId, CatalogueItems::Table))
                    .foreign_key(&mut fk(C::Table, C::SetBy, Users::Table))
                    .to_owned(),
            )
            .await?;
        // One cap per region, item and service period: setting it again replaces it.
        manager
            .create_index(unique_index(
                C::Table,
                (C::RegionId, C::ItemId, C::ServiceYear),
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PurchaserCaps::Table).to_owned())
            .await
    }
}
