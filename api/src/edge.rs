//! What every HTTP answer carries, whichever route or limit produced it: the
//! security headers, and a body over the limit refused in the GraphQL error
//! shape. One middleware, the outermost layer (`startup::router`), so a 408
//! of the timeout, a 413 of the body limit, a CORS answer and any page added
//! later get the same treatment.
//!
//! - `X-Content-Type-Options: nosniff` on every answer: a browser never guesses
//!   a type (a JSON answer holding `<script>` stays JSON).
//! - `Cache-Control: no-store` on every answer that does not say otherwise
//!   (the API's answers hold government data and tokens; a handler serving
//!   immutable assets may set its own).
//! - `Content-Security-Policy` (`CONTENT_SECURITY_POLICY`) on every `text/html`
//!   answer that has none: the API's policy, stated in SECURITY.md. The web
//!   console sets its own stricter one with a nonce per page (`web::csp`),
//!   which is kept. It allows scripts, styles, images and requests from the
//!   server itself only, no inline script, and no framing.
//! - 413 (a body over `MAX_BODY_BYTES`) as
//!   `{"errors":[{"message":…,"extensions":{"code":"PAYLOAD_TOO_LARGE"}}]}`.

use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// The policy of every HTML page: everything from the server itself, inline
/// styles allowed (GraphiQL's editors set them), inline scripts not; images
/// and fonts also as `data:` URLs (GraphiQL's stylesheet embeds its fonts).
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

/// Requests larger than this are refused before they are parsed.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The security headers, and the 413 rewritten (see the module's comment).
pub async fn harden(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let mut response = if response.status() == StatusCode::PAYLOAD_TOO_LARGE {
        in_graphql_shape(response)
    } else {
        response
    };
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    let html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("text/html"));
    if html && !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        );
    }
    response
}

/// The answer to a body over the limit, in the GraphQL error shape.
pub fn payload_too_large() -> Response {
    let body = json!({ "errors": [{
        "message": format!("request body: larger than the limit of {} MiB", MAX_BODY_BYTES >> 20),
        "extensions": { "code": "PAYLOAD_TOO_LARGE" },
    }]});
    (StatusCode::PAYLOAD_TOO_LARGE, axum::Json(body)).into_response()
}

/// A 413 from anywhere (tower-http's limit answers in plain text) as
/// `payload_too_large`, keeping the other headers (the request id, CORS).
fn in_graphql_shape(response: Response) -> Response {
    let (parts, _) = response.into_parts();
    let mut shaped = payload_too_large();
    for (name, value) in &parts.headers {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            shaped.headers_mut().append(name, value.clone());
        }
    }
    shaped
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::response::Html;
    use axum::routing::get;

    /// Serves `router` behind `harden` on a port of its own; the answer to GET `path`.
    async fn answer(router: Router, path: &str) -> reqwest::Response {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let app = router.layer(axum::middleware::from_fn(harden));
        tokio::spawn(async move { axum::serve(listener, app).await });
        reqwest::get(format!("http://{addr}{path}"))
            .await
            .expect("answer")
    }

    #[tokio::test]
    async fn html_gets_the_policy_and_everything_nosniff_and_no_store() {
        let router = Router::new()
            .route("/page", get(|| async { Html("<p>hi</p>") }))
            .route("/text", get(|| async { "ok" }))
            .route(
                "/asset",
                get(|| async { ([(header::CACHE_CONTROL, "max-age=60")], "x") }),
            );
        let page = answer(router.clone(), "/page").await;
        assert_eq!(
            page.headers()["content-security-policy"],
            CONTENT_SECURITY_POLICY
        );
        let text = answer(router.clone(), "/text").await;
        assert!(!text.headers().contains_key("content-security-policy"));
        for r in [&page, &text] {
            assert_eq!(r.headers()["x-content-type-options"], "nosniff");
            assert_eq!(r.headers()["cache-control"], "no-store");
        }
        let asset = answer(router, "/asset").await;
        assert_eq!(asset.headers()["cache-control"], "max-age=60");
    }

    #[tokio::test]
    async fn a_413_is_answered_in_the_graphql_shape() {
        let router = Router::new().route(
            "/big",
            get(|| async {
                (
                    StatusCode::PAYLOAD_TOO_LARGE,
                    [("x-request-id", "r-1")],
                    "length limit exceeded",
                )
            }),
        );
        let r = answer(router, "/big").await;
        assert_eq!(r.status(), reqwest::StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(r.headers()["x-request-id"], "r-1");
        let body: serde_json::Value = r.json().await.expect("json");
        assert_eq!(body["errors"][0]["extensions"]["code"], "PAYLOAD_TOO_LARGE");
    }
}
