//! Reference data of the plan: regions, vendors, contracts, agencies,
//! information systems and the benchmark users. The rows are written in
//! batches, then their ids are read back by their natural keys (the order of
//! a multi-row INSERT's RETURNING is not guaranteed on SQLite).

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::{DbErr, EntityTrait};
use serde_json::json;

use super::bulk::{Batch, Writer};
use super::plan::{Draw, Plan, REGIONS, VENDORS, stream};
use super::time;
use domain::actor::RoleKind;

/// Departments an agency is named after (prefixed with 市 or the district).
const DEPARTMENTS: [&str; 40] = [
    "发展和改革委员会",
    "经济和信息化委员会",
    "教育局",
    "科学技术委员会",
    "公安局",
    "民政局",
    "司法局",
    "财政局",
    "人力资源和社会保障局",
    "规划和自然资源局",
    "生态环境局",
    "住房和城乡建设管理委员会",
    "交通委员会",
    "农业农村委员会",
    "水务局",
    "商务委员会",
    "文化和旅游局",
    "卫生健康委员会",
    "退役军人事务局",
    "应急管理局",
    "审计局",
    "国有资产监督管理委员会",
    "市场监督管理局",
    "体育局",
    "统计局",
    "医疗保障局",
    "绿化和市容管理局",
    "民防办公室",
    "大数据中心",
    "城市管理行政执法局",
    "数据局",
    "信访办公室",
    "档案馆",
    "地方金融管理局",
    "房屋管理局",
    "人民政府办公室",
    "机关事务管理局",
    "粮食和物资储备局",
    "知识产权局",
    "消防救援支队",
];

/// What the systems of an agency do (for their names).
const SYSTEM_KINDS: [&str; 10] = [
    "政务服务",
    "数据共享",
    "协同办公",
    "门户网站",
    "业务审批",
    "监测预警",
    "档案管理",
    "视频会商",
    "统计分析",
    "移动应用",
];

/// A system as the facts need it: for work orders and fault grading.
#[derive(Clone, Debug)]
pub struct SystemRef {
    pub id: i64,
    pub agency_id: i64,
    pub class: &'static str,
    pub online_on: NaiveDate,
    pub offline_on: Option<NaiveDate>,
}

impl SystemRef {
    /// On the platform on `day`, as the grading counts it.
    pub fn on_platform(&self, day: NaiveDate) -> bool {
        self.online_on <= day && self.offline_on.is_none_or(|off| off > day)
    }
}

pub struct RegionIds {
    pub id: i64,
    /// The region's supervisor: records its facts.
    pub supervisor: i64,
    pub agencies: Vec<i64>,
    /// The systems of each contracted vendor (in the plan's vendor order).
    pub systems: Vec<Vec<SystemRef>>,
}

pub struct Ids {
    pub regions: Vec<RegionIds>,
    /// Every system of each vendor (in the plan's vendor order), in every region:
    /// the platform a fault is graded against (spec §3).
    pub vendor_systems: Vec<Vec<SystemRef>>,
    pub vendors: Vec<i64>,
}

/// A system planned but not yet written: its name is the key to read its id back.
struct PlannedSystem {
    name: String,
    region: usize,
    slot: usize,
    agency: usize,
    class: &'static str,
    protection_level: i32,
    online_on: NaiveDate,
    offline_on: Option<NaiveDate>,
}

pub async fn load(plan: &Plan, writer: &mut Writer<'_>, password_hash: &str) -> Result<Ids, DbErr> {
    let created = time::created_at(plan);
    let regions = regions(writer, created).await?;
    let vendors = vendors(writer, created).await?;
    contracts(plan, writer, &regions, &vendors, created).await?;
    let agencies = agencies(plan, writer, &regions, created).await?;
    let systems = systems(plan, writer, &regions, &vendors, &agencies, created).await?;
    let supervisors = users(writer, &regions, &vendors, password_hash, created).await?;
    writer.commit().await?;
    let mut vendor_systems = vec![Vec::new(); vendors.len()];
    for (r, region) in plan.regions.iter().enumerate() {
        for (slot, &vendor) in region.vendors.iter().enumerate() {
            vendor_systems[vendor].extend(systems[r][slot].iter().cloned());
        }
    }
    Ok(Ids {
        vendor_systems,
        regions: (0..REGIONS.len())
            .map(|r| RegionIds {
                id: regions[r],
                supervisor: supervisors[r],
                agencies: agencies[r].clone(),
                systems: systems[r].clone(),
            })
            .collect(),
        vendors,
    })
}

fn agency_name(region: usize, index: usize) -> String {
    let prefix = if region == 0 {
        "市"
    } else {
        REGIONS[region].name
    };
    let department = DEPARTMENTS[index % DEPARTMENTS.len()];
    match index / DEPARTMENTS.len() {
        0 => format!("{prefix}{department}"),
        n => format!("{prefix}{department}（{}）", n + 1),
    }
}

