//! Errors raised before any resolver ran: a malformed date, a wrong type, an
//! unknown field, a query over the limits. async-graphql leaves them without a
//! code and, for a bad scalar inside an input object, without the field's name.
//! They are all the client's to fix, so they get `BAD_USER_INPUT`, and a bad date
//! sent in the variables is named by its path (`i.approvedAt`).

use async_graphql::ParseRequestError;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate};
use serde_json::{Value, json};

/// A request refused before GraphQL saw it, answered the way GraphQL errors are
/// (`{"errors": [{"message", "extensions": {"code": "BAD_USER_INPUT"}}]}`) with
/// the HTTP status that says why, instead of async-graphql's plain-text
/// `Debug` dump of its parser error.
pub fn refused(status: StatusCode, message: impl Into<String>) -> Response {
    let body = json!({ "errors": [{
        "message": message.into(),
        "extensions": { "code": "BAD_USER_INPUT" },
    }]});
    (status, axum::Json(body)).into_response()
}

/// A request that failed before GraphQL ran it (e.g. the token's user could not
/// be loaded), answered as a GraphQL error with the error's code.
pub fn failed(e: crate::error::DomainError) -> Response {
    let extended = crate::error::to_graphql(&e);
    let mut error = async_graphql::ServerError::new(extended.message, None);
    error.extensions = extended.extensions;
    let response = async_graphql::Response::from_errors(vec![error]);
    async_graphql_axum::GraphQLResponse::from(response).into_response()
}

/// The rejection of the GraphQL request extractor: a body that is not a
/// GraphQL request (invalid JSON, a missing `query`, a batch) or is too large.
pub struct Rejection(ParseRequestError);

impl From<ParseRequestError> for Rejection {
    fn from(e: ParseRequestError) -> Self {
        Self(e)
    }
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        match self.0 {
            ParseRequestError::PayloadTooLarge => crate::edge::payload_too_large(),
            // A body sent without a length, cut off by the limit as it streams.
            ParseRequestError::Io(e) if e.to_string().contains("length limit exceeded") => {
                crate::edge::payload_too_large()
            }
            ParseRequestError::UnsupportedBatch => refused(
                StatusCode::BAD_REQUEST,
                "request body: batches are not supported, send one operation",
            ),
            e => refused(
                StatusCode::BAD_REQUEST,
                format!("request body: not a GraphQL request in JSON ({e})"),
            ),
        }
    }
}

/// The GraphQL request of a POST, its Content-Type checked before its body
/// is read (see `content_type_refusal`).
pub struct JsonGraphQL(pub async_graphql::Request);

impl<S: Send + Sync> axum::extract::FromRequest<S> for JsonGraphQL {
    type Rejection = Response;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Response> {
        if let Some(refusal) = content_type_refusal(req.headers()) {
            return Err(refusal);
        }
        let parsed = async_graphql_axum::GraphQLRequest::<Rejection>::from_request(req, state)
            .await
            .map_err(IntoResponse::into_response)?;
        Ok(Self(parsed.into_inner()))
    }
}

/// POST /graphql takes `application/json` only. async-graphql would also parse
/// a `text/plain` or form body as JSON (and a multipart one as an upload): those
/// are the content types a browser sends cross-site without asking first, so
/// they are refused with 415 (a token is a header, not a cookie, but there is
/// no reason to accept them).
pub fn content_type_refusal(headers: &HeaderMap) -> Option<Response> {
    let value = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = value.split(';').next().unwrap_or("").trim();
    if essence.eq_ignore_ascii_case("application/json")
        || essence.eq_ignore_ascii_case("application/graphql-response+json")
    {
        return None;
    }
    let sent = if value.is_empty() {
        "none".to_owned()
    } else {
        format!("\"{value}\"")
    };
    Some(refused(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        format!("Content-Type: must be application/json, got {sent}"),
    ))
}

