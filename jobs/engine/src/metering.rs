//! Songjiang's metered settlement (seed 004 §6, §8; spec §6): monthly usage per
//! system and catalogue item, priced at the municipal catalogue's unit price in
//! force that month (计费单价参照市政务云服务目录单价), summed over the service year
//! 1 July – 30 June (按照上一年7月1日至当年度6月30日为一个服务年度开展资源计量计费工作)
//! per system, vendor and agency (先用后付、按实结算).
//!
//! - Test resources within their free period are not metered (测试期限为 1~3 个月
//!   且不纳入计量范围, §5(二)): their line shows the quantity at 0.00.
//! - Usage beyond what was approved (quota plus expansions) is metered as used
//!   and flagged, not refused: the bill states what was used, the flag is for the
//!   supervisor to follow up.
//!
//! Decision (rounding): the seeds say only 按照对应的服务单价进行结算 (seed 004
//! 附件3 第五条) and nothing of rounding. Each line (one system, item and month)
//! is rounded half-up to the fen, because the bill shows its lines and its total
//! must be the sum of the lines it shows; every total is then a plain sum, exact.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::period::{Month, ServiceYear};
use crate::quotas::{FreePeriod, refuse_negative};
use crate::rounding::round_half_up_2dp;

/// Songjiang's service year starts in July (1 July – 30 June).
pub const SONGJIANG_FIRST_MONTH: u32 = 7;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MeteringError {
    #[error("{field}: {value} is negative")]
    Negative { field: String, value: Decimal },

    #[error("records[{index}].month: {month} is outside the service year {year}")]
    OutsideYear {
        index: usize,
        month: Month,
        year: ServiceYear,
    },

    #[error(
        "records[{index}]: system {system_id}, {item}, {month} is already records[{first_index}]; a month's usage of an item is recorded once"
    )]
    Duplicate {
        index: usize,
        first_index: usize,
        system_id: i64,
        item: String,
        month: Month,
    },

    #[error("records[{index}].item: no catalogue unit price of {item} is in force in {month}")]
    NoPrice {
        index: usize,
        item: String,
        month: Month,
    },
}

/// One month's usage of one catalogue item by one system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageRecord {
    pub system_id: i64,
    pub vendor_id: i64,
    pub agency_id: i64,
    /// The catalogue item (its code).
    pub item: String,
    pub month: Month,
    /// In the item's unit (vCPU, GB…), for the whole month.
    pub quantity: Decimal,
    /// What was approved for the month: the quota plus expansions in force;
    /// `None` when no quota is recorded for the item.
    pub approved: Option<Decimal>,
    /// Test resources, with their free period; `None` for formal resources.
    pub test: Option<FreePeriod>,
}

/// A catalogue unit price of an item from a month on (until the next price of
/// the same item): the catalogue is revised every 1–2 years (seed 001 art. 31(4)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitPrice {
    pub item: String,
    pub from: Month,
    /// Yuan per unit and month.
    pub price: Decimal,
}

/// The unit prices of the catalogue over time.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceList {
    pub prices: Vec<UnitPrice>,
}

impl PriceList {
    /// The price of `item` in force in `month`: the latest one from that month
    /// or before.
    pub fn price(&self, item: &str, month: Month) -> Option<Decimal> {
        self.prices
            .iter()
            .filter(|p| p.item == item && p.from <= month)
            .max_by_key(|p| p.from)
            .map(|p| p.price)
    }
}

/// Why a line is not simply quantity × price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Flag {
    /// Test resources in their free period: not metered.
    FreeTest,
    /// Test resources still in use after their free period: metered as used,
    /// the formal agreement (正式协议) should have followed the test.
    TestBeyondFreePeriod,
    /// Usage beyond the approved quantity: metered as used, to be followed up.
    BeyondApproved { approved: Decimal, excess: Decimal },
    /// Usage of an item with no quota recorded: metered as used.
    NoApproval,
}

