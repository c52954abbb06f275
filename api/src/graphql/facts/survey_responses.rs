//! Satisfaction questionnaires (满意度调查) agencies answer about a vendor, one
//! service year each. H1 scores the mean satisfaction of a vendor's responses in
//! the service year; one response's satisfaction is its score / 44 × 100 %.

use async_graphql::{Context, ID, InputObject, SimpleObject};
use chrono::{DateTime, FixedOffset, Utc};
use rust_decimal::Decimal;
use sea_orm::DatabaseTransaction;

use super::{check_owner, fact_links, owner};
use crate::access::{Policy, Scope};
use crate::auth::{Actor, Role};
use crate::crud::{self, TimeColumn, Writable};
use crate::error::{AppError, AppResult};
use crate::graphql::agencies::{Agencies, Agency};
use crate::graphql::nested::{self, id};
use crate::period::local;
use crate::validate;
use entities::survey_response::{Column, Model};

resource!(SurveyResponses => survey_response, name: "SurveyResponse", policy: Policy::AGENCY_FILED_FACT,
    region: Some(Column::RegionId), vendor: Some(Column::VendorId), agency: Some(Column::AgencyId),
    time: TimeColumn::ServiceYear(Column::ServiceYear),
    scope: |m| Scope { region: Some(m.region_id), vendor: Some(m.vendor_id), agency: Some(m.agency_id) });

/// The answers of Q1–Q9.
const ANSWERS: &[i32] = &[0, 1, 2, 3, 4];
/// The answers of Q10 (overall satisfaction), which weighs double.
const OVERALL_ANSWERS: &[i32] = &[0, 2, 4, 6, 8];
/// The highest possible score: 9 × 4 + 8.
const MAX_SCORE: i32 = 44;

