//! The shapes every resource repeats, written once.

/// A GraphQL enum stored as upper-case text; `Variant => "TEXT" / "中文"`
/// names a value for people (the console's options), else its text is shown.
macro_rules! db_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal $(/ $zh:literal)?),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(async_graphql::Enum, Copy, Clone, Debug, PartialEq, Eq)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }
            /// Rows are only written through the API, so stored text is always a
            /// known variant; anything else would be a corrupted row.
            pub fn from_db(text: &str) -> Self {
                match text {
                    $($text => Self::$variant,)+
                    other => {
                        tracing::error!(value = other, "unknown {} in the database", stringify!($name));
                        db_enum!(@first $($variant)+)
                    }
                }
            }
        }

        impl $crate::graphql::facts::columns::StoredText for $name {
            const OPTIONS: &'static [$crate::graphql::facts::fields::Choice] = &[$(
                $crate::graphql::facts::fields::Choice { value: $text, label: db_enum!(@zh $text $($zh)?) }
            ),+];
            fn as_str(self) -> &'static str {
                $name::as_str(self)
            }
            fn from_db(text: &str) -> Self {
                $name::from_db(text)
            }
        }

        /// A fact's column of this enum, stored as its text.
        impl $crate::graphql::facts::columns::Column for $name {
            type Stored = String;
            type Out = Self;
            type In = Self;
            type Patch = Option<Self>;
            const INPUT: $crate::graphql::facts::fields::Input = $crate::graphql::facts::fields::Input::Choice(
                <Self as $crate::graphql::facts::columns::StoredText>::OPTIONS,
            );

            fn show(stored: String) -> Self {
                Self::from_db(&stored)
            }
            fn parse(_: &str, value: Self) -> domain::DomainResult<String> {
                Ok(value.as_str().to_owned())
            }
            fn apply(_: &str, slot: &mut String, patch: Option<Self>) -> domain::DomainResult<()> {
                if let Some(value) = patch {
                    *slot = value.as_str().to_owned();
                }
                Ok(())
            }
        }
    };
    (@first $first:ident $($rest:ident)*) => { Self::$first };
    (@zh $text:literal) => { $text };
    (@zh $text:literal $zh:literal) => { $zh };
}

/// The query (one by id, a page) and the mutations (create, update, delete) of a
/// resource, all going through `crate::graphql::crud`, which applies the access policy.
macro_rules! crud_api {
    (
        resource: $res:ty, object: $obj:ident, page: $page:ident,
        create_input: $create_in:ty, update_input: $update_in:ty,
        query: $query:ident { $get:ident, $list:ident },
        mutation: $mutation:ident { $create:ident, $update:ident, $delete:ident } $(,)?
    ) => {
        crud_api!(@read resource: $res, object: $obj, page: $page, query: $query { $get, $list });

        #[derive(Default)]
        pub struct $mutation;

        #[async_graphql::Object]
        impl $mutation {
            async fn $create(&self, ctx: &async_graphql::Context<'_>, input: $create_in) -> async_graphql::Result<$obj> {
                use $crate::error::GqlResult;
                async {
                    let (state, actor) = $crate::graphql::crud::env(ctx)?;
                    $crate::graphql::crud::create::<$res>(&state.db, actor, &$crate::graphql::audit::of(ctx, actor), input).await.and_then(|m| <$obj>::try_from(m).map_err($crate::error::DomainError::from))
                }
                .await
                .gql()
            }

            async fn $update(
                &self,
                ctx: &async_graphql::Context<'_>,
                id: async_graphql::ID,
                input: $update_in,
            ) -> async_graphql::Result<$obj> {
                use $crate::error::GqlResult;
                async {
                    let (state, actor) = $crate::graphql::crud::env(ctx)?;
                    let id = $crate::graphql::crud::parse_id("id", &id)?;
                    $crate::graphql::crud::update::<$res>(&state.db, actor, &$crate::graphql::audit::of(ctx, actor), id, input).await.and_then(|m| <$obj>::try_from(m).map_err($crate::error::DomainError::from))
                }
                .await
                .gql()
            }

            /// Returns the id of the deleted record.
            async fn $delete(&self, ctx: &async_graphql::Context<'_>, id: async_graphql::ID) -> async_graphql::Result<async_graphql::ID> {
                use $crate::error::GqlResult;
                async {
                    let (state, actor) = $crate::graphql::crud::env(ctx)?;
                    let raw = $crate::graphql::crud::parse_id("id", &id)?;
                    domain::store::delete::<$res>(&state.db, actor, &$crate::graphql::audit::of(ctx, actor), raw).await.map(|()| id)
                }
                .await
                .gql()
            }
        }
    };
    (@read resource: $res:ty, object: $obj:ident, page: $page:ident, query: $query:ident { $get:ident, $list:ident }) => {
        /// One page of a list, with the total count of matching records.
        #[derive(async_graphql::SimpleObject)]
        pub struct $page {
            pub items: Vec<$obj>,
            pub total: u64,
            pub offset: u64,
            pub limit: u64,
        }

        impl TryFrom<domain::page::Page<<$res as domain::store::Resource>::Model>> for $page {
            type Error = $crate::error::DomainError;
            fn try_from(p: domain::page::Page<<$res as domain::store::Resource>::Model>) -> Result<Self, Self::Error> {
                let items = p.items.into_iter().map(<$obj>::try_from).collect::<Result<Vec<_>, _>>()?;
                Ok(Self { items, total: p.total, offset: p.offset, limit: p.limit })
            }
        }

        #[derive(Default)]
        pub struct $query;

        #[async_graphql::Object]
        impl $query {
            async fn $get(&self, ctx: &async_graphql::Context<'_>, id: async_graphql::ID) -> async_graphql::Result<$obj> {
                $crate::graphql::nested::one::<$res, $obj>(ctx, &id).await
            }

            // One page costs its selection once per row it may return
            // (`limit`, default 50) in the request's complexity budget.
            #[graphql(complexity = "crate::graphql::crud::page_complexity(limit, child_complexity)")]
            async fn $list(
                &self,
                ctx: &async_graphql::Context<'_>,
                filter: Option<$crate::graphql::crud::ListFilter>,
                offset: Option<i64>,
                limit: Option<i64>,
            ) -> async_graphql::Result<$page> {
                use $crate::error::GqlResult;
                async {
                    let (state, actor) = $crate::graphql::crud::env(ctx)?;
                    $crate::graphql::crud::list::<$res>(&state.db, actor, filter, offset, limit).await.and_then(<$page>::try_from)
                }
                .await
                .gql()
            }
        }
    };
}
