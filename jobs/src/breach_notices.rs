//! The breach register as every edge writes it (the GraphQL mutations and
//! the console's forms call these): the domain's rules (`domain::breaches`),
//! the audit entry and the consequences of a confirmation in one transaction.
//!
//! A confirmation (a proposal confirmed, or a breach recorded by hand, which
//! is confirmed at once) issues the vendor a rectification notice
//! (`NoticeKind::Breach`, deadline by the notices' rule, mailed to the
//! vendor's contacts; its basis names the row, the arithmetic, the penalty
//! and the breach's page), stored in `breaches.notice_id` so the vendor
//! answers the rectification through the notice flow; and when it is the
//! event that gives the agency the right to terminate (附件1), the region's
//! supervisors get an alert mail.

use chrono::{DateTime, Utc};
use domain::actor::Actor;
use domain::audit::{Audit, Change};
use domain::breaches::decide::{Decided, termination_right_given};
use domain::breaches::{self, Breach, Breaches, Decision, NewBreach, VendorAnswer};
use domain::charging::MajorIncidentCount;
use domain::notices::NewNotice;
use domain::store::Resource;
use entities::notice::NoticeKind;
use sea_orm::{
    ActiveModelTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, IntoActiveModel, Set,
};

use crate::error::{JobError, JobResult};
use crate::mail::breaches::{TerminationAlert, breach_link, render_termination_alert};
use crate::mail::outbox;

/// A supervisor records a breach (`recordBreach`): written confirmed and
/// charged, audited, its notice issued and mailed, the alert sent if due.
pub async fn record(
    db: &DatabaseConnection,
    actor: &Actor,
    audit: &Audit,
    new: NewBreach,
    public_url: &str,
    now: DateTime<Utc>,
) -> JobResult<Breach> {
    let _db = domain::db_share::permit().await;
    let mut txn = audit.begin(db).await?;
    let recorded = breaches::record(&txn, actor, new, now).await?;
    let change = Change::on(
        Breaches::NAME,
        Some(recorded.id),
        Breaches::scope(&recorded),
    )
    .created(&recorded)?;
    txn.record(change).await?;
    let right = termination_right_given(&txn, &recorded).await?;
    let breach = after_confirmation(&txn, actor, recorded, right, public_url, now).await?;
    txn.commit().await?;
    Ok(breach)
}

/// A supervisor confirms or dismisses a proposal (`confirmBreach`,
/// `dismissBreach`); a confirmation has the consequences above.
pub async fn decide(
    db: &DatabaseConnection,
    actor: &Actor,
    audit: &Audit,
    breach_id: i64,
    decision: Decision,
    public_url: &str,
    now: DateTime<Utc>,
) -> JobResult<Breach> {
    let confirm = matches!(decision, Decision::Confirm { .. });
    let _db = domain::db_share::permit().await;
    let mut txn = audit.begin(db).await?;
    let Decided {
        breach,
        termination_right,
    } = breaches::decide(&mut txn, actor, breach_id, decision, now).await?;
    let breach = if confirm {
        after_confirmation(&txn, actor, breach, termination_right, public_url, now).await?
    } else {
        breach
    };
    txn.commit().await?;
    Ok(breach)
}

/// The vendor answers its confirmed breach (`answerBreach`).
pub async fn answer(
    db: &DatabaseConnection,
    actor: &Actor,
    audit: &Audit,
    breach_id: i64,
    answer: VendorAnswer,
    reason: Option<String>,
    now: DateTime<Utc>,
) -> JobResult<Breach> {
    let _db = domain::db_share::permit().await;
    let mut txn = audit.begin(db).await?;
    let answered = breaches::answer(&mut txn, actor, breach_id, answer, reason, now).await?;
    txn.commit().await?;
    Ok(answered)
}

/// The notice (and its mail) of a confirmed breach, and the alert when due.
async fn after_confirmation(
    txn: &DatabaseTransaction,
    actor: &Actor,
    breach: Breach,
    right: Option<MajorIncidentCount>,
    public_url: &str,
    now: DateTime<Utc>,
) -> JobResult<Breach> {
    let link = breach_link(public_url, breach.id);
    let penalty = breach
        .penalty
        .map(engine::money_text)
        .unwrap_or_else(|| "—".into());
    let notice = NewNotice {
        region_id: breach.region_id,
        vendor_id: breach.vendor_id,
        kind: NoticeKind::Breach,
        period: Some(breach.period.clone()),
        reason: breach.description.clone(),
        basis: vec![
            breach.basis.clone(),
            format!("违约金：{penalty}"),
            format!("违约记录：{link}（可在该页面接受或提出异议）"),
        ],
        result_id: None,
        risk_id: None,
        deadline: None,
        created_by: Some(actor.user_id),
    };
    let notice = crate::notices::issue(txn, notice, public_url, now).await?;
    let mut active = breach.into_active_model();
    active.notice_id = Set(Some(notice.id));
    let breach = active.update(txn).await?;
    if let Some(count) = right {
        alert(txn, &breach, &count, &link, now).await?;
    }
    Ok(breach)
}

async fn alert(
    txn: &DatabaseTransaction,
    breach: &Breach,
    count: &MajorIncidentCount,
    link: &str,
    now: DateTime<Utc>,
) -> JobResult<()> {
    let missing =
        |what: &str| JobError::Internal(format!("breach {}: no {what}", breach.id).into());
    let vendor = entities::vendor::Entity::find_by_id(breach.vendor_id)
        .one(txn)
        .await?
        .ok_or_else(|| missing("vendor"))?;
    let region = entities::region::Entity::find_by_id(breach.region_id)
        .one(txn)
        .await?
        .ok_or_else(|| missing("region"))?;
    let level = match breach.incident_level {
        Some(entities::breach::IncidentLevel::A) => "A",
        _ => "B",
    };
    let mail = TerminationAlert {
        breach_id: breach.id,
        region_name: region.name,
        vendor_name: vendor.name,
        contract_id: breach.contract_id.unwrap_or_default(),
        level,
        a_level: count.a_level,
        b_level: count.b_level,
        a_level_needed: count.a_level_needed,
        b_level_needed: count.b_level_needed,
        penalty: engine::money_text(count.assessed.penalty),
        link: link.to_owned(),
    };
    let (subject, body) = render_termination_alert(&mail);
    let recipients = crate::notices::supervisor_emails(txn, breach.region_id).await?;
    outbox::enqueue_about(txn, None, &recipients, &subject, &body, now).await?;
    Ok(())
}
