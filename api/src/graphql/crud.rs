//! The GraphQL edge of the generic store (`domain::store`): the caller and the
//! state from the request, ids and filters parsed from their GraphQL shape, and
//! how a resource's create and update inputs become a row. The rules a row must
//! satisfy and who may write it are the store's.

use async_graphql::{Context, ID, InputObject, InputType};
use chrono::{DateTime, Utc};
use domain::page::{DEFAULT_LIMIT, MAX_LIMIT, Page};
use domain::period::Period;
use domain::store::{self, Writable};
use domain::{Actor, DomainError, DomainResult};
use sea_orm::DatabaseConnection;

use crate::state::AppState;
use domain::audit::Audit;

/// How the GraphQL edge parses a resource's inputs into a row.
pub trait FromInput: Writable {
    type Create: InputType;
    type Update: InputType;

    /// A new row (id 0) from the create input; field-level checks only.
    fn build(input: Self::Create, actor: &Actor, now: DateTime<Utc>) -> DomainResult<Self::Model>;
    /// Applies an update input to a row; field-level checks only.
    fn patch(row: &mut Self::Model, input: Self::Update) -> DomainResult<()>;
}

/// The signed-in caller and the shared state, or `UNAUTHENTICATED`.
pub fn env<'c>(ctx: &'c Context<'_>) -> DomainResult<(&'c AppState, &'c Actor)> {
    let actor = ctx
        .data_opt::<Actor>()
        .ok_or(DomainError::Unauthenticated)?;
    let state = ctx
        .data::<AppState>()
        .map_err(|e| DomainError::Internal(e.message.into()))?;
    Ok((state, actor))
}

pub fn parse_id(field: &str, id: &ID) -> DomainResult<i64> {
    id.parse::<i64>()
        .ok()
        .filter(|v| *v > 0)
        .ok_or_else(|| DomainError::bad(field, format!("\"{}\" is not a valid id", id.as_str())))
}

pub fn parse_opt_id(field: &str, id: &Option<ID>) -> DomainResult<Option<i64>> {
    id.as_ref().map(|v| parse_id(field, v)).transpose()
}

#[derive(InputObject, Default, Clone)]
#[graphql(name = "ListFilter")]
pub struct ListFilter {
    pub region_id: Option<ID>,
    pub vendor_id: Option<ID>,
    pub agency_id: Option<ID>,
    /// A month `YYYY-MM` or a year `YYYY` (Asia/Shanghai), on the record's own date.
    pub period: Option<String>,
    /// Assessment results: every revision, not only the latest of each period.
    pub history: Option<bool>,
}

impl ListFilter {
    pub fn parse(self) -> DomainResult<store::ListFilter> {
        Ok(store::ListFilter {
            region_id: parse_opt_id("filter.regionId", &self.region_id)?,
            vendor_id: parse_opt_id("filter.vendorId", &self.vendor_id)?,
            agency_id: parse_opt_id("filter.agencyId", &self.agency_id)?,
            period: self
                .period
                .map(|text| Period::parse(&text))
                .transpose()
                .map_err(|reason| DomainError::bad("filter.period", reason))?,
            history: self.history == Some(true),
        })
    }
}

pub async fn list<R: store::Resource>(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: Option<ListFilter>,
    offset: Option<i64>,
    limit: Option<i64>,
) -> DomainResult<Page<R::Model>> {
    let filter = filter.unwrap_or_default().parse()?;
    store::list::<R>(db, actor, filter, offset, limit).await
}

pub async fn create<R: FromInput>(
    db: &DatabaseConnection,
    actor: &Actor,
    audit: &Audit,
    input: R::Create,
) -> DomainResult<R::Model> {
    let row = R::build(input, actor, Utc::now())?;
    store::create::<R>(db, actor, audit, row).await
}

pub async fn update<R: FromInput>(
    db: &DatabaseConnection,
    actor: &Actor,
    audit: &Audit,
    id: i64,
    input: R::Update,
) -> DomainResult<R::Model> {
    store::update::<R>(db, actor, audit, id, |row| R::patch(row, input)).await
}

/// What a page costs in a request's complexity budget: its selection (items
/// and their fields, `total`, …) once for every row it may return. Limits out
/// of range count as the nearest allowed one (the resolver then refuses them,
/// naming `limit`).
pub fn page_complexity(limit: Option<i64>, selection: usize) -> usize {
    let rows = limit.map_or(DEFAULT_LIMIT, |l| l.clamp(1, MAX_LIMIT as i64) as u64);
    usize::try_from(rows)
        .unwrap_or(usize::MAX)
        .saturating_mul(selection.max(1))
}
