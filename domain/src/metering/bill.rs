//! A region's metered bill for a service year, computed from the stored usage,
//! quotas, catalogue prices and caps, and narrowed to what the reader may see.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use engine::caps::{Cap, CappedItem, purchaser_bill};
use engine::metering::{MeteredLine, MeteringState, PriceList, UnitPrice, UsageRecord, meter_year};
use engine::quotas::FreePeriod;
use engine::{Month, ServiceYear};
use entities::quota::QuotaStatus;
use entities::quota_change::{QuotaChangeKind, QuotaChangeStatus};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{Reach, month_keys, parse_month};
use crate::error::{DomainError, DomainResult};

/// One priced line: a system's use of an item in a month.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub system_id: i64,
    pub system_name: String,
    pub vendor_id: i64,
    pub vendor_name: String,
    pub agency_id: i64,
    pub agency_name: String,
    pub item_id: i64,
    pub item_code: String,
    pub item_name: String,
    pub unit: String,
    pub month: String,
    pub quantity: Decimal,
    /// 0 in a free test month.
    pub metered_quantity: Decimal,
    pub unit_price: Decimal,
    pub amount: Decimal,
    /// Why the line is not plain quantity × price, in Chinese.
    pub flags: Vec<String>,
}

/// A sum of lines by one key (agency, system, item).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Total {
    pub id: i64,
    pub name: String,
    pub amount: Decimal,
}

/// A vendor's bill: metered, and payable after the purchaser's caps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VendorTotal {
    pub vendor_id: i64,
    pub name: String,
    pub metered: Decimal,
    /// What the purchaser pays: the metered amount, each capped item at most
    /// its (prorated) cap; the vendor's settlement amount.
    pub payable: Decimal,
    pub free_beyond_cap: Decimal,
    /// The items with a cap, as billed against it.
    pub capped: Vec<CappedItem>,
    /// The amount fixed by the close, once closed.
    pub fixed: Option<Decimal>,
}

/// The bill of a region's service year as one reader sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bill {
    pub region: entities::region::Model,
    pub start_year: i32,
    pub year: ServiceYear,
    pub state: MeteringState,
    pub closed_at: Option<DateTime<Utc>>,
    pub lines: Vec<Line>,
    pub vendors: Vec<VendorTotal>,
    pub agencies: Vec<Total>,
    pub systems: Vec<Total>,
    pub items: Vec<Total>,
    /// The visible lines' sum.
    pub metered: Decimal,
    /// What the purchaser pays for the visible vendors (for an agency: its
    /// metered amount, caps being the municipal purchaser's as a whole).
    pub payable: Decimal,
    /// Whether the region's purchaser has caps for the year (a district: no).
    pub capped: bool,
}

/// The stored facts the bill is computed from.
struct Loaded {
    usage: Vec<entities::usage_record::Model>,
    items: HashMap<i64, entities::catalogue_item::Model>,
    systems: HashMap<i64, String>,
    vendors: HashMap<i64, String>,
    agencies: HashMap<i64, String>,
    quotas: Vec<entities::quota::Model>,
    expansions: Vec<entities::quota_change::Model>,
    prices: Vec<entities::catalogue_price::Model>,
    caps: Vec<entities::purchaser_cap::Model>,
}

/// The bill of `region`'s year starting in `start_year`, narrowed to `reach`.
/// Computed in full first (a vendor's caps and amounts do not depend on who
/// reads them), then narrowed.
pub async fn bill(
    conn: &impl ConnectionTrait,
    region: entities::region::Model,
    start_year: i32,
    reach: Reach,
) -> DomainResult<Bill> {
    let full = full_bill(conn, region, start_year).await?;
    Ok(narrow(full, reach))
}

