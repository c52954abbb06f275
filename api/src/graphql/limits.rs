//! The depth and complexity limits, ours instead of async-graphql's built-in
//! ones, so that introspection can be answered without raising them.
//!
//! async-graphql's `limit_depth` and `limit_complexity` count the subtrees of
//! `__schema` and `__type` like any other (its issue #1696), so the standard
//! introspection query (graphql-js `getIntrospectionQuery()`, sent by
//! GraphiQL, Apollo, graphql-codegen and Postman) is refused as too deep. This
//! extension applies the same two limits to everything else and leaves those
//! subtrees to their own rules:
//!
//! - **depth** (`MAX_DEPTH`): fields nested in fields, not counting the
//!   subtrees of `__schema` and `__type` (nor `__typename`);
//! - **complexity** (`MAX_COMPLEXITY`): async-graphql's own count, with each
//!   page counting its selection once per row it may return
//!   (`crud::page_complexity`), minus the fields of those subtrees;
//! - **introspection**: at most two nested `fields` / `inputFields` /
//!   `interfaces` / `possibleTypes` lists under `__schema` or `__type` (a third
//!   is refused, as graphql-js's `MaxIntrospectionDepthRule` does), and at
//!   most `MAX_INTROSPECTION_FIELDS` introspection fields per request (so
//!   aliasing `__schema` a thousand times is refused too);
//! - **size**: at most `MAX_FIELDS` fields once fragments are expanded,
//!   checked right after parsing, before async-graphql's own validation walks
//!   the expanded document (so a "fragment bomb", fragments spreading others
//!   twice over many levels, is refused before it costs anything).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextValidation,
};
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{Name, Positioned, ServerError, ServerResult, ValidationResult, Variables};

/// Fields nested in fields (introspection subtrees excepted).
pub const MAX_DEPTH: usize = 12;
/// The complexity budget of one request (introspection subtrees excepted): a
/// field costs 1, a page its selection times its `limit`.
pub const MAX_COMPLEXITY: usize = 10_000;
/// The fields of all `__schema` / `__type` subtrees of one request; the
/// standard introspection query has 220.
pub const MAX_INTROSPECTION_FIELDS: usize = 2_000;
/// Nested introspection lists: a third is refused (graphql-js `MAX_LISTS_DEPTH`).
pub const MAX_INTROSPECTION_LISTS: usize = 3;
/// Fields of the document once every fragment spread is expanded.
pub const MAX_FIELDS: usize = 50_000;

pub const TOO_DEEP: &str = "Query is nested too deep.";
pub const TOO_COMPLEX: &str = "Query is too complex.";
pub const INTROSPECTION_TOO_DEEP: &str = "Maximum introspection depth exceeded";
pub const INTROSPECTION_TOO_BIG: &str = "Introspection query is too complex.";

/// Add with `SchemaBuilder::extension(Limits)`.
pub struct Limits;

impl ExtensionFactory for Limits {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(LimitsExtension::default())
    }
}

#[derive(Default)]
struct LimitsExtension {
    /// The measure of the parsed document, for the validation hook.
    measure: Mutex<Option<Measure>>,
}

#[async_trait::async_trait]
impl Extension for LimitsExtension {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        let measure = Measure::of(&document);
        if measure.fields > MAX_FIELDS {
            return Err(ServerError::new(TOO_COMPLEX, None));
        }
        *self
            .measure
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(measure);
        Ok(document)
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let mut result = next.run(ctx).await?;
        let measure = self
            .measure
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
            .unwrap_or_default();
        let refuse = |message: &str| Err(vec![ServerError::new(message, None)]);
        // async-graphql counts introspection fields as 1 + their children,
        // as `Measure` does: what is left is the rest of the request.
        let complexity = result
            .complexity
            .saturating_sub(measure.introspection_fields);
        if complexity > MAX_COMPLEXITY {
            return refuse(TOO_COMPLEX);
        }
        if measure.depth > MAX_DEPTH {
            return refuse(TOO_DEEP);
        }
        if measure.introspection_lists >= MAX_INTROSPECTION_LISTS {
            return refuse(INTROSPECTION_TOO_DEEP);
        }
        if measure.introspection_fields > MAX_INTROSPECTION_FIELDS {
            return refuse(INTROSPECTION_TOO_BIG);
        }
        result.complexity = complexity;
        result.depth = measure.depth;
        Ok(result)
    }
}

