//! The administrator's pages (issue 14, item 4) over HTTP: users created,
//! disabled and given a new password through the forms, and what that does
//! to their sign-in and sessions; regions and vendors created and edited;
//! scheme documents refused in Chinese naming the field; a calendar year
//! loaded; the audit trail filtered. Every write is checked through GraphQL,
//! the other edge over the same functions.

use e2e::console::{ConsoleUser, Page};
use e2e::{ADMIN_PASSWORD, ADMIN_USERNAME, TestApp, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::world::{self, SUPERVISOR, VENDOR, World};

async fn admin(app: &TestApp) -> ConsoleUser {
    ConsoleUser::sign_in(app, ADMIN_USERNAME, ADMIN_PASSWORD).await
}

/// Opens the form at `path` (for its CSRF token) and posts `fields` back to it.
async fn submit(user: &mut ConsoleUser, path: &str, fields: &[(&str, &str)]) -> Page {
    let page = user.get(path).await;
    assert_eq!(page.status, StatusCode::OK, "{path}");
    user.post(path, fields).await
}

/// The new record's id from the address a saved form leads to
/// (`/admin/users/7?done=created` → `7`).
fn created_id(page: &Page, prefix: &str) -> String {
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let location = page.location.as_deref().expect("a redirect");
    location
        .strip_prefix(prefix)
        .and_then(|rest| rest.split('?').next())
        .unwrap_or_else(|| panic!("{location} under {prefix}"))
        .to_owned()
}

/// The form was shown again with `reason` (Chinese, naming the field).
fn refused(page: &Page, reason: &str) {
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        page.body
    );
    assert!(page.body.contains(reason), "{reason} in {}", page.body);
}

async fn user_count(app: &TestApp, w: &World) -> u64 {
    app.must(&w.admin, "{ users { total } }", json!({})).await["users"]["total"]
        .as_u64()
        .unwrap()
}

/// A vendor user `ops.v1` of V1, created through the form; its id.
async fn create_vendor_user(w: &World, admin: &mut ConsoleUser) -> String {
    let page = submit(
        admin,
        "/admin/users/new",
        &[
            ("username", "ops.v1"),
            ("password", "Ops-pass-2026"),
            ("role", "VENDOR"),
            ("vendorId", &w.one.vendor),
            ("email", "ops.v1@v.example.cn"),
        ],
    )
    .await;
    created_id(&page, "/admin/users/")
}

#[tokio::test]
async fn a_user_created_by_the_administrator_signs_in_as_its_role() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let mut admin = admin(&app).await;
    let id = create_vendor_user(&w, &mut admin).await;

    let page = admin.get(&format!("/admin/users/{id}?done=created")).await;
    assert!(page.body.contains("用户已创建。"), "{}", page.body);
    let list = admin.get("/admin/users").await;
    // The row: username, role in Chinese, V1 by name, the e-mail, enabled.
    let row = list
        .body
        .split("ops.v1</a>")
        .nth(1)
        .expect("the new user's row");
    let row = row.split("</tr>").next().unwrap();
    for cell in ["云服务商", "云1", "ops.v1@v.example.cn", "正常"] {
        assert!(row.contains(cell), "{cell} in {row}");
    }
    // The same user through the API: a VENDOR of V1.
    let user = app
        .must(
            &w.admin,
            "query($id: ID!) { user(id: $id) { username role vendorId email disabled } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(
        user["user"],
        json!({"username": "ops.v1", "role": "VENDOR", "vendorId": w.one.vendor,
               "email": "ops.v1@v.example.cn", "disabled": false})
    );
    let mut ops = ConsoleUser::sign_in(&app, "ops.v1", "Ops-pass-2026").await;
    let home = ops.get("/").await;
    assert!(home.body.contains("ops.v1（云服务商）"), "{}", home.body);
}