/// The municipality first (the districts' parent), then the districts.
async fn regions(writer: &mut Writer<'_>, created: DateTime<Utc>) -> Result<Vec<i64>, DbErr> {
    use entities::region::{Entity, Model};
    let row = |r: usize, parent_id| Model {
        id: 0,
        code: REGIONS[r].code.into(),
        name: REGIONS[r].name.into(),
        parent_id,
        scheme_code: REGIONS[r].scheme.into(),
        service_year_start_month: REGIONS[r].start_month as i32,
        created_at: created,
        notice_prefix: None,
        contact: None,
        terms_code: None,
    };
    let mut batch = Batch::<entities::region::ActiveModel>::new("regions");
    batch.push(writer, row(0, None)).await?;
    batch.flush(writer).await?;
    let city = ids_by(writer, Entity::find(), |m: &Model| m.code.clone()).await?[REGIONS[0].code];
    for r in 1..REGIONS.len() {
        batch.push(writer, row(r, Some(city))).await?;
    }
    batch.flush(writer).await?;
    let by_code = ids_by(writer, Entity::find(), |m: &Model| m.code.clone()).await?;
    Ok(REGIONS.iter().map(|r| by_code[r.code]).collect())
}

async fn vendors(writer: &mut Writer<'_>, created: DateTime<Utc>) -> Result<Vec<i64>, DbErr> {
    use entities::vendor::{Entity, Model};
    let mut batch = Batch::<entities::vendor::ActiveModel>::new("vendors");
    for (code, name) in VENDORS {
        let row = Model {
            id: 0,
            code: code.into(),
            name: name.into(),
            contact_emails: json!([format!("ops@{}.example.cn", code.to_lowercase())]),
            created_at: created,
        };
        batch.push(writer, row).await?;
    }
    batch.flush(writer).await?;
    let by_code = ids_by(writer, Entity::find(), |m: &Model| m.code.clone()).await?;
    Ok(VENDORS.iter().map(|(code, _)| by_code[*code]).collect())
}

/// One contract per region, vendor and service year; the municipality's are
/// larger, and each year's settlement grows by 3 %.
async fn contracts(
    plan: &Plan,
    writer: &mut Writer<'_>,
    regions: &[i64],
    vendors: &[i64],
    created: DateTime<Utc>,
) -> Result<(), DbErr> {
    let mut batch = Batch::<entities::contract::ActiveModel>::new("contracts");
    for (r, region) in plan.regions.iter().enumerate() {
        for &v in &region.vendors {
            let mut d = Draw::new(plan.seed, &[stream::AMOUNT, r as u64, v as u64]);
            let size = plan.vendors[v].size as i64;
            let thousands = if r == 0 {
                3_000 + 600 * size + d.between(0, 500)
            } else {
                400 + 200 * size + d.between(0, 200)
            };
            for (i, &year) in plan.years.iter().enumerate() {
                let settlement = Decimal::from(thousands * 1_000 * (100 + 3 * i as i64) / 100);
                let row = entities::contract::Model {
                    id: 0,
                    vendor_id: vendors[v],
                    region_id: regions[r],
                    service_year: year,
                    settlement_amount: settlement,
                    monthly_fee: (settlement / Decimal::from(12)).round_dp(2),
                    signed_on: None,
                    term_start: None,
                    term_end: None,
                    created_at: created,
                    agency_id: None,
                    terms_code: None,
                    terms_version: None,
                };
                batch.push(writer, row).await?;
            }
        }
    }
    batch.flush(writer).await
}

async fn agencies(
    plan: &Plan,
    writer: &mut Writer<'_>,
    regions: &[i64],
    created: DateTime<Utc>,
) -> Result<Vec<Vec<i64>>, DbErr> {
    use entities::agency::{Entity, Model};
    let mut batch = Batch::<entities::agency::ActiveModel>::new("agencies");
    for (r, region) in plan.regions.iter().enumerate() {
        for i in 0..region.agencies as usize {
            let row = Model {
                id: 0,
                region_id: regions[r],
                name: agency_name(r, i),
                created_at: created,
            };
            batch.push(writer, row).await?;
        }
    }
    batch.flush(writer).await?;
    let by_key = ids_by(writer, Entity::find(), |m: &Model| {
        (m.region_id, m.name.clone())
    })
    .await?;
    Ok(plan
        .regions
        .iter()
        .enumerate()
        .map(|(r, region)| {
            (0..region.agencies as usize)
                .map(|i| by_key[&(regions[r], agency_name(r, i))])
                .collect()
        })
        .collect())
}

