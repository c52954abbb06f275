//! Assessment runs and their results as stored rows: who may read them (a
//! vendor its own published results only) and which revision is current.

use engine::Month;
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Select};

use crate::error::{DomainError, DomainResult};

use crate::access::{AgencyAccess, Policy, Scope, SupervisorAccess};
use crate::actor::{Actor, Role};
use crate::store::{Resource, TimeColumn};

pub const RUN_POLICY: Policy = Policy {
    everyone_reads: false,
    supervisor: SupervisorAccess::Region,
    vendor_reads_own: false,
    agency: AgencyAccess::None,
};

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

/// The exact total kept in a result's document (the `total` column is rounded
/// for sorting).
pub fn exact_total(r: &entities::assessment_result::Model) -> DomainResult<Decimal> {
    let document: serde_json::Value =
        serde_json::from_str(&r.document).map_err(DomainError::internal)?;
    document["total"]
        .as_str()
        .and_then(|t| t.parse().ok())
        .ok_or_else(|| DomainError::Internal(format!("result {} has no total", r.id).into()))
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
        .filter(C::Kind.eq("MONTHLY"))
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
    kind: &str,
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
