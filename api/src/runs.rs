//! Assessment runs: every vendor with a contract in a region, assessed for one
//! month or one service year, results stored as a new revision.
//!
//! A run is recorded (RUNNING) before it starts and closed (SUCCEEDED or FAILED
//! with the error) after; all of its results are written in one transaction, so
//! a crash leaves no partial result, only a run that never finished.

use chrono::Utc;
use jobs::engine::{Month, ServiceYear};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Set,
};

use crate::access::Scope;
use crate::assessment::{self, Subject};
use crate::audit::{Audit, Change};
use crate::db;
use crate::error::{AppError, AppResult};

pub const MONTHLY: &str = "MONTHLY";
pub const ANNUAL: &str = "ANNUAL";

/// What started a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trigger {
    Schedule,
    CatchUp,
    Manual { user_id: i64 },
}

impl Trigger {
    fn as_str(self) -> &'static str {
        match self {
            Self::Schedule => "SCHEDULE",
            Self::CatchUp => "CATCH_UP",
            Self::Manual { .. } => "MANUAL",
        }
    }
    fn user(self) -> Option<i64> {
        match self {
            Self::Manual { user_id } => Some(user_id),
            _ => None,
        }
    }
}

/// One vendor's outcome in a run, before it is stored.
struct Outcome {
    vendor_id: i64,
    total: Decimal,
    passed: bool,
    document: String,
}

pub async fn run_monthly(
    db: &DatabaseConnection,
    region_id: i64,
    month: Month,
    trigger: Trigger,
    audit: Option<&Audit>,
) -> AppResult<entities::assessment_run::Model> {
    let region = region(db, region_id).await?;
    let scheme = crate::schemes::require_known(db, "regionId", &region.scheme_code).await?;
    if scheme.monthly.is_none() {
        return Err(AppError::bad(
            "period",
            format!("scheme {} has no monthly scorecard", scheme.code),
        ));
    }
    let start_year = ServiceYear::containing(scheme.service_year_first_month, month)
        .map_err(|e| AppError::bad("period", e.to_string()))?
        .first_month()
        .year();
    let run = open(db, &region, MONTHLY, &month.to_string(), &scheme, trigger).await?;
    let result = async {
        let txn = db::write_txn(db).await?;
        let mut rows_read = 0;
        for vendor_id in contracted_vendors(&txn, region.id, start_year).await? {
            let subject = assessment::subject_of(&txn, region.clone(), vendor_id).await?;
            let (card, rows) = assessment::month_counted(&txn, &subject, month).await?;
            rows_read += rows;
            let document = serde_json::to_string(&card).map_err(AppError::internal)?;
            let outcome = Outcome {
                vendor_id,
                total: card.total,
                passed: card.passed,
                document,
            };
            store(&txn, &run, outcome).await?;
            fault_delay_per_vendor().await;
        }
        txn.commit().await?;
        Ok(rows_read)
    }
    .await;
    close(db, run, result, audit).await
}

/// The annual run blends the latest published monthly result of each month of
/// the service year (a month without one is left out of the mean, and the
/// result says so).
pub async fn run_annual(
    db: &DatabaseConnection,
    region_id: i64,
    start_year: i32,
    trigger: Trigger,
    audit: Option<&Audit>,
) -> AppResult<entities::assessment_run::Model> {
    let region = region(db, region_id).await?;
    let scheme = crate::schemes::require_known(db, "regionId", &region.scheme_code).await?;
    let run = open(
        db,
        &region,
        ANNUAL,
        &start_year.to_string(),
        &scheme,
        trigger,
    )
    .await?;
    let result = async {
        let txn = db::write_txn(db).await?;
        let mut rows_read = 0;
        for vendor_id in contracted_vendors(&txn, region.id, start_year).await? {
            let subject = assessment::subject_of(&txn, region.clone(), vendor_id).await?;
            let monthly = published_monthly_totals(&txn, &subject, start_year).await?;
            let (result, rows) =
                assessment::year_with_counted(&txn, &subject, start_year, &monthly).await?;
            rows_read += rows;
            let passed = result.penalty.tier.is_none();
            let document = serde_json::to_string(&result).map_err(AppError::internal)?;
            store(
                &txn,
                &run,
                Outcome {
                    vendor_id,
                    total: result.total,
                    passed,
                    document,
                },
            )
            .await?;
        }
        txn.commit().await?;
        Ok(rows_read)
    }
    .await;
    close(db, run, result, audit).await
}

