//! The sender job: delivers due outbox messages, one at a time, and records
//! every try.
//!
//! **Exactly once, nearly.** A message is claimed by a conditional update
//! (`SET status = 'SENDING' … WHERE id = ? AND status = 'PENDING'`); only the
//! process whose update changed the row sends it, so several server processes
//! may run this job side by side. After a successful send the row is marked
//! SENT in the same transaction that records the try, and SENT rows are never
//! claimed again, so restarts send nothing twice either.
//!
//! The one window left: the process dies (or loses the database) after the
//! SMTP server accepted a message and before SENT was written. The row then
//! stays SENDING; after [`STALE_AFTER`] it is put back to PENDING and sent
//! again. That second copy carries the same `Message-ID`
//! (`<outbox-{id}@govcloud.local>`), so it can be recognised as a re-delivery.
//! The alternative, never retrying such rows, would lose mail instead.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, Utc};
use entities::outbox::OutboxStatus;
use entities::{outbox, outbox_attempt};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use tokio::task::JoinHandle;
use tokio::time::MissedTickBehavior;

use super::mailer::{MailError, Mailer, OutgoingMail, mask_address, mask_addresses_in};
use crate::error::{JobError, JobResult};
use crate::observe::{self, JOB_MAIL, Observer, Unobserved};
use domain::db::write_txn;

/// How long a row may stay SENDING before it is taken for abandoned. Far above
/// the longest send (lettre's SMTP timeout is one minute per command).
pub const STALE_AFTER: TimeDelta = TimeDelta::minutes(10);
/// How many messages the background job takes per round.
pub const BATCH: u64 = 50;

/// Tries before a message is given up as FAILED (`MAIL_MAX_ATTEMPTS`): with the
/// backoff below, twelve tries span about five hours.
pub const DEFAULT_MAX_ATTEMPTS: i32 = 12;

const FIRST_RETRY_SECONDS: i64 = 30;
const MAX_RETRY_SECONDS: i64 = 3600;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DeliveryReport {
    pub sent: usize,
    pub failed: usize,
}

/// Delivers up to `batch` messages due at `now`. Tests pass `now` to move time
/// by hand; the job passes the clock.
pub async fn deliver_due(
    db: &DatabaseConnection,
    mailer: &Mailer,
    now: DateTime<Utc>,
    batch: u64,
) -> JobResult<DeliveryReport> {
    deliver_due_trying(db, mailer, now, batch, DEFAULT_MAX_ATTEMPTS).await
}

/// `deliver_due`, giving a message up as FAILED at its `max_attempts`th failure.
pub async fn deliver_due_trying(
    db: &DatabaseConnection,
    mailer: &Mailer,
    now: DateTime<Utc>,
    batch: u64,
    max_attempts: i32,
) -> JobResult<DeliveryReport> {
    let clock = Clock::starting_at(now);
    release_abandoned(db, clock.now()).await?;
    let mut report = DeliveryReport::default();
    for id in due_ids(db, clock.now(), batch).await? {
        let Some(row) = claim(db, id, clock.now()).await? else {
            continue; // another sender took it first
        };
        let mail = OutgoingMail::from(&row);
        match mailer.send(&mail).await {
            Ok(()) => {
                record_success(db, &row, clock.now()).await?;
                report.sent += 1;
                tracing::info!(outbox_id = row.id, to = %mask_address(&row.recipient), backend = mailer.backend(), "mail delivered");
            }
            Err(error) => {
                let retry_at = record_failure(db, &row, clock.now(), &error, max_attempts).await?;
                report.failed += 1;
                let error = mask_addresses_in(&error.to_string());
                let to = mask_address(&row.recipient);
                match retry_at {
                    Some(retry_at) => {
                        tracing::warn!(outbox_id = row.id, %to, %error, %retry_at, "mail delivery failed; will retry")
                    }
                    None => {
                        tracing::error!(outbox_id = row.id, %to, %error, attempts = max_attempts, "mail delivery failed for the last time; given up")
                    }
                }
            }
        }
    }
    Ok(report)
}

/// The background job: one round every `poll`, until the process ends.
pub fn spawn_sender(db: DatabaseConnection, mailer: Mailer, poll: Duration) -> JoinHandle<()> {
    let observer: Arc<dyn Observer> = Arc::new(Unobserved);
    let settings = Sending {
        poll,
        max_attempts: DEFAULT_MAX_ATTEMPTS,
    };
    spawn_sender_until(db, mailer, settings, observer, std::future::pending())
}

/// How the background job sends.
#[derive(Clone, Copy, Debug)]
pub struct Sending {
    /// One round every `poll`.
    pub poll: Duration,
    /// A message is given up after this many failed tries.
    pub max_attempts: i32,
}

