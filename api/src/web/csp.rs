//! The console's Content-Security-Policy (docs.rs `src/web/csp.rs`): nothing by
//! default, scripts only with this answer's nonce, styles and images from the
//! server itself, forms posted only back to it, never framed. A fresh nonce per
//! request is put into the request's extensions for the templates, and the
//! header is set on every HTML answer of the console. `edge::harden` keeps a
//! policy a handler set, so the API's pages keep theirs and these keep this.

use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// A script nonce: 128 random bits, hex (a valid base64 value).
#[derive(Clone, Debug)]
pub struct Nonce(String);

impl Nonce {
    pub fn fresh() -> Self {
        use rand::Rng;
        let bytes: [u8; 16] = rand::rng().random();
        Self(bytes.iter().map(|b| format!("{b:02x}")).collect())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The policy of a console page whose scripts carry `nonce`.
pub fn policy(nonce: &Nonce) -> String {
    policy_with(nonce.as_str())
}

/// The policy for a nonce given as text (what a test reads from a page).
pub fn policy_with(nonce: &str) -> String {
    format!(
        "default-src 'none'; script-src 'nonce-{nonce}'; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    )
}

/// Gives the request a fresh nonce and its HTML answer the policy naming it.
pub async fn layer(mut request: Request, next: Next) -> Response {
    let nonce = Nonce::fresh();
    request.extensions_mut().insert(nonce.clone());
    let mut response = next.run(request).await;
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if html && let Ok(value) = HeaderValue::from_str(&policy(&nonce)) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_allows_only_the_nonce_scripts_and_denies_by_default() {
        let nonce = Nonce("abc123".into());
        let policy = policy(&nonce);
        let directives: Vec<&str> = policy.split("; ").collect();
        assert_eq!(
            directives,
            [
                "default-src 'none'",
                "script-src 'nonce-abc123'",
                "style-src 'self'",
                "img-src 'self' data:",
                "connect-src 'self'",
                "form-action 'self'",
                "frame-ancestors 'none'",
                "base-uri 'none'",
            ]
        );
        assert!(!policy.contains("unsafe"));
    }

    #[test]
    fn every_nonce_is_fresh_and_long_enough() {
        let (a, b) = (Nonce::fresh(), Nonce::fresh());
        assert_ne!(a.as_str(), b.as_str());
        assert_eq!(a.as_str().len(), 32);
        assert!(a.as_str().chars().all(|c| c.is_ascii_hexdigit()));
    }

    #[tokio::test]
    async fn an_html_answer_gets_the_policy_of_its_own_nonce() {
        use axum::Router;
        use axum::extract::Extension;
        use axum::response::Html;
        use axum::routing::get;
        let router = Router::new()
            .route(
                "/page",
                get(|Extension(n): Extension<Nonce>| async move {
                    Html(format!("<script nonce=\"{}\"></script>", n.as_str()))
                }),
            )
            .route("/text", get(|| async { "ok" }))
            .layer(axum::middleware::from_fn(layer));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move { axum::serve(listener, router).await });
        let page = reqwest::get(format!("http://{addr}/page"))
            .await
            .expect("answer");
        let header = page.headers()["content-security-policy"]
            .to_str()
            .expect("ascii")
            .to_owned();
        let body = page.text().await.expect("body");
        let nonce = body
            .split("nonce=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("a nonce in the page");
        assert!(
            header.contains(&format!("script-src 'nonce-{nonce}'")),
            "{header}"
        );
        let text = reqwest::get(format!("http://{addr}/text"))
            .await
            .expect("answer");
        assert!(!text.headers().contains_key("content-security-policy"));
    }
}
