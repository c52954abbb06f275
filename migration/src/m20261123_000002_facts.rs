//! Facts the supervision teams record (docs/data-model.md, "Facts"). Every fact
//! has `region_id`, `vendor_id`, `recorded_by` and `recorded_at`; event facts
//! also `confirmed` and `vendor_liable`.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{fk, index, unique_index};
use crate::m20261123_000001_reference_data::{
    Agencies, InformationSystems, Regions, Users, Vendors,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// An event fact: has `confirmed` and `vendor_liable`.
const EVENT: bool = true;
/// Attendance, trainings and survey responses: no `confirmed`/`vendor_liable`.
const NOT_EVENT: bool = false;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // work_orders
        let mut table = fact_head(WorkOrders::Table);
        table
            .col(big_integer_null(WorkOrders::AgencyId))
            .col(big_integer_null(WorkOrders::SystemId))
            .col(string(WorkOrders::Title))
            .col(timestamp_with_time_zone(WorkOrders::ApprovedAt))
            .col(timestamp_with_time_zone_null(WorkOrders::CompletedAt))
            .col(boolean(WorkOrders::ProvisionedDifferently).default(false))
            .foreign_key(&mut fk(
                WorkOrders::Table,
                WorkOrders::AgencyId,
                Agencies::Table,
            ))
            .foreign_key(&mut fk(
                WorkOrders::Table,
                WorkOrders::SystemId,
                InformationSystems::Table,
            ));
        fact_tail(&mut table, WorkOrders::Table, EVENT);
        manager.create_table(table).await?;
        manager
            .create_index(index(
                WorkOrders::Table,
                (Fact::VendorId, WorkOrders::ApprovedAt),
            ))
            .await?;
        manager
            .create_index(index(
                WorkOrders::Table,
                (Fact::RegionId, WorkOrders::ApprovedAt),
            ))
            .await?;
        manager
            .create_index(index(WorkOrders::Table, WorkOrders::AgencyId))
            .await?;
        manager
            .create_index(index(WorkOrders::Table, WorkOrders::SystemId))
            .await?;
        // unticketed_deliveries
        let mut table = fact_head(UnticketedDeliveries::Table);
        table
            .col(text(UnticketedDeliveries::Description))
            .col(timestamp_with_time_zone(UnticketedDeliveries::OccurredAt))
            .col(boolean(UnticketedDeliveries::Rectified).default(false));
        fact_tail(&mut table, UnticketedDeliveries::Table, EVENT);
        manager.create_table(table).await?;
        manager
            .create_index(index(
                UnticketedDeliveries::Table,
                (Fact::VendorId, UnticketedDeliveries::OccurredAt),
            ))
            .await?;
        manager
            .create_index(index(
                UnticketedDeliveries::Table,
                (Fact::RegionId, UnticketedDeliveries::OccurredAt),
            ))
            .await?;
        // service_tasks
        let mut table = fact_head(ServiceTasks::Table);
        table
            .col(string(ServiceTasks::Title))
            .col(timestamp_with_time_zone(ServiceTasks::PlannedAt))
            .col(timestamp_with_time_zone_null(ServiceTasks::FinishedAt));
        fact_tail(&mut table, ServiceTasks::Table, EVENT);
        manager.create_table(table).await?;
        manager
            .create_index(index(
                ServiceTasks::Table,
                (Fact::VendorId, ServiceTasks::PlannedAt),
            ))
            .await?;
        manager
            .create_index(index(
                ServiceTasks::Table,
                (Fact::RegionId, ServiceTasks::PlannedAt),
            ))
            .await?;
        // attendances
        let mut table = fact_head(Attendances::Table);
        table
            .col(string(Attendances::Period))
            .col(decimal_len(Attendances::RequiredHours, 10, 2))
            .col(decimal_len(Attendances::ActualHours, 10, 2));
        fact_tail(&mut table, Attendances::Table, NOT_EVENT);
        manager.create_table(table).await?;
        manager
            .create_index(unique_index(
                Attendances::Table,
                (Fact::RegionId, Fact::VendorId, Attendances::Period),
            ))
            .await?;
        manager
            .create_index(index(
                Attendances::Table,
                (Fact::VendorId, Attendances::Period),
            ))
            .await?;
        // complaints
        let mut table = fact_head(Complaints::Table);
        table
            .col(big_integer_null(Complaints::AgencyId))
            .col(string(Complaints::Channel))
            .col(text(Complaints::Description))
            .col(timestamp_with_time_zone(Complaints::ReceivedAt))
            .foreign_key(&mut fk(
                Complaints::Table,
                Complaints::AgencyId,
                Agencies::Table,
            ));
        fact_tail(&mut table, Complaints::Table, EVENT);
        manager.create_table(table).await?;
        manager
            .create_index(index(
                Complaints::Table,
                (Fact::VendorId, Complaints::ReceivedAt),
            ))
            .await?;
        manager
            .create_index(index(
                Complaints::Table,
                (Fact::RegionId, Complaints::ReceivedAt),
            ))
            .await?;
        manager
            .create_index(index(Complaints::Table, Complaints::AgencyId))
            .await?;
        // outages
        let mut table = fact_head(Outages::Table);
        table
            .col(string(Outages::Service))
            .col(text(Outages::Description))
            .col(timestamp_with_time_zone(Outages::StartedAt))
            .col(timestamp_with_time_zone_null(Outages::EndedAt));
        fact_tail(&mut table, Outages::Table, EVENT);
        manager.create_table(table).await?;
        manager
            .create_index(index(Outages::Table, (Fact::VendorId, Outages::StartedAt)))
            .await?;
        manager
            .create_index(index(Outages::Table, (Fact::RegionId, Outages::StartedAt)))
            .await?;
        // faults
        let mut table = fact_head(Faults::Table);
        table
            .col(string(Faults::Title))
            .col(json(Faults::AffectedSystemIds))
            .col(string(Faults::Impact))
            .col(timestamp_with_time_zone(Faults::OccurredAt))
            .col(timestamp_with_time_zone_null(Faults::ReportedAt))
            .col(timestamp_with_time_zone_null(Faults::RecoveredAt))
            .col(boolean(Faults::Misreported).default(false))
            .col(integer(Faults::Level))
            .col(integer(Faults::GradingRow))
            .col(integer_null(Faults::LevelOverride))
            .col(text_null(Faults::LevelOverrideReason));
        fact_tail(&mut table, Faults::Table, EVENT);
        manager.create_table(table).await?;
        manager
            .create_index(index(Faults::Table, (Fact::VendorId, Faults::OccurredAt)))
            .await?;
        manager
            .create_index(index(Faults::Table, (Fact::RegionId, Faults::OccurredAt)))
            .await?;
        // changes
        let mut table = fact_head(Changes::Table);
        table
            .col(string(Changes::Title))
            .col(timestamp_with_time_zone_null(Changes::SubmittedAt))
            .col(timestamp_with_time_zone(Changes::PlannedAt))
            .col(timestamp_with_time_zone_null(Changes::ExecutedAt))
            .col(boolean(Changes::Emergency).default(false))
            .col(string(Changes::Outcome));
        fact_tail(&mut table, Changes::Table, EVENT);
        manager.create_table(table).await?;
        manager
            .create_index(index(Changes::Table, (Fact::VendorId, Changes::PlannedAt)))
            .await?;
        manager
            .create_index(index(Changes::Table, (Fact::RegionId, Changes::PlannedAt)))
            .await?;
        // violations
        let mut table = fact_head(Violations::Table);
        table
            .col(text(Violations::Description))
            .col(timestamp_with_time_zone(Violations::OccurredAt));
        fact_tail(&mut table, Violations::Table, EVENT);
        manager.create_table(table).await?;
        manager
            .create_index(index(
                Violations::Table,
                (Fact::VendorId, Violations::OccurredAt),
            ))
            .await?;
        manager
            .create_index(index(
                Violations::Table,
                (Fact::RegionId, Violations::OccurredAt),
            ))
            .await?;
        // trainings
        let mut table = fact_head(Trainings::Table);
        table
            .col(string(Trainings::Title))
            .col(timestamp_with_time_zone(Trainings::HeldAt))
            .col(integer(Trainings::Attendees))
            .col(json(Trainings::Evidence));
        fact_tail(&mut table, Trainings::Table, NOT_EVENT);
        manager.create_table(table).await?;
        manager
            .create_index(index(Trainings::Table, (Fact::VendorId, Trainings::HeldAt)))
            .await?;
        manager
            .create_index(index(Trainings::Table, (Fact::RegionId, Trainings::HeldAt)))
            .await?;
        // security_risks
        let mut table = fact_head(SecurityRisks::Table);
        table
            .col(string(SecurityRisks::Kind))
            .col(text(SecurityRisks::Description))
            .col(timestamp_with_time_zone(SecurityRisks::FoundAt))
            .col(date(SecurityRisks::Deadline))
            .col(timestamp_with_time_zone_null(SecurityRisks::RectifiedAt));
        fact_tail(&mut table, SecurityRisks::Table, EVENT);
        manager.create_table(table).await?;
        manager
            .create_index(index(
                SecurityRisks::Table,
                (Fact::VendorId, SecurityRisks::Deadline),
            ))
            .await?;
        manager
            .create_index(index(
                SecurityRisks::Table,
                (Fact::RegionId, SecurityRisks::Deadline),
            ))
            .await?;
        // security_accidents
        let mut table = fact_head(SecurityAccidents::Table);
        table
            .col(text(SecurityAccidents::Description))
            .col(timestamp_with_time_zone(SecurityAccidents::OccurredAt))
            .col(integer(SecurityAccidents::Level));
        fact_tail(&mut table, SecurityAccidents::Table, EVENT);
        manager.create_table(table).await?;
        manager
            .create_index(index(
                SecurityAccidents::Table,
                (Fact::VendorId, SecurityAccidents::OccurredAt),
            ))
            .await?;
        manager
            .create_index(index(
                SecurityAccidents::Table,
                (Fact::RegionId, SecurityAccidents::OccurredAt),
            ))
            .await?;
        // survey_responses
        let mut table = fact_head(SurveyResponses::Table);
        table
            .col(big_integer(SurveyResponses::AgencyId))
            .col(integer(SurveyResponses::ServiceYear))
            .col(integer(SurveyResponses::Q1))
            .col(integer(SurveyResponses::Q2))
            .col(integer(SurveyResponses::Q3))
            .col(integer(SurveyResponses::Q4))
            .col(integer(SurveyResponses::Q5))
            .col(integer(SurveyResponses::Q6))
            .col(integer(SurveyResponses::Q7))
            .col(integer(SurveyResponses::Q8))
            .col(integer(SurveyResponses::Q9))
            .col(integer(SurveyResponses::Q10))
            .foreign_key(&mut fk(
                SurveyResponses::Table,
                SurveyResponses::AgencyId,
                Agencies::Table,
            ));
        fact_tail(&mut table, SurveyResponses::Table, NOT_EVENT);
        manager.create_table(table).await?;
        manager
            .create_index(index(
                SurveyResponses::Table,
                (Fact::VendorId, SurveyResponses::ServiceYear),
            ))
            .await?;
        manager
            .create_index(index(
                SurveyResponses::Table,
                (Fact::RegionId, SurveyResponses::ServiceYear),
            ))
            .await?;
        manager
            .create_index(index(SurveyResponses::Table, SurveyResponses::AgencyId))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SurveyResponses::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(SecurityAccidents::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(SecurityRisks::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Trainings::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Violations::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Changes::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Faults::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Outages::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Complaints::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Attendances::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ServiceTasks::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(UnticketedDeliveries::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(WorkOrders::Table).to_owned())
            .await?;
        Ok(())
    }
}

/// `id`, `region_id` and `vendor_id` of a fact table, with their foreign keys.
fn fact_head(table: impl IntoIden + Copy) -> TableCreateStatement {
    Table::create()
        .table(table)
        .col(big_pk_auto(Fact::Id))
        .col(big_integer(Fact::RegionId))
        .col(big_integer(Fact::VendorId))
        .foreign_key(&mut fk(table, Fact::RegionId, Regions::Table))
        .foreign_key(&mut fk(table, Fact::VendorId, Vendors::Table))
        .to_owned()
}

/// The columns every fact ends with: `confirmed` and `vendor_liable` (event facts
/// only), `recorded_by` (→ users) and `recorded_at`.
fn fact_tail(stmt: &mut TableCreateStatement, table: impl IntoIden + Copy, event: bool) {
    if event {
        stmt.col(boolean(Fact::Confirmed).default(false))
            .col(boolean(Fact::VendorLiable).default(false));
    }
    stmt.col(big_integer(Fact::RecordedBy))
        .col(timestamp_with_time_zone(Fact::RecordedAt))
        .foreign_key(&mut fk(table, Fact::RecordedBy, Users::Table));
}

/// The columns all fact tables share.
#[derive(DeriveIden, Clone, Copy)]
enum Fact {
    Id,
    RegionId,
    VendorId,
    Confirmed,
    VendorLiable,
    RecordedBy,
    RecordedAt,
}

/// `work_orders`
#[derive(DeriveIden, Clone, Copy)]
pub enum WorkOrders {
    Table,
    AgencyId,
    SystemId,
    Title,
    ApprovedAt,
    CompletedAt,
    ProvisionedDifferently,
}

/// `unticketed_deliveries`
#[derive(DeriveIden, Clone, Copy)]
pub enum UnticketedDeliveries {
    Table,
    Description,
    OccurredAt,
    Rectified,
}

/// `service_tasks`
#[derive(DeriveIden, Clone, Copy)]
pub enum ServiceTasks {
    Table,
    Title,
    PlannedAt,
    FinishedAt,
}

/// `attendances`
#[derive(DeriveIden, Clone, Copy)]
pub enum Attendances {
    Table,
    Period,
    RequiredHours,
    ActualHours,
}

/// `complaints`
#[derive(DeriveIden, Clone, Copy)]
pub enum Complaints {
    Table,
    AgencyId,
    Channel,
    Description,
    ReceivedAt,
}

/// `outages`
#[derive(DeriveIden, Clone, Copy)]
pub enum Outages {
    Table,
    Service,
    Description,
    StartedAt,
    EndedAt,
}

/// `faults`
#[derive(DeriveIden, Clone, Copy)]
pub enum Faults {
    Table,
    Title,
    AffectedSystemIds,
    Impact,
    OccurredAt,
    ReportedAt,
    RecoveredAt,
    Misreported,
    Level,
    GradingRow,
    LevelOverride,
    LevelOverrideReason,
}

/// `changes`
#[derive(DeriveIden, Clone, Copy)]
pub enum Changes {
    Table,
    Title,
    SubmittedAt,
    PlannedAt,
    ExecutedAt,
    Emergency,
    Outcome,
}

/// `violations`
#[derive(DeriveIden, Clone, Copy)]
pub enum Violations {
    Table,
    Description,
    OccurredAt,
}

/// `trainings`
#[derive(DeriveIden, Clone, Copy)]
pub enum Trainings {
    Table,
    Title,
    HeldAt,
    Attendees,
    Evidence,
}

/// `security_risks`
#[derive(DeriveIden, Clone, Copy)]
pub enum SecurityRisks {
    Table,
    Kind,
    Description,
    FoundAt,
    Deadline,
    RectifiedAt,
}

/// `security_accidents`
#[derive(DeriveIden, Clone, Copy)]
pub enum SecurityAccidents {
    Table,
    Description,
    OccurredAt,
    Level,
}

/// `survey_responses`
#[derive(DeriveIden, Clone, Copy)]
pub enum SurveyResponses {
    Table,
    AgencyId,
    ServiceYear,
    Q1,
    Q2,
    Q3,
    Q4,
    Q5,
    Q6,
    Q7,
    Q8,
    Q9,
    Q10,
}
