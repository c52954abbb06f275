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
use jobs::engine::ServiceYear;
use rust_decimal::Decimal;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

use super::{check_owner, fact_links, owner, set_nullable};
use crate::access::{Policy, Scope};
use crate::auth::{Actor, Role};
use crate::crud::{self, TimeColumn, Writable};
use crate::error::{AppError, AppResult};
use crate::graphql::agencies::{Agencies, Agency};
use crate::graphql::nested::{self, id};
use crate::period::{local, shanghai};
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

/// The longest suggestions text.
const MAX_SUGGESTIONS: usize = 4000;

fn name(field: &str, value: String) -> AppResult<String> {
    validate::text(field, value, 100)
}

fn phone(value: String) -> AppResult<String> {
    let phone = validate::text("input.respondentPhone", value, 40)?;
    if !phone
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | ' ' | '(' | ')' | '转'))
    {
        return Err(AppError::bad(
            "input.respondentPhone",
            "may contain only digits, spaces and + - ( ) 转",
        ));
    }
    Ok(phone)
}

fn suggestions(value: Option<String>) -> AppResult<Option<String>> {
    match value {
        Some(text) if !text.trim().is_empty() => Ok(Some(validate::text(
            "input.suggestions",
            text,
            MAX_SUGGESTIONS,
        )?)),
        _ => Ok(None),
    }
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
            respondent_name: Some(name("input.respondentName", input.respondent_name)?),
            respondent_unit: Some(name("input.respondentUnit", input.respondent_unit)?),
            respondent_phone: Some(phone(input.respondent_phone)?),
            surveying_body: Some(name("input.surveyingBody", input.surveying_body)?),
            surveyor: Some(name("input.surveyor", input.surveyor)?),
            surveyed_on: Some(input.surveyed_on),
            suggestions: suggestions(input.suggestions)?,
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

    async fn check<'a>(txn: &'a DatabaseTransaction, row: &'a mut Model) -> AppResult<()> {
        check_owner(txn, row.region_id, row.vendor_id, Some(row.agency_id)).await?;
        let region = entities::region::Entity::find_by_id(row.region_id)
            .one(txn)
            .await?
            .ok_or_else(|| AppError::bad("input.regionId", "no such region"))?;
        let scheme =
            crate::schemes::require_known(txn, "input.regionId", &region.scheme_code).await?;
        let year = ServiceYear::new(scheme.service_year_first_month, row.service_year)
            .map_err(|e| AppError::bad("input.serviceYear", e.to_string()))?;
        let (first_day, last_day) = days_of(year);
        let today = Utc::now().with_timezone(&shanghai()).date_naive();
        if first_day > today {
            return Err(AppError::bad(
                "input.serviceYear",
                format!(
                    "service year {} begins on {first_day}: it cannot be surveyed before it begins",
                    row.service_year
                ),
            ));
        }
        if let Some(on) = row.surveyed_on {
            if on < first_day {
                return Err(AppError::bad(
                    "input.surveyedOn",
                    format!(
                        "{on} is before service year {} (which begins on {first_day})",
                        row.service_year
                    ),
                ));
            }
            if on > today {
                return Err(AppError::bad(
                    "input.surveyedOn",
                    format!("{on} is in the future"),
                ));
            }
        }
        if !serves(txn, row.vendor_id, row.agency_id, first_day, last_day).await? {
            return Err(AppError::bad(
                "input.vendorId",
                format!(
                    "vendor {} does not serve agency {} in service year {} ({first_day} to {last_day}): none of the agency's information systems was hosted by it then",
                    row.vendor_id, row.agency_id, row.service_year
                ),
            ));
        }
        if let Some(respondent) = &row.respondent_name
            && let Some(first) = first_answer(txn, row, respondent).await?
        {
            let when = first
                .surveyed_on
                .unwrap_or_else(|| local(first.recorded_at).date_naive());
            return Err(AppError::bad(
                "input.respondentName",
                format!(
                    "{respondent} of this agency already answered about vendor {} for service year {}: survey response {} of {when}",
                    row.vendor_id, row.service_year, first.id
                ),
            ));
        }
        Ok(())
    }
}

/// The first and last day of a service year.
pub fn days_of(year: ServiceYear) -> (NaiveDate, NaiveDate) {
    let first = year.first_month();
    let first_day =
        NaiveDate::from_ymd_opt(first.year(), first.month(), 1).expect("a month's first day");
    let last_day = first_day
        .checked_add_months(chrono::Months::new(12))
        .and_then(|d| d.pred_opt())
        .expect("a year later");
    (first_day, last_day)
}

/// Whether one of the agency's systems is hosted by the vendor and on the
/// platform on at least one day from `first_day` to `last_day` (a system is on
/// the platform from `online_on` until the day before `offline_on`).
pub async fn serves(
    conn: &impl ConnectionTrait,
    vendor_id: i64,
    agency_id: i64,
    first_day: NaiveDate,
    last_day: NaiveDate,
) -> AppResult<bool> {
    use entities::information_system::{Column as S, Entity};
    let hosted = Entity::find()
        .select_only()
        .column(S::Id)
        .filter(S::VendorId.eq(vendor_id))
        .filter(S::AgencyId.eq(agency_id))
        .filter(S::OnlineOn.lte(last_day))
        .filter(
            Condition::any()
                .add(S::OfflineOn.is_null())
                .add(S::OfflineOn.gt(first_day)),
        )
        .into_tuple::<i64>()
        .one(conn)
        .await?;
    Ok(hosted.is_some())
}

/// The respondent's earlier response about the same vendor and service year
/// (the same name at the same agency), other than this one.
async fn first_answer(
    conn: &impl ConnectionTrait,
    row: &Model,
    respondent: &str,
) -> AppResult<Option<Model>> {
    Ok(entities::survey_response::Entity::find()
        .filter(Column::VendorId.eq(row.vendor_id))
        .filter(Column::ServiceYear.eq(row.service_year))
        .filter(Column::AgencyId.eq(row.agency_id))
        .filter(Column::RespondentName.eq(respondent))
        .filter(Column::Id.ne(row.id))
        .order_by_asc(Column::Id)
        .one(conn)
        .await?)
}

crud_api!(resource: SurveyResponses, object: SurveyResponse, page: SurveyResponsePage,
    create_input: CreateSurveyResponseInput, update_input: UpdateSurveyResponseInput,
    query: SurveyResponseQuery { survey_response, survey_responses },
    mutation: SurveyResponseMutation { create_survey_response, update_survey_response, delete_survey_response });
