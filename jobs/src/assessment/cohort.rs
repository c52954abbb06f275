//! A run's assessments: every contracted vendor of a region for one month or
//! one service year, read a few vendors at a time with one statement per fact
//! kind the scorecard reads (not per vendor and kind), scored by the engine
//! exactly as a preview scores one vendor.
//!
//! Memory: a batch holds [`VENDORS_PER_BATCH`] vendors' facts of the period;
//! they are dropped once scored, so a region's run never holds all of its
//! vendors' facts at once (only their scorecards, until it stores them).

use std::collections::HashMap;

use engine::calendar::WorkCalendar;
use engine::scheme::{Scheme, ScorecardKind};
use engine::{AnnualResult, Month, Period, ScoreCard, ServiceYear};
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DatabaseConnection};

use super::{Year, blend, facts, region_window, scheme_error};
use crate::error::{JobError, JobResult};
use domain::metering::SettlementBase;

/// How many vendors' facts a run reads at once: few statements (a district
/// has 4 to 8 vendors, the municipality 12) and a bounded batch.
pub const VENDORS_PER_BATCH: usize = 4;

/// One vendor's assessment in a run, and how many fact rows it read.
pub struct Assessed<T> {
    pub vendor_id: i64,
    pub result: T,
    pub rows_read: u64,
}

/// The region's month: what its vendors' monthly scorecards share.
pub struct MonthRun<'a> {
    pub region_id: i64,
    pub scheme: &'a Scheme,
    pub calendar: &'a WorkCalendar,
    pub month: Month,
}

impl MonthRun<'_> {
    /// The monthly scorecard of each of `vendors` (a batch), in their order,
    /// from facts read on two of the pool's connections at once.
    pub async fn assess(
        &self,
        db: &DatabaseConnection,
        vendors: &[i64],
    ) -> JobResult<Vec<Assessed<ScoreCard>>> {
        let survey_year = ServiceYear::containing(self.scheme.service_year_first_month, self.month)
            .map_err(|e| JobError::bad("period", e.to_string()))?
            .first_month()
            .year();
        let window = region_window(self.region_id, 0, Period::Month(self.month), survey_year);
        let kinds = self.scheme.fact_kinds(ScorecardKind::Monthly);
        let mut loaded = facts::load_vendors_split(db, &window, vendors, &kinds).await?;
        vendors
            .iter()
            .map(|&vendor_id| {
                let facts = loaded.remove(&vendor_id).unwrap_or_default();
                let card = engine::assess_month(self.scheme, self.calendar, &facts, self.month)
                    .map_err(|e| scheme_error("period", self.scheme, e))?;
                Ok(Assessed {
                    vendor_id,
                    result: card,
                    rows_read: facts::row_count(&facts),
                })
            })
            .collect()
    }
}

/// The region's service year: what its vendors' years share, read once for
/// all of them (their contracts, settlement bases and published months).
pub struct YearRun<'a> {
    pub region: &'a entities::region::Model,
    pub year: Year<'a>,
    pub start_year: i32,
    contracts: HashMap<i64, entities::contract::Model>,
    bases: HashMap<i64, SettlementBase>,
    monthly: HashMap<i64, Vec<(Month, Decimal)>>,
}

impl<'a> YearRun<'a> {
    /// Reads what every vendor's year needs besides its facts, in a few
    /// statements: the monthly totals only for a scheme that blends them.
    pub async fn prepare(
        conn: &impl ConnectionTrait,
        region: &'a entities::region::Model,
        year: Year<'a>,
        start_year: i32,
        contracts: Vec<entities::contract::Model>,
    ) -> JobResult<YearRun<'a>> {
        let vendors: Vec<i64> = contracts.iter().map(|c| c.vendor_id).collect();
        let bases = domain::metering::settlement_bases(conn, region, &vendors, start_year).await?;
        let monthly = if year.scheme.blend.is_some() {
            blend::published_totals(conn, region.id, &vendors, year.service_year).await?
        } else {
            HashMap::new()
        };
        Ok(YearRun {
            region,
            year,
            start_year,
            contracts: contracts.into_iter().map(|c| (c.vendor_id, c)).collect(),
            bases,
            monthly,
        })
    }

    /// The annual result of each of `vendors` (a batch), in their order.
    pub async fn assess(
        &self,
        conn: &impl ConnectionTrait,
        vendors: &[i64],
    ) -> JobResult<Vec<Assessed<AnnualResult>>> {
        let window = region_window(
            self.region.id,
            0,
            Period::ServiceYear(self.year.service_year),
            self.start_year,
        );
        let kinds = self.year.scheme.fact_kinds(ScorecardKind::Annual);
        let mut loaded = facts::load_vendors(conn, &window, vendors, &kinds).await?;
        vendors
            .iter()
            .map(|&vendor_id| {
                let facts = loaded.remove(&vendor_id).unwrap_or_default();
                let monthly = self.monthly.get(&vendor_id).map_or(&[][..], Vec::as_slice);
                let base = self
                    .bases
                    .get(&vendor_id)
                    .copied()
                    .unwrap_or(SettlementBase::Contract);
                let result = self
                    .year
                    .assess(&facts, monthly, base, self.contracts.get(&vendor_id))
                    .map_err(|e| scheme_error("serviceYear", self.year.scheme, e))?;
                Ok(Assessed {
                    vendor_id,
                    result,
                    rows_read: facts::row_count(&facts),
                })
            })
            .collect()
    }
}
