//! The web console: server-rendered pages in Chinese at `/`, another edge over
//! the same domain services and access rules as GraphQL (issue 13).
//!
//! One module per page area, as in kanidm's `views/`: `login` (sign-in and
//! sign-out), `home` (each role's home page), `dashboard` (supervisors),
//! `runs` (the dashboard's run and publish forms), `scorecard` (one result),
//! `disputes` (a vendor's disputes of deductions and their decision),
//! `breaches` (the breach register: list, one breach, recording by hand),
//! `vendor`, `trend` (a vendor's monthly totals as a chart), `exports` (the
//! ranking, scorecard and annual results as `.xlsx` and A4 print pages), `notices`
//! (rectification notices and their attachments), `settlement` (a
//! contract's settlement statement, its print page and workbook), `agency`, `facts` (every
//! fact kind's lists and forms), `admin` (the administrator's users, regions,
//! vendors, schemes, calendar years and audit trail), `errors` (the error
//! page), `assets` (htmx, ECharts,
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
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use domain::notice_attachments::MAX_FILES;
use tower_http::limit::RequestBodyLimitLayer;

use crate::edge::MAX_BODY_BYTES;

use crate::config::{HttpConfig, Secret};
use crate::state::AppState;

pub mod admin;
pub mod agency;
pub mod assets;
pub mod breaches;
pub mod charts;
pub mod contracts;
pub mod csp;
pub mod csrf;
pub mod dashboard;
pub mod disputes;
pub mod download;
pub mod errors;
pub mod exports;
pub mod facts;
pub mod format;
pub mod home;
pub mod imports;
pub mod login;
pub mod metering;
pub mod notices;
pub mod quotas;
pub mod runs;
pub mod scorecard;
pub mod session;
pub mod settlement;
pub mod shell;
pub mod trend;
pub mod vendor;
pub mod work_orders;

/// What the console's handlers share.
pub struct Console {
    pub state: AppState,
    /// Signs the forms' CSRF tokens.
    pub csrf: csrf::CsrfKey,
    /// Cookies are marked `Secure` (`PUBLIC_URL` is `https://…`).
    pub secure_cookies: bool,
    /// `TRUSTED_PROXY_HEADER`, for the throttle's client address.
    pub trusted_proxy_header: Option<axum::http::HeaderName>,
    /// `ATTACHMENT_MAX_BYTES`: the largest file a rectification may carry.
    pub attachment_max_bytes: usize,
    /// `IMPORT_MAX_BYTES`: the largest spreadsheet an import may upload.
    pub import_max_bytes: usize,
}

pub type Shared = Arc<Console>;

/// The console's routes, each page behind its own nonce policy (`csp::layer`).
pub fn routes(state: AppState, secret: &Secret, http: &HttpConfig) -> Router {
    let console = Console {
        state,
        csrf: csrf::CsrfKey::new(secret),
        secure_cookies: http.secure_cookies(),
        trusted_proxy_header: http.trusted_proxy_header.clone(),
        attachment_max_bytes: http.attachment_max_bytes,
        import_max_bytes: http.import_max_bytes,
    };
    // The rectification's upload may carry its files; every other form is
    // held to the API's limit.
    let upload_limit = MAX_FILES * http.attachment_max_bytes + MAX_BODY_BYTES;
    let uploads = Router::new()
        .route("/notices/{id}/submit", post(notices::submit))
        .layer(DefaultBodyLimit::disable())
        .layer(RequestBodyLimitLayer::new(upload_limit));
    Router::new()
        .route("/", get(home::page))
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", post(login::sign_out))
        .route("/assets/{name}", get(assets::serve))
        .route("/notices", get(notices::list))
        .route("/notices/{id}", get(notices::page))
        .route("/notices/{id}/acknowledge", post(notices::acknowledge))
        .route("/notices/{id}/accept", post(notices::accept))
        .route("/notices/{id}/reopen", post(notices::reopen))
        .route(
            "/notices/{id}/attachments/{attachment_id}",
            get(notices::download),
        )
        .route("/vendors/{vendor_id}/trend", get(trend::page))
        .route("/facts", get(facts::index::page))
        .route("/facts/{kind}", get(facts::list::page))
        .route(
            "/facts/{kind}/new",
            get(facts::form::new).post(facts::form::create),
        )
        .route(
            "/facts/{kind}/{id}",
            get(facts::form::record).post(facts::form::update),
        )
        .route("/results/{id}", get(scorecard::page))
        .route("/runs/monthly", post(runs::monthly))
        .route("/runs/annual", post(runs::annual))
        .route("/runs/{id}/publish", post(runs::publish))
        .route(
            "/complaints/new",
            get(agency::complaints::form).post(agency::complaints::submit),
        )
        .route(
            "/surveys/new",
            get(agency::surveys::form).post(agency::surveys::submit),
        )
        .merge(admin::routes())
        .merge(contracts::routes())
        .merge(exports::routes())
        .merge(metering::routes())
        .merge(settlement::routes())
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .merge(uploads)
        .merge(disputes::routes(http.attachment_max_bytes))
        .merge(breaches::routes())
        .merge(imports::routes(http.import_max_bytes))
        .merge(quotas::routes(http.import_max_bytes))
        .merge(admin::catalogue::routes(http.import_max_bytes))
        .merge(work_orders::routes())
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
