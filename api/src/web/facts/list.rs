//! `/facts/{kind}`: a kind's records the caller may read, newest rules of the
//! store applied, filtered by vendor (picked by name), month (`YYYY-MM`; a
//! service year for survey responses), status (confirmed or not, where the
//! kind is confirmed) and text (the title contains it), a page at a time.
//! Each record is named by its title and links to its page; vendors and
//! systems by name, times in Beijing time.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::index::may_create;
use super::kind::{self, Kind, Narrow};
use super::pickers::{Named, Pickers};
use super::show::shown;
use crate::graphql::facts::fields::{Field, Pick};
use crate::web::Shared;
use crate::web::shell::{Shell, SignedIn};
use domain::DomainError;
use domain::period::Period;
use domain::store::ListFilter;

/// Records per page.
const PAGE: i64 = 50;
/// The longest title a list shows whole.
const TITLE_CHARS: usize = 60;

#[derive(serde::Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    vendor: String,
    #[serde(default)]
    month: String,
    /// `confirmed` or `pending`.
    #[serde(default)]
    status: String,
    #[serde(default)]
    q: String,
    offset: Option<i64>,
}

pub struct Line {
    pub href: String,
    pub title: String,
    pub vendor: String,
    pub time: String,
    pub status: String,
}

#[derive(askama::Template)]
#[template(path = "facts/list.html")]
struct ListPage<'a> {
    shell: Shell,
    slug: &'a str,
    label: &'static str,
    title_label: &'static str,
    time_label: &'static str,
    by_year: bool,
    has_status: bool,
    can_create: bool,
    vendors: &'a [Named],
    query: &'a ListQuery,
    /// Why the filter was not applied, in Chinese.
    filter_error: Option<&'static str>,
    lines: Vec<Line>,
    total: u64,
    previous: Option<String>,
    next: Option<String>,
}

pub async fn page(
    State(console): State<Shared>,
    signed: SignedIn,
    Path(slug): Path<String>,
    Query(query): Query<ListQuery>,
) -> Response {
    let Some(kind) = kind::of(&slug) else {
        return signed.error(DomainError::not_found(slug));
    };
    let db = &console.state.db;
    let pickers = match Pickers::load(db, &signed.actor).await {
        Ok(p) => p,
        Err(e) => return signed.error(e),
    };
    let (filter, narrow, filter_error) = filters(&query, kind);
    let offset = query.offset.filter(|o| *o >= 0).unwrap_or(0);
    let page = match kind
        .list(db, &signed.actor, filter, narrow, Some(offset), Some(PAGE))
        .await
    {
        Ok(page) => page,
        Err(e) => return signed.error(e),
    };
    let field = |column: Option<&str>| {
        kind.fields()
            .iter()
            .find(|f| Some(f.column) == column)
            .copied()
    };
    let title = field(Some(kind.title()));
    let time = field(kind.time());
    let status = field(Some("confirmed"));
    let lines = page
        .items
        .iter()
        .map(|row| line(&slug, row, [title, time, status], &pickers))
        .collect();
    let at = |o: i64| format!("{}&offset={o}", base_query(&slug, &query));
    let total = page.total;
    let previous = (offset > 0).then(|| at((offset - PAGE).max(0)));
    let next = ((offset + PAGE) < total as i64).then(|| at(offset + PAGE));
    crate::web::html(
        StatusCode::OK,
        &ListPage {
            can_create: may_create(signed.actor.role),
            shell: signed.shell,
            slug: &slug,
            label: kind.label(),
            title_label: title.map_or("标题", |f| f.label),
            time_label: time.map_or("时间", |f| f.label),
            by_year: kind.by_year(),
            has_status: status.is_some(),
            vendors: pickers.of(Pick::Vendor),
            query: &query,
            filter_error,
            lines,
            total,
            previous,
            next,
        },
    )
}

/// The store's filter and the narrowing from the query; a month that is not
/// one is left out and told.
fn filters(query: &ListQuery, kind: &dyn Kind) -> (ListFilter, Narrow, Option<&'static str>) {
    let mut error = None;
    let month = query.month.trim();
    let period = if month.is_empty() {
        None
    } else {
        match Period::parse(month) {
            Ok(p @ Period::Year(_)) if kind.by_year() => Some(p),
            Ok(p @ Period::Month { .. }) if !kind.by_year() => Some(p),
            _ => {
                error = Some(if kind.by_year() {
                    "服务年度应为四位年份，如 2025"
                } else {
                    "月份应为 YYYY-MM，如 2025-03"
                });
                None
            }
        }
    };
    let filter = ListFilter {
        vendor_id: query.vendor.trim().parse().ok(),
        period,
        ..ListFilter::default()
    };
    let text = query.q.trim();
    let narrow = Narrow {
        text: (!text.is_empty()).then(|| text.to_owned()),
        confirmed: match query.status.as_str() {
            "confirmed" => Some(true),
            "pending" => Some(false),
            _ => None,
        },
    };
    (filter, narrow, error)
}

fn line(
    slug: &str,
    row: &serde_json::Value,
    [title, time, status]: [Option<Field>; 3],
    pickers: &Pickers,
) -> Line {
    let cell = |field: Option<Field>| field.map(|f| shown(&f, row, pickers)).unwrap_or_default();
    let mut title = cell(title);
    if title.chars().count() > TITLE_CHARS {
        title = title.chars().take(TITLE_CHARS).chain(['…']).collect();
    }
    let vendor = row["vendor_id"]
        .as_i64()
        .and_then(|id| pickers.name(Pick::Vendor, id))
        .unwrap_or(super::show::NONE)
        .to_owned();
    Line {
        href: format!("/facts/{slug}/{}", row["id"]),
        title,
        vendor,
        time: cell(time),
        status: match status.map(|f| row[f.column].as_bool() == Some(true)) {
            Some(true) => "已确认".to_owned(),
            Some(false) => "待确认".to_owned(),
            None => String::new(),
        },
    }
}

/// The list's address with its filters (for the pager).
fn base_query(slug: &str, query: &ListQuery) -> String {
    let pairs: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("vendor", &query.vendor)
        .append_pair("month", &query.month)
        .append_pair("status", &query.status)
        .append_pair("q", &query.q)
        .finish();
    format!("/facts/{slug}?{pairs}")
}
