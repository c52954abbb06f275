//! Rectification notices (整改通知) and their lifecycle: raised when a
//! published monthly total is below the pass mark, when an annual total falls
//! into a penalty tier, or by a supervisor by hand (each mailed to the vendor's
//! contacts by `jobs::notices` in the same transaction); then acknowledged and
//! answered by the vendor and accepted or reopened by the supervisor.
//!
//! issued → acknowledged → submitted → accepted, or submitted → reopened →
//! (acknowledged →) submitted → …; past its deadline and not accepted: overdue.
//! An assessment notice not yet accepted is superseded (closed, with a mail)
//! when a newer published revision of its result no longer supports it.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
};

use crate::access::{self, Policy, Scope};
use crate::actor::{Actor, Role};
use crate::error::{DomainError, DomainResult};
use crate::period::local;

pub use entities::notice::{NoticeKind, NoticeStatus};

/// Working days a vendor has to rectify (a scheme may later carry its own).
pub const DEADLINE_WORKING_DAYS: u32 = 10;

pub struct NewNotice {
    pub region_id: i64,
    pub vendor_id: i64,
    pub kind: NoticeKind,
    /// The assessment period (`2025-03`, `2025`) of an assessment notice.
    pub period: Option<String>,
    pub reason: String,
    /// The deductions or facts behind it, one line each.
    pub basis: Vec<String>,
    pub result_id: Option<i64>,
    pub risk_id: Option<i64>,
    pub deadline: Option<NaiveDate>,
    pub created_by: Option<i64>,
}

/// 10 working days after the local day of `now`, by the calendar; 14 days when
/// the calendar does not cover the year yet (logged, never silently wrong).
pub async fn default_deadline(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> DomainResult<NaiveDate> {
    let today = local(now).date_naive();
    let calendar = crate::calendar::load(conn).await?;
    Ok(calendar
        .add_working_days(today, DEADLINE_WORKING_DAYS)
        .unwrap_or_else(|e| {
            tracing::warn!(error = %e, "no calendar for the notice deadline; using 14 days");
            today + Duration::days(14)
        }))
}

/// Writes the notice row in `txn` (its mail is the caller's: `jobs::notices`).
pub async fn insert(
    txn: &DatabaseTransaction,
    n: &NewNotice,
    now: DateTime<Utc>,
) -> DomainResult<entities::notice::Model> {
    let deadline = match n.deadline {
        Some(d) => d,
        None => default_deadline(txn, now).await?,
    };
    let region = entities::region::Entity::find_by_id(n.region_id)
        .one(txn)
        .await?
        .ok_or_else(|| {
            DomainError::bad("regionId", format!("no Region with id {}", n.region_id))
        })?;
    let year = local(now).year();
    let seq = next_number(txn, n.region_id, year).await?;
    Ok(entities::notice::ActiveModel {
        region_id: Set(n.region_id),
        vendor_id: Set(n.vendor_id),
        kind: Set(n.kind),
        reason: Set(n.reason.clone()),
        basis: Set(serde_json::to_string(&n.basis).map_err(DomainError::internal)?),
        result_id: Set(n.result_id),
        risk_id: Set(n.risk_id),
        deadline: Set(deadline),
        status: Set(NoticeStatus::Issued),
        rectification: Set(None),
        created_by: Set(n.created_by),
        created_at: Set(now),
        updated_at: Set(now),
        doc_year: Set(year),
        doc_seq: Set(seq),
        document_number: Set(document_number(&region.notice_prefix(), year, seq)),
        ..Default::default()
    }
    .insert(txn)
    .await?)
}

/// `沪政云监〔2026〕第12号`.
pub fn document_number(prefix: &str, year: i32, seq: i32) -> String {
    format!("{prefix}〔{year}〕第{seq}号")
}

/// The next number of the region's notices in `year`: the counter row
/// (region, year) is created at 1 or bumped by one in `txn`, so a concurrent
/// issuer waits on its lock (PostgreSQL) or the write lock (SQLite) and gets
/// the next number; the unique index (region, year, seq) keeps any other path
/// from giving a number twice.
async fn next_number(txn: &DatabaseTransaction, region_id: i64, year: i32) -> DomainResult<i32> {
    use entities::notice_number::{ActiveModel, Column, Entity};
    use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
    Entity::insert(ActiveModel {
        region_id: Set(region_id),
        year: Set(year),
        last_seq: Set(1),
    })
    .on_conflict(
        OnConflict::columns([Column::RegionId, Column::Year])
            .value(Column::LastSeq, Expr::col((Entity, Column::LastSeq)).add(1))
            .to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    let row = Entity::find_by_id((region_id, year))
        .one(txn)
        .await?
        .ok_or_else(|| DomainError::Internal("the notice counter row vanished".into()))?;
    Ok(row.last_seq)
}

/// Closes an assessment notice that a newer result no longer supports (its
/// mail is the caller's: `jobs::notices`).
pub async fn close_superseded(
    txn: &DatabaseTransaction,
    notice: entities::notice::Model,
    now: DateTime<Utc>,
) -> DomainResult<entities::notice::Model> {
    let mut active = notice.into_active_model();
    active.status = Set(NoticeStatus::Superseded);
    active.updated_at = Set(now);
    Ok(active.update(txn).await?)
}

/// Who moves a notice, from where, to where.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Acknowledge,
    Submit,
    Accept,
    Reopen,
}

impl Step {
    fn allowed_from(self) -> &'static [NoticeStatus] {
        use NoticeStatus as S;
        match self {
            Self::Acknowledge => &[S::Issued, S::Reopened],
            Self::Submit => &[S::Acknowledged, S::Reopened],
            Self::Accept | Self::Reopen => &[S::Submitted],
        }
    }
    fn to(self) -> NoticeStatus {
        match self {
            Self::Acknowledge => NoticeStatus::Acknowledged,
            Self::Submit => NoticeStatus::Submitted,
            Self::Accept => NoticeStatus::Accepted,
            Self::Reopen => NoticeStatus::Reopened,
        }
    }
    /// The vendor acknowledges and submits; the supervision team decides.
    pub fn by_vendor(self) -> bool {
        matches!(self, Self::Acknowledge | Self::Submit)
    }

    /// The operation its audit entry names, whichever edge took it (the
    /// GraphQL mutation's name).
    pub fn operation(self) -> &'static str {
        match self {
            Self::Acknowledge => "acknowledgeNotice",
            Self::Submit => "submitRectification",
            Self::Accept => "acceptRectification",
            Self::Reopen => "reopenNotice",
        }
    }

    /// Every step, in the order a notice goes through them.
    pub const ALL: [Step; 4] = [Self::Acknowledge, Self::Submit, Self::Accept, Self::Reopen];

    /// Whether a notice in `status` can take this step now.
    pub fn allowed_in(self, status: NoticeStatus) -> bool {
        self.allowed_from().contains(&status)
    }
}

