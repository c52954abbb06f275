//! The web console: server-rendered pages in Chinese at `/`, another edge over
//! the same domain services and access rules as GraphQL (issue 13).
//!
//! One module per page area, as in kanidm's `views/`: `login` (sign-in and
//! sign-out), `home` (each role's home page), `dashboard` (supervisors),
//! `vendor`, `agency`, `errors` (the error page), `assets` (htmx, ECharts,
//! our script and stylesheet, from the binary). `shell` is what every page
//! shares (the header, menu, and the `SignedIn` extractor), `format` and
//! `charts` how numbers and charts are shown. `session`
//! reads and writes the cookies, `csrf` guards every form, `csp` gives every
//! page its own Content-Security-Policy with a fresh script nonce.
//!
//! The session cookie holds the JWT the API issues (`auth::token`), so a page
//! is served to the same `Actor` a GraphQL request with that token would be.

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};

use crate::config::{HttpConfig, Secret};
use crate::state::AppState;

pub mod agency;
pub mod assets;
pub mod charts;
pub mod csp;
pub mod csrf;
pub mod dashboard;
pub mod errors;
pub mod format;
pub mod home;
pub mod login;
pub mod session;
pub mod shell;
pub mod vendor;

/// What the console's handlers share.
pub struct Console {
    pub state: AppState,
    /// Signs the forms' CSRF tokens.
    pub csrf: csrf::CsrfKey,
    /// Cookies are marked `Secure` (`PUBLIC_URL` is `https://…`).
    pub secure_cookies: bool,
    /// `TRUSTED_PROXY_HEADER`, for the throttle's client address.
    pub trusted_proxy_header: Option<axum::http::HeaderName>,
}

pub type Shared = Arc<Console>;

/// The console's routes, each page behind its own nonce policy (`csp::layer`).
pub fn routes(state: AppState, secret: &Secret, http: &HttpConfig) -> Router {
    let console = Console {
        state,
        csrf: csrf::CsrfKey::new(secret),
        secure_cookies: http.secure_cookies(),
        trusted_proxy_header: http.trusted_proxy_header.clone(),
    };
    Router::new()
        .route("/", get(home::page))
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", post(login::sign_out))
        .route("/assets/{name}", get(assets::serve))
        .route(
            "/complaints/new",
            get(agency::complaints::form).post(agency::complaints::submit),
        )
        .route(
            "/surveys/new",
            get(agency::surveys::form).post(agency::surveys::submit),
        )
        .layer(axum::middleware::from_fn(csp::layer))
        .with_state(Arc::new(console))
}

/// A rendered template as an HTML answer; a template that fails to render is
/// logged and answered with the error page's plain fallback.
pub fn html(
    status: axum::http::StatusCode,
    page: &impl askama::Template,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    match page.render() {
        Ok(body) => (status, axum::response::Html(body)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "console: a template did not render");
            errors::plain_internal()
        }
    }
}
