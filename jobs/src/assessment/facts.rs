//! Loading one vendor's facts in one region for the engine. The engine decides
//! which facts count in a period; this loads a window generous enough to hold
//! them all (late work orders approved weeks before, outages that began before
//! the period, deliveries still unrectified from earlier months).

use chrono::{DateTime, Duration, Utc};
use engine::facts as f;
use engine::{Month, VendorFacts};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter};

use crate::error::{JobError, JobResult};

/// How far before a period facts are loaded: a work order approved this long
/// ago can still fall due inside it (5 working days plus the longest holidays).
const LOOKBACK_DAYS: i64 = 100;

pub struct Window {
    pub region_id: i64,
    pub vendor_id: i64,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// The service year whose survey responses count (H1).
    pub survey_year: i32,
}

pub async fn load(conn: &impl ConnectionTrait, w: &Window) -> JobResult<VendorFacts> {
    let early = w.from - Duration::days(LOOKBACK_DAYS);
    Ok(VendorFacts {
        work_orders: work_orders(conn, w, early).await?,
        unticketed_deliveries: unticketed_deliveries(conn, w).await?,
        service_tasks: service_tasks(conn, w, early).await?,
        attendance: attendance(conn, w).await?,
        complaints: complaints(conn, w).await?,
        outages: outages(conn, w, early).await?,
        faults: faults(conn, w, early).await?,
        changes: changes(conn, w, early).await?,
        violations: violations(conn, w).await?,
        trainings: trainings(conn, w).await?,
        security_risks: security_risks(conn, w).await?,
        security_accidents: security_accidents(conn, w).await?,
        survey_responses: survey_responses(conn, w).await?,
    })
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

/// The vendor's rows in the region.
fn owned<C: ColumnTrait>(region: C, vendor: C, w: &Window) -> Condition {
    Condition::all()
        .add(region.eq(w.region_id))
        .add(vendor.eq(w.vendor_id))
}

async fn work_orders(
    conn: &impl ConnectionTrait,
    w: &Window,
    early: DateTime<Utc>,
) -> JobResult<Vec<f::WorkOrder>> {
    use entities::work_order::{Column as C, Entity};
    let rows = Entity::find()
        .filter(owned(C::RegionId, C::VendorId, w))
        .filter(C::ApprovedAt.gte(early))
        .filter(C::ApprovedAt.lt(w.to))
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| f::WorkOrder {
            id: r.id,
            title: r.title,
            confirmed: r.confirmed,
            vendor_liable: r.vendor_liable,
            approved_at: r.approved_at,
            completed_at: r.completed_at,
            provisioned_differently: r.provisioned_differently,
        })
        .collect())
}

async fn unticketed_deliveries(
    conn: &impl ConnectionTrait,
    w: &Window,
) -> JobResult<Vec<f::UnticketedDelivery>> {
    use entities::unticketed_delivery::{Column as C, Entity};
    // Those of the period, and older ones still not rectified at its end: they
    // count again every month, however old (A4).
    let rows = Entity::find()
        .filter(owned(C::RegionId, C::VendorId, w))
        .filter(C::OccurredAt.lt(w.to))
        .filter(
            Condition::any()
                .add(C::OccurredAt.gte(w.from))
                .add(C::RectifiedAt.is_null())
                .add(C::RectifiedAt.gte(w.to)),
        )
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| f::UnticketedDelivery {
            id: r.id,
            title: r.description,
            confirmed: r.confirmed,
            vendor_liable: r.vendor_liable,
            occurred_at: r.occurred_at,
            rectified_at: r.rectified_at,
        })
        .collect())
}

async fn service_tasks(
    conn: &impl ConnectionTrait,
    w: &Window,
    early: DateTime<Utc>,
) -> JobResult<Vec<f::ServiceTask>> {
    use entities::service_task::{Column as C, Entity};
    let rows = Entity::find()
        .filter(owned(C::RegionId, C::VendorId, w))
        .filter(C::PlannedAt.gte(early))
        .filter(C::PlannedAt.lt(w.to))
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| f::ServiceTask {
            id: r.id,
            title: r.title,
            confirmed: r.confirmed,
            vendor_liable: r.vendor_liable,
            planned_at: r.planned_at,
            finished_at: r.finished_at,
        })
        .collect())
}

