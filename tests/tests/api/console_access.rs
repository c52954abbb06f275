//! Who may open which console page and download (issue 13, "Access"): every
//! page as every role, the same rules as the GraphQL access tests
//! (`access.rs`): supervisors and administrators read every region's facts
//! and write their own; a vendor reads only its own published results and
//! notices; an agency only its own filings. A stranger is sent to sign in.
//! A page that is not the caller's answers 403 or 404 and never shows the
//! other party's data; a form posted with a forged CSRF token is refused.
//!
//! Each page area adds its rows to `cases`.

use e2e::console::ConsoleUser;
use e2e::{ADMIN_PASSWORD, ADMIN_USERNAME, TestApp, spawn_app};
use reqwest::StatusCode;
use serde_json::json;

use crate::world::{self, AGENCY, SUPERVISOR, VENDOR, World};

/// The second vendor's user, bound to side two.
const OTHER_VENDOR: (&str, &str) = ("vendor2", "Vendor-pass-2");

/// Who asks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Stranger,
    Admin,
    Supervisor,
    Vendor,
    OtherVendor,
    Agency,
}

const EVERYONE: [Who; 6] = [
    Who::Stranger,
    Who::Admin,
    Who::Supervisor,
    Who::Vendor,
    Who::OtherVendor,
    Who::Agency,
];

/// What they get.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Gets {
    /// 200 and the page.
    Page,
    /// 403 or 404: not theirs, and nothing of it shown.
    Denied,
    /// 303 to the sign-in page.
    SignIn,
}

/// A page, what each caller gets, and a text only the page's rightful
/// readers may see (checked absent from every denied answer).
struct Case {
    path: String,
    gets: fn(Who) -> Gets,
    secret: Option<String>,
}

/// Signed-in pages every role may open (their own version of it).
fn everyone_signed_in(who: Who) -> Gets {
    match who {
        Who::Stranger => Gets::SignIn,
        _ => Gets::Page,
    }
}

/// An agency's own forms: only an agency files through them.
fn agency_only(who: Who) -> Gets {
    match who {
        Who::Stranger => Gets::SignIn,
        Who::Agency => Gets::Page,
        _ => Gets::Denied,
    }
}

fn cases(_w: &World) -> Vec<Case> {
    vec![
        Case {
            path: "/".into(),
            gets: everyone_signed_in,
            secret: None,
        },
        Case {
            path: "/complaints/new".into(),
            gets: agency_only,
            secret: Some("系统1".into()),
        },
        Case {
            path: "/surveys/new".into(),
            gets: agency_only,
            secret: Some("您对云服务商资源交付及时性是否满意".into()),
        },
    ]
}

struct Callers {
    users: Vec<(Who, ConsoleUser)>,
}

impl Callers {
    async fn sign_in(app: &TestApp, w: &World) -> Self {
        let user = "mutation($i: CreateUserInput!) { createUser(input: $i) { id } }";
        app.must(
            &w.admin,
            user,
            json!({"i": {"username": OTHER_VENDOR.0, "password": OTHER_VENDOR.1,
                         "role": "VENDOR", "vendorId": w.two.vendor}}),
        )
        .await;
        let mut users = vec![(Who::Stranger, ConsoleUser::stranger(app))];
        for (who, (name, pass)) in [
            (Who::Admin, (ADMIN_USERNAME, ADMIN_PASSWORD)),
            (Who::Supervisor, SUPERVISOR),
            (Who::Vendor, VENDOR),
            (Who::OtherVendor, OTHER_VENDOR),
            (Who::Agency, AGENCY),
        ] {
            users.push((who, ConsoleUser::sign_in(app, name, pass).await));
        }
        Self { users }
    }
}

#[tokio::test]
async fn every_page_as_every_role() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    world::publish_month(&app, &w, "2025-03").await;
    let mut callers = Callers::sign_in(&app, &w).await;
    for case in cases(&w) {
        for (who, user) in callers.users.iter_mut() {
            let expected = (case.gets)(*who);
            let page = user.get(&case.path).await;
            let got = match page.status {
                StatusCode::OK => Gets::Page,
                StatusCode::FORBIDDEN | StatusCode::NOT_FOUND => Gets::Denied,
                StatusCode::SEE_OTHER
                    if page
                        .location
                        .as_deref()
                        .is_some_and(|l| l.starts_with("/login")) =>
                {
                    Gets::SignIn
                }
                other => panic!("{} as {who:?}: {other}", case.path),
            };
            assert_eq!(got, expected, "{} as {who:?}", case.path);
            if got != Gets::Page
                && let Some(secret) = &case.secret
            {
                assert!(
                    !page.body.contains(secret.as_str()),
                    "{} as {who:?}",
                    case.path
                );
            }
        }
    }
    let _ = EVERYONE;
    app.deliver_pending_mail().await;
}

#[tokio::test]
async fn a_forged_csrf_token_is_refused_on_every_form() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let mut supervisor = ConsoleUser::sign_in(&app, SUPERVISOR.0, SUPERVISOR.1).await;
    let forged = "00".repeat(32);
    // Each page area adds its forms here: (path, fields).
    let forms: Vec<(String, Vec<(&str, &str)>)> = vec![
        ("/logout".into(), vec![]),
        (
            "/complaints/new".into(),
            vec![
                ("system_id", w.one.system.as_str()),
                ("channel", "OTHER"),
                ("description", "伪造"),
                ("received_at", "2025-03-05T08:30"),
            ],
        ),
        (
            "/surveys/new".into(),
            vec![("vendor_id", w.one.vendor.as_str()), ("q1", "4")],
        ),
    ];
    for (path, fields) in forms {
        let page = supervisor.post_with_csrf(&path, &fields, &forged).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{path}");
        assert!(page.body.contains("请求被拒绝"), "{path}");
    }
    let _ = w;
}
