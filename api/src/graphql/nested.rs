//! Resolving a related record or list from a field. Every nested path goes
//! through the same access checks as the top-level queries.

use async_graphql::{Context, ID};

use crate::crud::{self, ListFilter, Resource};
use crate::error::GqlResult;

pub async fn one<R: Resource, O: From<R::Model>>(
    ctx: &Context<'_>,
    id: &ID,
) -> async_graphql::Result<O> {
    async {
        let (state, actor) = crud::env(ctx)?;
        let id = crud::parse_id("id", id)?;
        crud::get::<R>(state, actor, id).await.map(O::from)
    }
    .await
    .gql()
}

pub async fn optional<R: Resource, O: From<R::Model>>(
    ctx: &Context<'_>,
    id: &Option<ID>,
) -> async_graphql::Result<Option<O>> {
    match id {
        Some(id) => one::<R, O>(ctx, id).await.map(Some),
        None => Ok(None),
    }
}

/// The first page (up to the maximum) of related records.
pub async fn many<R: Resource, O: From<R::Model>>(
    ctx: &Context<'_>,
    filter: ListFilter,
) -> async_graphql::Result<Vec<O>> {
    async {
        let (state, actor) = crud::env(ctx)?;
        let page =
            crud::list::<R>(state, actor, filter, None, Some(crud::MAX_LIMIT as i64)).await?;
        Ok(page.items.into_iter().map(O::from).collect())
    }
    .await
    .gql()
}

pub fn id(v: i64) -> ID {
    ID(v.to_string())
}
