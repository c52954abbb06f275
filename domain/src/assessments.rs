//! Assessment runs and their results as stored rows: who may read them (a
//! vendor its own published results only) and which revision is current.

use sea_orm::{ColumnTrait, QueryFilter, Select};

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
