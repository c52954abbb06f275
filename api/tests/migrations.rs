//! Data migrations keep what the old rows meant, on SQLite and on PostgreSQL
//! (`TEST_DATABASE_URL`).

#![allow(clippy::unwrap_used)]

mod support;

use chrono::{DateTime, Utc};
use migration::{Migrator, MigratorTrait};
use sea_orm::sea_query::{Alias, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, Database, DatabaseConnection, EntityTrait, IntoActiveModel,
    QueryOrder,
};

/// The migrations of 23 November 2026, before issue 10's.
const BEFORE_ISSUE_10: u32 = 6;

fn instant(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

/// A region, a vendor and a user to own fact rows; their ids.
async fn owners(db: &DatabaseConnection) -> (i64, i64, i64) {
    let now = instant("2026-11-20T00:00:00Z");
    let region = entities::region::Model {
        id: 0,
        code: "R".into(),
        name: "区".into(),
        parent_id: None,
        scheme_code: "sh-municipal".into(),
        service_year_start_month: 1,
        created_at: now,
        notice_prefix: None,
        contact: None,
        terms_code: None,
    };
    let mut region = region.into_active_model().reset_all();
    region.not_set(entities::region::Column::Id);
    // Columns of a later migration (m20261201_000030), not there yet: left out
    // of the insert, and the row is not read back (only its id).
    region.not_set(entities::region::Column::NoticePrefix);
    region.not_set(entities::region::Column::Contact);
    region.not_set(entities::region::Column::TermsCode);
    let region_id = entities::region::Entity::insert(region)
        .exec(db)
        .await
        .unwrap()
        .last_insert_id;
    let mut vendor = entities::vendor::Model {
        id: 0,
        code: "V".into(),
        name: "云".into(),
        contact_emails: serde_json::json!([]),
        created_at: now,
    }
    .into_active_model()
    .reset_all();
    vendor.not_set(entities::vendor::Column::Id);
    let vendor = vendor.insert(db).await.unwrap();
    let mut user = entities::user::Model {
        id: 0,
        username: "admin".into(),
        password_hash: "x".into(),
        role: "ADMIN".into(),
        region_id: None,
        vendor_id: None,
        agency_id: None,
        disabled: false,
        created_at: now,
        password_changed_at: now,
        tokens_valid_after: None,
        email: None,
    }
    .into_active_model()
    .reset_all();
    user.not_set(entities::user::Column::Id);
    // A column of a later migration (m20261201_000020), not there yet: left
    // out of the insert, and the row is not read back (only its id).
    user.not_set(entities::user::Column::TokensValidAfter);
    user.not_set(entities::user::Column::Email);
    let user_id = entities::user::Entity::insert(user)
        .exec(db)
        .await
        .unwrap()
        .last_insert_id;
    (region_id, vendor.id, user_id)
}

/// Item 8: the yes/no `rectified` flag becomes `rectified_at`. A row flagged
/// rectified gets its own `occurred_at` (rectified in the month it occurred: how
/// the old engine scored it in every month); an unflagged row stays open (null).
#[tokio::test]
async fn the_rectified_flag_becomes_an_instant_in_the_month_it_occurred() {
    let database = support::TestDatabase::create("migrate_rectified").await;
    let url = database.url().to_owned();
    let db = Database::connect(&url).await.unwrap();
    Migrator::up(&db, Some(BEFORE_ISSUE_10)).await.unwrap();
    let (region, vendor, user) = owners(&db).await;
    let insert = |occurred: &str, rectified: bool| {
        let at = instant(occurred);
        let stmt = Query::insert()
            .into_table(Alias::new("unticketed_deliveries"))
            .columns(
                [
                    "region_id",
                    "vendor_id",
                    "description",
                    "occurred_at",
                    "rectified",
                    "confirmed",
                    "vendor_liable",
                    "recorded_by",
                    "recorded_at",
                ]
                .map(Alias::new),
            )
            .values_panic([
                region.into(),
                vendor.into(),
                "d".into(),
                at.into(),
                rectified.into(),
                true.into(),
                true.into(),
                user.into(),
                at.into(),
            ])
            .to_owned();
        db.get_database_backend().build(&stmt)
    };
    db.execute_raw(insert("2025-03-04T01:00:00Z", true))
        .await
        .unwrap();
    db.execute_raw(insert("2025-04-04T01:00:00Z", false))
        .await
        .unwrap();

    Migrator::up(&db, None).await.unwrap();

    let rows = entities::unticketed_delivery::Entity::find()
        .order_by_asc(entities::unticketed_delivery::Column::Id)
        .all(&db)
        .await
        .unwrap();
    let rectified: Vec<_> = rows.iter().map(|r| r.rectified_at).collect();
    assert_eq!(
        rectified,
        [Some(instant("2025-03-04T01:00:00Z")), None],
        "flagged → its occurred_at; not flagged → null"
    );

    // Down again (every migration after 23 November): the flag comes back.
    let applied = Migrator::get_applied_migrations(&db).await.unwrap().len() as u32;
    Migrator::down(&db, Some(applied - BEFORE_ISSUE_10))
        .await
        .unwrap();
    let flags: Vec<bool> = db
        .query_all(
            &Query::select()
                .column(Alias::new("rectified"))
                .from(Alias::new("unticketed_deliveries"))
                .order_by(Alias::new("id"), sea_orm::sea_query::Order::Asc)
                .to_owned(),
        )
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get("", "rectified").unwrap())
        .collect();
    assert_eq!(flags, [true, false]);
    db.close().await.unwrap();
}

