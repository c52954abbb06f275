//! `fact_kind!`: a fact kind's GraphQL resource from one list of its own
//! columns. Every fact has an id, an owner (region and vendor) and who
//! recorded it when; the macro writes those, and for each listed column
//! (`name: Kind`, see `columns`) the object's field, the create input's, the
//! update input's, and the lines of `build` and `patch` — so a column is named
//! once. `fixed { … }` columns are set at creation only (they come first);
//! `#[create(…)]` and `#[update(…)]` put attributes (a default, a description)
//! on a column's input fields; `#[recorder(…)]` on the `recordedById` field;
//! `after_build` names a rule on the new row that depends on who records it.
//! For people, `label:` names the kind in Chinese, `title:` the column it is
//! named by, and each column's `#[label("…")]` its Chinese label (a reference
//! adds what it picks: `#[label("使用单位", Agency)]`); with the column's kind
//! these make the kind's `fields::Described`, which the console's forms and the
//! spreadsheets read.
//! The kind's checks against the database are the domain's
//! (`domain::facts`); its links beyond region and vendor go in `links { … }`.

macro_rules! fact_kind {
    (
        $(#[doc = $odoc:literal])*
        $(#[recorder($rattr:meta)])*
        $res:ident => $obj:ident, entity: $ent:ident, page: $page:ident,
        label: $klabel:literal, title: $title:ident,
        inputs: $create:ident, $update:ident,
        query: $query:ident { $get:ident, $list:ident },
        mutation: $mutation:ident { $c:ident, $u:ident, $d:ident },
        $(fixed {
            $( $(#[doc = $xdoc:literal])* #[label($xlabel:literal $(, $xpick:ident)?)] $(#[create($xattr:meta)])* $xfield:ident : $xkind:ty ),* $(,)?
        })?
        columns {
            $( $(#[doc = $doc:literal])* #[label($label:literal $(, $pick:ident)?)] $(#[create($cattr:meta)])* $(#[update($uattr:meta)])* $field:ident : $kind:ty ),* $(,)?
        }
        $(after_build: $after:path,)?
        links { $($links:tt)* }
    ) => {
        $(#[doc = $odoc])*
        #[derive(async_graphql::SimpleObject)]
        #[graphql(complex)]
        pub struct $obj {
            pub id: async_graphql::ID,
            pub region_id: async_graphql::ID,
            pub vendor_id: async_graphql::ID,
            $($( $(#[doc = $xdoc])* pub $xfield: <$xkind as $crate::graphql::facts::columns::Column>::Out, )*)?
            $( $(#[doc = $doc])* pub $field: <$kind as $crate::graphql::facts::columns::Column>::Out, )*
            $(#[$rattr])*
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
                    $($( $xfield: <$xkind>::show(m.$xfield), )*)?
                    $( $field: <$kind>::show(m.$field), )*
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
            $($( $(#[$xattr])* pub $xfield: <$xkind as $crate::graphql::facts::columns::Column>::In, )*)?
            $( $(#[$cattr])* pub $field: <$kind as $crate::graphql::facts::columns::Column>::In, )*
        }

        #[derive(async_graphql::InputObject)]
        pub struct $update {
            $( $(#[$uattr])* pub $field: <$kind as $crate::graphql::facts::columns::Column>::Patch, )*
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
                #[allow(unused_mut)]
                let mut row = entities::$ent::Model {
                    id: 0,
                    region_id,
                    vendor_id,
                    $($( $xfield: <$xkind>::parse(&input_path(stringify!($xfield)), input.$xfield)?, )*)?
                    $( $field: <$kind>::parse(&input_path(stringify!($field)), input.$field)?, )*
                    recorded_by: actor.user_id,
                    recorded_at: now,
                };
                $( $after(&mut row, actor)?; )?
                Ok(row)
            }

            fn patch(row: &mut entities::$ent::Model, input: $update) -> domain::DomainResult<()> {
                use $crate::graphql::facts::columns::{Column, input_path};
                $( <$kind>::apply(&input_path(stringify!($field)), &mut row.$field, input.$field)?; )*
                Ok(())
            }
        }

        impl $crate::graphql::facts::fields::Described for $res {
            const LABEL: &'static str = $klabel;
            const TITLE: &'static str = stringify!($title);
            const FIELDS: &'static [$crate::graphql::facts::fields::Field] = {
                use $crate::graphql::facts::columns::Column;
                use $crate::graphql::facts::fields::{Field, OWNER, When};
                &[
                    OWNER[0],
                    OWNER[1],
                    $($( Field::column(stringify!($xfield), $xlabel, <$xkind>::INPUT, &[$($crate::graphql::facts::fields::Pick::$xpick)?], <$xkind>::REQUIRED, When::Create), )*)?
                    $( Field::column(stringify!($field), $label, <$kind>::INPUT, &[$($crate::graphql::facts::fields::Pick::$pick)?], <$kind>::REQUIRED, When::Always), )*
                ]
            };
        }

        crud_api!(resource: $res, object: $obj, page: $page,
            create_input: $create, update_input: $update,
            query: $query { $get, $list },
            mutation: $mutation { $c, $u, $d });
    };
}
