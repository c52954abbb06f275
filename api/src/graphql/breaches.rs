//! The breach register (违约记录) through GraphQL: an event charged under its
//! contract's terms (spec §5), proposed by detection or recorded by a
//! supervisor (`recordBreach`, confirmed at once), a proposal confirmed or
//! dismissed with a reason (`confirmBreach`, `dismissBreach`), answered by the
//! vendor (`answerBreach`). A vendor reads its own confirmed breaches only;
//! an agency none (`domain::breaches`).

use async_graphql::{ComplexObject, Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use engine::contract_terms::{Charge, RowRef};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, Condition};

use super::nested::{self, id};
use crate::error::{DomainError, DomainResult, GqlResult};
use crate::graphql::crud;
use domain::breaches::{self as register, Decision, NewBreach};
use domain::period::local;
use domain::reference::{contracts::Contracts, notices::Notices, systems::InformationSystems};

pub use domain::breaches::Breaches;
use entities::breach::Column;

/// How an event came to the register.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum BreachKind {
    /// 连续三个月考核不合格且限期整改后仍未达标 (general row 3).
    ThreeConsecutiveFailedMonths,
    /// A system down 2 h or more; 3 in a row or 8 h in the term (rows 5, 6).
    Outage,
    /// Availability below 99.99 % with 3 or more complaints (row 2).
    AvailabilityComplaints,
    /// Recorded by a supervisor with evidence.
    Recorded,
}

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum BreachStatus {
    /// 待确认: detected, waiting for a supervisor.
    Proposed,
    /// 已确认: charged.
    Confirmed,
    /// 不予认定, with the supervisor's reason.
    Dismissed,
}

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum BreachSource {
    Detected,
    Recorded,
}

/// 附件1: major-incident levels.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum IncidentLevel {
    A,
    B,
}

/// The vendor's answer.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum BreachAnswer {
    Accepted,
    Disputed,
}

macro_rules! mirror {
    ($ours:ident <=> $theirs:path { $($v:ident),+ }) => {
        impl From<$theirs> for $ours {
            fn from(v: $theirs) -> Self {
                use $theirs as T;
                match v { $(T::$v => Self::$v),+ }
            }
        }
        impl From<$ours> for $theirs {
            fn from(v: $ours) -> Self {
                match v { $($ours::$v => Self::$v),+ }
            }
        }
    };
}

mirror!(BreachKind <=> entities::breach::BreachKind { ThreeConsecutiveFailedMonths, Outage, AvailabilityComplaints, Recorded });
mirror!(BreachStatus <=> entities::breach::BreachStatus { Proposed, Confirmed, Dismissed });
mirror!(BreachSource <=> entities::breach::BreachSource { Detected, Recorded });
mirror!(IncidentLevel <=> entities::breach::IncidentLevel { A, B });
mirror!(BreachAnswer <=> entities::breach::VendorAnswer { Accepted, Disputed });

/// A row of the contract terms' breach tables (`general` row 5).
#[derive(SimpleObject, Clone)]
pub struct BreachRowRef {
    pub table: String,
    pub number: i32,
}

/// The row a breach is charged at, as the terms state it.
#[derive(SimpleObject)]
pub struct ChargedRow {
    /// The table's code (`general`, `serious`, `paas`), or
    /// `security_rectification_late` (seed 002 §13.6: rate × contract amount).
    pub table: String,
    /// Null for the security-rectification charge.
    pub number: Option<i32>,
    pub description: String,
    /// Of the monthly fee (0.3 = 30 %); null for a fixed amount.
    pub coefficient: Option<Decimal>,
    /// Per event or per item; null for a coefficient.
    pub fixed_amount: Option<Decimal>,
}

