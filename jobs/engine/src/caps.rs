//! Shanghai's service-period caps (封顶价, seed 003 §1.1 item 6): the municipal
//! purchaser pays for a capped catalogue item at most the cap per service
//! period; the vendor provides what is used beyond it free of charge
//! (中标人应免费提供超出部分的服务…采购人不再承担超出封顶价的其他费用).
//!
//! - The service period: 自合同签订后每自然年为一个服务周期, a year from the
//!   contract's signing, here a [`ServiceYear`] starting in the month of signing.
//! - Proration: 若单个服务项的服务周期在单个服务周期内不满一年，按照比例折算.
//!   Decision: the seed names no unit for the proportion; usage is metered by
//!   the month, so the cap is prorated by the months the item was in service
//!   (months in which it was metered) over the period's 12 months, and the
//!   prorated cap is rounded half-up to the fen.
//! - Districts contract separately at the same prices and have no cap (seed 003
//!   §1.1 item 7): their caps are `None` and they pay what is metered.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::metering::MeteredLine;
use crate::period::{Month, ServiceYear};
use crate::quotas::refuse_negative;
use crate::rounding::round_half_up_2dp;

/// The months of a service period.
pub const PERIOD_MONTHS: u32 = 12;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CapError {
    #[error("{field}: {value} is negative")]
    Negative { field: String, value: Decimal },

    #[error(
        "months_in_service: {months} is more than the {period_months} months of the service period"
    )]
    MonthsBeyondPeriod { months: u32, period_months: u32 },

    #[error("period_months: a service period has 1 month or more")]
    NoPeriodMonths,

    #[error("caps[{index}].item: {item} already has a cap (caps[{first_index}])")]
    DuplicateCap {
        index: usize,
        first_index: usize,
        item: String,
    },

    #[error(
        "lines[{index}].vendor_id: {vendor_id} is not {first_vendor_id}, the vendor of lines[0]; a cap is a term of one vendor's contract"
    )]
    MixedVendors {
        index: usize,
        vendor_id: i64,
        first_vendor_id: i64,
    },

    #[error("lines[{index}].month: {month} is outside the service period {period}")]
    OutsidePeriod {
        index: usize,
        month: Month,
        period: ServiceYear,
    },
}

/// A capped catalogue item: the most the purchaser pays for it in a full
/// service period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cap {
    pub item: String,
    pub amount: Decimal,
}

/// `cap` prorated to an item in service `months_in_service` of the period's
/// `period_months`: cap × months in service / months of the period, half-up to
/// the fen.
pub fn prorated_cap(
    cap: Decimal,
    months_in_service: u32,
    period_months: u32,
) -> Result<Decimal, CapError> {
    not_negative("cap".to_owned(), cap)?;
    if period_months == 0 {
        return Err(CapError::NoPeriodMonths);
    }
    if months_in_service > period_months {
        return Err(CapError::MonthsBeyondPeriod {
            months: months_in_service,
            period_months,
        });
    }
    Ok(round_half_up_2dp(
        cap * Decimal::from(months_in_service) / Decimal::from(period_months),
    ))
}

/// What the purchaser pays for one item over a service period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CappedItem {
    pub item: String,
    /// The sum of the item's metered lines.
    pub metered: Decimal,
    pub months_in_service: u32,
    /// The cap prorated to the months in service; `None`: the item has no cap.
    pub cap: Option<Decimal>,
    /// min(metered, cap).
    pub payable: Decimal,
    /// metered − payable: provided free beyond the cap.
    pub free_beyond_cap: Decimal,
}

/// One item's bill against its (full-period) cap, if any.
pub fn cap_item(
    item: &str,
    metered: Decimal,
    full_cap: Option<Decimal>,
    months_in_service: u32,
    period_months: u32,
) -> Result<CappedItem, CapError> {
    not_negative(format!("{item}.metered"), metered)?;
    let cap = full_cap
        .map(|cap| prorated_cap(cap, months_in_service, period_months))
        .transpose()?;
    let payable = cap.map_or(metered, |cap| metered.min(cap));
    Ok(CappedItem {
        item: item.to_owned(),
        metered,
        months_in_service,
        cap,
        payable,
        free_beyond_cap: metered - payable,
    })
}

/// The purchaser's bill over a service period, item by item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurchaserBill {
    pub period: ServiceYear,
    pub items: Vec<CappedItem>,
    pub metered: Decimal,
    pub payable: Decimal,
    pub free_beyond_cap: Decimal,
}