/// The background job, stopping when `shutdown` completes. A round under way
/// is finished first, so a shutdown never cuts between a send and its record.
/// Each round is a `mail` job run in `metrics`; its failed tries are counted
/// as outbox failures.
pub fn spawn_sender_until(
    db: DatabaseConnection,
    mailer: Mailer,
    sending: Sending,
    observer: Arc<dyn Observer>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> JoinHandle<()> {
    let Sending { poll, max_attempts } = sending;
    tokio::spawn(async move {
        tokio::pin!(shutdown);
        let mut ticks = tokio::time::interval(poll);
        ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
        tracing::info!(backend = mailer.backend(), every = ?poll, "mail sender started");
        loop {
            tokio::select! {
                () = &mut shutdown => break,
                _ = ticks.tick() => {}
            }
            let round = deliver_due_trying(&db, &mailer, Utc::now(), BATCH, max_attempts);
            match observe::job(&*observer, JOB_MAIL, round).await {
                Ok(report) => observer.outbox_failed(report.failed),
                Err(error) => {
                    tracing::error!(error = ?error, "mail sender round failed; next round will retry");
                }
            }
        }
        tracing::info!("mail sender stopped");
    })
}

/// 30 s after the first failure, doubling each time, at most an hour.
pub fn backoff(failures: i32) -> TimeDelta {
    let doublings = failures.saturating_sub(1).clamp(0, 7) as u32;
    TimeDelta::seconds((FIRST_RETRY_SECONDS << doublings).min(MAX_RETRY_SECONDS))
}

/// `now` moved on by the time spent in this round, so that claims and retry
/// times made late in a slow round carry the time they really happened.
struct Clock {
    start: DateTime<Utc>,
    started: Instant,
}

impl Clock {
    fn starting_at(start: DateTime<Utc>) -> Self {
        Self {
            start,
            started: Instant::now(),
        }
    }

    fn now(&self) -> DateTime<Utc> {
        TimeDelta::from_std(self.started.elapsed()).map_or(self.start, |d| self.start + d)
    }
}

async fn due_ids(db: &DatabaseConnection, now: DateTime<Utc>, batch: u64) -> JobResult<Vec<i64>> {
    Ok(outbox::Entity::find()
        .select_only()
        .column(outbox::Column::Id)
        .filter(outbox::Column::Status.eq(OutboxStatus::Pending))
        .filter(outbox::Column::NextAttemptAt.lte(now))
        .order_by_asc(outbox::Column::NextAttemptAt)
        .order_by_asc(outbox::Column::Id)
        .limit(batch)
        .into_tuple()
        .all(db)
        .await?)
}

/// Takes the row for this process, or returns `None` if another one has it.
/// While SENDING, `next_attempt_at` holds the time of the claim.
async fn claim(
    db: &DatabaseConnection,
    id: i64,
    now: DateTime<Utc>,
) -> JobResult<Option<outbox::Model>> {
    let claimed = outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::value(OutboxStatus::Sending))
        .col_expr(outbox::Column::NextAttemptAt, Expr::value(now))
        .filter(outbox::Column::Id.eq(id))
        .filter(outbox::Column::Status.eq(OutboxStatus::Pending))
        .filter(outbox::Column::NextAttemptAt.lte(now))
        .exec(db)
        .await?;
    if claimed.rows_affected != 1 {
        return Ok(None);
    }
    // Read after the claim: the attempts count is then this try's own.
    Ok(outbox::Entity::find_by_id(id).one(db).await?)
}

async fn record_success(
    db: &DatabaseConnection,
    row: &outbox::Model,
    now: DateTime<Utc>,
) -> JobResult<()> {
    let txn = write_txn(db).await?;
    // Unconditional: the server has the message, whatever else happened.
    outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::value(OutboxStatus::Sent))
        .col_expr(outbox::Column::SentAt, Expr::value(now))
        .col_expr(outbox::Column::Attempts, Expr::value(row.attempts + 1))
        .filter(outbox::Column::Id.eq(row.id))
        .exec(&txn)
        .await?;
    insert_attempt(&txn, row.id, now, None).await?;
    Ok(txn.commit().await?)
}

/// Puts the row back for a later try and returns when that is.
/// Records a failed try; the message is tried again after the backoff, or
/// given up (FAILED, `None`) at its `max_attempts`th failure.
async fn record_failure(
    db: &DatabaseConnection,
    row: &outbox::Model,
    now: DateTime<Utc>,
    error: &MailError,
    max_attempts: i32,
) -> JobResult<Option<DateTime<Utc>>> {
    let failures = row.attempts + 1;
    let give_up = failures >= max_attempts;
    let retry_at = now + backoff(failures);
    let text = error.to_string();
    let txn = write_txn(db).await?;
    outbox::Entity::update_many()
        .col_expr(
            outbox::Column::Status,
            Expr::value(if give_up {
                OutboxStatus::Failed
            } else {
                OutboxStatus::Pending
            }),
        )
        .col_expr(outbox::Column::Attempts, Expr::value(failures))
        .col_expr(outbox::Column::LastError, Expr::value(text.clone()))
        .col_expr(outbox::Column::NextAttemptAt, Expr::value(retry_at))
        .filter(outbox::Column::Id.eq(row.id))
        .filter(outbox::Column::Status.eq(OutboxStatus::Sending))
        .exec(&txn)
        .await?;
    insert_attempt(&txn, row.id, now, Some(text)).await?;
    txn.commit().await?;
    Ok((!give_up).then_some(retry_at))
}

