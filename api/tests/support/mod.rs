//! What the API crate's process-level tests share: a fresh database of their
//! own ([`TestDatabase`], on PostgreSQL when `TEST_DATABASE_URL` names a
//! server, CI's second lane, else an SQLite file) and a seeded region.

#![allow(clippy::unwrap_used)]

use sea_orm::{ActiveModelTrait, Set};

/// A fresh database of the test's own, dropped with it (shared with `tests/`).
pub use test_support::TestDatabase;

/// One municipal region (calendar service years) with `vendors` vendors, each
/// contracted for `service_year`, through the real migrations. Returns the
/// vendor ids. (Every test binary includes this module; not all of them seed.)
#[allow(dead_code)]
pub async fn seed_region(url: &str, service_year: i32, vendors: usize) -> Vec<i64> {
    let mut config = api::config::Config::from_lookup(|_| None).unwrap();
    config.database_url = url.to_owned();
    let db = domain::db::connect(&config.database_url, config.pool())
        .await
        .unwrap();
    let now = chrono::Utc::now();
    let region = entities::region::ActiveModel {
        code: Set("R".into()),
        name: Set("区".into()),
        parent_id: Set(None),
        scheme_code: Set("sh-municipal".into()),
        service_year_start_month: Set(1),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap();
    let mut ids = Vec::new();
    for n in 0..vendors {
        let vendor = entities::vendor::ActiveModel {
            code: Set(format!("V{n}")),
            name: Set(format!("云{n}")),
            contact_emails: Set(serde_json::json!([])),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&db)
        .await
        .unwrap();
        entities::contract::ActiveModel {
            vendor_id: Set(vendor.id),
            region_id: Set(region.id),
            service_year: Set(service_year),
            settlement_amount: Set(1000.into()),
            monthly_fee: Set(100.into()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&db)
        .await
        .unwrap();
        ids.push(vendor.id);
    }
    ids
}
