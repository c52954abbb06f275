//! What a document for filing holds, whichever way it is handed out: the
//! region and the subject it is about, a summary of labelled values, its
//! tables and notes. Each document (`ranking`, `scorecard`, `annual`) builds
//! one `Report` from the domain with the caller; `xlsx` writes any report as
//! a workbook and `print` shows it as an A4 page, so the spreadsheet and the
//! printout of a document never tell different figures.

use rust_decimal::Decimal;

/// One value of a document, typed so the spreadsheet keeps numbers as
/// numbers and the print page shows them as people read them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    /// A score or points: two decimals (`88.38`).
    Score(Decimal),
    /// An amount in yuan: `¥1,105,728.00`.
    Money(Decimal),
    /// A count, rank or revision.
    Whole(i64),
    Empty,
}

impl Cell {
    pub fn text(text: impl Into<String>) -> Self {
        Self::Text(text.into())
    }

    /// A value that may be missing (a mean without a blend, an amount
    /// without a settlement): an empty cell, never a zero.
    pub fn score_or_empty(value: Option<Decimal>) -> Self {
        value.map_or(Self::Empty, Self::Score)
    }

    pub fn money_or_empty(value: Option<Decimal>) -> Self {
        value.map_or(Self::Empty, Self::Money)
    }

    /// As the print page shows it: the console's own number formats.
    pub fn shown(&self) -> String {
        match self {
            Self::Text(text) => text.clone(),
            Self::Score(value) => engine::points_text(*value),
            Self::Money(value) => engine::money_text(*value),
            Self::Whole(value) => value.to_string(),
            Self::Empty => String::new(),
        }
    }

    /// Right-aligned when printed (a figure, not words).
    pub fn is_number(&self) -> bool {
        matches!(self, Self::Score(_) | Self::Money(_) | Self::Whole(_))
    }
}

/// A column: its full heading (the spreadsheet's) and, for a wide table, a
/// short one the print page uses, the full one given in a legend below.
#[derive(Clone, Debug)]
pub struct Column {
    pub heading: String,
    pub short: Option<String>,
}

impl Column {
    pub fn new(heading: impl Into<String>) -> Self {
        Self {
            heading: heading.into(),
            short: None,
        }
    }

    /// An indicator's column: `A1` printed, `A1 资源交付及时性（满分 10.00）` in full.
    pub fn indicator(code: &str, heading: String) -> Self {
        Self {
            heading,
            short: Some(code.to_owned()),
        }
    }
}

/// A table of the document, one row per vendor, indicator or deduction.
#[derive(Clone, Debug)]
pub struct Table {
    /// Printed (and written) above the table; none for a document's only table.
    pub caption: Option<String>,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// The legend of the short headings: `A1 资源交付及时性（满分 10.00）`.
    pub fn legend(&self) -> Vec<String> {
        self.columns
            .iter()
            .filter(|c| c.short.is_some())
            .map(|c| c.heading.clone())
            .collect()
    }
}

/// A document for filing.
#[derive(Clone, Debug)]
pub struct Report {
    /// The region's name: the print page's heading.
    pub region: String,
    /// What it is about: `2025年3月月度考核排名`.
    pub subject: String,
    /// The spreadsheet's sheet name (at most 31 characters).
    pub sheet: &'static str,
    /// Labelled values above the tables (vendor, period, revision, total…).
    pub summary: Vec<(String, Cell)>,
    pub tables: Vec<Table>,
    /// Sentences under the tables (warnings, months without a result).
    pub notes: Vec<String>,
    /// Wide tables: printed across the page (A4 landscape).
    pub wide: bool,
}

impl Report {
    /// `区1 2025年3月月度考核排名`: the spreadsheet's title and its file's name.
    pub fn title(&self) -> String {
        format!("{} {}", self.region, self.subject)
    }

    pub fn file_name(&self) -> String {
        format!("{}.xlsx", self.title())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_shown_as_the_console_shows_numbers() {
        // 88.375 → 88.38 (half-up); 1105728 yuan grouped by thousands.
        assert_eq!(Cell::Score(Decimal::new(88_375, 3)).shown(), "88.38");
        assert_eq!(
            Cell::Money(Decimal::new(110_572_800, 2)).shown(),
            "¥1,105,728.00"
        );
        assert_eq!(Cell::Whole(2).shown(), "2");
        assert_eq!(Cell::score_or_empty(None), Cell::Empty);
        assert!(!Cell::text("达标").is_number());
    }
}
