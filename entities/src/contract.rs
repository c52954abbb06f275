//! `contracts`: a vendor's contract with a region for one service year;
//! `settlement_amount` is the contract amount: its lines' sum when it has
//! lines (`contract_lines`), else the amount entered.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "contracts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub vendor_id: i64,
    pub region_id: i64,
    pub service_year: i32,
    #[sea_orm(column_type = "Decimal(Some((18, 2)))")]
    pub settlement_amount: Decimal,
    #[sea_orm(column_type = "Decimal(Some((18, 2)))")]
    pub monthly_fee: Decimal,
    /// The day the contract was signed (its catalogue prices are those in
    /// force that day); NULL for a contract entered before line items.
    pub signed_on: Option<Date>,
    /// The first and last day of service.
    pub term_start: Option<Date>,
    pub term_end: Option<Date>,
    pub created_at: DateTimeUtc,
    /// The agency (使用单位) that signed; `None` for a region-wide contract.
    pub agency_id: Option<i64>,
    /// The terms it is charged under; `None`: the region's (`regions.terms_code`).
    pub terms_code: Option<String>,
    /// `None`: the latest version of `terms_code`.
    pub terms_version: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::vendor::Entity",
        from = "Column::VendorId",
        to = "super::vendor::Column::Id",
        on_delete = "NoAction"
    )]
    Vendor,
    #[sea_orm(
        belongs_to = "super::region::Entity",
        from = "Column::RegionId",
        to = "super::region::Column::Id",
        on_delete = "NoAction"
    )]
    Region,
}

impl Related<super::vendor::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Vendor.def()
    }
}

impl Related<super::region::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Region.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
