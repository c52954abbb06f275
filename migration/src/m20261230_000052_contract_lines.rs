//! Contracts as they are signed (issue 15 item 2): the day of signing and the
//! term (first and last day of service), the line items whose sum is the
//! contract amount, the supplementary agreements (together at most 10 % of
//! the amount) and the payment instalments (percentages summing to 100 %).
//!
//! The amount stays in `contracts.settlement_amount`: a contract with lines
//! has it written as their sum; one without (every contract before this
//! migration) keeps the amount entered, so existing regions keep working.
//! The new contract columns are NULL on old rows. No foreign keys on the
//! added columns (SQLite cannot add one to an existing table); the new
//! tables have theirs.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{fk, index};
use crate::m20261123_000001_reference_data::Contracts;
use crate::m20261230_000051_catalogue::CatalogueItems;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Contract {
    SignedOn,
    TermStart,
    TermEnd,
}

/// `contract_lines`
#[derive(DeriveIden, Clone, Copy)]
pub enum ContractLines {
    Table,
    Id,
    ContractId,
    Position,
    ItemId,
    Description,
    Unit,
    UnitPrice,
    Quantity,
    Months,
    LineTotal,
    CataloguePrice,
    NeedsReview,
}

/// `contract_supplements`
#[derive(DeriveIden, Clone, Copy)]
pub enum ContractSupplements {
    Table,
    Id,
    ContractId,
    SignedOn,
    Amount,
    Description,
    CreatedAt,
}

/// `contract_instalments`
#[derive(DeriveIden, Clone, Copy)]
pub enum ContractInstalments {
    Table,
    Id,
    ContractId,
    Position,
    Percent,
    Condition,
    Amount,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one at a time.
        for column in [Contract::SignedOn, Contract::TermStart, Contract::TermEnd] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Contracts::Table)
                        .add_column(date_null(column))
                        .to_owned(),
                )
                .await?;
        }
        use ContractLines as L;
        manager
            .create_table(
                Table::create()
                    .table(L::Table)
                    .col(big_pk_auto(L::Id))
                    .col(big_integer(L::ContractId))
                    .col(integer(L::Position))
                    .col(big_integer_null(L::ItemId))
                    .col(text(L::Description))
                    .col(string(L::Unit))
                    .col(decimal_len(L::UnitPrice, 18, 2))
                    .col(decimal_len(L::Quantity, 18, 2))
                    .col(integer(L::Months))
                    .col(decimal_len(L::LineTotal, 18, 2))
                    .col(decimal_len_null(L::CataloguePrice, 18, 2))
                    .col(boolean(L::NeedsReview))
                    .foreign_key(&mut fk(L::Table, L::ContractId, Contracts::Table))
                    .foreign_key(&mut fk(L::Table, L::ItemId, CatalogueItems::Table))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(L::Table, (L::ContractId, L::Position)))
            .await?;
        use ContractSupplements as S;
        manager
            .create_table(
                Table::create()
                    .table(S::Table)
                    .col(big_pk_auto(S::Id))
                    .col(big_integer(S::ContractId))
                    .col(date(S::SignedOn))
                    .col(decimal_len(S::Amount, 18, 2))
                    .col(text(S::Description))
                    .col(timestamp_with_time_zone(S::CreatedAt))
                    .foreign_key(&mut fk(S::Table, S::ContractId, Contracts::Table))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index(S::Table, S::ContractId)).await?;
        use ContractInstalments as I;
        manager
            .create_table(
                Table::create()
                    .table(I::Table)
                    .col(big_pk_auto(I::Id))
                    .col(big_integer(I::ContractId))
                    .col(integer(I::Position))
                    .col(decimal_len(I::Percent, 5, 2))
                    .col(text(I::Condition))
                    .col(decimal_len(I::Amount, 18, 2))
                    .foreign_key(&mut fk(I::Table, I::ContractId, Contracts::Table))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(I::Table, (I::ContractId, I::Position)))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ContractInstalments::Table.into_iden(),
            ContractSupplements::Table.into_iden(),
            ContractLines::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        for column in [Contract::TermEnd, Contract::TermStart, Contract::SignedOn] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Contracts::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
