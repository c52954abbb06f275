//! The price catalogue (服务目录, issue 15 item 1): service items (category,
//! sub-category, item, unit) and each vendor's unit price for an item over a
//! validity period. A catalogue price is the ceiling of a contract's unit
//! price (seed 001 art. 31(3)); prices are revised every 1–2 years
//! (art. 31(4)), so one vendor's item has several prices whose periods do
//! not overlap (checked by the domain, which also names the figures).
//!
//! An item's `code` is the catalogue's 编号 (e.g. `1001`): unique, so the
//! built-in 2018 catalogue (附件1-1) is attached once however often it is
//! asked for.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{fk, index, unique_index};
use crate::m20261123_000001_reference_data::Vendors;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// `catalogue_items`
#[derive(DeriveIden, Clone, Copy)]
pub enum CatalogueItems {
    Table,
    Id,
    Code,
    Category,
    SubCategory,
    Name,
    Unit,
    PriceUnit,
    CreatedAt,
}

/// `catalogue_prices`
#[derive(DeriveIden, Clone, Copy)]
pub enum CataloguePrices {
    Table,
    Id,
    ItemId,
    VendorId,
    UnitPrice,
    ValidFrom,
    ValidTo,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use CatalogueItems as I;
        manager
            .create_table(
                Table::create()
                    .table(I::Table)
                    .col(big_pk_auto(I::Id))
                    .col(string(I::Code))
                    .col(string(I::Category))
                    .col(string(I::SubCategory))
                    .col(text(I::Name))
                    .col(string(I::Unit))
                    .col(string(I::PriceUnit))
                    .col(timestamp_with_time_zone(I::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(unique_index(I::Table, I::Code))
            .await?;
        use CataloguePrices as P;
        manager
            .create_table(
                Table::create()
                    .table(P::Table)
                    .col(big_pk_auto(P::Id))
                    .col(big_integer(P::ItemId))
                    .col(big_integer(P::VendorId))
                    .col(decimal_len(P::UnitPrice, 18, 2))
                    .col(date(P::ValidFrom))
                    .col(date(P::ValidTo))
                    .col(timestamp_with_time_zone(P::CreatedAt))
                    .foreign_key(&mut fk(P::Table, P::ItemId, I::Table))
                    .foreign_key(&mut fk(P::Table, P::VendorId, Vendors::Table))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(P::Table, (P::VendorId, P::ItemId, P::ValidFrom)))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CataloguePrices::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(CatalogueItems::Table).to_owned())
            .await
    }
}
