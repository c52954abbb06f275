//! Which days govern a system's parts and its exit: the terms of the contract
//! covering the system on the day (Beijing's carry the part deadlines and the
//! migration days), else the region's scheme (its A1 days for every part).

use chrono::{DateTime, NaiveDate, Utc};
use engine::contract_terms::WorkOrderTerms;
use engine::period::local_day;
use engine::work_order::{ExitTerms, PartDeadlines};
use sea_orm::{ConnectionTrait, EntityTrait};

use crate::error::{DomainError, DomainResult};
use entities::information_system::Model as System;

/// The contract covering `system` at `at` and its work-order terms, if any.
pub async fn governing(
    conn: &impl ConnectionTrait,
    system: &System,
    on: NaiveDate,
) -> DomainResult<(Option<i64>, Option<WorkOrderTerms>)> {
    let contract = crate::charging::covering_contract(
        conn,
        system.region_id,
        system.vendor_id,
        Some(system.id),
        on,
    )
    .await?;
    let Some(contract) = contract else {
        return Ok((None, None));
    };
    let terms = crate::charging::governing_terms(conn, &contract).await?;
    Ok((Some(contract.id), terms.and_then(|t| t.work_orders)))
}

/// The working days each part of `system` received at `received` has.
pub async fn part_deadlines(
    conn: &impl ConnectionTrait,
    system: &System,
    received: DateTime<Utc>,
) -> DomainResult<PartDeadlines> {
    let (_, terms) = governing(conn, system, local_day(received)).await?;
    if let Some(terms) = terms {
        return Ok(terms.part_deadlines);
    }
    let region = entities::region::Entity::find_by_id(system.region_id)
        .one(conn)
        .await?
        .ok_or_else(|| DomainError::not_found(format!("Region {}", system.region_id)))?;
    let scheme = crate::schemes::require_known(conn, "schemeCode", &region.scheme_code).await?;
    Ok(PartDeadlines::of_scheme(&scheme))
}

/// The exit terms of the contract covering `system` on `on`: its contract and
/// the days, `None` when no contract or its terms set no migration days.
pub async fn exit_terms(
    conn: &impl ConnectionTrait,
    system: &System,
    on: NaiveDate,
) -> DomainResult<(Option<i64>, Option<ExitTerms>)> {
    let (contract, terms) = governing(conn, system, on).await?;
    Ok((contract, terms.map(|t| t.exit)))
}
