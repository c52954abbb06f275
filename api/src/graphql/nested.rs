//! Resolving a related record or list from a field. Every nested path goes
//! through the same access checks as the top-level queries.
//!
//! Nested fields are batched per request with a DataLoader: a list of 500 work
//! orders asking for `vendor { name }` costs one `IN (…)` query, not 500. The
//! loader carries the caller, so a batch is filtered exactly as `crud::get` and
//! `crud::list` filter one row.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;

use async_graphql::dataloader::{DataLoader, Loader};
use async_graphql::{Context, ID};

use crate::error::{DomainError, DomainResult, GqlResult};
use crate::graphql::crud::{self};
use crate::state::AppState;
use domain::actor::Actor;
use domain::store::{Link, Resource};

/// What a request's loader needs: the pool and the caller it filters for.
pub struct Rows {
    pub(crate) state: AppState,
    pub(crate) actor: Actor,
}

/// The per-request loader, put into the request's data next to the actor.
pub fn loader(state: AppState, actor: Actor) -> DataLoader<Rows> {
    // Its batches run with the request's share of the pool (`db_share`).
    DataLoader::new(Rows { state, actor }, domain::db_share::spawn)
}

/// A row of `R` by id.
pub struct ById<R>(i64, PhantomData<fn() -> R>);

/// The rows of `R` that belong to one parent (a region, vendor or agency).
pub struct Children<R>(Link, i64, PhantomData<fn() -> R>);

// Written by hand: derives would demand `R: Clone + Eq + Hash`, which resources are not.
impl<R> Clone for ById<R> {
    fn clone(&self) -> Self {
        Self(self.0, PhantomData)
    }
}
impl<R> PartialEq for ById<R> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}
impl<R> Eq for ById<R> {}
impl<R> Hash for ById<R> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}
impl<R> Clone for Children<R> {
    fn clone(&self) -> Self {
        Self(self.0, self.1, PhantomData)
    }
}
impl<R> PartialEq for Children<R> {
    fn eq(&self, other: &Self) -> bool {
        (self.0, self.1) == (other.0, other.1)
    }
}
impl<R> Eq for Children<R> {}
impl<R> Hash for Children<R> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (self.0, self.1).hash(state);
    }
}

impl<R: Resource> Loader<ById<R>> for Rows {
    type Value = R::Model;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[ById<R>]) -> Result<HashMap<ById<R>, R::Model>, Self::Error> {
        let ids = keys.iter().map(|k| k.0).collect::<Vec<_>>();
        let rows = domain::store::get_many::<R>(&self.state.db, &self.actor, ids)
            .await
            .gql()?;
        Ok(rows
            .into_iter()
            .map(|(id, row)| (ById(id, PhantomData), row))
            .collect())
    }
}

impl<R: Resource> Loader<Children<R>> for Rows {
    type Value = Vec<R::Model>;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[Children<R>],
    ) -> Result<HashMap<Children<R>, Vec<R::Model>>, Self::Error> {
        let mut out = HashMap::new();
        for link in [Link::Region, Link::Vendor, Link::Agency] {
            let parents: Vec<i64> = keys.iter().filter(|k| k.0 == link).map(|k| k.1).collect();
            if parents.is_empty() {
                continue;
            }
            let groups = domain::store::children::<R>(&self.state.db, &self.actor, link, parents)
                .await
                .gql()?;
            out.extend(
                groups
                    .into_iter()
                    .map(|(parent, rows)| (Children(link, parent, PhantomData), rows)),
            );
        }
        Ok(out)
    }
}

pub fn rows<'c>(ctx: &'c Context<'_>) -> async_graphql::Result<&'c DataLoader<Rows>> {
    // No loader means no signed-in caller: the same answer as `crud::env`.
    ctx.data_opt::<DataLoader<Rows>>()
        .ok_or(DomainError::Unauthenticated)
        .gql()
}

/// One row as its GraphQL object; an object read from a stored document
/// (`TryFrom`) fails with the document's error.
pub async fn one<R: Resource, O: TryFrom<R::Model>>(
    ctx: &Context<'_>,
    id: &ID,
) -> async_graphql::Result<O>
where
    DomainError: From<O::Error>,
{
    let key = crud::parse_id("id", id).gql()?;
    rows(ctx)?
        .load_one(ById::<R>(key, PhantomData))
        .await?
        .ok_or_else(|| DomainError::not_found(format!("{} {key}", R::NAME)))
        .and_then(|row| O::try_from(row).map_err(DomainError::from))
        .gql()
}

/// A row the caller may or may not read: `None` when it is out of its reach
/// (a vendor reading its contract's agency), where `one` answers NOT_FOUND.
pub async fn if_readable<R: Resource, O: TryFrom<R::Model>>(
    ctx: &Context<'_>,
    id: &Option<ID>,
) -> async_graphql::Result<Option<O>>
where
    DomainError: From<O::Error>,
{
    let Some(id) = id else {
        return Ok(None);
    };
    let key = crud::parse_id("id", id).gql()?;
    rows(ctx)?
        .load_one(ById::<R>(key, PhantomData))
        .await?
        .map(|row| O::try_from(row).map_err(DomainError::from))
        .transpose()
        .gql()
}

pub async fn optional<R: Resource, O: TryFrom<R::Model>>(
    ctx: &Context<'_>,
    id: &Option<ID>,
) -> async_graphql::Result<Option<O>>
where
    DomainError: From<O::Error>,
{
    match id {
        Some(id) => one::<R, O>(ctx, id).await.map(Some),
        None => Ok(None),
    }
}

/// The related records of a parent, in id order, up to `crud::MAX_LIMIT`.
pub async fn many<R: Resource, O: TryFrom<R::Model>>(
    ctx: &Context<'_>,
    link: Link,
    parent: &ID,
) -> async_graphql::Result<Vec<O>>
where
    DomainError: From<O::Error>,
{
    let parent = crud::parse_id("id", parent).gql()?;
    let found = rows(ctx)?
        .load_one(Children::<R>(link, parent, PhantomData))
        .await?
        .unwrap_or_default();
    found
        .into_iter()
        .map(|row| O::try_from(row).map_err(DomainError::from))
        .collect::<DomainResult<Vec<O>>>()
        .gql()
}

pub fn id(v: i64) -> ID {
    ID(v.to_string())
}
