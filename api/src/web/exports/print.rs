//! Any document for filing as a print page (`print.html`, the one layout of
//! them all): the region's name as the heading, the document's title and
//! date (today in Beijing), the summary, the tables with their figures to two
//! decimals, and at the foot the place for the supervision unit's stamp and
//! the date it is signed. The console's stylesheet sets the paper (`@page`
//! A4; a wide table across the page) and leaves the menu and the 打印
//! button (console.js calls `window.print()`) off the paper.

use axum::http::StatusCode;
use axum::response::Response;

use super::ExportResult;
use super::report::{Cell, Report, Table};
use crate::web::shell::{Shell, SignedIn};

/// A value as printed.
pub struct Printed {
    pub text: String,
    /// A figure: right-aligned.
    pub number: bool,
}

impl From<&Cell> for Printed {
    fn from(cell: &Cell) -> Self {
        Self {
            text: cell.shown(),
            number: cell.is_number(),
        }
    }
}

pub struct PrintedTable {
    pub caption: Option<String>,
    pub headings: Vec<String>,
    pub rows: Vec<Vec<Printed>>,
    /// The full headings of the columns printed by code.
    pub legend: Vec<String>,
}

impl From<&Table> for PrintedTable {
    fn from(table: &Table) -> Self {
        Self {
            caption: table.caption.clone(),
            headings: table
                .columns
                .iter()
                .map(|c| c.short.clone().unwrap_or_else(|| c.heading.clone()))
                .collect(),
            rows: table
                .rows
                .iter()
                .map(|row| row.iter().map(Printed::from).collect())
                .collect(),
            legend: table.legend(),
        }
    }
}

#[derive(askama::Template)]
#[template(path = "print.html")]
struct PrintPage {
    shell: Shell,
    region: String,
    subject: String,
    date: String,
    /// The summary two labelled values to a line.
    summary: Vec<Vec<(String, Printed)>>,
    tables: Vec<PrintedTable>,
    notes: Vec<String>,
    wide: bool,
    /// The page the document is of (the way back).
    back: String,
}

/// The print page of a document, or the error page of why it was not made.
pub fn answer(signed: SignedIn, made: ExportResult<(Report, String)>) -> Response {
    match made {
        Ok((report, back)) => crate::web::html(StatusCode::OK, &page(signed.shell, report, back)),
        Err(e) => e.answer(&signed),
    }
}

fn page(shell: Shell, report: Report, back: String) -> PrintPage {
    PrintPage {
        shell,
        date: super::document_date(),
        summary: report
            .summary
            .chunks(2)
            .map(|pair| {
                pair.iter()
                    .map(|(label, cell)| (label.clone(), Printed::from(cell)))
                    .collect()
            })
            .collect(),
        tables: report.tables.iter().map(PrintedTable::from).collect(),
        region: report.region,
        subject: report.subject,
        notes: report.notes,
        wide: report.wide,
        back,
    }
}
