//! The plan of a generated data set: which regions, vendors, contracts,
//! agencies and systems there are, and how many facts of each kind every
//! (region, vendor, month) gets. Pure: computed from the seed and the scale
//! alone, so the tests can work out the expected row counts without a database.

use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// A region of the province: code, name, relative size, scheme.
pub struct RegionSpec {
    pub code: &'static str,
    pub name: &'static str,
    /// Relative amount of agencies, systems and facts.
    pub weight: u64,
    pub scheme: &'static str,
    /// Must equal the scheme's first month of the service year.
    pub start_month: u32,
}

const fn region(code: &'static str, name: &'static str, weight: u64) -> RegionSpec {
    RegionSpec {
        code,
        name,
        weight,
        scheme: "sh-municipal",
        start_month: 1,
    }
}

/// The municipality first, then its 16 districts. Songjiang has its own
/// scheme (a July–June service year); the other districts follow the
/// municipal standard.
pub const REGIONS: [RegionSpec; 17] = [
    region("SH", "上海市", 40),
    region("SH-HP", "黄浦区", 10),
    region("SH-XH", "徐汇区", 10),
    region("SH-CN", "长宁区", 8),
    region("SH-JA", "静安区", 10),
    region("SH-PT", "普陀区", 8),
    region("SH-HK", "虹口区", 7),
    region("SH-YP", "杨浦区", 9),
    region("SH-MH", "闵行区", 12),
    region("SH-BS", "宝山区", 10),
    region("SH-JD", "嘉定区", 9),
    region("SH-PD", "浦东新区", 16),
    region("SH-JS", "金山区", 6),
    RegionSpec {
        code: "SH-SJ",
        name: "松江区",
        weight: 9,
        scheme: "sh-songjiang",
        start_month: 7,
    },
    region("SH-QP", "青浦区", 7),
    region("SH-FX", "奉贤区", 7),
    region("SH-CM", "崇明区", 6),
];

/// The 12 vendors (code, name).
pub const VENDORS: [(&str, &str); 12] = [
    ("V01", "华东政务云科技有限公司"),
    ("V02", "申城云计算股份有限公司"),
    ("V03", "浦江数据服务有限公司"),
    ("V04", "东方云网信息技术有限公司"),
    ("V05", "长江数字基础设施有限公司"),
    ("V06", "海上云智科技有限公司"),
    ("V07", "沪联云服务有限公司"),
    ("V08", "江南信创云计算有限公司"),
    ("V09", "临港算力科技有限公司"),
    ("V10", "金桥数据中心运营有限公司"),
    ("V11", "张江云安全技术有限公司"),
    ("V12", "中城智算服务有限公司"),
];

/// Agencies and systems at scale 1 (the issue's province).
const AGENCIES_AT_SCALE_1: u64 = 400;
const SYSTEMS_AT_SCALE_1: u64 = 5_000;

/// The kinds of fact whose volume follows the scale. Attendance (one record
/// per vendor, region and month) and survey responses (one per agency and
/// service year) are structural and counted separately.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    WorkOrders,
    Outages,
    ServiceTasks,
    Changes,
    UnticketedDeliveries,
    Complaints,
    Faults,
    Violations,
    Trainings,
    SecurityRisks,
    SecurityAccidents,
}

impl Kind {
    pub const ALL: [Kind; 11] = [
        Kind::WorkOrders,
        Kind::Outages,
        Kind::ServiceTasks,
        Kind::Changes,
        Kind::UnticketedDeliveries,
        Kind::Complaints,
        Kind::Faults,
        Kind::Violations,
        Kind::Trainings,
        Kind::SecurityRisks,
        Kind::SecurityAccidents,
    ];

    /// Rows of this kind at scale 1 over three service years. With attendance
    /// and surveys this is about 1.03 million rows, so the issue's "at least
    /// 1,000,000" holds for every seed (the per-cell rounding moves the total
    /// by about a thousand). Work orders ≈ 45 %, outages ≈ 30 %.
    pub fn rows_at_scale_1(self) -> u64 {
        match self {
            Kind::WorkOrders => 470_000,
            Kind::Outages => 315_000,
            Kind::ServiceTasks => 95_000,
            Kind::Changes => 80_000,
            Kind::UnticketedDeliveries => 15_000,
            Kind::Complaints => 6_000,
            Kind::Faults => 9_000,
            Kind::Violations => 4_000,
            Kind::Trainings => 16_000,
            Kind::SecurityRisks => 14_000,
            Kind::SecurityAccidents => 600,
        }
    }

