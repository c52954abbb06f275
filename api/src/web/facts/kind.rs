//! A fact kind as the pages use it, whatever its type: its slug in the
//! address (`work-orders`, the GraphQL list in kebab case), its description,
//! and its reads and writes through the store with the caller's actor. The
//! rows reach the pages as JSON (`serde` of the model), which the kind's
//! fields read, so one set of pages serves every kind.

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::str::FromStr;

use async_graphql::{InputType, Value};
use engine::facts::FactKind;
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, IdenStatic};

use crate::graphql::crud;
use crate::graphql::facts::fields::{Described, Field};
use domain::audit::Audit;
use domain::page::Page;
use domain::store::{self, ListFilter, TimeColumn};
use domain::{Actor, DomainError, DomainResult, access};

type Fut<'a, T> = Pin<Box<dyn Future<Output = DomainResult<T>> + Send + 'a>>;

/// A record as JSON (the model's columns, snake case) and whether the caller
/// may change it.
pub struct Record {
    pub row: serde_json::Value,
    pub writable: bool,
}

/// Beyond vendor and month: a list's text and status filters.
#[derive(Default, Clone)]
pub struct Narrow {
    /// The title contains it.
    pub text: Option<String>,
    /// Confirmed or not, for kinds that are confirmed.
    pub confirmed: Option<bool>,
}

pub trait Kind: Sync {
    fn label(&self) -> &'static str;
    fn fields(&self) -> &'static [Field];
    /// The column a record is named by.
    fn title(&self) -> &'static str;
    /// The column a list's month filters on and shows.
    fn time(&self) -> Option<&'static str>;
    /// The month filter takes a service year (`YYYY`) instead.
    fn by_year(&self) -> bool;
    /// The mutation a write is audited as: `create` → `createWorkOrder`.
    fn operation(&self, verb: &str) -> String;
    fn list<'a>(
        &'a self,
        db: &'a DatabaseConnection,
        actor: &'a Actor,
        filter: ListFilter,
        narrow: Narrow,
        offset: Option<i64>,
        limit: Option<i64>,
    ) -> Fut<'a, Page<serde_json::Value>>;
    fn get<'a>(&'a self, db: &'a DatabaseConnection, actor: &'a Actor, id: i64) -> Fut<'a, Record>;
    /// Creates a record from its GraphQL create input; its id.
    fn create<'a>(
        &'a self,
        db: &'a DatabaseConnection,
        actor: &'a Actor,
        audit: &'a Audit,
        input: Value,
    ) -> Fut<'a, i64>;
    fn update<'a>(
        &'a self,
        db: &'a DatabaseConnection,
        actor: &'a Actor,
        audit: &'a Audit,
        id: i64,
        input: Value,
    ) -> Fut<'a, ()>;
}

struct Of<R>(PhantomData<R>);

fn json<T: serde::Serialize>(row: &T) -> DomainResult<serde_json::Value> {
    serde_json::to_value(row).map_err(DomainError::internal)
}

/// The input as the mutation would take it; a form only builds well-formed
/// inputs, so a parse failure names no field of the person's.
fn parse<T: InputType>(input: Value) -> DomainResult<T> {
    T::parse(Some(input))
        .map_err(|e| DomainError::bad("input", e.into_server_error(Default::default()).message))
}

impl<R: Described> Of<R> {
    fn column(name: &str) -> DomainResult<R::Column> {
        R::Column::from_str(name)
            .map_err(|_| DomainError::bad("filter", format!("{} has no {name}", R::NAME)))
    }

    fn condition(narrow: &Narrow) -> DomainResult<Condition> {
        let mut also = Condition::all();
        if let Some(text) = &narrow.text {
            also = also.add(Self::column(R::TITLE)?.contains(text));
        }
        if let Some(confirmed) = narrow.confirmed {
            also = also.add(Self::column("confirmed")?.eq(confirmed));
        }
        Ok(also)
    }
}