/// Rows a crashed sender left SENDING go back to PENDING, due now, with the
/// interrupted try on record. Each row is taken by its own conditional update,
/// so two processes doing this at once record it once.
async fn release_abandoned(db: &DatabaseConnection, now: DateTime<Utc>) -> JobResult<()> {
    let abandoned = outbox::Entity::find()
        .filter(outbox::Column::Status.eq(OutboxStatus::Sending))
        .filter(outbox::Column::NextAttemptAt.lt(now - STALE_AFTER))
        .all(db)
        .await?;
    for row in abandoned {
        const INTERRUPTED: &str =
            "interrupted: the sender stopped while sending; the server may have accepted it";
        let txn = write_txn(db).await?;
        let released = outbox::Entity::update_many()
            .col_expr(outbox::Column::Status, Expr::value(OutboxStatus::Pending))
            .col_expr(outbox::Column::Attempts, Expr::value(row.attempts + 1))
            .col_expr(outbox::Column::LastError, Expr::value(INTERRUPTED))
            .col_expr(outbox::Column::NextAttemptAt, Expr::value(now))
            .filter(outbox::Column::Id.eq(row.id))
            .filter(outbox::Column::Status.eq(OutboxStatus::Sending))
            .filter(outbox::Column::NextAttemptAt.eq(row.next_attempt_at))
            .exec(&txn)
            .await?;
        if released.rows_affected == 1 {
            insert_attempt(&txn, row.id, now, Some(INTERRUPTED.to_owned())).await?;
            tracing::warn!(outbox_id = row.id, to = %mask_address(&row.recipient), "mail left SENDING by a stopped sender is queued again; it may arrive twice (same Message-ID)");
        }
        txn.commit().await?;
    }
    Ok(())
}

