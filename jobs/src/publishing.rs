//! Publishing a run: its results become what vendors see (replacing any earlier
//! published revision of the same period), and the consequences follow in the
//! same transaction: a notice for each monthly total below the pass mark and
//! each annual total in a penalty tier. After the publication commits, breach
//! detection looks at the region once (`crate::breaches`): the breach of three
//! consecutive failed months (Beijing general row 3) waits for the deadline of
//! the third month's notice, so it is the daily run that finds it.
//!
//! Publishing never goes backwards: a run with a result older than a revision
//! already published for the same region, vendor, kind and period is refused
//! whole. Publishing a newer revision closes the older revisions' notices that
//! no longer hold (the total now passes, or the penalty tier changed) as
//! SUPERSEDED, with a mail; one that still holds stays, and no second notice is
//! issued for the same finding. Publishing the same run twice, or five times at
//! once, publishes it once: each result is claimed by one conditional update.

use chrono::{DateTime, Utc};
use engine::{ScoreCard, percent_text, points_text};
use rust_decimal::Decimal;
use sea_orm::{
    ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
    sea_query::Expr,
};

use crate::error::{JobError, JobResult};
use crate::runs::RunKind;
use domain::access::Scope;
use domain::actor::Actor;
use domain::assessments::{AssessmentRuns, StoredResult};
use domain::audit::{Audit, Change};
use domain::notices::{NewNotice, NoticeKind, NoticeStatus};
use domain::store;

/// What publishing one result did to the notices.
#[derive(Default)]
struct Consequences {
    issued: Vec<i64>,
    superseded: Vec<i64>,
}

/// Publishes in one transaction with its audit entry, which names the results
/// published and the notices issued and superseded.
pub async fn publish(
    db: &DatabaseConnection,
    audit: &Audit,
    run_id: i64,
    user_id: i64,
    public_url: &str,
    now: DateTime<Utc>,
) -> JobResult<entities::assessment_run::Model> {
    let mut txn = audit.begin(db).await?;
    let (run, done) = publish_in(&txn, run_id, Some(user_id), public_url, now).await?;
    let scope = Scope {
        region: Some(run.region_id),
        ..Scope::default()
    };
    let change = Change::on("AssessmentRun", Some(run.id), scope).with_after(serde_json::json!({
        "publishedResultIds": done.published,
        "issuedNoticeIds": done.issued,
        "supersededNoticeIds": done.superseded,
    }));
    txn.record(change).await?;
    txn.commit().await?;
    Ok(run)
}

/// Publishing asked for by a person from an edge (GraphQL or the console): the
/// run must be one the caller reads and its region one the caller supervises;
/// answers the run as it is after publishing.
pub async fn publish_for(
    db: &DatabaseConnection,
    actor: &Actor,
    audit: &Audit,
    run_id: i64,
    public_url: &str,
    now: DateTime<Utc>,
) -> JobResult<entities::assessment_run::Model> {
    let run = store::get::<AssessmentRuns>(db, actor, run_id).await?;
    domain::assessments::may_run(actor, run.region_id)?;
    {
        // The request's share of the pool (`db_share`): one connection for the
        // publishing transaction; the store's reads take their own.
        let _db = domain::db_share::permit().await;
        publish(db, audit, run.id, actor.user_id, public_url, now).await?;
    }
    // After the permit is given back: detection takes its own per write. The
    // publication stands whatever detection finds; a failure is logged and the
    // daily run tries again.
    if let Err(e) = crate::breaches::detect_in_region(db, run.region_id, now).await {
        tracing::error!(region = run.region_id, error = %e, "breach detection after publishing failed");
    }
    Ok(store::get::<AssessmentRuns>(db, actor, run.id).await?)
}

/// What publishing a run did.
#[derive(Debug, Default)]
pub struct Published {
    pub published: Vec<i64>,
    pub issued: Vec<i64>,
    pub superseded: Vec<i64>,
}

