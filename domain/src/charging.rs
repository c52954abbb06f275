//! What a breach is charged under (spec §5): the contract that covers the
//! event, the terms that govern that contract (its own, else its region's),
//! the system's monthly fee under it, and the charge of an event that matched
//! some rows of those terms — once, at the heaviest (择其重者).
//!
//! Shared by the breach register (recording by hand, confirming) and by
//! detection (proposals from the facts), so both charge alike. No access
//! checks here: callers have checked who may read the breach or run the job.

use chrono::{Datelike, NaiveDate};
use engine::breach_penalty::{self, EventCharge, MajorIncidents};
use engine::contract_terms::{ContractTerms, RowRef};
use entities::breach::{self, BreachStatus, IncidentLevel};
use entities::{contract, contract_system, region};
use std::collections::HashMap;

use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::contracts::service_months;
use crate::error::{DomainError, DomainResult};

/// The terms a contract is charged under: its own (`terms_code`, at
/// `terms_version` or the latest), else its region's latest; `None` when
/// neither names terms (no breach register for it: Shanghai and Songjiang
/// contracts unless given terms).
pub async fn governing_terms(
    conn: &impl ConnectionTrait,
    contract: &contract::Model,
) -> DomainResult<Option<ContractTerms>> {
    let mut of = governing_terms_of(conn, std::slice::from_ref(contract)).await?;
    Ok(of.remove(&contract.id).flatten())
}

/// [`governing_terms`] of several contracts (a list page) with two reads: the
/// regions of those naming no terms, and every terms version.
pub async fn governing_terms_of(
    conn: &impl ConnectionTrait,
    contracts: &[contract::Model],
) -> DomainResult<HashMap<i64, Option<ContractTerms>>> {
    let regions_needed: Vec<i64> = contracts
        .iter()
        .filter(|c| c.terms_code.is_none())
        .map(|c| c.region_id)
        .collect();
    let region_terms: HashMap<i64, Option<String>> = if regions_needed.is_empty() {
        HashMap::new()
    } else {
        region::Entity::find()
            .filter(region::Column::Id.is_in(regions_needed))
            .all(conn)
            .await?
            .into_iter()
            .map(|r| (r.id, r.terms_code))
            .collect()
    };
    let all = crate::contract_terms::every(conn).await?;
    let mut out = HashMap::with_capacity(contracts.len());
    for c in contracts {
        let (code, version) = match &c.terms_code {
            Some(code) => (code.clone(), c.terms_version),
            None => match region_terms.get(&c.region_id) {
                Some(Some(code)) => (code.clone(), None),
                Some(None) => {
                    out.insert(c.id, None);
                    continue;
                }
                None => return Err(DomainError::not_found(format!("Region {}", c.region_id))),
            },
        };
        let version = version.map(|v| v as u32);
        let found = crate::contract_terms::latest(&all, &code, version).ok_or_else(|| {
            let what = format!("contract {} names terms {code} that do not exist", c.id);
            DomainError::Internal(what.into())
        })?;
        out.insert(c.id, Some(found));
    }
    Ok(out)
}

/// The contract of `vendor_id` in `region_id` that covers `on`: the one whose
/// term (first to last day of service) holds the day, else the one of the
/// service year holding it (contracts entered before terms had dates). A
/// contract listing systems covers only those; one listing none covers all
/// the vendor's systems in the region.
pub async fn covering_contract(
    conn: &impl ConnectionTrait,
    region_id: i64,
    vendor_id: i64,
    system_id: Option<i64>,
    on: NaiveDate,
) -> DomainResult<Option<contract::Model>> {
    let region = region::Entity::find_by_id(region_id)
        .one(conn)
        .await?
        .ok_or_else(|| DomainError::not_found(format!("Region {region_id}")))?;
    let contracts = contract::Entity::find()
        .filter(contract::Column::RegionId.eq(region_id))
        .filter(contract::Column::VendorId.eq(vendor_id))
        .all(conn)
        .await?;
    let year_of_day = service_year_of(on, region.service_year_start_month);
    let dated = contracts
        .iter()
        .find(|c| matches!((c.term_start, c.term_end), (Some(s), Some(e)) if s <= on && on <= e));
    let undated = contracts
        .iter()
        .find(|c| c.term_start.is_none() && c.service_year == year_of_day);
    let Some(found) = dated.or(undated) else {
        return Ok(None);
    };
    if let Some(system_id) = system_id {
        let listed = systems_of(conn, found.id).await?;
        if !listed.is_empty() && !listed.iter().any(|s| s.system_id == system_id) {
            return Ok(None);
        }
    }
    Ok(Some(found.clone()))
}

/// The service year (named by the calendar year it starts in) holding `on`,
/// for a region whose years start in `start_month`.
fn service_year_of(on: NaiveDate, start_month: i32) -> i32 {
    if (on.month() as i32) >= start_month {
        on.year()
    } else {
        on.year() - 1
    }
}

async fn systems_of(
    conn: &impl ConnectionTrait,
    contract_id: i64,
) -> DomainResult<Vec<contract_system::Model>> {
    Ok(contract_system::Entity::find()
        .filter(contract_system::Column::ContractId.eq(contract_id))
        .all(conn)
        .await?)
}

