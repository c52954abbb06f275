//! How a fact's column looks at the GraphQL edge: what a client reads, what it
//! writes, and how a written value is checked and stored. A fact kind names a
//! column kind per field (`fact_kind!`); the object, both inputs, `build` and
//! `patch` follow from it, so a field is spelled once.

use async_graphql::{InputType, MaybeUndefined, OutputType};
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use domain::DomainResult;
use domain::period::local;
use domain::validate;
use rust_decimal::Decimal;

use super::fields::{Choice, Input};

pub trait Column {
    /// How a person fills it in (the console's form, a spreadsheet's column).
    const INPUT: Input;
    /// Whether it must be given (a nullable column need not).
    const REQUIRED: bool = true;

    /// The model's column type.
    type Stored;
    /// What a client reads.
    type Out: OutputType;
    /// What a client writes on create.
    type In: InputType;
    /// What a client writes on update (absent: unchanged).
    type Patch: InputType;

    fn show(stored: Self::Stored) -> Self::Out;
    /// `field` is the input path in messages (`input.startedAt`).
    fn parse(field: &str, value: Self::In) -> DomainResult<Self::Stored>;
    fn apply(field: &str, slot: &mut Self::Stored, patch: Self::Patch) -> DomainResult<()>;
}

/// A required column whose client type is `$out` (read and written the
/// same), stored as `$stored`; absent from an update, it stays.
macro_rules! required_column {
    ($(#[$doc:meta])* $name:ident $(<$(const $p:ident: $pt:ty),+>)?, $stored:ty, $out:ty, input: $input:expr,
     show: $show:expr, parse: |$field:ident, $value:ident| $parse:expr) => {
        $(#[$doc])*
        pub struct $name $(<$(const $p: $pt),+>)?;

        impl $(<$(const $p: $pt),+>)? Column for $name $(<$($p),+>)? {
            type Stored = $stored;
            type Out = $out;
            type In = $out;
            type Patch = Option<$out>;
            const INPUT: Input = $input;

            fn show(stored: $stored) -> $out {
                $show(stored)
            }
            fn parse($field: &str, $value: $out) -> DomainResult<$stored> {
                $parse
            }
            fn apply(field: &str, slot: &mut $stored, patch: Option<$out>) -> DomainResult<()> {
                if let Some(value) = patch {
                    *slot = Self::parse(field, value)?;
                }
                Ok(())
            }
        }
    };
}

required_column!(
    /// Text of at most `MAX` characters, trimmed, not empty.
    Text<const MAX: usize>, String, String, input: Input::Text { max: MAX },
    show: std::convert::identity, parse: |field, value| validate::text(field, value, MAX)
);

required_column!(
    /// An instant: stored in UTC, shown in Asia/Shanghai with its offset.
    Instant, DateTime<Utc>, DateTime<FixedOffset>, input: Input::DateTime,
    show: local, parse: |_field, value| Ok(value.with_timezone(&Utc))
);

required_column!(
    /// A yes or no.
    Flag, bool, bool, input: Input::Flag,
    show: std::convert::identity, parse: |_field, value| Ok(value)
);

required_column!(
    /// A whole number from `LOW` to `HIGH`.
    Between<const LOW: i32, const HIGH: i32>, i32, i32, input: Input::Number { low: LOW, high: HIGH },
    show: std::convert::identity,
    parse: |field, value| validate::in_range(field, value, LOW, HIGH)
);

required_column!(
    /// A calendar day (local), e.g. a deadline.
    Day, NaiveDate, NaiveDate, input: Input::Day,
    show: std::convert::identity, parse: |_field, value| Ok(value)
);

required_column!(
    /// Another row, by id.
    Ref, i64, async_graphql::ID, input: Input::Pick(super::fields::Pick::Unnamed),
    show: crate::graphql::nested::id,
    parse: |field, value| crate::graphql::crud::parse_id(field, &value)
);

required_column!(
    /// A month, `YYYY-MM`.
    MonthText, String, String, input: Input::Month,
    show: std::convert::identity, parse: |field, value| validate::month(field, value)
);

required_column!(
    /// Hours, with two decimals.
    Hours, Decimal, Decimal, input: Input::Hours,
    // SQLite hands decimals back through f64: restore the scale.
    show: engine::two_dp, parse: |field, value| validate::hours(field, value)
);

required_column!(
    /// Hours more than zero (a rate's denominator).
    PositiveHours, Decimal, Decimal, input: Input::Hours,
    show: engine::two_dp,
    parse: |field, value| {
        let value = validate::hours(field, value)?;
        if value.is_zero() {
            return Err(domain::DomainError::bad(field, "must be greater than 0"));
        }
        Ok(value)
    }
);

/// An enum stored as its upper-case text (`db_enum!`).
pub trait StoredText: Copy + PartialEq {
    /// Each value's stored text and its Chinese name.
    const OPTIONS: &'static [Choice];
    fn as_str(self) -> &'static str;
    fn from_db(text: &str) -> Self;
}

/// A set of enum values, stored as a JSON array of their texts, each once, in
/// the order first given.
pub struct TextSet<E>(std::marker::PhantomData<E>);

impl<E> Column for TextSet<E>
where
    E: StoredText + async_graphql::InputType + OutputType,
{
    type Stored = serde_json::Value;
    type Out = Vec<E>;
    type In = Vec<E>;
    type Patch = Option<Vec<E>>;
    const INPUT: Input = Input::Choices(E::OPTIONS);

    fn show(stored: serde_json::Value) -> Vec<E> {
        let texts: Vec<String> = serde_json::from_value(stored).unwrap_or_else(|e| {
            tracing::error!(error = %e, "a stored set of values is not a JSON array of texts");
            Vec::new()
        });
        texts.iter().map(|t| E::from_db(t)).collect()
    }
    fn parse(_: &str, list: Vec<E>) -> DomainResult<serde_json::Value> {
        let mut seen: Vec<E> = Vec::with_capacity(list.len());
        for e in list {
            if !seen.contains(&e) {
                seen.push(e);
            }
        }
        Ok(serde_json::Value::from(
            seen.into_iter().map(E::as_str).collect::<Vec<_>>(),
        ))
    }
    fn apply(field: &str, slot: &mut serde_json::Value, patch: Option<Vec<E>>) -> DomainResult<()> {
        if let Some(list) = patch {
            *slot = Self::parse(field, list)?;
        }
        Ok(())
    }
}

/// A column that may be null: an update sets it, clears it (`null`) or leaves
/// it (absent).
pub struct Nullable<C>(std::marker::PhantomData<C>);

impl<C: Column> Column for Nullable<C>
where
    Option<C::In>: InputType,
    MaybeUndefined<C::In>: InputType,
{
    type Stored = Option<C::Stored>;
    type Out = Option<C::Out>;
    type In = Option<C::In>;
    type Patch = MaybeUndefined<C::In>;
    const INPUT: Input = C::INPUT;
    const REQUIRED: bool = false;

    fn show(stored: Self::Stored) -> Self::Out {
        stored.map(C::show)
    }
    fn parse(field: &str, value: Self::In) -> DomainResult<Self::Stored> {
        value.map(|v| C::parse(field, v)).transpose()
    }
    fn apply(field: &str, slot: &mut Self::Stored, patch: Self::Patch) -> DomainResult<()> {
        match patch {
            MaybeUndefined::Undefined => {}
            MaybeUndefined::Null => *slot = None,
            MaybeUndefined::Value(v) => *slot = Some(C::parse(field, v)?),
        }
        Ok(())
    }
}

/// The input path of a field in messages: `input.` and the field in camelCase.
pub fn input_path(snake: &str) -> String {
    format!("input.{}", domain::error::camel_case(snake))
}
