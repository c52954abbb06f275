//! The web console (issue 13, item 1) over HTTP, as a browser would use it:
//! sign-in with its CSRF token, the session cookie, each role's home page,
//! sign-out, the nonce policy and the embedded assets. The cookies are carried
//! by hand, so every one the server sets is looked at.

use e2e::{ADMIN_PASSWORD, ADMIN_USERNAME, TestApp, spawn_app, spawn_app_with};
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, COOKIE, LOCATION, SET_COOKIE};
use serde_json::json;

use crate::world;

const SESSION: &str = "govcloud_session";
const PRE: &str = "govcloud_signin";

/// A client that does not follow redirects (they are asserted) and keeps no cookies.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The `Set-Cookie` line of cookie `name`, if the answer sets it.
fn set_cookie(resp: &reqwest::Response, name: &str) -> Option<String> {
    resp.headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|line| line.starts_with(&format!("{name}=")))
}

/// The value a `Set-Cookie` line sets.
fn value(line: &str) -> String {
    line.split(';')
        .next()
        .unwrap()
        .split_once('=')
        .unwrap()
        .1
        .to_owned()
}

/// The value of the hidden `csrf` field of the page's (first) form.
fn csrf_of(body: &str) -> String {
    let rest = body
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .expect("a csrf field");
    rest.split('"').next().unwrap().to_owned()
}

/// The sign-in page: its sign-in cookie's value, its CSRF token, its body and its policy.
struct LoginPage {
    pre: String,
    csrf: String,
    body: String,
    policy: String,
    pre_line: String,
}

async fn login_page(app: &TestApp) -> LoginPage {
    let resp = browser()
        .get(format!("{}/login", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let pre_line = set_cookie(&resp, PRE).expect("the sign-in cookie");
    let policy = resp.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let body = resp.text().await.unwrap();
    LoginPage {
        pre: value(&pre_line),
        csrf: csrf_of(&body),
        body,
        policy,
        pre_line,
    }
}

async fn post_login(
    app: &TestApp,
    pre: Option<&str>,
    csrf: Option<&str>,
    username: &str,
    password: &str,
) -> reqwest::Response {
    let mut form = vec![("username", username), ("password", password)];
    if let Some(c) = csrf {
        form.push(("csrf", c));
    }
    let mut req = browser().post(format!("{}/login", app.base)).form(&form);
    if let Some(p) = pre {
        req = req.header(COOKIE, format!("{PRE}={p}"));
    }
    req.send().await.unwrap()
}

/// Signs in through the form; the session cookie's `Set-Cookie` line.
async fn sign_in(app: &TestApp, username: &str, password: &str) -> String {
    let page = login_page(app).await;
    let resp = post_login(app, Some(&page.pre), Some(&page.csrf), username, password).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER, "{username} signs in");
    assert_eq!(resp.headers()[LOCATION], "/");
    set_cookie(&resp, SESSION).expect("a session cookie")
}

async fn home(app: &TestApp, session: &str) -> reqwest::Response {
    browser()
        .get(format!("{}/", app.base))
        .header(COOKIE, format!("{SESSION}={session}"))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_root_sends_a_stranger_to_the_sign_in_page() {
    let app = spawn_app().await;
    for cookie in [None, Some("govcloud_session=not-a-token")] {
        let mut req = browser().get(format!("{}/", app.base));
        if let Some(c) = cookie {
            req = req.header(COOKIE, c);
        }
        let resp = req.send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::SEE_OTHER, "{cookie:?}");
        assert_eq!(resp.headers()[LOCATION], "/login");
    }
}

#[tokio::test]
async fn the_sign_in_page_is_chinese_with_a_csrf_token_and_a_nonce_policy() {
    let app = spawn_app().await;
    let page = login_page(&app).await;
    assert!(page.body.contains("<html lang=\"zh-CN\">"));
    assert!(page.body.contains("用户名") && page.body.contains("密码"));
    assert_eq!(page.csrf.len(), 64, "an HMAC-SHA256 in hex");
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(page.pre_line.contains(attribute), "{}", page.pre_line);
    }
    assert!(!page.pre_line.contains("Secure"), "served over plain HTTP");
    // The policy: nothing by default, scripts only with this page's nonce.
    let nonce = page
        .policy
        .split("script-src 'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a script nonce");
    assert!(nonce.len() >= 22, "{nonce}");
    assert_eq!(page.policy, api::web::csp::policy_with(nonce));
    let scripts: Vec<&str> = page.body.split("<script").skip(1).collect();
    assert!(!scripts.is_empty(), "the page loads htmx");
    for script in scripts {
        let tag = script.split('>').next().unwrap();
        assert!(tag.contains(&format!("nonce=\"{nonce}\"")), "{tag}");
    }
    // Another page, another nonce.
    let again = login_page(&app).await;
    assert_ne!(again.policy, page.policy);
}

