//! `survey_responses`: an agency's survey answers (`q1`…`q10`) about a vendor for one service year.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "survey_responses")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub region_id: i64,
    pub vendor_id: i64,
    pub agency_id: i64,
    pub service_year: i32,
    pub q1: i32,
    pub q2: i32,
    pub q3: i32,
    pub q4: i32,
    pub q5: i32,
    pub q6: i32,
    pub q7: i32,
    pub q8: i32,
    pub q9: i32,
    pub q10: i32,
    /// The respondent (您的姓名, 所在单位, 联系电话); `None` on rows recorded
    /// before the questionnaire's fields were kept (migration `m20261201_000012`).
    pub respondent_name: Option<String>,
    pub respondent_unit: Option<String>,
    pub respondent_phone: Option<String>,
    /// 调查机构 and 调查人员.
    pub surveying_body: Option<String>,
    pub surveyor: Option<String>,
    /// The questionnaire's date (年 月 日).
    pub surveyed_on: Option<Date>,
    /// 意见和建议.
    #[sea_orm(column_type = "Text")]
    pub suggestions: Option<String>,
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