/// What the limits look at in a document, every operation and every fragment
/// spread expanded (as async-graphql's own complexity and depth do).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Measure {
    /// The deepest nesting of fields outside introspection subtrees.
    pub depth: usize,
    /// The fields of the `__schema` and `__type` subtrees, those fields
    /// included, `__typename` not (async-graphql does not count it).
    pub introspection_fields: usize,
    /// The most `fields` / `inputFields` / `interfaces` / `possibleTypes`
    /// lists nested in one another under `__schema` or `__type`.
    pub introspection_lists: usize,
    /// Every field, `__typename` included.
    pub fields: usize,
}

/// A selection set's numbers, the same wherever a fragment is spread, so each
/// fragment is measured once per mode (outside or inside introspection).
#[derive(Clone, Copy, Default)]
struct Cost {
    depth: usize,
    introspection_fields: usize,
    lists: usize,
    fields: usize,
}

impl Cost {
    fn merge(&mut self, other: Cost) {
        self.depth = self.depth.max(other.depth);
        self.lists = self.lists.max(other.lists);
        self.introspection_fields = self
            .introspection_fields
            .saturating_add(other.introspection_fields);
        self.fields = self.fields.saturating_add(other.fields);
    }
}

struct Walk<'d> {
    document: &'d ExecutableDocument,
    done: HashMap<(&'d Name, bool), Cost>,
    /// Fragments being expanded: a cycle (refused by validation) stops here.
    open: Vec<&'d Name>,
    /// The most nested lists under any one `__schema` / `__type`.
    lists: usize,
}

impl Measure {
    pub fn of(document: &ExecutableDocument) -> Self {
        let mut walk = Walk {
            document,
            done: HashMap::new(),
            open: Vec::new(),
            lists: 0,
        };
        let mut total = Cost::default();
        for (_, operation) in document.operations.iter() {
            total.merge(walk.set(&operation.node.selection_set, false));
        }
        Self {
            depth: total.depth,
            introspection_fields: total.introspection_fields,
            introspection_lists: walk.lists,
            fields: total.fields,
        }
    }
}

impl<'d> Walk<'d> {
    /// The cost of a selection set, `inside` an introspection subtree or not.
    fn set(&mut self, set: &'d Positioned<SelectionSet>, inside: bool) -> Cost {
        let mut cost = Cost::default();
        for item in &set.node.items {
            let one = match &item.node {
                Selection::Field(field) => {
                    let name = field.node.name.node.as_str();
                    let children = &field.node.selection_set;
                    if name == "__typename" {
                        Cost {
                            fields: 1,
                            ..Cost::default()
                        }
                    } else if inside {
                        let below = self.set(children, true);
                        let is_list = matches!(
                            name,
                            "fields" | "inputFields" | "interfaces" | "possibleTypes"
                        );
                        Cost {
                            depth: 0,
                            introspection_fields: below.introspection_fields.saturating_add(1),
                            lists: below.lists + usize::from(is_list),
                            fields: below.fields.saturating_add(1),
                        }
                    } else if name == "__schema" || name == "__type" {
                        let below = self.set(children, true);
                        self.lists = self.lists.max(below.lists);
                        Cost {
                            depth: 0,
                            introspection_fields: below.introspection_fields.saturating_add(1),
                            lists: 0,
                            fields: below.fields.saturating_add(1),
                        }
                    } else {
                        let below = self.set(children, false);
                        Cost {
                            depth: below.depth + 1,
                            introspection_fields: below.introspection_fields,
                            lists: 0,
                            fields: below.fields.saturating_add(1),
                        }
                    }
                }
                Selection::InlineFragment(fragment) => {
                    self.set(&fragment.node.selection_set, inside)
                }
                Selection::FragmentSpread(spread) => {
                    self.fragment(&spread.node.fragment_name.node, inside)
                }
            };
            cost.merge(one);
        }
        cost
    }

