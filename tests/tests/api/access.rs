//! Who may do what: the role × resource × read/write table, and a vendor trying to
//! reach another vendor's data through lists, direct ids and nested fields.

use e2e::spawn_app;
use serde_json::json;

use crate::world::{self, World, fact_kinds, has_agency, input_type};

#[derive(Clone, Copy, Debug, PartialEq)]
enum Reach {
    /// Sees both sides.
    All,
    /// Sees side one only.
    One,
    /// Refused with FORBIDDEN.
    Denied,
}
use Reach::*;

/// The expected reach of [admin, supervisor of R1, vendor V1, agency A1] per list.
fn reach_table() -> Vec<(&'static str, [Reach; 4])> {
    let mut table = vec![
        ("regions", [All, All, All, All]),
        ("vendors", [All, All, One, Denied]),
        ("agencies", [All, One, Denied, One]),
        ("informationSystems", [All, One, One, One]),
    ];
    for (list, _, _) in fact_kinds() {
        let agency_reach = if matches!(list, "complaints" | "surveyResponses") {
            One
        } else {
            Denied
        };
        table.push((list, [All, One, One, agency_reach]));
    }
    table
}

fn ids(w: &World, list: &str) -> (String, String) {
    let pick = |s: &world::Side| match list {
        "regions" => s.region.clone(),
        "vendors" => s.vendor.clone(),
        "agencies" => s.agency.clone(),
        "informationSystems" => s.system.clone(),
        _ => s
            .facts
            .iter()
            .find(|(l, _)| *l == list)
            .map(|(_, id)| id.clone())
            .unwrap(),
    };
    (pick(&w.one), pick(&w.two))
}

#[tokio::test]
async fn each_role_reads_exactly_its_reach_of_every_list() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    for (list, expected) in reach_table() {
        let (one, two) = ids(&w, list);
        for (token, reach) in [&w.admin, &w.supervisor, &w.vendor, &w.agency]
            .into_iter()
            .zip(expected)
        {
            let answer = app
                .gql(
                    Some(token),
                    &format!("{{ {list} {{ total items {{ id }} }} }}"),
                    json!({}),
                )
                .await;
            if reach == Denied {
                assert_eq!(answer.error().0, "FORBIDDEN", "{list}: {}", answer.0);
                continue;
            }
            let seen: Vec<String> = answer.ok()[list]["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["id"].as_str().unwrap().to_owned())
                .collect();
            assert!(
                seen.contains(&one),
                "{list} {reach:?}: side one missing from {seen:?}"
            );
            assert_eq!(
                seen.contains(&two),
                reach == All,
                "{list} {reach:?}: side two in {seen:?}"
            );
        }
    }
}

#[tokio::test]
async fn users_are_listed_for_administrators_only() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    // The admin plus the three users of the world.
    assert_eq!(
        app.must(&w.admin, "{ users { total } }", json!({})).await["users"]["total"],
        4
    );
    for token in [&w.supervisor, &w.vendor, &w.agency] {
        assert_eq!(
            app.gql(Some(token), "{ users { total } }", json!({}))
                .await
                .error()
                .0,
            "FORBIDDEN"
        );
        // …but every user reads itself.
        assert!(
            app.must(token, "{ me { username role } }", json!({})).await["me"]["username"]
                .is_string()
        );
    }
}

#[tokio::test]
async fn anonymous_requests_read_nothing_but_login() {
    let app = spawn_app().await;
    for (list, _) in reach_table() {
        let answer = app
            .gql(None, &format!("{{ {list} {{ total }} }}"), json!({}))
            .await;
        assert_eq!(answer.error().0, "UNAUTHENTICATED", "{list}");
    }
    let forged = app
        .gql(Some("not.a.token"), "{ regions { total } }", json!({}))
        .await;
    assert_eq!(forged.error().0, "UNAUTHENTICATED");
}