async fn attendance(conn: &impl ConnectionTrait, w: &Window) -> JobResult<Vec<f::Attendance>> {
    use entities::attendance::{Column as C, Entity};
    let first = Month::of(w.from).to_string();
    let last = Month::of(w.to - Duration::seconds(1)).to_string();
    let rows = Entity::find()
        .filter(owned(C::RegionId, C::VendorId, w))
        .filter(C::Period.gte(first))
        .filter(C::Period.lte(last))
        .all(conn)
        .await?;
    rows.into_iter()
        .map(|r| {
            let (y, m) = r
                .period
                .split_once('-')
                .ok_or_else(|| corrupt("attendance period", r.id))?;
            let period = Month::new(
                y.parse().map_err(|_| corrupt("attendance year", r.id))?,
                m.parse().map_err(|_| corrupt("attendance month", r.id))?,
            )
            .map_err(|_| corrupt("attendance period", r.id))?;
            Ok(f::Attendance {
                id: r.id,
                period,
                // SQLite returns decimals through f64: back to the stored scale.
                required_hours: r.required_hours.round_dp(2),
                actual_hours: r.actual_hours.round_dp(2),
            })
        })
        .collect()
}

fn corrupt(what: &str, id: i64) -> JobError {
    JobError::Internal(format!("{what} of row {id} is corrupt").into())
}

async fn complaints(conn: &impl ConnectionTrait, w: &Window) -> JobResult<Vec<f::Complaint>> {
    use entities::complaint::{Column as C, Entity};
    let rows = Entity::find()
        .filter(owned(C::RegionId, C::VendorId, w))
        .filter(C::ReceivedAt.gte(w.from))
        .filter(C::ReceivedAt.lt(w.to))
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| f::Complaint {
            id: r.id,
            title: r.description,
            confirmed: r.confirmed,
            vendor_liable: r.vendor_liable,
            received_at: r.received_at,
        })
        .collect())
}

async fn outages(
    conn: &impl ConnectionTrait,
    w: &Window,
    early: DateTime<Utc>,
) -> JobResult<Vec<f::Outage>> {
    use entities::outage::{Column as C, Entity};
    let rows = Entity::find()
        .filter(owned(C::RegionId, C::VendorId, w))
        .filter(C::StartedAt.lt(w.to))
        .filter(
            Condition::any()
                .add(C::EndedAt.is_null())
                .add(C::EndedAt.gte(w.from)),
        )
        .filter(
            Condition::any()
                .add(C::StartedAt.gte(early))
                .add(C::EndedAt.is_null()),
        )
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| f::Outage {
            id: r.id,
            title: r.description,
            confirmed: r.confirmed,
            vendor_liable: r.vendor_liable,
            service: r.service,
            started_at: r.started_at,
            ended_at: r.ended_at,
        })
        .collect())
}

async fn faults(
    conn: &impl ConnectionTrait,
    w: &Window,
    early: DateTime<Utc>,
) -> JobResult<Vec<f::Fault>> {
    use entities::fault::{Column as C, Entity};
    let rows = Entity::find()
        .filter(owned(C::RegionId, C::VendorId, w))
        .filter(C::OccurredAt.gte(early))
        .filter(C::OccurredAt.lt(w.to))
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| f::Fault {
            id: r.id,
            title: r.title,
            confirmed: r.confirmed,
            vendor_liable: r.vendor_liable,
            // A supervisor's override wins over the graded level.
            level: r.level_override.unwrap_or(r.level).clamp(1, 6) as u8,
            occurred_at: r.occurred_at,
            reported_at: r.reported_at,
            recovered_at: r.recovered_at,
            misreported: r.misreported,
        })
        .collect())
}