impl Flag {
    /// What a user reads beside the line.
    pub fn text(&self) -> String {
        match self {
            Flag::FreeTest => "测试资源免费期内，不计量".to_owned(),
            Flag::TestBeyondFreePeriod => "测试资源已过免费期，按实计量".to_owned(),
            Flag::BeyondApproved { approved, excess } => format!(
                "超出核定数量 {}（超出 {}）",
                approved.normalize(),
                excess.normalize()
            ),
            Flag::NoApproval => "无资源配额记录".to_owned(),
        }
    }
}

/// One priced line of the bill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeteredLine {
    /// The usage as recorded.
    pub record: UsageRecord,
    /// The quantity charged: the quantity, or 0 in a free test month.
    pub metered_quantity: Decimal,
    pub unit_price: Decimal,
    /// metered quantity × unit price, half-up to the fen.
    pub amount: Decimal,
    pub flags: Vec<Flag>,
}

/// Whether a year's metering may still change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeteringState {
    /// Usage is still being imported or entered.
    Open,
    /// Closed by a supervisor: the amounts are fixed.
    Closed,
}

/// A service year's metering: its lines and the sums the bills are made of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearMetering {
    pub year: ServiceYear,
    pub lines: Vec<MeteredLine>,
    /// The sum of the lines: the year's metered amount.
    pub total: Decimal,
}

impl YearMetering {
    /// Each system's bill.
    pub fn by_system(&self) -> BTreeMap<i64, Decimal> {
        self.totals_by(|line| line.record.system_id)
    }

    /// Each vendor's bill: the settlement amount of its annual penalty (spec §6).
    pub fn by_vendor(&self) -> BTreeMap<i64, Decimal> {
        self.totals_by(|line| line.record.vendor_id)
    }

    /// Each agency's own bill.
    pub fn by_agency(&self) -> BTreeMap<i64, Decimal> {
        self.totals_by(|line| line.record.agency_id)
    }

    /// A vendor's settlement amount, the base of its annual penalty (spec §6):
    /// its metered amount once a supervisor has closed the year's metering,
    /// `None` (pending) while it is open. The annual run may come first
    /// (Songjiang's on 20 July; metering takes longer, seed 004 §6–7): it then
    /// shows the tier at once and the amount when the year is closed.
    pub fn vendor_settlement(&self, vendor_id: i64, state: MeteringState) -> Option<Decimal> {
        match state {
            MeteringState::Open => None,
            MeteringState::Closed => Some(
                self.by_vendor()
                    .get(&vendor_id)
                    .copied()
                    .unwrap_or(Decimal::ZERO),
            ),
        }
    }

    /// Each catalogue item's metered amount (what a cap applies to).
    pub fn by_item(&self) -> BTreeMap<String, Decimal> {
        self.totals_by(|line| line.record.item.clone())
    }

    /// The lines with usage beyond what was approved, or with no quota.
    pub fn beyond_approval(&self) -> impl Iterator<Item = &MeteredLine> {
        self.lines.iter().filter(|line| {
            line.flags
                .iter()
                .any(|f| matches!(f, Flag::BeyondApproved { .. } | Flag::NoApproval))
        })
    }

    fn totals_by<K: Ord>(&self, key: impl Fn(&MeteredLine) -> K) -> BTreeMap<K, Decimal> {
        let mut totals = BTreeMap::new();
        for line in &self.lines {
            *totals.entry(key(line)).or_insert(Decimal::ZERO) += line.amount;
        }
        totals
    }
}