/// Creating a fact of every kind: admin anywhere, the supervisor in R1 only,
/// the vendor never, the agency only complaints and survey responses of its own.
#[tokio::test]
async fn each_role_creates_exactly_what_it_may() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    for (list, mutation, base) in fact_kinds() {
        let query = format!(
            "mutation($i: {}!) {{ {mutation}(input: $i) {{ id }} }}",
            input_type(mutation)
        );
        let input_for = |side: &world::Side| {
            let mut input = base.clone();
            input["regionId"] = json!(side.region);
            input["vendorId"] = json!(side.vendor);
            if has_agency(list) {
                input["agencyId"] = json!(side.agency);
            }
            if list == "faults" {
                input["affectedSystemIds"] = json!([side.system]);
            }
            if list == "attendances" {
                input["period"] = json!("2025-04"); // one record per vendor and month
            }
            if list == "complaints" {
                // An agency may not confirm its own complaint.
                input["confirmed"] = json!(false);
                input["vendorLiable"] = json!(false);
            }
            input
        };
        let agency_files = matches!(list, "complaints" | "surveyResponses");
        let cases = [
            (&w.supervisor, &w.one, None),
            (&w.supervisor, &w.two, Some("FORBIDDEN")),
            (&w.vendor, &w.one, Some("FORBIDDEN")),
            (
                &w.agency,
                &w.one,
                if agency_files {
                    None
                } else {
                    Some("FORBIDDEN")
                },
            ),
            (&w.agency, &w.two, Some("FORBIDDEN")),
        ];
        for (n, (token, side, expected)) in cases.into_iter().enumerate() {
            let mut input = input_for(side);
            if list == "attendances" {
                input["period"] = json!(format!("2025-{:02}", 5 + n)); // each success its own month
            }
            if list == "surveyResponses" {
                // A respondent answers once per vendor and service year.
                input["respondentName"] = json!(format!("受访者{n}"));
            }
            let answer = app.gql(Some(token), &query, json!({ "i": input })).await;
            match expected {
                None => assert!(
                    answer.errors().is_empty(),
                    "{mutation} case {n}: {}",
                    answer.0
                ),
                Some(code) => assert_eq!(answer.error().0, code, "{mutation} case {n}"),
            }
        }
    }
}

#[tokio::test]
async fn only_administrators_and_the_regions_supervisor_change_or_delete_facts() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let (_, v1_violation) = w
        .one
        .facts
        .iter()
        .find(|(l, _)| *l == "violations")
        .unwrap()
        .clone();
    let (_, v2_violation) = w
        .two
        .facts
        .iter()
        .find(|(l, _)| *l == "violations")
        .unwrap()
        .clone();
    let update = "mutation($id: ID!) { updateViolation(id: $id, input: { confirmed: false }) { confirmed } }";
    let delete = "mutation($id: ID!) { deleteViolation(id: $id) }";
    // The vendor can read its violation but not dispute it by writing.
    assert_eq!(
        app.gql(Some(&w.vendor), update, json!({"id": v1_violation}))
            .await
            .error()
            .0,
        "FORBIDDEN"
    );
    assert_eq!(
        app.gql(Some(&w.vendor), delete, json!({"id": v1_violation}))
            .await
            .error()
            .0,
        "FORBIDDEN"
    );
    // The supervisor of R1 does not see R2's violation at all.
    assert_eq!(
        app.gql(Some(&w.supervisor), update, json!({"id": v2_violation}))
            .await
            .error()
            .0,
        "NOT_FOUND"
    );
    assert_eq!(
        app.gql(Some(&w.supervisor), delete, json!({"id": v2_violation}))
            .await
            .error()
            .0,
        "NOT_FOUND"
    );
    // …and changes its own region's.
    let changed = app
        .must(&w.supervisor, update, json!({"id": v1_violation}))
        .await;
    assert_eq!(changed["updateViolation"]["confirmed"], false);
    app.must(&w.supervisor, delete, json!({"id": v1_violation}))
        .await;
    let gone = app
        .gql(
            Some(&w.admin),
            "query($id: ID!) { violation(id: $id) { id } }",
            json!({"id": v1_violation}),
        )
        .await;
    assert_eq!(gone.error().0, "NOT_FOUND");
}

#[tokio::test]
async fn a_vendor_never_reaches_another_vendors_data() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let v = Some(w.vendor.as_str());

    // Direct ids of the other vendor's records.
    let singles = [
        ("vendor", w.two.vendor.clone()),
        ("informationSystem", w.two.system.clone()),
        ("workOrder", ids(&w, "workOrders").1),
        ("complaint", ids(&w, "complaints").1),
        ("fault", ids(&w, "faults").1),
        ("surveyResponse", ids(&w, "surveyResponses").1),
        ("attendance", ids(&w, "attendances").1),
    ];
    for (field, id) in singles {
        let answer = app
            .gql(
                v,
                &format!("query($id: ID!) {{ {field}(id: $id) {{ id }} }}"),
                json!({"id": id}),
            )
            .await;
        assert_eq!(answer.error().0, "NOT_FOUND", "{field}");
        assert!(answer.data().is_null(), "{field} leaked {}", answer.0);
    }

    // Filtering a list by the other vendor yields nothing.
    let filtered = app
        .gql(
            v,
            "query($v: ID!) { workOrders(filter: { vendorId: $v }) { total items { id } } }",
            json!({"v": w.two.vendor}),
        )
        .await;
    assert_eq!(filtered.ok()["workOrders"]["total"], 0);

    // Nested paths: through a region to its agencies and contracts, through its
    // own system to the agency, through its own vendor record.
    let region = app
        .gql(
            v,
            "query($r: ID!) { region(id: $r) { agencies { id } } }",
            json!({"r": w.two.region}),
        )
        .await;
    assert_eq!(region.error().0, "FORBIDDEN");
    let contracts = app
        .must(
            &w.vendor,
            "query($r: ID!) { region(id: $r) { contracts { vendorId } } }",
            json!({"r": w.two.region}),
        )
        .await;
    assert_eq!(
        contracts["region"]["contracts"],
        json!([]),
        "R2's contracts are V2's"
    );
    let system = app
        .gql(
            v,
            "query($s: ID!) { informationSystem(id: $s) { id agency { id } } }",
            json!({"s": w.one.system}),
        )
        .await;
    assert_eq!(system.error().0, "NOT_FOUND");
    let own = app.must(&w.vendor, "{ workOrders { items { vendor { id contracts { vendorId } systems { vendorId } } } } }", json!({})).await;
    for item in own["workOrders"]["items"].as_array().unwrap() {
        assert_eq!(item["vendor"]["id"], json!(w.one.vendor));
        for c in item["vendor"]["contracts"].as_array().unwrap() {
            assert_eq!(c["vendorId"], json!(w.one.vendor));
        }
    }
    // A fault's affected systems are checked one by one.
    let fault = ids(&w, "faults").0;
    let affected = app
        .must(
            &w.vendor,
            "query($f: ID!) { fault(id: $f) { affectedSystems { vendorId } } }",
            json!({"f": fault}),
        )
        .await;
    assert_eq!(
        affected["fault"]["affectedSystems"][0]["vendorId"],
        json!(w.one.vendor)
    );
}

