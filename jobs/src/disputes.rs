//! Disputes as every edge files and decides them (the GraphQL mutations and
//! the console's forms call these): the domain's rules (`domain::disputes`),
//! the audit entry and the mails in one transaction, and after an accepted
//! dispute the month re-run as a new draft revision (`runs::run_for`, not
//! published: the supervisor reviews it and publishes as usual).
//!
//! Mail: a dispute filed goes to the region's supervisors that have an
//! e-mail; a decision to those and to the vendor's users that have one, each
//! linking to the dispute's page.

use chrono::{DateTime, Utc};
use domain::actor::{Actor, RoleKind};
use domain::assessments::AssessmentResults;
use domain::audit::{Audit, Change};
use domain::disputes::{self, ClearedFlag, Decision, Dispute, Disputes, NewDispute};
use domain::notice_attachments::Checked;
use domain::store::Resource;
use sea_orm::{DatabaseConnection, DatabaseTransaction, EntityTrait};

use crate::error::{JobError, JobResult};
use crate::leases::Lease;
use crate::mail::outbox;
use crate::mail::templates::{self, DisputeMail, DisputeMailKind};
use crate::observe::Observer;
use crate::runs::{self, Target};

/// What the platform's settings give a dispute.
#[derive(Clone, Copy, Debug)]
pub struct Settings<'a> {
    /// `DISPUTE_WINDOW_WORKING_DAYS`.
    pub window_days: u32,
    /// `PUBLIC_URL`: the mails link to `{public_url}/disputes/{id}`.
    pub public_url: &'a str,
}

/// The vendor disputes a deduction of its published result `result_id`: the
/// result read through the store (another vendor's is `NOT_FOUND`), the
/// dispute and its file written, audited as `disputeDeduction`, and the
/// region's supervisors mailed, in one transaction.
#[allow(clippy::too_many_arguments)]
pub async fn file(
    db: &DatabaseConnection,
    actor: &Actor,
    audit: &Audit,
    result_id: i64,
    new: NewDispute,
    attachment: Option<Checked>,
    settings: Settings<'_>,
    now: DateTime<Utc>,
) -> JobResult<Dispute> {
    let result = domain::store::get::<AssessmentResults>(db, actor, result_id).await?;
    let _db = domain::db_share::permit().await;
    let mut txn = audit.begin(db).await?;
    let dispute = disputes::file(
        &txn,
        actor,
        &result,
        new,
        attachment,
        settings.window_days,
        now,
    )
    .await?;
    let change = Change::on(Disputes::NAME, Some(dispute.id), Disputes::scope(&dispute))
        .created(&dispute)?;
    txn.record(change).await?;
    let recipients = crate::notices::supervisor_emails(&txn, dispute.region_id).await?;
    mail(
        &txn,
        &result,
        &dispute,
        DisputeMailKind::Filed,
        &recipients,
        settings,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(dispute)
}

/// A decided dispute and, for an accepted one, the run that re-assessed its
/// month (none when the run could not start: the decision stands and the
/// supervisor runs the month from the dashboard).
pub struct Decided {
    pub dispute: Dispute,
    pub rerun: Option<entities::assessment_run::Model>,
    /// Why the re-run did not happen, in the run's own words.
    pub rerun_error: Option<String>,
}

/// A supervisor of the region decides: the dispute closed (and, accepted,
/// the fact's flag cleared, audited as its own update), both sides mailed,
/// in one transaction; then an accepted dispute's month is re-run.
#[allow(clippy::too_many_arguments)]
pub async fn decide(
    db: &DatabaseConnection,
    lease: &Lease,
    observer: &dyn Observer,
    actor: &Actor,
    audit: &Audit,
    dispute_id: i64,
    decision: Decision,
    settings: Settings<'_>,
    now: DateTime<Utc>,
) -> JobResult<Decided> {
    let accepted = matches!(decision, Decision::Accept { .. });
    let dispute = {
        let _db = domain::db_share::permit().await;
        let mut txn = audit.begin(db).await?;
        let dispute = disputes::decide(&mut txn, actor, dispute_id, decision, now).await?;
        let result = entities::assessment_result::Entity::find_by_id(dispute.result_id)
            .one(&*txn)
            .await?
            .ok_or_else(|| JobError::Internal(format!("dispute {dispute_id}: no result").into()))?;
        let kind = match dispute.cleared {
            Some(flag) if accepted => DisputeMailKind::Accepted {
                cleared: cleared_text(flag),
            },
            _ => DisputeMailKind::Rejected,
        };
        let mut recipients = crate::notices::supervisor_emails(&txn, dispute.region_id).await?;
        recipients.extend(vendor_user_emails(&txn, dispute.vendor_id).await?);
        mail(&txn, &result, &dispute, kind, &recipients, settings, now).await?;
        txn.commit().await?;
        dispute
    };
    if !accepted {
        return Ok(Decided {
            dispute,
            rerun: None,
            rerun_error: None,
        });
    }
    let target = Target::month(&dispute.period)?;
    let ran = {
        let _db = domain::db_share::permit().await;
        runs::run_for(db, lease, observer, actor, dispute.region_id, target, audit).await
    };
    match ran {
        Ok(run) => {
            disputes::link_rerun(db, dispute.id, run.id).await?;
            Ok(Decided {
                dispute: Dispute {
                    rerun_id: Some(run.id),
                    ..dispute
                },
                rerun: Some(run),
                rerun_error: None,
            })
        }
        Err(e) => {
            tracing::warn!(dispute = dispute.id, error = %e, "the month of an accepted dispute was not re-run");
            Ok(Decided {
                dispute,
                rerun: None,
                rerun_error: Some(domain::DomainError::from(e).to_string()),
            })
        }
    }
}

/// What an accepted dispute did to the fact, as the mail and the pages say it.
pub fn cleared_text(flag: ClearedFlag) -> &'static str {
    match flag {
        ClearedFlag::VendorLiable => "取消服务商责任",
        ClearedFlag::Confirmed => "取消确认",
    }
}

async fn mail(
    txn: &DatabaseTransaction,
    result: &entities::assessment_result::Model,
    dispute: &Dispute,
    kind: DisputeMailKind,
    recipients: &[String],
    settings: Settings<'_>,
    now: DateTime<Utc>,
) -> JobResult<()> {
    let vendor = entities::vendor::Entity::find_by_id(dispute.vendor_id)
        .one(txn)
        .await?
        .ok_or_else(|| JobError::Internal(format!("dispute {}: no vendor", dispute.id).into()))?;
    let region = entities::region::Entity::find_by_id(dispute.region_id)
        .one(txn)
        .await?
        .ok_or_else(|| JobError::Internal(format!("dispute {}: no region", dispute.id).into()))?;
    let mail = DisputeMail {
        kind,
        dispute_id: dispute.id,
        vendor_name: vendor.name,
        region_name: region.name,
        period: dispute.period.clone(),
        deduction: disputes::deduction_text(result, dispute),
        reason: dispute.reason.clone(),
        decision_reason: dispute.decision_reason.clone(),
        link: templates::dispute_link(settings.public_url, dispute.id),
    };
    let (subject, body) = templates::render_dispute(&mail);
    outbox::enqueue_about(txn, None, recipients, &subject, &body, now).await?;
    Ok(())
}

/// The e-mails of the vendor's enabled users that have one.
async fn vendor_user_emails(txn: &DatabaseTransaction, vendor_id: i64) -> JobResult<Vec<String>> {
    use entities::user::Column;
    use sea_orm::ColumnTrait;
    crate::notices::user_emails(txn, RoleKind::Vendor, Column::VendorId.eq(vendor_id)).await
}