#[tokio::test]
async fn a_refused_user_form_names_the_field_in_chinese_and_writes_nothing() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let mut admin = admin(&app).await;
    let before = user_count(&app, &w).await;
    let cases: &[(&[(&str, &str)], &str)] = &[
        (
            &[
                ("username", "bad name"),
                ("password", "Good-pass-2026"),
                ("role", "ADMIN"),
            ],
            "用户名：只能包含字母、数字和 . _ - @",
        ),
        (
            &[
                ("username", "sup9"),
                ("password", "Good-pass-2026"),
                ("role", "SUPERVISOR"),
            ],
            "监管区域：该角色必须选择此项",
        ),
        (
            &[
                ("username", "sup9"),
                ("password", "short1"),
                ("role", "ADMIN"),
            ],
            "初始密码：至少 10 个字符，且须同时包含字母和数字",
        ),
        (
            &[
                ("username", "sup9"),
                ("password", "Good-pass-2026"),
                ("role", ""),
            ],
            "角色：请从列表中选择",
        ),
        (
            &[
                ("username", SUPERVISOR.0),
                ("password", "Good-pass-2026"),
                ("role", "ADMIN"),
            ],
            "用户名：已有相同的记录",
        ),
        (
            &[
                ("username", "sup9"),
                ("password", "Good-pass-2026"),
                ("role", "ADMIN"),
                ("email", "not-an-address"),
            ],
            "电子邮箱：不是有效的电子邮箱地址",
        ),
    ];
    for (fields, reason) in cases {
        let page = submit(&mut admin, "/admin/users/new", fields).await;
        refused(&page, reason);
    }
    // The form keeps what was written (not the password).
    let page = submit(
        &mut admin,
        "/admin/users/new",
        &[
            ("username", "sup9"),
            ("password", "Good-pass-2026"),
            ("role", "SUPERVISOR"),
        ],
    )
    .await;
    assert!(page.body.contains("value=\"sup9\""));
    assert!(!page.body.contains("Good-pass-2026"));
    assert_eq!(user_count(&app, &w).await, before);
}

#[tokio::test]
async fn a_disabled_user_cannot_sign_in_and_its_session_ends() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let mut admin = admin(&app).await;
    let mut vendor = ConsoleUser::sign_in(&app, VENDOR.0, VENDOR.1).await;
    let id = world::user_id(&app, &w, VENDOR.0).await;
    let id = id.as_str().unwrap();

    let page = admin.get(&format!("/admin/users/{id}")).await;
    assert!(
        page.body
            .contains("data-confirm=\"确定停用用户 vendor1 吗？")
    );
    let done = admin.post(&format!("/admin/users/{id}/disable"), &[]).await;
    assert_eq!(
        done.location.as_deref(),
        Some(format!("/admin/users/{id}?done=disable").as_str())
    );

    // Its open session ends: the next page sends it to sign in.
    let home = vendor.get("/").await;
    assert_eq!(home.status, StatusCode::SEE_OTHER);
    assert_eq!(home.location.as_deref(), Some("/login"));
    assert!(
        ConsoleUser::try_sign_in(&app, VENDOR.0, VENDOR.1)
            .await
            .is_none()
    );
    let list = admin.get("/admin/users").await;
    let row = list
        .body
        .split("vendor1</a>")
        .nth(1)
        .unwrap()
        .split("</tr>")
        .next()
        .unwrap();
    assert!(row.contains("已停用"), "{row}");

    // Enabled again, it signs in afresh.
    admin.get(&format!("/admin/users/{id}")).await;
    admin.post(&format!("/admin/users/{id}/enable"), &[]).await;
    assert!(
        ConsoleUser::try_sign_in(&app, VENDOR.0, VENDOR.1)
            .await
            .is_some()
    );
    // The old session stays ended (a disable kills its tokens for good).
    assert_eq!(vendor.get("/").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_reset_password_refuses_the_old_one_and_takes_the_new() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let mut admin = admin(&app).await;
    let mut vendor = ConsoleUser::sign_in(&app, VENDOR.0, VENDOR.1).await;
    let id = world::user_id(&app, &w, VENDOR.0).await;
    let id = id.as_str().unwrap();
    let path = format!("/admin/users/{id}/password");

    admin.get(&format!("/admin/users/{id}")).await;
    let weak = admin.post(&path, &[("password", "weak")]).await;
    refused(&weak, "新密码：至少 10 个字符，且须同时包含字母和数字");
    // Refused, nothing changed: the session goes on.
    assert_eq!(vendor.get("/").await.status, StatusCode::OK);

    let done = admin.post(&path, &[("password", "Fresh-pass-2027")]).await;
    assert_eq!(
        done.location.as_deref(),
        Some(format!("/admin/users/{id}?done=password").as_str())
    );
    assert_eq!(
        vendor.get("/").await.status,
        StatusCode::SEE_OTHER,
        "the old session ended"
    );
    assert!(
        ConsoleUser::try_sign_in(&app, VENDOR.0, VENDOR.1)
            .await
            .is_none()
    );
    assert!(
        ConsoleUser::try_sign_in(&app, VENDOR.0, "Fresh-pass-2027")
            .await
            .is_some()
    );
}

