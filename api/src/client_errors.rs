//! Errors raised before any resolver ran: a malformed date, a wrong type, an
//! unknown field, a query over the limits. async-graphql leaves them without a
//! code and, for a bad scalar inside an input object, without the field's name.
//! They are all the client's to fix, so they get `BAD_USER_INPUT`, and a bad date
//! sent in the variables is named by its path (`i.approvedAt`).

use chrono::{DateTime, NaiveDate};
use serde_json::Value;

pub fn label(response: &mut async_graphql::Response, variables: &Value) {
    for error in &mut response.errors {
        let has_code = error
            .extensions
            .as_ref()
            .is_some_and(|e| e.get("code").is_some());
        if has_code {
            continue;
        }
        if let Some((path, value)) = bad_date_in(&error.message, variables) {
            error.message = format!(
                "{path}: \"{value}\" is not a valid date or date-time ({})",
                error.message
            );
        }
        error
            .extensions
            .get_or_insert_with(Default::default)
            .set("code", "BAD_USER_INPUT");
    }
}

/// For a date or date-time parse failure, the first variable that looks like a
/// date and does not parse as one.
fn bad_date_in(message: &str, variables: &Value) -> Option<(String, String)> {
    let kind = message
        .strip_prefix("Failed to parse \"")?
        .split('"')
        .next()?;
    let fails: fn(&str) -> bool = match kind {
        "DateTime" => |s| DateTime::parse_from_rfc3339(s).is_err(),
        "NaiveDate" => |s| s.parse::<NaiveDate>().is_err(),
        _ => return None,
    };
    let mut found = None;
    walk(variables, String::new(), &mut |path, text| {
        let looks_like_date = text.len() >= 5
            && text[..4].bytes().all(|b| b.is_ascii_digit())
            && text.as_bytes()[4] == b'-';
        if found.is_none() && looks_like_date && fails(text) {
            found = Some((path.to_owned(), text.to_owned()));
        }
    });
    found
}

fn walk(value: &Value, path: String, visit: &mut impl FnMut(&str, &str)) {
    match value {
        Value::String(s) => visit(&path, s),
        Value::Object(map) => {
            for (k, v) in map {
                let next = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                walk(v, next, visit);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                walk(v, format!("{path}[{i}]"), visit);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_bad_date_is_named_by_its_variable_path() {
        let vars = json!({"i": {"title": "2025 plan", "approvedAt": "2025-13-45", "completedAt": "2025-03-02T09:00:00+08:00"}});
        let found = bad_date_in("Failed to parse \"DateTime\": input is out of range", &vars);
        assert_eq!(
            found,
            Some(("i.approvedAt".to_owned(), "2025-13-45".to_owned()))
        );
    }

    #[test]
    fn other_parse_failures_are_left_as_they_are() {
        assert_eq!(
            bad_date_in("Failed to parse \"Decimal\": invalid", &json!({"a": "x"})),
            None
        );
    }
}
