//! The audit trail through GraphQL: read-only. Administrators read every entry,
//! supervisors their region's; there is deliberately no mutation here.

use async_graphql::{Context, ID, InputObject, Json, Object, SimpleObject};
use chrono::{DateTime, FixedOffset, Utc};
use serde_json::Value;

use super::nested::id;
use crate::error::{DomainResult, GqlResult};
use crate::graphql::crud;
use domain::actor::Actor;
use domain::audit::{self, Audit};
use domain::page::Page;
use domain::period::local;
use domain::validate;

/// Every mutation field of the schema. Each of them writes its entry through
/// [`Audit`]; the schema test fails when the schema has a mutation this list
/// does not name (or the other way round), so a new mutation cannot ship
/// without its author deciding what it audits.
pub const AUDITED_MUTATIONS: &[&str] = &[
    // session
    "login",
    "changePassword",
    // rules
    "createScheme",
    "loadCalendarYear",
    // contract terms
    "createContractTerms",
    // runs
    "runMonthlyAssessment",
    "runAnnualAssessment",
    "publishAssessmentRun",
    // notices
    "createNotice",
    "acknowledgeNotice",
    "submitRectification",
    "acceptRectification",
    "reopenNotice",
    // metering
    "closeMetering",
    "setPurchaserCap",
    // disputes
    "disputeDeduction",
    "acceptDispute",
    "rejectDispute",
    // quotas and usage (issue 16)
    "applyQuota",
    "approveQuota",
    "rejectQuota",
    "recordQuotaDelivery",
    "requestQuotaChange",
    "approveQuotaChange",
    "refuseQuotaChange",
    "recordUsage",
    "importUsage",
    // breach register
    "recordBreach",
    "confirmBreach",
    "dismissBreach",
    "answerBreach",
    // facts from spreadsheets (one entry per fact written)
    "importFacts",
    // the generic CRUD mutations (`crud_api!` → `store::create/update/delete`)
    "createRegion",
    "updateRegion",
    "deleteRegion",
    "createVendor",
    "updateVendor",
    "deleteVendor",
    "createContract",
    "updateContract",
    "deleteContract",
    "signContract",
    "addSupplementaryAgreement",
    // settlement
    "recordInstalmentPaid",
    "setContractTerms",
    "importCataloguePrices",
    "createCatalogueItem",
    "updateCatalogueItem",
    "deleteCatalogueItem",
    "createCataloguePrice",
    "updateCataloguePrice",
    "deleteCataloguePrice",
    "attachBuiltInCatalogue",
    "createAgency",
    "updateAgency",
    "deleteAgency",
    "createInformationSystem",
    "updateInformationSystem",
    "deleteInformationSystem",
    "createUser",
    "updateUser",
    "deleteUser",
    "createWorkOrder",
    "updateWorkOrder",
    "deleteWorkOrder",
    "createUnticketedDelivery",
    "updateUnticketedDelivery",
    "deleteUnticketedDelivery",
    "createServiceTask",
    "updateServiceTask",
    "deleteServiceTask",
    "createAttendance",
    "updateAttendance",
    "deleteAttendance",
    "createComplaint",
    "updateComplaint",
    "deleteComplaint",
    "createOutage",
    "updateOutage",
    "deleteOutage",
    "createFault",
    "updateFault",
    "deleteFault",
    "createChange",
    "updateChange",
    "deleteChange",
    "createViolation",
    "updateViolation",
    "deleteViolation",
    "createTraining",
    "updateTraining",
    "deleteTraining",
    "createSecurityRisk",
    "updateSecurityRisk",
    "deleteSecurityRisk",
    "createSecurityAccident",
    "updateSecurityAccident",
    "deleteSecurityAccident",
    "createSurveyResponse",
    "updateSurveyResponse",
    "deleteSurveyResponse",
    // the unified work order (issue 16 item 1)
    "submitWorkOrderPart",
    "approveWorkOrderPart",
    "rejectWorkOrderPart",
    "completeWorkOrderPart",
    "requestMigrationHelp",
    "completeMigrationHelp",
    "confirmErasure",
];

/// The audit record of the mutation being resolved: the operation is the
/// field's own name, so it cannot disagree with the schema.
pub fn of(ctx: &Context<'_>, actor: &Actor) -> Audit {
    Audit::of_actor(ctx.field().name(), actor, client_addr(ctx), request_id(ctx))
}

