//! The generic create / read / update / delete / list over any resource, with the
//! access policy applied in one place so no resolver can forget it.
//!
//! A resource says how to find its scope (region, vendor, agency) and its time
//! column; a writable resource says how to build and patch a row from its inputs
//! and how to check the row before it is saved. Each mutation is one transaction
//! with its audit entry (`crate::audit`): a refused row leaves nothing behind,
//! neither the row nor an entry.

use std::future::Future;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait, FromQueryResult, IntoActiveModel, ModelTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Select,
};

use crate::access::{self, ListScope, Policy, Scope};
use crate::actor::Actor;
use crate::audit::{Audit, AuditedTxn, Change};
use crate::error::{DomainError, DomainResult};
use crate::page::{MAX_LIMIT, Page, paging};
use crate::period::Period;

/// The column a period filter applies to.
#[derive(Clone, Copy)]
pub enum TimeColumn<C> {
    None,
    Instant(C),
    Date(C),
    /// A `YYYY-MM` text column.
    MonthText(C),
    /// An integer service-year column.
    ServiceYear(C),
    /// A text column holding a month `YYYY-MM` or a service year `YYYY` (an
    /// assessment's period): a month filter matches the month, a year filter
    /// the service year and every month of the calendar year.
    PeriodText(C),
}

pub trait Resource: Send + Sync + 'static {
    type Entity: EntityTrait<Model = Self::Model, ActiveModel = Self::ActiveModel, Column = Self::Column>;
    type Model: ModelTrait<Entity = Self::Entity>
        + FromQueryResult
        + IntoActiveModel<Self::ActiveModel>
        + Clone
        // The audit trail keeps rows as JSON.
        + serde::Serialize
        + Send
        + Sync;
    type ActiveModel: ActiveModelTrait<Entity = Self::Entity>
        + ActiveModelBehavior
        + Send
        + Sync
        + 'static;
    type Column: ColumnTrait + Copy + Send + Sync;

    /// The GraphQL type name, used in messages.
    const NAME: &'static str;
    const POLICY: Policy;
    const ID: Self::Column;
    const REGION: Option<Self::Column>;
    const VENDOR: Option<Self::Column>;
    const AGENCY: Option<Self::Column>;
    const TIME: TimeColumn<Self::Column>;

    fn id(m: &Self::Model) -> i64;
    fn scope(m: &Self::Model) -> Scope;

    /// A further condition on what the actor sees beyond the scope (e.g. vendors
    /// see published results only); applied to lists and single reads alike.
    fn restrict(_actor: &Actor, query: Select<Self::Entity>) -> Select<Self::Entity> {
        query
    }

    /// Lists show the newest row first (runs, results) rather than by id.
    const NEWEST_FIRST: bool = false;

    /// The current rows only (e.g. a result's latest revision), unless the
    /// list asks for history (`filter.history`).
    fn current(_actor: &Actor, query: Select<Self::Entity>) -> Select<Self::Entity> {
        query
    }
}

/// A resource the store writes: its rows are checked against the database
/// before they are saved. The edges parse their input into a row (`build`,
/// `patch` at the edge); the rule that a row must satisfy lives here.
pub trait Writable: Resource {
    /// Checks the whole row against the database before it is saved (references
    /// exist and agree, cross-field rules); may fill in derived columns.
    fn check<'a>(
        txn: &'a DatabaseTransaction,
        row: &'a mut Self::Model,
    ) -> impl Future<Output = DomainResult<()>> + Send + 'a;
}

async fn find<R: Resource>(conn: &impl ConnectionTrait, id: i64) -> DomainResult<Option<R::Model>> {
    Ok(R::Entity::find().filter(R::ID.eq(id)).one(conn).await?)
}

/// One row the actor may read. Rows outside its reach are `NOT_FOUND`, exactly
/// like missing ones, so ids do not reveal other vendors' data.
pub async fn get<R: Resource>(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
) -> DomainResult<R::Model> {
    get_many::<R>(db, actor, vec![id])
        .await?
        .remove(&id)
        .ok_or_else(|| DomainError::not_found(format!("{} {id}", R::NAME)))
}

