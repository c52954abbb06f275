//! Documents for filing (issue 14, item 2): the month's ranking with every
//! vendor's indicators (`ranking`), one vendor's scorecard with its
//! deductions (`scorecard`) and a service year's annual results with blend
//! and penalty (`annual`), each as `.xlsx` and as an A4 print page that a
//! browser prints to PDF for the stamp.
//!
//! Each document module reads its figures through the domain with the
//! caller, so a download or printout shows exactly what the caller may see
//! on the pages, and builds one `report::Report`; `xlsx` writes any report
//! as a workbook, `print` shows any report on the one print layout. What the
//! address asks for is checked here first, with a Chinese reason naming the
//! value that is wrong.

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use rust_xlsxwriter::XlsxError;

use crate::error::DomainError;
use crate::web::Shared;
use crate::web::shell::SignedIn;
use domain::actor::{Actor, Role};

pub mod annual;
pub mod print;
pub mod ranking;
pub mod report;
pub mod scorecard;
pub mod statement;
pub mod xlsx;

/// The downloads and print pages of the documents for filing.
pub fn routes() -> Router<Shared> {
    // `/exports/results/12.xlsx`: the router takes no suffix after a
    // parameter, so the file name is the parameter.
    let mut router = Router::new()
        .route("/exports/results/{file}", get(scorecard::xlsx))
        .route("/print/results/{id}", get(scorecard::print));
    for (xlsx, print, document) in [
        (
            "/exports/ranking.xlsx",
            "/print/ranking",
            ByAddress::Ranking,
        ),
        ("/exports/annual.xlsx", "/print/annual", ByAddress::Annual),
    ] {
        for (path, handed) in [(xlsx, Handed::Xlsx), (print, Handed::Print)] {
            router = router.route(
                path,
                get(move |c: State<Shared>, s: SignedIn, q: RawQuery| {
                    by_address(document, handed, c, s, q)
                }),
            );
        }
    }
    router
}

/// The documents the address names by region and period.
#[derive(Clone, Copy)]
enum ByAddress {
    /// `?region=…&month=…`
    Ranking,
    /// `?region=…&year=…`
    Annual,
}

impl ByAddress {
    /// The document, and the dashboard it is of (the print page's way back).
    async fn report(
        self,
        console: &Shared,
        actor: &Actor,
        query: Option<&str>,
    ) -> ExportResult<(report::Report, String)> {
        let asked = Asked::parse(query);
        match self {
            Self::Ranking => ranking::report(console, actor, &asked).await,
            Self::Annual => annual::report(console, actor, &asked).await,
        }
    }
}

/// How a document is handed out.
#[derive(Clone, Copy)]
enum Handed {
    Xlsx,
    Print,
}

/// GET /exports/ranking.xlsx?region=…&month=…, /print/ranking?…,
/// /exports/annual.xlsx?region=…&year=…, /print/annual?…
async fn by_address(
    document: ByAddress,
    handed: Handed,
    State(console): State<Shared>,
    signed: SignedIn,
    RawQuery(query): RawQuery,
) -> Response {
    let made = document
        .report(&console, &signed.actor, query.as_deref())
        .await;
    match handed {
        Handed::Xlsx => xlsx_answer(&signed, made.map(|(report, _)| report)),
        Handed::Print => print::answer(signed, made),
    }
}

