//! The kinds that are imported (work orders, outages, faults, attendance,
//! survey responses), whatever their type: a row's create input becomes the
//! kind's model as the mutation builds it (`crud::FromInput::build`), and the
//! rows go to `domain::imports::import` together; its outcomes and the rows'
//! own problems make the report.

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;

use async_graphql::{InputType, Value};
use chrono::Utc;
use sea_orm::DatabaseConnection;

use super::read::{EXTERNAL_ID_KEY, Problem, ReadRow};
use super::{Report, RowReport, Status};
use crate::graphql::crud::FromInput;
use crate::graphql::facts::fields::{self, Described, Field};
use domain::audit::Audit;
use domain::imports::{Candidate, Mode, Outcome};
use domain::{Actor, DomainError, DomainResult};

type Fut<'a, T> = Pin<Box<dyn Future<Output = DomainResult<T>> + Send + 'a>>;

pub trait Importable: Sync {
    /// The kind's address (`work-orders`), as in `/facts/{slug}`.
    fn slug(&self) -> &'static str;
    /// `工单`.
    fn label(&self) -> &'static str;
    fn fields(&self) -> &'static [Field];
    fn import<'a>(
        &'a self,
        db: &'a DatabaseConnection,
        actor: &'a Actor,
        audit: &'a Audit,
        rows: Vec<ReadRow>,
        mode: Mode,
    ) -> Fut<'a, Report>;
}

struct Of<R>(&'static str, PhantomData<R>);

impl<R: Described> Importable for Of<R> {
    fn slug(&self) -> &'static str {
        self.0
    }
    fn label(&self) -> &'static str {
        R::LABEL
    }
    fn fields(&self) -> &'static [Field] {
        R::FIELDS
    }
    fn import<'a>(
        &'a self,
        db: &'a DatabaseConnection,
        actor: &'a Actor,
        audit: &'a Audit,
        rows: Vec<ReadRow>,
        mode: Mode,
    ) -> Fut<'a, Report> {
        Box::pin(async move {
            let now = Utc::now();
            let mut problems = Vec::with_capacity(rows.len());
            let mut candidates = Vec::with_capacity(rows.len());
            let mut lines = Vec::with_capacity(rows.len());
            for row in rows {
                let fact = match row.input {
                    Ok(input) => built::<R>(input, actor, now).map_err(|p| vec![p]),
                    Err(p) => Err(p),
                };
                lines.push((row.line, row.external_id.clone()));
                let (fact, refused) = match fact {
                    Ok(fact) => (Some(fact), Vec::new()),
                    Err(p) => (None, p),
                };
                problems.push(refused);
                candidates.push(Candidate {
                    external_id: row.external_id,
                    region_id: row.region_id,
                    fact,
                });
            }
            let done = domain::imports::import::<R>(db, actor, audit, candidates, mode).await?;
            let rows = done
                .outcomes
                .into_iter()
                .zip(problems)
                .zip(&lines)
                .map(|((outcome, problems), (line, external_id))| {
                    let (status, fact_id, problems) = match outcome {
                        Outcome::New { fact_id: Some(id) } => (Status::Imported, Some(id), vec![]),
                        Outcome::New { fact_id: None } => (Status::New, None, vec![]),
                        Outcome::AlreadyImported { fact_id } => {
                            (Status::AlreadyImported, Some(fact_id), vec![])
                        }
                        Outcome::Repeated { first } => (
                            Status::Refused,
                            None,
                            vec![Problem::external_id(format!(
                                "与第 {} 行重复",
                                lines[first].0
                            ))],
                        ),
                        // The row's own reasons say more (an empty external id, say).
                        Outcome::Refused(_) if !problems.is_empty() => {
                            (Status::Refused, None, problems)
                        }
                        Outcome::Refused(e) => {
                            (Status::Refused, None, vec![refusal(&e, R::FIELDS)])
                        }
                        Outcome::Unread => (Status::Refused, None, problems),
                    };
                    RowReport {
                        line: *line,
                        external_id: external_id.clone(),
                        status,
                        fact_id,
                        problems,
                    }
                })
                .collect();
            Ok(Report {
                rows,
                written: done.written,
            })
        })
    }
}

/// The row's model as the create mutation builds it, or the reason.
fn built<R: Described>(
    input: Value,
    actor: &Actor,
    now: chrono::DateTime<Utc>,
) -> Result<R::Model, Problem> {
    let input = <R as FromInput>::Create::parse(Some(input)).map_err(|e| Problem {
        key: None,
        label: None,
        reason: format!(
            "无法读取该行（{}）",
            e.into_server_error(Default::default()).message
        ),
    })?;
    R::build(input, actor, now).map_err(|e| refusal(&e, R::FIELDS))
}

/// A domain refusal as a row's problem, in Chinese next to its column.
fn refusal(e: &DomainError, fields: &'static [Field]) -> Problem {
    if let DomainError::BadInput { field, reason } = e
        && field == EXTERNAL_ID_KEY
    {
        let explained = fields::explain(e, &[]).map(|(_, r)| r);
        return Problem::external_id(explained.unwrap_or_else(|| reason.clone()));
    }
    if let DomainError::Forbidden(_) = e {
        let region = &fields[0];
        return Problem::of(region, "无权向该监管区域导入记录");
    }
    match fields::explain(e, fields) {
        Some((Some(key), reason)) => {
            let field = fields.iter().find(|f| f.key() == key);
            Problem {
                label: field.map(|f| f.label),
                key: Some(key),
                reason,
            }
        }
        Some((None, reason)) => Problem {
            key: None,
            label: None,
            reason,
        },
        None => Problem {
            key: None,
            label: None,
            reason: "无法导入该行".to_owned(),
        },
    }
}

/// The kinds, once: slug and type.
macro_rules! importable {
    ($($slug:literal => $ty:ty),* $(,)?) => {
        /// Every importable kind's slug, in the order the page lists them.
        pub const SLUGS: &[&str] = &[$($slug),*];

        /// The kind of a slug.
        pub fn of(slug: &str) -> Option<&'static dyn Importable> {
            match slug {
                $($slug => Some(&Of::<$ty>($slug, PhantomData)),)*
                _ => None,
            }
        }
    };
}

use crate::graphql::facts::{
    attendances::Attendances, faults::Faults, outages::Outages, survey_responses::SurveyResponses,
    work_orders::WorkOrders,
};

importable! {
    "work-orders" => WorkOrders,
    "outages" => Outages,
    "faults" => Faults,
    "attendances" => Attendances,
    "survey-responses" => SurveyResponses,
}

/// Every importable kind.
pub fn all() -> impl Iterator<Item = &'static dyn Importable> {
    SLUGS.iter().filter_map(|slug| of(slug))
}