/// Names the input behind each parse error of the response, looking in the
/// variables first and then in the query's inline arguments.
pub fn label(response: &mut async_graphql::Response, variables: &Value, literals: &Value) {
    for error in &mut response.errors {
        let has_code = error
            .extensions
            .as_ref()
            .is_some_and(|e| e.get("code").is_some());
        if has_code {
            continue;
        }
        let date = bad_date_in(&error.message, variables)
            .or_else(|| bad_date_in(&error.message, literals));
        if let Some((path, value)) = date {
            error.message = format!(
                "{path}: \"{value}\" is not a valid date or date-time ({})",
                error.message
            );
        } else if let Some(path) = bad_value_in(&error.message, variables)
            .or_else(|| bad_value_in(&error.message, literals))
        {
            error.message = format!("{path}: {}", error.message);
        }
        error
            .extensions
            .get_or_insert_with(Default::default)
            .set("code", "BAD_USER_INPUT");
    }
}

/// The path of the first string in the variables holding a NUL character
/// (U+0000): no text field accepts one (PostgreSQL cannot store it), and a
/// query parameter holding one fails in the database driver instead of being
/// refused, so it is refused at the edge, by name.
pub fn nul_in(variables: &Value) -> Option<String> {
    let mut found = None;
    walk(variables, String::new(), &mut |path, text| {
        if found.is_none() && text.contains('\0') {
            found = Some(path.to_owned());
        }
    });
    found
}

/// The path (`input.title`) of the first string literal of the query holding
/// a NUL character (written `\u0000` in GraphQL): refused at the edge by name
/// like a NUL in the variables.
pub fn nul_in_literals(literals: &Value) -> Option<String> {
    nul_in(literals)
}

/// The arguments written inline in the query, as JSON keyed by argument name
/// (`{"input": {"title": …}}`; variables read as null), so that a bad literal
/// is named by its path exactly as a bad variable is. The first occurrence of
/// a name wins. Unparsable queries give nothing: the executor answers them.
pub fn literal_arguments(query: &str) -> Value {
    use async_graphql::parser::types::{Selection, SelectionSet};
    fn in_set(set: &SelectionSet, out: &mut serde_json::Map<String, Value>) {
        for selection in &set.items {
            match &selection.node {
                Selection::Field(field) => {
                    for (name, value) in &field.node.arguments {
                        let json = value
                            .node
                            .clone()
                            .into_const_with(|_| {
                                Ok::<_, std::convert::Infallible>(Default::default())
                            })
                            .ok()
                            .and_then(|v| v.into_json().ok())
                            .unwrap_or_default();
                        out.entry(name.node.to_string()).or_insert(json);
                    }
                    in_set(&field.node.selection_set.node, out);
                }
                Selection::InlineFragment(fragment) => {
                    in_set(&fragment.node.selection_set.node, out)
                }
                Selection::FragmentSpread(_) => {}
            }
        }
    }
    let Ok(document) = async_graphql::parser::parse_query(query) else {
        return Value::Null;
    };
    let mut out = serde_json::Map::new();
    for (_, operation) in document.operations.iter() {
        in_set(&operation.node.selection_set.node, &mut out);
    }
    for fragment in document.fragments.values() {
        in_set(&fragment.node.selection_set.node, &mut out);
    }
    Value::Object(out)
}

