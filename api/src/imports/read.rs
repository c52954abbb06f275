//! A sheet's rows as a kind's GraphQL create inputs, read the way the console
//! reads a form (`fields::Field::read`), with what a spreadsheet adds: the
//! columns are found by their Chinese labels in the header, references are
//! written by name (`names`), flags as 是/否, and a cell Excel stored as a
//! date or a number is written out first as a person would have typed it.

use std::collections::HashMap;

use async_graphql::{Name, Value, indexmap::IndexMap};

use super::names::Names;
use super::sheet::{Cell, Sheet};
use crate::graphql::facts::fields::{Field, Input, Pick, When};

/// The first column: the source's own number for the row.
pub const EXTERNAL_ID: &str = "外部编号";
/// `externalId`: the external id's key in GraphQL and in reasons.
pub const EXTERNAL_ID_KEY: &str = "externalId";

/// A kind's columns after the external id: every field given at creation.
pub fn columns(fields: &'static [Field]) -> impl Iterator<Item = &'static Field> {
    fields.iter().filter(|f| f.when != When::Update)
}

/// Why a row cannot be imported: the column (its key and label; none when
/// the reason is the whole row's) and the reason in Chinese.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub key: Option<String>,
    pub label: Option<&'static str>,
    pub reason: String,
}

impl Problem {
    pub fn of(field: &Field, reason: impl Into<String>) -> Self {
        Self {
            key: Some(field.key()),
            label: Some(field.label),
            reason: reason.into(),
        }
    }

    pub fn external_id(reason: impl Into<String>) -> Self {
        Self {
            key: Some(EXTERNAL_ID_KEY.to_owned()),
            label: Some(EXTERNAL_ID),
            reason: reason.into(),
        }
    }
}

/// One data row, read.
#[derive(Debug)]
pub struct ReadRow {
    /// The number people see: the file's line, or the row's place in a list.
    pub line: usize,
    pub external_id: String,
    /// The region the row names, if it names one that is known.
    pub region_id: Option<i64>,
    /// The kind's create input, or what is wrong with the row.
    pub input: Result<Value, Vec<Problem>>,
}

/// Where each column is in the sheet.
struct Layout {
    external_id: usize,
    fields: Vec<(&'static Field, Option<usize>)>,
}

/// The header's columns: every required one present, none unknown or twice.
fn layout(header: &[String], fields: &'static [Field]) -> Result<Layout, String> {
    let mut at: HashMap<&str, usize> = HashMap::new();
    let mut unknown = Vec::new();
    for (index, label) in header.iter().enumerate() {
        if label.is_empty() {
            continue;
        }
        let known = label == EXTERNAL_ID || columns(fields).any(|f| f.label == label);
        if !known {
            unknown.push(label.as_str());
        } else if at.insert(label, index).is_some() {
            return Err(format!("表头中“{label}”出现了两次"));
        }
    }
    if !unknown.is_empty() {
        return Err(format!(
            "表头中有无法识别的列：{}（请使用下载的模板）",
            unknown.join("、")
        ));
    }
    let missing: Vec<&str> = std::iter::once(EXTERNAL_ID)
        .chain(columns(fields).filter(|f| f.required).map(|f| f.label))
        .filter(|label| !at.contains_key(label))
        .collect();
    if !missing.is_empty() {
        return Err(format!("表头缺少列：{}", missing.join("、")));
    }
    Ok(Layout {
        external_id: at[EXTERNAL_ID],
        fields: columns(fields)
            .map(|f| (f, at.get(f.label).copied()))
            .collect(),
    })
}

/// Every data row of `sheet` (blank rows left out), or why the file as a
/// whole cannot be read.
pub fn rows(
    sheet: &Sheet,
    fields: &'static [Field],
    names: &Names,
) -> Result<Vec<ReadRow>, String> {
    let layout = layout(&sheet.header, fields)?;
    let read = sheet
        .rows
        .iter()
        .enumerate()
        .filter(|(_, cells)| !cells.iter().all(Cell::is_empty))
        .map(|(index, cells)| row(&layout, sheet.first_line + index, cells, names))
        .collect::<Vec<_>>();
    if read.is_empty() {
        return Err("文件中没有数据行".to_owned());
    }
    Ok(read)
}

fn row(layout: &Layout, line: usize, cells: &[Cell], names: &Names) -> ReadRow {
    let at = |index: Option<usize>| index.and_then(|i| cells.get(i)).unwrap_or(&Cell::Empty);
    let external_id = text(at(Some(layout.external_id)), Input::Text { max: 0 });
    let mut problems = Vec::new();
    if external_id.is_empty() {
        problems.push(Problem::external_id(
            crate::graphql::facts::fields::REQUIRED,
        ));
    }
    let mut input = IndexMap::new();
    let mut region_id = None;
    for (field, index) in &layout.fields {
        let written = text(at(*index), field.input);
        match value(field, &written, region_id, names) {
            Ok(value) => {
                if field.column == "region_id"
                    && let Value::String(id) = &value
                {
                    region_id = id.parse().ok();
                }
                input.insert(Name::new(field.key()), value);
            }
            Err(reason) => problems.push(Problem::of(field, reason)),
        }
    }
    ReadRow {
        line,
        external_id,
        region_id,
        input: if problems.is_empty() {
            Ok(Value::Object(input))
        } else {
            Err(problems)
        },
    }
}

/// A cell as the text a person would have typed into the form.
fn text(cell: &Cell, input: Input) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(t) => match input {
            Input::DateTime | Input::Day => slashed(t.trim()),
            _ => t.trim().to_owned(),
        },
        Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
        Cell::Number(n) => n.to_string(),
        Cell::Bool(true) => "是".to_owned(),
        Cell::Bool(false) => "否".to_owned(),
        Cell::When(t) => t
            .format(match input {
                Input::Day => "%Y-%m-%d",
                Input::Month => "%Y-%m",
                _ => "%Y-%m-%d %H:%M",
            })
            .to_string(),
    }
}