/// Item 10: responses recorded before the questionnaire's fields were kept keep
/// null in them, and several of them from one agency about one vendor and year
/// (allowed then) survive the new unique index (nulls never collide); a named
/// respondent answering twice does collide.
#[tokio::test]
async fn old_survey_responses_keep_null_respondents_and_the_index_holds_named_ones() {
    let database = support::TestDatabase::create("migrate_survey").await;
    let url = database.url().to_owned();
    let db = Database::connect(&url).await.unwrap();
    Migrator::up(&db, Some(BEFORE_ISSUE_10)).await.unwrap();
    let (region, vendor, user) = owners(&db).await;
    let mut agency = entities::agency::Model {
        id: 0,
        region_id: region,
        name: "单位".into(),
        created_at: instant("2026-11-20T00:00:00Z"),
    }
    .into_active_model()
    .reset_all();
    agency.not_set(entities::agency::Column::Id);
    let agency = agency.insert(&db).await.unwrap().id;
    let mut columns: Vec<String> = ["region_id", "vendor_id", "agency_id", "service_year"]
        .map(String::from)
        .to_vec();
    columns.extend((1..=10).map(|q| format!("q{q}")));
    columns.extend(["recorded_by", "recorded_at"].map(String::from));
    for _ in 0..2 {
        let mut values: Vec<sea_orm::sea_query::SimpleExpr> =
            vec![region.into(), vendor.into(), agency.into(), 2025.into()];
        values.extend((1..=10).map(|_| 4.into()));
        values.extend([user.into(), instant("2025-12-20T02:00:00Z").into()]);
        let stmt = Query::insert()
            .into_table(Alias::new("survey_responses"))
            .columns(columns.iter().map(Alias::new))
            .values_panic(values)
            .to_owned();
        db.execute(&stmt).await.unwrap();
    }

    Migrator::up(&db, None).await.unwrap();

    let rows = entities::survey_response::Entity::find()
        .order_by_asc(entities::survey_response::Column::Id)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r.respondent_name.is_none()
        && r.surveyed_on.is_none()
        && r.suggestions.is_none()));
    // Naming the same respondent on both is refused by the index.
    let name = |id: i64| {
        Query::update()
            .table(Alias::new("survey_responses"))
            .value(Alias::new("respondent_name"), "张敏")
            .and_where(sea_orm::sea_query::Expr::col(Alias::new("id")).eq(id))
            .to_owned()
    };
    db.execute(&name(rows[0].id)).await.unwrap();
    assert!(db.execute(&name(rows[1].id)).await.is_err());
    db.close().await.unwrap();
}

/// The migrations before issue 13's document numbers.
const BEFORE_NOTICE_NUMBERS: u32 = 11;

/// Issue 13, item 4: the notices there are get numbers by region, local year
/// and id. Region R (name 区: no suffix to drop, prefix 区政云监) has notices
/// issued 2025-12-31 15:59:59 UTC (23:59:59 in Shanghai: 2025), 2025-12-31
/// 16:00:00 UTC (2026 in Shanghai) and 2025-06-01: 2025's are numbered 1 and 2
/// in id order, 2026's is 1. The counter then gives 2026's next notice 第2号.
#[tokio::test]
async fn existing_notices_are_numbered_by_region_year_and_id() {
    let database = support::TestDatabase::create("migrate_notice_numbers").await;
    let url = database.url().to_owned();
    let db = Database::connect(&url).await.unwrap();
    Migrator::up(&db, Some(BEFORE_NOTICE_NUMBERS))
        .await
        .unwrap();
    let (region, vendor, _) = owners(&db).await;
    for created in [
        "2025-12-31T15:59:59Z",
        "2025-12-31T16:00:00Z",
        "2025-06-01T00:00:00Z",
    ] {
        let at = instant(created);
        let stmt = Query::insert()
            .into_table(Alias::new("notices"))
            .columns(
                [
                    "region_id",
                    "vendor_id",
                    "kind",
                    "reason",
                    "basis",
                    "deadline",
                    "status",
                    "created_at",
                    "updated_at",
                ]
                .map(Alias::new),
            )
            .values_panic([
                region.into(),
                vendor.into(),
                "MANUAL".into(),
                "r".into(),
                "[]".into(),
                at.date_naive().into(),
                "ISSUED".into(),
                at.into(),
                at.into(),
            ])
            .to_owned();
        db.execute_raw(db.get_database_backend().build(&stmt))
            .await
            .unwrap();
    }

    Migrator::up(&db, None).await.unwrap();
    let numbers: Vec<String> = entities::notice::Entity::find()
        .order_by_asc(entities::notice::Column::Id)
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|n| n.document_number)
        .collect();
    assert_eq!(
        numbers,
        [
            "区政云监〔2025〕第1号",
            "区政云监〔2026〕第1号",
            "区政云监〔2025〕第2号"
        ]
    );
    let txn = domain::db::write_txn(&db).await.unwrap();
    let next = domain::notices::insert(
        &txn,
        &domain::notices::NewNotice {
            region_id: region,
            vendor_id: vendor,
            kind: domain::notices::NoticeKind::Manual,
            period: None,
            reason: "r".into(),
            basis: vec![],
            result_id: None,
            risk_id: None,
            deadline: Some(chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()),
            created_by: None,
        },
        instant("2026-02-01T02:00:00Z"),
    )
    .await
    .unwrap();
    txn.commit().await.unwrap();
    assert_eq!(next.document_number, "区政云监〔2026〕第2号");
    db.close().await.unwrap();
}