/// The vendor of the notice acknowledges and submits; its region's
/// supervisors (and administrators) accept and reopen.
pub fn may_step(actor: &Actor, notice: &entities::notice::Model, step: Step) -> DomainResult<()> {
    if is_theirs(actor, notice, step) {
        Ok(())
    } else {
        Err(DomainError::forbidden(
            "this step of the notice is not yours to take",
        ))
    }
}

/// `may_step` as a yes or no (which buttons a page shows).
pub fn is_theirs(actor: &Actor, notice: &entities::notice::Model, step: Step) -> bool {
    match (step.by_vendor(), actor.role) {
        (true, Role::Vendor { vendor_id }) => vendor_id == notice.vendor_id,
        (false, _) => access::can_modify(
            actor,
            &Policy::FACT,
            Scope {
                region: Some(notice.region_id),
                vendor: Some(notice.vendor_id),
                agency: None,
            },
        ),
        _ => false,
    }
}

/// One line of a notice's history: what happened, who did it (none: the
/// platform itself, e.g. issued by publishing), when.
#[derive(Clone, Debug)]
pub struct HistoryLine {
    /// `None`: issued.
    pub step: Option<Step>,
    pub by: Option<String>,
    pub at: DateTime<Utc>,
}

/// The history of a notice the actor may read (`NOT_FOUND` otherwise): its
/// issue, then every step taken, from the audit trail, oldest first.
pub async fn history(
    db: &DatabaseConnection,
    actor: &Actor,
    notice_id: i64,
) -> DomainResult<Vec<HistoryLine>> {
    use crate::reference::notices::Notices;
    use crate::store::Resource;
    use entities::audit_entry::Column as C;
    let notice = crate::store::get::<Notices>(db, actor, notice_id).await?;
    let _db = crate::db_share::permit().await;
    let issuer = match notice.created_by {
        Some(user) => entities::user::Entity::find_by_id(user)
            .one(db)
            .await?
            .map(|u| u.username),
        None => None,
    };
    let mut lines = vec![HistoryLine {
        step: None,
        by: issuer,
        at: notice.created_at,
    }];
    let entries = entities::audit_entry::Entity::find()
        .filter(C::TargetType.eq(Notices::NAME))
        .filter(C::TargetId.eq(notice.id))
        .filter(C::Operation.is_in(Step::ALL.map(Step::operation)))
        .order_by_asc(C::At)
        .order_by_asc(C::Id)
        .all(db)
        .await?;
    lines.extend(entries.into_iter().filter_map(|e| {
        let step = Step::ALL
            .into_iter()
            .find(|s| s.operation() == e.operation)?;
        Some(HistoryLine {
            step: Some(step),
            by: Some(e.username),
            at: e.at,
        })
    }));
    Ok(lines)
}