#[derive(SimpleObject)]
#[graphql(complex)]
pub struct Breach {
    pub id: ID,
    pub region_id: ID,
    pub vendor_id: ID,
    pub kind: BreachKind,
    pub status: BreachStatus,
    pub source: BreachSource,
    /// The month (`2024-03`, local) the event falls in.
    pub period: String,
    /// The charge's arithmetic, or why it was proposed, in Chinese.
    pub basis: String,
    pub description: String,
    pub evidence: Option<String>,
    pub occurred_at: Option<DateTime<FixedOffset>>,
    pub incident_level: Option<IncidentLevel>,
    pub matched_rows: Vec<BreachRowRef>,
    /// Exact to the fen; null until charged.
    pub penalty: Option<Decimal>,
    pub terms_code: Option<String>,
    pub terms_version: Option<i32>,
    pub contract_id: Option<ID>,
    pub system_id: Option<ID>,
    pub notice_id: Option<ID>,
    pub recorded_by_id: Option<ID>,
    pub decided_by_id: Option<ID>,
    pub decided_at: Option<DateTime<FixedOffset>>,
    pub decision_reason: Option<String>,
    pub vendor_answer: Option<BreachAnswer>,
    pub vendor_answer_reason: Option<String>,
    pub answered_at: Option<DateTime<FixedOffset>>,
    pub rectification_due: Option<NaiveDate>,
    pub created_at: DateTime<FixedOffset>,
    #[graphql(skip)]
    charged: Option<(String, Option<i32>)>,
}

impl TryFrom<register::Breach> for Breach {
    type Error = DomainError;
    fn try_from(m: register::Breach) -> DomainResult<Self> {
        let matched_rows = register::matched_rows(&m)?
            .into_iter()
            .map(|r| BreachRowRef {
                table: r.table,
                number: r.number as i32,
            })
            .collect();
        Ok(Self {
            id: id(m.id),
            region_id: id(m.region_id),
            vendor_id: id(m.vendor_id),
            kind: m.kind.into(),
            status: m.status.into(),
            source: m.source.into(),
            period: m.period,
            basis: m.basis,
            description: m.description,
            evidence: m.evidence,
            occurred_at: m.occurred_at.map(local),
            incident_level: m.incident_level.map(Into::into),
            matched_rows,
            // SQLite hands decimals back through f64: restore the fen scale.
            penalty: m.penalty.map(engine::two_dp),
            terms_code: m.terms_code,
            terms_version: m.terms_version,
            contract_id: m.contract_id.map(id),
            system_id: m.system_id.map(id),
            notice_id: m.notice_id.map(id),
            recorded_by_id: m.recorded_by.map(id),
            decided_by_id: m.decided_by.map(id),
            decided_at: m.decided_at.map(local),
            decision_reason: m.decision_reason,
            vendor_answer: m.vendor_answer.map(Into::into),
            vendor_answer_reason: m.vendor_answer_reason,
            answered_at: m.answered_at.map(local),
            rectification_due: m.rectification_due,
            created_at: local(m.created_at),
            charged: m.charged_table.map(|t| (t, m.charged_row)),
        })
    }
}

