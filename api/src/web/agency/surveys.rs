//! `/surveys/new`: the satisfaction questionnaire (满意度调查问卷) of seed 003
//! (annex 2, H1) as an agency fills it: the basic information, the ten
//! questions in the seed's own words — Q1–Q9 answered 4/3/2/1/0 and Q10
//! (overall) 8/6/4/2/0, "程度由高到低" — and the suggestions. The response is
//! built and stored as GraphQL's `createSurveyResponse` does (`NewResponse`,
//! then the store with the agency's actor); its score is the sum of the
//! answers, out of 44.

use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{NaiveDate, Utc};
use serde::Deserialize;

use super::complaints::Choice;
use super::{Hosts, Refusals};
use crate::error::DomainError;
use crate::web::Shared;
use crate::web::shell::{Shell, SignedIn};
use domain::actor::Role;
use domain::facts::survey_responses::{self as survey, NewResponse, QUESTIONS, SurveyResponses};
use domain::reference::agencies::Agencies;
use domain::store;

/// The degrees, from high to low as the seed orders its scales; the seed
/// gives the numbers only, these words name them.
const DEGREES: [&str; 5] = ["非常满意", "满意", "基本满意", "不满意", "非常不满意"];

/// The form's fields (`q1`…`q10` are the answers' values).
#[derive(Deserialize, Default)]
pub struct SurveyForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    vendor_id: String,
    #[serde(default)]
    service_year: String,
    #[serde(default)]
    q1: String,
    #[serde(default)]
    q2: String,
    #[serde(default)]
    q3: String,
    #[serde(default)]
    q4: String,
    #[serde(default)]
    q5: String,
    #[serde(default)]
    q6: String,
    #[serde(default)]
    q7: String,
    #[serde(default)]
    q8: String,
    #[serde(default)]
    q9: String,
    #[serde(default)]
    q10: String,
    #[serde(default)]
    respondent_name: String,
    #[serde(default)]
    respondent_unit: String,
    #[serde(default)]
    respondent_phone: String,
    #[serde(default)]
    surveying_body: String,
    #[serde(default)]
    surveyor: String,
    #[serde(default)]
    surveyed_on: String,
    #[serde(default)]
    suggestions: String,
}

impl SurveyForm {
    fn answers(&self) -> [&str; 10] {
        [
            &self.q1, &self.q2, &self.q3, &self.q4, &self.q5, &self.q6, &self.q7, &self.q8,
            &self.q9, &self.q10,
        ]
        .map(|a| a.trim())
    }
}

/// One answer of a question: its value, degree and whether it is picked.
pub struct Answer {
    pub value: i32,
    pub degree: &'static str,
    pub checked: bool,
}

/// One question as shown.
pub struct Question {
    /// `q1`…`q10`.
    pub name: String,
    pub number: usize,
    pub text: &'static str,
    pub answers: Vec<Answer>,
    pub refusal: Option<String>,
}

#[derive(askama::Template)]
#[template(path = "survey_form.html")]
struct SurveyPage {
    shell: Shell,
    vendors: Vec<Choice>,
    years: Vec<Choice>,
    questions: Vec<Question>,
    form: SurveyForm,
    refusals: Refusals,
}

/// GET /surveys/new, with the agency's name as the respondent's unit and
/// today as the date.
pub async fn form(State(console): State<Shared>, signed: SignedIn) -> Response {
    let agency = match own_agency(&console, &signed).await {
        Ok(agency) => agency,
        Err(e) => return signed.error(e),
    };
    let form = SurveyForm {
        respondent_unit: agency.name,
        surveyed_on: today().to_string(),
        ..SurveyForm::default()
    };
    page(&console, signed, form, Refusals::default(), StatusCode::OK).await
}

