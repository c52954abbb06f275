//! `complaints`: a complaint received about a vendor.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "complaints")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub region_id: i64,
    pub vendor_id: i64,
    pub agency_id: Option<i64>,
    /// The agency's information system the complaint is about (hosted by the
    /// vendor); `None` on complaints filed against a vendor only.
    pub system_id: Option<i64>,
    pub channel: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    pub received_at: DateTimeUtc,
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
        belongs_to = "super::agency::Entity",
        from = "Column::AgencyId",
        to = "super::agency::Column::Id",
        on_delete = "NoAction"
    )]
    Agency,
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

impl Related<super::agency::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Agency.def()
    }
}

impl Related<super::user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::RecordedBy.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
