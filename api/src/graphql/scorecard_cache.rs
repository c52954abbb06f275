//! A stored monthly result's `scorecard` resolved once per query shape (issue
//! 17, item 2): the ranking, the results list and the annual standings serve
//! a scorecard the same request has already been answered with from memory,
//! instead of resolving every indicator and deduction again (that, and the
//! parsing `domain::result_cache` saves, was most of a ranking's CPU).
//!
//! What a scorecard resolves to depends on two things only: the stored
//! document (immutable for a monthly result: the same id, revision and
//! creation time always hold the same document) and the selection under the
//! field, which the request's text, operation and variables fix at that field's
//! position. The key is both, so it cannot hand one result's scorecard to
//! another, nor one selection's answer to another. Who may see the result was
//! decided before, by the query that chose it; the scorecard's fields read
//! nothing else (no caller, no database). Annual documents change in place
//! (`metering::close`) and are resolved every time.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use async_graphql::parser::types::Field;
use async_graphql::registry::Registry;
use async_graphql::{ContextSelectionSet, OutputType, Positioned, ServerResult, Value};
use domain::assessments::StoredResult;

use super::assessment::Scorecard;
use crate::state::AppState;

/// The request's text, operation name and variables, set by the HTTP handler:
/// with a field's position, what is selected under it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct QueryShape(Arc<str>);

impl QueryShape {
    pub fn of(request: &async_graphql::Request) -> Self {
        let variables = serde_json::to_string(&request.variables).unwrap_or_default();
        let operation = request.operation_name.as_deref().unwrap_or("");
        // NUL separates the parts: none of them may hold one (the handler
        // refuses NULs in variables; GraphQL text cannot hold one).
        Self(format!("{}\0{operation}\0{variables}", request.query).into())
    }
}

/// The stored row a scorecard is of: only a monthly one is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RowKey {
    pub id: i64,
    pub revision: i32,
    pub created_micros: i64,
}

impl RowKey {
    pub fn of(head: &domain::result_cache::ResultHead) -> Option<Self> {
        (head.kind == jobs::runs::RunKind::Monthly).then(|| Self {
            id: head.id,
            revision: head.revision,
            created_micros: head.created_at.timestamp_micros(),
        })
    }
}

#[derive(Clone, PartialEq, Eq, Hash)]
struct Key {
    shape: QueryShape,
    line: usize,
    column: usize,
    row: RowKey,
}

/// The default bound on the values kept, by their estimated size.
pub const DEFAULT_CAPACITY_BYTES: usize = 24 * 1024 * 1024;

/// Resolved scorecards by request shape, field position and stored row.
pub struct ScorecardCache {
    entries: Mutex<Entries>,
    capacity_bytes: usize,
}

#[derive(Default)]
struct Entries {
    /// Shared, so that a hit is copied outside the lock.
    by_key: HashMap<Key, (Arc<Value>, usize)>,
    bytes: usize,
}

impl Default for ScorecardCache {
    fn default() -> Self {
        Self::new(DEFAULT_CAPACITY_BYTES)
    }
}

impl ScorecardCache {
    pub fn new(capacity_bytes: usize) -> Self {
        Self {
            entries: Mutex::new(Entries::default()),
            capacity_bytes,
        }
    }

    fn get(&self, key: &Key) -> Option<Value> {
        let kept = {
            let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
            entries.by_key.get(key).map(|(v, _)| Arc::clone(v))
        };
        kept.map(|v| (*v).clone())
    }

    /// Keeps a value, dropping others (any: a dropped one is resolved again)
    /// to stay within the bound.
    fn put(&self, key: Key, value: Value) {
        let bytes = size_of_value(&value) + key.shape.0.len();
        if bytes > self.capacity_bytes {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        while entries.bytes + bytes > self.capacity_bytes {
            let Some(victim) = entries.by_key.keys().next().cloned() else {
                break;
            };
            if let Some((_, gone)) = entries.by_key.remove(&victim) {
                entries.bytes -= gone;
            }
        }
        if let Some((_, replaced)) = entries.by_key.insert(key, (Arc::new(value), bytes)) {
            entries.bytes -= replaced;
        }
        entries.bytes += bytes;
    }

    pub fn len(&self) -> usize {
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries.by_key.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// About the heap a value holds: its strings and a word or so per node.
fn size_of_value(value: &Value) -> usize {
    const NODE: usize = 48;
    NODE + match value {
        Value::String(s) => s.len(),
        Value::List(items) => items.iter().map(size_of_value).sum(),
        Value::Object(fields) => fields
            .iter()
            .map(|(name, v)| name.len() + size_of_value(v))
            .sum(),
        _ => 0,
    }
}

/// A result's scorecard as a field's value: the GraphQL type `Scorecard`,
/// resolved from the cache when the row and the selection were seen before.
pub struct StoredScorecard {
    pub stored: Arc<StoredResult>,
    /// `None` for a row whose document may change (an annual result).
    pub row: Option<RowKey>,
}

impl StoredScorecard {
    fn key(&self, ctx: &ContextSelectionSet<'_>, field: &Positioned<Field>) -> Option<Key> {
        Some(Key {
            shape: ctx.data_opt::<QueryShape>()?.clone(),
            line: field.pos.line,
            column: field.pos.column,
            row: self.row?,
        })
    }
}

impl OutputType for StoredScorecard {
    fn type_name() -> Cow<'static, str> {
        Scorecard::type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        Scorecard::create_type_info(registry)
    }

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        let cache = ctx.data_opt::<AppState>().map(|s| &*s.scorecards);
        let key = self.key(ctx, field);
        if let (Some(cache), Some(key)) = (cache, key.as_ref())
            && let Some(value) = cache.get(key)
        {
            return Ok(value);
        }
        let card = Scorecard::from(self.stored.scorecard());
        let value = OutputType::resolve(&card, ctx, field).await?;
        if let (Some(cache), Some(key)) = (cache, key) {
            cache.put(key, value.clone());
        }
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::Name;

    fn key(shape: &str, row: i64) -> Key {
        Key {
            shape: QueryShape(shape.into()),
            line: 1,
            column: 2,
            row: RowKey {
                id: row,
                revision: 1,
                created_micros: 0,
            },
        }
    }

    fn object(text: &str) -> Value {
        Value::Object(
            [(Name::new("total"), Value::String(text.into()))]
                .into_iter()
                .collect(),
        )
    }

    #[test]
    fn a_value_is_served_only_for_its_own_shape_and_row() {
        let cache = ScorecardCache::new(10_000);
        cache.put(key("q", 1), object("90.00"));
        assert_eq!(cache.get(&key("q", 1)), Some(object("90.00")));
        assert_eq!(cache.get(&key("q", 2)), None);
        assert_eq!(cache.get(&key("other", 1)), None);
    }

    #[test]
    fn the_kept_values_stay_within_the_capacity() {
        // Each entry: 48 (object) + 5 ("total") + 48 + 5 ("90.00") + 1 (shape) = 107 bytes.
        let cache = ScorecardCache::new(250);
        for row in 1..=3 {
            cache.put(key("q", row), object("90.00"));
        }
        assert_eq!(cache.len(), 2);
        assert!(cache.get(&key("q", 3)).is_some());
    }
}