/// TEST-ONLY fault injection: with `GOVCLOUD_FAULT_RUN_VENDOR_DELAY_MS` set,
/// a monthly run waits that long after each vendor's result (inside the run's
/// transaction), so that a test can kill the process in the middle of a run
/// (`api/tests/killed_run.rs`). Unset — always, outside that test — it does
/// nothing. Not a configuration variable; never set it in production.
async fn fault_delay_per_vendor() {
    if let Some(ms) = std::env::var("GOVCLOUD_FAULT_RUN_VENDOR_DELAY_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
    }
}

/// What an abandoned run says: the process running it stopped.
pub const ABANDONED: &str =
    "abandoned: the process running it stopped before it finished (its lease expired)";

/// Closes as FAILED the scheduled runs of (region, kind, period) still marked
/// RUNNING. Called only by a process that has just taken the period's lease:
/// the lease is renewed while a scheduled run works, so if it could be taken
/// the process that opened those runs is gone, and they will never finish.
/// (Their results, written in one transaction, were never committed.) Manual
/// runs hold no lease and are left alone. Returns how many were closed.
pub async fn abandon_stale(
    db: &DatabaseConnection,
    region_id: i64,
    kind: &str,
    period: &str,
) -> AppResult<u64> {
    use entities::assessment_run::Column as C;
    use sea_orm::sea_query::Expr;
    let closed = entities::assessment_run::Entity::update_many()
        .col_expr(C::Status, Expr::value("FAILED"))
        .col_expr(C::Error, Expr::value(ABANDONED))
        .col_expr(C::FinishedAt, Expr::value(Utc::now()))
        .filter(C::RegionId.eq(region_id))
        .filter(C::Kind.eq(kind))
        .filter(C::Period.eq(period))
        .filter(C::Status.eq("RUNNING"))
        .filter(C::Trigger.is_in(["SCHEDULE", "CATCH_UP"]))
        .exec(db)
        .await?;
    if closed.rows_affected > 0 {
        tracing::warn!(
            region = region_id,
            kind,
            period,
            runs = closed.rows_affected,
            "closed scheduled runs left RUNNING by a process that stopped"
        );
    }
    Ok(closed.rows_affected)
}

async fn region(db: &DatabaseConnection, id: i64) -> AppResult<entities::region::Model> {
    entities::region::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Region {id}")))
}

/// The vendors serving the region in the service year (those with a contract).
async fn contracted_vendors(
    conn: &impl ConnectionTrait,
    region_id: i64,
    start_year: i32,
) -> AppResult<Vec<i64>> {
    let contracts = entities::contract::Entity::find()
        .filter(entities::contract::Column::RegionId.eq(region_id))
        .filter(entities::contract::Column::ServiceYear.eq(start_year))
        .order_by_asc(entities::contract::Column::VendorId)
        .all(conn)
        .await?;
    Ok(contracts.into_iter().map(|c| c.vendor_id).collect())
}

async fn published_monthly_totals(
    conn: &impl ConnectionTrait,
    subject: &Subject,
    start_year: i32,
) -> AppResult<Vec<(Month, Decimal)>> {
    let (service_year, _) = assessment::service_year(conn, subject, start_year).await?;
    if subject.scheme.blend.is_none() {
        return Ok(Vec::new());
    }
    let mut totals = Vec::new();
    for month in service_year.months() {
        if let Some(r) = latest_published(
            conn,
            subject.region.id,
            subject.vendor_id,
            MONTHLY,
            &month.to_string(),
        )
        .await?
        {
            totals.push((month, exact_total(&r)?));
        }
    }
    Ok(totals)
}

