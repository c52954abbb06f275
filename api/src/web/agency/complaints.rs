//! `/complaints/new`: an agency files a complaint about one of its own
//! information systems. The vendor is the system's host and the region the
//! system's, so the agency names neither; the time it picks is Beijing time.
//! The row is built and stored as GraphQL's `createComplaint` does
//! (`filed_by_an_agency`, then the store with the agency's actor).

use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Deserialize;

use super::{Hosts, Refusals};
use crate::error::DomainError;
use crate::web::Shared;
use crate::web::shell::{Shell, SignedIn};
use domain::facts::complaints::{Complaints, filed_by_an_agency};
use domain::reference::systems::InformationSystems;
use domain::store;

/// How a complaint reached the supervision team, as stored and as shown.
const CHANNELS: [(&str, &str); 4] = [
    ("OTHER", "其他（本平台）"),
    ("LETTER", "信函"),
    ("PHONE", "电话"),
    ("EMAIL", "电子邮件"),
];

/// The longest description GraphQL takes (`Text<2000>`).
const MAX_DESCRIPTION: usize = 2000;

#[derive(Deserialize, Default)]
pub struct ComplaintForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    system_id: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    description: String,
    /// `datetime-local`: `2026-03-05T14:30`, Beijing time.
    #[serde(default)]
    received_at: String,
}

/// One option of a select.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(askama::Template)]
#[template(path = "complaint_form.html")]
struct ComplaintPage {
    shell: Shell,
    systems: Vec<Choice>,
    channels: Vec<Choice>,
    description: String,
    received_at: String,
    refusals: Refusals,
}

/// GET /complaints/new.
pub async fn form(State(console): State<Shared>, signed: SignedIn) -> Response {
    if let Err(refused) = super::agency_only(&signed) {
        return refused;
    }
    let form = ComplaintForm {
        received_at: domain::period::local(Utc::now())
            .format("%Y-%m-%dT%H:%M")
            .to_string(),
        ..ComplaintForm::default()
    };
    page(&console, signed, form, Refusals::default(), StatusCode::OK).await
}

/// POST /complaints/new: files the complaint, or shows the form again with
/// the reasons next to the fields (nothing written).
pub async fn submit(
    State(console): State<Shared>,
    signed: SignedIn,
    Form(form): Form<ComplaintForm>,
) -> Response {
    if let Err(refused) = signed.check_csrf(&console, &form.csrf) {
        return refused;
    }
    if let Err(refused) = super::agency_only(&signed) {
        return refused;
    }
    let mut refusals = Refusals::default();
    let row = match read(&console, &signed, &form, &mut refusals).await {
        Ok(row) => row,
        Err(e) => return signed.error(e),
    };
    let Some(mut row) = row else {
        return page(
            &console,
            signed,
            form,
            refusals,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let audit = signed.audit("createComplaint");
    let filed = match filed_by_an_agency(&mut row, &signed.actor) {
        Ok(()) => store::create::<Complaints>(&console.state.db, &signed.actor, &audit, row).await,
        Err(e) => Err(e),
    };
    match filed {
        Ok(_) => Redirect::to("/?filed=complaint").into_response(),
        Err(DomainError::BadInput { field, .. }) => {
            refusals.add(field_of(&field), refusal_of(&field));
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

/// The row the form asks for, or `None` with the refusals noted.
async fn read(
    console: &Shared,
    signed: &SignedIn,
    form: &ComplaintForm,
    refusals: &mut Refusals,
) -> Result<Option<entities::complaint::Model>, DomainError> {
    let system = match form.system_id.trim().parse::<i64>() {
        Err(_) => {
            refusals.add("system_id", "请选择被投诉的信息系统");
            None
        }
        // Read as the agency: another agency's system is not found, like a missing one.
        Ok(id) => {
            match store::get::<InformationSystems>(&console.state.db, &signed.actor, id).await {
                Ok(system) => Some(system),
                Err(DomainError::NotFound(_)) => {
                    refusals.add("system_id", "所选信息系统不存在或不属于本单位");
                    None
                }
                Err(e) => return Err(e),
            }
        }
    };
    if !CHANNELS.iter().any(|(code, _)| *code == form.channel) {
        refusals.add("channel", "请选择投诉渠道");
    }
    let description = form.description.trim();
    if description.is_empty() {
        refusals.add("description", "请填写投诉内容");
    } else if description.chars().count() > MAX_DESCRIPTION {
        refusals.add(
            "description",
            format!("投诉内容不能超过{MAX_DESCRIPTION}字"),
        );
    }
    let received_at = match beijing_time(&form.received_at) {
        None => {
            refusals.add("received_at", "请按“年-月-日 时:分”填写投诉时间");
            None
        }
        Some(t) if t > Utc::now() => {
            refusals.add("received_at", "投诉时间不能晚于现在");
            None
        }
        Some(t) => Some(t),
    };
    let (Some(system), Some(received_at), true) = (system, received_at, refusals.is_empty()) else {
        return Ok(None);
    };
    let now = Utc::now();
    Ok(Some(entities::complaint::Model {
        id: 0,
        region_id: system.region_id,
        vendor_id: system.vendor_id,
        agency_id: Some(system.agency_id),
        system_id: Some(system.id),
        channel: form.channel.clone(),
        description: description.to_owned(),
        received_at,
        confirmed: false,
        vendor_liable: false,
        recorded_by: signed.actor.user_id,
        recorded_at: now,
    }))
}

/// A `datetime-local` value read as Beijing time (UTC+8).
pub fn beijing_time(text: &str) -> Option<DateTime<Utc>> {
    let local = NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    Some(
        local
            .and_local_timezone(domain::period::shanghai())
            .single()?
            .with_timezone(&Utc),
    )
}

/// The form field a domain refusal names.
fn field_of(field: &str) -> &'static str {
    match field {
        "input.receivedAt" => "received_at",
        "input.description" => "description",
        "input.channel" => "channel",
        _ => "system_id",
    }
}

/// A domain refusal in the agency's words.
fn refusal_of(field: &str) -> &'static str {
    match field {
        "input.receivedAt" => "投诉时间不在平台接受的范围内",
        "input.description" => "投诉内容有误，请检查",
        "input.channel" => "请选择投诉渠道",
        _ => "所选信息系统不属于本单位，或不由该云服务商托管",
    }
}

async fn page(
    console: &Shared,
    signed: SignedIn,
    form: ComplaintForm,
    refusals: Refusals,
    status: StatusCode,
) -> Response {
    let hosts = match Hosts::of(console, &signed.actor).await {
        Ok(hosts) => hosts,
        Err(e) => return signed.error(e),
    };
    let systems = hosts
        .systems
        .iter()
        .map(|s| Choice {
            value: s.id.to_string(),
            label: format!("{}（云服务商：{}）", s.name, hosts.vendor(s.vendor_id)),
            selected: form.system_id == s.id.to_string(),
        })
        .collect();
    let channels = CHANNELS
        .iter()
        .map(|(code, label)| Choice {
            value: (*code).to_owned(),
            label: (*label).to_owned(),
            selected: form.channel == *code || (form.channel.is_empty() && *code == "OTHER"),
        })
        .collect();
    crate::web::html(
        status,
        &ComplaintPage {
            shell: signed.shell,
            systems,
            channels,
            description: form.description,
            received_at: form.received_at,
            refusals,
        },
    )
}
