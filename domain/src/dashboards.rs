//! What the dashboards show of a region (issue 4, item 4; issue 13, item 2),
//! read once for every edge (GraphQL's `ranking` and `noticeCounts`, the
//! console's dashboard): the vendors ranked by their latest result of a
//! month, and the open and overdue notices per vendor.
//!
//! Supervisors of the region and administrators see every vendor and the
//! latest revision of each result, drafts included (flagged `published`); a
//! vendor sees its own published results only; agencies have no dashboards.
//! Every read runs a fixed number of SQL statements whatever the number of
//! vendors: the latest revision of each result of the region and period in
//! one query (chosen in SQL, without the documents), the documents not yet
//! kept parsed (`result_cache`) in one `IN (…)` query, the vendors' names in
//! one `IN (…)` query.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::Utc;
use entities::assessment_run::RunKind;
use rust_decimal::Decimal;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Query};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::access::{self, Policy, Scope};
use crate::actor::{Actor, Role};
use crate::assessments::StoredResult;
use crate::error::{DomainError, DomainResult};
use crate::notices::NoticeStatus;
use crate::period::{Period, local};
use crate::result_cache::{ResultCache, ResultHead, heads};

/// What of a region's results the caller sees.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    /// Every vendor, drafts included (the region's supervisors, administrators).
    Region,
    /// This vendor's published results only.
    Vendor(i64),
}

impl Reach {
    pub fn vendor(self) -> Option<i64> {
        match self {
            Self::Region => None,
            Self::Vendor(v) => Some(v),
        }
    }
}

pub fn no_agencies(actor: &Actor) -> DomainResult<()> {
    match actor.role {
        Role::Agency { .. } => Err(DomainError::forbidden(
            "dashboards are for supervision teams and vendors",
        )),
        _ => Ok(()),
    }
}

/// The caller's reach in a region that must exist. A region whose results the
/// caller may not read is `NOT_FOUND`, as in `crud`.
pub async fn reach(db: &DatabaseConnection, actor: &Actor, region_id: i64) -> DomainResult<Reach> {
    let reach = reach_of(actor, region_id)?;
    require_region(db, region_id).await?;
    Ok(reach)
}

/// The caller's reach in a region, by the access rules alone: the caller then
/// asks whether the region exists only when its read found nothing there (a
/// row found is a region that exists), which spares the dashboards a
/// statement per request.
pub fn reach_of(actor: &Actor, region_id: i64) -> DomainResult<Reach> {
    no_agencies(actor)?;
    let reach = match actor.role {
        Role::Vendor { vendor_id } => Reach::Vendor(vendor_id),
        _ if access::can_read(
            actor,
            &Policy::FACT,
            Scope {
                region: Some(region_id),
                vendor: None,
                agency: None,
            },
        ) =>
        {
            Reach::Region
        }
        _ => return Err(DomainError::not_found(format!("Region {region_id}"))),
    };
    Ok(reach)
}

/// `NOT_FOUND` unless the region exists.
pub async fn require_region(db: &DatabaseConnection, region_id: i64) -> DomainResult<()> {
    match entities::region::Entity::find_by_id(region_id)
        .one(db)
        .await?
    {
        Some(_) => Ok(()),
        None => Err(DomainError::not_found(format!("Region {region_id}"))),
    }
}

fn month_text(period: &str) -> DomainResult<String> {
    match Period::parse(period) {
        Ok(p @ Period::Month { .. }) => Ok(p.to_string()),
        _ => Err(DomainError::bad(
            "period",
            format!("\"{period}\" is not a month YYYY-MM"),
        )),
    }
}

/// The latest revision of each result of a kind in a region for some
/// periods, as the reach allows (a vendor: its latest published one), in one
/// query, without the documents.
pub async fn results(
    db: &DatabaseConnection,
    reach: Reach,
    region_id: i64,
    kind: RunKind,
    periods: Vec<String>,
    vendor_id: Option<i64>,
) -> DomainResult<Vec<ResultHead>> {
    use entities::assessment_result::{Column as C, Entity};
    let mut query = Entity::find()
        .filter(C::RegionId.eq(region_id))
        .filter(C::Kind.eq(kind))
        .filter(C::Period.is_in(periods));
    if let Some(vendor_id) = vendor_id {
        query = query.filter(C::VendorId.eq(vendor_id));
    }
    if let Reach::Vendor(own) = reach {
        query = query
            .filter(C::VendorId.eq(own))
            .filter(C::Published.eq(true));
    }
    let latest = latest_revision(reach);
    Ok(
        heads(query.filter(Expr::col((Entity, C::Revision)).eq(latest)))
            .all(db)
            .await?,
    )
}

/// The highest revision of the outer row's region, vendor, kind and period
/// (of the published ones for a vendor), as a correlated subquery: the
/// unique index on those columns and the revision answers it.
fn latest_revision(reach: Reach) -> Expr {
    use entities::assessment_result::{Column as C, Entity};
    let other = Alias::new("latest");
    let mut sub = Query::select();
    sub.expr(Expr::col((other.clone(), C::Revision)).max())
        .from_as(Entity, other.clone());
    for column in [C::RegionId, C::VendorId, C::Kind, C::Period] {
        sub.and_where(Expr::col((other.clone(), column)).equals((Entity, column)));
    }
    if let Reach::Vendor(_) = reach {
        sub.and_where(Expr::col((other, C::Published)).eq(true));
    }
    Expr::from(sub)
}