/// Why a document was not made.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The address asks for something malformed: the value as its users
    /// name it, and why.
    #[error("{field}: {reason}")]
    Asked {
        field: &'static str,
        reason: &'static str,
    },
    #[error(transparent)]
    Domain(#[from] DomainError),
    #[error("the workbook was not written: {0}")]
    Workbook(#[from] XlsxError),
}

pub type ExportResult<T> = Result<T, ExportError>;

impl ExportError {
    /// The error page: a malformed address says which value and why (400);
    /// the rest as every console page tells a domain error.
    fn answer(self, signed: &SignedIn) -> Response {
        match self {
            Self::Asked { field, reason } => crate::web::errors::page(
                StatusCode::BAD_REQUEST,
                &signed.nonce,
                "地址参数有误",
                &format!("{field}{reason}。请从考核看板或评分表上的链接打开。"),
            ),
            Self::Domain(e) => signed.error(e),
            Self::Workbook(e) => signed.error(DomainError::internal(e)),
        }
    }
}

/// The month's ranking and the annual results are the supervision team's
/// (administrators and supervisors; a supervisor's region is checked by the
/// domain's read); a vendor files its own scorecard only.
pub fn supervision_team(actor: &Actor, what: &str) -> Result<(), DomainError> {
    match actor.role {
        Role::Admin | Role::Supervisor { .. } => Ok(()),
        _ => Err(DomainError::forbidden(what)),
    }
}

/// What a document's address asks for: `?region=ID&month=YYYY-MM` or
/// `?region=ID&year=YYYY`.
#[derive(Default)]
pub struct Asked {
    region: Option<String>,
    month: Option<String>,
    year: Option<String>,
}

impl Asked {
    pub fn parse(query: Option<&str>) -> Self {
        let mut asked = Self::default();
        for (key, value) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
            let value = Some(value.into_owned());
            match key.as_ref() {
                "region" => asked.region = value,
                "month" => asked.month = value,
                "year" => asked.year = value,
                _ => {}
            }
        }
        asked
    }

    pub fn region(&self) -> ExportResult<i64> {
        read(
            &self.region,
            "监管区域（region）",
            "应为区域编号",
            |t| t.parse().ok(),
        )
    }

    /// `YYYY-MM`, as the domain names a month.
    pub fn month(&self) -> ExportResult<String> {
        read(
            &self.month,
            "考核月份（month）",
            "应为 YYYY-MM 格式的月份，例如 2025-03",
            |t| crate::web::dashboard::month_of(t).map(|m| m.to_string()),
        )
    }

    /// The calendar year a service year starts in, 2000 to 2100 (as GraphQL's
    /// `annualResults` takes it).
    pub fn year(&self) -> ExportResult<i32> {
        read(
            &self.year,
            "服务年度（year）",
            "应为服务年度起始的年份（2000 至 2100），例如 2025",
            |t| t.parse().ok().filter(|y| (2000..=2100).contains(y)),
        )
    }
}

/// The value given for `field` as `parse` reads it, or why there is none:
/// not given, or not what `reason` says it should be.
fn read<T>(
    value: &Option<String>,
    field: &'static str,
    reason: &'static str,
    parse: impl FnOnce(&str) -> Option<T>,
) -> ExportResult<T> {
    let text = value.as_deref().ok_or(ExportError::Asked {
        field,
        reason: "未指定",
    })?;
    parse(text).ok_or(ExportError::Asked { field, reason })
}

/// Today in Beijing as a document is dated: `2026年12月1日`.
pub fn document_date() -> String {
    engine::date_text(domain::period::local(chrono::Utc::now()).date_naive())
}

/// A document as a `.xlsx` download named for its title.
pub fn xlsx_answer(signed: &SignedIn, made: ExportResult<report::Report>) -> Response {
    let written = made.and_then(|report| {
        let bytes = xlsx::workbook(&report, &document_date())?;
        Ok((report.file_name(), bytes))
    });
    match written {
        Ok((name, bytes)) => crate::web::download::attachment(bytes, xlsx::CONTENT_TYPE, &name),
        Err(e) => e.answer(signed),
    }
}

/// The workbook of a document named by its id in the file name
/// (`/exports/results/12.xlsx`), made by `report`; any other name is 404.
pub async fn xlsx_by_id<F>(signed: &SignedIn, file: &str, report: impl FnOnce(i64) -> F) -> Response
where
    F: std::future::Future<Output = ExportResult<report::Report>>,
{
    let made = match id_of_file(file) {
        Some(id) => report(id).await,
        None => Err(DomainError::not_found(format!("export {file}")).into()),
    };
    xlsx_answer(signed, made)
}

/// `12.xlsx` → 12.
pub fn id_of_file(file: &str) -> Option<i64> {
    file.strip_suffix(".xlsx")?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_is_read_with_a_reason_for_each_bad_value() {
        let asked = Asked::parse(Some("region=3&month=2025-03&year=2025"));
        assert_eq!(asked.region().ok(), Some(3));
        assert_eq!(asked.month().ok().as_deref(), Some("2025-03"));
        assert_eq!(asked.year().ok(), Some(2025));
        let bad = Asked::parse(Some("region=三&month=March&year=1999"));
        for err in [bad.region().err(), bad.month().err(), bad.year().err()] {
            assert!(matches!(err, Some(ExportError::Asked { .. })), "{err:?}");
        }
        assert!(matches!(
            Asked::parse(None).region(),
            Err(ExportError::Asked {
                reason: "未指定",
                ..
            })
        ));
    }
}
