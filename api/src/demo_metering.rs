//! The demo's metered settlement (issue 16 "Done when"): in Songjiang, the
//! demo vendor's first district system has a quota of 100 vCPU and 200 GB of
//! disk, an expansion of 20 vCPU approved in January 2026, a service year of
//! usage (2025: July 2025 – June 2026; the worked example, 87,600.00
//! at 30.00 and 20.00), and the year's metering closed by the district's
//! supervisor, so the district's published annual result takes its penalty on
//! the metered amount. Loaded before the district's annual run.

use chrono::{DateTime, TimeZone, Utc};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::error::{DomainError, DomainResult};

/// Loads the district's metering and closes it. `district` is the district's
/// region code, `supervisor` the username of its supervisor.
pub async fn load(conn: &DatabaseConnection, district: &str, supervisor: &str) -> DomainResult<()> {
    let region = entities::region::Entity::find()
        .filter(entities::region::Column::Code.eq(district))
        .one(conn)
        .await?
        .ok_or_else(|| DomainError::not_found(format!("Region {district}")))?;
    let user = entities::user::Entity::find()
        .filter(entities::user::Column::Username.eq(supervisor))
        .one(conn)
        .await?
        .ok_or_else(|| DomainError::not_found(format!("User {supervisor}")))?;
    let system = entities::information_system::Entity::find()
        .filter(entities::information_system::Column::RegionId.eq(region.id))
        .order_by_asc(entities::information_system::Column::Id)
        .one(conn)
        .await?
        .ok_or_else(|| DomainError::not_found("a district system"))?;
    let now = Utc::now();
    let txn = domain::db::write_txn(conn).await?;
    let vcpu = item(&txn, "SJ-DEMO-VCPU", "云主机vCPU", "1 vCPU", now).await?;
    let disk = item(&txn, "SJ-DEMO-DISK", "块存储", "1 GB", now).await?;
    for (item_id, price) in [(vcpu, 30), (disk, 20)] {
        entities::catalogue_price::ActiveModel {
            item_id: Set(item_id),
            vendor_id: Set(system.vendor_id),
            unit_price: Set(Decimal::from(price)),
            valid_from: Set(day(2025, 1, 1)?),
            valid_to: Set(day(2027, 12, 31)?),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    let applied = at(2025, 6, 20)?;
    let vcpu_quota = quota(&txn, &system, vcpu, 100, applied, user.id).await?;
    quota(&txn, &system, disk, 200, applied, user.id).await?;
    entities::quota_change::ActiveModel {
        quota_id: Set(vcpu_quota),
        kind: Set(entities::quota_change::QuotaChangeKind::Expand),
        quantity: Set(Decimal::from(20)),
        status: Set(entities::quota_change::QuotaChangeStatus::Approved),
        reason: Set("年初业务高峰，申请扩容 20 vCPU（不超过配额的 120%）".into()),
        requested_by: Set(Some(user.id)),
        requested_at: Set(at(2025, 12, 22)?),
        decided_by: Set(Some(user.id)),
        decided_at: Set(Some(at(2026, 1, 5)?)),
        decision_reason: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    // 100 vCPU July–December, 120 January–June; 200 GB all year.
    for i in 0..12u32 {
        let (y, m) = if i < 6 { (2025, 7 + i) } else { (2026, i - 5) };
        let month = format!("{y}-{m:02}");
        let vcpu_used = if i < 6 { 100 } else { 120 };
        for (item_id, quantity) in [(vcpu, vcpu_used), (disk, 200)] {
            entities::usage_record::ActiveModel {
                region_id: Set(region.id),
                vendor_id: Set(system.vendor_id),
                agency_id: Set(system.agency_id),
                system_id: Set(system.id),
                item_id: Set(item_id),
                month: Set(month.clone()),
                quantity: Set(Decimal::from(quantity)),
                beyond_approved: Set(false),
                source: Set(entities::usage_record::UsageSource::Imported),
                created_by: Set(Some(user.id)),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    txn.commit().await?;
    let actor = domain::actor::Actor {
        user_id: user.id,
        role: domain::actor::Role::Supervisor {
            region_id: region.id,
        },
    };
    let audit = domain::audit::Audit::of_actor("closeMetering", &actor, None, None);
    domain::metering::close(conn, &actor, &audit, region.id, 2025, now).await?;
    Ok(())
}

async fn item(
    txn: &sea_orm::DatabaseTransaction,
    code: &str,
    name: &str,
    unit: &str,
    now: DateTime<Utc>,
) -> DomainResult<i64> {
    Ok(entities::catalogue_item::ActiveModel {
        code: Set(code.into()),
        category: Set("计算服务".into()),
        sub_category: Set("X86 云计算服务".into()),
        name: Set(name.into()),
        unit: Set(unit.into()),
        price_unit: Set("元/月".into()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?
    .id)
}

async fn quota(
    txn: &sea_orm::DatabaseTransaction,
    system: &entities::information_system::Model,
    item_id: i64,
    quantity: i64,
    applied: DateTime<Utc>,
    approver: i64,
) -> DomainResult<i64> {
    Ok(entities::quota::ActiveModel {
        region_id: Set(system.region_id),
        agency_id: Set(system.agency_id),
        system_id: Set(system.id),
        vendor_id: Set(system.vendor_id),
        item_id: Set(item_id),
        quantity: Set(Decimal::from(quantity)),
        status: Set(entities::quota::QuotaStatus::Delivered),
        is_test: Set(false),
        test_months: Set(None),
        applied_at: Set(applied),
        applied_by: Set(Some(approver)),
        approved_by: Set(Some(approver)),
        approved_at: Set(Some(applied)),
        agreement_on: Set(Some(day(2025, 6, 25)?)),
        delivered_on: Set(Some(day(2025, 6, 30)?)),
        note: Set(Some("资源申请表（演示）".into())),
        created_at: Set(applied),
        ..Default::default()
    }
    .insert(txn)
    .await?
    .id)
}

fn day(y: i32, m: u32, d: u32) -> DomainResult<chrono::NaiveDate> {
    chrono::NaiveDate::from_ymd_opt(y, m, d)
        .ok_or_else(|| DomainError::Internal(format!("{y}-{m}-{d}").into()))
}

/// 09:00 Beijing time on the day.
fn at(y: i32, m: u32, d: u32) -> DomainResult<DateTime<Utc>> {
    Utc.with_ymd_and_hms(y, m, d, 1, 0, 0)
        .single()
        .ok_or_else(|| DomainError::Internal(format!("{y}-{m}-{d}").into()))
}
