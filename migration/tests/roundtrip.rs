//! Migrates a fresh database and round-trips rows through the entities.
//!
//! Always runs on an in-memory SQLite database. Set `MIGRATION_TEST_POSTGRES_URL`
//! to a throwaway PostgreSQL database to run the same checks there too (the
//! migrations are rolled back at the end).

use chrono::{TimeZone, Utc};
use entities::{contract, fault, region, user, vendor};
use migration::{Migrator, MigratorTrait};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, Database, DatabaseConnection, DbErr, EntityTrait, SqlErr,
};
use serde_json::json;

async fn roundtrip(db: &DatabaseConnection) -> Result<(), DbErr> {
    let now = Utc
        .with_ymd_and_hms(2026, 11, 23, 8, 30, 0)
        .single()
        .expect("valid instant");

    let region = region::ActiveModel {
        code: Set("sh".to_owned()),
        name: Set("上海市".to_owned()),
        parent_id: Set(None),
        scheme_code: Set("sh-municipal".to_owned()),
        service_year_start_month: Set(1),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let vendor = vendor::ActiveModel {
        code: Set("acme".to_owned()),
        name: Set("Acme Cloud".to_owned()),
        contact_emails: Set(json!(["ops@acme.example"])),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let admin = user::ActiveModel {
        username: Set("admin".to_owned()),
        password_hash: Set("$argon2id$test".to_owned()),
        role: Set("ADMIN".to_owned()),
        disabled: Set(false),
        created_at: Set(now),
        password_changed_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;

    let inserted = contract::ActiveModel {
        vendor_id: Set(vendor.id),
        region_id: Set(region.id),
        service_year: Set(2026),
        settlement_amount: Set(dec!(1105728.00)),
        monthly_fee: Set(dec!(92144.67)),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let contract = contract::Entity::find_by_id(inserted.id)
        .one(db)
        .await?
        .expect("contract was inserted");
    assert_eq!(contract.settlement_amount, dec!(1105728.00));
    assert_eq!(contract.settlement_amount, Decimal::new(110_572_800, 2));
    assert_eq!(contract.monthly_fee, dec!(92144.67));
    assert_eq!(contract.created_at, now);

    let inserted = fault::ActiveModel {
        region_id: Set(region.id),
        vendor_id: Set(vendor.id),
        title: Set("ECS unusable".to_owned()),
        affected_system_ids: Set(json!([1, 2])),
        impact: Set("UNUSABLE".to_owned()),
        occurred_at: Set(now),
        reported_at: Set(Some(now)),
        recovered_at: Set(None),
        misreported: Set(false),
        level: Set(2),
        grading_row: Set(3),
        level_override: Set(None),
        level_override_reason: Set(None),
        confirmed: Set(true),
        vendor_liable: Set(true),
        recorded_by: Set(admin.id),
        recorded_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let fault = fault::Entity::find_by_id(inserted.id)
        .one(db)
        .await?
        .expect("fault was inserted");
    assert_eq!(fault.affected_system_ids, json!([1, 2]));
    assert_eq!(fault.reported_at, Some(now));
    assert_eq!(fault.recovered_at, None);
    assert!(fault.confirmed && fault.vendor_liable);

    // ON DELETE RESTRICT: a referenced vendor cannot be deleted.
    let err = vendor::Entity::delete_by_id(vendor.id)
        .exec(db)
        .await
        .expect_err("vendor is referenced");
    assert!(
        matches!(
            err.sql_err(),
            Some(SqlErr::ForeignKeyConstraintViolation(_))
        ),
        "expected a foreign key violation, got {err:?}"
    );

    // Unique (vendor_id, region_id, service_year).
    let err = contract::ActiveModel {
        vendor_id: Set(vendor.id),
        region_id: Set(region.id),
        service_year: Set(2026),
        settlement_amount: Set(Decimal::ZERO),
        monthly_fee: Set(Decimal::ZERO),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect_err("duplicate contract");
    assert!(
        matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))),
        "expected a unique violation, got {err:?}"
    );
    Ok(())
}

#[tokio::test]
async fn sqlite_memory_roundtrip() -> Result<(), DbErr> {
    let db = Database::connect("sqlite::memory:").await?;
    Migrator::up(&db, None).await?;
    roundtrip(&db).await
}

#[tokio::test]
async fn postgres_roundtrip_when_configured() -> Result<(), DbErr> {
    let Ok(url) = std::env::var("MIGRATION_TEST_POSTGRES_URL") else {
        return Ok(());
    };
    let db = Database::connect(&url).await?;
    Migrator::up(&db, None).await?;
    let result = roundtrip(&db).await;
    Migrator::down(&db, None).await?;
    result
}
