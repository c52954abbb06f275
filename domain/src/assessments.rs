//! Assessment runs and their results as stored rows: who may read them (a
//! vendor its own published results only), which revision is current, and a
//! result's document read back into the engine's own types.

use engine::{AnnualResult, Month, ScoreCard};
use entities::assessment_run::RunKind;
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Select};

use crate::access::{AgencyAccess, Policy, Scope, SupervisorAccess};
use crate::actor::{Actor, Role};
use crate::error::{DomainError, DomainResult};
use crate::store::{Resource, TimeColumn};

/// A stored result's document as the engine wrote it: the scorecard of a
/// monthly result, the annual result (scorecard, blend, penalty) of an annual
/// one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoredResult {
    Monthly(ScoreCard),
    Annual(Box<AnnualResult>),
}

impl StoredResult {
    /// Reads `r.document` by `r.kind`. A document that does not parse is an
    /// internal error, logged with the result's id; never a default.
    pub fn of(r: &entities::assessment_result::Model) -> DomainResult<Self> {
        Self::parse(r.id, r.kind, &r.document)
    }

    /// Reads the document of result `id` of a `kind`, as [`StoredResult::of`].
    pub fn parse(id: i64, kind: RunKind, document: &str) -> DomainResult<Self> {
        let parsed = match kind {
            RunKind::Monthly => serde_json::from_str(document).map(Self::Monthly),
            RunKind::Annual => serde_json::from_str(document).map(|y| Self::Annual(Box::new(y))),
        };
        parsed.map_err(|e| {
            tracing::error!(
                result = id,
                kind = kind.as_str(),
                error = %e,
                "a stored result's document does not parse"
            );
            DomainError::Internal(
                format!(
                    "result {id}: its {} document does not parse: {e}",
                    kind.as_str()
                )
                .into(),
            )
        })
    }

    /// The exact total (the row's `total` column is rounded for sorting).
    pub fn total(&self) -> Decimal {
        match self {
            Self::Monthly(card) => card.total,
            Self::Annual(year) => year.total,
        }
    }

    /// The scorecard: a monthly result's, or an annual result's annual scorecard.
    pub fn scorecard(&self) -> &ScoreCard {
        match self {
            Self::Monthly(card) => card,
            Self::Annual(year) => &year.annual,
        }
    }

    /// The annual result, `None` for a monthly one.
    pub fn annual(&self) -> Option<&AnnualResult> {
        match self {
            Self::Monthly(_) => None,
            Self::Annual(year) => Some(year),
        }
    }
}

pub const RUN_POLICY: Policy = Policy {
    everyone_reads: false,
    supervisor: SupervisorAccess::Region,
    vendor_reads_own: false,
    agency: AgencyAccess::None,
};

/// Supervisors of the region (and administrators) run and publish its
/// assessments; every edge asks this before starting or publishing a run.
pub fn may_run(actor: &Actor, region_id: i64) -> DomainResult<()> {
    let scope = Scope {
        region: Some(region_id),
        vendor: None,
        agency: None,
    };
    if crate::access::can_modify(actor, &RUN_POLICY, scope) {
        Ok(())
    } else {
        Err(DomainError::forbidden(
            "only the region's supervisors run assessments",
        ))
    }
}

/// Runs: listed newest first, filtered by their period.
pub struct AssessmentRuns;

impl Resource for AssessmentRuns {
    type Entity = entities::assessment_run::Entity;
    type Model = entities::assessment_run::Model;
    type ActiveModel = entities::assessment_run::ActiveModel;
    type Column = entities::assessment_run::Column;
    const NAME: &'static str = "AssessmentRun";
    const POLICY: Policy = RUN_POLICY;
    const ID: Self::Column = entities::assessment_run::Column::Id;
    const REGION: Option<Self::Column> = Some(entities::assessment_run::Column::RegionId);
    const VENDOR: Option<Self::Column> = None;
    const AGENCY: Option<Self::Column> = None;
    const TIME: TimeColumn<Self::Column> =
        TimeColumn::PeriodText(entities::assessment_run::Column::Period);
    const NEWEST_FIRST: bool = true;

    fn id(m: &Self::Model) -> i64 {
        m.id
    }
    fn scope(m: &Self::Model) -> Scope {
        Scope {
            region: Some(m.region_id),
            vendor: None,
            agency: None,
        }
    }
}

/// Results: like facts, but a vendor sees only published ones.
pub struct AssessmentResults;

impl Resource for AssessmentResults {
    type Entity = entities::assessment_result::Entity;
    type Model = entities::assessment_result::Model;
    type ActiveModel = entities::assessment_result::ActiveModel;
    type Column = entities::assessment_result::Column;
    const NAME: &'static str = "AssessmentResult";
    const POLICY: Policy = Policy::FACT;
    const ID: Self::Column = entities::assessment_result::Column::Id;
    const REGION: Option<Self::Column> = Some(entities::assessment_result::Column::RegionId);
    const VENDOR: Option<Self::Column> = Some(entities::assessment_result::Column::VendorId);
    const AGENCY: Option<Self::Column> = None;
    const TIME: TimeColumn<Self::Column> =
        TimeColumn::PeriodText(entities::assessment_result::Column::Period);
    const NEWEST_FIRST: bool = true;

