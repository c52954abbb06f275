//! PostgreSQL's `COPY … FROM STDIN` text format for the generator's rows: one
//! line per row, columns separated by tabs, `\N` for NULL, and the four
//! characters that would break a line (backslash, tab, newline, carriage
//! return) escaped with a backslash. COPY skips the parsing, planning and
//! parameter binding of an INSERT per batch, which is most of its cost.

use std::fmt::Write;

use sea_orm::sea_query::{OptionEnum, Value};
use sea_orm::{ActiveModelTrait, ActiveValue, DbErr, EntityTrait, IdenStatic, Iterable};

/// The columns a row of `A` is copied with: all but the primary key, which
/// the database assigns (in the order of the lines, as an INSERT would).
pub fn columns<A: ActiveModelTrait>() -> Vec<<A::Entity as EntityTrait>::Column> {
    use sea_orm::PrimaryKeyToColumn;
    let keys: Vec<String> = <<A::Entity as EntityTrait>::PrimaryKey as Iterable>::iter()
        .map(|k| k.into_column().as_str().to_owned())
        .collect();
    <<A::Entity as EntityTrait>::Column as Iterable>::iter()
        .filter(|c| !keys.iter().any(|k| k == c.as_str()))
        .collect()
}

/// `COPY table (a, b, …) FROM STDIN` for the columns of `A`.
pub fn statement<A: ActiveModelTrait>(table: &str) -> String {
    let names: Vec<String> = columns::<A>()
        .iter()
        .map(|c| format!("\"{}\"", c.as_str()))
        .collect();
    format!("COPY \"{table}\" ({}) FROM STDIN", names.join(", "))
}

/// The rows as COPY text, ready to send.
pub fn encode<A: ActiveModelTrait>(rows: &[A]) -> Result<Vec<u8>, DbErr> {
    let columns = columns::<A>();
    let mut out = String::with_capacity(rows.len() * columns.len() * 12);
    for row in rows {
        for (i, column) in columns.iter().enumerate() {
            if i > 0 {
                out.push('\t');
            }
            match row.get(*column) {
                ActiveValue::Set(v) | ActiveValue::Unchanged(v) => {
                    field(&mut out, &v).map_err(|what| {
                        DbErr::Custom(format!("COPY of column {}: {what}", column.as_str()))
                    })?
                }
                // Not set: the column's default, which the generator never relies on.
                ActiveValue::NotSet => out.push_str("\\N"),
            }
        }
        out.push('\n');
    }
    Ok(out.into_bytes())
}

/// One field in COPY's text form (PostgreSQL parses it as the column's type).
fn field(out: &mut String, value: &Value) -> Result<(), String> {
    // `write!` into a String cannot fail.
    let _ = match value {
        Value::Bool(Some(b)) => write!(out, "{}", if *b { 't' } else { 'f' }),
        Value::TinyInt(Some(n)) => write!(out, "{n}"),
        Value::SmallInt(Some(n)) => write!(out, "{n}"),
        Value::Int(Some(n)) => write!(out, "{n}"),
        Value::BigInt(Some(n)) => write!(out, "{n}"),
        Value::TinyUnsigned(Some(n)) => write!(out, "{n}"),
        Value::SmallUnsigned(Some(n)) => write!(out, "{n}"),
        Value::Unsigned(Some(n)) => write!(out, "{n}"),
        Value::BigUnsigned(Some(n)) => write!(out, "{n}"),
        // Rust prints the shortest text that reads back as the same float.
        Value::Float(Some(n)) => write!(out, "{n}"),
        Value::Double(Some(n)) => write!(out, "{n}"),
        Value::String(Some(s)) => {
            text(out, s);
            Ok(())
        }
        Value::Char(Some(c)) => {
            text(out, &c.to_string());
            Ok(())
        }
        Value::Enum(OptionEnum::Some(e)) => {
            text(out, &e.value);
            Ok(())
        }
        Value::Json(Some(j)) => {
            text(out, &j.to_string());
            Ok(())
        }
        Value::Decimal(Some(d)) => write!(out, "{d}"),
        Value::ChronoDate(Some(d)) => write!(out, "{}", d.format("%Y-%m-%d")),
        Value::ChronoTime(Some(t)) => write!(out, "{}", t.format("%H:%M:%S%.6f")),
        Value::ChronoDateTime(Some(t)) => write!(out, "{}", t.format("%Y-%m-%d %H:%M:%S%.6f")),
        // Microseconds, as the binary bind of an INSERT sends them.
        Value::ChronoDateTimeUtc(Some(t)) => {
            write!(out, "{}", t.format("%Y-%m-%d %H:%M:%S%.6f+00:00"))
        }
        Value::ChronoDateTimeWithTimeZone(Some(t)) => {
            write!(out, "{}", t.format("%Y-%m-%d %H:%M:%S%.6f%:z"))
        }
        v if is_null(v) => {
            out.push_str("\\N");
            Ok(())
        }
        other => return Err(format!("no COPY text form for {other:?}")),
    };
    Ok(())
}

fn is_null(value: &Value) -> bool {
    matches!(
        value,
        Value::Bool(None)
            | Value::TinyInt(None)
            | Value::SmallInt(None)
            | Value::Int(None)
            | Value::BigInt(None)
            | Value::TinyUnsigned(None)
            | Value::SmallUnsigned(None)
            | Value::Unsigned(None)
            | Value::BigUnsigned(None)
            | Value::Float(None)
            | Value::Double(None)
            | Value::String(None)
            | Value::Char(None)
            | Value::Enum(OptionEnum::None(_))
            | Value::Json(None)
            | Value::Decimal(None)
            | Value::ChronoDate(None)
            | Value::ChronoTime(None)
            | Value::ChronoDateTime(None)
            | Value::ChronoDateTimeUtc(None)
            | Value::ChronoDateTimeWithTimeZone(None)
    )
}

/// Text with COPY's escapes: a backslash, tab, newline or carriage return in
/// the data would otherwise end the field or the row.
fn text(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(value: Value) -> String {
        let mut out = String::new();
        field(&mut out, &value).expect("a COPY form");
        out
    }

    #[test]
    fn the_four_line_breaking_characters_are_escaped() {
        assert_eq!(
            one(Value::String(Some("a\\b\tc\nd\re 中文".into()))),
            "a\\\\b\\tc\\nd\\re 中文"
        );
    }

    #[test]
    fn null_is_backslash_n_and_booleans_are_t_or_f() {
        assert_eq!(one(Value::String(None)), "\\N");
        assert_eq!(one(Value::BigInt(None)), "\\N");
        assert_eq!(one(Value::Bool(Some(true))), "t");
        assert_eq!(one(Value::Bool(Some(false))), "f");
    }

    #[test]
    fn json_is_its_text_with_newlines_escaped() {
        let j = serde_json::json!({ "note": "第一行\n第二行" });
        assert_eq!(
            one(Value::Json(Some(Box::new(j)))),
            "{\"note\":\"第一行\\\\n第二行\"}"
        );
    }

    #[test]
    fn timestamps_are_utc_to_the_microsecond() {
        use chrono::TimeZone;
        let t = chrono::Utc
            .with_ymd_and_hms(2025, 6, 30, 16, 5, 9)
            .single()
            .expect("a valid time")
            + chrono::Duration::nanoseconds(123_456_789);
        // 123,456,789 ns → .123456 (the 789 ns are below PostgreSQL's precision).
        assert_eq!(
            one(Value::ChronoDateTimeUtc(Some(t))),
            "2025-06-30 16:05:09.123456+00:00"
        );
    }
}
