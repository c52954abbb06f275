//! Loading vendors' facts in one region for the engine: the same generic load
//! for every fact kind (`domain::facts::Assessed`), each kind saying which rows
//! its window holds and what the engine reads of a row.
//!
//! Only the kinds a scorecard reads are loaded (`Scheme::fact_kinds`): the
//! engine scores it the same without the others, and the year's work orders
//! are most of a year's rows while Shanghai's annual scorecard reads none.
//! A run loads all of a region's vendors at once, one statement per kind, so
//! its statements do not grow with the number of vendors.

use std::collections::{BTreeSet, HashMap};

use domain::facts::{
    Assessed, attendances::Attendances, changes::Changes, complaints::Complaints, faults::Faults,
    outages::Outages, security_accidents::SecurityAccidents, security_risks::SecurityRisks,
    service_tasks::ServiceTasks, survey_responses::SurveyResponses, trainings::Trainings,
    unticketed_deliveries::UnticketedDeliveries, violations::Violations, work_orders::WorkOrders,
};
use domain::store::Resource;
use engine::{FactKind, VendorFacts};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};

pub use domain::facts::Window;

use crate::error::{JobError, JobResult};

/// The window's vendor's facts of `kinds`.
pub async fn load(
    conn: &impl ConnectionTrait,
    w: &Window,
    kinds: &BTreeSet<FactKind>,
) -> JobResult<VendorFacts> {
    let mut by_vendor = load_vendors(conn, w, &[w.vendor_id], kinds).await?;
    Ok(by_vendor.remove(&w.vendor_id).unwrap_or_default())
}

/// The facts of `kinds` of each of `vendors` in the window's region and
/// period (the window's own vendor is not read): every vendor is in the map,
/// one without a fact with empty lists.
pub async fn load_vendors(
    conn: &impl ConnectionTrait,
    w: &Window,
    vendors: &[i64],
    kinds: &BTreeSet<FactKind>,
) -> JobResult<HashMap<i64, VendorFacts>> {
    let mut by_vendor: HashMap<i64, VendorFacts> = vendors
        .iter()
        .map(|&v| (v, VendorFacts::default()))
        .collect();
    if vendors.is_empty() {
        return Ok(by_vendor);
    }
    macro_rules! kinds {
        ($($kind:ident => $field:ident: $resource:ty),* $(,)?) => {
            $(if kinds.contains(&FactKind::$kind) {
                for (vendor, fact) in rows::<$resource>(conn, w, vendors).await? {
                    if let Some(facts) = by_vendor.get_mut(&vendor) {
                        facts.$field.push(fact);
                    }
                }
            })*
        };
    }
    kinds!(
        WorkOrder => work_orders: WorkOrders,
        UnticketedDelivery => unticketed_deliveries: UnticketedDeliveries,
        ServiceTask => service_tasks: ServiceTasks,
        Attendance => attendance: Attendances,
        Complaint => complaints: Complaints,
        Outage => outages: Outages,
        Fault => faults: Faults,
        Change => changes: Changes,
        Violation => violations: Violations,
        Training => trainings: Trainings,
        SecurityRisk => security_risks: SecurityRisks,
        SecurityAccident => security_accidents: SecurityAccidents,
        SurveyResponse => survey_responses: SurveyResponses,
    );
    Ok(by_vendor)
}

/// `load_vendors` on two connections at once: the work orders (about half
/// of a month's rows) on one, the other kinds on another. Each side's
/// statements run in the database while the other side's rows are decoded,
/// so a run uses both cores where one waited for the other (issue 17: a
/// monthly run's server time was mostly decoding rows, the database's mostly
/// sending them). Outside any transaction: each statement sees what is
/// committed, as each statement of a run always did on PostgreSQL.
pub async fn load_vendors_split(
    db: &DatabaseConnection,
    w: &Window,
    vendors: &[i64],
    kinds: &BTreeSet<FactKind>,
) -> JobResult<HashMap<i64, VendorFacts>> {
    let (orders, rest): (BTreeSet<FactKind>, BTreeSet<FactKind>) =
        kinds.iter().partition(|k| **k == FactKind::WorkOrder);
    if orders.is_empty() || rest.is_empty() {
        return load_vendors(db, w, vendors, kinds).await;
    }
    let other = {
        let (db, w, vendors) = (db.clone(), *w, vendors.to_vec());
        tokio::spawn(async move { load_vendors(&db, &w, &vendors, &rest).await })
    };
    let mut facts = load_vendors(db, w, vendors, &orders).await?;
    let others = other
        .await
        .map_err(|e| JobError::Internal(format!("loading facts: {e}").into()))??;
    for (vendor, more) in others {
        facts.entry(vendor).or_default().absorb(more);
    }
    Ok(facts)
}

/// The rows of one kind of `vendors` in the region that the window holds,
/// as the engine reads them, each with its vendor; in id order, so that a
/// result lists its facts the same way whatever plan the database chose.
async fn rows<K: Assessed>(
    conn: &impl ConnectionTrait,
    w: &Window,
    vendors: &[i64],
) -> JobResult<Vec<(i64, K::Fact)>> {
    let (Some(region), Some(vendor)) = (K::REGION, K::VENDOR) else {
        return Err(JobError::Internal(
            format!("{} is not owned by a region and a vendor", K::NAME).into(),
        ));
    };
    let rows = K::Entity::find()
        .filter(region.eq(w.region_id))
        .filter(vendor.is_in(vendors.iter().copied()))
        .filter(K::window(w))
        .order_by_asc(K::ID)
        .all(conn)
        .await?;
    rows.into_iter()
        .map(|row| {
            let owner = <K as Resource>::scope(&row).vendor.ok_or_else(|| {
                JobError::Internal(format!("{} {} has no vendor", K::NAME, K::id(&row)).into())
            })?;
            Ok((owner, K::fact(row)?))
        })
        .collect()
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
