//! Why a terms document was refused. Every message starts with the path of the
//! offending field in the document's JSON (e.g. `breach_tables[1].rows[4].charge`),
//! as the scheme's do.

use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TermsError {
    #[error("the terms are not valid JSON of the expected shape: {0}")]
    Json(String),

    #[error("{path}: must not be empty")]
    Empty { path: String },

    #[error("{path}: {value} is outside {range}")]
    OutOfRange {
        path: String,
        value: String,
        range: &'static str,
    },

    #[error("{path}: \"{value}\" is used twice (first at {first})")]
    Duplicate {
        path: String,
        value: String,
        first: String,
    },
}
