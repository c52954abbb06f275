//! A system's cloud resources and what they cost (issue 16, spec §6; seed 004
//! §5–8): quotas per catalogue item (the district's 资源申请表) approved and
//! delivered, their changes (资源变更申请表: expansion up to 120 % of the quota,
//! reclaiming), test resources with their free period, the monthly usage
//! metered per system and item, and the closing of a service year's metering,
//! which fixes each vendor's metered amount (the settlement amount the annual
//! penalty tier applies to).

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{fk, index, unique_index};
use crate::m20261123_000001_reference_data::{
    Agencies, InformationSystems, Regions, Users, Vendors,
};
use crate::m20261230_000051_catalogue::CatalogueItems;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// `quotas`
#[derive(DeriveIden, Clone, Copy)]
pub enum Quotas {
    Table,
    Id,
    RegionId,
    AgencyId,
    SystemId,
    VendorId,
    ItemId,
    Quantity,
    Status,
    IsTest,
    TestMonths,
    AppliedAt,
    AppliedBy,
    ApprovedBy,
    ApprovedAt,
    AgreementOn,
    DeliveredOn,
    Note,
    CreatedAt,
}

/// `quota_changes`
#[derive(DeriveIden, Clone, Copy)]
pub enum QuotaChanges {
    Table,
    Id,
    QuotaId,
    Kind,
    Quantity,
    Status,
    Reason,
    RequestedBy,
    RequestedAt,
    DecidedBy,
    DecidedAt,
    DecisionReason,
}

/// `usage_records`
#[derive(DeriveIden, Clone, Copy)]
pub enum UsageRecords {
    Table,
    Id,
    RegionId,
    VendorId,
    AgencyId,
    SystemId,
    ItemId,
    Month,
    Quantity,
    BeyondApproved,
    Source,
    CreatedBy,
    CreatedAt,
}

/// `metering_closes`
#[derive(DeriveIden, Clone, Copy)]
pub enum MeteringCloses {
    Table,
    Id,
    RegionId,
    ServiceYear,
    ClosedBy,
    ClosedAt,
}

