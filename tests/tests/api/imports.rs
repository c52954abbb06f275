//! `importFacts` (issue 14, item 1, through GraphQL): the rows the console
//! reads from a spreadsheet, given as input — each with its `externalId` and
//! its values by column key or Chinese label, written as in the template. A
//! dry run writes nothing; a refused row stops the whole import and says why
//! next to its column; rows imported before are skipped.
//!
//! The world of `world.rs`: R1 (区1, V1 云1, A1 单位1) holds one outage
//! before any import.

use e2e::spawn_app;
use serde_json::{Value, json};

use crate::world::{self, World};

const IMPORT: &str = "mutation($rows: [ImportRowInput!]!, $dry: Boolean!) {
    importFacts(kind: OUTAGES, rows: $rows, dryRun: $dry) {
        dryRun written newRows skippedRows refusedRows
        rows { row externalId status errors { column label reason } } } }";

/// Two outages of R1 for V1; the second ends at `ended`.
fn rows(ended: &str) -> Value {
    let outage = |id: &str, started: &str, ended: &str| {
        json!({"externalId": id, "values": [
            {"column": "regionId", "value": "区1"},
            {"column": "云服务商", "value": "云1"},
            {"column": "service", "value": "ECS"},
            {"column": "description", "value": "可用区网络中断"},
            {"column": "startedAt", "value": started},
            {"column": "endedAt", "value": ended},
            {"column": "confirmed", "value": "是"},
            {"column": "vendorLiable", "value": "是"}]})
    };
    json!([
        outage("INC-1", "2025-03-06 01:00", "2025-03-06 01:30"),
        outage("INC-2", "2025-03-07 02:00", ended),
    ])
}

async fn outages(app: &e2e::TestApp, w: &World) -> u64 {
    let q = "query($r: ID!) { outages(filter: {regionId: $r}) { total } }";
    app.must(&w.supervisor, q, json!({"r": w.one.region})).await["outages"]["total"]
        .as_u64()
        .unwrap()
}

#[tokio::test]
async fn rows_are_previewed_imported_whole_and_skipped_the_second_time() {
    let app = spawn_app().await;
    let w = world::build(&app).await;

    // INC-2 ends before it starts.
    let bad = app
        .must(
            &w.supervisor,
            IMPORT,
            json!({"rows": rows("2025-03-07 01:00"), "dry": false}),
        )
        .await["importFacts"]
        .clone();
    assert_eq!(bad["written"], false);
    assert_eq!(
        (bad["newRows"].clone(), bad["refusedRows"].clone()),
        (json!(1), json!(1))
    );
    assert_eq!(
        bad["rows"][1],
        json!({"row": 2, "externalId": "INC-2", "status": "REFUSED", "errors": [
            {"column": "endedAt", "label": "结束时间", "reason": "不得早于开始时间"}]})
    );
    assert_eq!(outages(&app, &w).await, 1, "nothing written");

    let good = rows("2025-03-07 03:00");
    let dry = app
        .must(&w.supervisor, IMPORT, json!({"rows": good, "dry": true}))
        .await["importFacts"]
        .clone();
    assert_eq!(dry["dryRun"], true);
    assert_eq!(dry["written"], false);
    assert_eq!(dry["rows"][0]["status"], "NEW");
    assert_eq!(outages(&app, &w).await, 1, "a dry run writes nothing");

    let done = app
        .must(&w.supervisor, IMPORT, json!({"rows": good, "dry": false}))
        .await["importFacts"]
        .clone();
    assert_eq!(done["written"], true);
    assert_eq!(done["newRows"], 2);
    assert_eq!(done["rows"][1]["status"], "IMPORTED");
    // The world's one + 2.
    assert_eq!(outages(&app, &w).await, 3);

    let again = app
        .must(&w.supervisor, IMPORT, json!({"rows": good, "dry": false}))
        .await["importFacts"]
        .clone();
    assert_eq!(
        (
            again["written"].clone(),
            again["skippedRows"].clone(),
            again["newRows"].clone()
        ),
        (json!(false), json!(2), json!(0))
    );
    assert_eq!(again["rows"][0]["status"], "ALREADY_IMPORTED");
    assert_eq!(outages(&app, &w).await, 3, "nothing added");

    // Each import wrote one audit entry per fact, as `importFacts`.
    let trail = app
        .must(
            &w.admin,
            "{ auditEntries(filter: {operation: \"importFacts\"}) { total } }",
            json!({}),
        )
        .await;
    assert_eq!(trail["auditEntries"]["total"], 2);
}

