//! `exit_duties`: what an approved part 4 (信息系统退出) leaves to do — the
//! vendor's migration help within the contract's days after the agency asks
//! for it, and the vendor's and the agency's data-erasure confirmations —
//! with the overdue notices issued, one per duty.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "exit_duties")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The approved part 4.
    pub part_id: i64,
    pub region_id: i64,
    pub vendor_id: i64,
    pub agency_id: i64,
    pub system_id: i64,
    /// The contract whose terms gave the days.
    pub contract_id: Option<i64>,
    /// Calendar days for the migration help (45 SLA, 10 lease); `None` when
    /// the contract's terms set none (no migration duty can be requested).
    pub migration_days: Option<i32>,
    /// Calendar days after the exit date for the erasure confirmations.
    pub erasure_days: i32,
    /// 退出日期 on part 4.
    pub exit_on: Date,
    pub erasure_due: Date,
    pub migration_requested_at: Option<DateTimeUtc>,
    pub migration_requested_by: Option<i64>,
    pub migration_due: Option<Date>,
    pub migration_done_at: Option<DateTimeUtc>,
    pub migration_done_by: Option<i64>,
    /// 清除与否 as the vendor confirmed it.
    pub vendor_erased: Option<bool>,
    pub vendor_erasure_at: Option<DateTimeUtc>,
    pub vendor_erasure_by: Option<i64>,
    pub agency_erased: Option<bool>,
    pub agency_erasure_at: Option<DateTimeUtc>,
    pub agency_erasure_by: Option<i64>,
    pub migration_notice_id: Option<i64>,
    pub vendor_erasure_notice_id: Option<i64>,
    pub agency_erasure_notice_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
