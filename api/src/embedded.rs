//! Files embedded in the binary (`include_bytes!`) and served by name: the
//! GraphiQL assets (`graphiql`) and the web console's (`web::assets`).

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Vendored files whose paths carry their versions: cached for a year.
pub const FOREVER: &str = "public, max-age=31536000, immutable";
/// Our own files: revalidated.
pub const REVALIDATE: &str = "no-cache";

pub const JS: &str = "text/javascript; charset=utf-8";
pub const CSS: &str = "text/css; charset=utf-8";

/// (name, content type, cache policy, bytes)
pub type Asset = (&'static str, &'static str, &'static str, &'static [u8]);

/// The asset called `name` with its type and cache policy, or 404.
pub fn serve(assets: &[Asset], name: &str) -> Response {
    match assets.iter().find(|(n, ..)| *n == name) {
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
