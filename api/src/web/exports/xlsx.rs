//! Any document for filing as a one-sheet `.xlsx` (rust_xlsxwriter): the
//! title, the document date, the summary as label and value, then each table
//! with its caption and headings, then the notes. Figures are the
//! spreadsheet's own numbers with a display format (scores `0.00`, money
//! `¥#,##0.00`), never text, so a spreadsheet sums and sorts them; set up to
//! print on A4, one page wide.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::report::{Cell, Report, Table};

/// The `.xlsx` content type.
pub const CONTENT_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Excel's paper size number of A4.
const A4: u8 = 9;
/// The widest a column gets (in characters); longer text wraps.
const WIDEST: usize = 60;

/// The formats of a sheet's cells.
struct Formats {
    title: Format,
    bold: Format,
    score: Format,
    money: Format,
    whole: Format,
    wrap: Format,
}

impl Formats {
    fn new() -> Self {
        Self {
            title: Format::new().set_bold().set_font_size(14),
            bold: Format::new().set_bold(),
            score: Format::new().set_num_format("0.00"),
            money: Format::new().set_num_format("¥#,##0.00"),
            whole: Format::new().set_num_format("0"),
            wrap: Format::new().set_text_wrap(),
        }
    }
}

/// The workbook of `report`, dated `date` (`2026年12月1日`).
pub fn workbook(report: &Report, date: &str) -> Result<Vec<u8>, XlsxError> {
    workbook_of(&[(report.sheet, report)], date)
}

/// A workbook with one sheet per report, each under the name given with it
/// (unique, at most 31 characters).
pub fn workbook_of(reports: &[(&str, &Report)], date: &str) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    for (name, report) in reports {
        write_sheet(book.add_worksheet(), name, report, date)?;
    }
    book.save_to_buffer()
}

/// One report on its own sheet.
fn write_sheet(
    sheet: &mut Worksheet,
    name: &str,
    report: &Report,
    date: &str,
) -> Result<(), XlsxError> {
    sheet.set_name(name)?;
    sheet.set_paper_size(A4);
    if report.wide {
        sheet.set_landscape();
    }
    sheet.set_print_fit_to_pages(1, 0);
    let formats = Formats::new();
    sheet.write_string_with_format(0, 0, report.title(), &formats.title)?;
    sheet.write_string(1, 0, format!("制表日期：{date}"))?;
    let mut row = 2u32;
    for (label, value) in &report.summary {
        sheet.write_string_with_format(row, 0, label, &formats.bold)?;
        write_cell(sheet, row, 1, value, &formats)?;
        row += 1;
    }
    if !report.summary.is_empty() {
        row += 1;
    }
    for table in &report.tables {
        row = write_table(sheet, row, table, &formats)? + 1;
    }
    for note in &report.notes {
        sheet.write_string(row, 0, note)?;
        row += 1;
    }
    for (col, width) in (0u16..).zip(widths(report)) {
        sheet.set_column_width(col, width as f64)?;
    }
    Ok(())
}

/// A table from `row` on: its caption, headings and rows; the row after it.
fn write_table(
    sheet: &mut Worksheet,
    mut row: u32,
    table: &Table,
    formats: &Formats,
) -> Result<u32, XlsxError> {
    if let Some(caption) = &table.caption {
        sheet.write_string_with_format(row, 0, caption, &formats.bold)?;
        row += 1;
    }
    for (col, column) in (0u16..).zip(&table.columns) {
        sheet.write_string_with_format(row, col, &column.heading, &formats.bold)?;
    }
    row += 1;
    for cells in &table.rows {
        for (col, cell) in (0u16..).zip(cells) {
            write_cell(sheet, row, col, cell, formats)?;
        }
        row += 1;
    }
    Ok(row)
}

fn write_cell(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    formats: &Formats,
) -> Result<(), XlsxError> {
    match cell {
        Cell::Text(text) if width_of(text) > WIDEST => {
            sheet.write_string_with_format(row, col, text, &formats.wrap)?;
        }
        Cell::Text(text) => {
            sheet.write_string(row, col, text)?;
        }
        Cell::Score(value) => {
            sheet.write_number_with_format(row, col, number(*value), &formats.score)?;
        }
        Cell::Money(value) => {
            sheet.write_number_with_format(row, col, number(*value), &formats.money)?;
        }
        Cell::Whole(value) => {
            // A rank or revision: far below 2^53, exact as a float.
            sheet.write_number_with_format(row, col, *value as f64, &formats.whole)?;
        }
        Cell::Empty => {}
    }
    Ok(())
}

/// A figure as the cell's number: rounded half-up to two decimals first
/// (what people read), then as the spreadsheet's own number type.
pub fn number(value: Decimal) -> f64 {
    engine::two_dp(value).to_f64().unwrap_or_default()
}

/// Each column's width in characters: its widest heading or value (the
/// title and the summary's values overflow into empty neighbours), at least
/// 8 and at most `WIDEST`.
fn widths(report: &Report) -> Vec<usize> {
    let mut widths: Vec<usize> = Vec::new();
    let mut fit = |col: usize, text: &str| {
        if widths.len() <= col {
            widths.resize(col + 1, 8);
        }
        widths[col] = widths[col].max(width_of(text).min(WIDEST));
    };
    for (label, _) in &report.summary {
        fit(0, label);
    }
    for table in &report.tables {
        for (col, column) in table.columns.iter().enumerate() {
            fit(col, &column.heading);
        }
        for cells in &table.rows {
            for (col, cell) in cells.iter().enumerate() {
                fit(col, &cell.shown());
            }
        }
    }
    widths
}

/// How wide a text prints: a Chinese character takes two columns.
fn width_of(text: &str) -> usize {
    text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_figure_is_written_as_the_number_people_read() {
        // 88.375 rounds half-up to 88.38, as the dashboard shows it.
        assert_eq!(number(Decimal::new(88_375, 3)), 88.38);
        assert_eq!(number(Decimal::new(95, 0)), 95.0);
    }

    #[test]
    fn chinese_text_is_twice_as_wide() {
        // 2 Chinese characters × 2 + "A1 " 3.
        assert_eq!(width_of("A1 名称"), 7);
    }
}