/// Creating reference data: regions, vendors and users are the administrator's;
/// agencies, systems and contracts also the region's supervisor's; vendors and
/// agencies create none of them.
#[tokio::test]
async fn reference_data_is_written_by_administrators_and_the_regions_supervisor() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let (r1, r2, v1, a1) = (&w.one.region, &w.two.region, &w.one.vendor, &w.one.agency);
    let cases: Vec<(&str, &str, serde_json::Value, [Option<&str>; 4])> = vec![
        (
            "createRegion",
            "CreateRegionInput",
            json!({"code": "R9", "name": "新区", "schemeCode": "sh-municipal"}),
            [
                None,
                Some("FORBIDDEN"),
                Some("FORBIDDEN"),
                Some("FORBIDDEN"),
            ],
        ),
        (
            "createVendor",
            "CreateVendorInput",
            json!({"code": "V9", "name": "新云", "contactEmails": []}),
            [
                None,
                Some("FORBIDDEN"),
                Some("FORBIDDEN"),
                Some("FORBIDDEN"),
            ],
        ),
        (
            "createAgency",
            "CreateAgencyInput",
            json!({"regionId": r1, "name": "新单位"}),
            [None, None, Some("FORBIDDEN"), Some("FORBIDDEN")],
        ),
        (
            "createAgency",
            "CreateAgencyInput",
            json!({"regionId": r2, "name": "他区单位"}),
            [
                None,
                Some("FORBIDDEN"),
                Some("FORBIDDEN"),
                Some("FORBIDDEN"),
            ],
        ),
        (
            "createContract",
            "CreateContractInput",
            json!({"vendorId": v1, "regionId": r1, "serviceYear": 2026, "settlementAmount": "10.00", "monthlyFee": "1.00"}),
            [None, None, Some("FORBIDDEN"), Some("FORBIDDEN")],
        ),
        (
            "createInformationSystem",
            "CreateInformationSystemInput",
            json!({"regionId": r1, "agencyId": a1, "vendorId": v1, "name": "新系统", "class": "C", "protectionLevel": 2, "onlineOn": "2025-01-01"}),
            [None, None, Some("FORBIDDEN"), Some("FORBIDDEN")],
        ),
        (
            "createUser",
            "CreateUserInput",
            json!({"username": "new", "password": "New-pass-2026", "role": "VENDOR", "vendorId": v1}),
            [
                None,
                Some("FORBIDDEN"),
                Some("FORBIDDEN"),
                Some("FORBIDDEN"),
            ],
        ),
    ];
    for (n, (mutation, input_type, input, expected)) in cases.into_iter().enumerate() {
        let tokens = [&w.admin, &w.supervisor, &w.vendor, &w.agency];
        for (role, (token, outcome)) in tokens.into_iter().zip(expected).enumerate() {
            // Each attempt its own unique keys, so one role's success is no
            // duplicate for the next.
            let mut input = input.clone();
            for key in ["code", "name", "username"] {
                if let Some(v) = input.get(key).and_then(|c| c.as_str()).map(str::to_owned) {
                    input[key] = json!(format!("{v}{n}x{role}"));
                }
            }
            if input.get("serviceYear").is_some() {
                input["serviceYear"] = json!(2030 + role);
            }
            let query = format!("mutation($i: {input_type}!) {{ {mutation}(input: $i) {{ id }} }}");
            let answer = app.gql(Some(token), &query, json!({ "i": input })).await;
            match outcome {
                None => assert!(answer.errors().is_empty(), "{mutation} #{n}: {}", answer.0),
                Some(code) => assert_eq!(answer.error().0, code, "{mutation} #{n}"),
            }
        }
    }
}
