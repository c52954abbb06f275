//! Row 3: three consecutive monthly assessments published below the pass
//! mark, still failing after the rectification deadline then set (经限期整改后
//! 仍不能达到). Publication raises a MONTHLY_BELOW_PASS_MARK notice for each
//! failed month with its deadline; the notice of the third month of a run of
//! failures sets the deadline. Once the day after it has come and the notice
//! was not ACCEPTED (the rectification accepted) on or before it, the breach is
//! proposed with `rectification_due` = the deadline.
//!
//! **Decision:** a longer run of failed months makes a breach at every third
//! (months 3, 6, 9 of the run): the months behind one breach are not counted
//! into the next, as an event is charged once.

use chrono::{DateTime, Duration, Utc};
use engine::breach_detection::{self as rules, Rectification};
use engine::{Month, Period};
use entities::breach::BreachKind;
use entities::notice::{self, NoticeKind, NoticeStatus};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use super::{Governed, Proposal, local_midnight};
use crate::error::JobResult;
use crate::runs::RunKind;
use crate::scheduler::months_before;

/// How far back a run of failed months is followed.
const LONGEST_RUN: u32 = 36;

pub(super) async fn proposals(
    db: &DatabaseConnection,
    g: &Governed,
    now: DateTime<Utc>,
) -> JobResult<Vec<Proposal>> {
    if !g.has_row(rules::FAILED_MONTHS_ROW) {
        return Ok(Vec::new());
    }
    let today = domain::period::local(now).date_naive();
    let mut found = Vec::new();
    for n in passed_deadlines(db, g, now).await? {
        let Some(month) = notice_month(db, &n).await? else {
            continue;
        };
        let period = Period::Month(month);
        if period.start() >= g.to || period.end() <= g.from {
            continue;
        }
        let run = failed_run(db, g, month).await?;
        let accepted_on = (n.status == NoticeStatus::Accepted)
            .then(|| domain::period::local(n.updated_at).date_naive());
        let r = Rectification {
            three_failed: run > 0 && run % 3 == 0,
            deadline: n.deadline,
            accepted_on,
        };
        if rules::rectification_unmet(&r, today) {
            found.push(proposal(&n, month, run));
        }
    }
    Ok(found)
}

fn proposal(n: &notice::Model, month: Month, run: u32) -> Proposal {
    let first = months_before(month, run - 1);
    Proposal {
        kind: BreachKind::ThreeConsecutiveFailedMonths,
        source_ref: format!("notice:{}", n.id),
        system_id: None,
        // The deadline's end: the first instant it was unmet.
        occurred_at: local_midnight(n.deadline + Duration::days(1)),
        period: month.to_string(),
        description: format!(
            "{first} 至 {month} 连续 {run} 个月考核未达标，整改通知 {} 的整改期限 {} 已过，整改未获验收",
            n.document_number, n.deadline
        ),
        basis: format!("整改通知 {}：{}", n.document_number, n.reason),
        rows: vec![engine::contract_terms::RowRef::new(
            rules::GENERAL,
            rules::FAILED_MONTHS_ROW,
        )],
        rectification_due: Some(n.deadline),
    }
}

/// The vendor's monthly notices in the region whose deadline has passed, not
/// superseded (a newer result passed), issued in or after the term.
async fn passed_deadlines(
    db: &DatabaseConnection,
    g: &Governed,
    now: DateTime<Utc>,
) -> JobResult<Vec<notice::Model>> {
    use notice::Column as N;
    let today = domain::period::local(now).date_naive();
    Ok(notice::Entity::find()
        .filter(N::RegionId.eq(g.contract.region_id))
        .filter(N::VendorId.eq(g.contract.vendor_id))
        .filter(N::Kind.eq(NoticeKind::MonthlyBelowPassMark))
        .filter(N::Status.ne(NoticeStatus::Superseded))
        .filter(N::Deadline.lt(today))
        .filter(N::CreatedAt.gte(g.from))
        .order_by_asc(N::Id)
        .all(db)
        .await?)
}

/// The month of the result a notice was raised from.
async fn notice_month(db: &DatabaseConnection, n: &notice::Model) -> JobResult<Option<Month>> {
    let Some(result_id) = n.result_id else {
        return Ok(None);
    };
    let result = entities::assessment_result::Entity::find_by_id(result_id)
        .one(db)
        .await?;
    Ok(result.and_then(|r| parse_month(&r.period)))
}

/// How many months up to `month` in a row were published below the pass mark
/// (their latest published revision), 0 when `month` itself was not.
async fn failed_run(db: &DatabaseConnection, g: &Governed, month: Month) -> JobResult<u32> {
    let mut run = 0;
    let mut m = month;
    while run < LONGEST_RUN {
        let published = domain::assessments::latest_published(
            db,
            g.contract.region_id,
            g.contract.vendor_id,
            RunKind::Monthly,
            &m.to_string(),
        )
        .await?;
        match published {
            Some(r) if !r.passed => run += 1,
            _ => break,
        }
        m = months_before(m, 1);
    }
    Ok(run)
}

fn parse_month(text: &str) -> Option<Month> {
    let (y, m) = text.split_once('-')?;
    Month::new(y.parse().ok()?, m.parse().ok()?).ok()
}
