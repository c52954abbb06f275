//! `importFacts`: rows of a fact kind in bulk, each with the source's own
//! ticket number (`externalId`) and its values by column — the field's key
//! (`approvedAt`) or its Chinese label (`批准时间`), written as in the
//! spreadsheet template (names for regions, vendors, agencies and systems,
//! local Beijing times `YYYY-MM-DD HH:MM`, 是/否). The same reading and the
//! same all-or-nothing import as the console's upload (`crate::imports`);
//! `dryRun` previews. A refused row does not fail the request: the report
//! gives each row's outcome and reasons (in Chinese, as the console shows them).

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};

use crate::error::{DomainError, DomainResult, GqlResult};
use crate::graphql::crud;
use crate::imports::read::{EXTERNAL_ID, columns};
use crate::imports::sheet::{Cell, MAX_ROWS, Sheet};
use crate::imports::{self, Refusal, Report, Status, kinds};
use domain::imports::Mode;

/// The fact kinds that are imported.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum ImportKind {
    WorkOrders,
    Outages,
    Faults,
    Attendances,
    SurveyResponses,
}

impl ImportKind {
    fn slug(self) -> &'static str {
        match self {
            Self::WorkOrders => "work-orders",
            Self::Outages => "outages",
            Self::Faults => "faults",
            Self::Attendances => "attendances",
            Self::SurveyResponses => "survey-responses",
        }
    }
}

#[derive(InputObject)]
pub struct ImportCellInput {
    /// The column: the field's key (`approvedAt`) or its label (`批准时间`).
    pub column: String,
    /// As written in the spreadsheet.
    pub value: String,
}

#[derive(InputObject)]
pub struct ImportRowInput {
    /// The source's own number for the row (unique per region and kind).
    pub external_id: String,
    /// Columns left out are empty.
    pub values: Vec<ImportCellInput>,
}

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum ImportRowStatus {
    /// To be imported (a dry run).
    New,
    /// Written by this import.
    Imported,
    /// Its external id was imported before in its region: skipped.
    AlreadyImported,
    /// Cannot be imported (see `errors`); nothing of the import was written.
    Refused,
}

/// Why a row cannot be imported.
#[derive(SimpleObject)]
pub struct ImportRowError {
    /// The column's key (`approvedAt`, `externalId`); null for the whole row.
    pub column: Option<String>,
    /// The column's Chinese label.
    pub label: Option<String>,
    /// The reason, in Chinese.
    pub reason: String,
}

#[derive(SimpleObject)]
pub struct ImportedRow {
    /// The row's place in the input, from 1.
    pub row: i32,
    pub external_id: String,
    pub status: ImportRowStatus,
    /// The fact written, or the one imported before under this external id.
    pub fact_id: Option<ID>,
    pub errors: Vec<ImportRowError>,
}

#[derive(SimpleObject)]
pub struct ImportReport {
    pub dry_run: bool,
    /// The new rows were written (never with a refused row).
    pub written: bool,
    /// Rows new in this import (written, or to be written by a dry run).
    pub new_rows: i32,
    pub skipped_rows: i32,
    pub refused_rows: i32,
    pub rows: Vec<ImportedRow>,
}

#[derive(Default)]
pub struct ImportMutation;

#[Object]
impl ImportMutation {
    /// Imports rows of a fact kind, all or nothing; rows whose external id was
    /// imported before are skipped. Administrators, and supervisors into their
    /// own region.
    async fn import_facts(
        &self,
        ctx: &Context<'_>,
        kind: ImportKind,
        rows: Vec<ImportRowInput>,
        #[graphql(default)] dry_run: bool,
    ) -> async_graphql::Result<ImportReport> {
        async {
            let (state, actor) = crud::env(ctx)?;
            let importable = kinds::of(kind.slug())
                .ok_or_else(|| DomainError::Internal("an import kind without its slug".into()))?;
            let sheet = sheet(importable.fields(), rows)?;
            let mode = if dry_run { Mode::Preview } else { Mode::Commit };
            let audit = crate::graphql::audit::of(ctx, actor);
            let report = imports::run(&state.db, actor, &audit, importable, &sheet, mode)
                .await
                .map_err(|refusal| match refusal {
                    Refusal::File(reason) => DomainError::bad("rows", reason),
                    Refusal::Domain(e) => e,
                })?;
            Ok(shown(report, dry_run))
        }
        .await
        .gql()
    }
}

/// The rows as a sheet under the template's header, each value in its column.
fn sheet(
    fields: &'static [crate::graphql::facts::fields::Field],
    rows: Vec<ImportRowInput>,
) -> DomainResult<Sheet> {
    if rows.len() > MAX_ROWS {
        return Err(DomainError::bad("rows", format!("at most {MAX_ROWS} rows")));
    }
    let header: Vec<String> = std::iter::once(EXTERNAL_ID)
        .chain(columns(fields).map(|f| f.label))
        .map(str::to_owned)
        .collect();
    let place = |column: &str| {
        columns(fields)
            .position(|f| f.key() == column || f.label == column)
            .map(|p| p + 1)
    };
    let mut cells = Vec::with_capacity(rows.len());
    for (r, row) in rows.into_iter().enumerate() {
        let mut line = vec![Cell::Empty; header.len()];
        line[0] = Cell::Text(row.external_id);
        for (c, cell) in row.values.into_iter().enumerate() {
            let at = place(&cell.column).ok_or_else(|| {
                DomainError::bad(
                    format!("rows[{r}].values[{c}].column"),
                    format!("\"{}\" is not a column of this kind", cell.column),
                )
            })?;
            line[at] = Cell::Text(cell.value);
        }
        cells.push(line);
    }
    Ok(Sheet {
        header,
        rows: cells,
        first_line: 1,
    })
}

fn shown(report: Report, dry_run: bool) -> ImportReport {
    let count = |s| i32::try_from(report.count(s)).unwrap_or(i32::MAX);
    ImportReport {
        dry_run,
        written: report.written,
        new_rows: count(Status::New) + count(Status::Imported),
        skipped_rows: count(Status::AlreadyImported),
        refused_rows: count(Status::Refused),
        rows: report
            .rows
            .into_iter()
            .map(|r| ImportedRow {
                row: i32::try_from(r.line).unwrap_or(i32::MAX),
                external_id: r.external_id,
                status: match r.status {
                    Status::New => ImportRowStatus::New,
                    Status::Imported => ImportRowStatus::Imported,
                    Status::AlreadyImported => ImportRowStatus::AlreadyImported,
                    Status::Refused => ImportRowStatus::Refused,
                },
                fact_id: r.fact_id.map(crate::graphql::nested::id),
                errors: r
                    .problems
                    .into_iter()
                    .map(|p| ImportRowError {
                        column: p.key,
                        label: p.label.map(str::to_owned),
                        reason: p.reason,
                    })
                    .collect(),
            })
            .collect(),
    }
}
