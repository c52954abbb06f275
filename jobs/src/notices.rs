//! The notices' mail: a notice issued or superseded is written together with
//! one e-mail per vendor contact in the outbox, in the same transaction, so a
//! notice never exists without its mail (nor the mail without its notice).

use chrono::{DateTime, Utc};
use domain::notices::{self, NewNotice};
use sea_orm::{DatabaseTransaction, EntityTrait};

use crate::error::{JobError, JobResult};
use crate::mail::{outbox, templates};

/// Writes the notice and its e-mails (one per vendor contact) in `txn`.
pub async fn issue(
    txn: &DatabaseTransaction,
    n: NewNotice,
    now: DateTime<Utc>,
) -> JobResult<entities::notice::Model> {
    let vendor = entities::vendor::Entity::find_by_id(n.vendor_id)
        .one(txn)
        .await?
        .ok_or_else(|| JobError::bad("vendorId", format!("no Vendor with id {}", n.vendor_id)))?;
    let region = entities::region::Entity::find_by_id(n.region_id)
        .one(txn)
        .await?
        .ok_or_else(|| JobError::bad("regionId", format!("no Region with id {}", n.region_id)))?;
    let notice = notices::insert(txn, &n, now).await?;
    let deadline = notice.deadline;
    let mail = templates::NoticeMail {
        kind: n.kind,
        vendor_name: vendor.name.clone(),
        region_name: region.name.clone(),
        period: n.period,
        reason: n.reason,
        basis: n.basis,
        deadline,
        notice_id: notice.id,
    };
    let (subject, body) = templates::render(&mail);
    let recipients = domain::reference::vendors::contact_emails(&vendor)?;
    outbox::enqueue(txn, notice.id, &recipients, &subject, &body, now).await?;
    Ok(notice)
}

/// Closes an assessment notice that the newer result `by` no longer supports
/// and tells the vendor's contacts why, in the same transaction.
pub async fn supersede(
    txn: &DatabaseTransaction,
    notice: entities::notice::Model,
    by: &entities::assessment_result::Model,
    why: &str,
    now: DateTime<Utc>,
) -> JobResult<entities::notice::Model> {
    let vendor = entities::vendor::Entity::find_by_id(notice.vendor_id)
        .one(txn)
        .await?
        .ok_or_else(|| JobError::Internal(format!("notice {}: no vendor", notice.id).into()))?;
    let region = entities::region::Entity::find_by_id(notice.region_id)
        .one(txn)
        .await?
        .ok_or_else(|| JobError::Internal(format!("notice {}: no region", notice.id).into()))?;
    let mail = templates::SupersededMail {
        vendor_name: vendor.name.clone(),
        region_name: region.name.clone(),
        period: by.period.clone(),
        why: why.to_owned(),
        notice_id: notice.id,
    };
    let (subject, body) = templates::render_superseded(&mail);
    let recipients = domain::reference::vendors::contact_emails(&vendor)?;
    let notice = notices::close_superseded(txn, notice, now).await?;
    outbox::enqueue(txn, notice.id, &recipients, &subject, &body, now).await?;
    Ok(notice)
}
