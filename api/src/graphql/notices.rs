//! Rectification notices through GraphQL. Supervisors see and raise their
//! region's, vendors see their own; the vendor acknowledges and submits its
//! rectification, the supervisor accepts or reopens.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

use super::nested::id;
use crate::error::{DomainError, DomainResult, GqlResult};
use crate::graphql::crud::{self};
use domain::access::{self, Policy, Scope};
use domain::actor::Role;
use domain::audit::Change;
use domain::notices::{self, NewNotice, NoticeKind, Step};
use domain::period::local;
use domain::store::Resource;
use domain::validate;

pub use domain::reference::notices::Notices;

#[derive(SimpleObject)]
#[graphql(complex)]
pub struct Notice {
    pub id: ID,
    /// `沪政云监〔2026〕第12号`: the region's prefix, the year of issue and the
    /// notice's number in the region and year.
    pub document_number: String,
    pub region_id: ID,
    pub vendor_id: ID,
    /// MONTHLY_BELOW_PASS_MARK, ANNUAL_PENALTY, SECURITY_RISK_OVERDUE, MANUAL or BREACH.
    pub kind: String,
    pub reason: String,
    /// The deductions or facts behind it.
    pub basis: Vec<String>,
    pub result_id: Option<ID>,
    pub risk_id: Option<ID>,
    pub deadline: NaiveDate,
    /// ISSUED, ACKNOWLEDGED, SUBMITTED, ACCEPTED, REOPENED, or SUPERSEDED (closed:
    /// a newer published result no longer supports it).
    pub status: String,
    /// Past its deadline and not accepted.
    pub overdue: bool,
    pub rectification: Option<String>,
    pub created_at: DateTime<FixedOffset>,
    pub updated_at: DateTime<FixedOffset>,
}

impl TryFrom<entities::notice::Model> for Notice {
    type Error = DomainError;

    fn try_from(m: entities::notice::Model) -> DomainResult<Self> {
        Ok(Self {
            overdue: notices::is_overdue(&m, Utc::now()),
            basis: notices::basis(&m)?,
            id: id(m.id),
            document_number: m.document_number,
            region_id: id(m.region_id),
            vendor_id: id(m.vendor_id),
            kind: m.kind.as_str().to_owned(),
            reason: m.reason,
            result_id: m.result_id.map(id),
            risk_id: m.risk_id.map(id),
            deadline: m.deadline,
            status: m.status.as_str().to_owned(),
            rectification: m.rectification,
            created_at: local(m.created_at),
            updated_at: local(m.updated_at),
        })
    }
}

/// A file submitted with the rectification (its bytes are downloaded from
/// the console: `/notices/{id}/attachments/{attachmentId}`).
#[derive(SimpleObject)]
pub struct NoticeAttachment {
    pub id: ID,
    pub file_name: String,
    /// `application/pdf`, `image/png` or `image/jpeg`, from the file's bytes.
    pub content_type: String,
    /// Bytes.
    pub size: i64,
    pub uploaded_at: DateTime<FixedOffset>,
}

/// A mail of a notice that was given up after every try.
#[derive(SimpleObject)]
pub struct UndeliveredMail {
    pub recipient: String,
    pub attempts: i32,
    /// What the mail server (or the connection) said the last time.
    pub last_error: Option<String>,
    pub queued_at: DateTime<FixedOffset>,
}

