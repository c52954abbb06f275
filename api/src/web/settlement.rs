//! The settlement statement in the console (issue 15 item 5):
//! `/contracts/{id}/statement` (结算单: the figures, each breach on its own
//! line linking to its page, the instalments with the days paid and, for the
//! region's supervisors, a 登记付款 form per instalment), its print page
//! `/print/statements/{id}` and its workbook `/exports/statements/{id}.xlsx`
//! (`exports::statement`).
//!
//! Every figure comes from `domain::settlement::statement` with the caller,
//! the function GraphQL's `settlementStatement` calls, so a vendor or agency
//! reads only its own and the page, the print and the workbook agree with the
//! API; recording a payment goes through `record_instalment_paid`, as
//! `recordInstalmentPaid` does (the same checks and audit entry).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::error::DomainError;
use crate::web::Shared;
use crate::web::exports::statement as export;
use crate::web::format::{date_text, money_text};
use crate::web::shell::{Shell, SignedIn};
use domain::settlement::Settlement;
use engine::contract_terms::PenaltyPayment;

/// The statement's page, form, print page and workbook.
pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/contracts/{id}/statement", get(page))
        .route(
            "/contracts/{id}/statement/instalments/{instalment_id}",
            post(record_paid),
        )
        .route("/print/statements/{id}", get(export::print))
        .route("/exports/statements/{file}", get(export::xlsx))
}

/// A figure of the statement: its label, the amount and, for a breach, the
/// page of the breach.
pub struct Figure {
    pub label: String,
    pub amount: Decimal,
    pub href: Option<String>,
    /// A total or the final result: shown in bold.
    pub strong: bool,
}

fn figure(label: impl Into<String>, amount: Decimal) -> Figure {
    Figure {
        label: label.into(),
        amount,
        href: None,
        strong: false,
    }
}

/// The statement's figures in the order it is read: what is due, what is
/// deducted and why, what was paid, what remains.
pub fn figures(s: &Settlement) -> Vec<Figure> {
    let st = &s.statement;
    let assessment = match &s.assessment {
        Some(_) => "考核扣款".to_owned(),
        None => "考核扣款（未发布年度考核）".to_owned(),
    };
    let mut out = vec![figure(
        "合同金额",
        engine::two_dp(s.contract.settlement_amount),
    )];
    if !s.supplements.is_zero() {
        out.push(figure("补充协议金额", s.supplements));
    }
    out.push(Figure {
        strong: true,
        ..figure("应付金额", st.amount_due)
    });
    out.push(figure(assessment, st.assessment_penalty));
    out.extend(s.breaches.iter().map(|b| Figure {
        href: b.breach_id.map(|id| format!("/breaches/{id}")),
        ..figure(format!("违约金：{}", b.label), b.amount)
    }));
    out.push(figure("违约金合计", st.breach_total));
    out.push(figure("已付款项", st.instalments_paid));
    out.push(figure("尾款", st.final_payment));
    out.push(figure("从尾款中抵扣", st.deducted_from_final_payment));
    out.push(Figure {
        strong: true,
        ..figure("尾款实付", st.final_payment_due)
    });
    out.push(figure(
        "超出尾款部分（由乙方另行支付）",
        st.owed_beyond_final_payment,
    ));
    if !st.negotiated_breach_penalties.is_zero() {
        out.push(figure(
            "违约金（由双方协商支付）",
            st.negotiated_breach_penalties,
        ));
    }
    out
}

/// How the terms have breach penalties paid, in words.
pub fn payment_text(payment: PenaltyPayment) -> &'static str {
    match payment {
        PenaltyPayment::DeductedFromFinalPayment => "从尾款中抵扣，不足部分由服务商另行支付",
        PenaltyPayment::Negotiated { .. } => "由甲乙双方协商支付（不从尾款中抵扣）",
    }
}

/// The sentences under the figures.
pub fn notes(s: &Settlement) -> Vec<String> {
    let st = &s.statement;
    let mut notes = Vec::new();
    if s.assessment.is_none() {
        notes.push("未发布年度考核：考核扣款按 ¥0.00 计。".to_owned());
    }
    if !st.owed_beyond_final_payment.is_zero() {
        notes.push(format!(
            "违约金超出尾款部分 {} 由服务商另行支付。",
            money_text(st.owed_beyond_final_payment)
        ));
    }
    if !st.negotiated_breach_penalties.is_zero() {
        notes.push(format!(
            "合同约定违约金由甲乙双方协商支付：{} 不从尾款中抵扣。",
            money_text(st.negotiated_breach_penalties)
        ));
    }
    notes
}

/// A figure as the page shows it.
pub struct Shown {
    pub label: String,
    pub amount: String,
    pub href: Option<String>,
    pub strong: bool,
}

/// An instalment as the page shows it, with its form's address.
pub struct InstalmentLine {
    pub position: i32,
    pub percent: String,
    pub condition: String,
    pub amount: String,
    /// `2024年1月10日`, or 未付.
    pub paid: String,
    /// The form's date value (`2024-01-10`), empty when unpaid.
    pub paid_on: String,
    pub is_final: bool,
    pub action: String,
}

