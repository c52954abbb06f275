//! A fact kind's fields as people fill them in: the Chinese label, the kind
//! of input (a day, a local date-time, a choice by Chinese name, a region,
//! vendor, agency or system picked by name…), whether it is required, and
//! whether it is given at creation only. The description is declared with
//! the kind itself: `fact_kind!` labels each column and takes its input from
//! the column's kind (`columns::Column::INPUT`); faults and survey responses,
//! written by hand, list theirs beside their inputs. So a field is described
//! once, and every people-facing edge reads the same table: the console's
//! forms and lists, and the spreadsheet templates and imports (issue 14).
//!
//! A person's text becomes the kind's GraphQL input (`Field::read`, keyed by
//! `Field::key`), which goes through the same `crud::create`/`crud::update` as
//! the mutations; a refusal comes back as the domain's field and reason, told
//! in Chinese by `explain`.

use async_graphql::{Name, Value};
use chrono::{NaiveDate, NaiveDateTime, TimeZone};
use rust_decimal::Decimal;

use crate::error::DomainError;
use crate::graphql::crud::FromInput;

/// What a reference field picks, by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Pick {
    Region,
    Vendor,
    Agency,
    System,
    /// A reference column before its field says what it refers to.
    Unnamed,
}

/// One value of an enum: its stored text and its Chinese name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Choice {
    pub value: &'static str,
    pub label: &'static str,
}