/// A system's monthly fee under a contract (spec §5): its share of the
/// amount / service months; a contract listing no systems, or a system listed
/// without a share, splits the amount not given to shares evenly (one system:
/// the whole amount). Exact (not rounded): only the penalty is. Service months
/// come from the term, else 12 (a service year).
pub async fn system_monthly_fee(
    conn: &impl ConnectionTrait,
    contract: &contract::Model,
    system_id: Option<i64>,
) -> DomainResult<Decimal> {
    let months = match (contract.term_start, contract.term_end) {
        (Some(start), Some(end)) => service_months(start, end)?,
        _ => 12,
    };
    let listed = systems_of(conn, contract.id).await?;
    let share = system_share(contract.settlement_amount, &listed, system_id);
    breach_penalty::monthly_fee(share, months as u32)
        .map_err(|e| DomainError::bad("monthlyFee", e.to_string()))
}

fn system_share(
    amount: Decimal,
    listed: &[contract_system::Model],
    system_id: Option<i64>,
) -> Decimal {
    if let Some(own) = system_id
        .and_then(|id| listed.iter().find(|s| s.system_id == id))
        .and_then(|s| s.share)
    {
        return own;
    }
    let given: Decimal = listed.iter().filter_map(|s| s.share).sum();
    let unshared = listed.iter().filter(|s| s.share.is_none()).count().max(1);
    (amount - given).max(Decimal::ZERO) / Decimal::from(unshared)
}

/// Charges an event of `contract` on `system_id` that matched `rows` of
/// `terms`: once, at the heaviest row. `items` counts the items concerned for
/// rows charged per item (Shanghai's 20 万元/项), 1 otherwise.
pub async fn charge(
    conn: &impl ConnectionTrait,
    terms: &ContractTerms,
    contract: &contract::Model,
    system_id: Option<i64>,
    rows: &[RowRef],
    items: u32,
) -> DomainResult<EventCharge> {
    let fee = system_monthly_fee(conn, contract, system_id).await?;
    breach_penalty::charge_event(terms, rows, fee, items)
        .map_err(|e| DomainError::bad("rows", e.to_string()))
}

/// The major incidents (附件1) confirmed against a contract, and what they
/// amount to under its terms: the termination right and the penalty
/// (rate × contract amount, once per term). `None` where the terms have no
/// major-incident rule.
pub async fn major_incidents(
    conn: &impl ConnectionTrait,
    terms: &ContractTerms,
    contract: &contract::Model,
) -> DomainResult<Option<MajorIncidentCount>> {
    let Some(rule) = &terms.major_incidents else {
        return Ok(None);
    };
    let confirmed = breach::Entity::find()
        .filter(breach::Column::ContractId.eq(contract.id))
        .filter(breach::Column::Status.eq(BreachStatus::Confirmed))
        .filter(breach::Column::IncidentLevel.is_not_null())
        .all(conn)
        .await?;
    let count = |level| {
        confirmed
            .iter()
            .filter(|b| b.incident_level == Some(level))
            .count() as u32
    };
    let (a_level, b_level) = (count(IncidentLevel::A), count(IncidentLevel::B));
    let assessed = rule
        .assess(a_level, b_level, contract.settlement_amount)
        .map_err(|e| DomainError::bad("contract", e.to_string()))?;
    Ok(Some(MajorIncidentCount {
        a_level,
        b_level,
        a_level_needed: rule.a_level_count,
        b_level_needed: rule.b_level_count,
        assessed,
    }))
}

/// The confirmed A- and B-level events of a contract against its terms' rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MajorIncidentCount {
    pub a_level: u32,
    pub b_level: u32,
    /// The counts that give the right (1 and N of the terms).
    pub a_level_needed: u32,
    pub b_level_needed: u32,
    /// The termination right and the penalty, once given.
    pub assessed: MajorIncidents,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(system_id: i64, share: Option<i64>) -> contract_system::Model {
        contract_system::Model {
            id: 0,
            contract_id: 1,
            system_id,
            share: share.map(Decimal::from),
        }
    }

    #[test]
    fn one_system_or_none_listed_takes_the_whole_amount() {
        let amount = Decimal::from(1_200);
        assert_eq!(system_share(amount, &[], Some(7)), amount);
        assert_eq!(system_share(amount, &[listed(7, None)], Some(7)), amount);
    }

    #[test]
    fn a_listed_share_is_the_system_s_and_the_rest_is_split_evenly() {
        // 1,200 with system 7 at 600: systems 8 and 9 split the other 600 → 300 each.
        let all = [listed(7, Some(600)), listed(8, None), listed(9, None)];
        let amount = Decimal::from(1_200);
        assert_eq!(system_share(amount, &all, Some(7)), Decimal::from(600));
        assert_eq!(system_share(amount, &all, Some(9)), Decimal::from(300));
    }

    #[test]
    fn a_service_year_is_named_by_the_year_it_starts_in() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        // Songjiang's year starts 1 July: 2025-06-30 is in 2024's, 2025-07-01 in 2025's.
        assert_eq!(service_year_of(day(2025, 6, 30), 7), 2024);
        assert_eq!(service_year_of(day(2025, 7, 1), 7), 2025);
        assert_eq!(service_year_of(day(2025, 1, 1), 1), 2025);
    }
}
