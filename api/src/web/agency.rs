//! An agency's pages (issue 13, item 5): its own filings on its home page
//! (with a chart of its satisfaction with each vendor serving it), and
//! the two forms it files with, `complaints` (a complaint about one of its
//! systems) and `surveys` (the satisfaction questionnaire of seed 003).
//!
//! Everything is read and written through the domain with the agency's actor,
//! as GraphQL does: the store lists only the agency's own rows, and the names
//! of the vendors come from `vendors::serving` (an agency may not read a vendor
//! itself, only name those hosting its systems).

use std::collections::{BTreeSet, HashMap};

use axum::http::StatusCode;
use axum::response::Response;

use crate::error::DomainError;
use crate::web::Shared;
use crate::web::charts::{Chart, Series};
use crate::web::format::{date_text, local_time};
use crate::web::shell::{Shell, SignedIn};
use domain::actor::Actor;
use domain::facts::complaints::Complaints;
use domain::facts::survey_responses::{self as survey, MAX_SCORE, SurveyResponses};
use domain::page::MAX_LIMIT;
use domain::reference::systems::InformationSystems;
use domain::store::{self, ListFilter};

pub mod complaints;
pub mod surveys;

/// A complaint as the home page lists it.
struct ComplaintRow {
    title: String,
    system: String,
    vendor: String,
    received: String,
    status: &'static str,
}

/// A survey response as the home page lists it.
struct SurveyRow {
    year: String,
    vendor: String,
    surveyed: String,
    score: String,
    satisfaction: String,
}

#[derive(askama::Template)]
#[template(path = "agency_home.html")]
struct AgencyHome {
    shell: Shell,
    flash: Option<&'static str>,
    complaints: Vec<ComplaintRow>,
    surveys: Vec<SurveyRow>,
    /// Its satisfaction with each vendor, per service year (`None`: nothing surveyed).
    chart: Option<Chart>,
}

/// What an agency has filed, as its home page shows it.
struct Filings {
    complaints: Vec<ComplaintRow>,
    surveys: Vec<SurveyRow>,
    chart: Option<Chart>,
}

/// `/` for an agency: what it has filed. `?filed=complaint|survey` says what
/// the form it came from just filed.
pub async fn home(console: &Shared, signed: SignedIn, query: Option<String>) -> Response {
    match filings(console, &signed.actor).await {
        Ok(filings) => crate::web::html(
            StatusCode::OK,
            &AgencyHome {
                shell: signed.shell.with_charts(),
                flash: flash(query.as_deref()),
                complaints: filings.complaints,
                surveys: filings.surveys,
                chart: filings.chart,
            },
        ),
        Err(e) => signed.error(e),
    }
}

fn flash(query: Option<&str>) -> Option<&'static str> {
    match query? {
        "filed=complaint" => Some("投诉已提交，监管人员将核实处理。"),
        "filed=survey" => Some("满意度调查问卷已提交，感谢您的评价。"),
        _ => None,
    }
}

/// The agency's complaints and survey responses, newest first.
async fn filings(console: &Shared, actor: &Actor) -> Result<Filings, DomainError> {
    let hosts = Hosts::of(console, actor).await?;
    let complaints = everything::<Complaints>(console, actor).await?;
    let surveys = everything::<SurveyResponses>(console, actor).await?;
    let complaints = complaints
        .into_iter()
        .rev()
        .map(|c| ComplaintRow {
            system: c
                .system_id
                .map_or_else(|| "—".to_owned(), |id| hosts.system(id)),
            vendor: hosts.vendor(c.vendor_id),
            received: local_time(c.received_at),
            status: complaint_status(c.confirmed, c.vendor_liable),
            title: c.description,
        })
        .collect();
    let chart = satisfaction_chart(&surveys, &hosts);
    let surveys = surveys
        .into_iter()
        .rev()
        .map(|r| {
            let score = survey::score(&r);
            SurveyRow {
                year: format!("{}年度", r.service_year),
                vendor: hosts.vendor(r.vendor_id),
                surveyed: r.surveyed_on.map_or_else(|| "—".to_owned(), date_text),
                score: format!("{score}/{MAX_SCORE}"),
                satisfaction: format!("{}%", survey::satisfaction_percent(score)),
            }
        })
        .collect();
    Ok(Filings {
        complaints,
        surveys,
        chart,
    })
}