/// One answer, which must be one of `allowed`.
fn answer(field: &str, value: i32, allowed: &[i32]) -> AppResult<i32> {
    if allowed.contains(&value) {
        return Ok(value);
    }
    let list = allowed
        .iter()
        .map(i32::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    Err(AppError::bad(
        field,
        format!("must be one of {list}, got {value}"),
    ))
}

fn service_year(value: i32) -> AppResult<i32> {
    validate::in_range("input.serviceYear", value, 2000, 2100)
}

#[derive(SimpleObject)]
#[graphql(complex)]
pub struct SurveyResponse {
    pub id: ID,
    pub region_id: ID,
    pub vendor_id: ID,
    pub agency_id: ID,
    pub service_year: i32,
    /// Q1–Q9 are answered 4/3/2/1/0.
    pub q1: i32,
    pub q2: i32,
    pub q3: i32,
    pub q4: i32,
    pub q5: i32,
    pub q6: i32,
    pub q7: i32,
    pub q8: i32,
    pub q9: i32,
    /// Overall satisfaction, answered 8/6/4/2/0.
    pub q10: i32,
    /// The sum of the answers, at most 44.
    pub score: i32,
    /// score / 44 × 100, rounded half-up to exactly 2 decimals.
    pub satisfaction_percent: Decimal,
    pub recorded_by_id: ID,
    pub recorded_at: DateTime<FixedOffset>,
}

impl From<Model> for SurveyResponse {
    fn from(m: Model) -> Self {
        let score = m.q1 + m.q2 + m.q3 + m.q4 + m.q5 + m.q6 + m.q7 + m.q8 + m.q9 + m.q10;
        let satisfaction_percent = jobs::engine::two_dp(
            Decimal::from(score) * Decimal::from(100) / Decimal::from(MAX_SCORE),
        );
        Self {
            id: id(m.id),
            region_id: id(m.region_id),
            vendor_id: id(m.vendor_id),
            agency_id: id(m.agency_id),
            service_year: m.service_year,
            q1: m.q1,
            q2: m.q2,
            q3: m.q3,
            q4: m.q4,
            q5: m.q5,
            q6: m.q6,
            q7: m.q7,
            q8: m.q8,
            q9: m.q9,
            q10: m.q10,
            score,
            satisfaction_percent,
            recorded_by_id: id(m.recorded_by),
            recorded_at: local(m.recorded_at),
        }
    }
}

fact_links!(SurveyResponse {
    async fn agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Agency> {
        nested::one::<Agencies, Agency>(ctx, &self.agency_id).await
    }
});

#[derive(InputObject)]
pub struct CreateSurveyResponseInput {
    pub region_id: ID,
    pub vendor_id: ID,
    /// Required, except for an agency filing its own response.
    pub agency_id: Option<ID>,
    pub service_year: i32,
    pub q1: i32,
    pub q2: i32,
    pub q3: i32,
    pub q4: i32,
    pub q5: i32,
    pub q6: i32,
    pub q7: i32,
    pub q8: i32,
    pub q9: i32,
    pub q10: i32,
}

#[derive(InputObject)]
pub struct UpdateSurveyResponseInput {
    pub service_year: Option<i32>,
    pub q1: Option<i32>,
    pub q2: Option<i32>,
    pub q3: Option<i32>,
    pub q4: Option<i32>,
    pub q5: Option<i32>,
    pub q6: Option<i32>,
    pub q7: Option<i32>,
    pub q8: Option<i32>,
    pub q9: Option<i32>,
    pub q10: Option<i32>,
}

impl Writable for SurveyResponses {
    type Create = CreateSurveyResponseInput;
    type Update = UpdateSurveyResponseInput;

    fn build(
        input: CreateSurveyResponseInput,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> AppResult<Model> {
        let (region_id, vendor_id) = owner(&input.region_id, &input.vendor_id)?;
        // The access layer then checks that an agency files for itself only.
        let agency_id = match (
            crud::parse_opt_id("input.agencyId", &input.agency_id)?,
            actor.role,
        ) {
            (Some(agency_id), _) => agency_id,
            (None, Role::Agency { agency_id }) => agency_id,
            (None, _) => return Err(AppError::bad("input.agencyId", "required")),
        };
        Ok(Model {
            id: 0,
            region_id,
            vendor_id,
            agency_id,
            service_year: service_year(input.service_year)?,
            q1: answer("input.q1", input.q1, ANSWERS)?,
            q2: answer("input.q2", input.q2, ANSWERS)?,
            q3: answer("input.q3", input.q3, ANSWERS)?,
            q4: answer("input.q4", input.q4, ANSWERS)?,
            q5: answer("input.q5", input.q5, ANSWERS)?,
            q6: answer("input.q6", input.q6, ANSWERS)?,
            q7: answer("input.q7", input.q7, ANSWERS)?,
            q8: answer("input.q8", input.q8, ANSWERS)?,
            q9: answer("input.q9", input.q9, ANSWERS)?,
            q10: answer("input.q10", input.q10, OVERALL_ANSWERS)?,
            recorded_by: actor.user_id,
            recorded_at: now,
        })
    }

    fn patch(row: &mut Model, input: UpdateSurveyResponseInput) -> AppResult<()> {
        if let Some(v) = input.service_year {
            row.service_year = service_year(v)?;
        }
        for (field, slot, value, allowed) in [
            ("input.q1", &mut row.q1, input.q1, ANSWERS),
            ("input.q2", &mut row.q2, input.q2, ANSWERS),
            ("input.q3", &mut row.q3, input.q3, ANSWERS),
            ("input.q4", &mut row.q4, input.q4, ANSWERS),
            ("input.q5", &mut row.q5, input.q5, ANSWERS),
            ("input.q6", &mut row.q6, input.q6, ANSWERS),
            ("input.q7", &mut row.q7, input.q7, ANSWERS),
            ("input.q8", &mut row.q8, input.q8, ANSWERS),
            ("input.q9", &mut row.q9, input.q9, ANSWERS),
            ("input.q10", &mut row.q10, input.q10, OVERALL_ANSWERS),
        ] {
            if let Some(v) = value {
                *slot = answer(field, v, allowed)?;
            }
        }
        Ok(())
    }

    async fn check<'a>(txn: &'a DatabaseTransaction, row: &'a mut Model) -> AppResult<()> {
        check_owner(txn, row.region_id, row.vendor_id, Some(row.agency_id)).await
    }
}

crud_api!(resource: SurveyResponses, object: SurveyResponse, page: SurveyResponsePage,
    create_input: CreateSurveyResponseInput, update_input: UpdateSurveyResponseInput,
    query: SurveyResponseQuery { survey_response, survey_responses },
    mutation: SurveyResponseMutation { create_survey_response, update_survey_response, delete_survey_response });
