//! `faults`: a fault affecting information systems, with its grading and any supervisor override.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "faults")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub region_id: i64,
    pub vendor_id: i64,
    pub title: String,
    #[sea_orm(column_type = "Json")]
    pub affected_system_ids: Json,
    pub impact: String,
    pub occurred_at: DateTimeUtc,
    pub reported_at: Option<DateTimeUtc>,
    pub recovered_at: Option<DateTimeUtc>,
    pub misreported: bool,
    /// The level from the grading table, set whenever the fault is saved.
    pub level: i32,
    /// The row of the grading table that gave `level` (1–27).
    pub grading_row: i32,
    /// The platform the grading counted: every system the vendor hosted on the
    /// day of the fault, in every region. `None`: graded before the count was
    /// kept (migration `m20261201_000011`).
    pub platform_systems: Option<i32>,
    pub level_override: Option<i32>,
    #[sea_orm(column_type = "Text")]
    pub level_override_reason: Option<String>,
    pub confirmed: bool,
    pub vendor_liable: bool,
    pub recorded_by: i64,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::region::Entity",
        from = "Column::RegionId",
        to = "super::region::Column::Id",
        on_delete = "NoAction"
    )]
    Region,
    #[sea_orm(
        belongs_to = "super::vendor::Entity",
        from = "Column::VendorId",
        to = "super::vendor::Column::Id",
        on_delete = "NoAction"
    )]
    Vendor,
    #[sea_orm(
        belongs_to = "super::user::Entity",
        from = "Column::RecordedBy",
        to = "super::user::Column::Id",
        on_delete = "NoAction"
    )]
    RecordedBy,
}

impl Related<super::region::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Region.def()
    }
}

impl Related<super::vendor::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Vendor.def()
    }
}

impl Related<super::user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::RecordedBy.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
