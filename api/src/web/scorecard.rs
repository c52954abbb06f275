//! `/results/{id}`: the scorecard of one assessment result (issue 13, items 2
//! and 3): every indicator with its maximum and score, each deduction with
//! its reason and the facts it was taken for (title, local time, link to the
//! fact's page), and for an annual result the blend of the monthly results
//! with the annual scorecard and the penalty on the year's settlement.
//!
//! Read through the store with the caller: supervisors and administrators
//! read every result, drafts included (flagged); a vendor only its own
//! published ones (`AssessmentResults::restrict`), anything else is "not
//! found". The page serves both, so it is worded for either reader.
//!
//! A monthly scorecard also shows its month's disputes beside their facts
//! (待处理, 已采纳 or 已驳回 with the reason), and gives the vendor, within
//! the dispute window, a 申诉 form under each fact it may dispute
//! (`web::disputes`).

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use engine::{AnnualResult, FactRef, ScoreCard, money_text, percent_text};
use entities::assessment_run::RunKind;
use rust_decimal::Decimal;

use crate::error::DomainResult;
use crate::web::Shared;
use crate::web::dashboard::{passed_text, state_text};
use crate::web::disputes::{DisputeMark, OnScorecard, Refused, on_scorecard};
use crate::web::format::{date_text, local_time, month_text, points_text};
use crate::web::shell::{Shell, SignedIn};
use domain::actor::Actor;
use domain::assessments::{AssessmentResults, StoredResult};
use domain::facts::named::{Named, When};
use domain::reference::{regions::Regions, vendors::Vendors};
use domain::store;

/// A fact a deduction was taken for.
pub struct FactLine {
    pub title: String,
    pub when: String,
    /// Its page; `None` when the reader may not read the fact.
    pub href: Option<String>,
    /// The latest dispute of the fact, if any.
    pub dispute: Option<DisputeMark>,
    /// The vendor may dispute it now: the dispute form's `fact` value.
    pub dispute_form: Option<String>,
    /// Why its dispute form was just refused, and the reason as written.
    pub refusal: Option<String>,
    pub kept_reason: String,
}

pub struct DeductionLine {
    pub points: String,
    pub reason: String,
    pub facts: Vec<FactLine>,
}

pub struct IndicatorLine {
    pub code: String,
    pub name: String,
    pub weight: String,
    pub score: String,
    pub deductions: Vec<DeductionLine>,
}

/// An annual result's parts: `total = mean × share + annual × share`.
pub struct BlendLine {
    pub monthly_mean: String,
    pub monthly_share: String,
    pub monthly_part: String,
    pub annual_total: String,
    pub annual_share: String,
    pub annual_part: String,
    pub months: Vec<(String, String)>,
    pub months_without_result: Vec<String>,
}

pub struct PenaltyLine {
    /// "低于 90.00 分：扣减 5 %", or none.
    pub tier: Option<String>,
    pub settlement: Option<String>,
    pub amount: Option<String>,
}

#[derive(askama::Template)]
#[template(path = "scorecard.html")]
struct ScorecardPage {
    shell: Shell,
    vendor: String,
    region: String,
    /// "2025年3月" or "2025 服务年度（2025-01..2025-12）".
    period: String,
    kind: &'static str,
    total: String,
    pass_mark: String,
    passed: &'static str,
    state: String,
    indicators: Vec<IndicatorLine>,
    warnings: Vec<String>,
    blend: Option<BlendLine>,
    penalty: Option<PenaltyLine>,
    /// The scorecard as `.xlsx` and as a print page, for filing.
    export_href: String,
    print_href: String,
    id: i64,
    /// The vendor may dispute deductions until this day.
    dispute_until: Option<String>,
    /// Why the vendor may not dispute this result.
    dispute_closed: Option<String>,
    window_days: u32,
    max_size: String,
    /// A refused dispute form whose fact has no form any more (shown on top).
    refused: Option<String>,
}

