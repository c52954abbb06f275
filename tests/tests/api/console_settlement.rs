//! The settlement statement in the console (issue 15 item 5): the page
//! `/contracts/{id}/statement` with its figures to two decimals, each breach
//! linking to its page and the shortfall told; the 登记付款 form; the print
//! page and the `.xlsx`, read back with calamine, equal to GraphQL's
//! `settlementStatement`; a vendor reads its own statement only.
//!
//! Seed 002's contract (`seed_contract`): 1,105,728.00, 774,009.60 paid, final
//! payment 331,718.40; monthly fee 92,144.00.

use std::io::Cursor;

use calamine::{Data, Range, Reader, Xlsx};
use e2e::console::ConsoleUser;
use e2e::{TestApp, spawn_app};
use entities::breach::BreachStatus;
use reqwest::StatusCode;
use serde_json::Value;

use crate::seed_contract::{self, Breach, Signed, insert_breach, sign_seed_002};
use crate::settlement::{d, statement, v1_contract};
use crate::world::{self, SUPERVISOR, VENDOR, World};

/// Seed 002 in R1 under the SLA's terms (deducted from the final payment),
/// 70 % paid, with one confirmed serious breach (附件2 row 3, 600 %: 92,144.00
/// × 6 = 552,864.00); its id.
async fn charged_beyond_the_final_payment(app: &TestApp, w: &World) -> (Signed, i64) {
    let signed = sign_seed_002(app, w, &w.one.region).await;
    seed_contract::pay_first(app, w, &signed).await;
    seed_contract::set_terms(app, &signed, "bj-sla").await;
    let breach = Breach {
        status: BreachStatus::Confirmed,
        row: Some(("serious", 3)),
        penalty: Some(d("552864.00")),
        occurred: "2024-03-05T02:00:00Z",
        description: "网页被篡改",
        level: None,
    };
    let id = insert_breach(app, &w.one.region, &signed, breach).await;
    (signed, id)
}

#[tokio::test]
async fn the_statement_page_shows_each_figure_and_the_shortfall_owed() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let (signed, breach) = charged_beyond_the_final_payment(&app, &w).await;
    let mut sup = ConsoleUser::sign_in(&app, SUPERVISOR.0, SUPERVISOR.1).await;
    let page = sup
        .get(&format!("/contracts/{}/statement", signed.contract))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    // 552,864.00 against the final 331,718.40: deducted 331,718.40, paid
    // 0.00, owed 552,864.00 − 331,718.40 = 221,145.60.
    for shown in [
        "结算单",
        "2023年12月28日 至 2024年12月27日",
        "<td class=\"num\">¥1,105,728.00</td>",
        "<td class=\"num\">¥774,009.60</td>",
        "<td class=\"num\"><strong>¥0.00</strong></td>",
        "未发布年度考核",
        "违约金超出尾款部分 ¥221,145.60 由服务商另行支付",
    ] {
        assert!(page.body.contains(shown), "{shown} missing");
    }
    let link =
        format!("<a href=\"/breaches/{breach}\">违约金：附件2 第3项 2024-03-05 网页被篡改</a>");
    assert!(page.body.contains(&link), "the breach links to its page");
    assert!(page.body.contains("<td class=\"num\">¥552,864.00</td>"));
    assert!(page.body.contains("登记付款"), "a supervisor's form");
}

#[tokio::test]
async fn a_supervisor_records_the_payments_through_the_form_in_order() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let signed = sign_seed_002(&app, &w, &w.one.region).await;
    let page = format!("/contracts/{}/statement", signed.contract);
    let form = |i: &str| format!("{page}/instalments/{i}");
    let mut sup = ConsoleUser::sign_in(&app, SUPERVISOR.0, SUPERVISOR.1).await;
    sup.get(&page).await;
    let early = sup
        .post(&form(&signed.instalments[1]), &[("paid_on", "2024-03-20")])
        .await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        early
            .body
            .contains("尾款须在其他各期款项均已登记付款后登记")
    );
    let bad = sup
        .post(&form(&signed.instalments[0]), &[("paid_on", "10/01/2024")])
        .await;
    assert!(bad.body.contains("付款日期格式应为 YYYY-MM-DD"));
    let paid = sup
        .post(&form(&signed.instalments[0]), &[("paid_on", "2024-01-10")])
        .await;
    assert_eq!(paid.status, StatusCode::SEE_OTHER);
    assert_eq!(paid.location.as_deref(), Some(page.as_str()));
    let shown = sup.get(&page).await;
    // 70 % paid on 10 January 2024: 已付款项 774,009.60, 尾款 331,718.40.
    assert!(shown.body.contains("2024年1月10日"));
    assert!(shown.body.contains("<td class=\"num\">¥774,009.60</td>"));
    assert!(
        shown
            .body
            .contains("<td class=\"num\"><strong>¥331,718.40</strong></td>")
    );
    // A vendor cannot post to another vendor's contract.
    let mut vendor = ConsoleUser::sign_in(&app, VENDOR.0, VENDOR.1).await;
    vendor.get("/").await;
    let refused = vendor
        .post(&form(&signed.instalments[0]), &[("paid_on", "")])
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    let s = statement(&app, &w.admin, &signed.contract).await;
    assert_eq!(s["instalments"][0]["paidOn"], "2024-01-10", "still paid");
}