/// The whole region's bill, as the close fixes it.
pub async fn full_bill(
    conn: &impl ConnectionTrait,
    region: entities::region::Model,
    start_year: i32,
) -> DomainResult<Bill> {
    let year = super::service_year(&region, start_year)?;
    let loaded = load(conn, region.id, year, start_year).await?;
    let close = super::closed(conn, region.id, start_year).await?;
    let fixed = fixed_amounts(conn, region.id, start_year).await?;
    let mut lines = Vec::new();
    let mut vendors = Vec::new();
    let caps = caps_of(&loaded);
    for (vendor_id, records) in records_by_vendor(&loaded, year)? {
        let prices = price_list(&loaded, vendor_id, &records)?;
        let metering = meter_year(year, &records, &prices)
            .map_err(|e| DomainError::bad("serviceYear", e.to_string()))?;
        let capped = purchaser_bill(year, &metering.lines, caps.as_deref())
            .map_err(|e| DomainError::bad("serviceYear", e.to_string()))?;
        vendors.push(VendorTotal {
            vendor_id,
            name: name(&loaded.vendors, vendor_id),
            metered: capped.metered,
            payable: capped.payable,
            free_beyond_cap: capped.free_beyond_cap,
            capped: capped
                .items
                .into_iter()
                .filter(|i| i.cap.is_some())
                .collect(),
            fixed: fixed.get(&vendor_id).copied(),
        });
        lines.extend(metering.lines.iter().map(|l| line(&loaded, l)));
    }
    let state = if close.is_some() {
        MeteringState::Closed
    } else {
        MeteringState::Open
    };
    Ok(summed(Bill {
        region,
        start_year,
        year,
        state,
        closed_at: close.map(|c| c.closed_at),
        lines,
        vendors,
        agencies: Vec::new(),
        systems: Vec::new(),
        items: Vec::new(),
        metered: Decimal::ZERO,
        payable: Decimal::ZERO,
        capped: caps.is_some(),
    }))
}

/// Only what the reader may see: a vendor its own lines and totals, an
/// agency its own systems' lines and no vendor's totals (those span agencies).
fn narrow(mut bill: Bill, reach: Reach) -> Bill {
    match reach {
        Reach::All => return bill,
        Reach::Vendor(vendor_id) => {
            bill.lines.retain(|l| l.vendor_id == vendor_id);
            bill.vendors.retain(|v| v.vendor_id == vendor_id);
        }
        Reach::Agency(agency_id) => {
            bill.lines.retain(|l| l.agency_id == agency_id);
            bill.vendors.clear();
        }
    }
    summed(bill)
}

/// Fills the per-agency, per-system and per-item sums and the totals from the
/// lines and vendors the bill holds.
fn summed(mut bill: Bill) -> Bill {
    let sum_by = |key: fn(&Line) -> (i64, String)| -> Vec<Total> {
        let mut totals: BTreeMap<i64, Total> = BTreeMap::new();
        for l in &bill.lines {
            let (id, name) = key(l);
            totals
                .entry(id)
                .or_insert(Total {
                    id,
                    name,
                    amount: Decimal::ZERO,
                })
                .amount += l.amount;
        }
        totals.into_values().collect()
    };
    bill.agencies = sum_by(|l| (l.agency_id, l.agency_name.clone()));
    bill.systems = sum_by(|l| (l.system_id, l.system_name.clone()));
    bill.items = sum_by(|l| (l.item_id, format!("{} {}", l.item_code, l.item_name)));
    bill.metered = bill.lines.iter().map(|l| l.amount).sum();
    bill.payable = if bill.vendors.is_empty() {
        bill.metered
    } else {
        bill.vendors.iter().map(|v| v.payable).sum()
    };
    bill
}

fn name(names: &HashMap<i64, String>, id: i64) -> String {
    names.get(&id).cloned().unwrap_or_else(|| format!("#{id}"))
}

fn line(loaded: &Loaded, l: &MeteredLine) -> Line {
    let r = &l.record;
    let item = loaded.items.values().find(|i| i.code == r.item).cloned();
    let (item_id, item_name, unit) = item.map(|i| (i.id, i.name, i.unit)).unwrap_or_default();
    Line {
        system_id: r.system_id,
        system_name: name(&loaded.systems, r.system_id),
        vendor_id: r.vendor_id,
        vendor_name: name(&loaded.vendors, r.vendor_id),
        agency_id: r.agency_id,
        agency_name: name(&loaded.agencies, r.agency_id),
        item_id,
        item_code: r.item.clone(),
        item_name,
        unit,
        month: r.month.to_string(),
        quantity: r.quantity,
        metered_quantity: l.metered_quantity,
        unit_price: l.unit_price,
        amount: l.amount,
        flags: l.flags.iter().map(|f| f.text()).collect(),
    }
}