/// The rows of `ids` the actor may read, in one query; the others are simply
/// absent (the caller answers `NOT_FOUND` for them, as `get` does).
pub async fn get_many<R: Resource>(
    db: &DatabaseConnection,
    actor: &Actor,
    ids: Vec<i64>,
) -> DomainResult<std::collections::HashMap<i64, R::Model>> {
    let _db = crate::db_share::permit().await;
    let rows = R::restrict(actor, R::Entity::find().filter(R::ID.is_in(ids)))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter(|row| access::can_read(actor, &R::POLICY, R::scope(row)))
        .map(|row| (R::id(&row), row))
        .collect())
}

/// What a nested list hangs off.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Link {
    Region,
    Vendor,
    Agency,
}

/// The rows of several parents that the actor may list, in one query, grouped
/// by parent in id order and each cut at `MAX_LIMIT` like a first page.
pub async fn children<R: Resource>(
    db: &DatabaseConnection,
    actor: &Actor,
    link: Link,
    parents: Vec<i64>,
) -> DomainResult<std::collections::HashMap<i64, Vec<R::Model>>> {
    let (field, column) = match link {
        Link::Region => ("filter.regionId", R::REGION),
        Link::Vendor => ("filter.vendorId", R::VENDOR),
        Link::Agency => ("filter.agencyId", R::AGENCY),
    };
    let column = column
        .ok_or_else(|| DomainError::bad(field, format!("{} cannot be filtered by it", R::NAME)))?;
    let _db = crate::db_share::permit().await;
    let rows = R::restrict(actor, scoped::<R>(actor)?)
        .filter(column.is_in(parents))
        .order_by_asc(R::ID)
        .all(db)
        .await?;
    let mut out: std::collections::HashMap<i64, Vec<R::Model>> = Default::default();
    for row in rows {
        let Some(parent) = parent_of::<R>(&row, link) else {
            continue;
        };
        let group = out.entry(parent).or_default();
        if group.len() < MAX_LIMIT as usize {
            group.push(row);
        }
    }
    Ok(out)
}

fn parent_of<R: Resource>(row: &R::Model, link: Link) -> Option<i64> {
    let scope = R::scope(row);
    match link {
        Link::Region => scope.region,
        Link::Vendor => scope.vendor,
        Link::Agency => scope.agency,
    }
}

/// A referenced row must exist (it is not a question of access: the reference
/// is checked inside the writer's transaction).
pub async fn require<R: Resource>(
    txn: &DatabaseTransaction,
    field: &str,
    id: i64,
) -> DomainResult<R::Model> {
    find::<R>(txn, id)
        .await?
        .ok_or_else(|| DomainError::bad(field, format!("no {} with id {id}", R::NAME)))
}

/// A referenced row of the given region must exist. One of another region
/// answers exactly like a missing one, so a reference cannot probe what other
/// regions hold.
pub async fn require_in_region<R: Resource>(
    txn: &DatabaseTransaction,
    field: &str,
    id: i64,
    region_id: i64,
) -> DomainResult<R::Model> {
    find::<R>(txn, id)
        .await?
        .filter(|row| R::scope(row).region == Some(region_id))
        .ok_or_else(|| {
            DomainError::bad(field, format!("no {} with id {id} in this region", R::NAME))
        })
}

/// What a list is narrowed to, parsed at the edge; the field names in errors
/// are the edges' own (`filter.regionId`).
#[derive(Clone, Debug, Default)]
pub struct ListFilter {
    pub region_id: Option<i64>,
    pub vendor_id: Option<i64>,
    pub agency_id: Option<i64>,
    /// A month or a year (Asia/Shanghai), on the record's own date.
    pub period: Option<Period>,
    /// Assessment results: every revision, not only the latest of each period.
    pub history: bool,
}

pub async fn list<R: Resource>(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: ListFilter,
    offset: Option<i64>,
    limit: Option<i64>,
) -> DomainResult<Page<R::Model>> {
    list_where::<R>(db, actor, filter, sea_orm::Condition::all(), offset, limit).await
}