async fn insert_attempt(
    txn: &sea_orm::DatabaseTransaction,
    outbox_id: i64,
    at: DateTime<Utc>,
    error: Option<String>,
) -> Result<(), JobError> {
    outbox_attempt::ActiveModel {
        outbox_id: Set(outbox_id),
        attempted_at: Set(at),
        error: Set(error),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::sync::atomic::{AtomicUsize, Ordering};

    use lettre::message::Mailbox;
    use sea_orm::PaginatorTrait;

    use super::*;

    static DATABASES: AtomicUsize = AtomicUsize::new(0);

    /// A fresh SQLite file migrated by the real migrations.
    async fn database() -> DatabaseConnection {
        let path = std::env::temp_dir().join(format!(
            "govcloud-sender-{}-{}.db",
            std::process::id(),
            DATABASES.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_file(&path);
        let url = format!("sqlite://{}?mode=rwc", path.display());
        let pool = domain::db::Pool {
            size: 4,
            acquire_timeout: std::time::Duration::from_secs(5),
        };
        domain::db::connect(&url, pool).await.unwrap()
    }

    fn at(minutes: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_743_465_600, 0).unwrap() + TimeDelta::minutes(minutes) // 2025-04-01
    }

    async fn queue(db: &DatabaseConnection, status: OutboxStatus, next: DateTime<Utc>) -> i64 {
        outbox::ActiveModel {
            notice_id: Set(None),
            recipient: Set("o.wang@v.example.cn".to_owned()),
            subject: Set("【整改通知】测试".to_owned()),
            body: Set("正文".to_owned()),
            status: Set(status),
            attempts: Set(0),
            next_attempt_at: Set(next),
            last_error: Set(None),
            sent_at: Set(None),
            created_at: Set(next),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap()
        .id
    }

    async fn row(db: &DatabaseConnection, id: i64) -> outbox::Model {
        outbox::Entity::find_by_id(id)
            .one(db)
            .await
            .unwrap()
            .unwrap()
    }

    async fn tries(db: &DatabaseConnection, id: i64) -> Vec<Option<String>> {
        outbox_attempt::Entity::find()
            .filter(outbox_attempt::Column::OutboxId.eq(id))
            .order_by_asc(outbox_attempt::Column::Id)
            .all(db)
            .await
            .unwrap()
            .into_iter()
            .map(|a| a.error)
            .collect()
    }

    /// A files backend pointed below a regular file: every send fails.
    fn broken_mailer() -> Mailer {
        let file = std::env::temp_dir().join(format!("govcloud-not-a-dir-{}", std::process::id()));
        std::fs::write(&file, b"").unwrap();
        Mailer::Files {
            dir: file.join("mail"),
            from: "govcloud@localhost".parse::<Mailbox>().unwrap(),
        }
    }

    #[test]
    fn backoff_doubles_from_thirty_seconds_up_to_an_hour() {
        for (failures, seconds) in [
            (1, 30),
            (2, 60),
            (3, 120),
            (7, 1920),
            (8, 3600),
            (1000, 3600),
        ] {
            assert_eq!(backoff(failures), TimeDelta::seconds(seconds), "{failures}");
        }
    }

    #[tokio::test]
    async fn due_messages_are_sent_once_with_one_recorded_try() {
        let db = database().await;
        let mailer = Mailer::memory();
        let due = queue(&db, OutboxStatus::Pending, at(0)).await;
        let later = queue(&db, OutboxStatus::Pending, at(5)).await;

        let first = deliver_due(&db, &mailer, at(0), BATCH).await.unwrap();
        let again = deliver_due(&db, &mailer, at(0), BATCH).await.unwrap();

        // Only the row due at minute 0 goes; nothing is left for a second round.
        assert_eq!(first, DeliveryReport { sent: 1, failed: 0 });
        assert_eq!(again, DeliveryReport::default());
        assert_eq!(row(&db, due).await.status, OutboxStatus::Sent);
        assert_eq!(row(&db, due).await.attempts, 1);
        assert_eq!(tries(&db, due).await, [None]);
        assert_eq!(row(&db, later).await.status, OutboxStatus::Pending);
        assert_eq!(mailer.sent().len(), 1);
    }

    #[tokio::test]
    async fn a_failed_try_is_recorded_and_retried_after_the_backoff() {
        let db = database().await;
        let id = queue(&db, OutboxStatus::Pending, at(0)).await;

        let failed = deliver_due(&db, &broken_mailer(), at(0), BATCH)
            .await
            .unwrap();
        let r = row(&db, id).await;
        assert_eq!(failed, DeliveryReport { sent: 0, failed: 1 });
        assert_eq!((r.status, r.attempts), (OutboxStatus::Pending, 1));
        assert!(r.last_error.unwrap().starts_with("cannot write"));
        // First retry 30 s later (plus the few milliseconds the round took).
        assert!(r.next_attempt_at >= at(0) + TimeDelta::seconds(30));
        assert!(r.next_attempt_at < at(0) + TimeDelta::seconds(31));

        let mailer = Mailer::memory();
        let early = deliver_due(&db, &mailer, at(0), BATCH).await.unwrap();
        let retried = deliver_due(&db, &mailer, at(1), BATCH).await.unwrap();
        assert_eq!(early, DeliveryReport::default());
        assert_eq!(retried, DeliveryReport { sent: 1, failed: 0 });
        assert_eq!(row(&db, id).await.attempts, 2);
        assert_eq!(
            tries(&db, id)
                .await
                .iter()
                .map(Option::is_some)
                .collect::<Vec<_>>(),
            [true, false]
        );
    }

    #[tokio::test]
    async fn a_message_left_sending_by_a_crash_goes_again_after_ten_minutes() {
        let db = database().await;
        let mailer = Mailer::memory();
        let id = queue(&db, OutboxStatus::Sending, at(0)).await; // claimed at minute 0, never finished

        let within = deliver_due(&db, &mailer, at(9), BATCH).await.unwrap();
        let after = deliver_due(&db, &mailer, at(11), BATCH).await.unwrap();

        // At minute 9 the claim may still be alive; at 11 it is abandoned.
        assert_eq!(within, DeliveryReport::default());
        assert_eq!(after, DeliveryReport { sent: 1, failed: 0 });
        assert_eq!(row(&db, id).await.attempts, 2);
        let tries = tries(&db, id).await;
        assert!(tries[0].as_deref().unwrap().starts_with("interrupted"));
        assert_eq!(tries[1], None);
    }

    #[tokio::test]
    async fn two_senders_at_once_send_each_message_once() {
        let db = database().await;
        let mailer = Mailer::memory();
        for _ in 0..20 {
            queue(&db, OutboxStatus::Pending, at(0)).await;
        }

        let (a, b) = tokio::join!(
            deliver_due(&db, &mailer, at(0), BATCH),
            deliver_due(&db, &mailer, at(0), BATCH)
        );

        // 20 messages between the two senders, none twice.
        assert_eq!(a.unwrap().sent + b.unwrap().sent, 20);
        let mut ids: Vec<i64> = mailer.sent().iter().map(|m| m.outbox_id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 20);
        assert_eq!(outbox_attempt::Entity::find().count(&db).await.unwrap(), 20);
    }
}