#[tokio::test]
async fn a_wrong_password_is_told_in_chinese_and_sets_no_session() {
    let app = spawn_app().await;
    let page = login_page(&app).await;
    for (username, password) in [
        (ADMIN_USERNAME, "Wrong-pass-2026"),
        ("nobody", ADMIN_PASSWORD),
    ] {
        let resp = post_login(&app, Some(&page.pre), Some(&page.csrf), username, password).await;
        assert_eq!(resp.status(), StatusCode::OK);
        assert_eq!(set_cookie(&resp, SESSION), None);
        let body = resp.text().await.unwrap();
        assert!(body.contains("用户名或密码错误"), "{body}");
        assert!(body.contains("15 分钟"), "the lockout rule is said");
    }
    let resp = post_login(&app, Some(&page.pre), Some(&page.csrf), "", "").await;
    let body = resp.text().await.unwrap();
    assert!(body.contains("请输入用户名") && body.contains("请输入密码"));
}

#[tokio::test]
async fn the_console_and_graphql_share_the_throttle() {
    let app = spawn_app().await;
    let page = login_page(&app).await;
    for _ in 0..5 {
        let resp = post_login(
            &app,
            Some(&page.pre),
            Some(&page.csrf),
            ADMIN_USERNAME,
            "Wrong-1",
        )
        .await;
        assert_eq!(resp.status(), StatusCode::OK);
    }
    // Locked now: the right password gets the same answer, in both edges.
    let resp = post_login(
        &app,
        Some(&page.pre),
        Some(&page.csrf),
        ADMIN_USERNAME,
        ADMIN_PASSWORD,
    )
    .await;
    assert_eq!(set_cookie(&resp, SESSION), None);
    assert!(resp.text().await.unwrap().contains("用户名或密码错误"));
    let answer = app
        .gql(
            None,
            "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }",
            json!({"u": ADMIN_USERNAME, "p": ADMIN_PASSWORD}),
        )
        .await;
    assert_eq!(
        answer.error_codes(),
        ["UNAUTHENTICATED"],
        "a wrong password's answer"
    );
}