/// `list`, narrowed further by a condition on the resource's own columns (a
/// console's text or status filter). The condition only narrows: what the
/// actor may list is decided here, as for `list`.
pub async fn list_where<R: Resource>(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: ListFilter,
    also: sea_orm::Condition,
    offset: Option<i64>,
    limit: Option<i64>,
) -> DomainResult<Page<R::Model>> {
    let (offset, limit) = paging(offset, limit)?;
    let query = R::restrict(actor, scoped::<R>(actor)?);
    let query = filtered::<R>(query, &filter)?.filter(also);
    let query = if filter.history {
        query
    } else {
        R::current(actor, query)
    };
    let _db = crate::db_share::permit().await;
    let total = query.clone().count(db).await?;
    let query = if R::NEWEST_FIRST {
        query.order_by_desc(R::ID)
    } else {
        query.order_by_asc(R::ID)
    };
    let items = query.offset(offset).limit(limit).all(db).await?;
    Ok(Page {
        items,
        total,
        offset,
        limit,
    })
}

/// What the actor may list of `R`, before any filter; refused when its role
/// lists none (public for batch loaders that filter by their own column).
pub fn scoped<R: Resource>(actor: &Actor) -> DomainResult<Select<R::Entity>> {
    let query = R::Entity::find();
    let narrow = |column: Option<R::Column>, id: i64| match column {
        Some(c) => Ok(R::Entity::find().filter(c.eq(id))),
        None => Err(DomainError::forbidden(format!(
            "{} is not listed for your role",
            R::NAME
        ))),
    };
    match access::list_scope(actor, &R::POLICY) {
        ListScope::All => Ok(query),
        ListScope::Region(id) => narrow(R::REGION, id),
        ListScope::Vendor(id) => narrow(R::VENDOR, id),
        ListScope::Agency(id) => narrow(R::AGENCY, id),
        ListScope::Denied => Err(DomainError::forbidden(format!(
            "your role may not read {}",
            R::NAME
        ))),
    }
}

fn filtered<R: Resource>(
    mut query: Select<R::Entity>,
    filter: &ListFilter,
) -> DomainResult<Select<R::Entity>> {
    for (field, column, value) in [
        ("filter.regionId", R::REGION, &filter.region_id),
        ("filter.vendorId", R::VENDOR, &filter.vendor_id),
        ("filter.agencyId", R::AGENCY, &filter.agency_id),
    ] {
        let Some(id) = *value else {
            continue;
        };
        let column = column.ok_or_else(|| {
            DomainError::bad(field, format!("{} cannot be filtered by it", R::NAME))
        })?;
        query = query.filter(column.eq(id));
    }
    let Some(period) = filter.period else {
        return Ok(query);
    };
    Ok(match R::TIME {
        TimeColumn::None => {
            return Err(DomainError::bad(
                "filter.period",
                format!("{} has no date to filter on", R::NAME),
            ));
        }
        TimeColumn::Instant(c) => {
            let (from, to) = period.utc_bounds();
            query.filter(c.gte(from)).filter(c.lt(to))
        }
        TimeColumn::Date(c) => {
            let (from, to) = period.date_bounds();
            query.filter(c.gte(from)).filter(c.lt(to))
        }
        TimeColumn::MonthText(c) => match period {
            Period::Month { .. } => query.filter(c.eq(period.to_string())),
            Period::Year(y) => query.filter(c.starts_with(format!("{y:04}-"))),
        },
        TimeColumn::PeriodText(c) => match period {
            Period::Month { .. } => query.filter(c.eq(period.to_string())),
            Period::Year(y) => query.filter(
                sea_orm::Condition::any()
                    .add(c.eq(format!("{y:04}")))
                    .add(c.starts_with(format!("{y:04}-"))),
            ),
        },
        TimeColumn::ServiceYear(c) => match period {
            Period::Year(y) => query.filter(c.eq(y)),
            Period::Month { .. } => {
                return Err(DomainError::bad(
                    "filter.period",
                    "a service year is a year: YYYY",
                ));
            }
        },
    })
}

pub async fn create<R: Writable>(
    db: &DatabaseConnection,
    actor: &Actor,
    audit: &Audit,
    mut row: R::Model,
) -> DomainResult<R::Model> {
    if !access::can_create(actor, &R::POLICY, R::scope(&row)) {
        return Err(DomainError::forbidden(format!(
            "you may not create this {}",
            R::NAME
        )));
    }
    let _db = crate::db_share::permit().await;
    let mut txn = audit.begin(db).await?;
    crate::validate::plausible_times(&row)?;
    R::check(&txn, &mut row).await?;
    let mut active = row.into_active_model().reset_all();
    active.not_set(R::ID);
    let saved = active.insert(&*txn).await?;
    let change = Change::on(R::NAME, Some(R::id(&saved)), R::scope(&saved)).created(&saved)?;
    txn.record(change).await?;
    txn.commit().await?;
    Ok(saved)
}

