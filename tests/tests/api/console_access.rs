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

/// R2's documents for filing: its supervision team; R1's supervisor reads
/// its own region's only.
fn region_two_team(who: Who) -> Gets {
    match who {
        Who::Stranger => Gets::SignIn,
        Who::Admin => Gets::Page,
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
    // Each scorecard as its page, its `.xlsx` and its print page (issue 14).
    let cases = |id: String, gets: fn(Who) -> Gets| {
        [
            format!("/results/{id}"),
            format!("/exports/results/{id}.xlsx"),
            format!("/print/results/{id}"),
        ]
        .map(|path| Case {
            path,
            gets,
            secret: Some("评分表".into()),
        })
    };
    [
        cases(one, side_one_result),
        cases(two, side_two_result),
        cases(draft, draft_result),
    ]
    .into_iter()
    .flatten()
    .collect()
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
    cases.extend(filing_cases(w));
    cases.extend(fact_cases(w));
    cases.extend(metering_cases(w));
    cases
}

/// The metered bill of R1 (`/metering`, its `.xlsx`): R1's supervisor and the
/// administrators all of it; each vendor and agency its own lines (an empty
/// bill when it has none, never another's: `metering.rs`); R2's bill is not
/// R1's supervisor's.
fn metering_cases(w: &World) -> Vec<Case> {
    let (r1, r2) = (&w.one.region, &w.two.region);
    let own_lines = |who: Who| match who {
        Who::Stranger => Gets::SignIn,
        _ => Gets::Page,
    };
    let other_region = |who: Who| match who {
        Who::Stranger => Gets::SignIn,
        Who::Supervisor => Gets::Denied,
        _ => Gets::Page,
    };
    let case = |path: String, gets: fn(Who) -> Gets| Case {
        path,
        gets,
        secret: None,
    };
    vec![
        case(format!("/metering?region={r1}&year=2025"), own_lines),
        case(format!("/exports/metering/{r1}/2025.xlsx"), own_lines),
        case(format!("/metering?region={r2}&year=2025"), other_region),
        case(format!("/exports/metering/{r2}/2025.xlsx"), other_region),
    ]
}

/// The documents for filing (issue 14, item 2): the month's ranking and the
/// service year's results, as `.xlsx` and print pages, are the supervision
/// team's of the region (the scorecards' are in `scorecard_cases`).
fn filing_cases(w: &World) -> Vec<Case> {
    let (r1, r2) = (&w.one.region, &w.two.region);
    let case = |path: String, gets: fn(Who) -> Gets, secret: Option<&str>| Case {
        path,
        gets,
        secret: secret.map(str::to_owned),
    };
    vec![
        case(
            format!("/print/ranking?region={r1}&month=2025-03"),
            recorders,
            Some("88.38"),
        ),
        case(
            format!("/exports/annual.xlsx?region={r1}&year=2025"),
            recorders,
            None,
        ),
        case(
            format!("/print/annual?region={r1}&year=2025"),
            recorders,
            Some("服务年度（2025-01..2025-12）考核结果"),
        ),
        case(
            format!("/exports/ranking.xlsx?region={r2}&month=2025-03"),
            region_two_team,
            None,
        ),
        case(
            format!("/print/ranking?region={r2}&month=2025-03"),
            region_two_team,
            Some("月度考核排名"),
        ),
        case(
            format!("/exports/annual.xlsx?region={r2}&year=2025"),
            region_two_team,
            None,
        ),
        case(
            format!("/print/annual?region={r2}&year=2025"),
            region_two_team,
            Some("服务年度（2025-01..2025-12）考核结果"),
        ),
    ]
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

/// The administrator's pages: the administrator only.
fn admin_only(who: Who) -> Gets {
    match who {
        Who::Stranger => Gets::SignIn,
        Who::Admin => Gets::Page,
        _ => Gets::Denied,
    }
}

/// The audit trail: the administrator, and a region's supervisor for its
/// region's entries (`auditEntries`).
fn audit_readers(who: Who) -> Gets {
    match who {
        Who::Admin | Who::Supervisor => Gets::Page,
        other => admin_only(other),
    }
}

/// The administration pages (issue 14, item 4).
async fn admin_cases(app: &TestApp, w: &World) -> Vec<Case> {
    let vendor1 = world::user_id(app, w, VENDOR.0).await;
    let vendor1 = vendor1.as_str().unwrap();
    let case = |path: String, secret: Option<&str>| Case {
        path,
        gets: admin_only,
        secret: secret.map(str::to_owned),
    };
    vec![
        case("/admin".into(), Some("工作日历")),
        case("/admin/users".into(), Some("vendor1")),
        case("/admin/users/new".into(), None),
        case(format!("/admin/users/{vendor1}"), Some("vendor1")),
        case("/admin/regions".into(), Some("区2")),
        case("/admin/regions/new".into(), None),
        case(format!("/admin/regions/{}", w.two.region), Some("区2")),
        case("/admin/vendors".into(), Some("ops2@v.example.cn")),
        case("/admin/vendors/new".into(), None),
        case(
            format!("/admin/vendors/{}", w.two.vendor),
            Some("ops2@v.example.cn"),
        ),
        case("/admin/schemes".into(), Some("sh-songjiang")),
        case("/admin/schemes/new".into(), None),
        case(
            "/admin/schemes/sh-municipal/1".into(),
            Some("服务交付及时率"),
        ),
        case("/admin/calendar".into(), Some("调休上班日")),
        case("/admin/catalogue".into(), Some("导入价格")),
        Case {
            path: "/admin/audit".into(),
            gets: audit_readers,
            secret: Some("新建用户".into()),
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

/// Disputes (issue 14, item 3): V1's dispute of its March complaint, filed
/// with a PDF through its scorecard; the list is every role's that has
/// disputes (an agency has none), the dispute and its file V1's readers'.
async fn dispute_cases(app: &TestApp, w: &World) -> Vec<Case> {
    use crate::console_notices::PDF;
    use crate::disputes::{complaint, vendor_march};
    let result = vendor_march(app, w).await;
    let mut vendor = ConsoleUser::sign_in(app, VENDOR.0, VENDOR.1).await;
    vendor.get(&format!("/results/{result}")).await;
    let form = reqwest::multipart::Form::new()
        .text("fact", format!("complaint:{}", complaint(w)))
        .text("reason", "申诉理由 8123")
        .part(
            "file",
            reqwest::multipart::Part::bytes(PDF.to_vec()).file_name("证明.pdf"),
        );
    let filed = vendor
        .post_multipart(&format!("/results/{result}/disputes"), form)
        .await;
    let page = filed.location.expect("the dispute's page");
    vec![
        Case {
            path: "/disputes".into(),
            gets: notice_listers,
            secret: Some("申诉理由 8123".into()),
        },
        Case {
            path: page.clone(),
            gets: v1_readers,
            secret: Some("申诉理由 8123".into()),
        },
        Case {
            path: format!("{page}/attachment"),
            gets: v1_readers,
            secret: Some("rectification report 4711".into()),
        },
    ]
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

/// Side one's quota: the administrator, R1's supervisor, V1 and A1 (the
/// agency of the system); not V2.
fn side_one_quota(who: Who) -> Gets {
    match who {
        Who::Stranger => Gets::SignIn,
        Who::OtherVendor => Gets::Denied,
        _ => Gets::Page,
    }
}

/// Quotas and usage (issue 16): the lists are every signed-in role's (each
/// its own rows), S1's quota its readers'.
async fn quota_cases(app: &TestApp, w: &World) -> Vec<Case> {
    let item = crate::quotas::vcpu(app, w).await;
    let input = json!({"i": {"systemId": w.one.system, "itemId": item, "quantity": "100", "note": "配额备注 6217"}});
    let quota = e2e::id_of(
        &app.must(&w.supervisor, crate::quotas::APPLY, input).await,
        "applyQuota",
    );
    vec![
        Case {
            path: "/quotas".into(),
            gets: everyone_signed_in,
            secret: None,
        },
        Case {
            path: "/usage".into(),
            gets: everyone_signed_in,
            secret: None,
        },
        Case {
            path: format!("/quotas/{quota}"),
            gets: side_one_quota,
            secret: Some("配额备注 6217".into()),
        },
    ]
}

/// The breach register (issue 15 item 4): R1 under bj-lease with V1's
/// contract, one breach recorded (confirmed) and one proposal. The list is
/// every role's that has breaches (an agency has none); the confirmed breach
/// V1's readers'; the proposal the supervision team's only (a vendor sees no
/// proposals); recording is the supervision team's.
async fn breach_cases(app: &TestApp, w: &World) -> Vec<Case> {
    use crate::breach_register::{beijing, event, general, propose, record};
    let contract = beijing(app, w, "bj-lease").await;
    let mut input = event(w, general(&[5]));
    input["description"] = json!("违约描述 5521");
    let confirmed = record(app, w, input).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let proposal = propose(app, w, Some(&contract), &w.one.vendor).await;
    let case = |path: String, gets: fn(Who) -> Gets, secret: &str| Case {
        path,
        gets,
        secret: Some(secret.to_owned()),
    };
    vec![
        case("/breaches".into(), notice_listers, "违约描述 5521"),
        case(
            format!("/breaches/{confirmed}"),
            v1_readers,
            "违约描述 5521",
        ),
        case(
            format!("/breaches/{proposal}"),
            recorders,
            "系统宕机 150 分钟",
        ),
        case("/breaches/new".into(), recorders, "附件3 一般违约行为表"),
    ]
}

/// Settlement statements (issue 15 item 5): V1's contract, made for A1
/// (its agency reads it too), and V2's in R2 (its administrator and vendor).
async fn statement_cases(app: &TestApp, w: &World) -> Vec<Case> {
    let contracts = app
        .must(
            &w.admin,
            "{ contracts { items { id vendorId } } }",
            json!({}),
        )
        .await;
    let of = |vendor: &str| {
        contracts["contracts"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["vendorId"] == vendor)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let (one, two) = (of(&w.one.vendor), of(&w.two.vendor));
    let agency = format!(
        "UPDATE contracts SET agency_id = {} WHERE id = {one}",
        w.one.agency
    );
    crate::seed_contract::sql(app, &agency).await;
    let mut cases = Vec::new();
    for (id, gets, secret) in [
        (
            one,
            side_one_filing as fn(Who) -> Gets,
            "云1 · 2025 服务年度",
        ),
        (two, side_two_fact, "云2 · 2025 服务年度"),
    ] {
        for path in [
            format!("/contracts/{id}/statement"),
            format!("/print/statements/{id}"),
            format!("/exports/statements/{id}.xlsx"),
        ] {
            cases.push(Case {
                path,
                gets,
                secret: Some(secret.into()),
            });
        }
    }
    cases
}

/// Contracts (issue 15): the list is every role's but an agency's (its own
/// contracts only for a vendor); V1's contract and its terms V1's readers'.
async fn contract_cases(app: &TestApp, w: &World) -> Vec<Case> {
    let v1 = crate::console_contracts::contract_of(app, w, &w.one.vendor).await;
    let set = "mutation($id: ID!, $i: ContractScopeInput!) { setContractTerms(id: $id, input: $i) { id } }";
    let scope = json!({"termsCode": "bj-lease", "systems": [{"systemId": w.one.system}]});
    app.must(&w.admin, set, json!({"id": v1, "i": scope})).await;
    vec![
        Case {
            path: "/contracts".into(),
            gets: |who| match who {
                Who::Stranger => Gets::SignIn,
                Who::Agency => Gets::Denied,
                _ => Gets::Page,
            },
            secret: None,
        },
        Case {
            path: format!("/contracts/{v1}"),
            gets: v1_readers,
            secret: Some("系统1".into()),
        },
        Case {
            path: format!("/contracts/{v1}/terms"),
            gets: v1_readers,
            secret: Some("附件2 严重违约行为表".into()),
        },
    ]
}

/// The unified work order's pages (`console_work_orders::access_cases`):
/// the list every signed-in role's; S1's timeline its readers' (R1's
/// supervisor, V1, A1, the administrators); S2's R2's; S1's forms the
/// submitters' (A1, R1's supervisor, the administrators).
fn everyone_signed_in_page(who: Who) -> Gets {
    match who {
        Who::Stranger => Gets::SignIn,
        _ => Gets::Page,
    }
}

fn side_one_system(who: Who) -> Gets {
    match who {
        Who::Stranger => Gets::SignIn,
        Who::OtherVendor => Gets::Denied,
        _ => Gets::Page,
    }
}

fn side_two_system(who: Who) -> Gets {
    match who {
        Who::Stranger => Gets::SignIn,
        Who::Admin | Who::OtherVendor => Gets::Page,
        _ => Gets::Denied,
    }
}

fn side_one_writers(who: Who) -> Gets {
    match who {
        Who::Stranger => Gets::SignIn,
        Who::Admin | Who::Supervisor | Who::Agency => Gets::Page,
        _ => Gets::Denied,
    }
}

#[tokio::test]
async fn every_page_as_every_role() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    world::publish_month(&app, &w, "2025-03").await;
    let ids = notices(&app, &w).await;
    let mut callers = Callers::sign_in(&app, &w).await;
    let mut all = cases(&w, &ids);
    all.extend(dispute_cases(&app, &w).await);
    all.extend(scorecard_cases(&app, &w).await);
    all.extend(admin_cases(&app, &w).await);
    all.extend(import_cases(&app).await);
    all.extend(quota_cases(&app, &w).await);
    all.extend(breach_cases(&app, &w).await);
    // After the contracts': `setContractTerms` there rewrites V1's contract's
    // scope (agency included), and the statements' make A1 its agency.
    all.extend(contract_cases(&app, &w).await);
    all.extend(statement_cases(&app, &w).await);
    all.extend(
        crate::console_work_orders::access_cases(&w)
            .into_iter()
            .map(|(path, gets, secret)| Case {
                path,
                gets: match gets {
                    "signed-in" => everyone_signed_in_page,
                    "side-one" => side_one_system,
                    "side-two" => side_two_system,
                    _ => side_one_writers,
                },
                secret: secret.map(str::to_owned),
            }),
    );
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
        // Disputes: the decisions, and the filing (not even multipart).
        ("/disputes/1/accept".into(), vec![("clear", "CONFIRMED")]),
        ("/disputes/1/reject".into(), vec![("reason", "伪造")]),
        ("/results/1/disputes".into(), vec![("reason", "伪造")]),
        ("/imports".into(), vec![("kind", "work-orders")]),
        (
            "/metering/close".into(),
            vec![("region", r1), ("year", "2025")],
        ),
        // The breach register: recording, deciding, answering.
        (
            "/breaches/new".into(),
            vec![("system", w.one.system.as_str()), ("description", "伪造")],
        ),
        ("/breaches/1/confirm".into(), vec![]),
        ("/breaches/1/dismiss".into(), vec![("reason", "伪造")]),
        ("/breaches/1/answer".into(), vec![("answer", "ACCEPTED")]),
        (batch.clone(), vec![]),
        // Quotas and usage (the import's upload not even multipart).
        ("/quotas".into(), vec![("quantity", "1")]),
        ("/quotas/1/approve".into(), vec![]),
        ("/quotas/1/reject".into(), vec![("reason", "伪造")]),
        (
            "/quotas/1/delivery".into(),
            vec![("agreement_on", "2025-09-30")],
        ),
        ("/quotas/1/changes".into(), vec![("quantity", "1")]),
        ("/quota-changes/1/approve".into(), vec![]),
        ("/quota-changes/1/refuse".into(), vec![("reason", "伪造")]),
        ("/usage/import".into(), vec![("region", r1)]),
        ("/usage/import/confirm".into(), vec![("rows", "[]")]),
        // The statement's payment form.
        (
            "/contracts/1/statement/instalments/1".into(),
            vec![("paid_on", "2025-01-10")],
        ),
    ]
    .into_iter()
    .chain(crate::console_work_orders::forms(&w))
    .collect();
    // The administration's forms (the scheme's is multipart in a browser).
    let vendor1 = world::user_id(&app, &w, VENDOR.0).await;
    let vendor1 = vendor1.as_str().unwrap().to_owned();
    let user = vec![
        ("username", "forged"),
        ("password", "Forged-pass-1"),
        ("role", "ADMIN"),
    ];
    let region = vec![
        ("code", "RX"),
        ("name", "伪造"),
        ("schemeCode", "sh-municipal"),
    ];
    let vendor = vec![("code", "VX"), ("name", "伪造")];
    let forms: Vec<(String, Vec<(&str, &str)>)> = forms
        .into_iter()
        .chain([
            ("/admin/users/new".into(), user),
            (format!("/admin/users/{vendor1}/disable"), vec![]),
            (format!("/admin/users/{vendor1}/enable"), vec![]),
            (
                format!("/admin/users/{vendor1}/password"),
                vec![("password", "Forged-pass-1")],
            ),
            ("/admin/regions/new".into(), region.clone()),
            (format!("/admin/regions/{r1}"), region),
            ("/admin/vendors/new".into(), vendor.clone()),
            (format!("/admin/vendors/{}", w.one.vendor), vendor),
            ("/admin/schemes/new".into(), vec![("document", "{}")]),
            ("/admin/calendar".into(), vec![("year", "2031")]),
            ("/admin/catalogue/confirm".into(), vec![("rows", "[]")]),
            ("/admin/catalogue/import".into(), vec![]),
        ])
        .collect();
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