/// POST /surveys/new: files the response, or shows the questionnaire again
/// with the reasons next to the fields (nothing written).
pub async fn submit(
    State(console): State<Shared>,
    signed: SignedIn,
    Form(form): Form<SurveyForm>,
) -> Response {
    if let Err(refused) = signed.check_csrf(&console, &form.csrf) {
        return refused;
    }
    let agency = match own_agency(&console, &signed).await {
        Ok(agency) => agency,
        Err(e) => return signed.error(e),
    };
    let mut refusals = Refusals::default();
    let Some(new) = read(&form, agency.region_id, &mut refusals) else {
        return page(
            &console,
            signed,
            form,
            refusals,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let audit = signed.audit("createSurveyResponse");
    let filed = match new.row(&signed.actor, Utc::now()) {
        Ok(row) => {
            store::create::<SurveyResponses>(&console.state.db, &signed.actor, &audit, row).await
        }
        Err(e) => Err(e),
    };
    match filed {
        Ok(_) => Redirect::to("/?filed=survey").into_response(),
        Err(DomainError::BadInput { field, .. }) => {
            let (field, message) = refusal_of(&field);
            refusals.add(field, message);
            page(
                &console,
                signed,
                form,
                refusals,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => signed.error(e),
    }
}

/// The agency the actor is (only an agency fills the questionnaire).
async fn own_agency(
    console: &Shared,
    signed: &SignedIn,
) -> Result<entities::agency::Model, DomainError> {
    let Role::Agency { agency_id } = signed.actor.role else {
        return Err(DomainError::forbidden(
            "only an agency fills the satisfaction questionnaire",
        ));
    };
    store::get::<Agencies>(&console.state.db, &signed.actor, agency_id).await
}

fn today() -> NaiveDate {
    domain::period::local(Utc::now()).date_naive()
}

/// The response the form asks for, or `None` with the refusals noted.
fn read(form: &SurveyForm, region_id: i64, refusals: &mut Refusals) -> Option<NewResponse> {
    let vendor_id = form.vendor_id.trim().parse::<i64>().ok();
    if vendor_id.is_none() {
        refusals.add("vendor_id", "请选择为您服务的云服务商");
    }
    let service_year = form.service_year.trim().parse::<i32>().ok();
    if service_year.is_none() {
        refusals.add("service_year", "请选择服务年度");
    }
    let mut answers = [0; 10];
    for (n, given) in form.answers().iter().enumerate() {
        match given.parse::<i32>() {
            Ok(v) => answers[n] = v,
            Err(_) => refusals.add(QUESTION_FIELDS[n], format!("请选择第{}题的答案", n + 1)),
        }
    }
    for (field, value, label) in [
        ("respondent_name", &form.respondent_name, "您的姓名"),
        ("respondent_unit", &form.respondent_unit, "所在单位"),
        ("respondent_phone", &form.respondent_phone, "联系电话"),
        ("surveying_body", &form.surveying_body, "调查机构"),
        ("surveyor", &form.surveyor, "调查人员"),
    ] {
        if value.trim().is_empty() {
            refusals.add(field, format!("请填写{label}"));
        }
    }
    let surveyed_on = NaiveDate::parse_from_str(form.surveyed_on.trim(), "%Y-%m-%d").ok();
    if surveyed_on.is_none() {
        refusals.add("surveyed_on", "请按“年-月-日”填写调查日期");
    }
    let (Some(vendor_id), Some(service_year), Some(surveyed_on), true) =
        (vendor_id, service_year, surveyed_on, refusals.is_empty())
    else {
        return None;
    };
    Some(NewResponse {
        region_id,
        vendor_id,
        agency_id: None,
        service_year,
        answers,
        respondent_name: form.respondent_name.clone(),
        respondent_unit: form.respondent_unit.clone(),
        respondent_phone: form.respondent_phone.clone(),
        surveying_body: form.surveying_body.clone(),
        surveyor: form.surveyor.clone(),
        surveyed_on,
        suggestions: Some(form.suggestions.clone()),
    })
}

const QUESTION_FIELDS: [&str; 10] = ["q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8", "q9", "q10"];

/// A domain refusal as the form field it names and the agency's words.
fn refusal_of(field: &str) -> (&'static str, String) {
    if let Some(n) = field
        .strip_prefix("input.q")
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|n| (1..=10).contains(n))
    {
        return (
            QUESTION_FIELDS[n - 1],
            format!("第{n}题的答案不在问卷的选项之中"),
        );
    }
    let (field, message) = match field {
        "input.vendorId" => (
            "vendor_id",
            "该云服务商在所选服务年度没有为本单位的信息系统提供服务",
        ),
        "input.serviceYear" => ("service_year", "所选服务年度尚未开始，不能评价"),
        "input.surveyedOn" => (
            "surveyed_on",
            "调查日期须在所选服务年度开始之后，且不晚于今天",
        ),
        "input.respondentName" => (
            "respondent_name",
            "您已就该云服务商在该服务年度填写过问卷，每人每年度只能填写一次",
        ),
        "input.respondentUnit" => ("respondent_unit", "所在单位不能超过100字"),
        "input.respondentPhone" => (
            "respondent_phone",
            "联系电话只能包含数字、空格和 + - ( ) 转，且不超过40字",
        ),
        "input.surveyingBody" => ("surveying_body", "调查机构不能超过100字"),
        "input.surveyor" => ("surveyor", "调查人员不能超过100字"),
        "input.suggestions" => ("suggestions", "意见和建议不能超过4000字"),
        _ => ("vendor_id", "问卷填写有误，请检查"),
    };
    (field, message.to_owned())
}

/// The questions with their scales and what the form has picked.
fn questions(form: &SurveyForm, refusals: &Refusals) -> Vec<Question> {
    let given = form.answers();
    QUESTIONS
        .iter()
        .enumerate()
        .map(|(n, text)| {
            let scale = if n == 9 {
                survey::OVERALL_ANSWERS
            } else {
                survey::ANSWERS
            };
            // The scale from high to low, as the seed prints it.
            let answers = scale
                .iter()
                .rev()
                .zip(DEGREES)
                .map(|(value, degree)| Answer {
                    value: *value,
                    degree,
                    checked: given[n] == value.to_string(),
                })
                .collect();
            Question {
                name: QUESTION_FIELDS[n].to_owned(),
                number: n + 1,
                text,
                answers,
                refusal: refusals.of(QUESTION_FIELDS[n]).map(str::to_owned),
            }
        })
        .collect()
}

/// The service years an agency may answer about: the current one of its
/// region's scheme and the two before.
async fn years(console: &Shared, region_id: i64, picked: &str) -> Result<Vec<Choice>, DomainError> {
    let current = survey::year_of(&console.state.db, region_id, today()).await?;
    let first = current.first_month();
    Ok((0..3)
        .map(|back| {
            let start = first.year() - back;
            let label = if first.month() == 1 {
                format!("{start}年度")
            } else {
                format!("{start}年度（{start}年{}月起）", first.month())
            };
            Choice {
                value: start.to_string(),
                label,
                selected: picked == start.to_string(),
            }
        })
        .collect())
}

async fn page(
    console: &Shared,
    signed: SignedIn,
    form: SurveyForm,
    refusals: Refusals,
    status: StatusCode,
) -> Response {
    let agency = match own_agency(console, &signed).await {
        Ok(agency) => agency,
        Err(e) => return signed.error(e),
    };
    let (hosts, years) = match (
        Hosts::of(console, &signed.actor).await,
        years(console, agency.region_id, &form.service_year).await,
    ) {
        (Ok(hosts), Ok(years)) => (hosts, years),
        (Err(e), _) | (_, Err(e)) => return signed.error(e),
    };
    let vendors = hosts
        .vendors()
        .into_iter()
        .map(|(id, name)| Choice {
            selected: form.vendor_id == id.to_string(),
            value: id.to_string(),
            label: name,
        })
        .collect();
    let questions = questions(&form, &refusals);
    crate::web::html(
        status,
        &SurveyPage {
            shell: signed.shell,
            vendors,
            years,
            questions,
            form,
            refusals,
        },
    )
}