async fn changes(
    conn: &impl ConnectionTrait,
    w: &Window,
    early: DateTime<Utc>,
) -> JobResult<Vec<f::Change>> {
    use entities::change::{Column as C, Entity};
    let rows = Entity::find()
        .filter(owned(C::RegionId, C::VendorId, w))
        .filter(C::PlannedAt.gte(early))
        .filter(C::PlannedAt.lt(w.to + Duration::days(LOOKBACK_DAYS)))
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| f::Change {
            id: r.id,
            title: r.title,
            confirmed: r.confirmed,
            vendor_liable: r.vendor_liable,
            submitted_at: r.submitted_at,
            planned_at: r.planned_at,
            executed_at: r.executed_at,
            emergency: r.emergency,
            outcome: outcome(&r.outcome),
        })
        .collect())
}

/// A pending change has not failed: F1 has nothing to deduct for it yet (F2
/// still judges its notice).
fn outcome(text: &str) -> f::ChangeOutcome {
    match text {
        "FAILED" => f::ChangeOutcome::Failed,
        "ROLLED_BACK" => f::ChangeOutcome::RolledBack,
        _ => f::ChangeOutcome::Succeeded,
    }
}

async fn violations(conn: &impl ConnectionTrait, w: &Window) -> JobResult<Vec<f::Violation>> {
    use entities::violation::{Column as C, Entity};
    let rows = Entity::find()
        .filter(owned(C::RegionId, C::VendorId, w))
        .filter(C::OccurredAt.gte(w.from))
        .filter(C::OccurredAt.lt(w.to))
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| f::Violation {
            id: r.id,
            title: r.description,
            confirmed: r.confirmed,
            vendor_liable: r.vendor_liable,
            occurred_at: r.occurred_at,
        })
        .collect())
}

async fn trainings(conn: &impl ConnectionTrait, w: &Window) -> JobResult<Vec<f::Training>> {
    use entities::training::{Column as C, Entity};
    let rows = Entity::find()
        .filter(owned(C::RegionId, C::VendorId, w))
        .filter(C::HeldAt.gte(w.from))
        .filter(C::HeldAt.lt(w.to))
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| f::Training {
            id: r.id,
            title: r.title,
            held_at: r.held_at,
            attendees: r.attendees.max(0) as u32,
            evidence: serde_json::from_value(r.evidence).unwrap_or_default(),
        })
        .collect())
}

async fn security_risks(
    conn: &impl ConnectionTrait,
    w: &Window,
) -> JobResult<Vec<f::SecurityRisk>> {
    use entities::security_risk::{Column as C, Entity};
    let (from, to) = (
        domain::period::local(w.from).date_naive(),
        domain::period::local(w.to).date_naive(),
    );
    let rows = Entity::find()
        .filter(owned(C::RegionId, C::VendorId, w))
        .filter(C::Deadline.gte(from))
        .filter(C::Deadline.lt(to))
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| f::SecurityRisk {
            id: r.id,
            title: r.description,
            confirmed: r.confirmed,
            vendor_liable: r.vendor_liable,
            found_at: r.found_at,
            deadline: r.deadline,
            rectified_at: r.rectified_at,
        })
        .collect())
}

async fn security_accidents(
    conn: &impl ConnectionTrait,
    w: &Window,
) -> JobResult<Vec<f::SecurityAccident>> {
    use entities::security_accident::{Column as C, Entity};
    let rows = Entity::find()
        .filter(owned(C::RegionId, C::VendorId, w))
        .filter(C::OccurredAt.gte(w.from))
        .filter(C::OccurredAt.lt(w.to))
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| f::SecurityAccident {
            id: r.id,
            title: r.description,
            confirmed: r.confirmed,
            vendor_liable: r.vendor_liable,
            occurred_at: r.occurred_at,
            level: r.level.clamp(1, 5) as u8,
        })
        .collect())
}

async fn survey_responses(
    conn: &impl ConnectionTrait,
    w: &Window,
) -> JobResult<Vec<f::SurveyResponse>> {
    use entities::survey_response::{Column as C, Entity};
    let rows = Entity::find()
        .filter(owned(C::RegionId, C::VendorId, w))
        .filter(C::ServiceYear.eq(w.survey_year))
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| f::SurveyResponse {
            id: r.id,
            answers: [r.q1, r.q2, r.q3, r.q4, r.q5, r.q6, r.q7, r.q8, r.q9, r.q10]
                .map(|a| a.clamp(0, 8) as u8),
        })
        .collect())
}