/// Publishes the run in `txn` (the caller commits and audits); `user_id` is
/// `None` when the platform publishes (the demo data).
pub async fn publish_in(
    txn: &DatabaseTransaction,
    run_id: i64,
    user_id: Option<i64>,
    public_url: &str,
    now: DateTime<Utc>,
) -> JobResult<(entities::assessment_run::Model, Published)> {
    let run = entities::assessment_run::Entity::find_by_id(run_id)
        .one(txn)
        .await?
        .ok_or_else(|| JobError::not_found(format!("AssessmentRun {run_id}")))?;
    if run.status != entities::assessment_run::RunStatus::Succeeded {
        return Err(JobError::bad(
            "runId",
            format!(
                "run {run_id} is {}; only a succeeded run is published",
                run.status.as_str()
            ),
        ));
    }
    let results = entities::assessment_result::Entity::find()
        .filter(entities::assessment_result::Column::RunId.eq(run_id))
        .order_by_asc(entities::assessment_result::Column::VendorId)
        .all(txn)
        .await?;
    for result in &results {
        refuse_if_superseded(txn, result).await?;
    }
    let mut done = Published::default();
    for result in results {
        if !claim(txn, &result, user_id, now).await? {
            continue;
        }
        unpublish_others(txn, &result).await?;
        done.published.push(result.id);
        let c = consequences(txn, &result, user_id, public_url, now).await?;
        done.issued.extend(c.issued);
        done.superseded.extend(c.superseded);
    }
    Ok((run, done))
}

/// The other revisions of a result's region, vendor, kind and period.
fn other_revisions(r: &entities::assessment_result::Model) -> sea_orm::Condition {
    use entities::assessment_result::Column as C;
    sea_orm::Condition::all()
        .add(C::RegionId.eq(r.region_id))
        .add(C::VendorId.eq(r.vendor_id))
        .add(C::Kind.eq(r.kind))
        .add(C::Period.eq(r.period.clone()))
        .add(C::Id.ne(r.id))
}

fn same_period(
    r: &entities::assessment_result::Model,
) -> sea_orm::Select<entities::assessment_result::Entity> {
    entities::assessment_result::Entity::find().filter(other_revisions(r))
}

async fn refuse_if_superseded(
    txn: &DatabaseTransaction,
    r: &entities::assessment_result::Model,
) -> JobResult<()> {
    use entities::assessment_result::Column as C;
    let newer = same_period(r)
        .filter(C::Published.eq(true))
        .filter(C::Revision.gt(r.revision))
        .one(txn)
        .await?;
    match newer {
        None => Ok(()),
        Some(newer) => Err(JobError::bad(
            "runId",
            format!(
                "运行 {} 的结果已被更新的结果取代：{} 的第 {} 版（运行 {}）已发布，不能再发布较早的第 {} 版",
                r.run_id, r.period, newer.revision, newer.run_id, r.revision
            ),
        )),
    }
}

/// Marks the result published unless it already is; false when another
/// publication (maybe one running at the same time) got there first.
async fn claim(
    txn: &DatabaseTransaction,
    r: &entities::assessment_result::Model,
    user_id: Option<i64>,
    now: DateTime<Utc>,
) -> JobResult<bool> {
    use entities::assessment_result::Column as C;
    let claimed = entities::assessment_result::Entity::update_many()
        .col_expr(C::Published, Expr::value(true))
        .col_expr(C::PublishedAt, Expr::value(now))
        .col_expr(C::PublishedBy, Expr::value(user_id))
        .filter(C::Id.eq(r.id))
        .filter(C::Published.eq(false))
        .exec(txn)
        .await?;
    Ok(claimed.rows_affected == 1)
}

async fn unpublish_others(
    txn: &DatabaseTransaction,
    r: &entities::assessment_result::Model,
) -> JobResult<()> {
    use entities::assessment_result::Column as C;
    entities::assessment_result::Entity::update_many()
        .col_expr(C::Published, Expr::value(false))
        .filter(other_revisions(r))
        .exec(txn)
        .await?;
    Ok(())
}

/// The notice a result calls for: its kind and, for an annual result, the
/// penalty tier's threshold; `None` when the result passes.
#[derive(Clone, Debug, PartialEq)]
struct Finding {
    kind: NoticeKind,
    tier_below: Option<Decimal>,
}

fn finding(r: &entities::assessment_result::Model) -> JobResult<Option<Finding>> {
    if r.passed {
        return Ok(None);
    }
    Ok(Some(match r.kind {
        RunKind::Monthly => Finding {
            kind: NoticeKind::MonthlyBelowPassMark,
            tier_below: None,
        },
        RunKind::Annual => Finding {
            kind: NoticeKind::AnnualPenalty,
            tier_below: StoredResult::of(r)?
                .annual()
                .and_then(|year| year.penalty.tier.as_ref())
                .map(|tier| tier.below),
        },
    }))
}