const REGION: &str = "query($id: ID!) { region(id: $id) { code name parentId schemeCode serviceYearStartMonth noticePrefix contact } }";
const VENDOR_Q: &str = "query($id: ID!) { vendor(id: $id) { code name contactEmails } }";

#[tokio::test]
async fn the_administrator_creates_and_edits_regions_and_vendors() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let mut admin = admin(&app).await;

    let page = submit(
        &mut admin,
        "/admin/regions/new",
        &[
            ("code", "R9"),
            ("name", "区9"),
            ("parentId", &w.one.region),
            ("schemeCode", "sh-municipal"),
            ("serviceYearStartMonth", "1"),
            ("noticePrefix", ""),
            ("contact", ""),
        ],
    )
    .await;
    let r9 = created_id(&page, "/admin/regions/");
    let edit = format!("/admin/regions/{r9}");
    let page = submit(
        &mut admin,
        &edit,
        &[
            ("code", "R9"),
            ("name", "区九"),
            ("parentId", ""),
            ("schemeCode", "sh-municipal"),
            ("serviceYearStartMonth", "1"),
            ("noticePrefix", "沪九云监"),
            ("contact", "张敏 021-6321 0000"),
        ],
    )
    .await;
    assert_eq!(
        page.location.as_deref(),
        Some(format!("{edit}?saved=1").as_str())
    );
    let region = app.must(&w.admin, REGION, json!({"id": r9})).await;
    assert_eq!(
        region["region"],
        json!({"code": "R9", "name": "区九", "parentId": null, "schemeCode": "sh-municipal",
               "serviceYearStartMonth": 1, "noticePrefix": "沪九云监", "contact": "张敏 021-6321 0000"})
    );
    // Songjiang's scheme runs its year from July: January is refused.
    let page = submit(
        &mut admin,
        &edit,
        &[
            ("code", "R9"),
            ("name", "区九"),
            ("schemeCode", "sh-songjiang"),
            ("serviceYearStartMonth", "1"),
        ],
    )
    .await;
    refused(
        &page,
        "服务年度起始月份：须与所选考核方案的服务年度起始月份一致",
    );
    let page = submit(
        &mut admin,
        &edit,
        &[
            ("code", "R9"),
            ("name", "区九"),
            ("parentId", &r9),
            ("schemeCode", "sh-municipal"),
        ],
    )
    .await;
    refused(&page, "上级区域：上级区域不能是本区域");
    let region = app.must(&w.admin, REGION, json!({"id": r9})).await;
    assert_eq!(
        region["region"]["schemeCode"], "sh-municipal",
        "nothing written"
    );
    assert_eq!(region["region"]["parentId"], Value::Null);

    let page = submit(
        &mut admin,
        "/admin/vendors/new",
        &[
            ("code", "V9"),
            ("name", "云9"),
            ("contactEmails", "ops9@v.example.cn\nduty9@v.example.cn"),
        ],
    )
    .await;
    let v9 = created_id(&page, "/admin/vendors/");
    let edit = format!("/admin/vendors/{v9}");
    let page = submit(
        &mut admin,
        &edit,
        &[
            ("code", "V9"),
            ("name", "云九"),
            ("contactEmails", "ops9@v.example.cn"),
        ],
    )
    .await;
    assert_eq!(
        page.location.as_deref(),
        Some(format!("{edit}?saved=1").as_str())
    );
    let page = submit(
        &mut admin,
        &edit,
        &[
            ("code", "V9"),
            ("name", "云九"),
            ("contactEmails", "ops9@v.example.cn\nnot-an-address"),
        ],
    )
    .await;
    refused(&page, "通知邮箱（第 2 项）：不是有效的电子邮箱地址");
    let vendor = app.must(&w.admin, VENDOR_Q, json!({"id": v9})).await;
    assert_eq!(
        vendor["vendor"],
        json!({"code": "V9", "name": "云九", "contactEmails": ["ops9@v.example.cn"]})
    );
    let list = admin.get("/admin/vendors").await;
    assert!(list.body.contains("云九") && list.body.contains("ops1@v.example.cn"));
    let list = admin.get("/admin/regions").await;
    assert!(list.body.contains("区九") && list.body.contains("沪九云监"));
}

