//! `audit_entries`: who changed what, when and from where, with the changed
//! fields before and after. Inserted in the same transaction as the change and
//! never updated or deleted (the API has no mutation for it).

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "audit_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub at: DateTimeUtc,
    pub user_id: i64,
    pub username: String,
    pub role: String,
    /// The region the target belongs to (how supervisors' reading is scoped).
    pub region_id: Option<i64>,
    pub vendor_id: Option<i64>,
    /// The GraphQL mutation, e.g. `createWorkOrder`.
    pub operation: String,
    pub target_type: String,
    pub target_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub client_addr: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub request_id: Option<String>,
    #[sea_orm(column_type = "Json")]
    pub before: Option<Json>,
    #[sea_orm(column_type = "Json")]
    pub after: Option<Json>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