/// A downloaded workbook's only sheet.
struct Sheet(Range<Data>);

impl Sheet {
    fn cell(&self, r: u32, c: u32) -> Data {
        self.0.get_value((r, c)).cloned().unwrap_or(Data::Empty)
    }

    /// The value in column B of the row whose column A reads `label`.
    fn beside(&self, label: &str) -> Data {
        let row = (0..self.0.height() as u32)
            .find(|r| self.cell(*r, 0) == Data::String(label.into()))
            .unwrap_or_else(|| panic!("no row {label}"));
        self.cell(row, 1)
    }
}

fn number(api: &Value) -> Data {
    Data::Float(api.as_str().unwrap().parse().unwrap())
}

#[tokio::test]
async fn the_statement_workbook_equals_the_api() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let (signed, _) = charged_beyond_the_final_payment(&app, &w).await;
    let sup = ConsoleUser::sign_in(&app, SUPERVISOR.0, SUPERVISOR.1).await;
    let (status, kind, bytes) = sup
        .download(&format!("/exports/statements/{}.xlsx", signed.contract))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(kind.starts_with("application/vnd.openxmlformats"), "{kind}");
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    let sheet = Sheet(book.worksheet_range("结算单").unwrap());
    assert_eq!(
        sheet.cell(0, 0),
        Data::String("区1 太极计算机股份有限公司 · 2023年12月28日 至 2024年12月27日 结算单".into())
    );
    let api = statement(&app, &w.admin, &signed.contract).await;
    for (label, field) in [
        ("应付金额", "amountDue"),
        ("考核扣款（未发布年度考核）", "assessmentPenalty"),
        ("违约金合计", "breachTotal"),
        ("已付款项", "instalmentsPaid"),
        ("尾款", "finalPayment"),
        ("从尾款中抵扣", "deductedFromFinalPayment"),
        ("尾款实付", "finalPaymentDue"),
        ("超出尾款部分（由乙方另行支付）", "owedBeyondFinalPayment"),
    ] {
        assert_eq!(sheet.beside(label), number(&api[field]), "{label}");
    }
    let breach = &api["breachPenalties"][0];
    let label = format!("违约金：{}", breach["label"].as_str().unwrap());
    assert_eq!(sheet.beside(&label), number(&breach["amount"]));
    // The figures worked above: 331,718.40 deducted, 0.00 paid, 221,145.60 owed.
    assert_eq!(sheet.beside("从尾款中抵扣"), Data::Float(331_718.40));
    assert_eq!(sheet.beside("尾款实付"), Data::Float(0.0));
    assert_eq!(
        sheet.beside("超出尾款部分（由乙方另行支付）"),
        Data::Float(221_145.60)
    );
    assert_eq!(sheet.beside("第 1 期"), Data::String("70 %".into()));
}

#[tokio::test]
async fn the_print_page_carries_the_figures_and_the_stamp() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let (signed, _) = charged_beyond_the_final_payment(&app, &w).await;
    let mut sup = ConsoleUser::sign_in(&app, SUPERVISOR.0, SUPERVISOR.1).await;
    let page = sup
        .get(&format!("/print/statements/{}", signed.contract))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    for shown in [
        "<h1>区1</h1>",
        "<td class=\"num\">¥331,718.40</td>",
        "<td class=\"num\">¥221,145.60</td>",
        "违约金超出尾款部分 ¥221,145.60 由服务商另行支付",
        "盖章处",
    ] {
        assert!(page.body.contains(shown), "{shown} missing");
    }
}

#[tokio::test]
async fn a_vendor_reads_its_own_statement_page_and_workbook_only() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let own = v1_contract(&app, &w).await;
    let other = sign_seed_002(&app, &w, &w.one.region).await;
    let mut vendor = ConsoleUser::sign_in(&app, VENDOR.0, VENDOR.1).await;
    let page = vendor.get(&format!("/contracts/{own}/statement")).await;
    assert_eq!(page.status, StatusCode::OK);
    // V1 reads; it records no payment.
    assert!(page.body.contains("¥1,105,728.00"));
    assert!(!page.body.contains("登记付款</button>"));
    let (status, _, _) = vendor
        .download(&format!("/exports/statements/{own}.xlsx"))
        .await;
    assert_eq!(status, StatusCode::OK);
    for path in [
        format!("/contracts/{}/statement", other.contract),
        format!("/print/statements/{}", other.contract),
        format!("/exports/statements/{}.xlsx", other.contract),
    ] {
        let (status, _, body) = vendor.download(&path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(!String::from_utf8_lossy(&body).contains("太极"), "{path}");
    }
}