async fn consequences(
    txn: &DatabaseTransaction,
    r: &entities::assessment_result::Model,
    user_id: Option<i64>,
    public_url: &str,
    now: DateTime<Utc>,
) -> JobResult<Consequences> {
    let now_finds = finding(r)?;
    let mut done = Consequences::default();
    let mut still_holds = false;
    for (notice, old) in earlier_notices(txn, r).await? {
        if now_finds.is_some() && finding(&old)? == now_finds {
            still_holds = true;
        } else if notice.status != NoticeStatus::Accepted {
            let why = superseded_because(r, now_finds.as_ref())?;
            done.superseded.push(
                crate::notices::supersede(txn, notice, r, &why, public_url, now)
                    .await?
                    .id,
            );
        }
    }
    if let Some(finding) = now_finds.filter(|_| !still_holds) {
        done.issued
            .push(issue(txn, r, finding.kind, user_id, public_url, now).await?);
    }
    Ok(done)
}

/// The notices raised from other revisions of the result's period, not yet
/// superseded, with the result each was raised from.
async fn earlier_notices(
    txn: &DatabaseTransaction,
    r: &entities::assessment_result::Model,
) -> JobResult<Vec<(entities::notice::Model, entities::assessment_result::Model)>> {
    let others = same_period(r).all(txn).await?;
    if others.is_empty() {
        return Ok(Vec::new());
    }
    use entities::notice::Column as N;
    let notices = entities::notice::Entity::find()
        .filter(N::ResultId.is_in(others.iter().map(|o| o.id)))
        .filter(N::Status.ne(NoticeStatus::Superseded))
        .order_by_asc(N::Id)
        .all(txn)
        .await?;
    Ok(notices
        .into_iter()
        .filter_map(|n| {
            let old = others.iter().find(|o| Some(o.id) == n.result_id)?.clone();
            Some((n, old))
        })
        .collect())
}

fn superseded_because(
    r: &entities::assessment_result::Model,
    now: Option<&Finding>,
) -> JobResult<String> {
    let total = points_text(StoredResult::of(r)?.total());
    Ok(match now {
        None => format!(
            "{} 考核结果已更新为第 {} 版，得分 {total}，已达到要求",
            r.period, r.revision
        ),
        Some(_) => format!(
            "{} 考核结果已更新为第 {} 版，得分 {total}，扣罚档次已变化，以新的整改通知为准",
            r.period, r.revision
        ),
    })
}

async fn issue(
    txn: &DatabaseTransaction,
    r: &entities::assessment_result::Model,
    kind: NoticeKind,
    user_id: Option<i64>,
    public_url: &str,
    now: DateTime<Utc>,
) -> JobResult<i64> {
    let stored = StoredResult::of(r)?;
    let shown = points_text(stored.total());
    let (reason, basis) = match &stored {
        StoredResult::Annual(year) => (
            format!(
                "{} 服务年度考核得分 {shown} 分，按结算金额扣减 {}（{} 元）",
                r.period,
                percent_text(year.penalty.rate),
                // No settlement amount: no amount to deduct.
                year.penalty.amount.map_or_else(|| "—".into(), points_text)
            ),
            deduction_lines(&year.annual),
        ),
        StoredResult::Monthly(card) => (
            format!(
                "{} 月度考核得分 {shown} 分，低于合格线 {} 分",
                r.period,
                points_text(card.pass_mark)
            ),
            deduction_lines(card),
        ),
    };
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
        created_by: user_id,
    };
    Ok(crate::notices::issue(txn, new, public_url, now).await?.id)
}

/// "A1 服务交付及时率 扣 0.50 分：工单「…」（2025-09-30 10:00 审批）…", one line
/// per deduction of a scorecard, points to two decimals.
fn deduction_lines(card: &ScoreCard) -> Vec<String> {
    let mut lines = Vec::new();
    for indicator in &card.indicators {
        for d in &indicator.deductions {
            lines.push(format!(
                "{} {} 扣 {} 分：{}",
                indicator.code,
                indicator.name.zh,
                points_text(d.points),
                d.reason
            ));
        }
    }
    lines
}
