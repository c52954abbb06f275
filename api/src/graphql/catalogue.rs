//! The price catalogue (服务目录): service items and each vendor's unit price
//! over a validity period, written by administrators; items read by every
//! signed-in user, prices by supervisors and by each vendor for itself.
//! Seed 001's 2018 table is built in and attached to a vendor on request
//! (`attachBuiltInCatalogue`).

use async_graphql::{ComplexObject, Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use rust_decimal::Decimal;

use super::nested::id;
use crate::error::{DomainResult, GqlResult};
use crate::graphql::crud::{self, FromInput};
use domain::actor::Actor;
use domain::catalogue::builtin;
use domain::period::local;
use domain::validate;

pub use domain::catalogue::{CatalogueItems, CataloguePrices};

/// A service item of the catalogue.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct CatalogueItem {
    pub id: ID,
    /// 编号, e.g. `1001`.
    pub code: String,
    /// 服务类别
    pub category: String,
    /// 服务子类
    pub sub_category: String,
    /// 服务项
    pub name: String,
    /// 计价单位, e.g. `1 GB`.
    pub unit: String,
    /// 报价单位, e.g. `元/月`.
    pub price_unit: String,
    pub created_at: DateTime<FixedOffset>,
}

impl From<entities::catalogue_item::Model> for CatalogueItem {
    fn from(m: entities::catalogue_item::Model) -> Self {
        Self {
            id: id(m.id),
            code: m.code,
            category: m.category,
            sub_category: m.sub_category,
            name: m.name,
            unit: m.unit,
            price_unit: m.price_unit,
            created_at: local(m.created_at),
        }
    }
}

#[ComplexObject]
impl CatalogueItem {
    /// The item's prices the caller may read (a vendor: its own), oldest
    /// period first within each vendor.
    async fn prices(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<CataloguePrice>> {
        let item_id = crud::parse_id("id", &self.id).gql()?;
        let found = super::nested::rows(ctx)?
            .load_one(PricesOf(item_id))
            .await?
            .unwrap_or_default();
        Ok(found.into_iter().map(CataloguePrice::from).collect())
    }
}

/// The batch loader's key of an item's prices: a list of items costs one
/// query for all their prices.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PricesOf(pub i64);

impl async_graphql::dataloader::Loader<PricesOf> for super::nested::Rows {
    type Value = Vec<entities::catalogue_price::Model>;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[PricesOf],
    ) -> Result<std::collections::HashMap<PricesOf, Self::Value>, Self::Error> {
        let ids = keys.iter().map(|k| k.0).collect();
        let found = domain::catalogue::prices_of(&self.state.db, &self.actor, ids)
            .await
            .gql()?;
        Ok(found.into_iter().map(|(k, v)| (PricesOf(k), v)).collect())
    }
}

/// One vendor's unit price of an item, in force from `validFrom` to
/// `validTo` (both days included).
#[derive(SimpleObject)]
pub struct CataloguePrice {
    pub id: ID,
    pub item_id: ID,
    pub vendor_id: ID,
    /// In yuan, two decimals.
    pub unit_price: Decimal,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    pub created_at: DateTime<FixedOffset>,
}

impl From<entities::catalogue_price::Model> for CataloguePrice {
    fn from(m: entities::catalogue_price::Model) -> Self {
        Self {
            id: id(m.id),
            item_id: id(m.item_id),
            vendor_id: id(m.vendor_id),
            // SQLite hands decimals back through f64: restore the fen scale.
            unit_price: engine::two_dp(m.unit_price),
            valid_from: m.valid_from,
            valid_to: m.valid_to,
            created_at: local(m.created_at),
        }
    }
}

#[derive(InputObject)]
pub struct CreateCatalogueItemInput {
    pub code: String,
    pub category: String,
    pub sub_category: String,
    pub name: String,
    pub unit: String,
    pub price_unit: String,
}

#[derive(InputObject)]
pub struct UpdateCatalogueItemInput {
    pub code: Option<String>,
    pub category: Option<String>,
    pub sub_category: Option<String>,
    pub name: Option<String>,
    pub unit: Option<String>,
    pub price_unit: Option<String>,
}

fn short(field: &str, value: String) -> DomainResult<String> {
    validate::text(field, value, 200)
}

impl FromInput for CatalogueItems {
    type Create = CreateCatalogueItemInput;
    type Update = UpdateCatalogueItemInput;

    fn build(
        input: CreateCatalogueItemInput,
        _actor: &Actor,
        now: DateTime<Utc>,
    ) -> DomainResult<entities::catalogue_item::Model> {
        Ok(entities::catalogue_item::Model {
            id: 0,
            code: validate::text("input.code", input.code, 40)?,
            category: short("input.category", input.category)?,
            sub_category: short("input.subCategory", input.sub_category)?,
            name: validate::text("input.name", input.name, 1000)?,
            unit: short("input.unit", input.unit)?,
            price_unit: short("input.priceUnit", input.price_unit)?,
            created_at: now,
        })
    }

