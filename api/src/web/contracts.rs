//! Contracts in the console (issue 15 item 2): `/contracts` (the contracts
//! the caller may read: the region's for a supervisor, its own for a vendor),
//! `/contracts/{id}` (header, lines with their catalogue price and 待复核,
//! supplements, instalments paid or not, systems with share and monthly fee,
//! contacts, the governing terms and the major-incident count with the
//! termination right in red when given) and `/contracts/{id}/terms` (the
//! terms' rows). Read-only: contracts are signed through GraphQL
//! (`signContract`, `setContractTerms`).
//!
//! The contract is read through the store with the caller (another vendor's
//! is 404); its parts, agency and systems are then read as parts of it.

use std::collections::HashMap;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use engine::contract_terms::{Charge, ContractTerms};
use entities::contract;
use entities::contract_contact::ContactParty;
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::error::{DomainError, DomainResult};
use crate::web::Shared;
use crate::web::format::{date_text, money_text};
use crate::web::shell::{Shell, SignedIn};
use domain::actor::Actor;
use domain::reference::{contracts::Contracts, regions::Regions, vendors::Vendors};
use domain::store::{self, ListFilter};

/// The most contracts the list shows (a region has a few dozen).
const MAX_LISTED: i64 = 500;

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/contracts", get(list))
        .route("/contracts/{id}", get(page))
        .route("/contracts/{id}/terms", get(terms_page))
}

/// A contract as the list shows it.
struct ContractLine {
    id: i64,
    vendor: String,
    region: String,
    agency: String,
    term: String,
    amount: String,
    terms: String,
    review: usize,
}

#[derive(askama::Template)]
#[template(path = "contracts/list.html")]
struct ListPage {
    shell: Shell,
    contracts: Vec<ContractLine>,
    total: u64,
}

/// GET /contracts
pub async fn list(State(console): State<Shared>, signed: SignedIn) -> Response {
    match listed(&console.state.db, &signed.actor).await {
        Ok((contracts, total)) => crate::web::html(
            StatusCode::OK,
            &ListPage {
                shell: signed.shell,
                contracts,
                total,
            },
        ),
        Err(e) => signed.error(e),
    }
}

async fn listed(db: &DatabaseConnection, actor: &Actor) -> DomainResult<(Vec<ContractLine>, u64)> {
    let page =
        store::list::<Contracts>(db, actor, ListFilter::default(), None, Some(MAX_LISTED)).await?;
    let ids: Vec<i64> = page.items.iter().map(|c| c.id).collect();
    let vendors =
        store::get_many::<Vendors>(db, actor, page.items.iter().map(|c| c.vendor_id).collect())
            .await?;
    let regions =
        store::get_many::<Regions>(db, actor, page.items.iter().map(|c| c.region_id).collect())
            .await?;
    let agencies =
        agency_names(db, page.items.iter().filter_map(|c| c.agency_id).collect()).await?;
    let parts = domain::contracts::parts_of(db, ids).await?;
    let mut terms_of = {
        let _db = domain::db_share::permit().await;
        domain::charging::governing_terms_of(db, &page.items).await?
    };
    let mut lines = Vec::with_capacity(page.items.len());
    for c in &page.items {
        let terms = terms_of.remove(&c.id).flatten();
        lines.push(ContractLine {
            id: c.id,
            vendor: vendors
                .get(&c.vendor_id)
                .map_or_else(|| format!("服务商 {}", c.vendor_id), |v| v.name.clone()),
            region: regions
                .get(&c.region_id)
                .map_or_else(|| format!("区域 {}", c.region_id), |r| r.name.clone()),
            agency: c
                .agency_id
                .and_then(|a| agencies.get(&a).cloned())
                .unwrap_or_else(|| "—".to_owned()),
            term: term_text(c),
            amount: money_text(engine::two_dp(c.settlement_amount)),
            terms: terms.map_or_else(|| "—".to_owned(), |t| t.name),
            review: parts
                .get(&c.id)
                .map_or(0, |p| p.lines.iter().filter(|l| l.needs_review).count()),
        });
    }
    Ok((lines, page.total))
}