fn client_addr(ctx: &Context<'_>) -> Option<String> {
    ctx.data_opt::<crate::state::ClientAddr>()
        .map(|a| a.0.to_string())
}

fn request_id(ctx: &Context<'_>) -> Option<String> {
    ctx.data_opt::<crate::request_id::RequestId>()
        .map(|r| r.0.clone())
}

#[derive(SimpleObject)]
pub struct AuditEntry {
    pub id: ID,
    pub at: DateTime<FixedOffset>,
    pub user_id: ID,
    pub username: String,
    /// The role the user acted in: ADMIN, SUPERVISOR, VENDOR or AGENCY.
    pub role: String,
    /// The region the target belongs to (null for rows of no region).
    pub region_id: Option<ID>,
    pub vendor_id: Option<ID>,
    /// The mutation, e.g. `createWorkOrder`.
    pub operation: String,
    /// e.g. `WorkOrder`.
    pub target_type: String,
    pub target_id: Option<ID>,
    pub client_addr: Option<String>,
    pub request_id: Option<String>,
    /// The whole row of a delete; the changed fields of an update.
    pub before: Option<Json<Value>>,
    /// The whole row of a create; the changed fields of an update.
    pub after: Option<Json<Value>>,
}

impl From<entities::audit_entry::Model> for AuditEntry {
    fn from(m: entities::audit_entry::Model) -> Self {
        Self {
            id: id(m.id),
            at: local(m.at),
            user_id: id(m.user_id),
            username: m.username,
            role: m.role,
            region_id: m.region_id.map(id),
            vendor_id: m.vendor_id.map(id),
            operation: m.operation,
            target_type: m.target_type,
            target_id: m.target_id.map(id),
            client_addr: m.client_addr,
            request_id: m.request_id,
            before: m.before.map(Json),
            after: m.after.map(Json),
        }
    }
}

/// One page of the trail, newest first, with the total count of matching entries.
#[derive(SimpleObject)]
pub struct AuditEntryPage {
    pub items: Vec<AuditEntry>,
    pub total: u64,
    pub offset: u64,
    pub limit: u64,
}

impl From<Page<entities::audit_entry::Model>> for AuditEntryPage {
    fn from(p: Page<entities::audit_entry::Model>) -> Self {
        Self {
            items: p.items.into_iter().map(AuditEntry::from).collect(),
            total: p.total,
            offset: p.offset,
            limit: p.limit,
        }
    }
}

#[derive(InputObject, Default)]
pub struct AuditFilter {
    pub user_id: Option<ID>,
    /// A mutation name, e.g. `updateFault`.
    pub operation: Option<String>,
    /// e.g. `Fault`.
    pub target_type: Option<String>,
    pub target_id: Option<ID>,
    /// Entries at or after this instant.
    pub from: Option<DateTime<FixedOffset>>,
    /// Entries before this instant.
    pub to: Option<DateTime<FixedOffset>>,
}

impl AuditFilter {
    fn parse(self) -> DomainResult<audit::Filter> {
        let text =
            |field: &str, v: Option<String>| v.map(|t| validate::text(field, t, 100)).transpose();
        Ok(audit::Filter {
            user_id: crud::parse_opt_id("filter.userId", &self.user_id)?,
            operation: text("filter.operation", self.operation)?,
            target_type: text("filter.targetType", self.target_type)?,
            target_id: crud::parse_opt_id("filter.targetId", &self.target_id)?,
            from: self.from.map(|t| t.with_timezone(&Utc)),
            to: self.to.map(|t| t.with_timezone(&Utc)),
            ..audit::Filter::default()
        })
    }
}

#[derive(Default)]
pub struct AuditQuery;

#[Object]
impl AuditQuery {
    /// Who changed what, when and from where (administrators; supervisors see
    /// their region's entries).
    #[graphql(complexity = "crate::graphql::crud::page_complexity(limit, child_complexity)")]
    async fn audit_entries(
        &self,
        ctx: &Context<'_>,
        filter: Option<AuditFilter>,
        offset: Option<i64>,
        limit: Option<i64>,
    ) -> async_graphql::Result<AuditEntryPage> {
        async {
            let (state, actor) = crud::env(ctx)?;
            let filter = filter.unwrap_or_default().parse()?;
            let _db = domain::db_share::permit().await;
            audit::list(&state.db, actor, filter, offset, limit)
                .await
                .map(AuditEntryPage::from)
        }
        .await
        .gql()
    }
}