/// `metered_amounts`
#[derive(DeriveIden, Clone, Copy)]
pub enum MeteredAmounts {
    Table,
    Id,
    CloseId,
    RegionId,
    VendorId,
    ServiceYear,
    Amount,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        quotas(manager).await?;
        quota_changes(manager).await?;
        usage_records(manager).await?;
        closes(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            MeteredAmounts::Table.into_iden(),
            MeteringCloses::Table.into_iden(),
            UsageRecords::Table.into_iden(),
            QuotaChanges::Table.into_iden(),
            Quotas::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

async fn quotas(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    use Quotas as Q;
    manager
        .create_table(
            Table::create()
                .table(Q::Table)
                .col(big_pk_auto(Q::Id))
                .col(big_integer(Q::RegionId))
                .col(big_integer(Q::AgencyId))
                .col(big_integer(Q::SystemId))
                .col(big_integer(Q::VendorId))
                .col(big_integer(Q::ItemId))
                .col(decimal_len(Q::Quantity, 18, 2))
                .col(string(Q::Status))
                .col(boolean(Q::IsTest))
                .col(integer_null(Q::TestMonths))
                .col(timestamp_with_time_zone(Q::AppliedAt))
                .col(big_integer_null(Q::AppliedBy))
                .col(big_integer_null(Q::ApprovedBy))
                .col(timestamp_with_time_zone_null(Q::ApprovedAt))
                .col(date_null(Q::AgreementOn))
                .col(date_null(Q::DeliveredOn))
                .col(text_null(Q::Note))
                .col(timestamp_with_time_zone(Q::CreatedAt))
                .foreign_key(&mut fk(Q::Table, Q::RegionId, Regions::Table))
                .foreign_key(&mut fk(Q::Table, Q::AgencyId, Agencies::Table))
                .foreign_key(&mut fk(Q::Table, Q::SystemId, InformationSystems::Table))
                .foreign_key(&mut fk(Q::Table, Q::VendorId, Vendors::Table))
                .foreign_key(&mut fk(Q::Table, Q::ItemId, CatalogueItems::Table))
                .foreign_key(&mut fk(Q::Table, Q::AppliedBy, Users::Table))
                .foreign_key(&mut fk(Q::Table, Q::ApprovedBy, Users::Table))
                .to_owned(),
        )
        .await?;
    manager
        .create_index(index(Q::Table, (Q::SystemId, Q::ItemId)))
        .await?;
    manager
        .create_index(index(Q::Table, (Q::RegionId, Q::VendorId)))
        .await
}

async fn quota_changes(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    use QuotaChanges as C;
    manager
        .create_table(
            Table::create()
                .table(C::Table)
                .col(big_pk_auto(C::Id))
                .col(big_integer(C::QuotaId))
                .col(string(C::Kind))
                .col(decimal_len(C::Quantity, 18, 2))
                .col(string(C::Status))
                .col(text(C::Reason))
                .col(big_integer_null(C::RequestedBy))
                .col(timestamp_with_time_zone(C::RequestedAt))
                .col(big_integer_null(C::DecidedBy))
                .col(timestamp_with_time_zone_null(C::DecidedAt))
                .col(text_null(C::DecisionReason))
                .foreign_key(&mut fk(C::Table, C::QuotaId, Quotas::Table))
                .foreign_key(&mut fk(C::Table, C::RequestedBy, Users::Table))
                .foreign_key(&mut fk(C::Table, C::DecidedBy, Users::Table))
                .to_owned(),
        )
        .await?;
    manager.create_index(index(C::Table, C::QuotaId)).await
}

async fn usage_records(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    use UsageRecords as U;
    manager
        .create_table(
            Table::create()
                .table(U::Table)
                .col(big_pk_auto(U::Id))
                .col(big_integer(U::RegionId))
                .col(big_integer(U::VendorId))
                .col(big_integer(U::AgencyId))
                .col(big_integer(U::SystemId))
                .col(big_integer(U::ItemId))
                .col(string(U::Month))
                .col(decimal_len(U::Quantity, 18, 2))
                .col(boolean(U::BeyondApproved))
                .col(string(U::Source))
                .col(big_integer_null(U::CreatedBy))
                .col(timestamp_with_time_zone(U::CreatedAt))
                .foreign_key(&mut fk(U::Table, U::RegionId, Regions::Table))
                .foreign_key(&mut fk(U::Table, U::VendorId, Vendors::Table))
                .foreign_key(&mut fk(U::Table, U::AgencyId, Agencies::Table))
                .foreign_key(&mut fk(U::Table, U::SystemId, InformationSystems::Table))
                .foreign_key(&mut fk(U::Table, U::ItemId, CatalogueItems::Table))
                .foreign_key(&mut fk(U::Table, U::CreatedBy, Users::Table))
                .to_owned(),
        )
        .await?;
    // One figure per system, item and month: a re-import replaces, never adds.
    manager
        .create_index(unique_index(U::Table, (U::SystemId, U::ItemId, U::Month)))
        .await?;
    manager
        .create_index(index(U::Table, (U::RegionId, U::Month)))
        .await
}

async fn closes(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    use MeteringCloses as M;
    manager
        .create_table(
            Table::create()
                .table(M::Table)
                .col(big_pk_auto(M::Id))
                .col(big_integer(M::RegionId))
                .col(integer(M::ServiceYear))
                .col(big_integer_null(M::ClosedBy))
                .col(timestamp_with_time_zone(M::ClosedAt))
                .foreign_key(&mut fk(M::Table, M::RegionId, Regions::Table))
                .foreign_key(&mut fk(M::Table, M::ClosedBy, Users::Table))
                .to_owned(),
        )
        .await?;
    manager
        .create_index(unique_index(M::Table, (M::RegionId, M::ServiceYear)))
        .await?;
    use MeteredAmounts as A;
    manager
        .create_table(
            Table::create()
                .table(A::Table)
                .col(big_pk_auto(A::Id))
                .col(big_integer(A::CloseId))
                .col(big_integer(A::RegionId))
                .col(big_integer(A::VendorId))
                .col(integer(A::ServiceYear))
                .col(decimal_len(A::Amount, 18, 2))
                .foreign_key(&mut fk(A::Table, A::CloseId, MeteringCloses::Table))
                .foreign_key(&mut fk(A::Table, A::RegionId, Regions::Table))
                .foreign_key(&mut fk(A::Table, A::VendorId, Vendors::Table))
                .to_owned(),
        )
        .await?;
    manager
        .create_index(unique_index(
            A::Table,
            (A::RegionId, A::VendorId, A::ServiceYear),
        ))
        .await
}