impl ScorecardPage {
    /// Shows a refused dispute form beside its fact (open, with the reason
    /// as written), or on top when the fact has no form any more.
    fn refuse(&mut self, r: Refused) {
        let facts = self
            .indicators
            .iter_mut()
            .flat_map(|i| i.deductions.iter_mut())
            .flat_map(|d| d.facts.iter_mut());
        let mut placed = false;
        for f in facts.filter(|f| f.dispute_form.as_deref() == Some(r.fact.as_str())) {
            f.refusal = Some(r.message.clone());
            f.kept_reason = r.reason.clone();
            placed = true;
        }
        if !placed {
            self.refused = Some(r.message);
        }
    }
}

/// GET /results/{id}.
pub async fn page(
    State(console): State<Shared>,
    signed: SignedIn,
    Path(id): Path<i64>,
) -> Response {
    answer(&console, signed, id, StatusCode::OK, None).await
}

/// The scorecard answered with `status`, with a refused dispute form if any.
pub async fn answer(
    console: &Shared,
    signed: SignedIn,
    id: i64,
    status: StatusCode,
    refused: Option<Refused>,
) -> Response {
    let nonce = signed.nonce.clone();
    match render(console, &signed.actor, id, signed.shell).await {
        Ok(mut page) => {
            if let Some(r) = refused {
                page.refuse(r);
            }
            crate::web::html(status, &page)
        }
        Err(e) => crate::web::errors::of_domain(e, &nonce),
    }
}

/// A result as its reader may see it: the row and its document, its vendor
/// and region, and the facts of its deductions the reader may read.
pub struct Loaded {
    pub row: entities::assessment_result::Model,
    pub stored: StoredResult,
    pub vendor: entities::vendor::Model,
    pub region: entities::region::Model,
    pub named: HashMap<FactRef, Named>,
}

/// Reads the result `id` through the store with the caller (its page and its
/// documents for filing share this read, so they share its access).
pub async fn load(console: &Shared, actor: &Actor, id: i64) -> DomainResult<Loaded> {
    let db = &console.state.db;
    let row = store::get::<AssessmentResults>(db, actor, id).await?;
    let stored = StoredResult::of(&row)?;
    let vendor = store::get::<Vendors>(db, actor, row.vendor_id).await?;
    let region = store::get::<Regions>(db, actor, row.region_id).await?;
    let refs: Vec<FactRef> = stored
        .scorecard()
        .indicators
        .iter()
        .flat_map(|i| i.deductions.iter().flat_map(|d| d.facts.iter().copied()))
        .collect();
    let named = domain::facts::named::named(db, actor, &refs).await?;
    Ok(Loaded {
        row,
        stored,
        vendor,
        region,
        named,
    })
}

async fn render(
    console: &Shared,
    actor: &Actor,
    id: i64,
    shell: Shell,
) -> DomainResult<ScorecardPage> {
    let Loaded {
        row,
        stored,
        vendor,
        region,
        named,
    } = load(console, actor, id).await?;
    let card = stored.scorecard();
    let disputes = match row.kind {
        RunKind::Monthly => on_scorecard(console, actor, &row).await?,
        RunKind::Annual => OnScorecard::default(),
    };
    let annual = stored.annual();
    Ok(ScorecardPage {
        shell,
        vendor: vendor.name,
        region: region.name,
        period: period_text(&row, annual),
        kind: crate::web::dashboard::run_kind(row.kind),
        total: points_text(stored.total()),
        pass_mark: points_text(card.pass_mark),
        passed: passed_text(row.passed),
        state: state_text(row.published, row.revision),
        indicators: indicators(card, &named, &disputes),
        warnings: warnings(card, annual),
        blend: annual.and_then(blend),
        penalty: annual.map(penalty),
        export_href: crate::web::exports::scorecard::xlsx_href(id),
        print_href: crate::web::exports::scorecard::print_href(id),
        id: row.id,
        dispute_until: disputes.open_until,
        dispute_closed: disputes.closed_because,
        window_days: console.state.dispute_window_working_days,
        max_size: crate::web::notices::size_text(console.attachment_max_bytes as i64),
        refused: None,
    })
}

