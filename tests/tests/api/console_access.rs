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

/// Pages of V1 (its notice, its trend): the administrator, R1's supervisor
/// and V1 itself.
fn v1_readers(who: Who) -> Gets {
    match who {
        Who::Stranger => Gets::SignIn,
        Who::Admin | Who::Supervisor | Who::Vendor => Gets::Page,
        Who::OtherVendor | Who::Agency => Gets::Denied,
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

/// Administrators and supervisors: who records facts.
fn recorders(who: Who) -> Gets {
    match who {
        Who::Stranger => Gets::SignIn,
        Who::Admin | Who::Supervisor => Gets::Page,
        Who::Vendor | Who::OtherVendor | Who::Agency => Gets::Denied,
    }
}

/// A kind every fact reader lists: the store lists a vendor its own facts;
/// an agency lists none of the supervisors' facts.
fn fact_readers(who: Who) -> Gets {
    match who {
        Who::Agency => Gets::Denied,
        other => everyone_signed_in(other),
    }
}

/// Side one's fact: its region's supervisor, the administrator, its vendor.
fn side_one_fact(who: Who) -> Gets {
    match who {
        Who::Stranger => Gets::SignIn,
        Who::Admin | Who::Supervisor | Who::Vendor => Gets::Page,
        Who::OtherVendor | Who::Agency => Gets::Denied,
    }
}

/// Side one's complaint or survey: also the agency that filed it.
fn side_one_filing(who: Who) -> Gets {
    match who {
        Who::Agency => Gets::Page,
        other => side_one_fact(other),
    }
}

/// Side two's fact: the administrator and side two's vendor only.
fn side_two_fact(who: Who) -> Gets {
    match who {
        Who::Stranger => Gets::SignIn,
        Who::Admin | Who::OtherVendor => Gets::Page,
        Who::Supervisor | Who::Vendor | Who::Agency => Gets::Denied,
    }
}

fn fact(side: &world::Side, list: &str) -> String {
    side.facts
        .iter()
        .find(|(l, _)| *l == list)
        .map(|(_, id)| id.clone())
        .expect("a fact of the kind")
}

/// The fact pages: lists, forms and each side's records.
fn fact_cases(w: &World) -> Vec<Case> {
    let case = |path: String, gets: fn(Who) -> Gets| Case {
        path,
        gets,
        secret: None,
    };
    vec![
        // The kinds with the caller's counts (an agency: its own filings).
        case("/facts".into(), everyone_signed_in),
        case("/facts/work-orders".into(), fact_readers),
        case("/facts/complaints".into(), everyone_signed_in),
        case("/facts/work-orders/new".into(), recorders),
        case("/facts/survey-responses/new".into(), recorders),
        case(
            format!("/facts/work-orders/{}", fact(&w.one, "workOrders")),
            side_one_fact,
        ),
        case(
            format!("/facts/faults/{}", fact(&w.one, "faults")),
            side_one_fact,
        ),
        case(
            format!("/facts/complaints/{}", fact(&w.one, "complaints")),
            side_one_filing,
        ),
        case(
            format!(
                "/facts/survey-responses/{}",
                fact(&w.one, "surveyResponses")
            ),
            side_one_filing,
        ),
        case(
            format!("/facts/work-orders/{}", fact(&w.two, "workOrders")),
            side_two_fact,
        ),
        case(
            format!("/facts/complaints/{}", fact(&w.two, "complaints")),
            side_two_fact,
        ),
        case("/facts/no-such-kind".into(), |who| match who {
            Who::Stranger => Gets::SignIn,
            _ => Gets::Denied,
        }),
    ]
}

/// A published result of side one: its supervisors, administrators and its vendor.
fn side_one_result(who: Who) -> Gets {
    match who {
        Who::Stranger => Gets::SignIn,
        Who::Admin | Who::Supervisor | Who::Vendor => Gets::Page,
        Who::OtherVendor | Who::Agency => Gets::Denied,
    }
}

/// A published result of side two: its vendor and administrators; R1's
/// supervisor reads its own region's results only (`Policy::FACT`).
fn side_two_result(who: Who) -> Gets {
    match who {
        Who::Stranger => Gets::SignIn,
        Who::Admin | Who::OtherVendor => Gets::Page,
        Who::Supervisor | Who::Vendor | Who::Agency => Gets::Denied,
    }
}

/// A draft result: supervision teams only, never a vendor.
fn draft_result(who: Who) -> Gets {
    match who {
        Who::Stranger => Gets::SignIn,
        Who::Admin | Who::Supervisor => Gets::Page,
        Who::Vendor | Who::OtherVendor | Who::Agency => Gets::Denied,
    }
}

/// The scorecards (`/results/{id}`): R1's March published (V1), R2's March
/// published (V2), then R1's March run again (V1's draft revision 2).
async fn scorecard_cases(app: &TestApp, w: &World) -> Vec<Case> {
    use crate::console_dashboards::{publish_r2_march, rerun_r1_march};
    let one = app
        .must(
            &w.supervisor,
            "query($r: ID!) { ranking(regionId: $r, period: \"2025-03\") { resultId } }",
            json!({"r": w.one.region}),
        )
        .await["ranking"][0]["resultId"]
        .as_str()
        .unwrap()
        .to_owned();
    let two = publish_r2_march(app, w).await;
    let draft = rerun_r1_march(app, w).await;
    let case = |id: String, gets: fn(Who) -> Gets| Case {
        path: format!("/results/{id}"),
        gets,
        secret: Some("评分表".into()),
    };
    vec![
        case(one, side_one_result),
        case(two, side_two_result),
        case(draft, draft_result),
    ]
}

/// V2's notice in R2: the administrator and V2 only (not R1's supervisor).
fn v2_readers(who: Who) -> Gets {
    match who {
        Who::Stranger => Gets::SignIn,
        Who::Admin | Who::OtherVendor => Gets::Page,
        Who::Supervisor | Who::Vendor | Who::Agency => Gets::Denied,
    }
}

/// The notices list: every role that has notices (an agency has none).
fn notice_listers(who: Who) -> Gets {
    match who {
        Who::Stranger => Gets::SignIn,
        Who::Agency => Gets::Denied,
        _ => Gets::Page,
    }
}

/// The notices the access test reads: V1's of March (with an attachment)
/// and a notice raised by hand for V2 in R2.
struct NoticeIds {
    v1: String,
    v1_number: String,
    v1_attachment: String,
    v2: String,
    v2_number: String,
}

fn cases(w: &World, n: &NoticeIds) -> Vec<Case> {
    let mut cases = vec![
        Case {
            path: "/".into(),
            gets: everyone_signed_in,
            secret: None,
        },
        Case {
            path: "/notices".into(),
            gets: notice_listers,
            secret: None,
        },
        Case {
            path: format!("/notices/{}", n.v1),
            gets: v1_readers,
            secret: Some(n.v1_number.clone()),
        },
        Case {
            path: format!("/notices/{}", n.v2),
            gets: v2_readers,
            secret: Some(n.v2_number.clone()),
        },
        Case {
            path: format!("/notices/{}/attachments/{}", n.v1, n.v1_attachment),
            gets: v1_readers,
            secret: Some("rectification report 4711".into()),
        },
        // The attachment asked for under another notice's address.
        Case {
            path: format!("/notices/{}/attachments/{}", n.v2, n.v1_attachment),
            gets: |who| match who {
                Who::Stranger => Gets::SignIn,
                _ => Gets::Denied,
            },
            secret: Some("rectification report 4711".into()),
        },
        Case {
            path: format!("/vendors/{}/trend", w.one.vendor),
            gets: v1_readers,
            secret: Some("88.38".into()),
        },
        Case {
            path: format!("/vendors/{}/trend?region={}", w.one.vendor, w.one.region),
            gets: v1_readers,
            secret: Some("88.38".into()),
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
        // The month's ranking for filing: the supervision team's only.
        Case {
            path: format!(
                "/exports/ranking.xlsx?region={}&month=2025-03",
                w.one.region
            ),
            gets: recorders,
            secret: None,
        },
    ];
    cases.extend(fact_cases(w));
    cases
}

/// V1's notice of March submitted with a PDF through the pages, and a notice
/// raised by the administrator for V2 in R2.
async fn notices(app: &TestApp, w: &World) -> NoticeIds {
    use crate::console_notices::{PDF, REPORT, acknowledge_and_submit, march_notice};
    let (v1, v1_number) = march_notice(app, w).await;
    let mut vendor = ConsoleUser::sign_in(app, VENDOR.0, VENDOR.1).await;
    acknowledge_and_submit(&mut vendor, &v1, &[(REPORT, PDF)]).await;
    let seen = app
        .must(
            &w.vendor,
            "query($id: ID!) { notice(id: $id) { attachments { id } } }",
            json!({"id": v1}),
        )
        .await;
    let v2 = app
        .must(&w.admin, CREATE_NOTICE, json!({"i": {"regionId": w.two.region, "vendorId": w.two.vendor, "reason": "巡检发现问题"}}))
        .await["createNotice"]
        .clone();
    NoticeIds {
        v1,
        v1_number,
        v1_attachment: seen["notice"]["attachments"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned(),
        v2: v2["id"].as_str().unwrap().to_owned(),
        v2_number: v2["documentNumber"].as_str().unwrap().to_owned(),
    }
}

const CREATE_NOTICE: &str =
    "mutation($i: CreateNoticeInput!) { createNotice(input: $i) { id documentNumber } }";

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

/// Imports (issue 14): the page and the templates are the supervision
/// team's; an upload's preview is its uploader's alone (R1's supervisor).
async fn import_cases(app: &TestApp) -> Vec<Case> {
    let mut sup = ConsoleUser::sign_in(app, SUPERVISOR.0, SUPERVISOR.1).await;
    let file = crate::console_imports::three_work_orders("2025-03-20 08:00");
    let kept = crate::console_imports::upload(&mut sup, "work-orders", "工单.xlsx", file).await;
    let batch = kept.location.expect("the preview's address");
    vec![
        Case {
            path: "/imports".into(),
            gets: recorders,
            secret: None,
        },
        Case {
            path: "/imports/work-orders/template.xlsx".into(),
            gets: recorders,
            secret: None,
        },
        Case {
            path: "/imports/survey-responses/template.xlsx".into(),
            gets: recorders,
            secret: None,
        },
        Case {
            path: batch,
            gets: |who| match who {
                Who::Stranger => Gets::SignIn,
                Who::Supervisor => Gets::Page,
                _ => Gets::Denied,
            },
            secret: Some("WO-1001".into()),
        },
    ]
}

#[tokio::test]
async fn every_page_as_every_role() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    world::publish_month(&app, &w, "2025-03").await;
    let ids = notices(&app, &w).await;
    let mut callers = Callers::sign_in(&app, &w).await;
    let mut all = cases(&w, &ids);
    all.extend(scorecard_cases(&app, &w).await);
    all.extend(import_cases(&app).await);
    for case in all {
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
    let notice = app
        .must(&w.admin, CREATE_NOTICE, json!({"i": {"regionId": w.one.region, "vendorId": w.one.vendor, "reason": "巡检发现问题"}}))
        .await["createNotice"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let file = crate::console_imports::three_work_orders("2025-03-20 08:00");
    let kept =
        crate::console_imports::upload(&mut supervisor, "work-orders", "工单.xlsx", file.clone())
            .await;
    let batch = kept.location.expect("the preview's address");
    // Each page area adds its forms here: (path, fields).
    let r1 = w.one.region.as_str();
    let run = [("region", r1), ("month", "2025-03"), ("year", "2025")];
    let fact = format!("/facts/work-orders/{}", fact(&w.one, "workOrders"));
    let work_order = vec![("title", "伪造"), ("approvedAt", "2025-03-03T09:00")];
    let forms: Vec<(String, Vec<(&str, &str)>)> = vec![
        ("/logout".into(), vec![]),
        ("/runs/monthly".into(), run.to_vec()),
        ("/runs/annual".into(), run.to_vec()),
        ("/runs/1/publish".into(), run.to_vec()),
        ("/facts/work-orders/new".into(), work_order.clone()),
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
        (fact, work_order),
        (format!("/notices/{notice}/acknowledge"), vec![]),
        (format!("/notices/{notice}/accept"), vec![]),
        (format!("/notices/{notice}/reopen"), vec![]),
        // Not even a multipart body: refused all the same.
        (
            format!("/notices/{notice}/submit"),
            vec![("rectification", "x")],
        ),
        ("/imports".into(), vec![("kind", "work-orders")]),
        (batch.clone(), vec![]),
    ];
    for (path, fields) in forms {
        let page = supervisor.post_with_csrf(&path, &fields, &forged).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{path}");
        assert!(page.body.contains("请求被拒绝"), "{path}");
    }
    // The rectification's form as a browser sends it (multipart), token forged.
    let mut vendor = ConsoleUser::sign_in(&app, VENDOR.0, VENDOR.1).await;
    vendor.get(&format!("/notices/{notice}")).await;
    vendor.csrf = forged.clone();
    let form = crate::console_notices::submission("已整改", &[]);
    let page = vendor
        .post_multipart(&format!("/notices/{notice}/submit"), form)
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(page.body.contains("请求被拒绝"));
    // The import's upload as a browser sends it (multipart), token forged.
    supervisor.get("/imports").await;
    supervisor.csrf = forged.clone();
    let page = crate::console_imports::upload_with_current_token(
        &mut supervisor,
        "work-orders",
        "工单.xlsx",
        file,
    )
    .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(page.body.contains("请求被拒绝"));
    // Nothing was imported: the world's one work order of R1.
    let orders = app
        .must(&w.admin, "{ workOrders { total } }", json!({}))
        .await;
    assert_eq!(orders["workOrders"]["total"], 2, "one per side");
    // Nothing was taken: the notice is still as issued.
    let still = app
        .must(
            &w.vendor,
            "query($id: ID!) { notice(id: $id) { status } }",
            json!({"id": notice}),
        )
        .await;
    assert_eq!(still["notice"]["status"], "ISSUED");
    // Nothing was run.
    let runs = app
        .must(&w.admin, "{ assessmentRuns { total } }", json!({}))
        .await;
    assert_eq!(runs["assessmentRuns"]["total"], 0);
    app.deliver_pending_mail().await;
}
