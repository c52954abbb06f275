//! A signed-in console user over HTTP, as a browser without JavaScript: it
//! signs in through the form, keeps the session cookie, and posts forms with
//! the CSRF token of the last page it read. Redirects are not followed, so a
//! test sees them.

use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};

use crate::TestApp;

pub const SESSION_COOKIE: &str = "govcloud_session";
pub const PRE_COOKIE: &str = "govcloud_signin";

/// A page as read: status, `Location` (for a redirect) and body.
pub struct Page {
    pub status: StatusCode,
    pub location: Option<String>,
    pub body: String,
}

impl Page {
    /// The value of the first hidden `csrf` field, if the page has a form.
    pub fn csrf(&self) -> Option<String> {
        hidden(&self.body, "csrf")
    }
}

/// The JSON of the page's first `data-chart` attribute (what console.js
/// draws), unescaped as a browser would.
pub fn chart(body: &str) -> serde_json::Value {
    let attribute = body
        .split("data-chart=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a chart on the page");
    let json = attribute
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"))
}

/// The value of the first `<input … name="{name}" value="…">` of `body`.
pub fn hidden(body: &str, name: &str) -> Option<String> {
    let rest = body.split(&format!("name=\"{name}\" value=\"")).nth(1)?;
    Some(rest.split('"').next()?.to_owned())
}

pub struct ConsoleUser {
    pub base: String,
    client: reqwest::Client,
    /// The session cookie's value (empty: signed out).
    pub session: String,
    /// The CSRF token of the last page read.
    pub csrf: String,
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn cookie_value(resp: &reqwest::Response, name: &str) -> Option<String> {
    resp.headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|line| line.starts_with(&format!("{name}=")))
        .and_then(|line| line.split(';').next())
        .and_then(|pair| pair.split_once('='))
        .map(|(_, v)| v.to_owned())
}

impl ConsoleUser {
    /// Signs in through the sign-in form; fails the test if refused.
    pub async fn sign_in(app: &TestApp, username: &str, password: &str) -> Self {
        let user = Self::try_sign_in(app, username, password).await;
        user.unwrap_or_else(|| panic!("{username} signs in"))
    }

    /// Signs in through the sign-in form; `None` when the form is shown
    /// again (refused) and no session is set.
    pub async fn try_sign_in(app: &TestApp, username: &str, password: &str) -> Option<Self> {
        let client = client();
        let page = client
            .get(format!("{}/login", app.base))
            .send()
            .await
            .unwrap();
        let pre = cookie_value(&page, PRE_COOKIE).expect("the sign-in cookie");
        let body = page.text().await.unwrap();
        let csrf = hidden(&body, "csrf").expect("the sign-in form's token");
        let resp = client
            .post(format!("{}/login", app.base))
            .header(COOKIE, format!("{PRE_COOKIE}={pre}"))
            .form(&[
                ("username", username),
                ("password", password),
                ("csrf", csrf.as_str()),
            ])
            .send()
            .await
            .unwrap();
        if resp.status() != StatusCode::SEE_OTHER {
            assert_eq!(
                cookie_value(&resp, SESSION_COOKIE),
                None,
                "refused: no session"
            );
            return None;
        }
        let session = cookie_value(&resp, SESSION_COOKIE).expect("the session cookie");
        let mut user = Self {
            base: app.base.clone(),
            client,
            session,
            csrf: String::new(),
        };
        let home = user.get("/").await;
        assert_eq!(home.status, StatusCode::OK, "{username}'s home page");
        Some(user)
    }

    /// A visitor with no session.
    pub fn stranger(app: &TestApp) -> Self {
        Self {
            base: app.base.clone(),
            client: client(),
            session: String::new(),
            csrf: String::new(),
        }
    }

    fn with_cookie(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        if self.session.is_empty() {
            request
        } else {
            request.header(COOKIE, format!("{SESSION_COOKIE}={}", self.session))
        }
    }

    async fn read(&mut self, resp: reqwest::Response) -> Page {
        let status = resp.status();
        let location = resp
            .headers()
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = resp.text().await.unwrap();
        let page = Page {
            status,
            location,
            body,
        };
        if let Some(csrf) = page.csrf() {
            self.csrf = csrf;
        }
        page
    }

    /// GET `path` (`/notices/3`).
    pub async fn get(&mut self, path: &str) -> Page {
        let resp = self
            .with_cookie(self.client.get(format!("{}{path}", self.base)))
            .send()
            .await
            .unwrap();
        self.read(resp).await
    }

    /// GET `path`, as raw bytes with the content type (a download).
    pub async fn download(&self, path: &str) -> (StatusCode, String, Vec<u8>) {
        let resp = self
            .with_cookie(self.client.get(format!("{}{path}", self.base)))
            .send()
            .await
            .unwrap();
        let status = resp.status();
        let kind = resp
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        (status, kind, resp.bytes().await.unwrap().to_vec())
    }

    /// POSTs a form to `path` with the CSRF token of the last page read.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let csrf = self.csrf.clone();
        self.post_with_csrf(path, fields, &csrf).await
    }

    /// POSTs a form with a given CSRF token (a forged one, in access tests).
    pub async fn post_with_csrf(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        csrf: &str,
    ) -> Page {
        let mut form: Vec<(&str, &str)> = fields.to_vec();
        form.push(("csrf", csrf));
        let resp = self
            .with_cookie(self.client.post(format!("{}{path}", self.base)))
            .form(&form)
            .send()
            .await
            .unwrap();
        self.read(resp).await
    }

    /// POSTs a multipart form (files) with the CSRF token of the last page read.
    pub async fn post_multipart(&mut self, path: &str, form: reqwest::multipart::Form) -> Page {
        let form = form.text("csrf", self.csrf.clone());
        let resp = self
            .with_cookie(self.client.post(format!("{}{path}", self.base)))
            .multipart(form)
            .send()
            .await
            .unwrap();
        self.read(resp).await
    }
}