pub async fn update<R: Writable>(
    db: &DatabaseConnection,
    actor: &Actor,
    audit: &Audit,
    id: i64,
    patch: impl FnOnce(&mut R::Model) -> DomainResult<()>,
) -> DomainResult<R::Model> {
    let _db = crate::db_share::permit().await;
    let mut txn = audit.begin(db).await?;
    let saved = update_in::<R>(&mut txn, actor, id, patch).await?;
    txn.commit().await?;
    Ok(saved)
}

/// `update` inside a larger audited transaction (a dispute's decision
/// changes a fact and closes the dispute together): the same checks, and the
/// row's own audit entry recorded in `txn`; the caller commits.
pub async fn update_in<R: Writable>(
    txn: &mut AuditedTxn<'_>,
    actor: &Actor,
    id: i64,
    patch: impl FnOnce(&mut R::Model) -> DomainResult<()>,
) -> DomainResult<R::Model> {
    let mut row = modifiable::<R>(txn, actor, id).await?;
    let before = row.clone();
    patch(&mut row)?;
    // The patched row must still be the actor's to write (no moving a fact into
    // another region).
    if !access::can_modify(actor, &R::POLICY, R::scope(&row)) {
        return Err(DomainError::forbidden(format!(
            "you may not move this {} out of your reach",
            R::NAME
        )));
    }
    crate::validate::plausible_times(&row)?;
    R::check(txn, &mut row).await?;
    let saved = row.into_active_model().reset_all().update(&**txn).await?;
    // Scoped by the row as saved: the region it is in now.
    let change = Change::on(R::NAME, Some(id), R::scope(&saved)).updated(&before, &saved)?;
    txn.record(change).await?;
    Ok(saved)
}

pub async fn delete<R: Resource>(
    db: &DatabaseConnection,
    actor: &Actor,
    audit: &Audit,
    id: i64,
) -> DomainResult<()> {
    let _db = crate::db_share::permit().await;
    let mut txn = audit.begin(db).await?;
    let row = modifiable::<R>(&txn, actor, id).await?;
    R::Entity::delete_many()
        .filter(R::ID.eq(id))
        .exec(&*txn)
        .await
        .map_err(|e| match DomainError::from(e) {
            DomainError::BadInput { .. } => DomainError::bad(
                "id",
                format!("{} {id} is still referenced by other records", R::NAME),
            ),
            other => other,
        })?;
    // An imported fact's external id goes with it: the row may be imported again.
    crate::imports::forget_fact(&*txn, R::NAME, id).await?;
    let change = Change::on(R::NAME, Some(id), R::scope(&row)).deleted(&row)?;
    txn.record(change).await?;
    txn.commit().await?;
    Ok(())
}

/// Loads a row for update or delete: unreadable → NOT_FOUND, readable but not
/// writable → FORBIDDEN.
async fn modifiable<R: Resource>(
    txn: &DatabaseTransaction,
    actor: &Actor,
    id: i64,
) -> DomainResult<R::Model> {
    let row = find::<R>(txn, id).await?;
    match row {
        Some(row) if access::can_modify(actor, &R::POLICY, R::scope(&row)) => Ok(row),
        Some(row) if access::can_read(actor, &R::POLICY, R::scope(&row)) => Err(
            DomainError::forbidden(format!("you may not change {} {id}", R::NAME)),
        ),
        _ => Err(DomainError::not_found(format!("{} {id}", R::NAME))),
    }
}

/// Cross-field order checks shared by the fact resources.
pub fn ensure_not_before(
    field: &str,
    later: DateTime<Utc>,
    other_field: &str,
    earlier: DateTime<Utc>,
) -> DomainResult<()> {
    if later < earlier {
        return Err(DomainError::bad(
            field,
            format!("must not be before {other_field}"),
        ));
    }
    Ok(())
}

pub fn ensure_date_not_before(
    field: &str,
    later: NaiveDate,
    other_field: &str,
    earlier: NaiveDate,
) -> DomainResult<()> {
    if later < earlier {
        return Err(DomainError::bad(
            field,
            format!("must not be before {other_field}"),
        ));
    }
    Ok(())
}
