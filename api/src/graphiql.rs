//! GraphiQL, served from the binary: the page at `GET /graphql` and its
//! pinned assets under `/graphiql/` (see `api/assets/graphiql/README.md`),
//! so it works on an intranet with no internet. The page has no inline script
//! (`init.js` starts GraphiQL), for a `script-src 'self'` policy.

use axum::Router;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

/// The vendored files' paths carry their versions, so they may be cached for
/// a year; our own files (`init.js`, `page.css`) are revalidated.
const FOREVER: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";

const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

/// (name under `/graphiql/`, content type, cache policy, bytes)
const ASSETS: &[(&str, &str, &str, &[u8])] = &[
    (
        "graphiql-3.8.3.min.js",
        JS,
        FOREVER,
        include_bytes!("../assets/graphiql/graphiql.min.js"),
    ),
    (
        "graphiql-3.8.3.min.css",
        CSS,
        FOREVER,
        include_bytes!("../assets/graphiql/graphiql.min.css"),
    ),
    (
        "react-18.3.1.production.min.js",
        JS,
        FOREVER,
        include_bytes!("../assets/graphiql/react.production.min.js"),
    ),
    (
        "react-dom-18.3.1.production.min.js",
        JS,
        FOREVER,
        include_bytes!("../assets/graphiql/react-dom.production.min.js"),
    ),
    (
        "init.js",
        JS,
        REVALIDATE,
        include_bytes!("../assets/graphiql/init.js"),
    ),
    (
        "page.css",
        CSS,
        REVALIDATE,
        include_bytes!("../assets/graphiql/page.css"),
    ),
];

const PAGE: &str = include_str!("../assets/graphiql/index.html");

/// `GET /graphql`: the GraphiQL page.
pub async fn page() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, REVALIDATE),
        ],
        PAGE,
    )
        .into_response()
}

/// The routes of the assets, `/graphiql/{name}`.
pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new().route("/graphiql/{name}", get(asset))
}

async fn asset(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|(n, ..)| *n == name) {
        Some((_, content_type, cache, bytes)) => (
            [
                (header::CONTENT_TYPE, *content_type),
                (header::CACHE_CONTROL, *cache),
            ],
            *bytes,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_references_only_assets_served_here() {
        let mut referenced = 0;
        for part in PAGE.split(['"', '\'']) {
            if let Some(name) = part.strip_prefix("/graphiql/") {
                assert!(ASSETS.iter().any(|(n, ..)| *n == name), "{part}");
                referenced += 1;
            }
            assert!(!part.contains("//"), "an external reference: {part}");
        }
        assert_eq!(referenced, ASSETS.len());
        assert!(!PAGE.contains("<script>"), "no inline script");
    }
}
