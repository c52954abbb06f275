//! The settlement statement through GraphQL (issue 15 item 5):
//! `settlementStatement(contractId)` gathers what `domain::settlement` draws
//! (amount due, assessment penalty, breach penalties, instalments paid, the
//! final payment and what the vendor owes beyond it), and
//! `recordInstalmentPaid` records (or clears) the day an instalment was paid.
//! Amounts are decimals with two places, exact to the fen.

use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::contracts::{Contract, ContractInstalment};
use super::nested::id;
use crate::error::GqlResult;
use crate::graphql::crud;
use domain::settlement::{Settlement, StatementPeriod};
use engine::contract_terms::PenaltyPayment;

/// What a statement is settled over: a contract's term (`from`, `to`) or a
/// service year (`serviceYear`, the calendar year it starts in).
#[derive(SimpleObject)]
pub struct SettlementPeriod {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub service_year: Option<i32>,
    /// `2023年12月28日 至 2024年12月27日`, `2025 服务年度（2025-01..2025-12）`.
    pub text: String,
}

impl SettlementPeriod {
    fn of(p: &StatementPeriod) -> Self {
        let text = p.text();
        match *p {
            StatementPeriod::Term { from, to } => Self {
                from: Some(from),
                to: Some(to),
                service_year: None,
                text,
            },
            StatementPeriod::ServiceYear { year, .. } => Self {
                from: None,
                to: None,
                service_year: Some(year),
                text,
            },
        }
    }
}

/// The annual result's tier that the assessment penalty comes from.
#[derive(SimpleObject)]
pub struct AssessmentTier {
    pub result_id: ID,
    /// The year's total, rounded half-up to 2 decimals.
    pub total: Decimal,
    /// The tier's threshold (a total below it pays the rate); null: no tier.
    pub below: Option<Decimal>,
    /// The rate of the settlement amount (0.05 = 5 %); 0 without a tier.
    pub rate: Decimal,
    /// `年度总分 85.50，低于 90.00 分：扣 5 %`.
    pub text: String,
}

/// One breach penalty of the statement.
#[derive(SimpleObject)]
pub struct StatementBreach {
    /// The breach charged; null for the major-incident penalty (annex 1),
    /// which is the contract's rather than one event's.
    pub breach_id: Option<ID>,
    /// `附件3 第6项 2024-03-05 系统宕机`.
    pub label: String,
    pub amount: Decimal,
}

/// A line of the statement as users read it.
#[derive(SimpleObject)]
pub struct StatementLine {
    pub label: String,
    /// `¥1,105,728.00`.
    pub amount_text: String,
}

/// A contract's settlement statement.
#[derive(SimpleObject)]
pub struct Statement {
    pub contract: Contract,
    pub period: SettlementPeriod,
    /// The governing terms' name; null where no terms govern the contract.
    pub terms_name: Option<String>,
    /// The contract amount plus its supplementary agreements.
    pub amount_due: Decimal,
    /// The supplementary agreements' sum, part of `amountDue`.
    pub supplements: Decimal,
    /// The penalty of the latest published annual result of the year; 0
    /// when none is published (`assessmentTier` null: 未发布年度考核).
    pub assessment_penalty: Decimal,
    pub assessment_tier: Option<AssessmentTier>,
    pub breach_penalties: Vec<StatementBreach>,
    pub breach_total: Decimal,
    /// The instalments paid before the final payment.
    pub instalments_paid: Decimal,
    pub instalments: Vec<ContractInstalment>,
    /// amount due − instalments paid, before any deduction.
    pub final_payment: Decimal,
    pub deducted_from_final_payment: Decimal,
    /// What is still paid to the vendor, never below 0.
    pub final_payment_due: Decimal,
    /// What the deductions exceed the final payment by: owed by the vendor.
    pub owed_beyond_final_payment: Decimal,
    /// Breach penalties the terms leave to negotiation, outside the final
    /// payment; 0 where the terms deduct them.
    pub negotiated_breach_penalties: Decimal,
    /// True when the terms leave the payment of breach penalties to the
    /// parties (seed 002 §13.3); false: deducted from the final payment.
    pub penalties_negotiated: bool,
    pub lines: Vec<StatementLine>,
}