/// For "Expected input type "Int", found 4294967296. (occurred while parsing
/// "CreateTrainingInput")", which names the type but not the field: the path
/// of the first variable holding the value found.
/// For "Failed to parse "Int": Only integers from … are accepted", the first
/// variable holding a number that is not a 32-bit integer.
fn bad_value_in(message: &str, variables: &Value) -> Option<String> {
    let mut path = None;
    if message.starts_with("Failed to parse \"Decimal\"") {
        // "NaN", "1e30", forty digits: the first value that is no decimal.
        walk_values(variables, String::new(), &mut |p, value| {
            let text = match value {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => return,
            };
            if path.is_none() && text.parse::<rust_decimal::Decimal>().is_err() {
                path = Some(p.to_owned());
            }
        });
        return path;
    }
    if message.starts_with("Failed to parse \"Int\"") && message.contains("Invalid number") {
        // A negative count where only counts are taken.
        walk_values(variables, String::new(), &mut |p, value| {
            if path.is_none() && value.as_i64().is_some_and(|n| n < 0) {
                path = Some(p.to_owned());
            }
        });
        return path;
    }
    if message.starts_with("Failed to parse \"Int\"") {
        walk_values(variables, String::new(), &mut |p, value| {
            let fits = value.as_i64().is_some_and(|n| i32::try_from(n).is_ok());
            if path.is_none() && value.is_number() && !fits {
                path = Some(p.to_owned());
            }
        });
        return path;
    }
    let found = message
        .strip_prefix("Expected input type \"")?
        .split_once("\", found ")?
        .1
        .rsplit_once(". (occurred while parsing")
        .map_or_else(
            || {
                message
                    .rsplit_once(", found ")
                    .map(|(_, f)| f.trim_end_matches('.'))
            },
            |(f, _)| Some(f),
        )?;
    walk_values(variables, String::new(), &mut |p, value| {
        let rendered = value.to_string();
        if path.is_none() && rendered == found {
            path = Some(p.to_owned());
        }
    });
    path
}

fn walk_values(value: &Value, path: String, visit: &mut impl FnMut(&str, &Value)) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let next = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                walk_values(v, next, visit);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                walk_values(v, format!("{path}[{i}]"), visit);
            }
        }
        leaf => visit(&path, leaf),
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
        // On bytes: slicing the str at 4 panicked on a multi-byte character
        // (any Chinese title sent along with a bad date).
        let bytes = text.as_bytes();
        let looks_like_date =
            bytes.len() >= 5 && bytes[..4].iter().all(u8::is_ascii_digit) && bytes[4] == b'-';
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
    fn a_nul_in_a_query_literal_is_named_by_its_argument_path() {
        let nul = |q: &str| nul_in_literals(&literal_arguments(q));
        let query =
            r#"mutation { createWorkOrder(input: { title: "a\u0000b", tags: ["x"] }) { id } }"#;
        assert_eq!(nul(query).as_deref(), Some("input.title"));
        let query = r#"{ login(username: "a\u0000", password: "p") { token } }"#;
        assert_eq!(nul(query).as_deref(), Some("username"));
        assert_eq!(
            nul(r#"{ workOrders(filter: { period: "2025-03" }) { total } }"#),
            None
        );
    }

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
    fn a_nul_character_is_found_by_its_path() {
        let vars = json!({"i": {"title": "ok", "basis": ["fine", "a\u{0}b"]}});
        assert_eq!(nul_in(&vars), Some("i.basis[1]".to_owned()));
        assert_eq!(nul_in(&json!({"i": {"title": "ok"}})), None);
    }

    #[test]
    fn text_of_multi_byte_characters_beside_a_bad_date_is_skipped() {
        let vars = json!({"i": {"title": "扩容", "approvedAt": "2025-02-30T09:00:00+08:00"}});
        let found = bad_date_in("Failed to parse \"DateTime\": input is out of range", &vars);
        assert_eq!(
            found,
            Some((
                "i.approvedAt".to_owned(),
                "2025-02-30T09:00:00+08:00".to_owned()
            ))
        );
    }

    #[test]
    fn a_value_of_the_wrong_type_is_named_by_its_variable_path() {
        let vars = json!({"i": {"title": "x", "attendees": 4294967296i64}});
        let message = "Expected input type \"Int\", found 4294967296. (occurred while parsing \"CreateTrainingInput\")";
        assert_eq!(bad_value_in(message, &vars), Some("i.attendees".to_owned()));
        let message =
            "Failed to parse \"Int\": Only integers from -2147483648 to 2147483647 are accepted.";
        assert_eq!(bad_value_in(message, &vars), Some("i.attendees".to_owned()));
    }

    #[test]
    fn other_parse_failures_are_left_as_they_are() {
        assert_eq!(
            bad_date_in("Failed to parse \"Decimal\": invalid", &json!({"a": "x"})),
            None
        );
    }
}