/// "2025年3月", or "2025 服务年度（2025-01..2025-12）" for an annual result.
pub fn period_text(
    row: &entities::assessment_result::Model,
    annual: Option<&AnnualResult>,
) -> String {
    match (row.kind, annual) {
        (RunKind::Annual, Some(year)) => {
            format!("{} 服务年度（{}）", row.period, year.service_year)
        }
        _ => month_text(&row.period),
    }
}

fn indicators(
    card: &ScoreCard,
    named: &std::collections::HashMap<FactRef, Named>,
    disputes: &OnScorecard,
) -> Vec<IndicatorLine> {
    card.indicators
        .iter()
        .map(|i| IndicatorLine {
            code: i.code.to_string(),
            name: i.name.zh.to_string(),
            weight: points_text(i.weight),
            score: points_text(i.score),
            deductions: i
                .deductions
                .iter()
                .map(|d| DeductionLine {
                    points: points_text(d.points),
                    reason: d.reason.clone(),
                    facts: d
                        .facts
                        .iter()
                        .map(|f| FactLine {
                            dispute: disputes.by_fact.get(f).cloned(),
                            dispute_form: disputes.form_for(*f),
                            refusal: None,
                            kept_reason: String::new(),
                            ..fact_line(*f, named.get(f))
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect()
}

/// A fact a deduction was taken for, as the reader may see it: its title
/// and when; a fact the reader may not read only by its kind.
pub fn fact_line(fact: FactRef, named: Option<&Named>) -> FactLine {
    let Some(named) = named else {
        return FactLine {
            title: format!("{}（无权查看）", crate::web::facts::kind_label(fact.kind)),
            when: String::new(),
            href: None,
            dispute: None,
            dispute_form: None,
            refusal: None,
            kept_reason: String::new(),
        };
    };
    FactLine {
        title: named
            .title
            .clone()
            .unwrap_or_else(|| crate::web::facts::kind_label(fact.kind).to_owned()),
        when: match &named.when {
            When::Instant(t) => local_time(*t),
            When::Day(d) => date_text(*d),
            When::Month(m) => month_text(m),
            When::ServiceYear(y) => format!("{y} 服务年度"),
            When::Unknown => String::new(),
        },
        href: Some(crate::web::facts::fact_url(fact.kind, fact.id)),
        dispute: None,
        dispute_form: None,
        refusal: None,
        kept_reason: String::new(),
    }
}

fn warnings(card: &ScoreCard, annual: Option<&AnnualResult>) -> Vec<String> {
    card.warnings
        .iter()
        .chain(annual.into_iter().flat_map(|y| y.warnings.iter()))
        .cloned()
        .collect()
}

fn blend(year: &AnnualResult) -> Option<BlendLine> {
    let b = year.blend.as_ref()?;
    Some(BlendLine {
        monthly_mean: points_text(b.monthly_mean),
        monthly_share: percent_text(b.monthly_share),
        monthly_part: points_text(b.monthly_mean * b.monthly_share),
        annual_total: points_text(b.annual_total),
        annual_share: percent_text(b.annual_share),
        annual_part: points_text(b.annual_total * b.annual_share),
        months: b
            .monthly_totals
            .iter()
            .map(|m| (month_text(&m.month.to_string()), points_text(m.total)))
            .collect(),
        months_without_result: b
            .months_without_result
            .iter()
            .map(|m| month_text(&m.to_string()))
            .collect(),
    })
}

/// "得分低于 90.00 分：扣减结算金额的 5 %".
pub fn tier_text(tier: &engine::scheme::PenaltyTier) -> String {
    format!(
        "得分低于 {} 分：扣减结算金额的 {}",
        points_text(tier.below),
        percent_text(tier.rate)
    )
}

fn penalty(year: &AnnualResult) -> PenaltyLine {
    let p = &year.penalty;
    PenaltyLine {
        tier: p.tier.as_ref().map(tier_text),
        // A metered contract's amount waits for the close (spec §6).
        settlement: p.settlement_amount.map(money_text).or_else(|| {
            domain::metering::is_pending(year).then(|| "待计量结算（计量关闭后确定）".to_owned())
        }),
        amount: p.amount.filter(|a| *a > Decimal::ZERO).map(money_text),
    }
}
