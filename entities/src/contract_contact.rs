//! `contract_contacts`: a person named in a contract (联系人): which party
//! (vendor, agency, supervisor), the role, how to reach them.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "contract_contacts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub contract_id: i64,
    pub position: i32,
    pub party: ContactParty,
    pub role: String,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ContactParty {
    /// 乙方: the vendor.
    #[sea_orm(string_value = "VENDOR")]
    Vendor,
    /// 甲方: the agency.
    #[sea_orm(string_value = "AGENCY")]
    Agency,
    /// The supervising body.
    #[sea_orm(string_value = "SUPERVISOR")]
    Supervisor,
}