impl<R: Described> Kind for Of<R> {
    fn label(&self) -> &'static str {
        R::LABEL
    }
    fn fields(&self) -> &'static [Field] {
        R::FIELDS
    }
    fn title(&self) -> &'static str {
        R::TITLE
    }
    fn time(&self) -> Option<&'static str> {
        match R::TIME {
            TimeColumn::None => None,
            TimeColumn::Instant(c)
            | TimeColumn::Date(c)
            | TimeColumn::MonthText(c)
            | TimeColumn::ServiceYear(c)
            | TimeColumn::PeriodText(c) => Some(c.as_str()),
        }
    }
    fn by_year(&self) -> bool {
        matches!(R::TIME, TimeColumn::ServiceYear(_))
    }
    fn operation(&self, verb: &str) -> String {
        format!("{verb}{}", R::NAME)
    }
    fn list<'a>(
        &'a self,
        db: &'a DatabaseConnection,
        actor: &'a Actor,
        filter: ListFilter,
        narrow: Narrow,
        offset: Option<i64>,
        limit: Option<i64>,
    ) -> Fut<'a, Page<serde_json::Value>> {
        Box::pin(async move {
            let also = Self::condition(&narrow)?;
            let page = store::list_where::<R>(db, actor, filter, also, offset, limit).await?;
            Ok(Page {
                items: page.items.iter().map(json).collect::<DomainResult<_>>()?,
                total: page.total,
                offset: page.offset,
                limit: page.limit,
            })
        })
    }
    fn get<'a>(&'a self, db: &'a DatabaseConnection, actor: &'a Actor, id: i64) -> Fut<'a, Record> {
        Box::pin(async move {
            let row = store::get::<R>(db, actor, id).await?;
            Ok(Record {
                writable: access::can_modify(actor, &R::POLICY, R::scope(&row)),
                row: json(&row)?,
            })
        })
    }
    fn create<'a>(
        &'a self,
        db: &'a DatabaseConnection,
        actor: &'a Actor,
        audit: &'a Audit,
        input: Value,
    ) -> Fut<'a, i64> {
        Box::pin(async move {
            let input = parse::<R::Create>(input)?;
            let row = crud::create::<R>(db, actor, audit, input).await?;
            Ok(R::id(&row))
        })
    }
    fn update<'a>(
        &'a self,
        db: &'a DatabaseConnection,
        actor: &'a Actor,
        audit: &'a Audit,
        id: i64,
        input: Value,
    ) -> Fut<'a, ()> {
        Box::pin(async move {
            let input = parse::<R::Update>(input)?;
            crud::update::<R>(db, actor, audit, id, input)
                .await
                .map(drop)
        })
    }
}

/// The kinds, once: slug, the engine's kind (a deduction's fact) and type.
macro_rules! kinds {
    ($($slug:literal => $kind:ident : $ty:ty),* $(,)?) => {
        /// Every fact kind's slug (`/facts/{slug}`) and Chinese name, in the
        /// order the pages list them.
        pub const KINDS: &[(&str, &str)] = &[$(($slug, <$ty as Described>::LABEL)),*];

        /// The kind of a slug.
        pub fn of(slug: &str) -> Option<&'static dyn Kind> {
            match slug {
                $($slug => Some(&Of::<$ty>(PhantomData)),)*
                _ => None,
            }
        }

        /// The slug of an engine's fact kind.
        pub fn slug_of(kind: FactKind) -> &'static str {
            match kind {
                $(FactKind::$kind => $slug,)*
            }
        }
    };
}

use crate::graphql::facts::{
    attendances::Attendances, changes::Changes, complaints::Complaints, faults::Faults,
    outages::Outages, security_accidents::SecurityAccidents, security_risks::SecurityRisks,
    service_tasks::ServiceTasks, survey_responses::SurveyResponses, trainings::Trainings,
    unticketed_deliveries::UnticketedDeliveries, violations::Violations, work_orders::WorkOrders,
};

kinds! {
    "work-orders" => WorkOrder: WorkOrders,
    "unticketed-deliveries" => UnticketedDelivery: UnticketedDeliveries,
    "service-tasks" => ServiceTask: ServiceTasks,
    "attendances" => Attendance: Attendances,
    "complaints" => Complaint: Complaints,
    "outages" => Outage: Outages,
    "faults" => Fault: Faults,
    "changes" => Change: Changes,
    "violations" => Violation: Violations,
    "trainings" => Training: Trainings,
    "security-risks" => SecurityRisk: SecurityRisks,
    "security-accidents" => SecurityAccident: SecurityAccidents,
    "survey-responses" => SurveyResponse: SurveyResponses,
}
