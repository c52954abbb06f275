//! A field's value as people read it: local times, Chinese names of choices,
//! names of the rows a reference picks, 是/否.

use chrono::{DateTime, NaiveDate, Utc};

use super::pickers::Pickers;
use crate::graphql::facts::fields::{Choice, Field, Input};
use crate::web::format::{date_text, local_time, month_text};

/// Shown for a value not given.
pub const NONE: &str = "—";

pub fn shown(field: &Field, row: &serde_json::Value, pickers: &Pickers) -> String {
    let value = &row[field.column];
    if value.is_null() {
        return NONE.to_owned();
    }
    let text = || match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let items = || value.as_array().cloned().unwrap_or_default();
    match field.input {
        Input::DateTime => DateTime::parse_from_rfc3339(&text())
            .map(|t| local_time(t.with_timezone(&Utc)))
            .unwrap_or_else(|_| text()),
        Input::Day => text()
            .parse::<NaiveDate>()
            .map(date_text)
            .unwrap_or_else(|_| text()),
        Input::Month => month_text(&text()),
        Input::Flag => if value.as_bool() == Some(true) {
            "是"
        } else {
            "否"
        }
        .to_owned(),
        Input::Choice(options) => label(options, &text()),
        Input::Choices(options) => joined(
            items()
                .iter()
                .map(|v| label(options, v.as_str().unwrap_or_default())),
        ),
        Input::Pick(pick) => value
            .as_i64()
            .and_then(|id| pickers.name(pick, id))
            .unwrap_or(NONE)
            .to_owned(),
        Input::PickMany(pick) => joined(
            items()
                .iter()
                .filter_map(|v| v.as_i64())
                .map(|id| pickers.name(pick, id).unwrap_or(NONE).to_owned()),
        ),
        Input::Text { .. } | Input::Number { .. } | Input::Hours | Input::Answer(_) => text(),
    }
}

fn label(options: &[Choice], value: &str) -> String {
    options
        .iter()
        .find(|c| c.value == value)
        .map_or(value, |c| c.label)
        .to_owned()
}

fn joined(items: impl Iterator<Item = String>) -> String {
    let all: Vec<String> = items.collect();
    if all.is_empty() {
        NONE.to_owned()
    } else {
        all.join("、")
    }
}
