//! Rows 5 and 6 from the outages of a contract term: the finished, confirmed
//! outages the vendor is liable for (as D1 of the scorecard counts them). An
//! outage records the cloud service that went down, not a system: it downs
//! the systems the contract covers, so it is charged on the contract's only
//! system, or on an even share when it lists several or none.

use engine::breach_detection::{self as rules, OutageEvent, OutageMatch};
use engine::{Month, local_time_text, title_text};
use entities::breach::BreachKind;
use entities::outage;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use super::{Governed, Proposal, system_text};
use crate::error::JobResult;

pub(super) async fn proposals(db: &DatabaseConnection, g: &Governed) -> JobResult<Vec<Proposal>> {
    if !g.has_row(rules::LONG_OUTAGE_ROW) || !g.has_row(rules::REPEATED_OUTAGE_ROW) {
        return Ok(Vec::new());
    }
    let rows = term_outages(db, g).await?;
    let events: Vec<OutageEvent> = rows
        .iter()
        .filter_map(|o| {
            Some(OutageEvent {
                id: o.id,
                started_at: o.started_at,
                ended_at: o.ended_at?,
            })
        })
        .collect();
    let system = g.only_system();
    let system_name = system_text(db, system).await?;
    let mut found = Vec::new();
    for m in rules::outage_matches(&events) {
        let Some(o) = rows.iter().find(|o| o.id == m.id) else {
            continue;
        };
        let description = describe(&system_name, o, &m);
        found.push(Proposal {
            kind: BreachKind::Outage,
            source_ref: format!("outage:{}", o.id),
            system_id: system,
            occurred_at: o.started_at,
            period: Month::of(o.started_at).to_string(),
            basis: format!(
                "宕机记录{}（云服务 {}）",
                title_text(&o.description),
                o.service
            ),
            description,
            rows: m.rows(),
            rectification_due: None,
        });
    }
    Ok(found)
}

/// The term's finished outages the vendor is liable for, oldest first. An
/// outage still going on is left for a later run, once its length is known.
async fn term_outages(db: &DatabaseConnection, g: &Governed) -> JobResult<Vec<outage::Model>> {
    use outage::Column as O;
    Ok(outage::Entity::find()
        .filter(O::RegionId.eq(g.contract.region_id))
        .filter(O::StartedAt.gte(g.from))
        .filter(O::StartedAt.lt(g.to))
        .filter(O::VendorId.eq(g.contract.vendor_id))
        .filter(O::Confirmed.eq(true))
        .filter(O::VendorLiable.eq(true))
        .filter(O::EndedAt.is_not_null())
        .order_by_asc(O::StartedAt)
        .order_by_asc(O::Id)
        .all(db)
        .await?)
}

/// `系统「…」2024-03-05 08:00 宕机 130 分钟（≥120 分钟）；连续第 3 次宕机（≥3 次）`.
fn describe(system: &str, o: &outage::Model, m: &OutageMatch) -> String {
    let mut parts = vec![format!(
        "{system}{} 宕机 {} 分钟{}",
        local_time_text(o.started_at),
        m.minutes,
        if m.long {
            format!("（≥{} 分钟）", rules::LONG_OUTAGE_MINUTES)
        } else {
            String::new()
        }
    )];
    if let Some(run) = m.in_a_row {
        parts.push(format!(
            "连续第 {run} 次宕机（前后相隔不超过 {} 小时，≥{} 次）",
            rules::IN_A_ROW_GAP_HOURS,
            rules::IN_A_ROW
        ));
    }
    if let Some(sum) = m.cumulative {
        parts.push(format!(
            "合同期内累计宕机 {sum} 分钟（≥{} 分钟）",
            rules::CUMULATIVE_MINUTES
        ));
    }
    parts.join("；")
}