#[ComplexObject]
impl Breach {
    /// The row charged (the heaviest matched: 择其重者), as its terms state it.
    async fn charged_row(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<ChargedRow>> {
        charged_row(ctx, self).await.gql()
    }
    async fn contract(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<super::contracts::Contract>> {
        nested::optional::<Contracts, _>(ctx, &self.contract_id).await
    }
    async fn system(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<super::systems::InformationSystem>> {
        nested::optional::<InformationSystems, _>(ctx, &self.system_id).await
    }
    /// The rectification notice issued on confirmation.
    async fn notice(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<super::notices::Notice>> {
        nested::optional::<Notices, _>(ctx, &self.notice_id).await
    }
}

async fn charged_row(ctx: &Context<'_>, breach: &Breach) -> DomainResult<Option<ChargedRow>> {
    let Some((table, number)) = breach.charged.clone() else {
        return Ok(None);
    };
    let (state, _) = crud::env(ctx)?;
    let terms = match &breach.terms_code {
        Some(code) => {
            let version = breach.terms_version.map(|v| v as u32);
            domain::contract_terms::resolve(&state.db, code, version).await?
        }
        None => None,
    };
    if table == register::SECURITY_RECTIFICATION_LATE {
        return Ok(Some(ChargedRow {
            table,
            number: None,
            description: "安全整改未按期完成（合同金额 × 比例）".to_owned(),
            coefficient: terms.and_then(|t| t.security_rectification_late_rate),
            fixed_amount: None,
        }));
    }
    let at = RowRef::new(&table, number.unwrap_or_default() as u32);
    let row = terms
        .as_ref()
        .and_then(|t| t.row(&at))
        .map(|(_, r)| r.clone());
    let (coefficient, fixed_amount) = match row.as_ref().map(|r| &r.charge) {
        Some(Charge::MonthlyFeeCoefficient { coefficient }) => (Some(*coefficient), None),
        Some(Charge::FixedPerEvent { amount } | Charge::FixedPerItem { amount }) => {
            (None, Some(engine::two_dp(*amount)))
        }
        None => (None, None),
    };
    Ok(Some(ChargedRow {
        table,
        number,
        description: row.map(|r| r.description).unwrap_or_default(),
        coefficient,
        fixed_amount,
    }))
}

/// One page of breaches, newest first.
#[derive(SimpleObject)]
pub struct BreachPage {
    pub items: Vec<Breach>,
    pub total: u64,
    pub offset: u64,
    pub limit: u64,
}

#[derive(InputObject, Default)]
pub struct BreachFilter {
    pub region_id: Option<ID>,
    pub vendor_id: Option<ID>,
    pub contract_id: Option<ID>,
    pub status: Option<BreachStatus>,
    /// The first month (`2024-01`) of the events' months, inclusive.
    pub from: Option<String>,
    /// The last month (`2024-12`), inclusive.
    pub to: Option<String>,
}

/// A `YYYY-MM` month as given, or refused naming the field.
fn month(field: &str, text: Option<String>) -> DomainResult<Option<String>> {
    let Some(text) = text.map(|t| t.trim().to_owned()) else {
        return Ok(None);
    };
    let valid =
        text.len() == 7 && NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d").is_ok();
    if !valid {
        return Err(DomainError::bad(
            field,
            "月份格式应为 YYYY-MM，例如 2024-03",
        ));
    }
    Ok(Some(text))
}

/// The register narrowed by `filter`, as the console's list reads it too.
pub fn parse_filter(filter: BreachFilter) -> DomainResult<(domain::store::ListFilter, Condition)> {
    let list = domain::store::ListFilter {
        region_id: crud::parse_opt_id("filter.regionId", &filter.region_id)?,
        vendor_id: crud::parse_opt_id("filter.vendorId", &filter.vendor_id)?,
        ..Default::default()
    };
    let mut also = Condition::all();
    if let Some(contract) = crud::parse_opt_id("filter.contractId", &filter.contract_id)? {
        also = also.add(Column::ContractId.eq(contract));
    }
    if let Some(status) = filter.status {
        also = also.add(Column::Status.eq(entities::breach::BreachStatus::from(status)));
    }
    if let Some(from) = month("filter.from", filter.from)? {
        also = also.add(Column::Period.gte(from));
    }
    if let Some(to) = month("filter.to", filter.to)? {
        also = also.add(Column::Period.lte(to));
    }
    Ok((list, also))
}

#[derive(Default)]
pub struct BreachQuery;

#[Object]
impl BreachQuery {
    async fn breach(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Breach> {
        nested::one::<Breaches, Breach>(ctx, &id).await
    }

    /// The register the caller may read, newest first.
    #[graphql(complexity = "crate::graphql::crud::page_complexity(limit, child_complexity)")]
    async fn breaches(
        &self,
        ctx: &Context<'_>,
        filter: Option<BreachFilter>,
        offset: Option<i64>,
        limit: Option<i64>,
    ) -> async_graphql::Result<BreachPage> {
        async {
            let (state, actor) = crud::env(ctx)?;
            let (list, also) = parse_filter(filter.unwrap_or_default())?;
            let page =
                domain::store::list_where::<Breaches>(&state.db, actor, list, also, offset, limit)
                    .await?;
            let items = page
                .items
                .into_iter()
                .map(Breach::try_from)
                .collect::<DomainResult<Vec<_>>>()?;
            Ok::<_, DomainError>(BreachPage {
                items,
                total: page.total,
                offset: page.offset,
                limit: page.limit,
            })
        }
        .await
        .gql()
    }
}

#[derive(InputObject)]
pub struct BreachRowInput {
    /// The table's code in the governing terms (`general`, `serious`, `paas`).
    pub table: String,
    pub number: i32,
}

#[derive(InputObject)]
pub struct RecordBreachInput {
    pub region_id: ID,
    pub vendor_id: ID,
    pub system_id: Option<ID>,
    /// When it happened (with its offset; Beijing time `+08:00`).
    pub occurred_at: DateTime<FixedOffset>,
    pub description: String,
    pub evidence: Option<String>,
    /// The rows of the governing terms it matches (≥ 1 unless
    /// `securityRectificationLate`); charged once, at the heaviest.
    #[graphql(default)]
    pub rows: Vec<BreachRowInput>,
    /// Items concerned, for rows charged per item (default 1).
    pub items: Option<i32>,
    pub incident_level: Option<IncidentLevel>,
    /// Security rectification not completed in time (seed 002 §13.6): charged
    /// the terms' rate × the contract amount, with no rows.
    #[graphql(default)]
    pub security_rectification_late: bool,
}

impl RecordBreachInput {
    fn parse(self) -> DomainResult<NewBreach> {
        let rows = self
            .rows
            .into_iter()
            .map(|r| {
                u32::try_from(r.number)
                    .map(|n| RowRef::new(r.table.trim(), n))
                    .map_err(|_| DomainError::bad("input.rows", "行号应为正整数"))
            })
            .collect::<DomainResult<Vec<_>>>()?;
        let items = match self.items {
            None => 1,
            Some(n) if n >= 1 => n as u32,
            Some(_) => return Err(DomainError::bad("input.items", "数量应为正整数")),
        };
        Ok(NewBreach {
            region_id: crud::parse_id("input.regionId", &self.region_id)?,
            vendor_id: crud::parse_id("input.vendorId", &self.vendor_id)?,
            system_id: crud::parse_opt_id("input.systemId", &self.system_id)?,
            occurred_at: self.occurred_at.with_timezone(&Utc),
            description: self.description,
            evidence: self.evidence,
            rows,
            items,
            incident_level: self.incident_level.map(Into::into),
            security_rectification_late: self.security_rectification_late,
        })
    }
}

#[derive(Default)]
pub struct BreachMutation;

#[Object]
impl BreachMutation {
    /// A supervisor of the region records a breach with evidence: charged
    /// under the covering contract's terms and confirmed at once; the vendor
    /// gets its rectification notice by mail.
    async fn record_breach(
        &self,
        ctx: &Context<'_>,
        input: RecordBreachInput,
    ) -> async_graphql::Result<Breach> {
        async {
            let (state, actor) = crud::env(ctx)?;
            let new = input.parse()?;
            let audit = crate::graphql::audit::of(ctx, actor);
            let b = jobs::breach_notices::record(
                &state.db,
                actor,
                &audit,
                new,
                &state.public_url,
                Utc::now(),
            )
            .await?;
            Breach::try_from(b)
        }
        .await
        .gql()
    }

    /// A supervisor of the region confirms a proposal: charged anew under the
    /// contract's current terms, the vendor's notice mailed, and the
    /// supervisors alerted when it gives the right to terminate.
    async fn confirm_breach(
        &self,
        ctx: &Context<'_>,
        id: ID,
        reason: Option<String>,
    ) -> async_graphql::Result<Breach> {
        decide(ctx, &id, Decision::Confirm { reason }).await.gql()
    }

    /// A supervisor of the region dismisses a proposal with a reason.
    async fn dismiss_breach(
        &self,
        ctx: &Context<'_>,
        id: ID,
        reason: String,
    ) -> async_graphql::Result<Breach> {
        decide(ctx, &id, Decision::Dismiss { reason }).await.gql()
    }

    /// The vendor answers its confirmed breach, once: accepts, or disputes
    /// with a reason (required).
    async fn answer_breach(
        &self,
        ctx: &Context<'_>,
        id: ID,
        answer: BreachAnswer,
        reason: Option<String>,
    ) -> async_graphql::Result<Breach> {
        async {
            let (state, actor) = crud::env(ctx)?;
            let breach_id = crud::parse_id("id", &id)?;
            let audit = crate::graphql::audit::of(ctx, actor);
            let b = jobs::breach_notices::answer(
                &state.db,
                actor,
                &audit,
                breach_id,
                answer.into(),
                reason,
                Utc::now(),
            )
            .await?;
            Breach::try_from(b)
        }
        .await
        .gql()
    }
}

async fn decide(ctx: &Context<'_>, id: &ID, decision: Decision) -> DomainResult<Breach> {
    let (state, actor) = crud::env(ctx)?;
    let breach_id = crud::parse_id("id", id)?;
    let audit = crate::graphql::audit::of(ctx, actor);
    let b = jobs::breach_notices::decide(
        &state.db,
        actor,
        &audit,
        breach_id,
        decision,
        &state.public_url,
        Utc::now(),
    )
    .await?;
    Breach::try_from(b)
}
