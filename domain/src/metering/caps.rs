//! Setting a municipal purchaser's cap for an item and service period
//! (封顶价, seed 003 §1.1 item 6). Administrators only: a cap is a term of the
//! municipal contract, like the catalogue prices.

use chrono::Utc;
use rust_decimal::Decimal;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use crate::access::Scope;
use crate::actor::Actor;
use crate::audit::{Audit, Change};
use crate::error::{DomainError, DomainResult};
use entities::purchaser_cap::{ActiveModel, Column as C, Entity, Model};

/// What an administrator sets.
#[derive(Clone, Debug)]
pub struct NewCap {
    pub region_id: i64,
    pub item_id: i64,
    pub service_year: i32,
    pub amount: Decimal,
}

/// Sets (or replaces) the cap, audited with what it replaced.
pub async fn set_cap(
    db: &DatabaseConnection,
    actor: &Actor,
    audit: &Audit,
    cap: NewCap,
) -> DomainResult<Model> {
    actor.require_admin()?;
    crate::validate::in_range("serviceYear", cap.service_year, 2000, 2100)?;
    if cap.amount < Decimal::ZERO {
        return Err(DomainError::bad(
            "input.amount",
            format!("封顶价不能为负数，收到 {}", cap.amount),
        ));
    }
    let _db = crate::db_share::permit().await;
    let mut txn = audit.begin(db).await?;
    entities::region::Entity::find_by_id(cap.region_id)
        .one(&*txn)
        .await?
        .ok_or_else(|| DomainError::bad("input.regionId", "没有该区域"))?;
    entities::catalogue_item::Entity::find_by_id(cap.item_id)
        .one(&*txn)
        .await?
        .ok_or_else(|| DomainError::bad("input.itemId", "服务目录中没有该项目"))?;
    let before = Entity::find()
        .filter(C::RegionId.eq(cap.region_id))
        .filter(C::ItemId.eq(cap.item_id))
        .filter(C::ServiceYear.eq(cap.service_year))
        .one(&*txn)
        .await?;
    let row = match &before {
        Some(old) => {
            let mut active: ActiveModel = old.clone().into();
            active.amount = Set(cap.amount.round_dp(2));
            active.set_by = Set(Some(actor.user_id));
            active.set_at = Set(Utc::now());
            active.update(&*txn).await?
        }
        None => {
            ActiveModel {
                region_id: Set(cap.region_id),
                item_id: Set(cap.item_id),
                service_year: Set(cap.service_year),
                amount: Set(cap.amount.round_dp(2)),
                set_by: Set(Some(actor.user_id)),
                set_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(&*txn)
            .await?
        }
    };
    let scope = Scope {
        region: Some(cap.region_id),
        ..Scope::default()
    };
    let change = Change::on("PurchaserCap", Some(row.id), scope);
    let change = match &before {
        Some(old) => change.updated(old, &row)?,
        None => change.created(&row)?,
    };
    txn.record(change).await?;
    txn.commit().await?;
    Ok(row)
}
