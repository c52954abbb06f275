//! The GraphQL edge's one mapping of errors: a domain error (and a job's,
//! through it) becomes a GraphQL error with its `extensions.code`. Internal
//! detail is logged here and never shown.

use async_graphql::ErrorExtensions;
pub use domain::error::{DomainError, DomainResult};

/// The error as a client reads it: its message and `extensions.code`.
pub fn to_graphql(e: &DomainError) -> async_graphql::Error {
    match e {
        DomainError::Internal(source) => tracing::error!(error = %source, "internal error"),
        DomainError::Unavailable(source) => tracing::warn!(error = %source, "database unavailable"),
        DomainError::Busy(source) => {
            tracing::warn!(error = %source, "database pool busy: every connection in use")
        }
        _ => {}
    }
    async_graphql::Error::new(e.to_string()).extend_with(|_, ext| ext.set("code", e.code()))
}

/// Resolvers return `async_graphql::Result`; this turns our error into it once.
pub trait GqlResult<T> {
    fn gql(self) -> async_graphql::Result<T>;
}

impl<T> GqlResult<T> for DomainResult<T> {
    fn gql(self) -> async_graphql::Result<T> {
        self.map_err(|e| to_graphql(&e))
    }
}
