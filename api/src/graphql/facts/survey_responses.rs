//! Satisfaction questionnaires (满意度调查) agencies answer about a vendor, one
//! service year each. H1 scores the mean satisfaction of a vendor's responses in
//! the service year; one response's satisfaction is its score / 44 × 100 %.
//!
//! A response records what seed 003's questionnaire asks: the respondent (name,
//! unit, phone), the surveying body and surveyor, the date and the suggestions.
//! It is refused when
//! - the respondent (the same name at the same agency) already answered about
//!   the vendor for the service year (the message names the first response);
//! - the vendor does not serve the agency in that service year. **Decision:**
//!   served = one of the agency's information systems is hosted by the vendor
//!   and on the platform on at least one day of the service year. Contracts
//!   bind a vendor to a region, not to an agency, so a contract alone cannot
//!   say that the agency uses the vendor; the systems are the data that links
//!   the two, with dates;
//! - the service year has not begun (by the region's scheme), or the date is
//!   before the service year or in the future.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, SimpleObject};
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use rust_decimal::Decimal;

use super::{fact_links, owner, set_nullable};
use crate::error::DomainResult;
use crate::graphql::agencies::{Agencies, Agency};
use crate::graphql::crud::{self, FromInput};
use crate::graphql::nested::{self, id};
use domain::actor::Actor;
use domain::facts::survey_responses::{
    self as survey, ANSWERS, MAX_SUGGESTIONS, NewResponse, OVERALL_ANSWERS, QUESTIONS, answer,
    name, phone, service_year, suggestions,
};
use domain::period::local;
use entities::survey_response::Model;

pub use domain::facts::survey_responses::SurveyResponses;

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
    /// The respondent's name (您的姓名). Null on responses recorded before the
    /// questionnaire's fields were kept (December 2026), as are the six below;
    /// the name and the phone are never shown to the vendor surveyed.
    #[graphql(skip)]
    pub respondent_name: Option<String>,
    /// The respondent's unit (所在单位).
    pub respondent_unit: Option<String>,
    #[graphql(skip)]
    pub respondent_phone: Option<String>,
    /// The surveying body (调查机构).
    pub surveying_body: Option<String>,
    /// The surveyor (调查人员).
    pub surveyor: Option<String>,
    /// The questionnaire's date.
    pub surveyed_on: Option<NaiveDate>,
    /// The suggestions (意见和建议); null: none given.
    pub suggestions: Option<String>,
    #[graphql(skip)]
    pub recorded_by_id: ID,
    pub recorded_at: DateTime<FixedOffset>,
}

impl From<Model> for SurveyResponse {
    fn from(m: Model) -> Self {
        let score = survey::score(&m);
        let satisfaction_percent = survey::satisfaction_percent(score);
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
            respondent_name: m.respondent_name,
            respondent_unit: m.respondent_unit,
            respondent_phone: m.respondent_phone,
            surveying_body: m.surveying_body,
            surveyor: m.surveyor,
            surveyed_on: m.surveyed_on,
            suggestions: m.suggestions,
            recorded_by_id: id(m.recorded_by),
            recorded_at: local(m.recorded_at),
        }
    }
}

