//! One request, one sign-in: a request may carry at most one `login` or
//! `changePassword` (aliases, fragments and repeated spreads included). More is
//! refused up front, before any password is hashed: one request of 300 aliased
//! logins would otherwise run 300 argon2 computations and 300 guesses.

use std::collections::HashMap;

use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, FragmentDefinition, OperationDefinition, Selection,
    SelectionSet,
};

/// The fields that check a password.
pub const SIGN_IN_FIELDS: [&str; 2] = ["login", "changePassword"];

/// The refusal's message when the request carries more than one sign-in,
/// naming the field (`login: …`). A document that does not parse is left to
/// GraphQL to refuse, as is every other mistake.
pub fn refusal(request: &mut async_graphql::Request) -> Option<String> {
    let operation_name = request.operation_name.clone();
    let document = request.parsed_query().ok()?;
    let (count, field) = count(document, operation_name.as_deref());
    (count > 1).then(|| {
        format!(
            "{field}: at most one login or changePassword per request ({}{count} found); send each in a request of its own",
            if count >= CAP { "at least " } else { "" }
        )
    })
}

/// Counting stops here: two are already too many.
const CAP: usize = 2;

/// The sign-in fields of the operation that will run (of every operation when
/// it is not yet known which one), at most `CAP`, and the name of the last one
/// counted.
fn count(document: &ExecutableDocument, operation_name: Option<&str>) -> (usize, String) {
    let operations: Vec<&OperationDefinition> = match &document.operations {
        DocumentOperations::Single(op) => vec![&op.node],
        DocumentOperations::Multiple(named) => {
            match operation_name.and_then(|n| named.iter().find(|(k, _)| k.as_str() == n)) {
                Some((_, op)) => vec![&op.node],
                None => named.values().map(|op| &op.node).collect(),
            }
        }
    };
    let mut counter = Counter {
        fragments: document
            .fragments
            .iter()
            .map(|(name, f)| (name.as_str(), &f.node))
            .collect(),
        memo: HashMap::new(),
        last: String::new(),
    };
    let mut total = 0;
    for op in operations {
        total = (total + counter.selections(&op.selection_set.node)).min(CAP);
    }
    (total, counter.last)
}

struct Counter<'a> {
    fragments: HashMap<&'a str, &'a FragmentDefinition>,
    /// Each fragment's count, computed once (a fragment spread twice in each of
    /// many nested fragments stays linear); `None` while it is being counted,
    /// so a cycle (which validation refuses later) counts nothing.
    memo: HashMap<&'a str, Option<usize>>,
    last: String,
}

impl<'a> Counter<'a> {
    /// Root fields only: the sign-in fields are fields of `Mutation`, and a
    /// field's own selection is not looked into.
    fn selections(&mut self, set: &'a SelectionSet) -> usize {
        let mut n = 0;
        for item in &set.items {
            n += match &item.node {
                Selection::Field(field) => {
                    let name = field.node.name.node.as_str();
                    if SIGN_IN_FIELDS.contains(&name) {
                        self.last = name.to_owned();
                        1
                    } else {
                        0
                    }
                }
                Selection::InlineFragment(inline) => {
                    self.selections(&inline.node.selection_set.node)
                }
                Selection::FragmentSpread(spread) => {
                    self.fragment(spread.node.fragment_name.node.as_str())
                }
            };
            if n >= CAP {
                return CAP;
            }
        }
        n
    }

    fn fragment(&mut self, name: &'a str) -> usize {
        match self.memo.get(name) {
            Some(Some(n)) => return *n,
            Some(None) => return 0,
            None => {}
        }
        let Some(fragment) = self.fragments.get(name).copied() else {
            return 0;
        };
        self.memo.insert(name, None);
        let n = self.selections(&fragment.selection_set.node);
        self.memo.insert(name, Some(n));
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(query: &str, operation: Option<&str>) -> Option<String> {
        let mut request = async_graphql::Request::new(query);
        if let Some(op) = operation {
            request = request.operation_name(op);
        }
        refusal(&mut request)
    }

    #[test]
    fn one_sign_in_passes() {
        assert_eq!(
            refused(
                "mutation { login(username: \"a\", password: \"b\") { token } }",
                None
            ),
            None
        );
        assert_eq!(refused("{ me { id } }", None), None);
        assert_eq!(refused("not graphql {", None), None);
    }

    #[test]
    fn aliases_fragments_and_spreads_are_counted() {
        for query in [
            "mutation { a: login(username: \"a\", password: \"b\") { token } b: login(username: \"a\", password: \"c\") { token } }",
            "mutation { login(username: \"a\", password: \"b\") { token } changePassword(currentPassword: \"x\", newPassword: \"y\") { token } }",
            "mutation { ...F ...F } fragment F on Mutation { login(username: \"a\", password: \"b\") { token } }",
            "mutation { ... on Mutation { a: changePassword(currentPassword: \"x\", newPassword: \"y\") { token } } ... { b: changePassword(currentPassword: \"z\", newPassword: \"y\") { token } } }",
        ] {
            let message = refused(query, None).unwrap_or_else(|| panic!("not refused: {query}"));
            assert!(
                message.starts_with("login:") || message.starts_with("changePassword:"),
                "{message}"
            );
        }
    }

    #[test]
    fn only_the_operation_that_runs_is_counted() {
        let two = "mutation A { login(username: \"a\", password: \"b\") { token } } mutation B { login(username: \"a\", password: \"c\") { token } }";
        assert_eq!(refused(two, Some("A")), None);
        assert!(refused(two, None).is_some());
    }

    #[test]
    fn nested_fragments_are_counted_once_each_and_cycles_end() {
        // 2^40 spreads if expanded; counted in linear time, nothing found.
        let mut query = String::from("mutation { ...F0 }");
        for i in 0..40 {
            query += &format!(
                " fragment F{i} on Mutation {{ ...F{n} ...F{n} }}",
                n = i + 1
            );
        }
        query += " fragment F40 on Mutation { me { id } }";
        assert_eq!(refused(&query, None), None);
        let cycle = "mutation { ...A } fragment A on Mutation { ...B } fragment B on Mutation { ...A login(username: \"a\", password: \"b\") { token } }";
        assert_eq!(refused(cycle, None), None);
    }
}
