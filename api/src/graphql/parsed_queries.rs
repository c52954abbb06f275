//! Parsed request documents by their text (issue 17, item 2). A dashboard
//! sends the same few queries all day; parsing one (a PEG parser over the
//! whole text) cost more than a ranking's database time. The parse is the
//! same whoever sends the text, so the document is kept by the text alone;
//! validation and execution still happen on every request.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use async_graphql::parser::types::ExecutableDocument;

/// Distinct texts kept; past it the set starts over (a client sending ever
/// new texts gains nothing, and costs only its own parses).
const CAPACITY: usize = 512;

/// Longer texts are parsed every time: they are not a dashboard's.
const LONGEST: usize = 16 * 1024;

#[derive(Default)]
pub struct ParsedQueries {
    by_text: Mutex<HashMap<Arc<str>, Arc<ExecutableDocument>>>,
}

impl ParsedQueries {
    /// Gives `request` its document: the kept parse of the same text, or a
    /// fresh one (kept when it parsed). A text that does not parse is left to
    /// the execution, which reports the error as before.
    pub fn prepare(&self, request: &mut async_graphql::Request) {
        if request.query.len() > LONGEST {
            return;
        }
        let kept = {
            let by_text = self.by_text.lock().unwrap_or_else(PoisonError::into_inner);
            by_text.get(request.query.as_str()).cloned()
        };
        if let Some(document) = kept {
            request.set_parsed_query((*document).clone());
            return;
        }
        let Ok(document) = request.parsed_query() else {
            return;
        };
        let document = Arc::new(document.clone());
        let mut by_text = self.by_text.lock().unwrap_or_else(PoisonError::into_inner);
        if by_text.len() >= CAPACITY {
            by_text.clear();
        }
        by_text.insert(request.query.as_str().into(), document);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_text_seen_before_gets_the_kept_document_and_a_bad_one_is_not_kept() {
        let kept = ParsedQueries::default();
        let query = "query R($r: ID!) { ranking(regionId: $r, period: \"2025-12\") { rank } }";
        kept.prepare(&mut async_graphql::Request::new(query));
        assert_eq!(kept.by_text.lock().unwrap().len(), 1);
        // The kept document, not a fresh parse: swap in another text's
        // document under this text and the request gets that one.
        let other = async_graphql::parser::parse_query("{ me { id } }").unwrap();
        kept.by_text
            .lock()
            .unwrap()
            .insert(query.into(), Arc::new(other.clone()));
        let mut again = async_graphql::Request::new(query);
        kept.prepare(&mut again);
        assert_eq!(
            format!("{:?}", again.parsed_query().unwrap()),
            format!("{other:?}")
        );
        let mut bad = async_graphql::Request::new("{ ranking(");
        kept.prepare(&mut bad);
        assert!(bad.parsed_query().is_err());
        assert_eq!(kept.by_text.lock().unwrap().len(), 1);
    }
}