    pub fn table(self) -> &'static str {
        match self {
            Kind::WorkOrders => "work_orders",
            Kind::Outages => "outages",
            Kind::ServiceTasks => "service_tasks",
            Kind::Changes => "changes",
            Kind::UnticketedDeliveries => "unticketed_deliveries",
            Kind::Complaints => "complaints",
            Kind::Faults => "faults",
            Kind::Violations => "violations",
            Kind::Trainings => "trainings",
            Kind::SecurityRisks => "security_risks",
            Kind::SecurityAccidents => "security_accidents",
        }
    }

    pub fn salt(self) -> u64 {
        100 + self as u64
    }
}

/// Streams of the random sequence: each purpose draws from its own stream, so
/// changing one part of the generator leaves the others' values alone.
pub mod stream {
    pub const VENDOR: u64 = 1;
    pub const CONTRACTS: u64 = 2;
    pub const SYSTEM: u64 = 3;
    pub const COUNT: u64 = 4;
    pub const FACT: u64 = 5;
    pub const ATTENDANCE: u64 = 6;
    pub const SURVEY: u64 = 7;
    pub const AMOUNT: u64 = 8;
}

/// A reproducible random sequence. ChaCha8 from `rand_chacha` is a portable,
/// documented-stable algorithm, and the draws below use only `next_u64`, so
/// the same seed gives the same data with any later `rand` release.
pub struct Draw(ChaCha8Rng);

impl Draw {
    /// The sequence of the seed's stream `path` (e.g. `[FACT, kind, cell]`).
    pub fn new(seed: u64, path: &[u64]) -> Self {
        let mut h = splitmix(seed ^ 0x676f_7663_6c6f_7564);
        for &p in path {
            h = splitmix(h ^ p);
        }
        let mut bytes = [0u8; 32];
        for chunk in bytes.chunks_mut(8) {
            h = splitmix(h);
            chunk.copy_from_slice(&h.to_le_bytes());
        }
        Self(ChaCha8Rng::from_seed(bytes))
    }

    /// 0 ≤ x < n (the modulo bias is far below anything the data shows).
    pub fn below(&mut self, n: u64) -> u64 {
        self.0.next_u64() % n.max(1)
    }

