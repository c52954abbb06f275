//! Publishing a run: its results become what vendors see (replacing any earlier
//! published revision of the same period), and the consequences follow in the
//! same transaction: a notice for each monthly total below the pass mark and
//! each annual total in a penalty tier, and a breach after three consecutive
//! published monthly totals below the pass mark (Beijing general breach no. 3).

use chrono::{DateTime, Utc};
use jobs::engine::{Month, percent_text, points_text};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    IntoActiveModel, QueryFilter, Set,
};
use serde_json::Value;

use crate::access::Scope;
use crate::audit::{Audit, Change};
use crate::error::{AppError, AppResult};
use crate::notices::{self, NewNotice};
use crate::runs::{self, ANNUAL, MONTHLY};

pub const THREE_FAILED_MONTHS: &str = "THREE_CONSECUTIVE_FAILED_MONTHS";

/// Publishes in one transaction with its audit entry, which names the results
/// published and the notices issued.
pub async fn publish(
    db: &DatabaseConnection,
    audit: &Audit,
    run_id: i64,
    user_id: i64,
    now: DateTime<Utc>,
) -> AppResult<entities::assessment_run::Model> {
    let mut txn = audit.begin(db).await?;
    let run = entities::assessment_run::Entity::find_by_id(run_id)
        .one(&*txn)
        .await?
        .ok_or_else(|| AppError::not_found(format!("AssessmentRun {run_id}")))?;
    if run.status != "SUCCEEDED" {
        return Err(AppError::bad(
            "runId",
            format!(
                "run {run_id} is {}; only a succeeded run is published",
                run.status
            ),
        ));
    }
    let results = entities::assessment_result::Entity::find()
        .filter(entities::assessment_result::Column::RunId.eq(run_id))
        .all(&*txn)
        .await?;
    let mut published = Vec::new();
    let mut notices = Vec::new();
    for result in results {
        if result.published {
            continue;
        }
        let result = mark_published(&txn, result, user_id, now).await?;
        published.push(result.id);
        notices.extend(consequences(&txn, &result, user_id, now).await?);
    }
    let scope = Scope {
        region: Some(run.region_id),
        ..Scope::default()
    };
    let change = Change::on("AssessmentRun", Some(run.id), scope).with_after(
        serde_json::json!({ "publishedResultIds": published, "issuedNoticeIds": notices }),
    );
    txn.record(change).await?;
    txn.commit().await?;
    Ok(run)
}

async fn mark_published(
    txn: &DatabaseTransaction,
    result: entities::assessment_result::Model,
    user_id: i64,
    now: DateTime<Utc>,
) -> AppResult<entities::assessment_result::Model> {
    use entities::assessment_result::Column as C;
    entities::assessment_result::Entity::update_many()
        .col_expr(C::Published, sea_orm::sea_query::Expr::value(false))
        .filter(C::RegionId.eq(result.region_id))
        .filter(C::VendorId.eq(result.vendor_id))
        .filter(C::Kind.eq(result.kind.clone()))
        .filter(C::Period.eq(result.period.clone()))
        .exec(txn)
        .await?;
    let mut active = result.into_active_model();
    active.published = Set(true);
    active.published_at = Set(Some(now));
    active.published_by = Set(Some(user_id));
    Ok(active.update(txn).await?)
}

