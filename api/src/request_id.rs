//! A request id on every request (`x-request-id`): taken from the client or the
//! load balancer when it is short and plain (1–64 of `A-Z a-z 0-9 . _ -`: it
//! enters the logs and the audit trail), generated otherwise, echoed in the response
//! and carried by the request's tracing span, so every log line written while
//! serving the request names it.

use axum::http::{HeaderName, HeaderValue, Request};
use tower_http::request_id::{MakeRequestId, RequestId as TowerRequestId};

const HEADER_NAME: &str = "x-request-id";

/// `x-request-id`.
pub fn header() -> HeaderName {
    HeaderName::from_static(HEADER_NAME)
}

/// The longest incoming id kept; longer ones are replaced.
const MAX_LEN: usize = 64;

/// The request's id, handed to GraphQL resolvers as request data.
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

/// Generates an id for a request that came without a sane one: a random UUID.
#[derive(Clone, Copy, Debug, Default)]
pub struct MakeId;

impl MakeRequestId for MakeId {
    fn make_request_id<B>(&mut self, _request: &Request<B>) -> Option<TowerRequestId> {
        let id = uuid::Uuid::new_v4().to_string();
        HeaderValue::from_str(&id).ok().map(TowerRequestId::new)
    }
}

/// Drops an incoming id that is empty, too long or not plain (letters, digits,
/// `.`, `_`, `-`), so that a new one is generated: an id ends up in every log
/// line and in the audit trail, and a client must not be able to forge line
/// breaks, markup, quotes or megabytes into them.
pub fn drop_insane_id<B>(mut request: Request<B>) -> Request<B> {
    let sane = request.headers().get(HEADER_NAME).is_some_and(is_sane);
    if !sane {
        request.headers_mut().remove(HEADER_NAME);
    }
    request
}

fn is_sane(value: &HeaderValue) -> bool {
    let bytes = value.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= MAX_LEN
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// The id of a request, once `SetRequestIdLayer` has run.
pub fn of<B>(request: &Request<B>) -> &str {
    request
        .extensions()
        .get::<TowerRequestId>()
        .and_then(|id| id.header_value().to_str().ok())
        .unwrap_or("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_short_plain_ids_are_kept() {
        let long = "a".repeat(MAX_LEN + 1);
        let longest = "a".repeat(MAX_LEN);
        for (id, kept) in [
            ("3f2a-lb-17", true),
            ("1-67891233.abcdef_012", true),
            ("Root=1-67891233", false),
            (longest.as_str(), true),
            ("", false),
            ("with space", false),
            ("tab\there", false),
            ("<script>", false),
            ("a\"b", false),
            ("id;drop", false),
            ("ab:cd", false),
            (long.as_str(), false),
        ] {
            let request = Request::builder()
                .header(HEADER_NAME, id)
                .body(())
                .expect("request");
            let after = drop_insane_id(request);
            assert_eq!(after.headers().contains_key(HEADER_NAME), kept, "{id:?}");
        }
    }
}