#[tokio::test]
async fn vendors_and_agencies_may_not_import_and_an_unknown_column_is_named() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    for token in [&w.vendor, &w.agency] {
        let answer = app
            .gql(
                Some(token),
                IMPORT,
                json!({"rows": rows("2025-03-07 03:00"), "dry": true}),
            )
            .await;
        assert_eq!(answer.error_codes(), ["FORBIDDEN"]);
    }
    let typo = json!([{"externalId": "INC-9", "values": [{"column": "stratedAt", "value": "x"}]}]);
    let answer = app
        .gql(
            Some(&w.supervisor),
            IMPORT,
            json!({"rows": typo, "dry": true}),
        )
        .await;
    assert_eq!(answer.error_codes(), ["BAD_USER_INPUT"]);
    assert!(
        answer.error().1.contains("rows[0].values[0].column"),
        "{:?}",
        answer.error()
    );
    assert_eq!(outages(&app, &w).await, 1);
}

/// The kinds whose columns are not plain: a fault's affected systems (names,
/// several) and impact (a choice by its Chinese name), a survey response's
/// answers, day and agency. Each row reads as its form would; a dry run.
#[tokio::test]
async fn a_fault_and_a_survey_response_read_from_their_columns() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let dry = |kind: &str| {
        format!(
            "mutation($rows: [ImportRowInput!]!) {{ importFacts(kind: {kind}, rows: $rows, dryRun: true) {{
                newRows refusedRows rows {{ errors {{ label reason }} }} }} }}"
        )
    };
    let cells = |pairs: &[(&str, &str)]| {
        pairs
            .iter()
            .map(|(c, v)| json!({"column": c, "value": v}))
            .collect::<Vec<_>>()
    };
    let fault = cells(&[
        ("监管区域", "区1"),
        ("云服务商", "云1"),
        ("标题", "存储卡顿"),
        ("受影响的信息系统", "系统1"),
        ("影响程度", "影响使用"),
        ("发生时间", "2025-03-07 14:00"),
        ("报告时间", "2025-03-07 14:20"),
        ("已确认", "是"),
        ("服务商责任", "是"),
    ]);
    let answer = app
        .must(
            &w.supervisor,
            &dry("FAULTS"),
            json!({"rows": [{"externalId": "GZ-1", "values": fault}]}),
        )
        .await;
    assert_eq!(
        answer["importFacts"],
        json!({"newRows": 1, "refusedRows": 0, "rows": [{"errors": []}]})
    );

    let mut survey = vec![
        ("监管区域", "区1"),
        ("云服务商", "云1"),
        ("使用单位", "单位1"),
        ("服务年度", "2025"),
        ("您的姓名", "王芳"),
        ("所在单位", "信息中心"),
        ("联系电话", "021-6321 0001"),
        ("调查机构", "第三方监管团队"),
        ("调查人员", "李华"),
        ("调查日期", "2025-12-16"),
    ];
    let questions = ["q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8", "q9"];
    survey.extend(questions.iter().map(|q| (*q, "4")));
    // The overall question is answered 0, 2, 4, 6 or 8.
    survey.push(("q10", "8"));
    let answer = app
        .must(
            &w.supervisor,
            &dry("SURVEY_RESPONSES"),
            json!({"rows": [{"externalId": "DC-1", "values": cells(&survey)}]}),
        )
        .await;
    assert_eq!(
        answer["importFacts"],
        json!({"newRows": 1, "refusedRows": 0, "rows": [{"errors": []}]})
    );
}