/// Meters a service year's usage. All or nothing: a record outside the year,
/// negative, recorded twice, or without a price in force refuses the whole
/// metering, naming the record, since a bill missing a line would be wrong.
pub fn meter_year(
    year: ServiceYear,
    records: &[UsageRecord],
    prices: &PriceList,
) -> Result<YearMetering, MeteringError> {
    let mut seen: BTreeMap<(i64, &str, Month), usize> = BTreeMap::new();
    let mut lines = Vec::with_capacity(records.len());
    for (index, record) in records.iter().enumerate() {
        check_record(year, index, record)?;
        let key = (record.system_id, record.item.as_str(), record.month);
        if let Some(&first_index) = seen.get(&key) {
            return Err(MeteringError::Duplicate {
                index,
                first_index,
                system_id: record.system_id,
                item: record.item.clone(),
                month: record.month,
            });
        }
        seen.insert(key, index);
        let unit_price =
            prices
                .price(&record.item, record.month)
                .ok_or_else(|| MeteringError::NoPrice {
                    index,
                    item: record.item.clone(),
                    month: record.month,
                })?;
        lines.push(meter_record(record, unit_price));
    }
    let total = lines.iter().map(|line| line.amount).sum();
    Ok(YearMetering { year, lines, total })
}

fn check_record(
    year: ServiceYear,
    index: usize,
    record: &UsageRecord,
) -> Result<(), MeteringError> {
    not_negative(format!("records[{index}].quantity"), record.quantity)?;
    if let Some(approved) = record.approved {
        not_negative(format!("records[{index}].approved"), approved)?;
    }
    if !year.contains_month(record.month) {
        return Err(MeteringError::OutsideYear {
            index,
            month: record.month,
            year,
        });
    }
    Ok(())
}

/// One record priced: free in a test month, flagged after its free period and
/// beyond its approval.
fn meter_record(record: &UsageRecord, unit_price: Decimal) -> MeteredLine {
    let free = record
        .test
        .is_some_and(|period| period.contains(record.month));
    let mut flags = Vec::new();
    match record.test {
        Some(_) if free => flags.push(Flag::FreeTest),
        Some(_) => flags.push(Flag::TestBeyondFreePeriod),
        None => {}
    }
    match record.approved {
        Some(approved) if record.quantity > approved => flags.push(Flag::BeyondApproved {
            approved,
            excess: record.quantity - approved,
        }),
        Some(_) => {}
        None => flags.push(Flag::NoApproval),
    }
    let metered_quantity = if free { Decimal::ZERO } else { record.quantity };
    MeteredLine {
        record: record.clone(),
        metered_quantity,
        unit_price,
        amount: round_half_up_2dp(metered_quantity * unit_price),
        flags,
    }
}

fn not_negative(field: String, value: Decimal) -> Result<(), MeteringError> {
    refuse_negative(value, |value| MeteringError::Negative { field, value })
}

/// Items, prices and usage shared by the metering and cap tests.
#[cfg(test)]
pub(crate) mod fixtures {
    use rust_decimal::Decimal;
    use rust_decimal_macros::dec;

    use super::{PriceList, UnitPrice, UsageRecord};
    use crate::period::Month;
    use crate::testing::month;

    pub const VCPU: &str = "云主机vCPU";
    pub const DISK: &str = "块存储GB";

    pub fn price(item: &str, from: Month, price: Decimal) -> UnitPrice {
        UnitPrice {
            item: item.into(),
            from,
            price,
        }
    }

    /// 30.00 per vCPU-month and 20.00 per GB-month from January 2024 on.
    pub fn prices() -> PriceList {
        PriceList {
            prices: vec![
                price(VCPU, month(2024, 1), dec!(30.00)),
                price(DISK, month(2024, 1), dec!(20.00)),
            ],
        }
    }

