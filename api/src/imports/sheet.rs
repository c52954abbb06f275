//! A spreadsheet as a table of cells: the first row its header, then its
//! rows. `.xlsx` is read with calamine, which gives a cell as Excel stored it
//! (a date as a date, a number as a number); `.csv` (UTF-8, as Excel saves
//! "CSV UTF-8", with or without its byte-order mark) gives text only.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use chrono::{NaiveDate, NaiveDateTime};

/// The most data rows one file may carry.
pub const MAX_ROWS: usize = 10_000;

/// One cell as the file holds it.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    /// An Excel date or date-time (local, as typed).
    When(NaiveDateTime),
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }
}

/// The header and the data rows; `first_line` is the number people see for
/// the first data row (2 in a file, below its header).
#[derive(Debug)]
pub struct Sheet {
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    pub first_line: usize,
}

/// What a file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Csv,
}

/// A zip archive (an `.xlsx`) starts with these bytes.
const ZIP: &[u8] = b"PK\x03\x04";

impl Format {
    /// By the file's first bytes, else by its name's extension.
    pub fn of(file_name: &str, bytes: &[u8]) -> Option<Self> {
        let name = file_name.to_lowercase();
        if bytes.starts_with(ZIP) || name.ends_with(".xlsx") {
            Some(Self::Xlsx)
        } else if name.ends_with(".csv") {
            Some(Self::Csv)
        } else {
            None
        }
    }
}

/// The sheet of a file, or why it cannot be read (in Chinese).
pub fn read(file_name: &str, bytes: &[u8]) -> Result<Sheet, String> {
    let rows = match Format::of(file_name, bytes) {
        Some(Format::Xlsx) => xlsx(bytes)?,
        Some(Format::Csv) => csv(bytes)?,
        None => return Err("只能导入 .xlsx 或 .csv 文件".to_owned()),
    };
    let mut rows = rows.into_iter();
    let header: Vec<String> = rows
        .next()
        .ok_or_else(|| "文件是空的：第 1 行应为表头".to_owned())?
        .into_iter()
        .map(|c| match c {
            Cell::Text(t) => t.trim().to_owned(),
            Cell::Empty => String::new(),
            other => format!("{other:?}"),
        })
        .collect();
    let mut rows: Vec<Vec<Cell>> = rows.collect();
    // Excel keeps blank rows after the data as part of the range.
    while rows.last().is_some_and(|r| r.iter().all(Cell::is_empty)) {
        rows.pop();
    }
    if rows.len() > MAX_ROWS {
        return Err(format!("一次最多导入 {MAX_ROWS} 行"));
    }
    Ok(Sheet {
        header,
        rows,
        first_line: 2,
    })
}

/// The first worksheet's cells.
fn xlsx(bytes: &[u8]) -> Result<Vec<Vec<Cell>>, String> {
    let unreadable = |_| "无法读取该 Excel 文件，请使用下载的模板填写".to_owned();
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(unreadable)?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| "该 Excel 文件没有工作表".to_owned())?
        .map_err(unreadable)?;
    Ok(range
        .rows()
        .map(|row| row.iter().map(cell).collect())
        .collect())
}

fn cell(data: &Data) -> Cell {
    match data {
        Data::Empty | Data::Error(_) => Cell::Empty,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Int(n) => Cell::Number(*n as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(d) => {
            let (y, mo, day, h, mi, s, milli) = d.to_ymd_hms_milli();
            // A time typed to the minute is stored as a fraction of a day and
            // may come back a millisecond short: round to the second.
            NaiveDate::from_ymd_opt(i32::from(y), u32::from(mo), u32::from(day))
                .and_then(|date| date.and_hms_opt(u32::from(h), u32::from(mi), u32::from(s)))
                .map(|t| t + chrono::Duration::milliseconds(if milli >= 500 { 1000 } else { 0 }))
                .map_or(Cell::Empty, Cell::When)
        }
    }
}

/// Comma-separated values (RFC 4180: quoted fields may hold commas, quotes
/// doubled, and line breaks).
fn csv(bytes: &[u8]) -> Result<Vec<Vec<Cell>>, String> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| "CSV 文件须为 UTF-8 编码（在 Excel 中另存为“CSV UTF-8”）".to_owned())?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    let cell = |f: &mut String| {
        let text = std::mem::take(f);
        if text.trim().is_empty() {
            Cell::Empty
        } else {
            Cell::Text(text)
        }
    };
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(cell(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n' | '\r') => {
                row.push(cell(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    if quoted {
        return Err("CSV 文件的引号不成对".to_owned());
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(cell(&mut field));
        rows.push(row);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str) -> Cell {
        Cell::Text(t.to_owned())
    }

    #[test]
    fn a_csv_field_may_quote_commas_quotes_and_line_breaks() {
        let file =
            "\u{feff}外部编号,标题\r\nW-1,\"扩容, 第一期\"\r\nW-2,\"说 \"\"紧急\"\"\n第二行\"\r\n";
        let sheet = read("工单.csv", file.as_bytes()).expect("a sheet");
        assert_eq!(sheet.header, vec!["外部编号", "标题"]);
        assert_eq!(
            sheet.rows,
            vec![
                vec![text("W-1"), text("扩容, 第一期")],
                vec![text("W-2"), text("说 \"紧急\"\n第二行")],
            ]
        );
    }

    #[test]
    fn a_csv_that_is_not_utf8_is_refused_with_the_way_to_save_it() {
        // "工单" in GBK, as Excel saves a plain CSV on a Chinese system.
        let gbk = [0xb9, 0xa4, 0xb5, 0xa5, b'\n'];
        let refused = read("工单.csv", &gbk).expect_err("refused");
        assert!(refused.contains("UTF-8"), "{refused}");
    }

    #[test]
    fn blank_rows_after_the_data_are_not_rows() {
        let sheet = read("x.csv", "外部编号\nW-1\n,\n\n".as_bytes()).expect("a sheet");
        assert_eq!(sheet.rows, vec![vec![text("W-1")]]);
    }

    #[test]
    fn only_xlsx_and_csv_are_read() {
        let refused = read("工单.xls", b"\xd0\xcf\x11\xe0").expect_err("refused");
        assert_eq!(refused, "只能导入 .xlsx 或 .csv 文件");
    }
}