/// The exact total kept in a result's document (the `total` column is rounded
/// for sorting).
pub fn exact_total(r: &entities::assessment_result::Model) -> AppResult<Decimal> {
    let document: serde_json::Value =
        serde_json::from_str(&r.document).map_err(AppError::internal)?;
    document["total"]
        .as_str()
        .and_then(|t| t.parse().ok())
        .ok_or_else(|| AppError::Internal(format!("result {} has no total", r.id).into()))
}

pub async fn latest_published(
    conn: &impl ConnectionTrait,
    region_id: i64,
    vendor_id: i64,
    kind: &str,
    period: &str,
) -> AppResult<Option<entities::assessment_result::Model>> {
    use entities::assessment_result::Column as C;
    Ok(entities::assessment_result::Entity::find()
        .filter(C::RegionId.eq(region_id))
        .filter(C::VendorId.eq(vendor_id))
        .filter(C::Kind.eq(kind))
        .filter(C::Period.eq(period))
        .filter(C::Published.eq(true))
        .order_by_desc(C::Revision)
        .one(conn)
        .await?)
}

async fn open(
    db: &DatabaseConnection,
    region: &entities::region::Model,
    kind: &str,
    period: &str,
    scheme: &jobs::scheme::Scheme,
    trigger: Trigger,
) -> AppResult<entities::assessment_run::Model> {
    Ok(entities::assessment_run::ActiveModel {
        kind: Set(kind.to_owned()),
        region_id: Set(region.id),
        period: Set(period.to_owned()),
        scheme_code: Set(scheme.code.clone()),
        scheme_version: Set(scheme.version as i32),
        trigger: Set(trigger.as_str().to_owned()),
        started_by: Set(trigger.user()),
        status: Set("RUNNING".to_owned()),
        error: Set(None),
        started_at: Set(Utc::now()),
        finished_at: Set(None),
        rows_read: Set(0),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// The next revision of each vendor's result for the period.
async fn store(
    txn: &impl ConnectionTrait,
    run: &entities::assessment_run::Model,
    o: Outcome,
) -> AppResult<()> {
    use entities::assessment_result::Column as C;
    let previous = entities::assessment_result::Entity::find()
        .filter(C::RegionId.eq(run.region_id))
        .filter(C::VendorId.eq(o.vendor_id))
        .filter(C::Kind.eq(run.kind.clone()))
        .filter(C::Period.eq(run.period.clone()))
        .order_by_desc(C::Revision)
        .one(txn)
        .await?;
    entities::assessment_result::ActiveModel {
        run_id: Set(run.id),
        region_id: Set(run.region_id),
        vendor_id: Set(o.vendor_id),
        kind: Set(run.kind.clone()),
        period: Set(run.period.clone()),
        revision: Set(previous.map_or(1, |p| p.revision + 1)),
        total: Set(o.total.round_dp(4)),
        passed: Set(o.passed),
        document: Set(o.document),
        published: Set(false),
        published_at: Set(None),
        published_by: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// Records how the run ended. A run started through the API is audited here,
/// in the transaction that closes it, with the run as it ended: a failed run is
/// audited too, because its row stays (it is not a refusal).
async fn close(
    db: &DatabaseConnection,
    run: entities::assessment_run::Model,
    result: AppResult<u64>,
    audit: Option<&Audit>,
) -> AppResult<entities::assessment_run::Model> {
    let mut active = run.into_active_model();
    active.finished_at = Set(Some(Utc::now()));
    match &result {
        Ok(rows_read) => {
            active.status = Set("SUCCEEDED".to_owned());
            active.rows_read = Set(*rows_read as i64);
        }
        Err(e) => {
            tracing::error!(error = %e, "assessment run failed");
            active.status = Set("FAILED".to_owned());
            active.error = Set(Some(e.to_string()));
        }
    }
    let closed = match audit {
        None => active.update(db).await?,
        Some(audit) => {
            let mut txn = audit.begin(db).await?;
            let closed = active.update(&*txn).await?;
            let scope = Scope {
                region: Some(closed.region_id),
                ..Scope::default()
            };
            let change = Change::on("AssessmentRun", Some(closed.id), scope).created(&closed)?;
            txn.record(change).await?;
            txn.commit().await?;
            closed
        }
    };
    result.map(|_| closed)
}
