//! The unified work order's four parts (issue 16 item 1; seed 001 附件1-3):
//! `work_order_parts` holds one part as the agency filled it (its fields as
//! JSON, one typed form per part in `domain::work_order_parts`), its approval
//! by the supervising body and, once approved, the `work_orders` fact A1
//! assesses (approved_at: the day the vendor receives the part). Work orders
//! recorded before, and those entered as facts, have no part: the scheme's
//! uniform days apply to them as before.
//!
//! `exit_duties`: what part 4 leaves the vendor and the agency to do — the
//! migration help within the contract's days (45 in seed 000, 10 in seed 002)
//! and the two data-erasure confirmations — and the overdue notices issued,
//! once per duty.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{fk, index, unique_index};
use crate::m20261123_000001_reference_data::{
    Agencies, Contracts, InformationSystems, Regions, Users, Vendors,
};
use crate::m20261123_000002_facts::WorkOrders;
use crate::m20261123_000004_runs_notices::Notices;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// `work_order_parts`
#[derive(DeriveIden, Clone, Copy)]
pub enum WorkOrderParts {
    Table,
    Id,
    RegionId,
    VendorId,
    AgencyId,
    SystemId,
    Part,
    Form,
    Status,
    SubmittedBy,
    SubmittedAt,
    DecidedBy,
    DecidedAt,
    DecisionReason,
    WorkOrderId,
    CompletedBy,
}

/// `exit_duties`
#[derive(DeriveIden, Clone, Copy)]
pub enum ExitDuties {
    Table,
    Id,
    PartId,
    RegionId,
    VendorId,
    AgencyId,
    SystemId,
    ContractId,
    MigrationDays,
    ErasureDays,
    ExitOn,
    ErasureDue,
    MigrationRequestedAt,
    MigrationRequestedBy,
    MigrationDue,
    MigrationDoneAt,
    MigrationDoneBy,
    VendorErased,
    VendorErasureAt,
    VendorErasureBy,
    AgencyErased,
    AgencyErasureAt,
    AgencyErasureBy,
    MigrationNoticeId,
    VendorErasureNoticeId,
    AgencyErasureNoticeId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use WorkOrderParts as P;
        manager
            .create_table(
                Table::create()
                    .table(P::Table)
                    .col(big_pk_auto(P::Id))
                    .col(big_integer(P::RegionId))
                    .col(big_integer(P::VendorId))
                    .col(big_integer(P::AgencyId))
                    .col(big_integer(P::SystemId))
                    .col(string(P::Part))
                    .col(text(P::Form))
                    .col(string(P::Status))
                    .col(big_integer(P::SubmittedBy))
                    .col(timestamp_with_time_zone(P::SubmittedAt))
                    .col(big_integer_null(P::DecidedBy))
                    .col(timestamp_with_time_zone_null(P::DecidedAt))
                    .col(text_null(P::DecisionReason))
                    .col(big_integer_null(P::WorkOrderId))
                    .col(big_integer_null(P::CompletedBy))
                    .foreign_key(&mut fk(P::Table, P::RegionId, Regions::Table))
                    .foreign_key(&mut fk(P::Table, P::VendorId, Vendors::Table))
                    .foreign_key(&mut fk(P::Table, P::AgencyId, Agencies::Table))
                    .foreign_key(&mut fk(P::Table, P::SystemId, InformationSystems::Table))
                    .foreign_key(&mut fk(P::Table, P::SubmittedBy, Users::Table))
                    .foreign_key(&mut fk(P::Table, P::DecidedBy, Users::Table))
                    .foreign_key(&mut fk(P::Table, P::WorkOrderId, WorkOrders::Table))
                    .foreign_key(&mut fk(P::Table, P::CompletedBy, Users::Table))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(P::Table, (P::SystemId, P::SubmittedAt)))
            .await?;
        manager
            .create_index(unique_index(P::Table, P::WorkOrderId))
            .await?;
        use ExitDuties as E;
        manager
            .create_table(
                Table::create()
                    .table(E::Table)
                    .col(big_pk_auto(E::Id))
                    .col(big_integer(E::PartId))
                    .col(big_integer(E::RegionId))
                    .col(big_integer(E::VendorId))
                    .col(big_integer(E::AgencyId))
                    .col(big_integer(E::SystemId))
                    .col(big_integer_null(E::ContractId))
                    .col(integer_null(E::MigrationDays))
                    .col(integer(E::ErasureDays))
                    .col(date(E::ExitOn))
                    .col(date(E::ErasureDue))
                    .col(timestamp_with_time_zone_null(E::MigrationRequestedAt))
                    .col(big_integer_null(E::MigrationRequestedBy))
                    .col(date_null(E::MigrationDue))
                    .col(timestamp_with_time_zone_null(E::MigrationDoneAt))
                    .col(big_integer_null(E::MigrationDoneBy))
                    .col(boolean_null(E::VendorErased))
                    .col(timestamp_with_time_zone_null(E::VendorErasureAt))
                    .col(big_integer_null(E::VendorErasureBy))
                    .col(boolean_null(E::AgencyErased))
                    .col(timestamp_with_time_zone_null(E::AgencyErasureAt))
                    .col(big_integer_null(E::AgencyErasureBy))
                    .col(big_integer_null(E::MigrationNoticeId))
                    .col(big_integer_null(E::VendorErasureNoticeId))
                    .col(big_integer_null(E::AgencyErasureNoticeId))
                    .foreign_key(&mut fk(E::Table, E::PartId, P::Table))
                    .foreign_key(&mut fk(E::Table, E::RegionId, Regions::Table))
                    .foreign_key(&mut fk(E::Table, E::VendorId, Vendors::Table))
                    .foreign_key(&mut fk(E::Table, E::AgencyId, Agencies::Table))
                    .foreign_key(&mut fk(E::Table, E::SystemId, InformationSystems::Table))
                    .foreign_key(&mut fk(E::Table, E::ContractId, Contracts::Table))
                    .foreign_key(&mut fk(E::Table, E::MigrationRequestedBy, Users::Table))
                    .foreign_key(&mut fk(E::Table, E::MigrationDoneBy, Users::Table))
                    .foreign_key(&mut fk(E::Table, E::VendorErasureBy, Users::Table))
                    .foreign_key(&mut fk(E::Table, E::AgencyErasureBy, Users::Table))
                    .foreign_key(&mut fk(E::Table, E::MigrationNoticeId, Notices::Table))
                    .foreign_key(&mut fk(E::Table, E::VendorErasureNoticeId, Notices::Table))
                    .foreign_key(&mut fk(E::Table, E::AgencyErasureNoticeId, Notices::Table))
                    .to_owned(),
            )
            .await?;
        // One exit per part 4.
        manager
            .create_index(unique_index(E::Table, E::PartId))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ExitDuties::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(WorkOrderParts::Table).to_owned())
            .await
    }
}