/// The purchaser's bill from the period's metered lines and its caps (`None`
/// for a district: no cap). Every line must lie in the period and be of one
/// vendor, since a cap applies to one period's use under one vendor's contract.
pub fn purchaser_bill(
    period: ServiceYear,
    lines: &[MeteredLine],
    caps: Option<&[Cap]>,
) -> Result<PurchaserBill, CapError> {
    let caps = cap_map(caps.unwrap_or_default())?;
    let mut metered: BTreeMap<&str, (Decimal, BTreeSet<Month>)> = BTreeMap::new();
    let first_vendor_id = lines.first().map(|line| line.record.vendor_id);
    for (index, line) in lines.iter().enumerate() {
        if let Some(first_vendor_id) = first_vendor_id.filter(|&v| v != line.record.vendor_id) {
            return Err(CapError::MixedVendors {
                index,
                vendor_id: line.record.vendor_id,
                first_vendor_id,
            });
        }
        if !period.contains_month(line.record.month) {
            return Err(CapError::OutsidePeriod {
                index,
                month: line.record.month,
                period,
            });
        }
        let (amount, months) = metered.entry(line.record.item.as_str()).or_default();
        *amount += line.amount;
        if line.metered_quantity > Decimal::ZERO {
            months.insert(line.record.month);
        }
    }
    let items = metered
        .into_iter()
        .map(|(item, (amount, months))| {
            let in_service = u32::try_from(months.len()).unwrap_or(u32::MAX);
            cap_item(
                item,
                amount,
                caps.get(item).copied(),
                in_service,
                PERIOD_MONTHS,
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(PurchaserBill {
        period,
        metered: items.iter().map(|i| i.metered).sum(),
        payable: items.iter().map(|i| i.payable).sum(),
        free_beyond_cap: items.iter().map(|i| i.free_beyond_cap).sum(),
        items,
    })
}

/// The caps by item, refusing an item capped twice.
fn cap_map(caps: &[Cap]) -> Result<BTreeMap<&str, Decimal>, CapError> {
    let mut map = BTreeMap::new();
    for (index, cap) in caps.iter().enumerate() {
        not_negative(format!("caps[{index}].amount"), cap.amount)?;
        if let Some(first_index) = caps[..index].iter().position(|c| c.item == cap.item) {
            return Err(CapError::DuplicateCap {
                index,
                first_index,
                item: cap.item.clone(),
            });
        }
        map.insert(cap.item.as_str(), cap.amount);
    }
    Ok(map)
}

fn not_negative(field: String, value: Decimal) -> Result<(), CapError> {
    refuse_negative(value, |value| CapError::Negative { field, value })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    use super::*;
    use crate::metering::fixtures::{DISK, VCPU, prices, usage};
    use crate::metering::meter_year;
    use crate::testing::month;

    /// A contract signed in January 2025: its first service period is 2025.
    fn period() -> ServiceYear {
        ServiceYear::new(1, 2025).expect("valid")
    }

    /// 200 GB × 20.00 every month of 2025 (48,000.00), and 100 vCPU × 30.00
    /// July–December only (6 months in service, 18,000.00).
    fn lines() -> Vec<MeteredLine> {
        let records: Vec<_> = (1..=12)
            .map(|m| usage(1, DISK, month(2025, m), dec!(200)))
            .chain((7..=12).map(|m| usage(1, VCPU, month(2025, m), dec!(100))))
            .collect();
        meter_year(period(), &records, &prices())
            .expect("valid")
            .lines
    }

    /// The bill of [`lines`] with one item capped.
    fn bill_with(item: &str, amount: Decimal) -> PurchaserBill {
        let caps = [cap(item, amount)];
        purchaser_bill(period(), &lines(), Some(&caps)).expect("valid")
    }

    fn cap(item: &str, amount: Decimal) -> Cap {
        Cap {
            item: item.into(),
            amount,
        }
    }

    fn item<'a>(bill: &'a PurchaserBill, name: &str) -> &'a CappedItem {
        bill.items
            .iter()
            .find(|i| i.item == name)
            .expect("item billed")
    }

    #[test]
    fn a_full_year_cap_binds_beyond_it() {
        // 200 × 20.00 × 12 = 48,000.00 metered, cap 40,000.00 over 12 of 12
        // months: 40,000.00 payable, 8,000.00 free.
        let bill = bill_with(DISK, dec!(40000));
        let disk = item(&bill, DISK);
        assert_eq!(disk.months_in_service, 12);
        assert_eq!(disk.cap, Some(dec!(40000.00)));
        assert_eq!(disk.payable, dec!(40000.00));
        assert_eq!(disk.free_beyond_cap, dec!(8000.00));
    }

    #[test]
    fn a_cap_not_reached_does_not_bind() {
        // 48,000.00 metered under a cap of 50,000.00: 48,000.00 payable, 0 free.
        let bill = bill_with(DISK, dec!(50000));
        let disk = item(&bill, DISK);
        assert_eq!(
            (disk.payable, disk.free_beyond_cap),
            (dec!(48000.00), dec!(0))
        );
    }

    #[test]
    fn the_cap_of_a_half_year_in_service_is_prorated() {
        // vCPU in service July–December: 100 × 30.00 × 6 = 18,000.00 metered;
        // cap 30,000.00 × 6 / 12 = 15,000.00: 15,000.00 payable, 3,000.00 free
        // (unprorated, the cap would not have bound).
        let bill = bill_with(VCPU, dec!(30000));
        let vcpu = item(&bill, VCPU);
        assert_eq!(vcpu.months_in_service, 6);
        assert_eq!(vcpu.cap, Some(dec!(15000.00)));
        assert_eq!(vcpu.payable, dec!(15000.00));
        assert_eq!(vcpu.free_beyond_cap, dec!(3000.00));
        // The uncapped disk is paid as metered: 15,000.00 + 48,000.00 = 63,000.00
        // of 66,000.00 metered.
        assert_eq!(bill.payable, dec!(63000.00));
        assert_eq!(bill.metered, dec!(66000.00));
        assert_eq!(bill.free_beyond_cap, dec!(3000.00));
    }

    #[test]
    fn a_district_has_no_cap() {
        // No caps: 48,000.00 + 18,000.00 = 66,000.00, all payable.
        let bill = purchaser_bill(period(), &lines(), None).expect("valid");
        assert_eq!(bill.payable, dec!(66000.00));
        assert!(bill.items.iter().all(|i| i.cap.is_none()));
    }

    #[test]
    fn a_prorated_cap_is_rounded_half_up_to_the_fen() {
        // 10,000.00 × 5 / 12 = 4,166.666… → 4,166.67; 100.01 × 6 / 12 = 50.005
        // → 50.01.
        assert_eq!(prorated_cap(dec!(10000), 5, 12), Ok(dec!(4166.67)));
        assert_eq!(prorated_cap(dec!(100.01), 6, 12), Ok(dec!(50.01)));
    }

    #[test]
    fn months_in_service_beyond_the_period_are_refused() {
        assert_eq!(
            prorated_cap(dec!(1), 13, 12).map_err(|e| e.to_string()),
            Err("months_in_service: 13 is more than the 12 months of the service period".into())
        );
        assert_eq!(prorated_cap(dec!(1), 0, 0), Err(CapError::NoPeriodMonths));
    }

    #[test]
    fn an_item_capped_twice_is_refused() {
        let caps = [cap(DISK, dec!(1)), cap(VCPU, dec!(1)), cap(DISK, dec!(2))];
        assert!(matches!(
            purchaser_bill(period(), &lines(), Some(&caps)),
            Err(CapError::DuplicateCap {
                index: 2,
                first_index: 0,
                ..
            })
        ));
    }

    #[test]
    fn a_line_outside_the_period_is_refused() {
        // The lines are of 2025; the period starting July 2025 ends June 2026 and
        // does not contain January 2025 (lines[0]).
        let later = ServiceYear::new(7, 2025).expect("valid");
        assert_eq!(
            purchaser_bill(later, &lines(), None).map_err(|e| e.to_string()),
            Err("lines[0].month: 2025-01 is outside the service period 2025-07..2026-06".into())
        );
    }

    #[test]
    fn lines_of_two_vendors_are_refused() {
        // lines() are all vendor 100's; one more of vendor 101 cannot share its caps.
        let mut lines = lines();
        let mut other = lines[0].clone();
        other.record.vendor_id = 101;
        lines.push(other);
        let index = lines.len() - 1;
        assert_eq!(
            purchaser_bill(period(), &lines, None),
            Err(CapError::MixedVendors {
                index,
                vendor_id: 101,
                first_vendor_id: 100
            })
        );
    }

    proptest! {
        #[test]
        fn the_purchaser_never_pays_beyond_the_cap_or_the_metering(
            metered in 0i64..100_000_000,
            cap in 0i64..100_000_000,
            months in 0u32..=12,
        ) {
            let metered = Decimal::new(metered, 2);
            let item = cap_item("x", metered, Some(Decimal::new(cap, 2)), months, 12)
                .expect("valid");
            let prorated = item.cap.expect("capped");
            prop_assert!(item.payable <= metered && item.payable <= prorated);
            prop_assert_eq!(item.payable + item.free_beyond_cap, metered);
            prop_assert!(item.payable == metered || item.payable == prorated);
        }
    }
}