    /// lo ≤ x ≤ hi.
    pub fn between(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    /// True with probability `per_100k` / 100,000.
    pub fn chance(&mut self, per_100k: u64) -> bool {
        self.below(100_000) < per_100k
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// An index drawn with the given relative weights.
    pub fn weighted(&mut self, weights: &[u64]) -> usize {
        let mut x = self.below(weights.iter().sum());
        for (i, &w) in weights.iter().enumerate() {
            if x < w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }
}

fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A vendor's size (share of systems and facts) and quality (how often things
/// go wrong, in percent of the average: 100 average, 250 poor).
pub struct VendorPlan {
    pub size: u64,
    pub quality: u64,
}

pub struct RegionPlan {
    pub spec: &'static RegionSpec,
    /// Indexes into [`VENDORS`] of the vendors with a contract here, ascending.
    pub vendors: Vec<usize>,
    pub agencies: u64,
    /// Systems of each vendor of `vendors` (same order).
    pub systems: Vec<u64>,
}

/// One vendor in one region for one month: the unit the facts are planned in.
#[derive(Clone, Copy, Debug)]
pub struct Cell {
    pub index: u64,
    pub region: usize,
    /// Index into [`VENDORS`].
    pub vendor: usize,
    /// The calendar year and month.
    pub year: i32,
    pub month: u32,
    /// Region weight × vendor size: the cell's share of the facts.
    pub weight: u64,
}

pub struct Plan {
    pub seed: u64,
    /// The scale in millionths (1.0 = 1,000,000), so counts are integer maths.
    pub scale_ppm: u64,
    /// First calendar years of the service years.
    pub years: Vec<i32>,
    pub vendors: Vec<VendorPlan>,
    pub regions: Vec<RegionPlan>,
    pub cells: Vec<Cell>,
    total_weight: u64,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum PlanError {
    #[error("--scale must be more than 0 and at most 20, got {0}")]
    Scale(Decimal),
    #[error("--years must name 1 to 10 distinct years from 2000 to 2099")]
    Years,
}

impl Plan {
    pub fn new(seed: u64, scale: Decimal, years: &[i32]) -> Result<Self, PlanError> {
        let scale_ppm = (scale * Decimal::from(1_000_000))
            .round()
            .to_u64()
            .filter(|&p| p > 0 && p <= 20_000_000)
            .ok_or(PlanError::Scale(scale))?;
        let mut years = years.to_vec();
        years.sort_unstable();
        years.dedup();
        if years.is_empty() || years.len() > 10 || years.iter().any(|y| !(2000..2100).contains(y)) {
            return Err(PlanError::Years);
        }
        let vendors = (0..VENDORS.len() as u64)
            .map(|v| {
                let mut d = Draw::new(seed, &[stream::VENDOR, v]);
                VendorPlan {
                    size: d.between(1, 5) as u64,
                    quality: d.between(50, 250) as u64,
                }
            })
            .collect::<Vec<_>>();
        let mut plan = Self {
            seed,
            scale_ppm,
            years,
            regions: Vec::new(),
            cells: Vec::new(),
            total_weight: 0,
            vendors,
        };
        plan.regions = plan.plan_regions();
        plan.cells = plan.plan_cells();
        plan.total_weight = plan.cells.iter().map(|c| c.weight).sum();
        Ok(plan)
    }

    /// `count` at the plan's scale, rounded, at least `min`.
    fn scaled(&self, count: u64, min: u64) -> u64 {
        ((count * self.scale_ppm + 500_000) / 1_000_000).max(min)
    }

    fn plan_regions(&self) -> Vec<RegionPlan> {
        let vendor_sets: Vec<Vec<usize>> = (0..REGIONS.len())
            .map(|r| self.contracted_vendors(r))
            .collect();
        let weights: Vec<u64> = REGIONS.iter().map(|r| r.weight).collect();
        let agencies = apportion(
            self.scaled(AGENCIES_AT_SCALE_1, REGIONS.len() as u64),
            &weights,
            &[1; REGIONS.len()],
        );
        let minimum: Vec<u64> = vendor_sets.iter().map(|v| v.len() as u64).collect();
        let systems = apportion(
            self.scaled(SYSTEMS_AT_SCALE_1, minimum.iter().sum()),
            &weights,
            &minimum,
        );
        REGIONS
            .iter()
            .zip(vendor_sets)
            .zip(agencies.into_iter().zip(systems))
            .map(|((spec, vendors), (agencies, systems))| {
                let sizes: Vec<u64> = vendors.iter().map(|&v| self.vendors[v].size).collect();
                let systems = apportion(systems, &sizes, &vec![1; sizes.len()]);
                RegionPlan {
                    spec,
                    vendors,
                    agencies,
                    systems,
                }
            })
            .collect()
    }

    /// The municipality contracts all 12 vendors; a district 4 to 8 of them.
    fn contracted_vendors(&self, region: usize) -> Vec<usize> {
        let mut all: Vec<usize> = (0..VENDORS.len()).collect();
        if region == 0 {
            return all;
        }
        let mut d = Draw::new(self.seed, &[stream::CONTRACTS, region as u64]);
        let k = d.between(4, 8) as usize;
        // A partial Fisher–Yates shuffle: the first k are a uniform choice.
        for i in 0..k {
            let j = i + d.below((all.len() - i) as u64) as usize;
            all.swap(i, j);
        }
        let mut chosen = all[..k].to_vec();
        chosen.sort_unstable();
        chosen
    }

    fn plan_cells(&self) -> Vec<Cell> {
        let mut cells = Vec::new();
        for (r, region) in self.regions.iter().enumerate() {
            for &vendor in &region.vendors {
                for &service_year in &self.years {
                    for (year, month) in service_year_months(region.spec.start_month, service_year)
                    {
                        cells.push(Cell {
                            index: cells.len() as u64,
                            region: r,
                            vendor,
                            year,
                            month,
                            weight: region.spec.weight * self.vendors[vendor].size,
                        });
                    }
                }
            }
        }
        cells
    }

    /// The number of facts of `kind` in `cell`: the kind's volume shared out by
    /// the cells' weights, the fraction rounded up or down at random (so small
    /// scales still get some facts).
    pub fn count(&self, cell: &Cell, kind: Kind) -> u64 {
        let numerator = u128::from(kind.rows_at_scale_1())
            * u128::from(self.scale_ppm)
            * u128::from(cell.weight);
        let denominator = 1_000_000u128 * u128::from(self.total_weight);
        let whole = (numerator / denominator) as u64;
        let rest = (numerator % denominator) as u64;
        let mut d = Draw::new(self.seed, &[stream::COUNT, kind.salt(), cell.index]);
        whole + u64::from(d.below(denominator as u64) < rest)
    }

    pub fn contracts(&self) -> u64 {
        self.regions
            .iter()
            .map(|r| r.vendors.len() as u64)
            .sum::<u64>()
            * self.years.len() as u64
    }

    pub fn agencies(&self) -> u64 {
        self.regions.iter().map(|r| r.agencies).sum()
    }

    pub fn systems(&self) -> u64 {
        self.regions.iter().flat_map(|r| &r.systems).sum()
    }

    /// The rows every table will hold after generating, in loading order.
    pub fn expected_rows(&self) -> Vec<(&'static str, u64)> {
        let mut rows = vec![
            ("regions", REGIONS.len() as u64),
            ("vendors", VENDORS.len() as u64),
            ("contracts", self.contracts()),
            ("agencies", self.agencies()),
            ("information_systems", self.systems()),
            ("users", (VENDORS.len() + REGIONS.len()) as u64),
            ("attendances", self.cells.len() as u64),
            (
                "survey_responses",
                self.agencies() * self.years.len() as u64,
            ),
        ];
        for kind in Kind::ALL {
            let n = self.cells.iter().map(|c| self.count(c, kind)).sum();
            rows.push((kind.table(), n));
        }
        rows
    }
}

/// The (year, month) of the 12 months of the service year starting in
/// `start_month` of `first_year`.
pub fn service_year_months(start_month: u32, first_year: i32) -> Vec<(i32, u32)> {
    (0..12)
        .map(|i| {
            let m0 = start_month - 1 + i;
            (first_year + (m0 / 12) as i32, m0 % 12 + 1)
        })
        .collect()
}

/// Shares `total` out by `weights`, each part at least its `minimum`, by the
/// largest remainder (ties to the lower index), so the parts add up exactly.
pub fn apportion(total: u64, weights: &[u64], minimum: &[u64]) -> Vec<u64> {
    let floor: u64 = minimum.iter().sum();
    let spare = total.saturating_sub(floor);
    let weight: u64 = weights.iter().sum::<u64>().max(1);
    let mut parts: Vec<u64> = weights
        .iter()
        .zip(minimum)
        .map(|(w, m)| m + spare * w / weight)
        .collect();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse((spare * weights[i]) % weight));
    let short = total.max(floor) - parts.iter().sum::<u64>();
    for &i in order.iter().take(short as usize) {
        parts[i] += 1;
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn apportioning_adds_up_and_keeps_the_minimum() {
        assert_eq!(apportion(10, &[1, 1, 1], &[0, 0, 0]), vec![4, 3, 3]);
        assert_eq!(apportion(2, &[5, 1, 1], &[1, 1, 1]), vec![1, 1, 1]);
        assert_eq!(apportion(400, &[40, 10], &[1, 1]).iter().sum::<u64>(), 400);
    }

    #[test]
    fn songjiang_service_years_run_july_to_june() {
        let months = service_year_months(7, 2024);
        assert_eq!(months.first(), Some(&(2024, 7)));
        assert_eq!(months.last(), Some(&(2025, 6)));
    }

    #[test]
    fn scale_1_plans_the_province_of_the_issue() {
        let plan = Plan::new(2026, dec!(1), &[2024, 2025, 2026]).expect("valid");
        assert_eq!(plan.agencies(), 400);
        assert_eq!(plan.systems(), 5_000);
        assert_eq!(plan.regions[0].vendors.len(), 12);
        assert!(
            plan.regions[1..]
                .iter()
                .all(|r| (4..=8).contains(&r.vendors.len()))
        );
        let facts: u64 = plan.expected_rows()[6..].iter().map(|(_, n)| n).sum();
        assert!(facts >= 1_000_000, "{facts} fact rows");
    }
}
