//! The shapes every resource repeats, written once.

/// The sea-orm glue of a resource: its entity, policy, scope and time columns.
macro_rules! resource {
    (
        $marker:ident => $module:ident, name: $name:literal, policy: $policy:expr,
        region: $region:expr, vendor: $vendor:expr, agency: $agency:expr, time: $time:expr,
        scope: |$m:ident| $scope:expr $(,)?
    ) => {
        pub struct $marker;

        impl $crate::store::Resource for $marker {
            type Entity = entities::$module::Entity;
            type Model = entities::$module::Model;
            type ActiveModel = entities::$module::ActiveModel;
            type Column = entities::$module::Column;
            const NAME: &'static str = $name;
            const POLICY: $crate::access::Policy = $policy;
            const ID: Self::Column = entities::$module::Column::Id;
            const REGION: Option<Self::Column> = $region;
            const VENDOR: Option<Self::Column> = $vendor;
            const AGENCY: Option<Self::Column> = $agency;
            const TIME: $crate::store::TimeColumn<Self::Column> = $time;

            fn id(m: &Self::Model) -> i64 {
                m.id
            }
            fn scope($m: &Self::Model) -> $crate::access::Scope {
                $scope
            }
        }
    };
}
