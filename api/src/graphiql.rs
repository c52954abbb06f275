//! GraphiQL, served from the binary: the page at `GET /graphql` and its
//! pinned assets under `/graphiql/` (see `api/assets/graphiql/README.md`),
//! so it works on an intranet with no internet. The page has no inline script
//! (`init.js` starts GraphiQL), for a `script-src 'self'` policy.

use axum::Router;
use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::embedded::{Asset, CSS, FOREVER, JS, REVALIDATE};

/// (name under `/graphiql/`, content type, cache policy, bytes)
const ASSETS: &[Asset] = &[
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
    crate::embedded::serve(ASSETS, &name)
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