/// How a field is filled in.
#[derive(Clone, Copy, Debug)]
pub enum Input {
    /// Text of at most `max` characters (a long text above `LONG_TEXT`).
    Text {
        max: usize,
    },
    /// A local date and time (Beijing).
    DateTime,
    Day,
    /// `YYYY-MM`.
    Month,
    Flag,
    Number {
        low: i32,
        high: i32,
    },
    /// Hours, two decimals at most.
    Hours,
    /// One of a few whole numbers (a questionnaire's answers).
    Answer(&'static [i32]),
    Choice(&'static [Choice]),
    /// Any of the choices, each once.
    Choices(&'static [Choice]),
    Pick(Pick),
    PickMany(Pick),
}

/// Texts longer than this are written in a text area.
pub const LONG_TEXT: usize = 200;

/// When a field may be given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    Always,
    /// At creation only (who owns the fact, what it concerns).
    Create,
    /// On an update only (a supervisor's override).
    Update,
}

#[derive(Clone, Copy, Debug)]
pub struct Field {
    /// The model's column (`approved_at`).
    pub column: &'static str,
    pub label: &'static str,
    pub input: Input,
    pub required: bool,
    pub when: When,
    /// False for what the vendor concerned may not read (who answered a survey).
    pub vendor_sees: bool,
}

impl Field {
    /// A field from a `fact_kind!` column: a reference column's input names
    /// what it picks (`picks` holds it; empty for every other column).
    pub const fn column(
        column: &'static str,
        label: &'static str,
        input: Input,
        picks: &[Pick],
        required: bool,
        when: When,
    ) -> Self {
        let input = match (input, picks) {
            (Input::Pick(_), [pick]) => Input::Pick(*pick),
            (input, _) => input,
        };
        Self {
            column,
            label,
            input,
            required,
            when,
            vendor_sees: true,
        }
    }

    /// A field every rule applies to as declared.
    pub const fn of(column: &'static str, label: &'static str, input: Input) -> Self {
        Self::column(column, label, input, &[], true, When::Always)
    }

    pub const fn optional(mut self) -> Self {
        self.required = false;
        self
    }

    pub const fn on(mut self, when: When) -> Self {
        self.when = when;
        self
    }

    pub const fn hidden_from_vendor(mut self) -> Self {
        self.vendor_sees = false;
        self
    }

    /// The field's name in the GraphQL input and in the domain's messages
    /// (`approvedAt`).
    pub fn key(&self) -> String {
        domain::error::camel_case(self.column)
    }

    pub fn is_long(&self) -> bool {
        matches!(self.input, Input::Text { max } if max > LONG_TEXT)
    }

    /// The field's input value from what a person wrote (a form's values of
    /// this field, a spreadsheet's cell), or the reason in Chinese. Nothing
    /// written leaves an optional field null (cleared), a flag false and a
    /// set empty.
    pub fn read(&self, texts: &[&str]) -> Result<Value, String> {
        let given: Vec<&str> = texts
            .iter()
            .map(|t| t.trim())
            .filter(|t| !t.is_empty())
            .collect();
        match self.input {
            Input::Flag => return Ok(Value::Boolean(given.iter().any(|t| is_yes(t)))),
            Input::Choices(options) => {
                return given
                    .iter()
                    .map(|t| choice(options, t))
                    .collect::<Result<_, _>>()
                    .map(Value::List);
            }
            Input::PickMany(_) => {
                return given
                    .iter()
                    .map(|t| picked(t))
                    .collect::<Result<_, _>>()
                    .map(Value::List);
            }
            _ => {}
        }
        let Some(text) = given.first().copied() else {
            return if self.required && !matches!(self.input, Input::Text { .. }) {
                Err(REQUIRED.to_owned())
            } else if self.required {
                // The domain refuses an empty text (and says so the same way).
                Ok(Value::String(String::new()))
            } else {
                Ok(Value::Null)
            };
        };
        match self.input {
            Input::Text { .. } | Input::Month => Ok(Value::String(text.to_owned())),
            Input::DateTime => local_instant(text)
                .map(|t| Value::String(t.to_rfc3339()))
                .ok_or_else(|| "请填写有效的日期和时间".to_owned()),
            Input::Day => text
                .parse::<NaiveDate>()
                .map(|d| Value::String(d.to_string()))
                .map_err(|_| "请填写有效的日期".to_owned()),
            Input::Number { .. } | Input::Answer(_) => text
                .parse::<i32>()
                .map(|n| Value::Number(n.into()))
                .map_err(|_| "请填写整数".to_owned()),
            Input::Hours => text
                .parse::<Decimal>()
                .map(|d| Value::String(d.to_string()))
                .map_err(|_| "请填写数字".to_owned()),
            Input::Choice(options) => choice(options, text),
            Input::Pick(_) => picked(text),
            Input::Flag | Input::Choices(_) | Input::PickMany(_) => unreachable!("read above"),
        }
    }

    /// The field's value as a form shows it (a local `datetime-local` value,
    /// an id, a choice's stored text), from the row serialized as JSON; several
    /// for a set.
    pub fn texts(&self, row: &serde_json::Value) -> Vec<String> {
        let value = &row[self.column];
        match (self.input, value) {
            (_, serde_json::Value::Null) => Vec::new(),
            (_, serde_json::Value::Array(items)) => items.iter().map(plain).collect(),
            (Input::DateTime, serde_json::Value::String(t)) => {
                chrono::DateTime::parse_from_rfc3339(t)
                    .map(|t| {
                        t.with_timezone(&domain::period::shanghai())
                            .format(DATE_TIME)
                            .to_string()
                    })
                    .into_iter()
                    .collect()
            }
            (Input::Flag, serde_json::Value::Bool(yes)) => {
                if *yes {
                    vec!["on".to_owned()]
                } else {
                    Vec::new()
                }
            }
            (_, other) => vec![plain(other)],
        }
    }
}

/// A `datetime-local` value.
pub const DATE_TIME: &str = "%Y-%m-%dT%H:%M";

pub const REQUIRED: &str = "必填";

fn plain(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn is_yes(text: &str) -> bool {
    matches!(text, "on" | "true" | "1" | "是")
}

fn choice(options: &[Choice], text: &str) -> Result<Value, String> {
    options
        .iter()
        .find(|c| c.value == text || c.label == text)
        .map(|c| Value::Enum(Name::new(c.value)))
        .ok_or_else(|| "请从列表中选择".to_owned())
}

fn picked(text: &str) -> Result<Value, String> {
    match text.parse::<i64>() {
        Ok(id) if id > 0 => Ok(Value::String(id.to_string())),
        _ => Err("请从列表中选择".to_owned()),
    }
}

/// A local date and time in Beijing (`2025-03-10T09:30`, also with seconds
/// or a space), as an instant with its offset.
pub fn local_instant(text: &str) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    [
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d %H:%M:%S",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
    .and_then(|t| domain::period::shanghai().from_local_datetime(&t).single())
}

/// A fact kind as people see it: its Chinese name and its fields.
pub trait Described: FromInput {
    /// `工单`.
    const LABEL: &'static str;
    /// Every field, in the order a form asks them (the region and vendor first).
    const FIELDS: &'static [Field];
    /// The column a record is named by in lists and links (its title).
    const TITLE: &'static str;
}

/// The region and vendor every fact belongs to, given at creation.
pub const OWNER: [Field; 2] = [
    Field::of("region_id", "监管区域", Input::Pick(Pick::Region)).on(When::Create),
    Field::of("vendor_id", "云服务商", Input::Pick(Pick::Vendor)).on(When::Create),
];

/// What a refused write says to a person: the field it concerns (its key, when
/// it is one of `fields`) and the reason in Chinese. `None` for errors that
/// are not about the input (the caller shows its error page).
pub fn explain(error: &DomainError, fields: &[Field]) -> Option<(Option<String>, String)> {
    let DomainError::BadInput { field, reason } = error else {
        return None;
    };
    let key = field
        .strip_prefix("input.")
        .unwrap_or(field)
        .split('[')
        .next()
        .unwrap_or_default();
    let label_of = |key: &str| {
        fields
            .iter()
            .find(|f| f.key() == key)
            .map(|f| f.label)
            .unwrap_or("相关时间")
    };
    let known = fields.iter().any(|f| f.key() == key);
    Some((known.then(|| key.to_owned()), reason_text(reason, label_of)))
}

/// The domain's reasons (`validate`, the kinds' `check`) in Chinese.
pub fn reason_text(reason: &str, label_of: impl Fn(&str) -> &'static str) -> String {
    let number_after = |prefix: &str| {
        reason
            .strip_prefix(prefix)
            .and_then(|rest| rest.split_whitespace().next())
            .map(str::to_owned)
    };
    if reason == "must not be empty" || reason.starts_with("required") {
        return REQUIRED.to_owned();
    }
    if let Some(max) = number_after("must be at most ").filter(|_| reason.ends_with("characters")) {
        return format!("超出长度 {max} 字");
    }
    if let Some(other) = reason.strip_prefix("must not be before ") {
        return format!("不得早于{}", label_of(other));
    }
    if reason.starts_with("must be from ") {
        let bounds: Vec<&str> = reason
            .trim_start_matches("must be from ")
            .split([' ', ','])
            .collect();
        if let [low, "to", high, ..] = bounds.as_slice() {
            return format!("须在 {low} 至 {high} 之间");
        }
    }
    let table: &[(&str, &str)] = &[
        ("in this region", "不属于本区域"),
        ("is not a valid id", "请从列表中选择"),
        ("not hosted by this vendor", "该系统不由所选云服务商承载"),
        ("belongs to another agency", "该系统属于其他使用单位"),
        ("must not be negative", "不得为负数"),
        ("decimal places", "最多两位小数"),
        ("must be greater than 0", "须大于 0"),
        ("is not a month", "请填写月份（如 2025-03）"),
        ("is not plausible", "日期须在 2000 年至 2100 年之间"),
        ("within a year of its start", "须在开始后一年之内"),
        ("at most two years ahead", "不得晚于两年之后"),
        ("already exists", "已有相同的记录"),
        ("at least one system", "请至少选择一个系统"),
        ("is already named", "同一系统不能重复选择"),
        ("must be one of", "请从列表中选择"),
        ("may contain only digits", "只能包含数字、空格和 + - ( ) 转"),
        ("goes with levelOverride", "须与调整后的等级一同填写"),
        ("only a supervisor", "只有监管人员可以确认"),
        ("before it begins", "该服务年度尚未开始"),
        ("is before service year", "早于该服务年度"),
        ("is in the future", "不得晚于今天"),
        (
            "does not serve agency",
            "该云服务商在该服务年度未服务此使用单位",
        ),
        ("already answered", "该填写人已就此云服务商提交过本年度问卷"),
        ("no ", "所选记录不存在"),
    ];
    table
        .iter()
        .find(|(english, _)| reason.contains(english))
        .map(|(_, chinese)| (*chinese).to_owned())
        .unwrap_or_else(|| "填写有误，请检查".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const APPROVED: Field = Field::of("approved_at", "批准时间", Input::DateTime);
    const COMPLETED: Field = Field::of("completed_at", "完成时间", Input::DateTime).optional();

    #[test]
    fn a_local_time_is_read_as_beijing_time() {
        // 2025-03-10 09:30 in Beijing (UTC+8) is 01:30 UTC.
        let value = APPROVED.read(&["2025-03-10T09:30"]).expect("a time");
        assert_eq!(value, Value::String("2025-03-10T09:30:00+08:00".into()));
        let row = serde_json::json!({"approved_at": "2025-03-10T01:30:00Z"});
        assert_eq!(APPROVED.texts(&row), vec!["2025-03-10T09:30"]);
    }

    #[test]
    fn an_empty_optional_field_is_cleared_and_a_required_one_refused() {
        assert_eq!(COMPLETED.read(&[""]), Ok(Value::Null));
        assert_eq!(APPROVED.read(&[]), Err(REQUIRED.to_owned()));
    }

    #[test]
    fn the_domains_reasons_are_told_in_chinese_next_to_their_field() {
        let fields = [APPROVED, COMPLETED];
        let refused = DomainError::bad("input.completedAt", "must not be before approvedAt");
        assert_eq!(
            explain(&refused, &fields),
            Some((Some("completedAt".into()), "不得早于批准时间".into()))
        );
        let long = DomainError::bad("input.title", "must be at most 200 characters");
        assert_eq!(
            explain(&long, &fields),
            Some((None, "超出长度 200 字".into()))
        );
    }
}