#[tokio::test]
async fn the_right_password_sets_a_strict_http_only_session_holding_the_api_token() {
    let app = spawn_app().await;
    let line = sign_in(&app, ADMIN_USERNAME, ADMIN_PASSWORD).await;
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age="] {
        assert!(line.contains(attribute), "{line}");
    }
    assert!(!line.contains("Secure"), "served over plain HTTP");
    let session = value(&line);
    // The same token the API issues: one access layer.
    let me = app.must(&session, "{ me { username } }", json!({})).await;
    assert_eq!(me["me"]["username"], ADMIN_USERNAME);
    let resp = home(&app, &session).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(
        resp.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("script-src 'nonce-")
    );
    let body = resp.text().await.unwrap();
    assert!(body.contains("admin（系统管理员）"), "{body}");
    // No region yet: the administrator is told what to create first.
    assert!(
        body.contains("退出登录") && body.contains("尚无监管区域"),
        "{body}"
    );
    // Signed in, the sign-in page sends home.
    let resp = browser()
        .get(format!("{}/login", app.base))
        .header(COOKIE, format!("{SESSION}={session}"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(resp.headers()[LOCATION], "/");
}

#[tokio::test]
async fn the_session_cookie_is_secure_when_the_public_url_is_https() {
    let app = spawn_app_with(|c| {
        c.http.public_url = Some("https://supervision.example.gov.cn".into());
    })
    .await;
    let page = login_page(&app).await;
    assert!(page.pre_line.contains("; Secure"), "{}", page.pre_line);
    let line = sign_in(&app, ADMIN_USERNAME, ADMIN_PASSWORD).await;
    assert!(line.contains("; Secure"), "{line}");
}

#[tokio::test]
async fn a_form_without_or_with_a_forged_csrf_token_is_refused() {
    let app = spawn_app().await;
    let page = login_page(&app).await;
    let other = login_page(&app).await;
    let forged = "0".repeat(64);
    for (pre, csrf) in [
        (Some(page.pre.as_str()), None),
        (Some(page.pre.as_str()), Some(forged.as_str())),
        // Another browser's token, or a token without its cookie.
        (Some(page.pre.as_str()), Some(other.csrf.as_str())),
        (None, Some(page.csrf.as_str())),
    ] {
        let resp = post_login(&app, pre, csrf, ADMIN_USERNAME, ADMIN_PASSWORD).await;
        assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{pre:?} {csrf:?}");
        assert_eq!(set_cookie(&resp, SESSION), None);
        assert!(resp.text().await.unwrap().contains("请求被拒绝"));
    }
    // Sign-out too: a forged token leaves the session as it was.
    let session = value(&sign_in(&app, ADMIN_USERNAME, ADMIN_PASSWORD).await);
    let resp = browser()
        .post(format!("{}/logout", app.base))
        .header(COOKIE, format!("{SESSION}={session}"))
        .form(&[("csrf", forged.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    assert_eq!(set_cookie(&resp, SESSION), None);
    assert_eq!(home(&app, &session).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn sign_out_clears_the_session_cookie() {
    let app = spawn_app().await;
    let session = value(&sign_in(&app, ADMIN_USERNAME, ADMIN_PASSWORD).await);
    let body = home(&app, &session).await.text().await.unwrap();
    let resp = browser()
        .post(format!("{}/logout", app.base))
        .header(COOKIE, format!("{SESSION}={session}"))
        .form(&[("csrf", csrf_of(&body).as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(resp.headers()[LOCATION], "/login");
    let line = set_cookie(&resp, SESSION).expect("the cookie is cleared");
    assert_eq!(value(&line), "");
    assert!(line.contains("Max-Age=0"), "{line}");
}

#[tokio::test]
async fn each_role_sees_its_own_summary() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let regions = app
        .must(&w.admin, "{ regions { items { id name } } }", json!({}))
        .await;
    let name_of = |id: &str| {
        regions["regions"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap()["name"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let (one, two) = (name_of(&w.one.region), name_of(&w.two.region));
    world::publish_month(&app, &w, "2025-03").await;
    app.deliver_pending_mail().await;

    let body = |creds: (&'static str, &'static str)| {
        let app = &app;
        async move {
            let session = value(&sign_in(app, creds.0, creds.1).await);
            home(app, &session).await.text().await.unwrap()
        }
    };
    let supervisor = body(world::SUPERVISOR).await;
    assert!(supervisor.contains("sup1（监管人员）"), "{supervisor}");
    assert!(supervisor.contains(&one), "{supervisor}");
    assert!(!supervisor.contains(&two), "its own region only");
    assert!(
        supervisor.contains("2025年3月")
            && supervisor.contains("月度考核")
            && supervisor.contains("已完成")
    );
    assert!(
        supervisor.contains("年") && supervisor.contains("月"),
        "a local date"
    );

    let vendor = body(world::VENDOR).await;
    assert!(vendor.contains("vendor1（云服务商）"), "{vendor}");
    // Its one published result (March 2025), its total with two decimals.
    let score = vendor
        .split("<td class=\"num\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .expect("the published score");
    assert_eq!(score.split('.').nth(1).map(str::len), Some(2), "{score}");
    assert!(vendor.contains("2025年3月"), "{vendor}");

    let agency = body(world::AGENCY).await;
    assert!(agency.contains("agency1（使用单位）"), "{agency}");
    // Its one complaint of the world, by its text (the home page's own rules
    // are in `console_agency`).
    assert!(agency.contains("本单位的投诉"), "{agency}");
    assert!(agency.contains("<td>延误</td>"), "{agency}");
}

#[tokio::test]
async fn the_assets_are_served_from_the_binary_with_their_types() {
    let app = spawn_app().await;
    for (path, content_type, immutable) in [
        ("/assets/htmx-2.0.8.min.js", "text/javascript", true),
        ("/assets/echarts-6.0.0.min.js", "text/javascript", true),
        ("/assets/console.css", "text/css", false),
    ] {
        let resp = browser()
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK, "{path}");
        let headers = resp.headers();
        assert!(
            headers[CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with(content_type),
            "{path}"
        );
        assert_eq!(headers["x-content-type-options"], "nosniff");
        let cache = headers["cache-control"].to_str().unwrap().to_owned();
        assert_eq!(
            cache.contains("max-age=31536000, immutable"),
            immutable,
            "{path}: {cache}"
        );
        assert!(!resp.bytes().await.unwrap().is_empty());
    }
    let missing = browser()
        .get(format!("{}/assets/nothing.js", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}