/// The built-in `sh-municipal` document as the API gives it, as `sh-test` v1.
async fn test_scheme(app: &TestApp, w: &World) -> Value {
    let data = app
        .must(
            &w.admin,
            "{ scheme(code: \"sh-municipal\") { document } }",
            json!({}),
        )
        .await;
    let mut document = data["scheme"]["document"].clone();
    document["code"] = json!("sh-test");
    document["version"] = json!(1);
    document
}

async fn post_scheme(admin: &mut ConsoleUser, document: &str) -> Page {
    admin.get("/admin/schemes/new").await;
    let form = reqwest::multipart::Form::new().text("document", document.to_owned());
    admin.post_multipart("/admin/schemes/new", form).await
}

async fn scheme_count(app: &TestApp, w: &World) -> usize {
    app.must(&w.admin, "{ schemes { code } }", json!({})).await["schemes"]
        .as_array()
        .unwrap()
        .len()
}

#[tokio::test]
async fn a_bad_scheme_document_is_refused_naming_the_field_and_nothing_is_written() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let mut admin = admin(&app).await;
    let good = test_scheme(&app, &w).await;
    let weight = |doc: &Value| {
        doc["monthly"]["indicators"][0]["weight"]
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| doc["monthly"]["indicators"][0]["weight"].to_string())
    };
    let first: rust_decimal::Decimal = weight(&good).parse().unwrap();

    // Five points more on the first indicator: the weights sum to 105.
    let mut heavy = good.clone();
    heavy["monthly"]["indicators"][0]["weight"] =
        json!((first + rust_decimal::Decimal::from(5)).to_string());
    let page = post_scheme(&mut admin, &heavy.to_string()).await;
    refused(
        &page,
        "字段 monthly.indicators：各指标分值合计 105.00，应为 100.00",
    );

    let mut unknown = good.clone();
    unknown["monthly"]["indicators"][0]["code"] = json!("Z9");
    let page = post_scheme(&mut admin, &unknown.to_string()).await;
    refused(&page, "字段 monthly.indicators[0].code：没有指标“Z9”");

    let mut misspelt = good.clone();
    misspelt["monthly"]["indicators"][0]["wieght"] = json!("1");
    let page = post_scheme(&mut admin, &misspelt.to_string()).await;
    refused(&page, "字段 wieght：不是方案文档的字段");

    let page = post_scheme(&mut admin, "{ \"code\": ").await;
    refused(&page, "不是有效的 JSON 文本");

    // The built-in version again: a new version must be above it.
    let mut same = good.clone();
    same["code"] = json!("sh-municipal");
    let page = post_scheme(&mut admin, &same.to_string()).await;
    refused(&page, "版本号（version）：该方案已有相同或更高的版本");
    // Nothing written: the two built-in versions only.
    assert_eq!(scheme_count(&app, &w).await, 2);

    let page = post_scheme(&mut admin, &good.to_string()).await;
    assert_eq!(page.location.as_deref(), Some("/admin/schemes/sh-test/1"));
    assert_eq!(scheme_count(&app, &w).await, 3);
    let shown = admin.get("/admin/schemes/sh-test/1").await;
    // Indicators by their names, points with two decimals.
    assert!(shown.body.contains("服务交付及时率"), "{}", shown.body);
    assert!(shown.body.contains(&format!(
        "<td class=\"num\">{}</td>",
        api::web::format::points_text(first)
    )));
    let list = admin.get("/admin/schemes").await;
    assert!(list.body.contains("v1（现行）") && list.body.contains("内置"));
}

