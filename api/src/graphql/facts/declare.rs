//! `fact_kind!`: a fact kind's GraphQL resource from one list of its own
//! columns. Every fact has an id, an owner (region and vendor), the flags
//! `confirmed` and `vendorLiable`, and who recorded it when; the macro writes
//! those, and for each listed column (`name: Kind`, see `columns`) the object's
//! field, the create input's, the update input's, and the lines of `build` and
//! `patch` — so a column is named once. `#[create(…)]` and `#[update(…)]`
//! put attributes (a default, a description) on a column's input fields. Its checks against the database are
//! the domain's (`domain::facts`); its links beyond region and vendor go in
//! `links { … }`.

macro_rules! fact_kind {
    (
        $res:ident => $obj:ident, entity: $ent:ident, page: $page:ident,
        inputs: $create:ident, $update:ident,
        query: $query:ident { $get:ident, $list:ident },
        mutation: $mutation:ident { $c:ident, $u:ident, $d:ident },
        columns {
            $( $(#[doc = $doc:literal])* $(#[create($cattr:meta)])* $(#[update($uattr:meta)])* $field:ident : $kind:ty ),* $(,)?
        }
        links { $($links:tt)* }
    ) => {
        #[derive(async_graphql::SimpleObject)]
        #[graphql(complex)]
        pub struct $obj {
            pub id: async_graphql::ID,
            pub region_id: async_graphql::ID,
            pub vendor_id: async_graphql::ID,
            $( $(#[doc = $doc])* pub $field: <$kind as $crate::graphql::facts::columns::Column>::Out, )*
            pub confirmed: bool,
            pub vendor_liable: bool,
            pub recorded_by_id: async_graphql::ID,
            pub recorded_at: chrono::DateTime<chrono::FixedOffset>,
        }

        impl From<entities::$ent::Model> for $obj {
            fn from(m: entities::$ent::Model) -> Self {
                use $crate::graphql::facts::columns::Column;
                use $crate::graphql::nested::id;
                Self {
                    id: id(m.id),
                    region_id: id(m.region_id),
                    vendor_id: id(m.vendor_id),
                    $( $field: <$kind>::show(m.$field), )*
                    confirmed: m.confirmed,
                    vendor_liable: m.vendor_liable,
                    recorded_by_id: id(m.recorded_by),
                    recorded_at: domain::period::local(m.recorded_at),
                }
            }
        }

        $crate::graphql::facts::fact_links!($obj { $($links)* });

        #[derive(async_graphql::InputObject)]
        pub struct $create {
            pub region_id: async_graphql::ID,
            pub vendor_id: async_graphql::ID,
            $( $(#[$cattr])* pub $field: <$kind as $crate::graphql::facts::columns::Column>::In, )*
            pub confirmed: bool,
            pub vendor_liable: bool,
        }

        #[derive(async_graphql::InputObject)]
        pub struct $update {
            $( $(#[$uattr])* pub $field: <$kind as $crate::graphql::facts::columns::Column>::Patch, )*
            pub confirmed: Option<bool>,
            pub vendor_liable: Option<bool>,
        }

        impl $crate::graphql::crud::FromInput for $res {
            type Create = $create;
            type Update = $update;

            fn build(
                input: $create,
                actor: &domain::Actor,
                now: chrono::DateTime<chrono::Utc>,
            ) -> domain::DomainResult<entities::$ent::Model> {
                use $crate::graphql::facts::columns::{Column, input_path};
                let (region_id, vendor_id) =
                    $crate::graphql::facts::owner(&input.region_id, &input.vendor_id)?;
                Ok(entities::$ent::Model {
                    id: 0,
                    region_id,
                    vendor_id,
                    $( $field: <$kind>::parse(&input_path(stringify!($field)), input.$field)?, )*
                    confirmed: input.confirmed,
                    vendor_liable: input.vendor_liable,
                    recorded_by: actor.user_id,
                    recorded_at: now,
                })
            }

            fn patch(row: &mut entities::$ent::Model, input: $update) -> domain::DomainResult<()> {
                use $crate::graphql::facts::columns::{Column, input_path};
                $( <$kind>::apply(&input_path(stringify!($field)), &mut row.$field, input.$field)?; )*
                row.confirmed = input.confirmed.unwrap_or(row.confirmed);
                row.vendor_liable = input.vendor_liable.unwrap_or(row.vendor_liable);
                Ok(())
            }
        }

        crud_api!(resource: $res, object: $obj, page: $page,
            create_input: $create, update_input: $update,
            query: $query { $get, $list },
            mutation: $mutation { $c, $u, $d });
    };
}
