//! Facts in from spreadsheets (issue 14, item 1), for the console
//! (`web::imports`) and GraphQL (`graphql::imports`) alike: a kind's template
//! (`template`), a file read into a sheet (`sheet`), its rows read into the
//! kind's create inputs as the console's forms read theirs (`read`, `names`),
//! and the rows imported through the domain all or nothing, or previewed
//! (`domain::imports`), each row with its outcome and its reasons in Chinese.

pub mod kinds;
pub mod names;
pub mod read;
pub mod sheet;
pub mod template;

use sea_orm::DatabaseConnection;

use crate::error::DomainError;
use domain::Actor;
use domain::audit::Audit;
use domain::imports::Mode;
use kinds::Importable;
use read::Problem;
use sheet::Sheet;

/// What became of a row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// To be imported (a preview).
    New,
    /// Written by this commit.
    Imported,
    /// Its external id was imported before: skipped.
    AlreadyImported,
    /// Cannot be imported: see its problems.
    Refused,
}

impl Status {
    /// As the preview says it.
    pub fn text(self) -> &'static str {
        match self {
            Self::New => "新增",
            Self::Imported => "已导入",
            Self::AlreadyImported => "已导入过，跳过",
            Self::Refused => "有错误",
        }
    }
}

/// One row's outcome.
#[derive(Debug)]
pub struct RowReport {
    pub line: usize,
    pub external_id: String,
    pub status: Status,
    pub fact_id: Option<i64>,
    pub problems: Vec<Problem>,
}

/// Every row's outcome; `written` when the commit wrote the new rows.
#[derive(Debug)]
pub struct Report {
    pub rows: Vec<RowReport>,
    pub written: bool,
}

impl Report {
    pub fn count(&self, status: Status) -> usize {
        self.rows.iter().filter(|r| r.status == status).count()
    }
}

/// Why nothing of a file could be looked at: the file itself (in Chinese),
/// or the domain's refusal (not the caller's to import, the database…).
#[derive(Debug)]
pub enum Refusal {
    File(String),
    Domain(DomainError),
}

impl From<DomainError> for Refusal {
    fn from(e: DomainError) -> Self {
        Self::Domain(e)
    }
}

/// The GraphQL operation an import is audited as, whichever edge it came through.
pub const OPERATION: &str = "importFacts";

/// Reads `sheet` as rows of `kind` and previews or commits them as `actor`.
pub async fn run(
    db: &DatabaseConnection,
    actor: &Actor,
    audit: &Audit,
    kind: &dyn Importable,
    sheet: &Sheet,
    mode: Mode,
) -> Result<Report, Refusal> {
    domain::imports::require_importer(actor)?;
    let names = names::Names::load(db, actor).await?;
    let rows = read::rows(sheet, kind.fields(), &names).map_err(Refusal::File)?;
    Ok(kind.import(db, actor, audit, rows, mode).await?)
}

/// `run` on a file's bytes.
pub async fn run_file(
    db: &DatabaseConnection,
    actor: &Actor,
    audit: &Audit,
    kind: &dyn Importable,
    file_name: &str,
    bytes: &[u8],
    mode: Mode,
) -> Result<Report, Refusal> {
    domain::imports::require_importer(actor)?;
    let sheet = sheet::read(file_name, bytes).map_err(Refusal::File)?;
    run(db, actor, audit, kind, &sheet, mode).await
}