#[async_graphql::ComplexObject]
impl Notice {
    /// The files the vendor submitted with its rectification, oldest first.
    async fn attachments(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<NoticeAttachment>> {
        async {
            let (state, actor) = crud::env(ctx)?;
            let rows =
                domain::notice_attachments::list(&state.db, actor, crud::parse_id("id", &self.id)?)
                    .await?;
            Ok::<_, DomainError>(
                rows.into_iter()
                    .map(|a| NoticeAttachment {
                        id: id(a.id),
                        file_name: a.file_name,
                        content_type: a.content_type,
                        size: a.size,
                        uploaded_at: local(a.uploaded_at),
                    })
                    .collect(),
            )
        }
        .await
        .gql()
    }

    /// The notice's mails given up after `MAIL_MAX_ATTEMPTS` failed tries, so the
    /// region's supervisors can reach the vendor another way. Supervisors and
    /// administrators only.
    async fn undelivered_mails(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<UndeliveredMail>> {
        async {
            use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
            let (state, actor) = crud::env(ctx)?;
            if matches!(actor.role, Role::Vendor { .. } | Role::Agency { .. }) {
                return Err(DomainError::forbidden(
                    "only supervisors see undelivered mails",
                ));
            }
            let notice =
                domain::store::get::<Notices>(&state.db, actor, crud::parse_id("id", &self.id)?)
                    .await?;
            let rows = entities::outbox::Entity::find()
                .filter(entities::outbox::Column::NoticeId.eq(notice.id))
                .filter(entities::outbox::Column::Status.eq(entities::outbox::OutboxStatus::Failed))
                .order_by_asc(entities::outbox::Column::Id)
                .all(&state.db)
                .await?;
            Ok::<_, DomainError>(
                rows.into_iter()
                    .map(|m| UndeliveredMail {
                        recipient: m.recipient,
                        attempts: m.attempts,
                        last_error: m.last_error,
                        queued_at: local(m.created_at),
                    })
                    .collect(),
            )
        }
        .await
        .gql()
    }
}

crud_api!(@read resource: Notices, object: Notice, page: NoticePage, query: NoticeQuery { notice, notices });

#[derive(InputObject)]
pub struct CreateNoticeInput {
    pub region_id: ID,
    pub vendor_id: ID,
    pub reason: String,
    #[graphql(default)]
    pub basis: Vec<String>,
    /// Default: 10 working days from today.
    pub deadline: Option<NaiveDate>,
}

#[derive(Default)]
pub struct NoticeMutation;

#[Object]
impl NoticeMutation {
    /// A notice raised by hand (supervisors of the region); mailed to the vendor.
    async fn create_notice(
        &self,
        ctx: &Context<'_>,
        input: CreateNoticeInput,
    ) -> async_graphql::Result<Notice> {
        async {
            let (state, actor) = crud::env(ctx)?;
            let region_id = crud::parse_id("input.regionId", &input.region_id)?;
            let vendor_id = crud::parse_id("input.vendorId", &input.vendor_id)?;
            if !access::can_modify(
                actor,
                &Policy::FACT,
                Scope {
                    region: Some(region_id),
                    vendor: Some(vendor_id),
                    agency: None,
                },
            ) {
                return Err(DomainError::forbidden(
                    "only the region's supervisors raise notices",
                ));
            }
            let now = Utc::now();
            if input.deadline.is_some_and(|d| d < local(now).date_naive()) {
                return Err(DomainError::bad(
                    "input.deadline",
                    "must not be in the past",
                ));
            }
            if let Some(d) = input.deadline {
                validate::deadline("input.deadline", d, local(now).date_naive())?;
            }
            // The lines of the notice's basis: a letter, not a data dump.
            const MAX_BASIS_LINES: usize = 50;
            if input.basis.len() > MAX_BASIS_LINES {
                return Err(DomainError::bad(
                    "input.basis",
                    format!("must have at most {MAX_BASIS_LINES} lines"),
                ));
            }
            let basis = input
                .basis
                .into_iter()
                .enumerate()
                .map(|(i, b)| validate::text(&format!("input.basis[{i}]"), b, 2000))
                .collect::<DomainResult<Vec<_>>>()?;
            let new = NewNotice {
                region_id,
                vendor_id,
                kind: NoticeKind::Manual,
                period: None,
                reason: validate::text("input.reason", input.reason, 2000)?,
                basis,
                result_id: None,
                risk_id: None,
                deadline: input.deadline,
                created_by: Some(actor.user_id),
            };
            let audit = crate::graphql::audit::of(ctx, actor);
            let _db = domain::db_share::permit().await;
            let mut txn = audit.begin(&state.db).await?;
            let notice = jobs::notices::issue(&txn, new, &state.public_url, now).await?;
            let change = Change::on(Notices::NAME, Some(notice.id), Notices::scope(&notice))
                .created(&notice)?;
            txn.record(change).await?;
            txn.commit().await?;
            Notice::try_from(notice)
        }
        .await
        .gql()
    }

    /// The vendor confirms it has received the notice.
    async fn acknowledge_notice(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Notice> {
        step(ctx, &id, Step::Acknowledge, None).await.gql()
    }

    /// The vendor says what it rectified.
    async fn submit_rectification(
        &self,
        ctx: &Context<'_>,
        id: ID,
        rectification: String,
    ) -> async_graphql::Result<Notice> {
        step(ctx, &id, Step::Submit, Some(rectification))
            .await
            .gql()
    }

    /// The supervisor accepts the rectification: the notice is closed.
    async fn accept_rectification(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<Notice> {
        step(ctx, &id, Step::Accept, None).await.gql()
    }

    /// The supervisor sends the rectification back.
    async fn reopen_notice(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Notice> {
        step(ctx, &id, Step::Reopen, None).await.gql()
    }
}

/// A step through the same function as the console's forms
/// (`jobs::notices::take_step`): read through the store, checked as the
/// actor's, audited and mailed in one transaction.
async fn step(
    ctx: &Context<'_>,
    notice_id: &ID,
    step: Step,
    text: Option<String>,
) -> DomainResult<Notice> {
    let (state, actor) = crud::env(ctx)?;
    let notice_id = crud::parse_id("id", notice_id)?;
    let audit = crate::graphql::audit::of(ctx, actor);
    let updated = jobs::notices::take_step(
        &state.db,
        actor,
        &audit,
        notice_id,
        step,
        text,
        Vec::new(),
        &state.public_url,
        Utc::now(),
    )
    .await?;
    Notice::try_from(updated)
}
