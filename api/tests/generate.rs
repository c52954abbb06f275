//! `govcloud generate` at a tiny scale: the rows are those the plan promises,
//! the same seed gives the same rows, another seed other rows, a filled
//! database is refused without `--reset`, and every fault is graded as the
//! API grades it. On PostgreSQL when `TEST_DATABASE_URL` is set, else on
//! SQLite files.

#![allow(clippy::unwrap_used)]

mod support;

use api::generate::{self, GenerateError, Options, Plan};
use chrono::Utc;
use rust_decimal_macros::dec;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, QueryOrder, Statement};

async fn connect(url: &str) -> DatabaseConnection {
    let mut config = api::config::Config::from_lookup(|_| None).unwrap();
    config.database_url = url.to_owned();
    domain::db::connect(&config.database_url, config.pool())
        .await
        .unwrap()
}

fn tiny(seed: u64) -> Options {
    Options {
        scale: dec!(0.002),
        seed,
        ..Options::default()
    }
}

async fn count(db: &DatabaseConnection, table: &str) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT COUNT(*) AS n FROM {table}"),
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get("", "n").unwrap()
}

/// The rows of the tables that show most of the generator's choices.
async fn snapshot(db: &DatabaseConnection) -> String {
    use entities::*;
    let mut users = user::Entity::find()
        .order_by_asc(user::Column::Id)
        .all(db)
        .await
        .unwrap();
    // The hash has a random salt; everything else must repeat.
    for u in &mut users {
        u.password_hash.clear();
    }
    macro_rules! rows {
        ($($e:ident),*) => {
            vec![$(format!("{:?}", $e::Entity::find().order_by_asc($e::Column::Id).all(db).await.unwrap())),*]
        };
    }
    let mut parts = rows!(
        region,
        vendor,
        contract,
        agency,
        information_system,
        attendance,
        survey_response,
        work_order,
        outage,
        fault,
        change,
        security_risk
    );
    parts.push(format!("{users:?}"));
    parts.join("\n")
}

#[tokio::test]
async fn generator_is_reproducible_and_loads_what_it_plans() {
    let database_a = support::TestDatabase::create("generate_a").await;
    let url_a = database_a.url().to_owned();
    let database_b = support::TestDatabase::create("generate_b").await;
    let url_b = database_b.url().to_owned();
    let (a, b) = (connect(&url_a).await, connect(&url_b).await);

    let report = generate::generate(&a, &tiny(2026)).await.unwrap();

    // Every table holds what the plan works out.
    let plan = Plan::new(2026, dec!(0.002), &[2024, 2025, 2026]).unwrap();
    let expected = plan.expected_rows();
    for (table, n) in &expected {
        assert_eq!(count(&a, table).await, *n as i64, "{table}");
    }
    let mut reported = report.rows.clone();
    reported.sort();
    let mut planned = expected.clone();
    planned.sort();
    assert_eq!(reported, planned);
    assert_eq!(
        a.get_database_backend() == DbBackend::Postgres,
        database_a.is_postgres()
    );

    // A second run into the filled database is refused.
    let refused = generate::generate(&a, &tiny(2026)).await;
    assert!(matches!(refused, Err(GenerateError::NotEmpty)));

    // The same seed elsewhere: the same rows.
    generate::generate(&b, &tiny(2026)).await.unwrap();
    let first = snapshot(&a).await;
    assert_eq!(first, snapshot(&b).await);

    // Another seed (after --reset): other rows.
    let reset = Options {
        reset: true,
        ..tiny(7)
    };
    generate::generate(&a, &reset).await.unwrap();
    assert_ne!(first, snapshot(&a).await);

    a.close().await.unwrap();
    b.close().await.unwrap();
}

#[tokio::test]
async fn generated_faults_are_graded_as_the_api_grades_them() {
    let database = support::TestDatabase::create("generate_faults").await;
    let url = database.url().to_owned();
    let db = connect(&url).await;
    let options = Options {
        scale: dec!(0.02),
        seed: 11,
        years: vec![2025],
        ..Options::default()
    };
    generate::generate(&db, &options).await.unwrap();

    let faults = entities::fault::Entity::find().all(&db).await.unwrap();
    assert!(!faults.is_empty());
    for stored in faults {
        let mut regraded = stored.clone();
        domain::grading::grade_fault(&db, &mut regraded, Utc::now())
            .await
            .unwrap();
        assert_eq!(
            (
                regraded.level,
                regraded.grading_row,
                regraded.platform_systems
            ),
            (stored.level, stored.grading_row, stored.platform_systems),
            "fault {}",
            stored.id
        );
    }

    db.close().await.unwrap();
}
