//! Loading one vendor's facts in one region for the engine: the same generic
//! load for every fact kind (`domain::facts::Assessed`), each kind saying
//! which rows its window holds and what the engine reads of a row.

use domain::facts::{
    Assessed, attendances::Attendances, changes::Changes, complaints::Complaints, faults::Faults,
    outages::Outages, security_accidents::SecurityAccidents, security_risks::SecurityRisks,
    service_tasks::ServiceTasks, survey_responses::SurveyResponses, trainings::Trainings,
    unticketed_deliveries::UnticketedDeliveries, violations::Violations, work_orders::WorkOrders,
};
use engine::VendorFacts;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

pub use domain::facts::Window;

use crate::error::{JobError, JobResult};

pub async fn load(conn: &impl ConnectionTrait, w: &Window) -> JobResult<VendorFacts> {
    Ok(VendorFacts {
        work_orders: rows::<WorkOrders>(conn, w).await?,
        unticketed_deliveries: rows::<UnticketedDeliveries>(conn, w).await?,
        service_tasks: rows::<ServiceTasks>(conn, w).await?,
        attendance: rows::<Attendances>(conn, w).await?,
        complaints: rows::<Complaints>(conn, w).await?,
        outages: rows::<Outages>(conn, w).await?,
        faults: rows::<Faults>(conn, w).await?,
        changes: rows::<Changes>(conn, w).await?,
        violations: rows::<Violations>(conn, w).await?,
        trainings: rows::<Trainings>(conn, w).await?,
        security_risks: rows::<SecurityRisks>(conn, w).await?,
        security_accidents: rows::<SecurityAccidents>(conn, w).await?,
        survey_responses: rows::<SurveyResponses>(conn, w).await?,
    })
}

/// The vendor's rows of one kind in the region that the window holds, as
/// the engine reads them.
async fn rows<K: Assessed>(conn: &impl ConnectionTrait, w: &Window) -> JobResult<Vec<K::Fact>> {
    let (Some(region), Some(vendor)) = (K::REGION, K::VENDOR) else {
        return Err(JobError::Internal(
            format!("{} is not owned by a region and a vendor", K::NAME).into(),
        ));
    };
    let rows = K::Entity::find()
        .filter(region.eq(w.region_id))
        .filter(vendor.eq(w.vendor_id))
        .filter(K::window(w))
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(K::fact)
        .collect::<Result<Vec<_>, _>>()?)
}

/// How many rows a load read, for the run's figures.
pub fn row_count(f: &VendorFacts) -> u64 {
    [
        f.work_orders.len(),
        f.unticketed_deliveries.len(),
        f.service_tasks.len(),
        f.attendance.len(),
        f.complaints.len(),
        f.outages.len(),
        f.faults.len(),
        f.changes.len(),
        f.violations.len(),
        f.trainings.len(),
        f.security_risks.len(),
        f.security_accidents.len(),
        f.survey_responses.len(),
    ]
    .iter()
    .sum::<usize>() as u64
}