/// The vendors of `ids`, in one query.
pub async fn vendors(
    db: &DatabaseConnection,
    ids: impl IntoIterator<Item = i64>,
) -> DomainResult<HashMap<i64, entities::vendor::Model>> {
    let ids: Vec<i64> = ids
        .into_iter()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = entities::vendor::Entity::find()
        .filter(entities::vendor::Column::Id.is_in(ids))
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|v| (v.id, v)).collect())
}

/// The latest result of each vendor with its document and exact total (the
/// `total` column is rounded), best total first (equal totals by vendor id).
pub async fn ranked(
    db: &DatabaseConnection,
    cache: &ResultCache,
    rows: Vec<ResultHead>,
) -> DomainResult<Vec<(ResultHead, Arc<StoredResult>, Decimal)>> {
    let documents = cache.documents(db, &rows).await?;
    let mut out: Vec<_> = rows
        .into_iter()
        .zip(documents)
        .map(|(r, stored)| {
            let total = stored.total();
            (r, stored, total)
        })
        .collect();
    out.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.vendor_id.cmp(&b.0.vendor_id)));
    Ok(out)
}

/// A vendor's place in a month's ranking.
pub struct Ranked {
    /// 1 for the best total; equal totals share a rank. `None` for a vendor,
    /// who sees nothing of the others.
    pub rank: Option<i32>,
    /// The latest revision the caller may see (for a vendor: its published one).
    pub result: ResultHead,
    pub stored: Arc<StoredResult>,
    /// The exact total (the row's `total` column is rounded).
    pub total: Decimal,
}

/// The vendors of a region ranked by their total for a month `YYYY-MM`, best
/// first (equal totals by vendor id), each with its latest result.
pub async fn ranking(
    db: &DatabaseConnection,
    cache: &ResultCache,
    actor: &Actor,
    region_id: i64,
    period: &str,
) -> DomainResult<Vec<Ranked>> {
    let reach = reach_of(actor, region_id)?;
    let period = month_text(period)?;
    let rows = results(db, reach, region_id, RunKind::Monthly, vec![period], None).await?;
    if rows.is_empty() {
        require_region(db, region_id).await?;
    }
    in_places(reach, ranked(db, cache, rows).await?)
}

/// The vendors of a region ranked by their annual total for a service year
/// (named by the year it starts in), as [`ranking`] ranks a month: what a
/// region whose scheme has only an annual scorecard (Songjiang) ranks by.
pub async fn annual_ranking(
    db: &DatabaseConnection,
    cache: &ResultCache,
    actor: &Actor,
    region_id: i64,
    service_year: i32,
) -> DomainResult<Vec<Ranked>> {
    let reach = reach_of(actor, region_id)?;
    let period = service_year.to_string();
    let rows = results(db, reach, region_id, RunKind::Annual, vec![period], None).await?;
    if rows.is_empty() {
        require_region(db, region_id).await?;
    }
    in_places(reach, ranked(db, cache, rows).await?)
}

/// Ranks sorted rows: equal totals share a place; a vendor sees no places.
fn in_places(
    reach: Reach,
    rows: Vec<(ResultHead, Arc<StoredResult>, Decimal)>,
) -> DomainResult<Vec<Ranked>> {
    let mut out = Vec::with_capacity(rows.len());
    let mut previous: Option<(Decimal, i32)> = None;
    for (position, (result, stored, total)) in rows.into_iter().enumerate() {
        let rank = match previous {
            Some((t, rank)) if t == total => rank,
            _ => i32::try_from(position).map_err(DomainError::internal)? + 1,
        };
        previous = Some((total, rank));
        out.push(Ranked {
            rank: (reach == Reach::Region).then_some(rank),
            result,
            stored,
            total,
        });
    }
    Ok(out)
}

/// One vendor's open notices in one region.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NoticeCount {
    pub region_id: i64,
    pub vendor_id: i64,
    /// Notices not yet accepted (nor superseded).
    pub open: i64,
    /// Open notices past their deadline (Asia/Shanghai).
    pub overdue: i64,
}

/// Open and overdue notices per region and vendor, vendors with open notices
/// only. Supervisors see their region, vendors their own, administrators all
/// regions or the one given.
pub async fn notice_counts(
    db: &DatabaseConnection,
    actor: &Actor,
    region_id: Option<i64>,
) -> DomainResult<Vec<NoticeCount>> {
    use entities::notice::Column as C;
    no_agencies(actor)?;
    let (region, vendor) = match (region_id, actor.role) {
        (Some(r), _) => (Some(r), reach(db, actor, r).await?.vendor()),
        (None, Role::Supervisor { region_id }) => (Some(region_id), None),
        (None, Role::Vendor { vendor_id }) => (None, Some(vendor_id)),
        (None, _) => (None, None),
    };
    // The rule of `notices::is_overdue`, in SQL.
    let today = local(Utc::now()).date_naive();
    let overdue = Expr::from(Func::sum(Expr::case(C::Deadline.lt(today), 1).finally(0)));
    let mut query = entities::notice::Entity::find()
        .select_only()
        .column(C::RegionId)
        .column(C::VendorId)
        .column_as(C::Id.count(), "open")
        .column_as(overdue, "overdue")
        .filter(C::Status.is_not_in(NoticeStatus::CLOSED));
    if let Some(r) = region {
        query = query.filter(C::RegionId.eq(r));
    }
    if let Some(v) = vendor {
        query = query.filter(C::VendorId.eq(v));
    }
    let rows: Vec<(i64, i64, i64, i64)> = query
        .group_by(C::RegionId)
        .group_by(C::VendorId)
        .order_by_asc(C::RegionId)
        .order_by_asc(C::VendorId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(region_id, vendor_id, open, overdue)| NoticeCount {
            region_id,
            vendor_id,
            open,
            overdue,
        })
        .collect())
}
