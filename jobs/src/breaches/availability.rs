//! Row 2 from a month's availability and complaints: per system and local
//! month of the term, availability below 99.99 % (the month's minutes less
//! those the vendor's liable, confirmed outages took, overlaps counted once)
//! with 3 or more confirmed, vendor-liable complaints about that system. A
//! month still under way counts in full: its availability can only fall and
//! its complaints only grow, so a breach shown is one the month's end keeps.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use engine::breach_detection::{self as rules, Availability};
use engine::{Month, Period, title_text};
use entities::breach::BreachKind;
use entities::{complaint, outage};
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use super::{Governed, Proposal, system_text};
use crate::error::JobResult;

pub(super) async fn proposals(
    db: &DatabaseConnection,
    g: &Governed,
    now: DateTime<Utc>,
) -> JobResult<Vec<Proposal>> {
    if !g.has_row(rules::AVAILABILITY_ROW) {
        return Ok(Vec::new());
    }
    let mut found = Vec::new();
    for ((system_id, month), complaints) in complaints_by_month(db, g, now).await? {
        if complaints.len() < rules::COMPLAINTS as usize || !g.covers(system_id) {
            continue;
        }
        let period = Period::Month(month);
        let down = month_outages(db, g, period, now).await?;
        let a = rules::availability(period.start(), period.end(), &down);
        if !rules::availability_breach(&a, complaints.len() as u32) {
            continue;
        }
        found.push(proposal(db, system_id, month, &a, &complaints).await?);
    }
    Ok(found)
}

async fn proposal(
    db: &DatabaseConnection,
    system_id: i64,
    month: Month,
    a: &Availability,
    complaints: &[complaint::Model],
) -> JobResult<Proposal> {
    let system = system_text(db, Some(system_id)).await?;
    let description = format!(
        "{system}{month} 可用性 {}%（宕机 {} 分钟，低于 99.99%），当月接到投诉 {} 次（≥{} 次）",
        a.percent(),
        a.down_minutes(),
        complaints.len(),
        rules::COMPLAINTS
    );
    let titles: Vec<String> = complaints
        .iter()
        .map(|c| title_text(&c.description))
        .collect();
    // The month's last complaint is the one that made it a breach.
    let occurred_at = complaints
        .iter()
        .map(|c| c.received_at)
        .max()
        .unwrap_or_else(|| Period::Month(month).start());
    Ok(Proposal {
        kind: BreachKind::AvailabilityComplaints,
        source_ref: format!("availability:{system_id}:{month}"),
        system_id: Some(system_id),
        occurred_at,
        period: month.to_string(),
        basis: format!("投诉{}", titles.join("、")),
        description,
        rows: vec![engine::contract_terms::RowRef::new(
            rules::GENERAL,
            rules::AVAILABILITY_ROW,
        )],
        rectification_due: None,
    })
}

/// The term's confirmed, vendor-liable complaints about a system, by system
/// and local month.
async fn complaints_by_month(
    db: &DatabaseConnection,
    g: &Governed,
    now: DateTime<Utc>,
) -> JobResult<BTreeMap<(i64, Month), Vec<complaint::Model>>> {
    use complaint::Column as C;
    let rows = complaint::Entity::find()
        .filter(C::RegionId.eq(g.contract.region_id))
        .filter(C::ReceivedAt.gte(g.from))
        .filter(C::ReceivedAt.lt(g.until(now)))
        .filter(C::VendorId.eq(g.contract.vendor_id))
        .filter(C::Confirmed.eq(true))
        .filter(C::VendorLiable.eq(true))
        .filter(C::SystemId.is_not_null())
        .order_by_asc(C::ReceivedAt)
        .all(db)
        .await?;
    let mut by = BTreeMap::<(i64, Month), Vec<complaint::Model>>::new();
    for c in rows {
        if let Some(system_id) = c.system_id {
            by.entry((system_id, Month::of(c.received_at)))
                .or_default()
                .push(c);
        }
    }
    Ok(by)
}

/// The vendor's liable, confirmed outages overlapping the month, as
/// (start, end); one still going on counts until `now`.
async fn month_outages(
    db: &DatabaseConnection,
    g: &Governed,
    period: Period,
    now: DateTime<Utc>,
) -> JobResult<Vec<(DateTime<Utc>, DateTime<Utc>)>> {
    use outage::Column as O;
    let rows = outage::Entity::find()
        .filter(O::RegionId.eq(g.contract.region_id))
        .filter(O::StartedAt.lt(period.end()))
        // An outage lasts at most a year (`validate::at_most_a_year`): keeps
        // the read on the (region, started_at) index.
        .filter(O::StartedAt.gte(period.start() - Duration::days(366)))
        .filter(
            Condition::any()
                .add(O::EndedAt.is_null())
                .add(O::EndedAt.gt(period.start())),
        )
        .filter(O::VendorId.eq(g.contract.vendor_id))
        .filter(O::Confirmed.eq(true))
        .filter(O::VendorLiable.eq(true))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|o| (o.started_at, o.ended_at.unwrap_or(now)))
        .collect())
}
