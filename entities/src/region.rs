//! `regions`: a region (a municipality or one of its districts) with its assessment scheme.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "regions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    pub parent_id: Option<i64>,
    pub scheme_code: String,
    pub service_year_start_month: i32,
    pub created_at: DateTimeUtc,
    /// The notices' document number prefix, e.g. `沪政云监`; `None`: derived
    /// from the name ([`Model::notice_prefix`]).
    pub notice_prefix: Option<String>,
    /// The supervision contact named in the notices' mail (name and phone or
    /// e-mail); `None`: the mail names the region.
    #[sea_orm(column_type = "Text")]
    pub contact: Option<String>,
    /// The contract terms its contracts are charged under unless a contract
    /// names its own; `None`: no breach terms (no breach register).
    pub terms_code: Option<String>,
}

impl Model {
    /// The prefix of the region's notice numbers: the one set, else the name
    /// without its trailing 市/区/县/省 and `政云监` (`上海市` → `上海政云监`).
    pub fn notice_prefix(&self) -> String {
        if let Some(p) = self
            .notice_prefix
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            return p.to_owned();
        }
        let base = self
            .name
            .strip_suffix(['市', '区', '县', '省'])
            .filter(|b| !b.is_empty())
            .unwrap_or(&self.name);
        format!("{base}政云监")
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "Entity",
        from = "Column::ParentId",
        to = "Column::Id",
        on_delete = "NoAction"
    )]
    Parent,
}

impl ActiveModelBehavior for ActiveModel {}
