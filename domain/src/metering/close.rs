//! Closing a region's service year of metering (seed 004 §6–7: metering ends
//! after the annual run): once, by a supervisor of the region (or an
//! administrator), audited. It writes the close and each vendor's metered
//! amount (caps applied), and fixes the pending penalty amount of that year's
//! annual results.
//!
//! Decision (how the annual result gets its amount): by filling the pending
//! amount in place — the stored annual results of the year whose penalty has no
//! amount get settlement = the metered amount and amount = settlement × tier
//! rate (half-up to the fen), each change audited with its before and after.
//! Not a new revision: the score, the tier and the publication do not change,
//! only the base the tier's rate applies to becomes known, which is what the
//! result said was pending (待计量结算).

use chrono::{DateTime, Utc};
use engine::AnnualResult;
use entities::assessment_run::RunKind;
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;

use super::bill::{Bill, full_bill};
use super::{PENDING_WARNING, Reach};
use crate::access::{self, Policy, Scope};
use crate::actor::Actor;
use crate::assessments::StoredResult;
use crate::audit::{Audit, AuditedTxn, Change};
use crate::error::{DomainError, DomainResult};

/// Closes the year and returns the bill as the caller sees it (closed).
pub async fn close(
    db: &DatabaseConnection,
    actor: &Actor,
    audit: &Audit,
    region_id: i64,
    start_year: i32,
    now: DateTime<Utc>,
) -> DomainResult<Bill> {
    let scope = Scope {
        region: Some(region_id),
        ..Scope::default()
    };
    super::reach(actor, region_id)?;
    if !access::can_modify(actor, &Policy::FACT, scope) {
        return Err(DomainError::forbidden("只有该区域的监管人员可以关闭计量"));
    }
    let _db = crate::db_share::permit().await;
    let mut txn = audit.begin(db).await?;
    let region = entities::region::Entity::find_by_id(region_id)
        .one(&*txn)
        .await?
        .ok_or_else(|| DomainError::not_found("Region"))?;
    if let Some(done) = super::closed(&*txn, region_id, start_year).await? {
        return Err(DomainError::Conflict(format!(
            "{}服务年度 {start_year} 的计量已于 {} 关闭，不能再次关闭",
            region.name,
            engine::local_time_text(done.closed_at)
        )));
    }
    let bill = full_bill(&*txn, region, start_year).await?;
    let row = entities::metering_close::ActiveModel {
        region_id: Set(region_id),
        service_year: Set(start_year),
        closed_by: Set(Some(actor.user_id)),
        closed_at: Set(now),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    let mut amounts = Vec::new();
    for v in &bill.vendors {
        let amount = entities::metered_amount::ActiveModel {
            close_id: Set(row.id),
            region_id: Set(region_id),
            vendor_id: Set(v.vendor_id),
            service_year: Set(start_year),
            amount: Set(v.payable),
            ..Default::default()
        }
        .insert(&*txn)
        .await?;
        amounts.push(amount);
    }
    let change = Change::on("MeteringClose", Some(row.id), scope)
        .created(&row)?
        .with_after_field(
            "meteredAmounts",
            serde_json::to_value(&amounts).map_err(DomainError::internal)?,
        );
    txn.record(change).await?;
    for a in &amounts {
        fix_annual_results(&mut txn, region_id, a.vendor_id, start_year, a.amount, now).await?;
    }
    let region = bill.region.clone();
    txn.commit().await?;
    super::bill::bill(db, region, start_year, Reach::All).await
}

/// Fills the pending amount of the vendor's annual results of the year.
async fn fix_annual_results(
    txn: &mut AuditedTxn<'_>,
    region_id: i64,
    vendor_id: i64,
    start_year: i32,
    amount: Decimal,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    use entities::assessment_result::{Column as C, Entity};
    let rows = Entity::find()
        .filter(C::RegionId.eq(region_id))
        .filter(C::VendorId.eq(vendor_id))
        .filter(C::Kind.eq(RunKind::Annual))
        .filter(C::Period.eq(start_year.to_string()))
        .order_by_asc(C::Revision)
        .all(&**txn)
        .await?;
    for row in rows {
        let StoredResult::Annual(mut year) = StoredResult::of(&row)? else {
            continue;
        };
        if year.penalty.amount.is_some() {
            continue;
        }
        let before = year.penalty.clone();
        fill(&mut year, amount, now);
        let document = serde_json::to_string(&*year).map_err(DomainError::internal)?;
        let mut active: entities::assessment_result::ActiveModel = row.clone().into();
        active.document = Set(document);
        active.update(&**txn).await?;
        let scope = Scope {
            region: Some(region_id),
            vendor: Some(vendor_id),
            agency: None,
        };
        let change = Change::on("AssessmentResult", Some(row.id), scope)
            .with_before(json!({ "penalty": before }))
            .with_after(json!({ "penalty": year.penalty }));
        txn.record(change).await?;
    }
    Ok(())
}

/// The penalty on the metered amount: amount × the tier's rate, half-up to the
/// fen; the pending warnings give way to one naming the close.
fn fill(year: &mut AnnualResult, amount: Decimal, now: DateTime<Utc>) {
    year.penalty.settlement_amount = Some(amount);
    year.penalty.amount = Some(engine::round_half_up_2dp(amount * year.penalty.rate));
    year.warnings
        .retain(|w| w != PENDING_WARNING && !w.starts_with("未提供结算金额"));
    year.warnings.push(format!(
        "计量结算已于 {} 关闭：结算金额 {} 元",
        engine::local_time_text(now),
        engine::two_dp(amount)
    ));
}
