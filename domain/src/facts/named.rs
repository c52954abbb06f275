//! A fact as a deduction's reader sees it: its title and when it happened,
//! looked up by the reference the engine stored with the deduction
//! (`engine::FactRef`), through the store with the caller's access, so a
//! scorecard names only facts its reader may read.
//!
//! The title is the one the engine reads (`Assessed::fact`): a kind's `title`
//! column, or its `description` for kinds recorded by a description
//! (complaints, outages, …). Attendance and survey responses have neither;
//! their page names them by kind and period. The time is the kind's own time
//! column (`Resource::TIME`), the one its lists filter on.

use std::collections::HashMap;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use engine::{FactKind, FactRef};
use sea_orm::sea_query::ValueType;
use sea_orm::{DatabaseConnection, ModelTrait, Value};

use super::{
    attendances, changes, complaints, faults, outages, security_accidents, security_risks,
    service_tasks, survey_responses, trainings, unticketed_deliveries, violations, work_orders,
};
use crate::actor::Actor;
use crate::error::DomainResult;
use crate::store::{self, Resource, TimeColumn};

/// When a fact happened, as its kind records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum When {
    Instant(DateTime<Utc>),
    Day(NaiveDate),
    /// `YYYY-MM`.
    Month(String),
    /// The calendar year a service year starts in.
    ServiceYear(i32),
    Unknown,
}

/// A fact's title (none for kinds without one) and time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Named {
    pub title: Option<String>,
    pub when: When,
}

/// The facts of `refs` the actor may read; the others are absent (a reader
/// who may not read a fact sees the deduction without it).
pub async fn named(
    db: &DatabaseConnection,
    actor: &Actor,
    refs: &[FactRef],
) -> DomainResult<HashMap<FactRef, Named>> {
    let mut by_kind: HashMap<FactKind, Vec<i64>> = HashMap::new();
    for r in refs {
        by_kind.entry(r.kind).or_default().push(r.id);
    }
    let mut out = HashMap::new();
    for (kind, ids) in by_kind {
        let found = match kind {
            FactKind::WorkOrder => of::<work_orders::WorkOrders>(db, actor, ids).await?,
            FactKind::UnticketedDelivery => {
                of::<unticketed_deliveries::UnticketedDeliveries>(db, actor, ids).await?
            }
            FactKind::ServiceTask => of::<service_tasks::ServiceTasks>(db, actor, ids).await?,
            FactKind::Attendance => of::<attendances::Attendances>(db, actor, ids).await?,
            FactKind::Complaint => of::<complaints::Complaints>(db, actor, ids).await?,
            FactKind::Outage => of::<outages::Outages>(db, actor, ids).await?,
            FactKind::Fault => of::<faults::Faults>(db, actor, ids).await?,
            FactKind::Change => of::<changes::Changes>(db, actor, ids).await?,
            FactKind::Violation => of::<violations::Violations>(db, actor, ids).await?,
            FactKind::Training => of::<trainings::Trainings>(db, actor, ids).await?,
            FactKind::SecurityRisk => of::<security_risks::SecurityRisks>(db, actor, ids).await?,
            FactKind::SecurityAccident => {
                of::<security_accidents::SecurityAccidents>(db, actor, ids).await?
            }
            FactKind::SurveyResponse => {
                of::<survey_responses::SurveyResponses>(db, actor, ids).await?
            }
        };
        out.extend(found.into_iter().map(|(id, n)| (FactRef { kind, id }, n)));
    }
    Ok(out)
}

async fn of<R: Resource>(
    db: &DatabaseConnection,
    actor: &Actor,
    ids: Vec<i64>,
) -> DomainResult<Vec<(i64, Named)>> {
    Ok(store::get_many::<R>(db, actor, ids)
        .await?
        .into_iter()
        .map(|(id, row)| {
            let named = Named {
                title: title::<R>(&row),
                when: when::<R>(&row),
            };
            (id, named)
        })
        .collect())
}

fn text<R: Resource>(row: &R::Model, column: &str) -> Option<String> {
    let column = R::Column::from_str(column).ok()?;
    <String as ValueType>::try_from(row.get(column)).ok()
}

fn title<R: Resource>(row: &R::Model) -> Option<String> {
    text::<R>(row, "title").or_else(|| text::<R>(row, "description"))
}

fn when<R: Resource>(row: &R::Model) -> When {
    fn read<T: ValueType>(value: Value) -> Option<T> {
        <T as ValueType>::try_from(value).ok()
    }
    let read = match R::TIME {
        TimeColumn::Instant(c) => read::<DateTime<Utc>>(row.get(c)).map(When::Instant),
        TimeColumn::Date(c) => read::<NaiveDate>(row.get(c)).map(When::Day),
        TimeColumn::MonthText(c) | TimeColumn::PeriodText(c) => {
            read::<String>(row.get(c)).map(When::Month)
        }
        TimeColumn::ServiceYear(c) => read::<i32>(row.get(c)).map(When::ServiceYear),
        TimeColumn::None => None,
    };
    read.unwrap_or(When::Unknown)
}
