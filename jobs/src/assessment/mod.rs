//! Assessments computed from the facts in the database: the bridge between the
//! stored facts and the pure engine (`engine`). Previews store nothing.

pub mod blend;
pub mod cohort;
pub mod facts;

use chrono::{DateTime, Utc};
use engine::calendar::WorkCalendar;
use engine::scheme::{Scheme, ScorecardKind};
use engine::{self, AnnualResult, EngineError, Month, Period, ScoreCard, ServiceYear, VendorFacts};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::error::{JobError, JobResult};
use domain::access::{self, Policy};
use domain::actor::Actor;
use domain::reference::{regions::Regions, vendors::Vendors};
use domain::store;
use facts::Window;
use sea_orm::DatabaseConnection;

/// What an assessment is about: one vendor in one region, under the region's
/// scheme (its latest version).
pub struct Subject {
    pub region: entities::region::Model,
    pub vendor_id: i64,
    pub scheme: Scheme,
}

/// The caller may see this vendor's scores in this region: an administrator,
/// the region's supervisor, or the vendor itself.
pub async fn subject(
    db: &DatabaseConnection,
    actor: &Actor,
    region_id: i64,
    vendor_id: i64,
) -> JobResult<Subject> {
    let scope = access::Scope {
        region: Some(region_id),
        vendor: Some(vendor_id),
        agency: None,
    };
    if !access::can_read(actor, &Policy::FACT, scope) {
        return Err(JobError::not_found(format!(
            "scores of vendor {vendor_id} in region {region_id}"
        )));
    }
    let region = store::get::<Regions>(db, actor, region_id).await?;
    store::get::<Vendors>(db, actor, vendor_id).await?;
    let _db = domain::db_share::permit().await;
    subject_of(db, region, vendor_id).await
}

/// The subject without an access check (scheduled runs act for the platform).
pub async fn subject_of(
    conn: &impl ConnectionTrait,
    region: entities::region::Model,
    vendor_id: i64,
) -> JobResult<Subject> {
    let scheme = domain::schemes::require_known(conn, "regionId", &region.scheme_code).await?;
    Ok(Subject {
        region,
        vendor_id,
        scheme,
    })
}

fn window(subject: &Subject, period: Period, survey_year: i32) -> Window {
    region_window(subject.region.id, subject.vendor_id, period, survey_year)
}

/// The window of `period` in the region for the vendor (survey responses of
/// the service year starting in `survey_year`).
pub fn region_window(region_id: i64, vendor_id: i64, period: Period, survey_year: i32) -> Window {
    Window {
        region_id,
        vendor_id,
        from: period.start(),
        to: period.end(),
        survey_year,
    }
}

/// A period the engine refuses is the caller's input (`field`); a scheme it
/// cannot apply is the stored scheme's fault, named by its code.
fn engine_error(field: &str, subject: &Subject, e: EngineError) -> JobError {
    scheme_error(field, &subject.scheme, e)
}

/// `engine_error` for any caller holding the scheme.
pub fn scheme_error(field: &str, scheme: &Scheme, e: EngineError) -> JobError {
    match e {
        EngineError::Scheme(inner) => JobError::Scheme {
            code: scheme.code.clone(),
            reason: inner.to_string(),
        },
        other => JobError::bad(field, other.to_string()),
    }
}

/// The month's scorecard from the facts as they are now.
pub async fn month(
    conn: &impl ConnectionTrait,
    subject: &Subject,
    month: Month,
) -> JobResult<ScoreCard> {
    Ok(month_counted(conn, subject, month).await?.0)
}

/// `month`, with the number of fact rows it read.
pub async fn month_counted(
    conn: &impl ConnectionTrait,
    subject: &Subject,
    month: Month,
) -> JobResult<(ScoreCard, u64)> {
    let service_year = ServiceYear::containing(subject.scheme.service_year_first_month, month)
        .map_err(|e| JobError::bad("period", e.to_string()))?;
    let facts = facts::load(
        conn,
        &window(
            subject,
            Period::Month(month),
            service_year.first_month().year(),
        ),
        &subject.scheme.fact_kinds(ScorecardKind::Monthly),
    )
    .await?;
    let calendar = domain::calendar::load(conn).await?;
    let card = engine::assess_month(&subject.scheme, &calendar, &facts, month)
        .map_err(|e| engine_error("period", subject, e))?;
    Ok((card, facts::row_count(&facts)))
}

/// The service year and its contract (for the settlement amount), if any.
pub async fn service_year(
    conn: &impl ConnectionTrait,
    subject: &Subject,
    start_year: i32,
) -> JobResult<(ServiceYear, Option<entities::contract::Model>)> {
    let service_year = ServiceYear::new(subject.scheme.service_year_first_month, start_year)
        .map_err(|e| JobError::bad("serviceYear", e.to_string()))?;
    let contract = entities::contract::Entity::find()
        .filter(entities::contract::Column::RegionId.eq(subject.region.id))
        .filter(entities::contract::Column::VendorId.eq(subject.vendor_id))
        .filter(entities::contract::Column::ServiceYear.eq(start_year))
        .one(conn)
        .await?;
    Ok((service_year, contract))
}