/// Applies a step to a notice the caller may act on (checked by the caller).
pub async fn advance(
    txn: &DatabaseTransaction,
    notice: entities::notice::Model,
    step: Step,
    text: Option<String>,
    now: DateTime<Utc>,
) -> DomainResult<entities::notice::Model> {
    if !step.allowed_in(notice.status) {
        return Err(DomainError::bad(
            "id",
            format!(
                "notice {} is {} and cannot be moved to {}",
                notice.id,
                notice.status.as_str(),
                step.to().as_str()
            ),
        ));
    }
    let old_deadline = notice.deadline;
    let mut active = notice.into_active_model();
    if step == Step::Reopen {
        // Sent back, the vendor must rectify again: it gets a fresh period
        // from today (never a shorter one), or a notice reopened after its
        // deadline would be overdue the moment it reaches the vendor.
        let fresh = default_deadline(txn, now).await?;
        if fresh > old_deadline {
            active.deadline = Set(fresh);
        }
    }
    if step == Step::Submit {
        let text =
            text.ok_or_else(|| DomainError::bad("rectification", "say what was rectified"))?;
        active.rectification = Set(Some(crate::validate::text("rectification", text, 10_000)?));
    }
    active.status = Set(step.to());
    active.updated_at = Set(now);
    Ok(active.update(txn).await?)
}

/// The notice's basis lines as stored (a JSON array of texts); one that does
/// not read back is an internal error naming the notice.
pub fn basis(notice: &entities::notice::Model) -> DomainResult<Vec<String>> {
    serde_json::from_str(&notice.basis).map_err(|e| {
        DomainError::Internal(format!("basis of notice {} does not parse: {e}", notice.id).into())
    })
}

pub fn is_overdue(notice: &entities::notice::Model, now: DateTime<Utc>) -> bool {
    !NoticeStatus::CLOSED.contains(&notice.status) && notice.deadline < local(now).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;
    use migration::MigratorTrait;
    use sea_orm::{ActiveModelTrait, TransactionTrait};

    /// Issued on 2025-09-30 (Shanghai): 1–8 October is the National Day holiday and
    /// Saturday 11 October a make-up working day, so the 10 working days are 9, 10,
    /// 11, 13, 14, 15, 16, 17, 20 and 21 October: due 2025-10-21.
    #[tokio::test]
    async fn the_default_deadline_is_ten_working_days_by_the_calendar() {
        let db = sea_orm::Database::connect("sqlite::memory:")
            .await
            .expect("sqlite");
        migration::Migrator::up(&db, None)
            .await
            .expect("migrations");
        let now = DateTime::parse_from_rfc3339("2025-09-30T10:00:00+08:00")
            .expect("instant")
            .with_timezone(&Utc);
        let due = default_deadline(&db, now).await.expect("deadline");
        assert_eq!(due, NaiveDate::from_ymd_opt(2025, 10, 21).expect("date"));
    }

    /// A notice issued on 2025-09-01 is due ten working days later; reopened
    /// on 2025-09-30 (Shanghai), past that, it is due 2025-10-21 — ten
    /// working days from the reopening, as the test above counts them.
    #[tokio::test]
    async fn a_reopened_notice_gets_a_fresh_period_to_rectify() {
        let db = sea_orm::Database::connect("sqlite::memory:")
            .await
            .expect("sqlite");
        migration::Migrator::up(&db, None)
            .await
            .expect("migrations");
        let at = |t: &str| {
            DateTime::parse_from_rfc3339(t)
                .expect("instant")
                .with_timezone(&Utc)
        };
        let txn = db.begin().await.expect("txn");
        let region = entities::region::ActiveModel {
            code: Set("R".into()),
            name: Set("区".into()),
            scheme_code: Set("sh-municipal".into()),
            service_year_start_month: Set(1),
            created_at: Set(at("2025-01-01T00:00:00Z")),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .expect("region");
        let vendor = entities::vendor::ActiveModel {
            code: Set("V".into()),
            name: Set("云".into()),
            contact_emails: Set(serde_json::json!([])),
            created_at: Set(at("2025-01-01T00:00:00Z")),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .expect("vendor");
        let issued = at("2025-09-01T10:00:00+08:00");
        let new = NewNotice {
            region_id: region.id,
            vendor_id: vendor.id,
            kind: NoticeKind::Manual,
            reason: "巡检发现问题".into(),
            basis: Vec::new(),
            period: None,
            deadline: None,
            result_id: None,
            risk_id: None,
            created_by: None,
        };
        let notice = insert(&txn, &new, issued).await.expect("notice");
        let first = notice.deadline;
        let mut notice = notice;
        for step in [Step::Acknowledge, Step::Submit] {
            notice = advance(&txn, notice, step, Some("已整改".into()), issued)
                .await
                .expect("step");
        }
        let reopened = advance(
            &txn,
            notice,
            Step::Reopen,
            None,
            at("2025-09-30T10:00:00+08:00"),
        )
        .await
        .expect("reopen");
        assert!(first < NaiveDate::from_ymd_opt(2025, 9, 30).expect("date"));
        assert_eq!(
            reopened.deadline,
            NaiveDate::from_ymd_opt(2025, 10, 21).expect("date")
        );
    }
}
