//! Faults affecting information systems (故障). E1 deducts each confirmed fault by
//! its level, E2 each one recovered later than its level allows, E3 each one
//! reported later than its level allows, E4 each misreported or concealed one.

use std::collections::HashMap;

use async_graphql::{Context, ID, InputObject, MaybeUndefined, SimpleObject};
use chrono::{DateTime, FixedOffset, Utc};

use super::{fact_links, opt_utc, owner, set_nullable, utc};
use crate::error::{DomainError, DomainResult};
use crate::graphql::crud::{self, FromInput};
use crate::graphql::nested::{self, id};
use crate::graphql::systems::{InformationSystem, InformationSystems};
use domain::actor::Actor;
use domain::period::local;
use domain::validate;
use entities::fault::Model;

pub use domain::facts::faults::Faults;

db_enum!(
    /// What the fault did to the affected systems: made them unusable (无法使用) or
    /// degraded them (影响使用).
    FaultImpact { Unusable => "UNUSABLE" / "无法使用", Degraded => "DEGRADED" / "影响使用" }
);

/// The most systems one fault may name.
const MAX_AFFECTED_SYSTEMS: usize = 10_000;

/// A grading column as shown: null while the fault is not graded, i.e. while the
/// column holds its default (0, or null if the column is nullable).
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct Fault {
    pub id: ID,
    pub region_id: ID,
    pub vendor_id: ID,
    pub title: String,
    pub affected_system_ids: Vec<ID>,
    pub impact: FaultImpact,
    pub occurred_at: DateTime<FixedOffset>,
    pub reported_at: Option<DateTime<FixedOffset>>,
    pub recovered_at: Option<DateTime<FixedOffset>>,
    /// Misreported or concealed (E4).
    pub misreported: bool,
    /// The graded level, 1 (most severe) to 6, from the six-level table; graded
    /// again whenever the fault is saved.
    pub level: i32,
    /// The row (1–27) of the grading table that gave the level.
    pub grading_row: i32,
    /// The platform the grading counted (the share s = affected / this): every
    /// system the vendor hosted on the day of the fault, in every region (spec
    /// §3). Null on a fault graded before the count was kept; saving it again
    /// re-grades it and fills it in.
    pub platform_systems: Option<i32>,
    /// A supervisor's level, which wins over the graded one.
    pub level_override: Option<i32>,
    pub level_override_reason: Option<String>,
    /// The level that counts: the override if set, else the graded level.
    pub effective_level: i32,
    pub confirmed: bool,
    pub vendor_liable: bool,
    pub recorded_by_id: ID,
    pub recorded_at: DateTime<FixedOffset>,
}

impl TryFrom<Model> for Fault {
    type Error = DomainError;

    fn try_from(m: Model) -> DomainResult<Self> {
        let system_ids = domain::facts::faults::affected_system_ids(&m)?;
        Ok(Self {
            id: id(m.id),
            region_id: id(m.region_id),
            vendor_id: id(m.vendor_id),
            title: m.title,
            affected_system_ids: system_ids.into_iter().map(id).collect(),
            impact: FaultImpact::from_db(&m.impact),
            occurred_at: local(m.occurred_at),
            reported_at: m.reported_at.map(local),
            recovered_at: m.recovered_at.map(local),
            misreported: m.misreported,
            level: m.level,
            grading_row: m.grading_row,
            platform_systems: m.platform_systems,
            level_override: m.level_override,
            level_override_reason: m.level_override_reason,
            effective_level: m.level_override.unwrap_or(m.level),
            confirmed: m.confirmed,
            vendor_liable: m.vendor_liable,
            recorded_by_id: id(m.recorded_by),
            recorded_at: local(m.recorded_at),
        })
    }
}

