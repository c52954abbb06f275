//! The rules the engine runs with: scoring schemes, the working-day calendar,
//! and the fault grading table (for a hypothetical fault).

use async_graphql::{Context, InputObject, Json, Object, SimpleObject};
use chrono::NaiveDate;
use engine::calendar::YearCalendar;
use engine::fault_grading::{self, FaultInput};
use engine::scheme::Scheme;

use super::facts::faults::FaultImpact;
use super::systems::SystemClass;
use crate::error::{DomainError, DomainResult, GqlResult};
use crate::graphql::crud;

#[derive(SimpleObject)]
pub struct SchemeVersion {
    pub code: String,
    pub version: u32,
    pub name: String,
    pub service_year_first_month: u32,
    /// Built into the engine (else added by an administrator).
    pub built_in: bool,
    /// The whole document: scorecards, weights, parameters, tiers.
    pub document: Json<serde_json::Value>,
}

impl From<Scheme> for SchemeVersion {
    fn from(s: Scheme) -> Self {
        let built_in = Scheme::builtin()
            .iter()
            .any(|b| b.code == s.code && b.version == s.version);
        let document = serde_json::to_value(&s).unwrap_or_default();
        Self {
            code: s.code,
            version: s.version,
            name: s.name,
            service_year_first_month: s.service_year_first_month,
            built_in,
            document: Json(document),
        }
    }
}

#[derive(SimpleObject)]
pub struct FaultGrade {
    /// 1 (most severe) to 6.
    pub level: u8,
    /// The row (1–27) of the grading table that matched.
    pub row: u8,
    pub explanation: String,
}

#[derive(InputObject)]
pub struct GradeFaultInput {
    pub affected_systems: u32,
    /// Systems on the platform (the share is affected / platform).
    pub platform_systems: u32,
    pub most_important_class: Option<SystemClass>,
    pub impact: FaultImpact,
    pub duration_minutes: i64,
}

#[derive(SimpleObject, InputObject)]
#[graphql(input_name = "CalendarYearInput")]
pub struct CalendarYear {
    pub year: i32,
    /// Days off that would otherwise be working days (public holidays).
    pub holidays: Vec<NaiveDate>,
    /// Official make-up working days (调休上班) on weekends.
    pub makeup_workdays: Vec<NaiveDate>,
}

impl From<YearCalendar> for CalendarYear {
    fn from(y: YearCalendar) -> Self {
        Self {
            year: y.year,
            holidays: y.holidays,
            makeup_workdays: y.makeup_workdays,
        }
    }
}

#[derive(Default)]
pub struct RulesQuery;

#[Object]
impl RulesQuery {
    /// Every scheme version, built-in and added.
    async fn schemes(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<SchemeVersion>> {
        async {
            let (state, _) = crud::env(ctx)?;
            let _db = domain::db_share::permit().await;
            Ok(domain::schemes::all(&state.db)
                .await?
                .into_iter()
                .map(SchemeVersion::from)
                .collect())
        }
        .await
        .gql()
    }

    /// One version, or the latest of a code when `version` is omitted.
    async fn scheme(
        &self,
        ctx: &Context<'_>,
        code: String,
        version: Option<u32>,
    ) -> async_graphql::Result<SchemeVersion> {
        async {
            let (state, _) = crud::env(ctx)?;
            let _db = domain::db_share::permit().await;
            domain::schemes::find(&state.db, &code, version)
                .await?
                .map(SchemeVersion::from)
                .ok_or_else(|| DomainError::not_found(format!("scheme {code}")))
        }
        .await
        .gql()
    }

    /// The working-day calendar years the engine knows (built-in and loaded).
    async fn calendar_years(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<CalendarYear>> {
        async {
            let (state, _) = crud::env(ctx)?;
            let _db = domain::db_share::permit().await;
            let calendar = domain::calendar::load(&state.db).await?;
            let years: Vec<i32> = calendar.years().collect();
            Ok(years
                .into_iter()
                .filter_map(|y| calendar.year(y).cloned())
                .map(CalendarYear::from)
                .collect())
        }
        .await
        .gql()
    }

    /// Grades a hypothetical fault with the six-level table (section 3).
    async fn grade_fault(
        &self,
        ctx: &Context<'_>,
        input: GradeFaultInput,
    ) -> async_graphql::Result<FaultGrade> {
        async {
            crud::env(ctx)?;
            let grade = fault_grading::grade(&FaultInput {
                affected_systems: input.affected_systems,
                platform_systems: input.platform_systems,
                most_important_class: input
                    .most_important_class
                    .and_then(|c| domain::grading::class(c.as_str())),
                impact: domain::grading::impact(input.impact.as_str()),
                duration_minutes: input.duration_minutes,
            })
            .map_err(grading_error)?;
            Ok(FaultGrade {
                level: grade.level,
                row: grade.row,
                explanation: grade.explanation,
            })
        }
        .await
        .gql()
    }
}

/// A refused grading input, named by its field.
fn grading_error(e: fault_grading::GradingError) -> DomainError {
    use fault_grading::GradingError as E;
    let field = match e {
        E::NoAffectedSystems | E::MoreAffectedThanPlatform { .. } => "input.affectedSystems",
        E::NoPlatformSystems => "input.platformSystems",
        E::NegativeDuration(_) => "input.durationMinutes",
        E::NoRowMatches(_) => "input",
    };
    DomainError::bad(field, e.to_string())
}

#[derive(Default)]
pub struct RulesMutation;

#[Object]
impl RulesMutation {
    /// Adds a scheme version (administrators). The document is validated: weights
    /// summing to 100, no negative deduction, only known indicators, and so on.
    async fn create_scheme(
        &self,
        ctx: &Context<'_>,
        document: Json<serde_json::Value>,
    ) -> async_graphql::Result<SchemeVersion> {
        create_scheme(ctx, &document.0).await.gql()
    }

    /// Loads or replaces a working-day calendar year (administrators).
    async fn load_calendar_year(
        &self,
        ctx: &Context<'_>,
        input: CalendarYear,
    ) -> async_graphql::Result<CalendarYear> {
        async {
            let (state, actor) = crud::env(ctx)?;
            let year = YearCalendar {
                year: input.year,
                holidays: input.holidays,
                makeup_workdays: input.makeup_workdays,
            };
            let audit = crate::graphql::audit::of(ctx, actor);
            domain::calendar::store_year(&state.db, actor, &audit, year)
                .await
                .map(CalendarYear::from)
        }
        .await
        .gql()
    }
}

async fn create_scheme(
    ctx: &Context<'_>,
    document: &serde_json::Value,
) -> DomainResult<SchemeVersion> {
    let (state, actor) = crud::env(ctx)?;
    let text = serde_json::to_string(document).map_err(DomainError::internal)?;
    let audit = crate::graphql::audit::of(ctx, actor);
    domain::schemes::create(&state.db, actor, &audit, &text)
        .await
        .map(SchemeVersion::from)
}