    fn id(m: &Self::Model) -> i64 {
        m.id
    }
    fn scope(m: &Self::Model) -> Scope {
        Scope {
            region: Some(m.region_id),
            vendor: Some(m.vendor_id),
            agency: None,
        }
    }
    fn restrict(actor: &Actor, query: Select<Self::Entity>) -> Select<Self::Entity> {
        match actor.role {
            Role::Vendor { .. } => {
                query.filter(entities::assessment_result::Column::Published.eq(true))
            }
            _ => query,
        }
    }
    /// The latest revision of each region, vendor, kind and period. A vendor
    /// sees one revision of a period at most already: the published one.
    fn current(actor: &Actor, query: Select<Self::Entity>) -> Select<Self::Entity> {
        match actor.role {
            Role::Vendor { .. } => query,
            _ => query.filter(sea_orm::sea_query::Expr::cust(
                "NOT EXISTS (SELECT 1 FROM assessment_results AS newer \
                 WHERE newer.region_id = assessment_results.region_id \
                 AND newer.vendor_id = assessment_results.vendor_id \
                 AND newer.kind = assessment_results.kind \
                 AND newer.period = assessment_results.period \
                 AND newer.revision > assessment_results.revision)",
            )),
        }
    }
}

/// The published monthly results of the region in `months`, in one query: of
/// each vendor and month the latest published revision (publishing keeps one).
pub async fn published_months(
    conn: &impl ConnectionTrait,
    region_id: i64,
    months: impl Iterator<Item = Month>,
) -> DomainResult<std::collections::HashMap<(i64, Month), entities::assessment_result::Model>> {
    use entities::assessment_result::Column as C;
    let months: std::collections::HashMap<String, Month> =
        months.map(|m| (m.to_string(), m)).collect();
    let rows = entities::assessment_result::Entity::find()
        .filter(C::RegionId.eq(region_id))
        .filter(C::Kind.eq(RunKind::Monthly))
        .filter(C::Period.is_in(months.keys().cloned()))
        .filter(C::Published.eq(true))
        .order_by_asc(C::Revision)
        .all(conn)
        .await?;
    // Ascending revisions: a later one replaces an earlier in the map.
    Ok(rows
        .into_iter()
        .filter_map(|r| Some(((r.vendor_id, *months.get(&r.period)?), r)))
        .collect())
}

pub async fn latest_published(
    conn: &impl ConnectionTrait,
    region_id: i64,
    vendor_id: i64,
    kind: RunKind,
    period: &str,
) -> DomainResult<Option<entities::assessment_result::Model>> {
    use entities::assessment_result::Column as C;
    Ok(entities::assessment_result::Entity::find()
        .filter(C::RegionId.eq(region_id))
        .filter(C::VendorId.eq(vendor_id))
        .filter(C::Kind.eq(kind))
        .filter(C::Period.eq(period))
        .filter(C::Published.eq(true))
        .order_by_desc(C::Revision)
        .one(conn)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use engine::scheme::IndicatorCode;
    use engine::{Deduction, FactKind, FactRef, IndicatorResult, Month, Period};
    use rust_decimal_macros::dec;

    fn row(kind: RunKind, document: String) -> entities::assessment_result::Model {
        entities::assessment_result::Model {
            id: 42,
            run_id: 1,
            region_id: 1,
            vendor_id: 1,
            kind,
            period: "2025-03".into(),
            revision: 1,
            total: dec!(88.5),
            passed: false,
            document,
            published: false,
            published_at: None,
            published_by: None,
            created_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn a_stored_scorecard_reads_back_as_the_engine_wrote_it() {
        let a1 = IndicatorCode::A1;
        let card = ScoreCard {
            scheme_code: "sh-municipal".into(),
            scheme_version: 1,
            period: Period::Month(Month::new(2025, 3).expect("month")),
            indicators: vec![IndicatorResult {
                code: a1,
                name: a1.name(),
                weight: dec!(10),
                score: dec!(8.5),
                deducted: dec!(1.5),
                capped: dec!(0),
                deductions: vec![Deduction {
                    points: dec!(1.5),
                    reason: "工单超时".into(),
                    facts: vec![FactRef {
                        kind: FactKind::WorkOrder,
                        id: 7,
                    }],
                }],
                warnings: vec![],
            }],
            total: dec!(88.5),
            pass_mark: dec!(90),
            passed: false,
            warnings: vec!["A1: 提醒".into()],
        };
        let document = serde_json::to_string(&card).expect("serialises");
        let stored = StoredResult::of(&row(RunKind::Monthly, document)).expect("parses");
        assert_eq!(stored.total(), dec!(88.5));
        assert_eq!(stored, StoredResult::Monthly(card));
    }

    #[test]
    fn a_document_that_does_not_parse_is_an_error_naming_the_result() {
        let monthly = r#"{"total":"88.5"}"#.to_owned();
        let err = StoredResult::of(&row(RunKind::Monthly, monthly)).expect_err("incomplete");
        assert!(matches!(err, DomainError::Internal(_)), "{err:?}");
        let DomainError::Internal(source) = err else {
            unreachable!()
        };
        assert!(source.to_string().starts_with("result 42:"), "{source}");
    }
}