#[derive(askama::Template)]
#[template(path = "statement.html")]
struct StatementPage {
    shell: Shell,
    id: i64,
    vendor: String,
    region: String,
    period: String,
    terms: String,
    payment: &'static str,
    assessment: String,
    figures: Vec<Shown>,
    notes: Vec<String>,
    instalments: Vec<InstalmentLine>,
    can_record: bool,
    message: Option<String>,
    print_href: String,
    xlsx_href: String,
}

/// GET /contracts/{id}/statement
pub async fn page(
    State(console): State<Shared>,
    signed: SignedIn,
    Path(id): Path<i64>,
) -> Response {
    show(&console, signed, id, StatusCode::OK, None).await
}

async fn show(
    console: &Shared,
    signed: SignedIn,
    id: i64,
    status: StatusCode,
    message: Option<String>,
) -> Response {
    match domain::settlement::statement(&console.state.db, &signed.actor, id).await {
        Ok(s) => {
            let can_record = s.may_record_payments(&signed.actor);
            crate::web::html(status, &view(signed.shell, s, can_record, message))
        }
        Err(e) => signed.error(e),
    }
}

fn view(shell: Shell, s: Settlement, can_record: bool, message: Option<String>) -> StatementPage {
    let id = s.contract.id;
    let last = s.instalments.last().map(|i| i.id);
    StatementPage {
        shell,
        id,
        figures: figures(&s)
            .into_iter()
            .map(|f| Shown {
                label: f.label,
                amount: money_text(f.amount),
                href: f.href,
                strong: f.strong,
            })
            .collect(),
        notes: notes(&s),
        instalments: s
            .instalments
            .iter()
            .map(|i| InstalmentLine {
                position: i.position,
                percent: engine::percent_text(i.percent / Decimal::ONE_HUNDRED),
                condition: i.condition.clone(),
                amount: money_text(i.amount),
                paid: i.paid_on.map_or_else(|| "未付".to_owned(), date_text),
                paid_on: i.paid_on.map(|d| d.to_string()).unwrap_or_default(),
                is_final: Some(i.id) == last,
                action: format!("/contracts/{id}/statement/instalments/{}", i.id),
            })
            .collect(),
        vendor: s.vendor.name.clone(),
        region: s.region.name.clone(),
        period: s.period.text(),
        terms: s.terms_name.clone().unwrap_or_else(|| "未指定".to_owned()),
        payment: payment_text(s.payment),
        assessment: s
            .assessment
            .as_ref()
            .map_or_else(|| "未发布年度考核".to_owned(), |a| a.tier_text()),
        can_record,
        message,
        print_href: format!("/print/statements/{id}"),
        xlsx_href: format!("/exports/statements/{id}.xlsx"),
    }
}

#[derive(Deserialize)]
pub struct PaidForm {
    #[serde(default)]
    csrf: String,
    /// `YYYY-MM-DD`; empty clears the record.
    #[serde(default)]
    paid_on: String,
}

/// POST /contracts/{id}/statement/instalments/{instalment_id}: records the
/// day paid (or clears it when the date is left empty).
pub async fn record_paid(
    State(console): State<Shared>,
    signed: SignedIn,
    Path((id, instalment_id)): Path<(i64, i64)>,
    Form(form): Form<PaidForm>,
) -> Response {
    if let Err(refused) = signed.check_csrf(&console, &form.csrf) {
        return refused;
    }
    let text = form.paid_on.trim();
    let paid_on = if text.is_empty() {
        None
    } else {
        match text.parse() {
            Ok(day) => Some(day),
            Err(_) => {
                let message = "付款日期格式应为 YYYY-MM-DD，例如 2024-01-10。".to_owned();
                return show(
                    &console,
                    signed,
                    id,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Some(message),
                )
                .await;
            }
        }
    };
    let audit = signed.audit("recordInstalmentPaid");
    let recorded = domain::settlement::record_instalment_paid(
        &console.state.db,
        &signed.actor,
        &audit,
        instalment_id,
        paid_on,
    )
    .await;
    match recorded {
        Ok(i) if i.contract_id == id => {
            Redirect::to(&format!("/contracts/{id}/statement")).into_response()
        }
        Ok(i) => Redirect::to(&format!("/contracts/{}/statement", i.contract_id)).into_response(),
        Err(DomainError::BadInput { field, reason }) => {
            let message = refusal_text(&field, &reason);
            show(
                &console,
                signed,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(message),
            )
            .await
        }
        Err(e) => signed.error(e),
    }
}

/// A refused payment record, in Chinese.
fn refusal_text(field: &str, reason: &str) -> String {
    if field == "instalmentId" {
        return "尾款须在其他各期款项均已登记付款后登记。".to_owned();
    }
    if reason.contains("signed") {
        return "付款日期不能早于合同签订日期。".to_owned();
    }
    if reason.contains("today") {
        return "付款日期不能晚于今天。".to_owned();
    }
    if reason.contains("final payment") {
        return "尾款已登记付款，请先清除尾款的付款登记。".to_owned();
    }
    "付款日期有误，请检查后重新提交。".to_owned()
}
