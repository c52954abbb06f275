//! What a contract covers and which terms govern it (issue 15 items 2–3): its
//! agency (使用单位), the information systems it covers with each one's share
//! of the amount (a system's monthly fee = its share / service months), its
//! contacts, the terms it is charged under (a region names the default terms
//! of its contracts), and the day each instalment was paid.
//!
//! Columns added to existing tables are nullable with no foreign key (SQLite
//! cannot add one); the new tables have theirs.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{fk, index, unique_index};
use crate::m20261123_000001_reference_data::{Contracts, InformationSystems, Regions};
use crate::m20261230_000052_contract_lines::ContractInstalments;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Contract {
    AgencyId,
    TermsCode,
    TermsVersion,
}

#[derive(DeriveIden, Clone, Copy)]
enum Region {
    TermsCode,
}

#[derive(DeriveIden, Clone, Copy)]
enum Instalment {
    PaidOn,
}

/// `contract_systems`
#[derive(DeriveIden, Clone, Copy)]
pub enum ContractSystems {
    Table,
    Id,
    ContractId,
    SystemId,
    Share,
}

/// `contract_contacts`
#[derive(DeriveIden, Clone, Copy)]
pub enum ContractContacts {
    Table,
    Id,
    ContractId,
    Position,
    Party,
    Role,
    Name,
    Phone,
    Email,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one at a time.
        let add = |table: DynIden, column: ColumnDef| {
            Table::alter().table(table).add_column(column).to_owned()
        };
        manager
            .alter_table(add(
                Contracts::Table.into_iden(),
                big_integer_null(Contract::AgencyId),
            ))
            .await?;
        manager
            .alter_table(add(
                Contracts::Table.into_iden(),
                string_null(Contract::TermsCode),
            ))
            .await?;
        manager
            .alter_table(add(
                Contracts::Table.into_iden(),
                integer_null(Contract::TermsVersion),
            ))
            .await?;
        manager
            .alter_table(add(
                Regions::Table.into_iden(),
                string_null(Region::TermsCode),
            ))
            .await?;
        manager
            .alter_table(add(
                ContractInstalments::Table.into_iden(),
                date_null(Instalment::PaidOn),
            ))
            .await?;
        use ContractSystems as S;
        manager
            .create_table(
                Table::create()
                    .table(S::Table)
                    .col(big_pk_auto(S::Id))
                    .col(big_integer(S::ContractId))
                    .col(big_integer(S::SystemId))
                    .col(decimal_len_null(S::Share, 18, 2))
                    .foreign_key(&mut fk(S::Table, S::ContractId, Contracts::Table))
                    .foreign_key(&mut fk(S::Table, S::SystemId, InformationSystems::Table))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(unique_index(S::Table, (S::ContractId, S::SystemId)))
            .await?;
        manager.create_index(index(S::Table, S::SystemId)).await?;
        use ContractContacts as C;
        manager
            .create_table(
                Table::create()
                    .table(C::Table)
                    .col(big_pk_auto(C::Id))
                    .col(big_integer(C::ContractId))
                    .col(integer(C::Position))
                    .col(string(C::Party))
                    .col(string(C::Role))
                    .col(string(C::Name))
                    .col(string_null(C::Phone))
                    .col(string_null(C::Email))
                    .foreign_key(&mut fk(C::Table, C::ContractId, Contracts::Table))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(C::Table, (C::ContractId, C::Position)))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ContractContacts::Table.into_iden(),
            ContractSystems::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        let drop = |table: DynIden, column: DynIden| {
            Table::alter().table(table).drop_column(column).to_owned()
        };
        manager
            .alter_table(drop(
                ContractInstalments::Table.into_iden(),
                Instalment::PaidOn.into_iden(),
            ))
            .await?;
        manager
            .alter_table(drop(
                Regions::Table.into_iden(),
                Region::TermsCode.into_iden(),
            ))
            .await?;
        for column in [
            Contract::TermsVersion,
            Contract::TermsCode,
            Contract::AgencyId,
        ] {
            manager
                .alter_table(drop(Contracts::Table.into_iden(), column.into_iden()))
                .await?;
        }
        Ok(())
    }
}