    fn patch(
        row: &mut entities::catalogue_item::Model,
        input: UpdateCatalogueItemInput,
    ) -> DomainResult<()> {
        if let Some(v) = input.code {
            row.code = validate::text("input.code", v, 40)?;
        }
        if let Some(v) = input.category {
            row.category = short("input.category", v)?;
        }
        if let Some(v) = input.sub_category {
            row.sub_category = short("input.subCategory", v)?;
        }
        if let Some(v) = input.name {
            row.name = validate::text("input.name", v, 1000)?;
        }
        if let Some(v) = input.unit {
            row.unit = short("input.unit", v)?;
        }
        if let Some(v) = input.price_unit {
            row.price_unit = short("input.priceUnit", v)?;
        }
        Ok(())
    }
}

crud_api!(resource: CatalogueItems, object: CatalogueItem, page: CatalogueItemPage,
    create_input: CreateCatalogueItemInput, update_input: UpdateCatalogueItemInput,
    query: CatalogueItemQuery { catalogue_item, catalogue_items },
    mutation: CatalogueItemMutation { create_catalogue_item, update_catalogue_item, delete_catalogue_item });

#[derive(InputObject)]
pub struct CreateCataloguePriceInput {
    pub item_id: ID,
    pub vendor_id: ID,
    pub unit_price: Decimal,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
}

#[derive(InputObject)]
pub struct UpdateCataloguePriceInput {
    pub unit_price: Option<Decimal>,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
}

impl FromInput for CataloguePrices {
    type Create = CreateCataloguePriceInput;
    type Update = UpdateCataloguePriceInput;

    fn build(
        input: CreateCataloguePriceInput,
        _actor: &Actor,
        now: DateTime<Utc>,
    ) -> DomainResult<entities::catalogue_price::Model> {
        Ok(entities::catalogue_price::Model {
            id: 0,
            item_id: crud::parse_id("input.itemId", &input.item_id)?,
            vendor_id: crud::parse_id("input.vendorId", &input.vendor_id)?,
            unit_price: validate::money("input.unitPrice", input.unit_price)?,
            valid_from: input.valid_from,
            valid_to: input.valid_to,
            created_at: now,
        })
    }

    fn patch(
        row: &mut entities::catalogue_price::Model,
        input: UpdateCataloguePriceInput,
    ) -> DomainResult<()> {
        if let Some(v) = input.unit_price {
            row.unit_price = validate::money("input.unitPrice", v)?;
        }
        if let Some(v) = input.valid_from {
            row.valid_from = v;
        }
        if let Some(v) = input.valid_to {
            row.valid_to = v;
        }
        Ok(())
    }
}

crud_api!(resource: CataloguePrices, object: CataloguePrice, page: CataloguePricePage,
    create_input: CreateCataloguePriceInput, update_input: UpdateCataloguePriceInput,
    query: CataloguePriceQuery { catalogue_price, catalogue_prices },
    mutation: CataloguePriceMutation { create_catalogue_price, update_catalogue_price, delete_catalogue_price });

#[derive(Default)]
pub struct PriceInForceQuery;

#[Object]
impl PriceInForceQuery {
    /// The vendor's catalogue price of the item in force on `on` (a Beijing
    /// calendar day), or null when it has none that day. A vendor asks about
    /// itself only.
    async fn catalogue_price_in_force(
        &self,
        ctx: &Context<'_>,
        vendor_id: ID,
        item_id: ID,
        on: NaiveDate,
    ) -> async_graphql::Result<Option<CataloguePrice>> {
        async {
            let (state, actor) = crud::env(ctx)?;
            let vendor_id = crud::parse_id("vendorId", &vendor_id)?;
            let item_id = crud::parse_id("itemId", &item_id)?;
            let price =
                domain::catalogue::in_force_for(&state.db, actor, vendor_id, item_id, on).await?;
            Ok(price.map(CataloguePrice::from))
        }
        .await
        .gql()
    }
}

/// What attaching the built-in catalogue added.
#[derive(SimpleObject)]
pub struct AttachedCatalogue {
    /// The column of the 2018 table attached (e.g. `太极`).
    pub bidder: String,
    pub items_added: u32,
    pub prices_added: u32,
}

#[derive(Default)]
pub struct CatalogueMutation;

#[Object]
impl CatalogueMutation {
    /// Attaches seed 001's 2018 catalogue (附件1-1, valid 2018-01-01 to
    /// 2019-12-31) to a vendor: the prices of `bidder`'s column (首信, 浪潮,
    /// 联通, 太极, 电信, 移动, 金山, 优刻得), or of the one bidder the vendor's
    /// name contains. A 0 in the table is no price. Adds the items the
    /// catalogue lacks; attaching again adds nothing. Administrators only.
    async fn attach_built_in_catalogue(
        &self,
        ctx: &Context<'_>,
        vendor_id: ID,
        bidder: Option<String>,
    ) -> async_graphql::Result<AttachedCatalogue> {
        async {
            let (state, actor) = crud::env(ctx)?;
            let vendor_id = crud::parse_id("vendorId", &vendor_id)?;
            let audit = crate::graphql::audit::of(ctx, actor);
            let attached =
                builtin::attach(&state.db, actor, &audit, vendor_id, bidder.as_deref()).await?;
            Ok(AttachedCatalogue {
                bidder: attached.bidder.to_owned(),
                items_added: attached.items_added,
                prices_added: attached.prices_added,
            })
        }
        .await
        .gql()
    }
}
