//! `notice_numbers`: the last document number given per region and year.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notice_numbers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub region_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub year: i32,
    pub last_seq: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
