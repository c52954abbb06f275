//! The notices' mail: a notice issued or superseded is written together with
//! one e-mail per vendor contact in the outbox, in the same transaction, so a
//! notice never exists without its mail (nor the mail without its notice).

use chrono::{DateTime, Utc};
use domain::actor::{Actor, RoleKind};
use domain::audit::{Audit, Change};
use domain::notice_attachments;
use domain::notices::Step;
use domain::notices::{self, NewNotice};
use domain::reference::notices::Notices;
use domain::store::Resource;
use sea_orm::{
    ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
};

use crate::error::{JobError, JobResult};
use crate::mail::templates::{StepMail, StepMailKind};
use crate::mail::{outbox, templates};

/// Writes the notice and its e-mails (one per vendor contact) in `txn`; the
/// mail links to the notice's page under `public_url` (`PUBLIC_URL`).
pub async fn issue(
    txn: &DatabaseTransaction,
    n: NewNotice,
    public_url: &str,
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
        document_number: notice.document_number.clone(),
        link: templates::notice_link(public_url, notice.id),
        contact: region.contact.clone(),
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
    public_url: &str,
    now: DateTime<Utc>,
) -> JobResult<entities::notice::Model> {
    let (vendor, region) = parties(txn, &notice).await?;
    let mail = templates::SupersededMail {
        vendor_name: vendor.name.clone(),
        region_name: region.name.clone(),
        period: by.period.clone(),
        why: why.to_owned(),
        notice_id: notice.id,
        document_number: notice.document_number.clone(),
        link: templates::notice_link(public_url, notice.id),
    };
    let (subject, body) = templates::render_superseded(&mail);
    let recipients = domain::reference::vendors::contact_emails(&vendor)?;
    let notice = notices::close_superseded(txn, notice, now).await?;
    outbox::enqueue(txn, notice.id, &recipients, &subject, &body, now).await?;
    Ok(notice)
}

/// Applies a lifecycle step (the domain's rules) and, in the same transaction,
/// mails the other side: a submitted rectification to the region's
/// supervisors that have an e-mail, an accepted or reopened one to the
/// vendor's contacts. Acknowledging mails nobody.
pub async fn advance(
    txn: &DatabaseTransaction,
    notice: entities::notice::Model,
    step: Step,
    text: Option<String>,
    public_url: &str,
    now: DateTime<Utc>,
) -> JobResult<entities::notice::Model> {
    let notice = notices::advance(txn, notice, step, text, now).await?;
    let kind = match step {
        Step::Acknowledge => return Ok(notice),
        Step::Submit => StepMailKind::Submitted,
        Step::Accept => StepMailKind::Accepted,
        Step::Reopen => StepMailKind::Reopened,
    };
    let (vendor, region) = parties(txn, &notice).await?;
    let recipients = match kind {
        StepMailKind::Submitted => supervisor_emails(txn, notice.region_id).await?,
        StepMailKind::Accepted | StepMailKind::Reopened => {
            domain::reference::vendors::contact_emails(&vendor)?
        }
    };
    let mail = StepMail {
        kind,
        vendor_name: vendor.name.clone(),
        region_name: region.name.clone(),
        document_number: notice.document_number.clone(),
        deadline: notice.deadline,
        rectification: notice.rectification.clone(),
        link: templates::notice_link(public_url, notice.id),
        contact: region.contact.clone(),
    };
    let (subject, body) = templates::render_step(&mail);
    outbox::enqueue(txn, notice.id, &recipients, &subject, &body, now).await?;
    Ok(notice)
}

/// A step of a notice taken by `actor`, as every edge takes it (the GraphQL
/// mutations and the console's forms): the notice read through the store (one
/// the actor may not read is `NOT_FOUND`), the step checked as theirs, then in
/// one audited transaction the step, its mail (`advance`) and, with a
/// submission, its files. A refused step or file leaves nothing behind.
#[allow(clippy::too_many_arguments)]
pub async fn take_step(
    db: &DatabaseConnection,
    actor: &Actor,
    audit: &Audit,
    notice_id: i64,
    step: Step,
    text: Option<String>,
    files: Vec<notice_attachments::Checked>,
    public_url: &str,
    now: DateTime<Utc>,
) -> JobResult<entities::notice::Model> {
    let notice = domain::store::get::<Notices>(db, actor, notice_id).await?;
    notices::may_step(actor, &notice, step)?;
    if step != Step::Submit && !files.is_empty() {
        return Err(JobError::bad("files", "only a submission carries files"));
    }
    let _db = domain::db_share::permit().await;
    let mut txn = audit.begin(db).await?;
    let before = notice.clone();
    let updated = advance(&txn, notice, step, text, public_url, now).await?;
    let mut change = Change::on(Notices::NAME, Some(updated.id), Notices::scope(&updated))
        .updated(&before, &updated)?;
    if !files.is_empty() {
        let written =
            notice_attachments::insert(&txn, updated.id, actor.user_id, files, now).await?;
        change = change.with_after_field("attachments", serde_json::Value::Array(written));
    }
    txn.record(change).await?;
    txn.commit().await?;
    Ok(updated)
}

/// The e-mails of the region's enabled supervisors that have one.
pub(crate) async fn supervisor_emails(
    txn: &DatabaseTransaction,
    region_id: i64,
) -> JobResult<Vec<String>> {
    use entities::user::Column;
    user_emails(txn, RoleKind::Supervisor, Column::RegionId.eq(region_id)).await
}

/// The e-mails of the enabled users of `role` bound as `bound` (a region, a
/// vendor) that have one, oldest user first.
pub(crate) async fn user_emails(
    txn: &DatabaseTransaction,
    role: RoleKind,
    bound: sea_orm::sea_query::SimpleExpr,
) -> JobResult<Vec<String>> {
    use entities::user::Column;
    let users = entities::user::Entity::find()
        .filter(Column::Role.eq(role.as_str()))
        .filter(bound)
        .filter(Column::Disabled.eq(false))
        .filter(Column::Email.is_not_null())
        .order_by_asc(Column::Id)
        .all(txn)
        .await?;
    Ok(users.into_iter().filter_map(|u| u.email).collect())
}

/// The vendor and the region of a stored notice; a missing one is corrupt data.
async fn parties(
    txn: &DatabaseTransaction,
    notice: &entities::notice::Model,
) -> JobResult<(entities::vendor::Model, entities::region::Model)> {
    let vendor = entities::vendor::Entity::find_by_id(notice.vendor_id)
        .one(txn)
        .await?
        .ok_or_else(|| JobError::Internal(format!("notice {}: no vendor", notice.id).into()))?;
    let region = entities::region::Entity::find_by_id(notice.region_id)
        .one(txn)
        .await?
        .ok_or_else(|| JobError::Internal(format!("notice {}: no region", notice.id).into()))?;
    Ok((vendor, region))
}
