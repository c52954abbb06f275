//! Storing a run's results: the next revision of each vendor's result for the
//! run's period, written in bulk — one statement for the vendors' latest
//! revisions and multi-row inserts — instead of two statements per vendor.

use std::collections::HashMap;

use chrono::Utc;
use rust_decimal::Decimal;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
    sea_query::{Expr, ExprTrait},
};

use crate::error::JobResult;

/// Rows per insert: a few statements for a region's vendors, each well under
/// the databases' limits on bound parameters (SQLite: 32,766; 13 per row).
const ROWS_PER_INSERT: usize = 100;

/// One vendor's outcome in a run, before it is stored.
pub struct Outcome {
    pub vendor_id: i64,
    pub total: Decimal,
    pub passed: bool,
    pub document: String,
}

/// Stores each outcome as the next revision of its vendor's result for the
/// run's region, kind and period (the first is revision 1).
pub async fn store(
    txn: &impl ConnectionTrait,
    run: &entities::assessment_run::Model,
    outcomes: Vec<Outcome>,
) -> JobResult<()> {
    use entities::assessment_result::{ActiveModel, Entity};
    if outcomes.is_empty() {
        return Ok(());
    }
    let latest = latest_revisions(txn, run, outcomes.iter().map(|o| o.vendor_id)).await?;
    let now = Utc::now();
    let mut rows = outcomes.into_iter().map(|o| ActiveModel {
        run_id: Set(run.id),
        region_id: Set(run.region_id),
        vendor_id: Set(o.vendor_id),
        kind: Set(run.kind),
        period: Set(run.period.clone()),
        revision: Set(latest.get(&o.vendor_id).copied().unwrap_or(0) + 1),
        total: Set(o.total.round_dp(4)),
        passed: Set(o.passed),
        document: Set(o.document),
        published: Set(false),
        published_at: Set(None),
        published_by: Set(None),
        created_at: Set(now),
        ..Default::default()
    });
    loop {
        let chunk: Vec<ActiveModel> = rows.by_ref().take(ROWS_PER_INSERT).collect();
        if chunk.is_empty() {
            return Ok(());
        }
        Entity::insert_many(chunk)
            .exec_without_returning(txn)
            .await?;
    }
}

/// The latest revision of each of `vendors`' results for the run's region,
/// kind and period; a vendor without one is not in the map.
async fn latest_revisions(
    txn: &impl ConnectionTrait,
    run: &entities::assessment_run::Model,
    vendors: impl Iterator<Item = i64>,
) -> JobResult<HashMap<i64, i32>> {
    use entities::assessment_result::{Column as C, Entity};
    let rows: Vec<(i64, Option<i32>)> = Entity::find()
        .select_only()
        .column(C::VendorId)
        .expr(Expr::col(C::Revision).max())
        .filter(C::RegionId.eq(run.region_id))
        .filter(C::Kind.eq(run.kind))
        .filter(C::Period.eq(run.period.clone()))
        .filter(C::VendorId.is_in(vendors))
        .group_by(C::VendorId)
        .into_tuple()
        .all(txn)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(vendor, revision)| Some((vendor, revision?)))
        .collect())
}