/// A bar per vendor the agency surveyed, one series per service year: the
/// satisfaction (score / 44 × 100, two decimals) of its questionnaire.
fn satisfaction_chart(
    surveys: &[entities::survey_response::Model],
    hosts: &Hosts,
) -> Option<Chart> {
    if surveys.is_empty() {
        return None;
    }
    let vendors: BTreeSet<i64> = surveys.iter().map(|r| r.vendor_id).collect();
    let years: BTreeSet<i32> = surveys.iter().map(|r| r.service_year).collect();
    let series = years
        .into_iter()
        .map(|year| Series {
            name: format!("{year}年度"),
            data: vendors
                .iter()
                .map(|&vendor| {
                    // One questionnaire per vendor and year (the domain's rule).
                    surveys
                        .iter()
                        .find(|r| r.vendor_id == vendor && r.service_year == year)
                        .map(|r| survey::satisfaction_percent(survey::score(r)))
                })
                .collect(),
        })
        .collect();
    let categories = vendors.iter().map(|&v| hosts.vendor(v)).collect();
    Some(Chart::percentages("bar", categories, series))
}

/// Every row of a kind the actor may read (an agency files a handful a year).
async fn everything<R: store::Resource>(
    console: &Shared,
    actor: &Actor,
) -> Result<Vec<R::Model>, DomainError> {
    Ok(store::list::<R>(
        &console.state.db,
        actor,
        ListFilter::default(),
        None,
        Some(MAX_LIMIT as i64),
    )
    .await?
    .items)
}

/// A complaint's status as the agency reads it.
fn complaint_status(confirmed: bool, vendor_liable: bool) -> &'static str {
    match (confirmed, vendor_liable) {
        (false, _) => "待核实",
        (true, true) => "已核实，云服务商负有责任",
        (true, false) => "已核实，云服务商无责任",
    }
}

/// The agency's systems and the names of the vendors hosting them: what its
/// pages name systems and vendors by.
pub struct Hosts {
    /// The agency's systems, in the store's order.
    pub systems: Vec<entities::information_system::Model>,
    vendors: HashMap<i64, String>,
}

impl Hosts {
    pub async fn of(console: &Shared, actor: &Actor) -> Result<Self, DomainError> {
        let systems = everything::<InformationSystems>(console, actor).await?;
        let vendors = domain::reference::vendors::serving(&console.state.db, actor, None, None)
            .await?
            .into_iter()
            .map(|v| (v.id, v.name))
            .collect();
        Ok(Self { systems, vendors })
    }

    /// The vendor's name (a vendor no longer hosting the agency's systems is
    /// named by its number).
    pub fn vendor(&self, id: i64) -> String {
        self.vendors
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("云服务商{id}"))
    }

    pub fn system(&self, id: i64) -> String {
        self.systems
            .iter()
            .find(|s| s.id == id)
            .map_or_else(|| format!("信息系统{id}"), |s| s.name.clone())
    }

    /// The vendors serving the agency, by name.
    pub fn vendors(&self) -> Vec<(i64, String)> {
        let mut all: Vec<(i64, String)> = self
            .vendors
            .iter()
            .map(|(id, n)| (*id, n.clone()))
            .collect();
        all.sort();
        all
    }
}

/// The agency the caller is; anyone else is refused (only an agency files
/// its own complaints and questionnaires).
#[allow(clippy::result_large_err)]
pub fn agency_only(signed: &SignedIn) -> Result<i64, Response> {
    match signed.actor.role {
        domain::actor::Role::Agency { agency_id } => Ok(agency_id),
        _ => Err(signed.error(DomainError::forbidden(
            "only an agency files complaints and questionnaires here",
        ))),
    }
}

/// A form's refusals: a Chinese message per field, shown next to it.
#[derive(Default)]
pub struct Refusals(Vec<(&'static str, String)>);

impl Refusals {
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        if self.of(field).is_none() {
            self.0.push((field, message.into()));
        }
    }

    /// The message next to `field`, if any.
    pub fn of(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