#[tokio::test]
async fn the_administrator_loads_a_calendar_year() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let mut admin = admin(&app).await;
    let years = "{ calendarYears { year holidays makeupWorkdays } }";
    let loaded = |data: &Value| {
        data["calendarYears"]
            .as_array()
            .unwrap()
            .iter()
            .find(|y| y["year"] == 2031)
            .cloned()
    };
    // 2031-01-01 is a Wednesday (2030-01-01 a Tuesday, 365 days on), so
    // 2031-01-04 is a Saturday and 2031-01-06 a Monday.
    let page = submit(
        &mut admin,
        "/admin/calendar",
        &[
            ("year", "2031"),
            ("holidays", "2031-01-01"),
            ("makeupWorkdays", "2031-01-06"),
        ],
    )
    .await;
    refused(
        &page,
        "调休上班日（第 1 项）：2031年1月6日 本是工作日，调休上班日须为周六或周日",
    );
    let page = submit(
        &mut admin,
        "/admin/calendar",
        &[
            ("year", "2031"),
            ("holidays", "2031-01-01, 2031-13-01"),
            ("makeupWorkdays", ""),
        ],
    )
    .await;
    refused(&page, "节假日（第 2 项）：“2031-13-01”不是日期");
    let page = submit(
        &mut admin,
        "/admin/calendar",
        &[("year", "1999"), ("holidays", ""), ("makeupWorkdays", "")],
    )
    .await;
    refused(&page, "年度：须在 2000 至 2100 之间");
    assert_eq!(
        loaded(&app.must(&w.admin, years, json!({})).await),
        None,
        "nothing written"
    );

    let page = submit(
        &mut admin,
        "/admin/calendar",
        &[
            ("year", "2031"),
            ("holidays", "2031-01-01\n2031-01-02"),
            ("makeupWorkdays", "2031-01-04"),
        ],
    )
    .await;
    assert_eq!(
        page.location.as_deref(),
        Some("/admin/calendar?loaded=2031")
    );
    assert_eq!(
        loaded(&app.must(&w.admin, years, json!({})).await),
        Some(
            json!({"year": 2031, "holidays": ["2031-01-01", "2031-01-02"], "makeupWorkdays": ["2031-01-04"]})
        )
    );
    let page = admin.get("/admin/calendar?loaded=2031").await;
    assert!(page.body.contains("已载入 2031 年。"));
    assert!(
        page.body.contains("共 2 天：2031年1月1日、2031年1月2日"),
        "{}",
        page.body
    );
}

/// The count the audit page says it found (`共 N 条`).
fn total(page: &Page) -> u64 {
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.body
        .split("共 ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("a count in {}", page.body))
}

#[tokio::test]
async fn the_audit_page_shows_exactly_the_entries_of_its_filter() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let mut admin = admin(&app).await;
    let mut supervisor = ConsoleUser::sign_in(&app, SUPERVISOR.0, SUPERVISOR.1).await;
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    let tomorrow = today.succ_opt().unwrap();
    let (r1, r2) = (&w.one.region, &w.two.region);
    let q = |query: &str| format!("/admin/audit?{query}");

    // The world's admin created V1 and V2: two vendor entries.
    assert_eq!(total(&admin.get(&q("who=admin&kind=Vendor")).await), 2);
    assert_eq!(total(&admin.get(&q("who=sup1&kind=Vendor")).await), 0);
    // One work order per side; R1's alone by region.
    assert_eq!(total(&admin.get(&q("kind=WorkOrder")).await), 2);
    assert_eq!(
        total(&admin.get(&q(&format!("kind=WorkOrder&region={r1}"))).await),
        1
    );
    assert_eq!(
        total(&admin.get(&q(&format!("kind=Agency&region={r2}"))).await),
        1
    );
    // All of it today (Beijing): the whole day counts, tomorrow has none.
    assert_eq!(
        total(
            &admin
                .get(&q(&format!("kind=Vendor&from={today}&to={today}")))
                .await
        ),
        2
    );
    assert_eq!(
        total(&admin.get(&q(&format!("kind=Vendor&from={tomorrow}"))).await),
        0
    );
    assert_eq!(
        total(
            &admin
                .get(&q(&format!("kind=Vendor&to={}", today.pred_opt().unwrap())))
                .await
        ),
        0
    );

    // A disable through the pages: the newest entry, readable.
    let id = world::user_id(&app, &w, VENDOR.0).await;
    let id = id.as_str().unwrap();
    admin.get(&format!("/admin/users/{id}")).await;
    admin.post(&format!("/admin/users/{id}/disable"), &[]).await;
    let page = admin.get(&q("kind=User")).await;
    // Entries on users: the world's three `createUser`, four API sign-ins
    // (`login` of admin, sup1, vendor1, agency1), two console sign-ins (admin
    // and sup1 above) and the disable: 3 + 4 + 2 + 1 = 10.
    assert_eq!(total(&page), 10);
    // The administrator's own: three creates, its two sign-ins, the disable.
    assert_eq!(total(&admin.get(&q("kind=User&who=admin")).await), 6);
    let newest = page
        .body
        .split("<tbody>")
        .nth(1)
        .unwrap()
        .split("</tr>")
        .next()
        .unwrap();
    for text in [
        "admin（系统管理员）",
        "修改用户",
        &format!("用户 #{id}"),
        "已停用：否 → 是",
    ] {
        assert!(newest.contains(text), "{text} in {newest}");
    }
    // A created row by its values, references and roles by name.
    for text in ["用户名：sup1", "角色：监管人员", "监管区域：区1"] {
        assert!(page.body.contains(text), "{text}");
    }

    // R1's supervisor reads its region's entries only, as `auditEntries`.
    assert_eq!(total(&supervisor.get(&q("kind=WorkOrder")).await), 1);
    assert_eq!(
        total(
            &supervisor
                .get(&q(&format!("kind=WorkOrder&region={r2}")))
                .await
        ),
        0
    );
    // Vendors belong to no region: not the supervisor's to read.
    assert_eq!(total(&supervisor.get(&q("kind=Vendor")).await), 0);
    let page = admin.get(&q("from=yesterday")).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("起始日期：“yesterday”不是日期"));
}