    fn fragment(&mut self, name: &'d Name, inside: bool) -> Cost {
        if let Some(cost) = self.done.get(&(name, inside)) {
            return *cost;
        }
        let Some((key, fragment)) = self.document.fragments.get_key_value(name) else {
            // An unknown fragment: validation refuses it.
            return Cost::default();
        };
        if self.open.contains(&key) {
            return Cost::default();
        }
        self.open.push(key);
        let cost = self.set(&fragment.node.selection_set, inside);
        self.open.pop();
        self.done.insert((key, inside), cost);
        cost
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn measure(query: &str) -> Measure {
        Measure::of(&async_graphql::parser::parse_query(query).unwrap())
    }

    #[test]
    fn introspection_subtrees_are_counted_apart_from_the_rest() {
        let m = measure(
            "{ __schema { types { name fields { name type { name ofType { name } } } } } regions { total items { id } } }",
        );
        // regions → items → id
        assert_eq!(m.depth, 3);
        // __schema types name fields name type name ofType name
        assert_eq!(m.introspection_fields, 9);
        assert_eq!(m.introspection_lists, 1);
        assert_eq!(m.fields, 13);
    }

    #[test]
    fn fragments_are_expanded_wherever_spread_and_measured_once() {
        let m = measure(
            "{ a: regions { ...R } b: regions { ...R } __type(name: \"Region\") { ...T } }
             fragment R on RegionPage { items { id } }
             fragment T on __Type { fields { type { fields { type { fields { name } } } } } }",
        );
        assert_eq!(m.depth, 3);
        assert_eq!(m.introspection_lists, 3);
        // A fragment bomb: 2^40 fields expanded, measured in a blink.
        let mut bomb = String::from("{ ...F0 } ");
        for i in 0..40 {
            bomb.push_str(&format!(
                "fragment F{i} on Query {{ ...F{} ...F{} }} ",
                i + 1,
                i + 1
            ));
        }
        bomb.push_str("fragment F40 on Query { me { id } }");
        let m = measure(&bomb);
        assert!(m.fields > MAX_FIELDS, "{}", m.fields);
    }

    #[test]
    fn a_fragment_cycle_does_not_loop() {
        let m =
            measure("{ ...A } fragment A on Query { ...B } fragment B on Query { ...A me { id } }");
        assert_eq!(m.depth, 2);
    }

    const INTROSPECTION: &str = include_str!("../../../tests/fixtures/introspection-query.graphql");

    fn schema_with(
        limit: Option<usize>,
    ) -> async_graphql::Schema<
        super::super::Query,
        super::super::Mutation,
        async_graphql::EmptySubscription,
    > {
        let builder = async_graphql::Schema::build(
            super::super::Query::default(),
            super::super::Mutation::default(),
            async_graphql::EmptySubscription,
        );
        match limit {
            Some(n) => builder.limit_complexity(n).finish(),
            None => builder.finish(),
        }
    }

    /// What async-graphql's own complexity counts for a query: the least
    /// limit that lets it through.
    fn complexity_by_async_graphql(query: &str) -> usize {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let passes = |n: usize| {
            let response = rt.block_on(schema_with(Some(n)).execute(query));
            !response
                .errors
                .iter()
                .any(|e| e.message.contains("too complex"))
        };
        let (mut low, mut high) = (0, 1 << 20);
        while low < high {
            let mid = (low + high) / 2;
            if passes(mid) {
                high = mid
            } else {
                low = mid + 1
            }
        }
        low
    }

    #[test]
    fn the_introspection_count_is_what_async_graphql_counts_for_it() {
        let m = measure(INTROSPECTION);
        assert_eq!(
            m.introspection_fields,
            complexity_by_async_graphql(INTROSPECTION)
        );
        assert!(
            m.introspection_fields < MAX_INTROSPECTION_FIELDS / 5,
            "{m:?}"
        );
        assert_eq!(m.depth, 0);
        assert_eq!(m.introspection_lists, 1);
    }

    #[test]
    fn the_standard_introspection_query_is_answered_and_deep_introspection_refused() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let schema = crate::graphql::build(None, true);
        let response = rt.block_on(schema.execute(INTROSPECTION));
        assert!(response.errors.is_empty(), "{:?}", response.errors);
        let deep = "{ __type(name: \"Region\") { fields { type { fields { type { fields { name } } } } } } }";
        let response = rt.block_on(schema.execute(deep));
        assert_eq!(response.errors[0].message, INTROSPECTION_TOO_DEEP);
        let two = "{ __type(name: \"Region\") { fields { type { fields { name } } } } }";
        assert!(rt.block_on(schema.execute(two)).errors.is_empty());
        let aliases: String = (0..300).map(|i| format!("s{i}: __schema {{ types {{ name fields {{ name description args {{ name description }} }} }} }} ")).collect();
        let response = rt.block_on(schema.execute(format!("{{ {aliases} }}")));
        assert_eq!(response.errors[0].message, INTROSPECTION_TOO_BIG);
    }
}
