//! `users`: a platform user; `role` decides which of the bindings is set.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub username: String,
    pub password_hash: String,
    pub role: String,
    pub region_id: Option<i64>,
    pub vendor_id: Option<i64>,
    pub agency_id: Option<i64>,
    pub disabled: bool,
    pub created_at: DateTimeUtc,
    pub password_changed_at: DateTimeUtc,
    /// Set when the user is disabled: tokens issued before it stay dead after
    /// the user is enabled again (a token carries the value it was issued under).
    pub tokens_valid_after: Option<DateTimeUtc>,
    /// Where the user's mail goes (supervisors: a vendor's submitted
    /// rectification); `None`: no mail.
    pub email: Option<String>,
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

impl ActiveModelBehavior for ActiveModel {}