async fn consequences(
    txn: &DatabaseTransaction,
    r: &entities::assessment_result::Model,
    user_id: i64,
    now: DateTime<Utc>,
) -> AppResult<Option<i64>> {
    let document: Value = serde_json::from_str(&r.document).map_err(AppError::internal)?;
    let total = runs::exact_total(r)?;
    let shown = points_text(total);
    let notice = match r.kind.as_str() {
        MONTHLY if !r.passed => Some((
            notices::MONTHLY_BELOW_PASS_MARK,
            format!(
                "{} 月度考核得分 {shown} 分，低于合格线 {} 分",
                r.period,
                number_text(&document["pass_mark"]).unwrap_or_else(|| "90.00".into())
            ),
            deduction_lines(&document),
        )),
        ANNUAL if !r.passed => Some((
            notices::ANNUAL_PENALTY,
            format!(
                "{} 服务年度考核得分 {shown} 分，按结算金额扣减 {}（{} 元）",
                r.period,
                decimal(&document["penalty"]["rate"]).map_or_else(String::new, percent_text),
                number_text(&document["penalty"]["amount"]).unwrap_or_else(|| "—".into())
            ),
            deduction_lines(&document["annual"]),
        )),
        _ => None,
    };
    let mut issued = None;
    if let Some((kind, reason, basis)) = notice {
        let new = NewNotice {
            region_id: r.region_id,
            vendor_id: r.vendor_id,
            kind,
            period: Some(r.period.clone()),
            reason,
            basis,
            result_id: Some(r.id),
            risk_id: None,
            deadline: None,
            created_by: Some(user_id),
        };
        issued = Some(notices::issue(txn, new, now).await?.id);
    }
    if r.kind == MONTHLY && !r.passed {
        record_breach_if_three_failed(txn, r, now).await?;
    }
    Ok(issued)
}

/// "A1 服务交付及时率 扣 0.50 分：工单「…」（2025-09-30 10:00 审批）…", one line
/// per deduction of a scorecard, points to two decimals.
fn deduction_lines(card: &Value) -> Vec<String> {
    let mut lines = Vec::new();
    for indicator in card["indicators"].as_array().into_iter().flatten() {
        for d in indicator["deductions"].as_array().into_iter().flatten() {
            lines.push(format!(
                "{} {} 扣 {} 分：{}",
                indicator["code"].as_str().unwrap_or("?"),
                indicator["name"]["zh"].as_str().unwrap_or(""),
                number_text(&d["points"]).unwrap_or_else(|| "?".into()),
                d["reason"].as_str().unwrap_or("")
            ));
        }
    }
    lines
}

/// A decimal of a stored document (the engine writes them as strings), exact.
fn decimal(v: &Value) -> Option<rust_decimal::Decimal> {
    v.as_str()?.parse().ok()
}

/// A score, points or an amount of a stored document as users read it: "0.49".
fn number_text(v: &Value) -> Option<String> {
    decimal(v).map(points_text)
}

async fn record_breach_if_three_failed(
    txn: &DatabaseTransaction,
    r: &entities::assessment_result::Model,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let Some(month) = parse_month(&r.period) else {
        return Ok(());
    };
    let earlier = [before(month), before(before(month))];
    for m in earlier {
        match runs::latest_published(txn, r.region_id, r.vendor_id, MONTHLY, &m.to_string()).await?
        {
            Some(prev) if !prev.passed => {}
            _ => return Ok(()),
        }
    }
    use entities::breach::Column as C;
    let exists = entities::breach::Entity::find()
        .filter(C::RegionId.eq(r.region_id))
        .filter(C::VendorId.eq(r.vendor_id))
        .filter(C::Kind.eq(THREE_FAILED_MONTHS))
        .filter(C::Period.eq(r.period.clone()))
        .one(txn)
        .await?
        .is_some();
    if !exists {
        let basis = format!(
            "{}, {}, {} 连续三个月考核未达标",
            earlier[1], earlier[0], month
        );
        entities::breach::ActiveModel {
            region_id: Set(r.region_id),
            vendor_id: Set(r.vendor_id),
            kind: Set(THREE_FAILED_MONTHS.to_owned()),
            period: Set(r.period.clone()),
            basis: Set(basis),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

fn before(m: Month) -> Month {
    Month::of(jobs::engine::Period::Month(m).start() - chrono::Duration::days(1))
}

fn parse_month(text: &str) -> Option<Month> {
    let (y, m) = text.split_once('-')?;
    Month::new(y.parse().ok()?, m.parse().ok()?).ok()
}
