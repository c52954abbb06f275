//! The facts supervision teams record, one module per kind. Every fact belongs to
//! a region and a vendor and records who recorded it and when; event facts also
//! carry `confirmed` and `vendorLiable`, since only confirmed, vendor-liable
//! facts count in an assessment and a dispute may flip either.

use async_graphql::ID;
use chrono::{DateTime, FixedOffset, Utc};

use crate::error::DomainResult;
use crate::graphql::crud;

#[macro_use]
mod declare;

pub mod attendances;
pub mod changes;
pub mod columns;
pub mod complaints;
pub mod faults;
pub mod fields;
pub mod outages;
pub mod security_accidents;
pub mod security_risks;
pub mod service_tasks;
pub mod survey_responses;
pub mod trainings;
pub mod unticketed_deliveries;
pub mod violations;
pub mod work_orders;

/// Every fact kind's query, merged into the schema's root once.
#[derive(async_graphql::MergedObject, Default)]
pub struct FactQuery(
    work_orders::WorkOrderQuery,
    unticketed_deliveries::UnticketedDeliveryQuery,
    service_tasks::ServiceTaskQuery,
    attendances::AttendanceQuery,
    complaints::ComplaintQuery,
    outages::OutageQuery,
    faults::FaultQuery,
    changes::ChangeQuery,
    violations::ViolationQuery,
    trainings::TrainingQuery,
    security_risks::SecurityRiskQuery,
    security_accidents::SecurityAccidentQuery,
    survey_responses::SurveyResponseQuery,
);

/// Every fact kind's mutations, merged into the schema's root once.
#[derive(async_graphql::MergedObject, Default)]
pub struct FactMutation(
    work_orders::WorkOrderMutation,
    unticketed_deliveries::UnticketedDeliveryMutation,
    service_tasks::ServiceTaskMutation,
    attendances::AttendanceMutation,
    complaints::ComplaintMutation,
    outages::OutageMutation,
    faults::FaultMutation,
    changes::ChangeMutation,
    violations::ViolationMutation,
    trainings::TrainingMutation,
    security_risks::SecurityRiskMutation,
    security_accidents::SecurityAccidentMutation,
    survey_responses::SurveyResponseMutation,
);

/// The region and vendor ids of a create input.
pub fn owner(region_id: &ID, vendor_id: &ID) -> DomainResult<(i64, i64)> {
    Ok((
        crud::parse_id("input.regionId", region_id)?,
        crud::parse_id("input.vendorId", vendor_id)?,
    ))
}

/// Policy: who complained or answered a survey is not the vendor's to know;
/// `value` for everyone else.
pub fn unless_vendor<T>(ctx: &async_graphql::Context<'_>, value: Option<T>) -> Option<T> {
    match ctx.data_opt::<domain::actor::Actor>().map(|a| a.role) {
        Some(domain::actor::Role::Vendor { .. }) | None => None,
        Some(_) => value,
    }
}

/// The name of a fact's agency, read as part of the fact: whoever may read
/// the fact (the vendor complained about, too) sees which agency it came from,
/// though the vendor may not read the agency itself.
pub async fn agency_name(
    ctx: &async_graphql::Context<'_>,
    agency_id: Option<&ID>,
) -> async_graphql::Result<Option<String>> {
    use crate::error::GqlResult;
    use sea_orm::EntityTrait;
    async {
        let (state, _) = crud::env(ctx)?;
        let Some(id) = crud::parse_opt_id("agencyId", &agency_id.cloned())? else {
            return Ok(None);
        };
        Ok(entities::agency::Entity::find_by_id(id)
            .one(&state.db)
            .await?
            .map(|a| a.name))
    }
    .await
    .gql()
}

pub fn utc(t: DateTime<FixedOffset>) -> DateTime<Utc> {
    t.with_timezone(&Utc)
}

pub fn opt_utc(t: Option<DateTime<FixedOffset>>) -> Option<DateTime<Utc>> {
    t.map(utc)
}

/// Applies a nullable update field.
pub fn set_nullable<T>(slot: &mut Option<T>, value: async_graphql::MaybeUndefined<T>) {
    match value {
        async_graphql::MaybeUndefined::Undefined => {}
        async_graphql::MaybeUndefined::Null => *slot = None,
        async_graphql::MaybeUndefined::Value(v) => *slot = Some(v),
    }
}

/// The nested `region` and `vendor` every fact has, plus the fact's own links.
macro_rules! fact_links {
    ($obj:ident { $($extra:tt)* }) => {
        #[async_graphql::ComplexObject]
        impl $obj {
            async fn region(&self, ctx: &async_graphql::Context<'_>) -> async_graphql::Result<$crate::graphql::regions::Region> {
                $crate::graphql::nested::one::<$crate::graphql::regions::Regions, _>(ctx, &self.region_id).await
            }
            async fn vendor(&self, ctx: &async_graphql::Context<'_>) -> async_graphql::Result<$crate::graphql::vendors::Vendor> {
                $crate::graphql::nested::one::<$crate::graphql::vendors::Vendors, _>(ctx, &self.vendor_id).await
            }
            $($extra)*
        }
    };
}
pub(crate) use fact_links;
