//! The working-day calendar the engine counts A1 deadlines with: the built-in
//! published years plus the years an administrator loads (a loaded year replaces
//! a built-in one of the same number).

use chrono::Utc;
use engine::calendar::{WorkCalendar, YearCalendar};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set,
};

use crate::access::Scope;
use crate::actor::Actor;
use crate::audit::{Audit, Change};
use crate::error::{DomainError, DomainResult};

pub async fn load(conn: &impl ConnectionTrait) -> DomainResult<WorkCalendar> {
    let mut calendar = WorkCalendar::builtin();
    for row in entities::calendar_year::Entity::find().all(conn).await? {
        let year: YearCalendar = serde_json::from_str(&row.document).map_err(|e| {
            DomainError::Internal(
                format!("stored calendar {} does not parse: {e}", row.year).into(),
            )
        })?;
        calendar.with_year(year).map_err(|e| {
            DomainError::Internal(format!("stored calendar {} is invalid: {e}", row.year).into())
        })?;
    }
    Ok(calendar)
}

/// Loads (or replaces) one year (administrators only).
pub async fn store_year(
    db: &DatabaseConnection,
    actor: &Actor,
    audit: &Audit,
    year: YearCalendar,
) -> DomainResult<YearCalendar> {
    actor.require_admin()?;
    if !(2000..=2100).contains(&year.year) {
        return Err(DomainError::bad("input.year", "must be from 2000 to 2100"));
    }
    year.validate()
        .map_err(|e| DomainError::bad("input", e.to_string()))?;
    let document = serde_json::to_string(&year).map_err(DomainError::internal)?;
    let _db = crate::db_share::permit().await;
    let mut txn = audit.begin(db).await?;
    let replaced = entities::calendar_year::Entity::find()
        .filter(entities::calendar_year::Column::Year.eq(year.year))
        .one(&*txn)
        .await?;
    entities::calendar_year::Entity::delete_many()
        .filter(entities::calendar_year::Column::Year.eq(year.year))
        .exec(&*txn)
        .await?;
    let row = entities::calendar_year::ActiveModel {
        year: Set(year.year),
        document: Set(document),
        loaded_by: Set(actor.user_id),
        loaded_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    // The whole year before (if it replaced a loaded one) and after: the rows
    // differ in id, so a field diff would say less than the two documents.
    let target = Change::on("CalendarYear", Some(row.id), Scope::default());
    let change = match &replaced {
        Some(old) => target.replaced(old, &row)?,
        None => target.created(&row)?,
    };
    txn.record(change).await?;
    txn.commit().await?;
    Ok(year)
}
