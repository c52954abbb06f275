//! Signing in and out of the console. The form posts to the same
//! `auth::login::sign_in` as the GraphQL `login` (one throttle, one answer to a
//! bad guess, one audit entry); success stores the API's token in the session
//! cookie. Both forms carry a CSRF token (`csrf`).

use axum::Form;
use axum::extract::{ConnectInfo, Extension, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::auth::login::{Attempt, sign_in};
use crate::error::DomainError;
use crate::web::csp::Nonce;
use crate::web::session::{PRE_COOKIE, SESSION_COOKIE, cookie, random_value, set_cookie};
use crate::web::shell::{Shell, safe_next};
use crate::web::{Shared, errors};

/// How long the sign-in cookie lives (an hour to fill the form in).
const PRE_COOKIE_SECONDS: i64 = 60 * 60;

/// The answer to a wrong password, an unknown or disabled user and a locked
/// username or address alike (`auth::login::sign_in`).
pub const BAD_CREDENTIALS: &str = "用户名或密码错误";
/// Said under the form after a refused attempt: the throttle's rule.
pub const LOCKOUT_RULE: &str =
    "同一用户名连续输错 5 次（或同一地址 20 次）后，将暂停登录 15 分钟。";

#[derive(askama::Template)]
#[template(path = "login.html")]
struct LoginPage<'a> {
    shell: Shell,
    csrf: &'a str,
    username: &'a str,
    /// Where to go after sign-in (a local path; `shell::safe_next`).
    next: &'a str,
    username_error: Option<&'a str>,
    password_error: Option<&'a str>,
    error: Option<&'a str>,
    hint: Option<&'a str>,
}

impl<'a> LoginPage<'a> {
    fn new(nonce: &'a Nonce, csrf: &'a str, username: &'a str, next: &'a str) -> Self {
        Self {
            shell: Shell::anonymous(nonce, csrf),
            csrf,
            username,
            next,
            username_error: None,
            password_error: None,
            error: None,
            hint: None,
        }
    }
}

#[derive(Deserialize, Default)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    next: Option<String>,
}

/// The sign-in page's query: the page asked for before sign-in.
#[derive(Deserialize, Default)]
pub struct NextQuery {
    #[serde(default)]
    next: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

/// GET /login: the form (the home page when already signed in).
pub async fn form(
    State(console): State<Shared>,
    Extension(nonce): Extension<Nonce>,
    Query(query): Query<NextQuery>,
    headers: HeaderMap,
) -> Response {
    let next = safe_next(query.next.as_deref());
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        match crate::session::actor_from_token(&console.state, token).await {
            Ok(Some(_)) => return Redirect::to(next).into_response(),
            Ok(None) => {}
            Err(e) => return errors::of_domain(e, &nonce),
        }
    }
    let (binding, new_cookie) = match cookie(&headers, PRE_COOKIE) {
        Some(v) => (v.to_owned(), None),
        None => {
            let v = random_value();
            let set = set_cookie(PRE_COOKIE, &v, PRE_COOKIE_SECONDS, console.secure_cookies);
            (v, Some(set))
        }
    };
    let csrf = console.csrf.token(&binding);
    let mut response = crate::web::html(StatusCode::OK, &LoginPage::new(&nonce, &csrf, "", next));
    if let Some(set) = new_cookie {
        response.headers_mut().append(header::SET_COOKIE, set);
    }
    response
}

/// POST /login: checks the CSRF token, then signs in; the form again with the
/// reason next to the field when it is refused.
pub async fn submit(
    State(console): State<Shared>,
    Extension(nonce): Extension<Nonce>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let Some(binding) = cookie(&headers, PRE_COOKIE) else {
        return errors::csrf_refused(&nonce);
    };
    if !console.csrf.check(binding, &form.csrf) {
        return errors::csrf_refused(&nonce);
    }
    let csrf = console.csrf.token(binding);
    let username = form.username.trim();
    let next = safe_next(form.next.as_deref());
    let mut page = LoginPage::new(&nonce, &csrf, username, next);
    if username.is_empty() || form.password.is_empty() {
        page.username_error = username.is_empty().then_some("请输入用户名");
        page.password_error = form.password.is_empty().then_some("请输入密码");
        return crate::web::html(StatusCode::OK, &page);
    }
    let attempt = Attempt {
        operation: "login",
        username: &form.username,
        password: &form.password,
        addr: Some(
            crate::state::ClientAddr::of(peer, &headers, console.trusted_proxy_header.as_ref()).0,
        ),
        request_id: headers
            .get(crate::request_id::header())
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
    };
    match sign_in(&console.state, attempt).await {
        Ok(signed_in) => {
            let seconds = (signed_in.expires - chrono::Utc::now()).num_seconds();
            let mut response = Redirect::to(next).into_response();
            let headers = response.headers_mut();
            headers.append(
                header::SET_COOKIE,
                set_cookie(
                    SESSION_COOKIE,
                    &signed_in.token,
                    seconds,
                    console.secure_cookies,
                ),
            );
            headers.append(
                header::SET_COOKIE,
                set_cookie(PRE_COOKIE, "", 0, console.secure_cookies),
            );
            response
        }
        Err(DomainError::BadCredentials) => {
            page.error = Some(BAD_CREDENTIALS);
            page.hint = Some(LOCKOUT_RULE);
            crate::web::html(StatusCode::OK, &page)
        }
        Err(e) => errors::of_domain(e, &nonce),
    }
}

/// POST /logout: clears the session cookie (after the CSRF check, so another
/// site cannot sign the user out).
pub async fn sign_out(
    State(console): State<Shared>,
    Extension(nonce): Extension<Nonce>,
    headers: HeaderMap,
    Form(form): Form<CsrfOnly>,
) -> Response {
    let Some(session) = cookie(&headers, SESSION_COOKIE) else {
        return Redirect::to("/login").into_response();
    };
    if !console.csrf.check(session, &form.csrf) {
        return errors::csrf_refused(&nonce);
    }
    let mut response = Redirect::to("/login").into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, "", 0, console.secure_cookies),
    );
    response
}