#[tokio::test]
async fn only_an_administrator_writes_through_the_admin_forms() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let mut supervisor = ConsoleUser::sign_in(&app, SUPERVISOR.0, SUPERVISOR.1).await;
    let before = user_count(&app, &w).await;
    // The supervisor's own token, valid: refused for the role.
    supervisor.get("/").await;
    let page = supervisor
        .post(
            "/admin/users/new",
            &[
                ("username", "sneaky"),
                ("password", "Sneaky-pass-1"),
                ("role", "ADMIN"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert_eq!(user_count(&app, &w).await, before);
    // The administrator with a forged token: refused as forged.
    let mut admin = admin(&app).await;
    let page = admin
        .post_with_csrf(
            "/admin/users/new",
            &[
                ("username", "forged"),
                ("password", "Forged-pass-1"),
                ("role", "ADMIN"),
            ],
            &"00".repeat(32),
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(page.body.contains("请求被拒绝"));
    assert_eq!(user_count(&app, &w).await, before);
    // The scheme's form as a browser sends it (multipart), token forged.
    admin.get("/admin/schemes/new").await;
    admin.csrf = "00".repeat(32);
    let document = test_scheme(&app, &w).await.to_string();
    let form = reqwest::multipart::Form::new().text("document", document);
    let page = admin.post_multipart("/admin/schemes/new", form).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert_eq!(scheme_count(&app, &w).await, 2, "the built-in two only");
}

#[tokio::test]
async fn the_admin_pages_read_the_demo_data() {
    let app = e2e::spawn_app_with(|c| c.demo_data = true).await;
    let token = app.admin().await;
    let mut admin = admin(&app).await;
    let regions = app
        .must(
            &token,
            "{ regions { items { name schemeCode } } }",
            json!({}),
        )
        .await;
    let regions = regions["regions"]["items"].as_array().unwrap().clone();
    let users = admin.get("/admin/users").await;
    for (username, _, _) in api::demo::USERS {
        assert!(
            users.body.contains(&format!("{username}</a>")),
            "{username}"
        );
    }
    let listed = admin.get("/admin/regions").await;
    let schemes = admin.get("/admin/schemes").await;
    for region in &regions {
        let name = region["name"].as_str().unwrap();
        assert!(listed.body.contains(name), "{name}");
        // Each scheme lists the regions it assesses.
        assert!(schemes.body.contains(name), "{name} under its scheme");
    }
    for path in [
        "/admin",
        "/admin/vendors",
        "/admin/calendar",
        "/admin/audit",
        "/admin/schemes/sh-songjiang/1",
    ] {
        assert_eq!(admin.get(path).await.status, StatusCode::OK, "{path}");
    }
}