fn planned_systems(plan: &Plan) -> Vec<PlannedSystem> {
    let start = time::window_start(plan);
    let days = 365 * plan.years.len() as i64;
    let mut systems = Vec::new();
    for (r, region) in plan.regions.iter().enumerate() {
        let mut in_region = 0usize;
        for (slot, &count) in region.systems.iter().enumerate() {
            for k in 0..count {
                let n = systems.len();
                let mut d = Draw::new(plan.seed, &[stream::SYSTEM, n as u64]);
                let agency = in_region % region.agencies as usize;
                in_region += 1;
                let class = ["A", "B", "C"][d.weighted(&[5, 25, 70])];
                // 等保 level: class A systems are mostly level 3 or 4.
                let protection_level = match class {
                    "A" => d.between(3, 4),
                    "B" => d.between(2, 3),
                    _ => d.between(1, 2),
                } as i32;
                // The first system of each vendor is on the platform throughout,
                // so every vendor has a system a fault can hit.
                let settled = k == 0 || d.chance(85_000);
                let online_on = if settled {
                    start - Duration::days(d.between(30, 6 * 365))
                } else {
                    start + Duration::days(d.between(0, days - 30))
                };
                let offline_on = (k > 0 && d.chance(5_000))
                    .then(|| online_on + Duration::days(d.between(180, 1_000)));
                systems.push(PlannedSystem {
                    name: format!(
                        "{}{}系统-{:05}",
                        agency_name(r, agency),
                        d.pick(&SYSTEM_KINDS),
                        n + 1
                    ),
                    region: r,
                    slot,
                    agency,
                    class,
                    protection_level,
                    online_on,
                    offline_on,
                });
            }
        }
    }
    systems
}

async fn systems(
    plan: &Plan,
    writer: &mut Writer<'_>,
    regions: &[i64],
    vendors: &[i64],
    agencies: &[Vec<i64>],
    created: DateTime<Utc>,
) -> Result<Vec<Vec<Vec<SystemRef>>>, DbErr> {
    use entities::information_system::{Entity, Model};
    let planned = planned_systems(plan);
    let mut batch = Batch::<entities::information_system::ActiveModel>::new("information_systems");
    for s in &planned {
        let row = Model {
            id: 0,
            region_id: regions[s.region],
            agency_id: agencies[s.region][s.agency],
            vendor_id: vendors[plan.regions[s.region].vendors[s.slot]],
            name: s.name.clone(),
            class: s.class.into(),
            protection_level: s.protection_level,
            online_on: s.online_on,
            offline_on: s.offline_on,
            created_at: created,
        };
        batch.push(writer, row).await?;
    }
    batch.flush(writer).await?;
    let by_name = ids_by(writer, Entity::find(), |m: &Model| m.name.clone()).await?;
    let mut out: Vec<Vec<Vec<SystemRef>>> = plan
        .regions
        .iter()
        .map(|r| vec![Vec::new(); r.vendors.len()])
        .collect();
    for s in planned {
        out[s.region][s.slot].push(SystemRef {
            id: by_name[&s.name],
            agency_id: agencies[s.region][s.agency],
            class: s.class,
            online_on: s.online_on,
            offline_on: s.offline_on,
        });
    }
    Ok(out)
}

/// `vendor-01` … `vendor-12` and `supervisor-<region code>`, all with the one
/// hash (argon2 is deliberately slow). Returns the supervisors' ids.
async fn users(
    writer: &mut Writer<'_>,
    regions: &[i64],
    vendors: &[i64],
    password_hash: &str,
    created: DateTime<Utc>,
) -> Result<Vec<i64>, DbErr> {
    use entities::user::{Entity, Model};
    let user = |username: String, role: RoleKind, region_id, vendor_id| Model {
        id: 0,
        username,
        password_hash: password_hash.to_owned(),
        role: role.as_str().into(),
        region_id,
        vendor_id,
        agency_id: None,
        disabled: false,
        created_at: created,
        password_changed_at: created,
        tokens_valid_after: None,
        email: None,
    };
    let mut batch = Batch::<entities::user::ActiveModel>::new("users");
    for (i, &vendor) in vendors.iter().enumerate() {
        let row = user(vendor_username(i), RoleKind::Vendor, None, Some(vendor));
        batch.push(writer, row).await?;
    }
    for (r, &region) in regions.iter().enumerate() {
        let row = user(
            supervisor_username(r),
            RoleKind::Supervisor,
            Some(region),
            None,
        );
        batch.push(writer, row).await?;
    }
    batch.flush(writer).await?;
    let by_name = ids_by(writer, Entity::find(), |m: &Model| m.username.clone()).await?;
    Ok((0..regions.len())
        .map(|r| by_name[&supervisor_username(r)])
        .collect())
}

pub fn vendor_username(vendor: usize) -> String {
    format!("vendor-{:02}", vendor + 1)
}

pub fn supervisor_username(region: usize) -> String {
    format!("supervisor-{}", REGIONS[region].code)
}

/// Every row's id by a key of the row.
async fn ids_by<E, K>(
    writer: &Writer<'_>,
    select: sea_orm::Select<E>,
    key: impl Fn(&E::Model) -> K,
) -> Result<BTreeMap<K, i64>, DbErr>
where
    E: EntityTrait,
    E::Model: HasId,
    K: Ord,
{
    Ok(select
        .all(writer.txn()?)
        .await?
        .iter()
        .map(|m| (key(m), m.id()))
        .collect())
}

/// The id of a reference row (the entities have no common trait for it).
pub trait HasId {
    fn id(&self) -> i64;
}

macro_rules! has_id {
    ($($m:path),*) => { $(impl HasId for $m { fn id(&self) -> i64 { self.id } })* };
}

has_id!(
    entities::region::Model,
    entities::vendor::Model,
    entities::agency::Model,
    entities::information_system::Model,
    entities::user::Model
);
