//! `/facts/{kind}/new` and `/facts/{kind}/{id}`: a fact's form, built from its
//! kind's fields. A new record is posted to `/facts/{kind}/new`; a record is
//! shown as a form to who may change it (posted back to its own address) and
//! read-only to everyone else who may read it. What a person wrote becomes
//! the kind's GraphQL input and goes through `crud::create`/`update`, audited
//! as the mutation (`createWorkOrder`); a refusal shows the form again with
//! what was written and the reason next to its field, and nothing is saved.

use std::collections::HashMap;

use axum::extract::{Path, Query, RawForm, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::index::may_create;
use super::kind::{self, Kind};
use super::pickers::Pickers;
use super::show::shown;
use crate::graphql::facts::fields::{self, Field, Input, When};
use crate::web::Shared;
use crate::web::shell::{Shell, SignedIn};
use domain::{DomainError, Role};

/// One option of a select or a set of boxes.
pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// One field of the form as the template draws it.
pub struct Control {
    pub key: String,
    pub label: &'static str,
    /// `text`, `textarea`, `datetime-local`, `date`, `month`, `number`,
    /// `checkbox`, `select`, `checks` (a set of boxes) or `multiple` (a select
    /// of several).
    pub kind: &'static str,
    pub value: String,
    pub options: Vec<Opt>,
    pub required: bool,
    pub step: &'static str,
    /// Shown as text: given at creation and not changed afterwards.
    pub fixed: Option<String>,
    pub error: Option<String>,
}

#[derive(askama::Template)]
#[template(path = "facts/form.html")]
struct FormPage<'a> {
    shell: Shell,
    slug: &'a str,
    label: &'static str,
    /// `None`: a new record.
    id: Option<i64>,
    action: String,
    controls: Vec<Control>,
    /// A refusal not about one field.
    error: Option<String>,
    saved: bool,
}

#[derive(askama::Template)]
#[template(path = "facts/record.html")]
struct RecordPage<'a> {
    shell: Shell,
    slug: &'a str,
    label: &'static str,
    lines: Vec<(&'static str, String)>,
}

/// What a person wrote, by field key (several values for a set).
type Written = HashMap<String, Vec<String>>;

#[derive(serde::Deserialize)]
pub struct Saved {
    saved: Option<String>,
}

pub async fn new(
    State(console): State<Shared>,
    signed: SignedIn,
    Path(slug): Path<String>,
) -> Response {
    let Some(kind) = writer_kind(&signed, &slug) else {
        return refused(&signed, &slug);
    };
    let pickers = match Pickers::load(&console.state.db, &signed.actor).await {
        Ok(p) => p,
        Err(e) => return signed.error(e),
    };
    let written = defaults(kind.fields(), &pickers);
    form_page(signed, &slug, kind, None, &pickers, Filled::from(&written))
}

pub async fn create(
    State(console): State<Shared>,
    signed: SignedIn,
    Path(slug): Path<String>,
    RawForm(body): RawForm,
) -> Response {
    let (csrf, written) = posted(&body);
    if let Err(refused) = signed.check_csrf(&console, &csrf) {
        return refused;
    }
    let Some(kind) = writer_kind(&signed, &slug) else {
        return refused(&signed, &slug);
    };
    let db = &console.state.db;
    let pickers = match Pickers::load(db, &signed.actor).await {
        Ok(p) => p,
        Err(e) => return signed.error(e),
    };
    let audit = signed.audit(kind.operation("create"));
    let outcome = match read(kind.fields(), &written, When::Create) {
        Ok(input) => kind.create(db, &signed.actor, &audit, input).await,
        Err(errors) => {
            return form_page(
                signed,
                &slug,
                kind,
                None,
                &pickers,
                Filled::refused(&written, errors, None),
            );
        }
    };
    match outcome {
        // `saved`: the record's page says it was saved (it is the same form).
        Ok(id) => Redirect::to(&format!("/facts/{slug}/{id}?saved=1")).into_response(),
        Err(e) => match fields::explain(&e, kind.fields()) {
            Some(refusal) => {
                let (errors, general) = placed(refusal);
                form_page(
                    signed,
                    &slug,
                    kind,
                    None,
                    &pickers,
                    Filled::refused(&written, errors, general),
                )
            }
            None => signed.error(e),
        },
    }
}

