//! Grading a recorded fault with the six-level table (`engine::fault_grading`).
//!
//! **Decision** (spec §3): "the platform" of a fault is the vendor's cloud:
//! every system that vendor hosts on the day the fault occurred, in every
//! region (a district uses the municipal cloud, seed 004), not only the
//! supervising region's. "All systems" therefore means all of that vendor's
//! systems. The count is stored with the fault (`platform_systems`) so a
//! supervisor sees what the grading used. The duration is recovered − occurred,
//! rounded up to whole minutes ("超过30分钟" is strictly more, so 30 min 1 s is
//! over 30); a fault not yet recovered is graded on the time elapsed so far and
//! re-graded whenever it is saved again.

use chrono::{DateTime, Utc};
use engine::fault_grading::{self, FaultInput, Grade, Impact, SystemClass};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::error::{DomainError, DomainResult};
use crate::period::local;

pub fn impact(text: &str) -> Impact {
    if text == "UNUSABLE" {
        Impact::Unusable
    } else {
        Impact::Degraded
    }
}

pub fn class(text: &str) -> Option<SystemClass> {
    match text {
        "A" => Some(SystemClass::A),
        "B" => Some(SystemClass::B),
        "C" => Some(SystemClass::C),
        _ => None,
    }
}

/// The most important class among the affected systems (A before B before C).
fn most_important(classes: impl Iterator<Item = Option<SystemClass>>) -> Option<SystemClass> {
    classes.flatten().min_by_key(|c| match c {
        SystemClass::A => 0,
        SystemClass::B => 1,
        SystemClass::C => 2,
    })
}

pub fn duration_minutes(occurred: DateTime<Utc>, until: DateTime<Utc>) -> i64 {
    let seconds = (until - occurred).num_seconds().max(0);
    (seconds + 59) / 60
}

/// Grades a fault row and writes its level and grading row into it.
pub async fn grade_fault(
    conn: &impl ConnectionTrait,
    fault: &mut entities::fault::Model,
    now: DateTime<Utc>,
) -> DomainResult<Grade> {
    use entities::information_system::Column as S;
    let ids: Vec<i64> = serde_json::from_value(fault.affected_system_ids.clone())
        .map_err(|_| DomainError::bad("input.affectedSystemIds", "must be a list of ids"))?;
    let day = local(fault.occurred_at).date_naive();
    let on_platform = Condition::all()
        .add(S::VendorId.eq(fault.vendor_id))
        .add(S::OnlineOn.lte(day))
        .add(
            Condition::any()
                .add(S::OfflineOn.is_null())
                .add(S::OfflineOn.gt(day)),
        );
    let platform = entities::information_system::Entity::find()
        .filter(on_platform)
        .count(conn)
        .await?;
    let affected = entities::information_system::Entity::find()
        .filter(S::Id.is_in(ids.clone()))
        .all(conn)
        .await?;
    let input = FaultInput {
        affected_systems: ids.len() as u32,
        platform_systems: platform as u32,
        most_important_class: most_important(affected.iter().map(|s| class(&s.class))),
        impact: impact(&fault.impact),
        duration_minutes: duration_minutes(fault.occurred_at, fault.recovered_at.unwrap_or(now)),
    };
    let grade = fault_grading::grade(&input)
        .map_err(|e| DomainError::bad("input.affectedSystemIds", e.to_string()))?;
    fault.level = i32::from(grade.level);
    fault.grading_row = i32::from(grade.row);
    fault.platform_systems = Some(i32::try_from(platform).unwrap_or(i32::MAX));
    Ok(grade)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_round_up_to_whole_minutes() {
        let t0 = DateTime::<Utc>::from_timestamp(0, 0).expect("epoch");
        assert_eq!(
            duration_minutes(t0, t0 + chrono::Duration::seconds(1800)),
            30
        );
        // 30 min 1 s is "over 30 minutes".
        assert_eq!(
            duration_minutes(t0, t0 + chrono::Duration::seconds(1801)),
            31
        );
    }

    #[test]
    fn class_a_outranks_b_and_c() {
        let classes = [
            Some(SystemClass::C),
            Some(SystemClass::A),
            None,
            Some(SystemClass::B),
        ];
        assert_eq!(most_important(classes.into_iter()), Some(SystemClass::A));
        assert_eq!(most_important([None, None].into_iter()), None);
    }
}
