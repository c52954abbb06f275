//! Vendors (云服务商) and their contact addresses for notices. Supervisors read
//! all of them (they record facts about any); a vendor reads only itself.
//! An agency reads only the names of the vendors that serve it
//! (`servingVendors`: it names them in complaints and surveys), never a vendor
//! that does not, nor any vendor's contacts, contracts or systems.
//!
//! Declared here: who owns a row, who may see it, what a row must satisfy.

use sea_orm::DatabaseTransaction;

use crate::access::{AgencyAccess, Policy, Scope, SupervisorAccess};
use crate::error::{DomainError, DomainResult};
use crate::store::TimeColumn;
use entities::vendor::Model;

use crate::store::Writable;

resource!(Vendors => vendor, name: "Vendor",
    policy: Policy { everyone_reads: false, supervisor: SupervisorAccess::ReadAll, vendor_reads_own: true, agency: AgencyAccess::None },
    region: None, vendor: Some(entities::vendor::Column::Id), agency: None, time: TimeColumn::None,
    scope: |m| Scope { vendor: Some(m.id), ..Scope::default() });

impl Writable for Vendors {
    async fn check<'a>(
        _txn: &'a DatabaseTransaction,
        _row: &'a mut entities::vendor::Model,
    ) -> DomainResult<()> {
        Ok(())
    }
}

/// The vendor's contact addresses as stored (a JSON array of texts, checked
/// when written); one that does not read back is an internal error naming the
/// vendor, so a notice is never written with its mail silently dropped.
pub fn contact_emails(vendor: &Model) -> DomainResult<Vec<String>> {
    serde_json::from_value(vendor.contact_emails.clone()).map_err(|e| {
        DomainError::Internal(
            format!("contact e-mails of vendor {} do not parse: {e}", vendor.id).into(),
        )
    })
}

/// The vendors that serve an agency: those hosting one of its information
/// systems, on the platform at some time in `service_year` (by the region's
/// scheme) if given, else at any time. An agency asks about itself
/// (`agency_id` may be omitted); a supervisor about an agency of its region;
/// an administrator about any. Any other agency is `NOT_FOUND`.
pub async fn serving(
    db: &sea_orm::DatabaseConnection,
    actor: &crate::actor::Actor,
    agency_id: Option<i64>,
    service_year: Option<i32>,
) -> DomainResult<Vec<Model>> {
    use entities::information_system::{Column as S, Entity as Systems};
    use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
    let agency_id = match (agency_id, actor.role) {
        (Some(agency_id), _) => agency_id,
        (None, crate::actor::Role::Agency { agency_id }) => agency_id,
        (None, _) => return Err(DomainError::bad("agencyId", "required")),
    };
    // Access-checked: a vendor, or a supervisor of another region, gets NOT_FOUND.
    let agency = crate::store::get::<super::agencies::Agencies>(db, actor, agency_id).await?;
    let mut hosted = Systems::find()
        .select_only()
        .column(S::VendorId)
        .distinct()
        .filter(S::AgencyId.eq(agency.id));
    if let Some(year) = service_year {
        let region = entities::region::Entity::find_by_id(agency.region_id)
            .one(db)
            .await?
            .ok_or_else(|| DomainError::Internal("the agency's region is gone".into()))?;
        let scheme = crate::schemes::require_known(db, "agencyId", &region.scheme_code).await?;
        let year = engine::ServiceYear::new(scheme.service_year_first_month, year)
            .map_err(|e| DomainError::bad("serviceYear", e.to_string()))?;
        let (first_day, last_day) = crate::facts::survey_responses::days_of(year);
        hosted = hosted.filter(S::OnlineOn.lte(last_day)).filter(
            Condition::any()
                .add(S::OfflineOn.is_null())
                .add(S::OfflineOn.gt(first_day)),
        );
    }
    let vendor_ids: Vec<i64> = hosted.into_tuple().all(db).await?;
    Ok(entities::vendor::Entity::find()
        .filter(entities::vendor::Column::Id.is_in(vendor_ids))
        .order_by_asc(entities::vendor::Column::Id)
        .all(db)
        .await?)
}