pub async fn record(
    State(console): State<Shared>,
    signed: SignedIn,
    Path((slug, id)): Path<(String, i64)>,
    Query(saved): Query<Saved>,
) -> Response {
    let (kind, record, pickers) = match opened(&console, &signed, &slug, id).await {
        Ok(opened) => opened,
        Err(e) => return signed.error(e),
    };
    if !record.writable {
        let vendor = matches!(signed.actor.role, Role::Vendor { .. });
        let lines = kind
            .fields()
            .iter()
            .filter(|f| f.when != When::Update && (f.vendor_sees || !vendor))
            .map(|f| (f.label, shown(f, &record.row, &pickers)))
            .collect();
        return crate::web::html(
            StatusCode::OK,
            &RecordPage {
                shell: signed.shell,
                slug: &slug,
                label: kind.label(),
                lines,
            },
        );
    }
    let written = kind
        .fields()
        .iter()
        .map(|f| (f.key(), f.texts(&record.row)))
        .collect();
    let filled = Filled {
        saved: saved.saved.is_some(),
        ..Filled::from(&written)
    };
    form_page(
        signed,
        &slug,
        kind,
        Some((id, &record.row)),
        &pickers,
        filled,
    )
}

pub async fn update(
    State(console): State<Shared>,
    signed: SignedIn,
    Path((slug, id)): Path<(String, i64)>,
    RawForm(body): RawForm,
) -> Response {
    let (csrf, written) = posted(&body);
    if let Err(refused) = signed.check_csrf(&console, &csrf) {
        return refused;
    }
    // Read first: a record the caller may not read answers as a missing one.
    let (kind, record, pickers) = match opened(&console, &signed, &slug, id).await {
        Ok(opened) => opened,
        Err(e) => return signed.error(e),
    };
    let db = &console.state.db;
    let audit = signed.audit(kind.operation("update"));
    let outcome = match read(kind.fields(), &written, When::Update) {
        Ok(input) => kind.update(db, &signed.actor, &audit, id, input).await,
        Err(errors) => {
            let filled = Filled::refused(&written, errors, None);
            return form_page(
                signed,
                &slug,
                kind,
                Some((id, &record.row)),
                &pickers,
                filled,
            );
        }
    };
    match outcome {
        Ok(()) => Redirect::to(&format!("/facts/{slug}/{id}?saved=1")).into_response(),
        Err(e) => match fields::explain(&e, kind.fields()) {
            Some(refusal) => {
                let (errors, general) = placed(refusal);
                let filled = Filled::refused(&written, errors, general);
                form_page(
                    signed,
                    &slug,
                    kind,
                    Some((id, &record.row)),
                    &pickers,
                    filled,
                )
            }
            None => signed.error(e),
        },
    }
}

/// A record's kind, the record as the caller may read it, and the pickers.
async fn opened(
    console: &Shared,
    signed: &SignedIn,
    slug: &str,
    id: i64,
) -> Result<(&'static dyn Kind, kind::Record, Pickers), DomainError> {
    let kind = kind::of(slug).ok_or_else(|| DomainError::not_found(slug.to_owned()))?;
    let db = &console.state.db;
    let record = kind.get(db, &signed.actor, id).await?;
    Ok((kind, record, Pickers::load(db, &signed.actor).await?))
}

/// The kind, when the caller records facts through the console.
fn writer_kind(signed: &SignedIn, slug: &str) -> Option<&'static dyn Kind> {
    kind::of(slug).filter(|_| may_create(signed.actor.role))
}

/// An unknown kind is missing; a known one is not this caller's to record.
fn refused(signed: &SignedIn, slug: &str) -> Response {
    match kind::of(slug) {
        None => signed.error(DomainError::not_found(slug.to_owned())),
        Some(_) => signed.error(DomainError::forbidden("recording facts")),
    }
}

/// The CSRF token and the fields of a posted form.
fn posted(body: &[u8]) -> (String, Written) {
    let mut csrf = String::new();
    let mut written = Written::new();
    for (key, value) in form_urlencoded::parse(body) {
        if key == "csrf" {
            csrf = value.into_owned();
        } else {
            written
                .entry(key.into_owned())
                .or_default()
                .push(value.into_owned());
        }
    }
    (csrf, written)
}

/// The input of the fields given `when`, or the reasons by field.
fn read(
    fields: &[Field],
    written: &Written,
    when: When,
) -> Result<async_graphql::Value, HashMap<String, String>> {
    let mut input = async_graphql::indexmap::IndexMap::new();
    let mut errors = HashMap::new();
    for field in fields
        .iter()
        .filter(|f| f.when == When::Always || f.when == when)
    {
        let key = field.key();
        let texts: Vec<&str> = written
            .get(&key)
            .map(|v| v.iter().map(String::as_str).collect())
            .unwrap_or_default();
        match field.read(&texts) {
            Ok(value) => {
                input.insert(async_graphql::Name::new(&key), value);
            }
            Err(reason) => {
                errors.insert(key, reason);
            }
        }
    }
    if errors.is_empty() {
        Ok(async_graphql::Value::Object(input))
    } else {
        Err(errors)
    }
}