    /// System `system_id` of vendor 100 and agency 200 used `quantity` of
    /// `item` in `m`, all of it approved.
    pub fn usage(system_id: i64, item: &str, m: Month, quantity: Decimal) -> UsageRecord {
        UsageRecord {
            system_id,
            vendor_id: 100,
            agency_id: 200,
            item: item.into(),
            month: m,
            quantity,
            approved: Some(quantity),
            test: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    use super::fixtures::{DISK, VCPU, price, prices, usage};
    use super::*;
    use crate::contract_terms::PenaltyPayment;
    use crate::scheme::Scheme;
    use crate::settlement::{StatementInput, statement};
    use crate::testing::month;

    /// The service year 1 July 2025 – 30 June 2026.
    fn year() -> ServiceYear {
        ServiceYear::new(SONGJIANG_FIRST_MONTH, 2025).expect("valid")
    }

    /// Songjiang's penalty tiers (the municipal ones: <90 5 %, <80 10 %, <70 15 %).
    fn songjiang_tiers() -> Vec<crate::scheme::PenaltyTier> {
        Scheme::builtin()
            .into_iter()
            .find(|s| s.code == "sh-songjiang")
            .expect("built in")
            .penalty_tiers
    }

    /// The worked example: 100 vCPU July–December, 120 vCPU
    /// January–June, 200 GB all year.
    fn worked_example() -> Vec<UsageRecord> {
        year()
            .months()
            .enumerate()
            .flat_map(|(i, m)| {
                let vcpu = if i < 6 { dec!(100) } else { dec!(120) };
                [usage(1, VCPU, m, vcpu), usage(1, DISK, m, dec!(200))]
            })
            .collect()
    }

    #[test]
    fn the_year_is_usage_times_unit_price_per_item_and_month() {
        // 100 × 30 × 6 + 120 × 30 × 6 + 200 × 20 × 12
        // = 18,000 + 21,600 + 48,000 = 87,600.00.
        let metering = meter_year(year(), &worked_example(), &prices()).expect("valid");
        assert_eq!(metering.total, dec!(87600.00));
        assert_eq!(metering.by_item()[VCPU], dec!(39600.00));
        assert_eq!(metering.by_item()[DISK], dec!(48000.00));
        assert_eq!(metering.by_system()[&1], dec!(87600.00));
        assert_eq!(metering.by_vendor()[&100], dec!(87600.00));
        assert_eq!(metering.by_agency()[&200], dec!(87600.00));
    }

    #[test]
    fn the_metered_amount_is_the_settlement_of_the_penalty_tier() {
        // A Songjiang total of 75 is below 80: tier 10 %. 87,600.00 × 10 % =
        // 8,760.00 deducted from the final payment (nothing paid before:
        // 先用后付), 87,600.00 − 8,760.00 = 78,840.00 payable.
        let metering = meter_year(year(), &worked_example(), &prices()).expect("valid");
        let settlement = metering.vendor_settlement(100, MeteringState::Closed);
        assert_eq!(settlement, Some(dec!(87600.00)));
        let penalty =
            crate::penalty::penalty(&songjiang_tiers(), dec!(75), settlement).expect("valid");
        assert_eq!(penalty.rate, dec!(0.10));
        assert_eq!(penalty.amount, Some(dec!(8760.00)));
        let s = statement(StatementInput {
            amount_due: metering.total,
            assessment_penalty: dec!(8760.00),
            breach_penalties: vec![],
            instalments_paid: Decimal::ZERO,
            payment: PenaltyPayment::DeductedFromFinalPayment,
        })
        .expect("valid");
        assert_eq!(s.deducted_from_final_payment, dec!(8760.00));
        assert_eq!(s.final_payment_due, dec!(78840.00));
    }

    #[test]
    fn the_amount_is_pending_until_the_metering_is_closed() {
        // Open metering: no settlement amount yet, so the 10 % tier of a total
        // of 75 shows at once and its amount is pending. A closed year with no
        // usage of vendor 101 settles at 0.00.
        let metering = meter_year(year(), &worked_example(), &prices()).expect("valid");
        let settlement = metering.vendor_settlement(100, MeteringState::Open);
        assert_eq!(settlement, None);
        let penalty =
            crate::penalty::penalty(&songjiang_tiers(), dec!(75), settlement).expect("valid");
        assert_eq!((penalty.rate, penalty.amount), (dec!(0.10), None));
        assert_eq!(
            metering.vendor_settlement(101, MeteringState::Closed),
            Some(dec!(0))
        );
    }

    #[test]
    fn bills_are_summed_per_system_vendor_and_agency() {
        // System 1 (vendor 100, agency 200): 10 vCPU × 30.00 = 300.00.
        // System 2 (vendor 100, agency 201): 50 GB × 20.00 = 1,000.00.
        // System 3 (vendor 101, agency 201): 4 vCPU × 30.00 = 120.00.
        // Vendor 100: 1,300.00, vendor 101: 120.00; agency 200: 300.00,
        // agency 201: 1,120.00; total 1,420.00.
        let m = month(2025, 9);
        let mut two = usage(2, DISK, m, dec!(50));
        two.agency_id = 201;
        let mut three = usage(3, VCPU, m, dec!(4));
        (three.vendor_id, three.agency_id) = (101, 201);
        let metering = meter_year(
            year(),
            &[usage(1, VCPU, m, dec!(10)), two, three],
            &prices(),
        )
        .expect("valid");
        let vendors = metering.by_vendor();
        assert_eq!(
            (vendors[&100], vendors[&101]),
            (dec!(1300.00), dec!(120.00))
        );
        let agencies = metering.by_agency();
        assert_eq!(
            (agencies[&200], agencies[&201]),
            (dec!(300.00), dec!(1120.00))
        );
        assert_eq!(metering.by_system()[&2], dec!(1000.00));
        assert_eq!(metering.total, dec!(1420.00));
    }

    #[test]
    fn each_line_is_rounded_half_up_to_the_fen_and_the_total_is_their_sum() {
        // 0.5 GB × 20.01 = 10.005 → 10.01 (half-up; banker's would give 10.00),
        // twice (two months): 20.02, not round(20.01) = 20.01.
        let prices = PriceList {
            prices: vec![price(DISK, month(2025, 7), dec!(20.01))],
        };
        let records = [
            usage(1, DISK, month(2025, 7), dec!(0.5)),
            usage(1, DISK, month(2025, 8), dec!(0.5)),
        ];
        let metering = meter_year(year(), &records, &prices).expect("valid");
        assert_eq!(metering.lines[0].amount, dec!(10.01));
        assert_eq!(metering.total, dec!(20.02));
    }

    #[test]
    fn the_price_in_force_in_the_month_applies() {
        // Catalogue revised from January 2026: 30.00 → 28.00 per vCPU.
        // 10 vCPU in December 2025: 300.00; in January 2026: 280.00.
        let mut prices = prices();
        prices.prices.push(price(VCPU, month(2026, 1), dec!(28.00)));
        let records = [
            usage(1, VCPU, month(2025, 12), dec!(10)),
            usage(1, VCPU, month(2026, 1), dec!(10)),
        ];
        let metering = meter_year(year(), &records, &prices).expect("valid");
        let amounts: Vec<_> = metering.lines.iter().map(|l| l.amount).collect();
        assert_eq!(amounts, [dec!(300.00), dec!(280.00)]);
    }

    #[test]
    fn test_resources_in_their_free_period_are_not_metered() {
        // Test vCPU free August–October 2025 (3 months), 8 vCPU each month
        // August–November: only November is metered, 8 × 30.00 = 240.00, and
        // flagged as test resources past their free period.
        let free = FreePeriod::new(month(2025, 8), 3).expect("valid");
        let records: Vec<_> = (8..=11)
            .map(|m| UsageRecord {
                test: Some(free),
                ..usage(1, VCPU, month(2025, m), dec!(8))
            })
            .collect();
        let metering = meter_year(year(), &records, &prices()).expect("valid");
        assert_eq!(metering.total, dec!(240.00));
        assert_eq!(metering.lines[0].flags, [Flag::FreeTest]);
        assert_eq!(metering.lines[0].metered_quantity, dec!(0));
        assert_eq!(metering.lines[3].flags, [Flag::TestBeyondFreePeriod]);
        assert_eq!(metering.lines[3].amount, dec!(240.00));
    }

    #[test]
    fn usage_beyond_the_approval_is_metered_and_flagged() {
        // Approved 120 vCPU, used 125: metered in full, 125 × 30.00 = 3,750.00,
        // flagged 5 beyond. An item without quota is flagged too.
        let over = UsageRecord {
            approved: Some(dec!(120)),
            ..usage(1, VCPU, month(2025, 7), dec!(125))
        };
        let unapproved = UsageRecord {
            approved: None,
            ..usage(1, DISK, month(2025, 7), dec!(1))
        };
        let metering = meter_year(year(), &[over, unapproved], &prices()).expect("valid");
        assert_eq!(metering.lines[0].amount, dec!(3750.00));
        let flag = Flag::BeyondApproved {
            approved: dec!(120),
            excess: dec!(5),
        };
        assert_eq!(flag.text(), "超出核定数量 120（超出 5）");
        assert_eq!(metering.lines[0].flags, [flag]);
        assert_eq!(metering.lines[1].flags, [Flag::NoApproval]);
        assert_eq!(metering.beyond_approval().count(), 2);
    }

    #[test]
    fn a_month_outside_the_service_year_is_refused() {
        // The year 2025-07..2026-06 does not contain July 2026.
        let records = [usage(1, VCPU, month(2026, 7), dec!(1))];
        assert_eq!(
            meter_year(year(), &records, &prices()).map_err(|e| e.to_string()),
            Err("records[0].month: 2026-07 is outside the service year 2025-07..2026-06".into())
        );
    }

    #[test]
    fn a_usage_recorded_twice_is_refused() {
        let m = month(2025, 7);
        let records = [usage(1, VCPU, m, dec!(1)), usage(1, VCPU, m, dec!(2))];
        assert!(matches!(
            meter_year(year(), &records, &prices()),
            Err(MeteringError::Duplicate {
                index: 1,
                first_index: 0,
                ..
            })
        ));
    }

    #[test]
    fn an_item_without_a_price_in_force_is_refused() {
        // The only price of 带宽Mb is from 2026-01; December 2025 has none.
        let mut prices = prices();
        prices.prices.push(price("带宽Mb", month(2026, 1), dec!(5)));
        let records = [usage(1, "带宽Mb", month(2025, 12), dec!(1))];
        assert_eq!(
            meter_year(year(), &records, &prices).map_err(|e| e.to_string()),
            Err("records[0].item: no catalogue unit price of 带宽Mb is in force in 2025-12".into())
        );
    }

    #[test]
    fn a_negative_quantity_is_refused_naming_the_record() {
        let records = [
            usage(1, VCPU, month(2025, 7), dec!(1)),
            usage(1, DISK, month(2025, 7), dec!(-1)),
        ];
        assert_eq!(
            meter_year(year(), &records, &prices()).map_err(|e| e.to_string()),
            Err("records[1].quantity: -1 is negative".into())
        );
    }

    proptest! {
        #[test]
        fn every_bill_adds_up_to_the_total(
            rows in proptest::collection::vec((1i64..4, 0usize..12, 0u32..1000, 0u32..100), 0..30),
        ) {
            // Whatever the usage, the per-system, per-vendor, per-agency and
            // per-item bills each sum to the year's total, which is in whole fen.
            let months: Vec<_> = year().months().collect();
            let mut seen = std::collections::BTreeSet::new();
            let records: Vec<_> = rows
                .into_iter()
                .filter(|&(system, m, _, _)| seen.insert((system, m)))
                .map(|(system, m, quantity, cents)| UsageRecord {
                    vendor_id: system % 2,
                    agency_id: system % 3,
                    ..usage(system, VCPU, months[m], Decimal::new(i64::from(quantity) * 100 + i64::from(cents), 2))
                })
                .collect();
            let metering = meter_year(year(), &records, &prices()).expect("valid");
            let sum = |m: BTreeMap<_, Decimal>| m.into_values().sum::<Decimal>();
            prop_assert_eq!(sum(metering.by_system()), metering.total);
            prop_assert_eq!(sum(metering.by_vendor()), metering.total);
            prop_assert_eq!(sum(metering.by_agency()), metering.total);
            prop_assert_eq!(metering.by_item().into_values().sum::<Decimal>(), metering.total);
            prop_assert_eq!(metering.total.round_dp(2), metering.total);
        }
    }
}