fact_links!(Fault {
    /// Each affected system, through the same access checks as a top-level query.
    async fn affected_systems(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<InformationSystem>> {
        let mut systems = Vec::with_capacity(self.affected_system_ids.len());
        for system_id in &self.affected_system_ids {
            systems.push(nested::one::<InformationSystems, InformationSystem>(ctx, system_id).await?);
        }
        Ok(systems)
    }
});

#[derive(InputObject)]
pub struct CreateFaultInput {
    pub region_id: ID,
    pub vendor_id: ID,
    pub title: String,
    pub affected_system_ids: Vec<ID>,
    pub impact: FaultImpact,
    pub occurred_at: DateTime<FixedOffset>,
    pub reported_at: Option<DateTime<FixedOffset>>,
    pub recovered_at: Option<DateTime<FixedOffset>>,
    #[graphql(default)]
    pub misreported: bool,
    pub confirmed: bool,
    pub vendor_liable: bool,
}

#[derive(InputObject)]
pub struct UpdateFaultInput {
    pub title: Option<String>,
    pub affected_system_ids: Option<Vec<ID>>,
    pub impact: Option<FaultImpact>,
    pub occurred_at: Option<DateTime<FixedOffset>>,
    pub reported_at: MaybeUndefined<DateTime<FixedOffset>>,
    pub recovered_at: MaybeUndefined<DateTime<FixedOffset>>,
    pub misreported: Option<bool>,
    pub confirmed: Option<bool>,
    pub vendor_liable: Option<bool>,
    /// A supervisor's level (1–6) that wins over the graded one; give a reason.
    /// `null` removes the override (and its reason).
    pub level_override: MaybeUndefined<i32>,
    pub level_override_reason: Option<String>,
}

/// The affected system ids as stored (a JSON array of numbers): at least one, at
/// most `MAX_AFFECTED_SYSTEMS`, each valid and named once.
fn system_ids(list: Vec<ID>) -> DomainResult<serde_json::Value> {
    if list.is_empty() {
        return Err(DomainError::bad(
            "input.affectedSystemIds",
            "must name at least one system",
        ));
    }
    if list.len() > MAX_AFFECTED_SYSTEMS {
        return Err(DomainError::bad(
            "input.affectedSystemIds",
            format!("must name at most {MAX_AFFECTED_SYSTEMS} systems"),
        ));
    }
    let mut first_at: HashMap<i64, usize> = HashMap::with_capacity(list.len());
    let mut ids = Vec::with_capacity(list.len());
    for (i, raw) in list.iter().enumerate() {
        let field = format!("input.affectedSystemIds[{i}]");
        let system_id = crud::parse_id(&field, raw)?;
        if let Some(first) = first_at.insert(system_id, i) {
            return Err(DomainError::bad(
                field,
                format!("system {system_id} is already named at affectedSystemIds[{first}]"),
            ));
        }
        ids.push(system_id);
    }
    Ok(serde_json::Value::from(ids))
}

/// A supervisor may set a level over the graded one, with a reason that is kept.
fn override_level(
    row: &mut Model,
    level: MaybeUndefined<i32>,
    reason: Option<String>,
) -> DomainResult<()> {
    match level {
        MaybeUndefined::Undefined if reason.is_some() => {
            return Err(DomainError::bad(
                "input.levelOverrideReason",
                "goes with levelOverride",
            ));
        }
        MaybeUndefined::Undefined => {}
        MaybeUndefined::Null => {
            row.level_override = None;
            row.level_override_reason = None;
        }
        MaybeUndefined::Value(level) => {
            let reason = reason.ok_or_else(|| {
                DomainError::bad("input.levelOverrideReason", "required with levelOverride")
            })?;
            row.level_override = Some(validate::in_range("input.levelOverride", level, 1, 6)?);
            row.level_override_reason =
                Some(validate::text("input.levelOverrideReason", reason, 2000)?);
        }
    }
    Ok(())
}

impl FromInput for Faults {
    type Create = CreateFaultInput;
    type Update = UpdateFaultInput;

    fn build(input: CreateFaultInput, actor: &Actor, now: DateTime<Utc>) -> DomainResult<Model> {
        let (region_id, vendor_id) = owner(&input.region_id, &input.vendor_id)?;
        Ok(Model {
            id: 0,
            region_id,
            vendor_id,
            title: validate::text("input.title", input.title, 200)?,
            affected_system_ids: system_ids(input.affected_system_ids)?,
            impact: input.impact.as_str().to_owned(),
            occurred_at: utc(input.occurred_at),
            reported_at: opt_utc(input.reported_at),
            recovered_at: opt_utc(input.recovered_at),
            misreported: input.misreported,
            // Filled in by the grading in `check`.
            level: 0,
            grading_row: 0,
            level_override: None,
            level_override_reason: None,
            platform_systems: None,
            confirmed: input.confirmed,
            vendor_liable: input.vendor_liable,
            recorded_by: actor.user_id,
            recorded_at: now,
        })
    }

    fn patch(row: &mut Model, input: UpdateFaultInput) -> DomainResult<()> {
        if let Some(v) = input.title {
            row.title = validate::text("input.title", v, 200)?;
        }
        if let Some(v) = input.affected_system_ids {
            row.affected_system_ids = system_ids(v)?;
        }
        if let Some(v) = input.impact {
            row.impact = v.as_str().to_owned();
        }
        if let Some(v) = input.occurred_at {
            row.occurred_at = utc(v);
        }
        set_nullable(&mut row.reported_at, input.reported_at.map_value(utc));
        set_nullable(&mut row.recovered_at, input.recovered_at.map_value(utc));
        row.misreported = input.misreported.unwrap_or(row.misreported);
        row.confirmed = input.confirmed.unwrap_or(row.confirmed);
        row.vendor_liable = input.vendor_liable.unwrap_or(row.vendor_liable);
        override_level(row, input.level_override, input.level_override_reason)
    }
}

crud_api!(resource: Faults, object: Fault, page: FaultPage,
    create_input: CreateFaultInput, update_input: UpdateFaultInput,
    query: FaultQuery { fault, faults },
    mutation: FaultMutation { create_fault, update_fault, delete_fault });

/// A fault as people fill it in; the grading's columns are derived, the
/// override is a supervisor's on an existing fault.
impl super::fields::Described for Faults {
    const LABEL: &'static str = "故障";
    const TITLE: &'static str = "title";
    const FIELDS: &'static [super::fields::Field] = {
        use super::columns::StoredText;
        use super::fields::{Field, Input, OWNER, Pick, When};
        &[
            OWNER[0],
            OWNER[1],
            Field::of("title", "标题", Input::Text { max: 200 }),
            Field::of(
                "affected_system_ids",
                "受影响的信息系统",
                Input::PickMany(Pick::System),
            ),
            Field::of("impact", "影响程度", Input::Choice(FaultImpact::OPTIONS)),
            Field::of("occurred_at", "发生时间", Input::DateTime),
            Field::of("reported_at", "报告时间", Input::DateTime).optional(),
            Field::of("recovered_at", "恢复时间", Input::DateTime).optional(),
            Field::of("misreported", "迟报、瞒报或误报", Input::Flag),
            Field::of("confirmed", "已确认", Input::Flag),
            Field::of("vendor_liable", "服务商责任", Input::Flag),
            Field::of(
                "level_override",
                "调整后的等级（1–6）",
                Input::Number { low: 1, high: 6 },
            )
            .optional()
            .on(When::Update),
            Field::of(
                "level_override_reason",
                "调整理由",
                Input::Text { max: 2000 },
            )
            .optional()
            .on(When::Update),
        ]
    };
}
