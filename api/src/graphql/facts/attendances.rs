//! On-site staff attendance (驻场人员出勤), one record per vendor, region and month.
//! B1 scores actual hours / required hours; a month without a record scores in
//! full with a warning.

use async_graphql::{ID, InputObject, SimpleObject};
use chrono::{DateTime, FixedOffset, Utc};
use rust_decimal::Decimal;

use super::{fact_links, owner};
use crate::error::{DomainError, DomainResult};
use crate::graphql::crud::FromInput;
use crate::graphql::nested::id;
use domain::actor::Actor;
use domain::period::local;
use domain::validate;
use entities::attendance::Model;

pub use domain::facts::attendances::Attendances;

#[derive(SimpleObject)]
#[graphql(complex)]
pub struct Attendance {
    pub id: ID,
    pub region_id: ID,
    pub vendor_id: ID,
    /// The month, `YYYY-MM`.
    pub period: String,
    /// Hours all on-site staff were required to be present in the month.
    pub required_hours: Decimal,
    pub actual_hours: Decimal,
    pub recorded_by_id: ID,
    pub recorded_at: DateTime<FixedOffset>,
}

impl From<Model> for Attendance {
    fn from(m: Model) -> Self {
        Self {
            id: id(m.id),
            region_id: id(m.region_id),
            vendor_id: id(m.vendor_id),
            period: m.period,
            // SQLite hands decimals back through f64: restore the scale.
            required_hours: engine::two_dp(m.required_hours),
            actual_hours: engine::two_dp(m.actual_hours),
            recorded_by_id: id(m.recorded_by),
            recorded_at: local(m.recorded_at),
        }
    }
}

fact_links!(Attendance {});

#[derive(InputObject)]
pub struct CreateAttendanceInput {
    pub region_id: ID,
    pub vendor_id: ID,
    pub period: String,
    pub required_hours: Decimal,
    pub actual_hours: Decimal,
}

#[derive(InputObject)]
pub struct UpdateAttendanceInput {
    pub period: Option<String>,
    pub required_hours: Option<Decimal>,
    pub actual_hours: Option<Decimal>,
}

/// Required hours are the denominator of the rate: more than zero.
fn required_hours(value: Decimal) -> DomainResult<Decimal> {
    let value = validate::hours("input.requiredHours", value)?;
    if value.is_zero() {
        return Err(DomainError::bad(
            "input.requiredHours",
            "must be greater than 0",
        ));
    }
    Ok(value)
}

impl FromInput for Attendances {
    type Create = CreateAttendanceInput;
    type Update = UpdateAttendanceInput;

    fn build(
        input: CreateAttendanceInput,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> DomainResult<Model> {
        let (region_id, vendor_id) = owner(&input.region_id, &input.vendor_id)?;
        Ok(Model {
            id: 0,
            region_id,
            vendor_id,
            period: validate::month("input.period", input.period)?,
            required_hours: required_hours(input.required_hours)?,
            actual_hours: validate::hours("input.actualHours", input.actual_hours)?,
            recorded_by: actor.user_id,
            recorded_at: now,
        })
    }

    fn patch(row: &mut Model, input: UpdateAttendanceInput) -> DomainResult<()> {
        if let Some(v) = input.period {
            row.period = validate::month("input.period", v)?;
        }
        if let Some(v) = input.required_hours {
            row.required_hours = required_hours(v)?;
        }
        if let Some(v) = input.actual_hours {
            row.actual_hours = validate::hours("input.actualHours", v)?;
        }
        Ok(())
    }
}

crud_api!(resource: Attendances, object: Attendance, page: AttendancePage,
    create_input: CreateAttendanceInput, update_input: UpdateAttendanceInput,
    query: AttendanceQuery { attendance, attendances },
    mutation: AttendanceMutation { create_attendance, update_attendance, delete_attendance });