/// The year's result from the facts and the given monthly totals.
pub async fn year_with(
    conn: &impl ConnectionTrait,
    subject: &Subject,
    start_year: i32,
    monthly: &[(Month, Decimal)],
) -> JobResult<AnnualResult> {
    Ok(year_with_counted(conn, subject, start_year, monthly)
        .await?
        .0)
}

/// `year_with`, with the number of fact rows it read.
pub async fn year_with_counted(
    conn: &impl ConnectionTrait,
    subject: &Subject,
    start_year: i32,
    monthly: &[(Month, Decimal)],
) -> JobResult<(AnnualResult, u64)> {
    let (service_year, contract) = service_year(conn, subject, start_year).await?;
    let period = Period::ServiceYear(service_year);
    let facts = facts::load(
        conn,
        &window(subject, period, start_year),
        &subject.scheme.fact_kinds(ScorecardKind::Annual),
    )
    .await?;
    let calendar = domain::calendar::load(conn).await?;
    let base =
        domain::metering::settlement_base(conn, &subject.region, subject.vendor_id, start_year)
            .await?;
    let year = Year {
        scheme: &subject.scheme,
        calendar: &calendar,
        service_year,
    };
    let result = year
        .assess(&facts, monthly, base, contract.as_ref())
        .map_err(|e| engine_error("serviceYear", subject, e))?;
    Ok((result, facts::row_count(&facts)))
}

/// What every vendor's year in a region shares: the scheme, the calendar and
/// the service year. The preview of one vendor and the run of them all
/// assess through it, so they agree.
pub struct Year<'a> {
    pub scheme: &'a Scheme,
    pub calendar: &'a WorkCalendar,
    pub service_year: ServiceYear,
}

impl Year<'_> {
    /// One vendor's year from its facts and monthly totals. A metered
    /// contract's settlement is its metered amount, pending until the year's
    /// metering is closed (spec §6); any other, the contract's.
    pub fn assess(
        &self,
        facts: &VendorFacts,
        monthly: &[(Month, Decimal)],
        base: domain::metering::SettlementBase,
        contract: Option<&entities::contract::Model>,
    ) -> Result<AnnualResult, EngineError> {
        let settlement = base.amount(contract.map(|c| c.settlement_amount.round_dp(2)));
        let mut result = engine::assess_year(
            self.scheme,
            self.calendar,
            facts,
            self.service_year,
            monthly,
            settlement,
        )?;
        if base == domain::metering::SettlementBase::Pending {
            result.warnings.retain(|w| !w.starts_with("未提供结算金额"));
            result
                .warnings
                .push(domain::metering::PENDING_WARNING.to_owned());
        }
        Ok(result)
    }
}

/// The latest published monthly total of each month of the service year in
/// which the vendor is in service (today: every month of a contracted year),
/// for a blending scheme; empty for a scheme that does not blend. The annual
/// run and the annual preview both blend these, so they agree.
pub async fn published_monthly_totals(
    conn: &impl ConnectionTrait,
    subject: &Subject,
    start_year: i32,
) -> JobResult<Vec<(Month, Decimal)>> {
    let (service_year, contract) = service_year(conn, subject, start_year).await?;
    if subject.scheme.blend.is_none() || contract.is_none() {
        return Ok(Vec::new());
    }
    let mut totals =
        blend::published_totals(conn, subject.region.id, &[subject.vendor_id], service_year)
            .await?;
    Ok(totals.remove(&subject.vendor_id).unwrap_or_default())
}

/// The preview of a service year, blending the published monthly results as
/// the annual run does (the result names the months without one). A vendor
/// without a contract for the year is not assessed in it: an error says so.
pub async fn year(
    conn: &impl ConnectionTrait,
    subject: &Subject,
    start_year: i32,
) -> JobResult<AnnualResult> {
    let (_, contract) = service_year(conn, subject, start_year).await?;
    if contract.is_none() {
        return Err(JobError::bad(
            "vendorId",
            format!(
                "该云服务商在{}没有服务年度 {start_year} 的合同，不参加该年度考核",
                subject.region.name
            ),
        ));
    }
    let monthly = published_monthly_totals(conn, subject, start_year).await?;
    year_with(conn, subject, start_year, &monthly).await
}

/// A preview of a period that has not ended at `now` is provisional: facts may
/// still come in.
pub fn provisional(period: Period, now: DateTime<Utc>) -> bool {
    period.end() > now
}
