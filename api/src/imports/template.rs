//! A kind's template (`.xlsx`): the sheet to fill in, its header the external
//! id and the kind's fields by their Chinese labels (the same declaration the
//! console's forms use), each column formatted for what it takes (the
//! external id and texts as text, so `000123` keeps its zeros; times as
//! `yyyy-mm-dd hh:mm`) and offering its choices; and a sheet saying how each
//! column is filled in.

use rust_xlsxwriter::{DataValidation, Format, Workbook, XlsxError};

use super::kinds::Importable;
use super::read::{EXTERNAL_ID, columns};
use super::sheet::MAX_ROWS;
use crate::graphql::facts::fields::{Field, Input, Pick};

/// The `.xlsx` content type.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The template's file name: `工单导入模板.xlsx`.
pub fn file_name(kind: &dyn Importable) -> String {
    format!("{}导入模板.xlsx", kind.label())
}

/// The kind's template as `.xlsx` bytes.
pub fn workbook(kind: &dyn Importable) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    let last = u32::try_from(MAX_ROWS).unwrap_or(u32::MAX);
    let sheet = book.add_worksheet();
    sheet.set_name("导入模板")?;
    sheet.write_string_with_format(0, 0, EXTERNAL_ID, &bold)?;
    sheet.set_column_format(0, &text)?;
    sheet.set_column_width(0, 16)?;
    for (col, field) in (1u16..).zip(columns(kind.fields())) {
        sheet.write_string_with_format(0, col, field.label, &bold)?;
        sheet.set_column_width(col, width(field))?;
        if let Some(format) = format(field) {
            sheet.set_column_format(col, &format)?;
        }
        if let Some(choices) = choices(field) {
            let list = DataValidation::new()
                .allow_list_strings(&choices)?
                .set_input_message(hint(field))?;
            sheet.add_data_validation(1, col, last, col, &list)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    let notes = book.add_worksheet();
    notes.set_name("填写说明")?;
    notes.write_string(
        0,
        0,
        "每行一条记录，从第 2 行起填写，表头请勿修改。时间为北京时间。\
         外部编号为来源系统中的编号（如工单号），同一监管区域内不可重复；\
         已导入过的编号再次导入时跳过，同一文件导入两次不会重复记录。",
    )?;
    for (col, title) in (0u16..).zip(["列", "必填", "填写方式"]) {
        notes.write_string_with_format(2, col, title, &bold)?;
    }
    notes.write_string(3, 0, EXTERNAL_ID)?;
    notes.write_string(3, 1, "是")?;
    notes.write_string(3, 2, "来源系统中的编号，最多 100 字")?;
    for (row, field) in (4u32..).zip(columns(kind.fields())) {
        notes.write_string(row, 0, field.label)?;
        notes.write_string(row, 1, if needed(field) { "是" } else { "否" })?;
        notes.write_string(row, 2, hint(field))?;
    }
    notes.set_column_width(0, 24)?;
    notes.set_column_width(2, 60)?;
    book.save_to_buffer()
}

/// Must be filled in (a flag left blank is 否).
fn needed(field: &Field) -> bool {
    field.required
        && !matches!(
            field.input,
            Input::Flag | Input::Choices(_) | Input::PickMany(_)
        )
}

fn width(field: &Field) -> f64 {
    match field.input {
        Input::Text { .. } => 30.0,
        Input::DateTime | Input::PickMany(_) | Input::Pick(_) => 20.0,
        _ => 14.0,
    }
}

/// How the column's cells are formatted, so Excel keeps what is typed.
fn format(field: &Field) -> Option<Format> {
    match field.input {
        Input::DateTime => Some(Format::new().set_num_format("yyyy-mm-dd hh:mm")),
        Input::Day => Some(Format::new().set_num_format("yyyy-mm-dd")),
        Input::Text { .. } | Input::Month | Input::Pick(_) | Input::PickMany(_) => {
            Some(Format::new().set_num_format("@"))
        }
        _ => None,
    }
}

/// The values a column offers as a list in Excel.
fn choices(field: &Field) -> Option<Vec<String>> {
    match field.input {
        Input::Flag => Some(vec!["是".into(), "否".into()]),
        Input::Choice(options) => Some(options.iter().map(|c| c.label.to_owned()).collect()),
        Input::Answer(answers) => Some(answers.iter().map(i32::to_string).collect()),
        _ => None,
    }
}

/// How a column is filled in, in Chinese.
pub fn hint(field: &Field) -> String {
    let named = |pick: Pick| match pick {
        Pick::Region => "监管区域",
        Pick::Vendor => "云服务商",
        Pick::Agency => "使用单位",
        Pick::System => "信息系统",
        Pick::Unnamed => "记录",
    };
    match field.input {
        Input::Text { max } => format!("文字，最多 {max} 字"),
        Input::DateTime => "北京时间，如 2025-03-10 09:30".to_owned(),
        Input::Day => "日期，如 2025-03-10".to_owned(),
        Input::Month => "月份，如 2025-03".to_owned(),
        Input::Flag => "填“是”或“否”，不填为“否”".to_owned(),
        Input::Number { low, high } => format!("整数，{low} 至 {high}"),
        Input::Hours => "工时，最多两位小数，如 7.5".to_owned(),
        Input::Answer(answers) => format!(
            "填 {} 之一",
            answers
                .iter()
                .map(i32::to_string)
                .collect::<Vec<_>>()
                .join("、")
        ),
        Input::Choice(options) => format!(
            "填 {} 之一",
            options
                .iter()
                .map(|c| c.label)
                .collect::<Vec<_>>()
                .join("、")
        ),
        Input::Choices(options) => format!(
            "可填多项，用“、”分隔：{}",
            options
                .iter()
                .map(|c| c.label)
                .collect::<Vec<_>>()
                .join("、")
        ),
        Input::Pick(pick) => format!("{}的名称", named(pick)),
        Input::PickMany(pick) => format!("{}的名称，多个用“、”分隔", named(pick)),
    }
}
