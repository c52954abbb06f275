//! The new and edit forms of the reference rows an administrator keeps
//! (regions, vendors), once for both: a resource says how its form is drawn
//! from what was written and how what was written becomes its GraphQL create
//! or update input; the input then goes through `graphql::crud` with the
//! signed-in actor, audited as the mutation (`createRegion`, `updateVendor`).

use std::collections::HashMap;

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{Control, FormPage, admin_form, admin_only, explain};
use crate::graphql::crud::{self, FromInput};
use crate::graphql::facts::fields::Pick;
use crate::web::Shared;
use crate::web::facts::pickers::Pickers;
use crate::web::shell::SignedIn;
use domain::store;
use domain::{DomainError, DomainResult};

/// What a person wrote in a form, by field key.
pub type Written = HashMap<String, String>;

/// The text written in field `key` (none: empty).
pub fn field<'a>(written: &'a Written, key: &str) -> &'a str {
    written.get(key).map_or("", |v| v.trim())
}

/// A stored row's fields as its form shows them.
pub fn written_of<const N: usize>(fields: [(&str, String); N]) -> Written {
    fields
        .into_iter()
        .map(|(key, value)| (key.to_owned(), value))
        .collect()
}

/// What a form's selects offer: the regions by name, the schemes by code.
pub struct Choices {
    pub regions: Vec<(String, String)>,
    pub schemes: Vec<(String, String)>,
    /// The contract terms by code (the latest version's name).
    pub terms: Vec<(String, String)>,
}

impl Choices {
    async fn load(console: &Shared, signed: &SignedIn) -> DomainResult<Self> {
        let db = &console.state.db;
        let names = Pickers::load(db, &signed.actor).await?;
        let mut schemes: Vec<(String, String)> = domain::schemes::all(db)
            .await?
            .into_iter()
            .map(|s| (s.code.clone(), format!("{}（{}）", s.name, s.code)))
            .collect();
        // One choice per code: a region runs the latest version of its code.
        schemes.dedup_by(|a, b| a.0 == b.0);
        let mut terms: Vec<(String, String)> = domain::contract_terms::all(db, &signed.actor)
            .await?
            .into_iter()
            .rev()
            .map(|t| (t.code.clone(), format!("{}（{}）", t.name, t.code)))
            .collect();
        // Listed newest first, so the kept name is the latest version's.
        terms.dedup_by(|a, b| a.0 == b.0);
        terms.reverse();
        Ok(Self {
            terms,
            regions: names
                .of(Pick::Region)
                .iter()
                .map(|n| (n.id.to_string(), n.name.clone()))
                .collect(),
            schemes,
        })
    }
}

/// A reference row kept through the administrator's forms.
pub trait Edited: FromInput {
    /// The section's list, e.g. `/admin/regions`.
    const PATH: &'static str;
    /// What a row is called, e.g. `监管区域`.
    const NOUN: &'static str;
    /// The form's fields by the input's keys, for the refusals.
    const LABELS: &'static [(&'static str, &'static str)];
    /// The mutations a write is audited as.
    const CREATE: &'static str;
    const UPDATE: &'static str;

    /// A stored row as its form shows it.
    fn written(row: &Self::Model) -> Written;
    fn controls(written: &Written, choices: &Choices) -> Vec<Control>;
    fn create_input(written: &Written) -> DomainResult<Self::Create>;
    fn update_input(written: &Written) -> DomainResult<Self::Update>;
}

#[derive(Deserialize)]
pub struct Saved {
    saved: Option<String>,
}

/// The form of a new row (`id` none) or of row `id`.
async fn form<R: Edited>(
    console: &Shared,
    signed: SignedIn,
    id: Option<i64>,
    written: &Written,
    error: Option<String>,
    saved: bool,
) -> Response {
    let choices = match Choices::load(console, &signed).await {
        Ok(c) => c,
        Err(e) => return signed.error(e),
    };
    let (title, action) = match id {
        Some(id) => (format!("编辑{}", R::NOUN), format!("{}/{id}", R::PATH)),
        None => (format!("新建{}", R::NOUN), format!("{}/new", R::PATH)),
    };
    let refused = error.is_some();
    FormPage {
        shell: signed.shell,
        section: (R::PATH, R::NOUN),
        title,
        action,
        controls: R::controls(written, &choices),
        error,
        saved,
        multipart: false,
    }
    .answer(refused)
}

/// A refusal shown on the form again; any other error as the error page.
async fn refused<R: Edited>(
    console: &Shared,
    signed: SignedIn,
    id: Option<i64>,
    written: &Written,
    e: DomainError,
) -> Response {
    match explain(&e, R::LABELS) {
        Some(reason) => form::<R>(console, signed, id, written, Some(reason), false).await,
        None => signed.error(e),
    }
}

/// GET {PATH}/new
pub async fn new<R: Edited>(State(console): State<Shared>, signed: SignedIn) -> Response {
    if let Err(refused) = admin_only(&signed) {
        return refused;
    }
    form::<R>(&console, signed, None, &Written::new(), None, false).await
}

/// POST {PATH}/new
pub async fn create<R: Edited>(
    State(console): State<Shared>,
    signed: SignedIn,
    Form(written): Form<Written>,
) -> Response {
    if let Err(refused) = admin_form(&console, &signed, field(&written, "csrf")) {
        return refused;
    }
    let audit = signed.audit(R::CREATE);
    let created = match R::create_input(&written) {
        Ok(input) => crud::create::<R>(&console.state.db, &signed.actor, &audit, input).await,
        Err(e) => Err(e),
    };
    match created {
        Ok(row) => Redirect::to(&format!("{}/{}?saved=1", R::PATH, R::id(&row))).into_response(),
        Err(e) => refused::<R>(&console, signed, None, &written, e).await,
    }
}

/// GET {PATH}/{id}
pub async fn edit<R: Edited>(
    State(console): State<Shared>,
    signed: SignedIn,
    Path(id): Path<i64>,
    Query(saved): Query<Saved>,
) -> Response {
    if let Err(refused) = admin_only(&signed) {
        return refused;
    }
    match store::get::<R>(&console.state.db, &signed.actor, id).await {
        Ok(row) => {
            let written = R::written(&row);
            form::<R>(
                &console,
                signed,
                Some(id),
                &written,
                None,
                saved.saved.is_some(),
            )
            .await
        }
        Err(e) => signed.error(e),
    }
}

/// POST {PATH}/{id}
pub async fn update<R: Edited>(
    State(console): State<Shared>,
    signed: SignedIn,
    Path(id): Path<i64>,
    Form(written): Form<Written>,
) -> Response {
    if let Err(refused) = admin_form(&console, &signed, field(&written, "csrf")) {
        return refused;
    }
    let audit = signed.audit(R::UPDATE);
    let updated = match R::update_input(&written) {
        Ok(input) => crud::update::<R>(&console.state.db, &signed.actor, &audit, id, input).await,
        Err(e) => Err(e),
    };
    match updated {
        Ok(_) => Redirect::to(&format!("{}/{id}?saved=1", R::PATH)).into_response(),
        Err(e) => refused::<R>(&console, signed, Some(id), &written, e).await,
    }
}

/// An optional text: empty is none.
pub fn optional(written: &Written, key: &str) -> Option<String> {
    let v = field(written, key);
    (!v.is_empty()).then(|| v.to_owned())
}
