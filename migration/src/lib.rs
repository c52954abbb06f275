//! Schema migrations of the data model (docs/data-model.md), identical on SQLite
//! and PostgreSQL.

pub use sea_orm_migration::prelude::*;

mod common;
mod m20261123_000001_reference_data;
mod m20261123_000002_facts;
mod m20261123_000003_schemes_calendar;
mod m20261123_000004_runs_notices;
mod m20261123_000005_audit;
mod m20261123_000006_run_figures;
mod m20261201_000001_run_warnings;
mod m20261201_000010_delivery_rectified_at;
mod m20261201_000011_fault_platform;
mod m20261201_000012_survey_respondent;
mod m20261201_000020_tokens_valid_after;
mod m20261201_000030_notice_numbers;
mod m20261210_000040_notice_attachments;
mod m20261210_000041_complaint_system;
mod m20261220_000042_fact_imports;
mod m20261220_000043_disputes;
mod m20261230_000050_contract_terms;
mod m20261230_000051_catalogue;
mod m20261230_000052_contract_lines;
mod m20261230_000053_contract_scope;
mod m20261230_000054_breach_register;
mod m20270101_000060_quotas_metering;
mod m20270101_000062_purchaser_caps;
mod m20270101_000063_work_order_parts;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_reference_data::Migration),
            Box::new(m20261123_000002_facts::Migration),
            Box::new(m20261123_000003_schemes_calendar::Migration),
            Box::new(m20261123_000004_runs_notices::Migration),
            Box::new(m20261123_000005_audit::Migration),
            Box::new(m20261123_000006_run_figures::Migration),
            Box::new(m20261201_000001_run_warnings::Migration),
            Box::new(m20261201_000010_delivery_rectified_at::Migration),
            Box::new(m20261201_000011_fault_platform::Migration),
            Box::new(m20261201_000012_survey_respondent::Migration),
            Box::new(m20261201_000020_tokens_valid_after::Migration),
            Box::new(m20261201_000030_notice_numbers::Migration),
            Box::new(m20261210_000040_notice_attachments::Migration),
            Box::new(m20261210_000041_complaint_system::Migration),
            Box::new(m20261220_000042_fact_imports::Migration),
            Box::new(m20261220_000043_disputes::Migration),
            Box::new(m20261230_000050_contract_terms::Migration),
            Box::new(m20261230_000051_catalogue::Migration),
            Box::new(m20261230_000052_contract_lines::Migration),
            Box::new(m20261230_000053_contract_scope::Migration),
            Box::new(m20261230_000054_breach_register::Migration),
            Box::new(m20270101_000060_quotas_metering::Migration),
            Box::new(m20270101_000062_purchaser_caps::Migration),
            Box::new(m20270101_000063_work_order_parts::Migration),
        ]
    }
}
