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
//!
//! Declared here: who owns a row, who may see it, what a row must satisfy,
//! and which rows a period's assessment loads and what the engine reads.

use chrono::{DateTime, NaiveDate, Utc};
use engine::ServiceYear;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

use super::check_owner;
use super::{Assessed, Window};
use crate::access::{Policy, Scope};
use crate::actor::{Actor, Role};
use crate::error::{DomainError, DomainResult};
use crate::period::{local, shanghai};
use crate::store::TimeColumn;
use crate::store::Writable;
use crate::validate;
use engine::facts as f;
use entities::survey_response::{Column, Model};

resource!(SurveyResponses => survey_response, name: "SurveyResponse", policy: Policy::AGENCY_FILED_FACT,
    region: Some(Column::RegionId), vendor: Some(Column::VendorId), agency: Some(Column::AgencyId),
    time: TimeColumn::ServiceYear(Column::ServiceYear),
    scope: |m| Scope { region: Some(m.region_id), vendor: Some(m.vendor_id), agency: Some(m.agency_id) });

impl Writable for SurveyResponses {
    async fn check<'a>(txn: &'a DatabaseTransaction, row: &'a mut Model) -> DomainResult<()> {
        check_owner(txn, row.region_id, row.vendor_id, Some(row.agency_id)).await?;
        let region = entities::region::Entity::find_by_id(row.region_id)
            .one(txn)
            .await?
            .ok_or_else(|| DomainError::bad("input.regionId", "no such region"))?;
        let scheme =
            crate::schemes::require_known(txn, "input.regionId", &region.scheme_code).await?;
        let year = ServiceYear::new(scheme.service_year_first_month, row.service_year)
            .map_err(|e| DomainError::bad("input.serviceYear", e.to_string()))?;
        let (first_day, last_day) = days_of(year);
        let today = Utc::now().with_timezone(&shanghai()).date_naive();
        if first_day > today {
            return Err(DomainError::bad(
                "input.serviceYear",
                format!(
                    "service year {} begins on {first_day}: it cannot be surveyed before it begins",
                    row.service_year
                ),
            ));
        }
        if let Some(on) = row.surveyed_on {
            if on < first_day {
                return Err(DomainError::bad(
                    "input.surveyedOn",
                    format!(
                        "{on} is before service year {} (which begins on {first_day})",
                        row.service_year
                    ),
                ));
            }
            if on > today {
                return Err(DomainError::bad(
                    "input.surveyedOn",
                    format!("{on} is in the future"),
                ));
            }
        }
        if !serves(txn, row.vendor_id, row.agency_id, first_day, last_day).await? {
            return Err(DomainError::bad(
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
            return Err(DomainError::bad(
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

/// The answers of Q1–Q9 (seed 003: 4 3 2 1 0, "程度由高到低").
pub const ANSWERS: &[i32] = &[0, 1, 2, 3, 4];
/// The answers of Q10 (overall satisfaction), which weighs double.
pub const OVERALL_ANSWERS: &[i32] = &[0, 2, 4, 6, 8];
/// The highest possible score: 9 × 4 + 8.
pub const MAX_SCORE: i32 = 44;
/// The longest suggestions text.
/// The questions, as seed 003's questionnaire words them.
pub const QUESTIONS: [&str; 10] = [
    "您对云服务商资源交付及时性是否满意？",
    "您对云服务商资源交付准确性是否满意？",
    "您对云服务商服务请求的响应是否满意？",
    "您对云服务商服务专业能力是否满意？",
    "您对云服务商应急响应能力是否满意？",
    "您对客服热线的拨通率和等待时间是否满意？",
    "您对云服务商服务管理的规范性是否满意？",
    "您对云服务商提供的培训是否满意？",
    "您对云服务商服务人员的服务态度是否满意？",
    "整体上您对市政务云的服务满意度如何？",
];

pub const MAX_SUGGESTIONS: usize = 4000;

/// A new response as an edge read it (GraphQL's input, the console's
/// questionnaire): every field checked here, once, by `row`.
pub struct NewResponse {
    pub region_id: i64,
    pub vendor_id: i64,
    /// Required, except for an agency filing its own response.
    pub agency_id: Option<i64>,
    pub service_year: i32,
    /// Q1–Q10 in order.
    pub answers: [i32; 10],
    pub respondent_name: String,
    pub respondent_unit: String,
    pub respondent_phone: String,
    pub surveying_body: String,
    pub surveyor: String,
    pub surveyed_on: NaiveDate,
    pub suggestions: Option<String>,
}

impl NewResponse {
    /// The row to store (id 0); field-level checks only, the rest is `check`'s.
    pub fn row(self, actor: &Actor, now: DateTime<Utc>) -> DomainResult<Model> {
        // The access layer then checks that an agency files for itself only.
        let agency_id = match (self.agency_id, actor.role) {
            (Some(agency_id), _) => agency_id,
            (None, Role::Agency { agency_id }) => agency_id,
            (None, _) => return Err(DomainError::bad("input.agencyId", "required")),
        };
        let [q1, q2, q3, q4, q5, q6, q7, q8, q9, q10] = self.answers;
        Ok(Model {
            id: 0,
            region_id: self.region_id,
            vendor_id: self.vendor_id,
            agency_id,
            service_year: service_year(self.service_year)?,
            q1: answer("input.q1", q1, ANSWERS)?,
            q2: answer("input.q2", q2, ANSWERS)?,
            q3: answer("input.q3", q3, ANSWERS)?,
            q4: answer("input.q4", q4, ANSWERS)?,
            q5: answer("input.q5", q5, ANSWERS)?,
            q6: answer("input.q6", q6, ANSWERS)?,
            q7: answer("input.q7", q7, ANSWERS)?,
            q8: answer("input.q8", q8, ANSWERS)?,
            q9: answer("input.q9", q9, ANSWERS)?,
            q10: answer("input.q10", q10, OVERALL_ANSWERS)?,
            respondent_name: Some(name("input.respondentName", self.respondent_name)?),
            respondent_unit: Some(name("input.respondentUnit", self.respondent_unit)?),
            respondent_phone: Some(phone(self.respondent_phone)?),
            surveying_body: Some(name("input.surveyingBody", self.surveying_body)?),
            surveyor: Some(name("input.surveyor", self.surveyor)?),
            surveyed_on: Some(self.surveyed_on),
            suggestions: suggestions(self.suggestions)?,
            recorded_by: actor.user_id,
            recorded_at: now,
        })
    }
}

/// One answer, which must be one of `allowed`.
pub fn answer(field: &str, value: i32, allowed: &[i32]) -> DomainResult<i32> {
    if allowed.contains(&value) {
        return Ok(value);
    }
    let list = allowed
        .iter()
        .map(i32::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    Err(DomainError::bad(
        field,
        format!("must be one of {list}, got {value}"),
    ))
}

pub fn service_year(value: i32) -> DomainResult<i32> {
    validate::in_range("input.serviceYear", value, 2000, 2100)
}

/// A name on the questionnaire (respondent, unit, surveying body, surveyor).
pub fn name(field: &str, value: String) -> DomainResult<String> {
    validate::text(field, value, 100)
}

pub fn phone(value: String) -> DomainResult<String> {
    let phone = validate::text("input.respondentPhone", value, 40)?;
    if !phone
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | ' ' | '(' | ')' | '转'))
    {
        return Err(DomainError::bad(
            "input.respondentPhone",
            "may contain only digits, spaces and + - ( ) 转",
        ));
    }
    Ok(phone)
}

/// The suggestions; blank is none.
pub fn suggestions(value: Option<String>) -> DomainResult<Option<String>> {
    match value {
        Some(text) if !text.trim().is_empty() => Ok(Some(validate::text(
            "input.suggestions",
            text,
            MAX_SUGGESTIONS,
        )?)),
        _ => Ok(None),
    }
}

/// A response's score: the sum of its answers, at most `MAX_SCORE`.
pub fn score(m: &Model) -> i32 {
    m.q1 + m.q2 + m.q3 + m.q4 + m.q5 + m.q6 + m.q7 + m.q8 + m.q9 + m.q10
}

/// score / 44 × 100, rounded half-up to exactly 2 decimals.
pub fn satisfaction_percent(score: i32) -> rust_decimal::Decimal {
    use rust_decimal::Decimal;
    engine::two_dp(Decimal::from(score) * Decimal::from(100) / Decimal::from(MAX_SCORE))
}

/// The service year of the region's scheme that `day` falls in.
pub async fn year_of(
    conn: &impl ConnectionTrait,
    region_id: i64,
    day: NaiveDate,
) -> DomainResult<ServiceYear> {
    use chrono::Datelike;
    let region = entities::region::Entity::find_by_id(region_id)
        .one(conn)
        .await?
        .ok_or_else(|| DomainError::bad("input.regionId", "no such region"))?;
    let scheme = crate::schemes::require_known(conn, "input.regionId", &region.scheme_code).await?;
    let month = engine::Month::new(day.year(), day.month())
        .map_err(|e| DomainError::bad("input.surveyedOn", e.to_string()))?;
    ServiceYear::containing(scheme.service_year_first_month, month)
        .map_err(|e| DomainError::bad("input.serviceYear", e.to_string()))
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
) -> DomainResult<bool> {
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
) -> DomainResult<Option<Model>> {
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

impl Assessed for SurveyResponses {
    type Fact = f::SurveyResponse;

    /// The responses about the service year the period belongs to (H1).
    fn window(w: &Window) -> Condition {
        Condition::all().add(Column::ServiceYear.eq(w.survey_year))
    }

    fn fact(r: Model) -> DomainResult<f::SurveyResponse> {
        Ok(f::SurveyResponse {
            id: r.id,
            answers: [r.q1, r.q2, r.q3, r.q4, r.q5, r.q6, r.q7, r.q8, r.q9, r.q10]
                .map(|a| a.clamp(0, 8) as u8),
        })
    }
}
