//! The persistent outbox: messages are written here in the transaction that
//! creates their notice and leave only through the sender job.
//!
//! A row's `status` moves PENDING → SENDING (claimed by one sender) → SENT, or
//! back to PENDING with a later `next_attempt_at` when a try failed, or FAILED
//! once it has failed `MAIL_MAX_ATTEMPTS` times.

use chrono::{DateTime, Utc};
use entities::outbox::{self, OutboxStatus};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, Set};

use crate::error::JobResult;
use OutboxStatus::{Failed, Pending, Sending};

/// Queues one message per distinct recipient of a notice, due at once, and
/// returns how many were queued. Call it inside the notice's transaction: a
/// rolled-back notice then leaves no mail behind, and a committed one always
/// has its mail. Blank entries are skipped and an address listed twice
/// (compared without case) gets one message, not two.
pub async fn enqueue(
    txn: &DatabaseTransaction,
    notice_id: i64,
    recipients: &[String],
    subject: &str,
    body: &str,
    now: DateTime<Utc>,
) -> JobResult<usize> {
    enqueue_about(txn, Some(notice_id), recipients, subject, body, now).await
}

/// `enqueue` for a message that may belong to no notice (a dispute's mail:
/// it links to the dispute's page instead).
pub async fn enqueue_about(
    txn: &DatabaseTransaction,
    notice_id: Option<i64>,
    recipients: &[String],
    subject: &str,
    body: &str,
    now: DateTime<Utc>,
) -> JobResult<usize> {
    let rows: Vec<outbox::ActiveModel> = distinct(recipients)
        .into_iter()
        .map(|recipient| outbox::ActiveModel {
            notice_id: Set(notice_id),
            recipient: Set(recipient),
            subject: Set(subject.to_owned()),
            body: Set(body.to_owned()),
            status: Set(Pending),
            attempts: Set(0),
            next_attempt_at: Set(now),
            last_error: Set(None),
            sent_at: Set(None),
            created_at: Set(now),
            ..Default::default()
        })
        .collect();
    let queued = rows.len();
    if queued > 0 {
        outbox::Entity::insert_many(rows).exec(txn).await?;
    }
    Ok(queued)
}

/// What the outbox holds, for metrics: messages not delivered yet (waiting,
/// retrying or being sent) and messages given up. One statement.
pub async fn counts(db: &impl ConnectionTrait) -> JobResult<(u64, u64)> {
    use sea_orm::QuerySelect;
    let rows: Vec<(OutboxStatus, i64)> = outbox::Entity::find()
        .select_only()
        .column(outbox::Column::Status)
        .column_as(outbox::Column::Id.count(), "n")
        .filter(outbox::Column::Status.is_in([Pending, Sending, Failed]))
        .group_by(outbox::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    let sum = |wanted: &[OutboxStatus]| {
        rows.iter()
            .filter(|(status, _)| wanted.contains(status))
            .map(|(_, n)| u64::try_from(*n).unwrap_or(0))
            .sum()
    };
    Ok((sum(&[Pending, Sending]), sum(&[Failed])))
}

fn distinct(recipients: &[String]) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    recipients
        .iter()
        .map(|r| r.trim())
        .filter(|r| !r.is_empty() && seen.insert(r.to_lowercase()))
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recipients_are_trimmed_and_deduplicated_without_case() {
        let given = ["o@v.cn", " O@V.cn ", "", "li@v.cn"].map(String::from);
        assert_eq!(distinct(&given), ["o@v.cn", "li@v.cn"]);
    }
}