fact_links!(SurveyResponse {
    async fn agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Agency> {
        nested::one::<Agencies, Agency>(ctx, &self.agency_id).await
    }
    /// The respondent's name (您的姓名); null for the vendor surveyed (it sees
    /// the agency, never the person) and on responses recorded before December 2026.
    async fn respondent_name(&self, ctx: &Context<'_>) -> Option<&str> {
        super::unless_vendor(ctx, self.respondent_name.as_deref())
    }
    /// The respondent's phone (联系电话); null for the vendor surveyed.
    async fn respondent_phone(&self, ctx: &Context<'_>) -> Option<&str> {
        super::unless_vendor(ctx, self.respondent_phone.as_deref())
    }
    /// The agency's name, also for the vendor surveyed.
    async fn agency_name(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        super::agency_name(ctx, Some(&self.agency_id)).await
    }
    /// Who recorded the response; null for the vendor surveyed.
    async fn recorded_by_id(&self, ctx: &Context<'_>) -> Option<&ID> {
        super::unless_vendor(ctx, Some(&self.recorded_by_id))
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
    /// 您的姓名: a respondent answers once per vendor and service year.
    pub respondent_name: String,
    /// 所在单位.
    pub respondent_unit: String,
    /// 联系电话.
    pub respondent_phone: String,
    /// 调查机构.
    pub surveying_body: String,
    /// 调查人员.
    pub surveyor: String,
    /// The questionnaire's date: within or after the service year, not in the future.
    pub surveyed_on: NaiveDate,
    /// 意见和建议 (optional).
    pub suggestions: Option<String>,
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
    pub respondent_name: Option<String>,
    pub respondent_unit: Option<String>,
    pub respondent_phone: Option<String>,
    pub surveying_body: Option<String>,
    pub surveyor: Option<String>,
    pub surveyed_on: Option<NaiveDate>,
    /// `null` clears them.
    pub suggestions: MaybeUndefined<String>,
}

impl FromInput for SurveyResponses {
    type Create = CreateSurveyResponseInput;
    type Update = UpdateSurveyResponseInput;

    fn build(
        input: CreateSurveyResponseInput,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> DomainResult<Model> {
        let (region_id, vendor_id) = owner(&input.region_id, &input.vendor_id)?;
        let new = NewResponse {
            region_id,
            vendor_id,
            agency_id: crud::parse_opt_id("input.agencyId", &input.agency_id)?,
            service_year: input.service_year,
            answers: [
                input.q1, input.q2, input.q3, input.q4, input.q5, input.q6, input.q7, input.q8,
                input.q9, input.q10,
            ],
            respondent_name: input.respondent_name,
            respondent_unit: input.respondent_unit,
            respondent_phone: input.respondent_phone,
            surveying_body: input.surveying_body,
            surveyor: input.surveyor,
            surveyed_on: input.surveyed_on,
            suggestions: input.suggestions,
        };
        new.row(actor, now)
    }

    fn patch(row: &mut Model, input: UpdateSurveyResponseInput) -> DomainResult<()> {
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
        for (field, slot, value) in [
            (
                "input.respondentName",
                &mut row.respondent_name,
                input.respondent_name,
            ),
            (
                "input.respondentUnit",
                &mut row.respondent_unit,
                input.respondent_unit,
            ),
            (
                "input.surveyingBody",
                &mut row.surveying_body,
                input.surveying_body,
            ),
            ("input.surveyor", &mut row.surveyor, input.surveyor),
        ] {
            if let Some(v) = value {
                *slot = Some(name(field, v)?);
            }
        }
        if let Some(v) = input.respondent_phone {
            row.respondent_phone = Some(phone(v)?);
        }
        if let Some(v) = input.surveyed_on {
            row.surveyed_on = Some(v);
        }
        let text = match input.suggestions {
            MaybeUndefined::Value(v) => match suggestions(Some(v))? {
                Some(t) => MaybeUndefined::Value(t),
                None => MaybeUndefined::Null,
            },
            other => other,
        };
        set_nullable(&mut row.suggestions, text);
        Ok(())
    }
}

crud_api!(resource: SurveyResponses, object: SurveyResponse, page: SurveyResponsePage,
    create_input: CreateSurveyResponseInput, update_input: UpdateSurveyResponseInput,
    query: SurveyResponseQuery { survey_response, survey_responses },
    mutation: SurveyResponseMutation { create_survey_response, update_survey_response, delete_survey_response });

/// A questionnaire as people fill it in: seed 003's ten questions in their
/// own words, the respondent and the survey.
impl super::fields::Described for SurveyResponses {
    const LABEL: &'static str = "满意度调查";
    const TITLE: &'static str = "respondent_unit";
    const FIELDS: &'static [super::fields::Field] = {
        use super::fields::{Field, Input, OWNER, Pick, When};
        const fn q(column: &'static str, label: &'static str) -> Field {
            Field::of(column, label, Input::Answer(ANSWERS))
        }
        &[
            OWNER[0],
            OWNER[1],
            Field::of("agency_id", "使用单位", Input::Pick(Pick::Agency)).on(When::Create),
            Field::of(
                "service_year",
                "服务年度",
                Input::Number {
                    low: 2000,
                    high: 2100,
                },
            ),
            q("q1", QUESTIONS[0]),
            q("q2", QUESTIONS[1]),
            q("q3", QUESTIONS[2]),
            q("q4", QUESTIONS[3]),
            q("q5", QUESTIONS[4]),
            q("q6", QUESTIONS[5]),
            q("q7", QUESTIONS[6]),
            q("q8", QUESTIONS[7]),
            q("q9", QUESTIONS[8]),
            Field::of("q10", QUESTIONS[9], Input::Answer(OVERALL_ANSWERS)),
            Field::of("respondent_name", "您的姓名", Input::Text { max: 100 }).hidden_from_vendor(),
            Field::of("respondent_unit", "所在单位", Input::Text { max: 100 }),
            Field::of("respondent_phone", "联系电话", Input::Text { max: 40 }).hidden_from_vendor(),
            Field::of("surveying_body", "调查机构", Input::Text { max: 100 }),
            Field::of("surveyor", "调查人员", Input::Text { max: 100 }),
            Field::of("surveyed_on", "调查日期", Input::Day),
            Field::of(
                "suggestions",
                "意见和建议",
                Input::Text {
                    max: MAX_SUGGESTIONS,
                },
            )
            .optional(),
        ]
    };
}