impl From<Settlement> for Statement {
    fn from(s: Settlement) -> Self {
        let st = &s.statement;
        let mut lines: Vec<StatementLine> = st
            .lines()
            .into_iter()
            .map(|(label, amount_text)| StatementLine { label, amount_text })
            .collect();
        let unpublished = s.assessment.is_none();
        if let Some(line) = lines
            .iter_mut()
            .find(|l| unpublished && l.label == "考核扣款")
        {
            line.label = "考核扣款（未发布年度考核）".to_owned();
        }
        Self {
            period: SettlementPeriod::of(&s.period),
            terms_name: s.terms_name.clone(),
            amount_due: st.amount_due,
            supplements: s.supplements,
            assessment_penalty: st.assessment_penalty,
            assessment_tier: s.assessment.as_ref().map(|a| AssessmentTier {
                result_id: id(a.result_id),
                total: engine::two_dp(a.total),
                below: a.tier.as_ref().map(|t| t.below),
                rate: a.tier.as_ref().map_or(Decimal::ZERO, |t| t.rate),
                text: a.tier_text(),
            }),
            breach_penalties: s
                .breaches
                .iter()
                .map(|b| StatementBreach {
                    breach_id: b.breach_id.map(id),
                    label: b.label.clone(),
                    amount: b.amount,
                })
                .collect(),
            breach_total: st.breach_total,
            instalments_paid: st.instalments_paid,
            final_payment: st.final_payment,
            deducted_from_final_payment: st.deducted_from_final_payment,
            final_payment_due: st.final_payment_due,
            owed_beyond_final_payment: st.owed_beyond_final_payment,
            negotiated_breach_penalties: st.negotiated_breach_penalties,
            penalties_negotiated: matches!(s.payment, PenaltyPayment::Negotiated { .. }),
            lines,
            instalments: s
                .instalments
                .into_iter()
                .map(ContractInstalment::from)
                .collect(),
            contract: Contract::from(s.contract),
        }
    }
}

#[derive(Default)]
pub struct SettlementQuery;

#[Object]
impl SettlementQuery {
    /// The settlement statement of a contract: per term, or per service year
    /// for a contract without term dates. Administrators, the region's
    /// supervisors, the contract's vendor and its agency read it.
    async fn settlement_statement(
        &self,
        ctx: &Context<'_>,
        contract_id: ID,
    ) -> async_graphql::Result<Statement> {
        async {
            let (state, actor) = crud::env(ctx)?;
            let contract_id = crud::parse_id("contractId", &contract_id)?;
            let s = domain::settlement::statement(&state.db, actor, contract_id).await?;
            Ok(Statement::from(s))
        }
        .await
        .gql()
    }
}

#[derive(Default)]
pub struct SettlementMutation;

#[Object]
impl SettlementMutation {
    /// Records the day an instalment was paid, or clears it (`paidOn: null`).
    /// The final instalment (尾款) is recorded paid only after the others.
    async fn record_instalment_paid(
        &self,
        ctx: &Context<'_>,
        instalment_id: ID,
        paid_on: Option<NaiveDate>,
    ) -> async_graphql::Result<ContractInstalment> {
        async {
            let (state, actor) = crud::env(ctx)?;
            let instalment_id = crud::parse_id("instalmentId", &instalment_id)?;
            let audit = crate::graphql::audit::of(ctx, actor);
            let saved = domain::settlement::record_instalment_paid(
                &state.db,
                actor,
                &audit,
                instalment_id,
                paid_on,
            )
            .await?;
            Ok(ContractInstalment::from(saved))
        }
        .await
        .gql()
    }
}