/// A refusal next to its field, or above the form when it names none.
fn placed((key, reason): (Option<String>, String)) -> (HashMap<String, String>, Option<String>) {
    match key {
        Some(key) => (HashMap::from([(key, reason)]), None),
        None => (HashMap::new(), Some(reason)),
    }
}

/// A new form's values: the region when the caller has only one.
fn defaults(fields: &[Field], pickers: &Pickers) -> Written {
    let mut written = Written::new();
    for field in fields {
        if let Input::Pick(pick) = field.input
            && let [only] = pickers.of(pick)
            && field.column == "region_id"
        {
            written.insert(field.key(), vec![only.id.to_string()]);
        }
    }
    written
}

/// What the form shows filled in: what was written (or stored), and why it
/// was refused.
struct Filled<'a> {
    written: &'a Written,
    /// Reasons by field key.
    errors: HashMap<String, String>,
    /// A reason naming no field.
    error: Option<String>,
    saved: bool,
}

impl<'a> Filled<'a> {
    fn from(written: &'a Written) -> Self {
        Self::refused(written, HashMap::new(), None)
    }

    fn refused(
        written: &'a Written,
        errors: HashMap<String, String>,
        error: Option<String>,
    ) -> Self {
        Self {
            written,
            errors,
            error,
            saved: false,
        }
    }
}

fn form_page(
    signed: SignedIn,
    slug: &str,
    kind: &dyn Kind,
    existing: Option<(i64, &serde_json::Value)>,
    pickers: &Pickers,
    filled: Filled,
) -> Response {
    let Filled {
        written,
        errors,
        error,
        saved,
    } = filled;
    let controls = kind
        .fields()
        .iter()
        // A record shows every field (those of its creation as text); a new one
        // asks none that only an update gives.
        .filter(|f| existing.is_some() || f.when != When::Update)
        .map(|f| {
            let fixed = match existing {
                Some((_, row)) if f.when == When::Create => Some(shown(f, row, pickers)),
                _ => None,
            };
            control(f, pickers, written, &errors, fixed)
        })
        .collect();
    let status = if errors.is_empty() && error.is_none() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    crate::web::html(
        status,
        &FormPage {
            shell: signed.shell,
            slug,
            label: kind.label(),
            id: existing.map(|(id, _)| id),
            action: match existing {
                Some((id, _)) => format!("/facts/{slug}/{id}"),
                None => format!("/facts/{slug}/new"),
            },
            controls,
            error,
            saved,
        },
    )
}

fn control(
    field: &Field,
    pickers: &Pickers,
    written: &Written,
    errors: &HashMap<String, String>,
    fixed: Option<String>,
) -> Control {
    let key = field.key();
    let values = written.get(&key).cloned().unwrap_or_default();
    let value = values.first().cloned().unwrap_or_default();
    let options = |choices: Vec<(String, String)>, blank: bool| {
        let blank = blank.then(|| ("".to_owned(), "请选择".to_owned()));
        blank
            .into_iter()
            .chain(choices)
            .map(|(v, label)| Opt {
                selected: values.contains(&v),
                value: v,
                label,
            })
            .collect::<Vec<_>>()
    };
    let named = |pick| {
        pickers
            .of(pick)
            .iter()
            .map(|n| (n.id.to_string(), n.name.clone()))
            .collect::<Vec<_>>()
    };
    let listed = |choices: &[fields::Choice]| {
        choices
            .iter()
            .map(|c| (c.value.to_owned(), c.label.to_owned()))
            .collect::<Vec<_>>()
    };
    let (kind, options, step) = match field.input {
        Input::Text { .. } if field.is_long() => ("textarea", Vec::new(), ""),
        Input::Text { .. } => ("text", Vec::new(), ""),
        Input::DateTime => ("datetime-local", Vec::new(), ""),
        Input::Day => ("date", Vec::new(), ""),
        Input::Month => ("month", Vec::new(), ""),
        Input::Flag => ("checkbox", Vec::new(), ""),
        Input::Number { .. } => ("number", Vec::new(), "1"),
        Input::Hours => ("number", Vec::new(), "0.01"),
        Input::Answer(answers) => (
            "select",
            options(
                answers
                    .iter()
                    .map(|a| (a.to_string(), a.to_string()))
                    .collect(),
                true,
            ),
            "",
        ),
        Input::Choice(choices) => ("select", options(listed(choices), true), ""),
        Input::Choices(choices) => ("checks", options(listed(choices), false), ""),
        Input::Pick(pick) => ("select", options(named(pick), true), ""),
        Input::PickMany(pick) => ("multiple", options(named(pick), false), ""),
    };
    Control {
        error: errors.get(&key).cloned(),
        key,
        label: field.label,
        kind,
        value,
        options,
        required: field.required && !matches!(field.input, Input::Flag),
        step,
        fixed,
    }
}