/// The agencies' names by id. No access check: they are named as parts of
/// contracts the caller has read (a vendor does not list agencies).
async fn agency_names(
    db: &DatabaseConnection,
    ids: Vec<i64>,
) -> DomainResult<HashMap<i64, String>> {
    let _db = domain::db_share::permit().await;
    Ok(entities::agency::Entity::find()
        .filter(entities::agency::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect())
}

/// `2023年12月28日 至 2024年12月27日`, else the service year.
fn term_text(c: &contract::Model) -> String {
    match (c.term_start, c.term_end) {
        (Some(s), Some(e)) => format!("{} 至 {}", date_text(s), date_text(e)),
        _ => format!("{} 服务年度", c.service_year),
    }
}

struct LineView {
    position: i32,
    description: String,
    unit: String,
    unit_price: String,
    quantity: String,
    months: i32,
    total: String,
    catalogue_price: String,
    review: bool,
}

struct InstalmentView {
    position: i32,
    percent: String,
    condition: String,
    amount: String,
    paid: String,
    is_paid: bool,
}

struct SupplementView {
    signed_on: String,
    amount: String,
    description: String,
}

struct SystemView {
    name: String,
    share: String,
    monthly_fee: String,
}

struct ContactView {
    party: &'static str,
    role: String,
    name: String,
    phone: String,
    email: String,
}

struct IncidentView {
    a_level: u32,
    b_level: u32,
    a_needed: u32,
    b_needed: u32,
    /// The red banner's text, once the right is given.
    termination: Option<String>,
}

#[derive(askama::Template)]
#[template(path = "contracts/page.html")]
struct ContractPage {
    shell: Shell,
    c: ContractView,
}

struct ContractView {
    id: i64,
    vendor: String,
    region: String,
    agency: String,
    term: String,
    signed_on: String,
    service_months: String,
    amount: String,
    monthly_fee: String,
    terms: String,
    lines: Vec<LineView>,
    instalments: Vec<InstalmentView>,
    supplements: Vec<SupplementView>,
    systems: Vec<SystemView>,
    contacts: Vec<ContactView>,
    incidents: Option<IncidentView>,
}

/// GET /contracts/{id}
pub async fn page(
    State(console): State<Shared>,
    signed: SignedIn,
    Path(id): Path<i64>,
) -> Response {
    match contract_page(&console.state.db, &signed.actor, id).await {
        Ok(c) => crate::web::html(
            StatusCode::OK,
            &ContractPage {
                shell: signed.shell,
                c,
            },
        ),
        Err(e) => signed.error(e),
    }
}

async fn contract_page(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
) -> DomainResult<ContractView> {
    let c = store::get::<Contracts>(db, actor, id).await?;
    let vendor = store::get_many::<Vendors>(db, actor, vec![c.vendor_id]).await?;
    let region = store::get_many::<Regions>(db, actor, vec![c.region_id]).await?;
    let agency = agency_names(db, c.agency_id.into_iter().collect()).await?;
    let parts = domain::contracts::terms(db, actor, id).await?;
    let _db = domain::db_share::permit().await;
    let terms = domain::charging::governing_terms(db, &c).await?;
    let incidents = match &terms {
        Some(t) => domain::charging::major_incidents(db, t, &c).await?,
        None => None,
    };
    let systems = systems_of(db, &c).await?;
    let contacts = domain::contract_scope::contacts_of(db, vec![c.id])
        .await?
        .remove(&c.id)
        .unwrap_or_default();
    Ok(ContractView {
        id: c.id,
        vendor: vendor
            .get(&c.vendor_id)
            .map_or_else(|| format!("服务商 {}", c.vendor_id), |v| v.name.clone()),
        region: region
            .get(&c.region_id)
            .map_or_else(|| format!("区域 {}", c.region_id), |r| r.name.clone()),
        agency: c
            .agency_id
            .and_then(|a| agency.get(&a).cloned())
            .unwrap_or_else(|| "—".to_owned()),
        term: term_text(&c),
        signed_on: c.signed_on.map_or_else(|| "—".to_owned(), date_text),
        service_months: match (c.term_start, c.term_end) {
            (Some(s), Some(e)) => domain::contracts::service_months(s, e)
                .map_or_else(|_| "—".to_owned(), |m| format!("{m} 个月")),
            _ => "—".to_owned(),
        },
        amount: money_text(engine::two_dp(c.settlement_amount)),
        monthly_fee: money_text(engine::two_dp(c.monthly_fee)),
        terms: terms
            .as_ref()
            .map_or_else(|| "未约定".to_owned(), |t| t.name.clone()),
        lines: parts.lines.into_iter().map(line_view).collect(),
        instalments: parts.instalments.into_iter().map(instalment_view).collect(),
        supplements: parts
            .supplements
            .into_iter()
            .map(|s| SupplementView {
                signed_on: date_text(s.signed_on),
                amount: money_text(engine::two_dp(s.amount)),
                description: s.description,
            })
            .collect(),
        systems,
        contacts: contacts.into_iter().map(contact_view).collect(),
        incidents: incidents.map(|m| IncidentView {
            a_level: m.a_level,
            b_level: m.b_level,
            a_needed: m.a_level_needed,
            b_needed: m.b_level_needed,
            termination: m.assessed.termination_right.map(|level| {
                let level = match level {
                    engine::breach_penalty::IncidentLevel::A => "A",
                    engine::breach_penalty::IncidentLevel::B => "B",
                };
                format!(
                    "使用单位有权解除合同（{level} 级重大事件达到约定次数），违约金 {}",
                    money_text(engine::two_dp(m.assessed.penalty))
                )
            }),
        }),
    })
}

async fn systems_of(db: &DatabaseConnection, c: &contract::Model) -> DomainResult<Vec<SystemView>> {
    let listed = domain::contract_scope::systems_of(db, vec![c.id])
        .await?
        .remove(&c.id)
        .unwrap_or_default();
    let ids: Vec<i64> = listed.iter().map(|s| s.system_id).collect();
    let names: HashMap<i64, String> = entities::information_system::Entity::find()
        .filter(entities::information_system::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let mut out = Vec::with_capacity(listed.len());
    for s in listed {
        let fee = domain::charging::system_monthly_fee(db, c, Some(s.system_id)).await?;
        out.push(SystemView {
            name: names
                .get(&s.system_id)
                .cloned()
                .unwrap_or_else(|| format!("系统 {}", s.system_id)),
            share: s
                .share
                .map_or_else(|| "均分".to_owned(), |v| money_text(engine::two_dp(v))),
            monthly_fee: money_text(engine::two_dp(engine::round_half_up_2dp(fee))),
        });
    }
    Ok(out)
}

fn line_view(l: entities::contract_line::Model) -> LineView {
    LineView {
        position: l.position,
        description: l.description,
        unit: l.unit,
        unit_price: money_text(engine::two_dp(l.unit_price)),
        quantity: engine::two_dp(l.quantity).normalize().to_string(),
        months: l.months,
        total: money_text(engine::two_dp(l.line_total)),
        catalogue_price: l
            .catalogue_price
            .map_or_else(|| "—".to_owned(), |p| money_text(engine::two_dp(p))),
        review: l.needs_review,
    }
}

fn instalment_view(i: entities::contract_instalment::Model) -> InstalmentView {
    InstalmentView {
        position: i.position,
        percent: format!("{} %", engine::two_dp(i.percent).normalize()),
        condition: i.condition,
        amount: money_text(engine::two_dp(i.amount)),
        paid: i.paid_on.map_or_else(
            || "未支付".to_owned(),
            |d| format!("已于 {} 支付", date_text(d)),
        ),
        is_paid: i.paid_on.is_some(),
    }
}

fn contact_view(c: entities::contract_contact::Model) -> ContactView {
    ContactView {
        party: match c.party {
            ContactParty::Vendor => "乙方（云服务商）",
            ContactParty::Agency => "甲方（使用单位）",
            ContactParty::Supervisor => "监管方",
        },
        role: c.role,
        name: c.name,
        phone: c.phone.unwrap_or_else(|| "—".to_owned()),
        email: c.email.unwrap_or_else(|| "—".to_owned()),
    }
}

/// A terms row as the terms page shows it.
struct RowView {
    number: u32,
    description: String,
    charge: String,
}

struct TableView {
    name: String,
    rows: Vec<RowView>,
}

#[derive(askama::Template)]
#[template(path = "contracts/terms.html")]
struct TermsPage {
    shell: Shell,
    id: i64,
    name: String,
    code: String,
    version: u32,
    tables: Vec<TableView>,
    major: Option<String>,
    grounds: Vec<String>,
}

/// GET /contracts/{id}/terms: the governing terms' rows, for whoever reads
/// the contract.
pub async fn terms_page(
    State(console): State<Shared>,
    signed: SignedIn,
    Path(id): Path<i64>,
) -> Response {
    let db = &console.state.db;
    let found = async {
        let c = store::get::<Contracts>(db, &signed.actor, id).await?;
        let _db = domain::db_share::permit().await;
        domain::charging::governing_terms(db, &c)
            .await?
            .ok_or_else(|| DomainError::not_found(format!("terms of Contract {id}")))
    }
    .await;
    match found {
        Ok(terms) => crate::web::html(StatusCode::OK, &terms_view(signed.shell, id, terms)),
        Err(e) => signed.error(e),
    }
}

fn terms_view(shell: Shell, id: i64, t: ContractTerms) -> TermsPage {
    TermsPage {
        shell,
        id,
        code: t.code,
        version: t.version,
        name: t.name,
        tables: t
            .breach_tables
            .into_iter()
            .map(|table| TableView {
                name: table.name,
                rows: table
                    .rows
                    .into_iter()
                    .map(|r| RowView {
                        number: r.number,
                        description: r.description,
                        charge: charge_text(&r.charge),
                    })
                    .collect(),
            })
            .collect(),
        major: t.major_incidents.map(|m| {
            format!(
                "A 级重大事件 {} 次或 B 级重大事件 {} 次，使用单位有权解除合同，违约金为合同金额的 {}",
                m.a_level_count,
                m.b_level_count,
                percent_text(m.penalty_rate)
            )
        }),
        grounds: t.termination_grounds,
    }
}

/// `月服务费 × 60 %`, or a fixed `¥100,000.00 / 次`.
fn charge_text(charge: &Charge) -> String {
    match charge {
        Charge::MonthlyFeeCoefficient { coefficient } => {
            format!("月服务费 × {}", percent_text(*coefficient))
        }
        Charge::FixedPerEvent { amount } => format!("{} / 次", money_text(*amount)),
        Charge::FixedPerItem { amount } => format!("{} / 项", money_text(*amount)),
    }
}

/// 0.6 → `60 %`, 0.05 → `5 %`.
fn percent_text(rate: Decimal) -> String {
    format!("{} %", (rate * Decimal::ONE_HUNDRED).normalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charges_read_as_a_percentage_of_the_monthly_fee_or_a_fixed_amount() {
        let c = Charge::MonthlyFeeCoefficient {
            coefficient: Decimal::new(6, 1),
        };
        assert_eq!(charge_text(&c), "月服务费 × 60 %");
        let f = Charge::FixedPerEvent {
            amount: Decimal::from(100_000),
        };
        assert_eq!(charge_text(&f), "¥100,000.00 / 次");
        assert_eq!(percent_text(Decimal::new(5, 2)), "5 %");
    }
}