async fn load(
    conn: &impl ConnectionTrait,
    region_id: i64,
    year: ServiceYear,
    start_year: i32,
) -> DomainResult<Loaded> {
    use entities::usage_record::Column as U;
    let usage = entities::usage_record::Entity::find()
        .filter(U::RegionId.eq(region_id))
        .filter(U::Month.is_in(month_keys(year)))
        .order_by_asc(U::SystemId)
        .order_by_asc(U::ItemId)
        .order_by_asc(U::Month)
        .all(conn)
        .await?;
    let ids = |f: fn(&entities::usage_record::Model) -> i64| -> Vec<i64> {
        let mut v: Vec<i64> = usage.iter().map(f).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let (item_ids, system_ids) = (ids(|u| u.item_id), ids(|u| u.system_id));
    let (vendor_ids, agency_ids) = (ids(|u| u.vendor_id), ids(|u| u.agency_id));
    let items = entities::catalogue_item::Entity::find()
        .filter(entities::catalogue_item::Column::Id.is_in(item_ids.clone()))
        .all(conn)
        .await?
        .into_iter()
        .map(|i| (i.id, i))
        .collect();
    let systems = entities::information_system::Entity::find()
        .filter(entities::information_system::Column::Id.is_in(system_ids.clone()))
        .all(conn)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let vendors = entities::vendor::Entity::find()
        .filter(entities::vendor::Column::Id.is_in(vendor_ids.clone()))
        .all(conn)
        .await?
        .into_iter()
        .map(|v| (v.id, v.name))
        .collect();
    let agencies = entities::agency::Entity::find()
        .filter(entities::agency::Column::Id.is_in(agency_ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect();
    use entities::quota::Column as Q;
    let quotas = entities::quota::Entity::find()
        .filter(Q::SystemId.is_in(system_ids))
        .filter(Q::Status.is_in([QuotaStatus::Approved, QuotaStatus::Delivered]))
        .order_by_asc(Q::Id)
        .all(conn)
        .await?;
    use entities::quota_change::Column as C;
    let expansions = entities::quota_change::Entity::find()
        .filter(C::QuotaId.is_in(quotas.iter().map(|q| q.id).collect::<Vec<_>>()))
        .filter(C::Kind.eq(QuotaChangeKind::Expand))
        .filter(C::Status.eq(QuotaChangeStatus::Approved))
        .all(conn)
        .await?;
    use entities::catalogue_price::Column as P;
    let prices = entities::catalogue_price::Entity::find()
        .filter(P::VendorId.is_in(vendor_ids))
        .filter(P::ItemId.is_in(item_ids))
        .all(conn)
        .await?;
    use entities::purchaser_cap::Column as K;
    let caps = entities::purchaser_cap::Entity::find()
        .filter(K::RegionId.eq(region_id))
        .filter(K::ServiceYear.eq(start_year))
        .order_by_asc(K::ItemId)
        .all(conn)
        .await?;
    Ok(Loaded {
        usage,
        items,
        systems,
        vendors,
        agencies,
        quotas,
        expansions,
        prices,
        caps,
    })
}

/// The region's caps for the year, by item code; `None` for a purchaser
/// without caps (a district).
fn caps_of(loaded: &Loaded) -> Option<Vec<Cap>> {
    if loaded.caps.is_empty() {
        return None;
    }
    Some(
        loaded
            .caps
            .iter()
            .filter_map(|c| {
                loaded.items.get(&c.item_id).map(|i| Cap {
                    item: i.code.clone(),
                    amount: c.amount,
                })
            })
            .collect(),
    )
}

/// The engine's records, per vendor (each vendor has its own prices).
fn records_by_vendor(
    loaded: &Loaded,
    year: ServiceYear,
) -> DomainResult<BTreeMap<i64, Vec<UsageRecord>>> {
    let mut by_vendor: BTreeMap<i64, Vec<UsageRecord>> = BTreeMap::new();
    for u in &loaded.usage {
        let month = parse_month(&u.month)?;
        let item = loaded.items.get(&u.item_id).ok_or_else(|| {
            DomainError::Internal(format!("usage {}: no catalogue item {}", u.id, u.item_id).into())
        })?;
        let (approved, test) = approval(loaded, u.system_id, u.item_id, month)?;
        debug_assert!(year.contains_month(month));
        by_vendor.entry(u.vendor_id).or_default().push(UsageRecord {
            system_id: u.system_id,
            vendor_id: u.vendor_id,
            agency_id: u.agency_id,
            item: item.code.clone(),
            month,
            quantity: u.quantity,
            approved,
            test,
        });
    }
    Ok(by_vendor)
}

/// What was approved for a system's item in `month` — its approved quotas
/// (formal and test) plus the expansions approved by that month — and the
/// test period the month's use falls under.
///
/// Decision: usage of an item is test usage when the item has a test quota
/// and the month is in its free period, or when the item has no formal quota
/// (a test that ran on past its free period, flagged by the engine). The free
/// period starts with the month of delivery, else of the agreement, else of
/// the approval (engine::quotas::FreePeriod: from the month delivered).
fn approval(
    loaded: &Loaded,
    system_id: i64,
    item_id: i64,
    month: Month,
) -> DomainResult<(Option<Decimal>, Option<FreePeriod>)> {
    let quotas: Vec<_> = loaded
        .quotas
        .iter()
        .filter(|q| q.system_id == system_id && q.item_id == item_id)
        .collect();
    if quotas.is_empty() {
        return Ok((None, None));
    }
    let expanded: Decimal = loaded
        .expansions
        .iter()
        .filter(|c| quotas.iter().any(|q| q.id == c.quota_id))
        .filter(|c| c.decided_at.is_none_or(|at| Month::of(at) <= month))
        .map(|c| c.quantity)
        .sum();
    let approved = quotas.iter().map(|q| q.quantity).sum::<Decimal>() + expanded;
    let formal = quotas.iter().any(|q| !q.is_test);
    let test = quotas
        .iter()
        .filter(|q| q.is_test)
        .map(|q| free_period(q))
        .collect::<DomainResult<Vec<_>>>()?
        .into_iter()
        .flatten()
        .find(|p| p.contains(month) || !formal);
    Ok((Some(approved), test))
}

fn free_period(q: &entities::quota::Model) -> DomainResult<Option<FreePeriod>> {
    let start: Option<NaiveDate> = q
        .delivered_on
        .or(q.agreement_on)
        .or(q.approved_at.map(|at| at.date_naive()));
    let (Some(start), Some(months)) = (start, q.test_months) else {
        return Ok(None);
    };
    let first = Month::new(start.year(), start.month())
        .map_err(|e| DomainError::Internal(format!("quota {}: {e}", q.id).into()))?;
    let months = u32::try_from(months).unwrap_or(0);
    FreePeriod::new(first, months)
        .map(Some)
        .map_err(|e| DomainError::Internal(format!("quota {}: {e}", q.id).into()))
}

/// The vendor's catalogue price of each item in force on the first day of each
/// month it was used; a month without one refuses the bill, naming it (a bill
/// missing a line would be wrong).
fn price_list(loaded: &Loaded, vendor_id: i64, records: &[UsageRecord]) -> DomainResult<PriceList> {
    let mut prices = Vec::new();
    for r in records {
        let item = loaded.items.values().find(|i| i.code == r.item);
        let Some(item) = item else { continue };
        let first_day = NaiveDate::from_ymd_opt(r.month.year(), r.month.month(), 1)
            .ok_or_else(|| DomainError::Internal(format!("month {}", r.month).into()))?;
        let price = loaded
            .prices
            .iter()
            .find(|p| {
                p.vendor_id == vendor_id
                    && p.item_id == item.id
                    && p.valid_from <= first_day
                    && p.valid_to >= first_day
            })
            .ok_or_else(|| {
                DomainError::bad(
                    "serviceYear",
                    format!(
                        "{} 没有服务项目 {} {} 在 {} 有效的目录单价，无法计量",
                        name(&loaded.vendors, vendor_id),
                        item.code,
                        item.name,
                        r.month
                    ),
                )
            })?;
        prices.push(UnitPrice {
            item: item.code.clone(),
            from: r.month,
            price: price.unit_price,
        });
    }
    Ok(PriceList { prices })
}

/// The amounts a close fixed, by vendor.
async fn fixed_amounts(
    conn: &impl ConnectionTrait,
    region_id: i64,
    start_year: i32,
) -> DomainResult<HashMap<i64, Decimal>> {
    use entities::metered_amount::Column as A;
    Ok(entities::metered_amount::Entity::find()
        .filter(A::RegionId.eq(region_id))
        .filter(A::ServiceYear.eq(start_year))
        .all(conn)
        .await?
        .into_iter()
        .map(|a| (a.vendor_id, a.amount))
        .collect())
}
