//! The console's cookies. `govcloud_session` holds the JWT the API issues
//! (`auth::token`), read into an `Actor` by the same `session::actor_from_token`
//! as a bearer token; `govcloud_signin` is a random value set by the sign-in
//! page that the sign-in form's CSRF token is bound to. Both are `HttpOnly`,
//! `SameSite=Strict`, `Path=/`, and `Secure` when the console is served over
//! TLS (`PUBLIC_URL` is `https://…`).

use axum::http::{HeaderMap, HeaderValue, header};

/// The signed-in session: the API's JWT.
pub const SESSION_COOKIE: &str = "govcloud_session";
/// Before sign-in: what the sign-in form's CSRF token is bound to.
pub const PRE_COOKIE: &str = "govcloud_signin";

/// The value of the request's cookie `name`, if it has a non-empty one.
pub fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

/// A `Set-Cookie` value; `max_age` 0 deletes the cookie.
pub fn set_cookie(name: &str, value: &str, max_age_seconds: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let text = format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{secure}",
        max_age_seconds.max(0)
    );
    // The names are ours and the values are a JWT or hex: always valid.
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// A fresh random value for the sign-in cookie (128 bits, hex).
pub fn random_value() -> String {
    crate::web::csp::Nonce::fresh().as_str().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.append(
            header::COOKIE,
            HeaderValue::from_static("a=1; govcloud_session=tok; b=2"),
        );
        headers.append(
            header::COOKIE,
            HeaderValue::from_static("govcloud_signin=xyz"),
        );
        assert_eq!(cookie(&headers, SESSION_COOKIE), Some("tok"));
        assert_eq!(cookie(&headers, PRE_COOKIE), Some("xyz"));
        assert_eq!(cookie(&headers, "missing"), None);
    }

    #[test]
    fn cookies_are_http_only_strict_and_secure_over_tls() {
        let plain = set_cookie(SESSION_COOKIE, "t", 60, false);
        assert_eq!(
            plain,
            "govcloud_session=t; Path=/; HttpOnly; SameSite=Strict; Max-Age=60"
        );
        let tls = set_cookie(SESSION_COOKIE, "t", 60, true);
        assert!(tls.to_str().expect("ascii").ends_with("; Secure"));
    }
}