/// `2025/3/10 9:30` (how Excel on a Chinese system writes a date into a
/// CSV) as `2025-03-10 09:30`; any other text as it is.
fn slashed(text: &str) -> String {
    let formats = [
        ("%Y/%m/%d %H:%M", "%Y-%m-%d %H:%M"),
        ("%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M:%S"),
    ];
    for (from, to) in formats {
        if let Ok(t) = chrono::NaiveDateTime::parse_from_str(text, from) {
            return t.format(to).to_string();
        }
    }
    match chrono::NaiveDate::parse_from_str(text, "%Y/%m/%d") {
        Ok(d) => d.format("%Y-%m-%d").to_string(),
        Err(_) => text.to_owned(),
    }
}

/// The field's input value from its cell's text, or the reason.
fn value(
    field: &Field,
    written: &str,
    region: Option<i64>,
    names: &Names,
) -> Result<Value, String> {
    let id = |pick: Pick, name: &str| names.id(pick, region, name).map(|id| id.to_string());
    match field.input {
        Input::Flag => match written {
            "" => field.read(&[]),
            yes if is_yes(yes) => field.read(&["是"]),
            no if is_no(no) => field.read(&[]),
            _ => Err("请填写“是”或“否”".to_owned()),
        },
        Input::Pick(pick) if !written.is_empty() => field.read(&[id(pick, written)?.as_str()]),
        Input::PickMany(pick) => {
            let ids = several(written)
                .map(|name| id(pick, name))
                .collect::<Result<Vec<_>, _>>()?;
            field.read(&ids.iter().map(String::as_str).collect::<Vec<_>>())
        }
        Input::Choices(_) => field.read(&several(written).collect::<Vec<_>>()),
        _ => field.read(&[written]),
    }
}

/// The items of a cell that lists several (`系统1、系统2`).
fn several(written: &str) -> impl Iterator<Item = &str> {
    written
        .split(['、', ',', '，', ';', '；', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn is_yes(text: &str) -> bool {
    matches!(
        text.to_lowercase().as_str(),
        "是" | "true" | "1" | "y" | "yes"
    )
}

fn is_no(text: &str) -> bool {
    matches!(
        text.to_lowercase().as_str(),
        "否" | "false" | "0" | "n" | "no"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    const APPROVED: Field = Field::of("approved_at", "批准时间", Input::DateTime);
    const MONTH: Field = Field::of("period", "月份", Input::Month);
    const CONFIRMED: Field = Field::of("confirmed", "已确认", Input::Flag);

    fn read(field: &Field, cell: Cell) -> Result<Value, String> {
        value(field, &text(&cell, field.input), None, &Names::default())
    }

    #[test]
    fn an_excel_date_cell_is_read_as_the_beijing_time_it_shows() {
        // Excel stores 2025-03-10 09:30 as a date cell; 09:30 in Beijing is
        // 01:30 UTC, kept with its +08:00 offset.
        let when = NaiveDate::from_ymd_opt(2025, 3, 10)
            .and_then(|d| d.and_hms_opt(9, 30, 0))
            .expect("a time");
        assert_eq!(
            read(&APPROVED, Cell::When(when)),
            Ok(Value::String("2025-03-10T09:30:00+08:00".into()))
        );
        // A month typed into Excel becomes the first of that month.
        assert_eq!(
            read(&MONTH, Cell::When(when)),
            Ok(Value::String("2025-03".into()))
        );
    }

    #[test]
    fn a_time_written_with_slashes_is_read_too() {
        assert_eq!(
            read(&APPROVED, Cell::Text("2025/3/10 9:30".into())),
            Ok(Value::String("2025-03-10T09:30:00+08:00".into()))
        );
    }

    #[test]
    fn a_flag_is_yes_or_no_and_nothing_else() {
        assert_eq!(
            read(&CONFIRMED, Cell::Text("是".into())),
            Ok(Value::Boolean(true))
        );
        assert_eq!(
            read(&CONFIRMED, Cell::Text("否".into())),
            Ok(Value::Boolean(false))
        );
        assert_eq!(read(&CONFIRMED, Cell::Bool(true)), Ok(Value::Boolean(true)));
        assert_eq!(read(&CONFIRMED, Cell::Empty), Ok(Value::Boolean(false)));
        assert_eq!(
            read(&CONFIRMED, Cell::Text("对".into())),
            Err("请填写“是”或“否”".to_owned())
        );
    }

    #[test]
    fn a_whole_number_cell_is_written_without_its_decimal_point() {
        assert_eq!(text(&Cell::Number(12.0), Input::Text { max: 10 }), "12");
        assert_eq!(text(&Cell::Number(7.5), Input::Hours), "7.5");
    }

    #[test]
    fn the_header_must_name_every_required_column_and_no_unknown_one() {
        static FIELDS: [Field; 2] = [APPROVED, CONFIRMED];
        let header = |labels: &[&str]| labels.iter().map(|l| (*l).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            layout(&header(&["外部编号", "已确认"]), &FIELDS).err(),
            Some("表头缺少列：批准时间".to_owned())
        );
        assert_eq!(
            layout(
                &header(&["外部编号", "批准时间", "已确认", "备注"]),
                &FIELDS
            )
            .err(),
            Some("表头中有无法识别的列：备注（请使用下载的模板）".to_owned())
        );
        assert!(layout(&header(&["批准时间", "外部编号", "已确认"]), &FIELDS).is_ok());
    }
}
