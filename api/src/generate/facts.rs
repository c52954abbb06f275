//! The facts of the plan, generated cell by cell (one vendor in one region for
//! one month) and streamed into batched INSERTs: nothing holds more than one
//! batch of rows.
//!
//! The data is meant to score realistically: most work orders, tasks, changes
//! and risks are done in time, most outages are short and few are the
//! vendor's fault, faults are mostly minor. A vendor's `quality` (50–250 % of
//! the average rate of trouble) makes some vendors visibly worse than others.

use chrono::{DateTime, Duration, Utc};
use engine::fault_grading::{self, FaultInput, SystemClass};
use rust_decimal::Decimal;
use sea_orm::{ActiveModelTrait, IntoActiveModel};
use serde_json::json;

use super::GenerateError;
use super::bulk::{Batch, Writer};
use super::plan::{Cell, Draw, Kind, Plan, service_year_months, stream};
use super::reference::{Ids, SystemRef};
use super::time::{self, any_time_in, at, day_in, local_day, office_time_in};
use domain::grading;

const WORK_ORDER_KINDS: [&str; 10] = [
    "云主机开通",
    "云主机扩容",
    "云数据库开通",
    "块存储扩容",
    "对象存储开通",
    "带宽调整",
    "安全组策略调整",
    "负载均衡开通",
    "资源回收",
    "容器集群扩容",
];
const SERVICES: [&str; 9] = [
    "ECS", "RDS", "OSS", "SLB", "VPC", "Redis", "Kafka", "CDN", "WAF",
];
/// How often each service fails, relative to the others.
const SERVICE_WEIGHTS: [u64; 9] = [30, 18, 10, 10, 8, 8, 6, 5, 5];
const OUTAGE_CAUSES: [&str; 6] = [
    "宿主机故障导致实例重启",
    "网络抖动",
    "存储链路超时",
    "配置变更引起服务中断",
    "上游运营商线路中断",
    "负载过高导致响应超时",
];
const TASKS: [&str; 6] = [
    "例行巡检",
    "资源使用月报",
    "备份恢复演练",
    "漏洞扫描",
    "容量评估",
    "等保测评配合",
];
const CHANGES: [&str; 6] = [
    "数据库版本升级",
    "操作系统补丁更新",
    "网络设备割接",
    "存储扩容",
    "中间件升级",
    "安全策略调整",
];
const UNTICKETED: [&str; 3] = ["无工单开通测试云主机", "无工单扩容存储", "无工单调整带宽"];
const COMPLAINTS: [&str; 4] = [
    "资源交付多次延误，影响项目上线",
    "故障响应不及时",
    "服务人员沟通不畅",
    "费用账单与实际使用不符",
];
const FAULTS: [&str; 5] = [
    "存储性能下降导致业务卡顿",
    "数据库主备切换失败",
    "负载均衡异常导致访问失败",
    "云主机宕机",
    "网络丢包导致接口超时",
];
const VIOLATIONS: [&str; 3] = [
    "未经审批擅自调整安全组策略",
    "运维人员未按规定使用堡垒机",
    "未按要求留存操作日志",
];
const TRAININGS: [&str; 4] = [
    "政务云运维培训",
    "云资源申请流程培训",
    "网络安全意识培训",
    "数据备份与恢复培训",
];
const RISKS: [&str; 3] = [
    "中间件高危漏洞（需升级补丁）",
    "主机存在弱口令",
    "巡检发现磁盘故障隐患",
];
const ACCIDENTS: [&str; 3] = [
    "弱口令导致测试主机被植入挖矿程序",
    "配置错误导致数据短暂外泄",
    "遭受DDoS攻击致业务中断",
];

/// The cell weight (at scale 1) the trouble rates below are written for: two
/// thirds of the average cell (average 36), so most vendors pass. The scores deduct per event up to a cap, so a cell with
/// many more facts gets proportionally lower rates; otherwise the big vendors
/// of the municipality (and every vendor at scale 2) would fail every month.
const TYPICAL_CELL_WEIGHT: u64 = 24;

/// What every fact of a cell shares.
struct Scope<'a> {
    region_id: i64,
    vendor_id: i64,
    recorded_by: i64,
    quality: u64,
    /// Millionths of the written trouble rates that apply to this cell (at most all).
    damping_ppm: u64,
    year: i32,
    month: u32,
    systems: &'a [SystemRef],
    /// The vendor's systems in every region: the platform of fault grading.
    vendor_systems: &'a [SystemRef],
    agencies: &'a [i64],
}

impl<'a> Scope<'a> {
    fn of(plan: &Plan, ids: &'a Ids, cell: &Cell) -> Self {
        let region = &ids.regions[cell.region];
        let slot = plan.regions[cell.region]
            .vendors
            .iter()
            .position(|&v| v == cell.vendor)
            .expect("a cell's vendor has a contract in its region");
        Self {
            region_id: region.id,
            vendor_id: ids.vendors[cell.vendor],
            recorded_by: region.supervisor,
            quality: plan.vendors[cell.vendor].quality,
            damping_ppm: (TYPICAL_CELL_WEIGHT * 1_000_000_000_000
                / (cell.weight * plan.scale_ppm).max(1))
            .min(1_000_000),
            year: cell.year,
            month: cell.month,
            systems: &region.systems[slot],
            vendor_systems: &ids.vendor_systems[cell.vendor],
            agencies: &region.agencies,
        }
    }

    /// Something going wrong: `per_100k` for an average vendor in a typical
    /// cell, scaled by the vendor's quality and the cell's damping.
    fn trouble(&self, d: &mut Draw, per_100k: u64) -> bool {
        d.chance(per_100k * self.quality / 100 * self.damping_ppm / 1_000_000)
    }
}

type Make<M> = fn(&Scope, &mut Draw, u64) -> Result<M, GenerateError>;

pub async fn load(plan: &Plan, ids: &Ids, writer: &mut Writer<'_>) -> Result<(), GenerateError> {
    use entities::*;
    attendances(plan, ids, writer).await?;
    survey_responses(plan, ids, writer).await?;
    per_cell::<work_order::ActiveModel, _>(plan, ids, writer, Kind::WorkOrders, work_order).await?;
    per_cell::<outage::ActiveModel, _>(plan, ids, writer, Kind::Outages, outage).await?;
    per_cell::<service_task::ActiveModel, _>(plan, ids, writer, Kind::ServiceTasks, service_task)
        .await?;
    per_cell::<change::ActiveModel, _>(plan, ids, writer, Kind::Changes, change).await?;
    per_cell::<unticketed_delivery::ActiveModel, _>(
        plan,
        ids,
        writer,
        Kind::UnticketedDeliveries,
        unticketed_delivery,
    )
    .await?;
    per_cell::<complaint::ActiveModel, _>(plan, ids, writer, Kind::Complaints, complaint).await?;
    per_cell::<fault::ActiveModel, _>(plan, ids, writer, Kind::Faults, fault).await?;
    per_cell::<violation::ActiveModel, _>(plan, ids, writer, Kind::Violations, violation).await?;
    per_cell::<training::ActiveModel, _>(plan, ids, writer, Kind::Trainings, training).await?;
    per_cell::<security_risk::ActiveModel, _>(
        plan,
        ids,
        writer,
        Kind::SecurityRisks,
        security_risk,
    )
    .await?;
    per_cell::<security_accident::ActiveModel, _>(
        plan,
        ids,
        writer,
        Kind::SecurityAccidents,
        security_accident,
    )
    .await
}

/// The planned number of facts of `kind` in every cell, each from the cell's
/// own random stream (so one kind's rows do not depend on another's).
async fn per_cell<A, M>(
    plan: &Plan,
    ids: &Ids,
    writer: &mut Writer<'_>,
    kind: Kind,
    make: Make<M>,
) -> Result<(), GenerateError>
where
    A: ActiveModelTrait + Send,
    M: IntoActiveModel<A>,
{
    let mut batch = Batch::<A>::new(kind.table());
    for cell in &plan.cells {
        let n = plan.count(cell, kind);
        if n == 0 {
            continue;
        }
        let scope = Scope::of(plan, ids, cell);
        let mut d = Draw::new(plan.seed, &[stream::FACT, kind.salt(), cell.index]);
        for i in 0..n {
            batch.push(writer, make(&scope, &mut d, i)?).await?;
        }
    }
    Ok(batch.flush(writer).await?)
}

fn minutes(d: &mut Draw, lo: i64, hi: i64) -> Duration {
    Duration::minutes(d.between(lo, hi))
}

fn work_order(
    s: &Scope,
    d: &mut Draw,
    i: u64,
) -> Result<entities::work_order::Model, GenerateError> {
    let system = d.pick(s.systems);
    let approved = office_time_in(d, s.year, s.month);
    // Four calendar days are always within five working days; late ones take
    // more than two weeks.
    let completed = if s.trouble(d, 1_000) {
        approved + Duration::days(d.between(15, 25))
    } else {
        approved + minutes(d, 60, 4 * 24 * 60)
    };
    Ok(entities::work_order::Model {
        id: 0,
        region_id: s.region_id,
        vendor_id: s.vendor_id,
        agency_id: Some(system.agency_id),
        system_id: Some(system.id),
        title: format!(
            "{}申请 {}-{:04}",
            d.pick(&WORK_ORDER_KINDS),
            time::period(s.year, s.month),
            i + 1
        ),
        approved_at: approved,
        completed_at: Some(completed),
        provisioned_differently: s.trouble(d, 500),
        confirmed: true,
        vendor_liable: d.chance(97_000),
        recorded_by: s.recorded_by,
        recorded_at: approved + minutes(d, 10, 120),
    })
}

fn outage(s: &Scope, d: &mut Draw, _: u64) -> Result<entities::outage::Model, GenerateError> {
    let service = SERVICES[d.weighted(&SERVICE_WEIGHTS)];
    let started = any_time_in(d, s.year, s.month);
    // Mostly blips of seconds; a few minutes now and then; rarely long.
    let seconds = if s.trouble(d, 2_000) {
        d.between(600, 2_400)
    } else if d.chance(18_000) {
        d.between(120, 480)
    } else {
        d.between(5, 90)
    };
    let ended = started + Duration::seconds(seconds);
    Ok(entities::outage::Model {
        id: 0,
        region_id: s.region_id,
        vendor_id: s.vendor_id,
        service: service.into(),
        description: format!("{service} {}", d.pick(&OUTAGE_CAUSES)),
        started_at: started,
        ended_at: Some(ended),
        confirmed: d.chance(90_000),
        vendor_liable: s.trouble(d, 20_000),
        recorded_by: s.recorded_by,
        recorded_at: ended + minutes(d, 10, 180),
    })
}

fn service_task(
    s: &Scope,
    d: &mut Draw,
    _: u64,
) -> Result<entities::service_task::Model, GenerateError> {
    let planned = at(day_in(d, s.year, s.month), 18, 0, 0);
    let finished = if s.trouble(d, 2_000) {
        planned + Duration::hours(d.between(2, 120))
    } else {
        planned - minutes(d, 30, 72 * 60)
    };
    Ok(entities::service_task::Model {
        id: 0,
        region_id: s.region_id,
        vendor_id: s.vendor_id,
        title: format!("{} {}", d.pick(&TASKS), time::period(s.year, s.month)),
        planned_at: planned,
        finished_at: Some(finished),
        confirmed: true,
        vendor_liable: true,
        recorded_by: s.recorded_by,
        recorded_at: planned - Duration::days(d.between(3, 14)),
    })
}

fn change(s: &Scope, d: &mut Draw, _: u64) -> Result<entities::change::Model, GenerateError> {
    let planned = at(
        day_in(d, s.year, s.month),
        20 + d.below(4) as u32,
        30 * d.below(2) as u32,
        0,
    );
    let emergency = d.chance(5_000);
    // The notice is 72 h (exactly 72 h is in time); emergencies are exempt.
    let submitted = if emergency {
        Some(planned - Duration::hours(d.between(1, 12)))
    } else if s.trouble(d, 300) {
        None
    } else if s.trouble(d, 2_500) {
        Some(planned - Duration::hours(d.between(12, 71)))
    } else {
        Some(planned - Duration::hours(d.between(73, 240)))
    };
    let outcome = if s.trouble(d, 700) {
        "FAILED"
    } else if d.chance(2_000) {
        "ROLLED_BACK"
    } else {
        "SUCCEEDED"
    };
    let executed = planned + minutes(d, 0, 60);
    Ok(entities::change::Model {
        id: 0,
        region_id: s.region_id,
        vendor_id: s.vendor_id,
        title: d.pick(&CHANGES).to_string(),
        submitted_at: submitted,
        planned_at: planned,
        executed_at: Some(executed),
        emergency,
        outcome: outcome.into(),
        confirmed: true,
        vendor_liable: true,
        recorded_by: s.recorded_by,
        recorded_at: submitted.unwrap_or(executed) + minutes(d, 10, 120),
    })
}

fn unticketed_delivery(
    s: &Scope,
    d: &mut Draw,
    _: u64,
) -> Result<entities::unticketed_delivery::Model, GenerateError> {
    let occurred = office_time_in(d, s.year, s.month);
    let confirmed = d.chance(60_000);
    let vendor_liable = s.trouble(d, 25_000);
    // An unrectified liable delivery is deducted every month until fixed, so
    // nearly all of those are rectified.
    let rectified = if confirmed && vendor_liable {
        d.chance(99_000)
    } else {
        d.chance(70_000)
    };
    Ok(entities::unticketed_delivery::Model {
        id: 0,
        region_id: s.region_id,
        vendor_id: s.vendor_id,
        description: format!("{} {} 台", d.pick(&UNTICKETED), d.between(1, 6)),
        occurred_at: occurred,
        // Rectified the same afternoon (deliveries happen 09:00–17:59, so within
        // the month): charged in its own month only, as before the date was kept.
        rectified_at: rectified.then(|| occurred + Duration::hours(4)),
        confirmed,
        vendor_liable,
        recorded_by: s.recorded_by,
        recorded_at: occurred + Duration::hours(d.between(1, 72)),
    })
}

fn complaint(s: &Scope, d: &mut Draw, _: u64) -> Result<entities::complaint::Model, GenerateError> {
    let received = office_time_in(d, s.year, s.month);
    let agency_id = d.chance(90_000).then(|| *d.pick(s.agencies));
    let channel = ["LETTER", "PHONE", "EMAIL", "OTHER"][d.weighted(&[30, 40, 25, 5])];
    Ok(entities::complaint::Model {
        id: 0,
        region_id: s.region_id,
        vendor_id: s.vendor_id,
        agency_id,
        system_id: None,
        channel: channel.into(),
        description: d.pick(&COMPLAINTS).to_string(),
        received_at: received,
        confirmed: d.chance(50_000),
        vendor_liable: s.trouble(d, 20_000),
        recorded_by: s.recorded_by,
        recorded_at: received + minutes(d, 10, 24 * 60),
    })
}

/// A fault on one to three of the vendor's systems in the region on the
/// platform that day, graded by the six-level table exactly as
/// `grading::grade_fault` grades a saved fault: the platform is every system
/// of the vendor on the platform that day, in every region (counted in memory
/// instead of by a query per fault; the generator test re-grades every fault
/// through the API's code).
fn fault(s: &Scope, d: &mut Draw, _: u64) -> Result<entities::fault::Model, GenerateError> {
    let occurred = any_time_in(d, s.year, s.month);
    let day = local_day(occurred);
    let mut platform: Vec<&SystemRef> = s.systems.iter().filter(|x| x.on_platform(day)).collect();
    let n = if d.chance(85_000) {
        1
    } else {
        d.between(2, 3) as usize
    }
    .min(platform.len());
    for i in 0..n {
        let j = i + d.below((platform.len() - i) as u64) as usize;
        platform.swap(i, j);
    }
    let affected = &platform[..n];
    let unusable = d.chance(20_000);
    let duration = if unusable && d.chance(90_000) {
        minutes(d, 3, 28)
    } else if unusable {
        minutes(d, 31, 150)
    } else {
        minutes(d, 5, 200)
    } + Duration::seconds(d.between(0, 59));
    let recovered = occurred + duration;
    let reported = if s.trouble(d, 500) {
        None
    } else if s.trouble(d, 3_000) {
        Some(occurred + minutes(d, 15, 90))
    } else {
        Some(occurred + minutes(d, 1, 9))
    };
    let impact = if unusable { "UNUSABLE" } else { "DEGRADED" };
    let platform_systems = s
        .vendor_systems
        .iter()
        .filter(|x| x.on_platform(day))
        .count() as u32;
    let grade = fault_grading::grade(&FaultInput {
        affected_systems: n as u32,
        platform_systems,
        most_important_class: most_important(affected),
        impact: grading::impact(impact),
        duration_minutes: grading::duration_minutes(occurred, recovered),
    })
    .map_err(|e| GenerateError::Grading(e.to_string()))?;
    Ok(entities::fault::Model {
        id: 0,
        region_id: s.region_id,
        vendor_id: s.vendor_id,
        title: d.pick(&FAULTS).to_string(),
        affected_system_ids: json!(affected.iter().map(|x| x.id).collect::<Vec<_>>()),
        impact: impact.into(),
        occurred_at: occurred,
        reported_at: reported,
        recovered_at: Some(recovered),
        misreported: s.trouble(d, 1_000),
        level: i32::from(grade.level),
        grading_row: i32::from(grade.row),
        level_override: None,
        level_override_reason: None,
        platform_systems: Some(platform_systems as i32),
        confirmed: d.chance(90_000),
        vendor_liable: s.trouble(d, 35_000),
        recorded_by: s.recorded_by,
        recorded_at: recovered + minutes(d, 10, 240),
    })
}

/// The most important class among the systems (A before B before C).
fn most_important(systems: &[&SystemRef]) -> Option<SystemClass> {
    systems
        .iter()
        .filter_map(|x| grading::class(x.class))
        .min_by_key(|c| match c {
            SystemClass::A => 0,
            SystemClass::B => 1,
            SystemClass::C => 2,
        })
}

fn violation(s: &Scope, d: &mut Draw, _: u64) -> Result<entities::violation::Model, GenerateError> {
    let occurred = office_time_in(d, s.year, s.month);
    Ok(entities::violation::Model {
        id: 0,
        region_id: s.region_id,
        vendor_id: s.vendor_id,
        description: d.pick(&VIOLATIONS).to_string(),
        occurred_at: occurred,
        confirmed: d.chance(60_000),
        vendor_liable: s.trouble(d, 40_000),
        recorded_by: s.recorded_by,
        recorded_at: occurred + Duration::hours(d.between(1, 72)),
    })
}

fn training(s: &Scope, d: &mut Draw, i: u64) -> Result<entities::training::Model, GenerateError> {
    let held = at(day_in(d, s.year, s.month), 14, 30 * d.below(2) as u32, 0);
    // A training counts with at least 4 attendees and some evidence.
    let attendees = if d.chance(5_000) {
        d.between(1, 3)
    } else {
        d.between(4, 40)
    };
    let evidence = match d.weighted(&[50, 30, 17, 3]) {
        0 => json!(["SIGN_IN", "MATERIALS"]),
        1 => json!(["NOTICE", "SIGN_IN", "MATERIALS", "MINUTES"]),
        2 => json!(["NOTICE", "SIGN_IN"]),
        _ => json!([]),
    };
    Ok(entities::training::Model {
        id: 0,
        region_id: s.region_id,
        vendor_id: s.vendor_id,
        title: format!(
            "{} {}第{}期",
            d.pick(&TRAININGS),
            time::period(s.year, s.month),
            i + 1
        ),
        held_at: held,
        attendees: attendees as i32,
        evidence,
        recorded_by: s.recorded_by,
        recorded_at: held + Duration::hours(d.between(2, 72)),
    })
}

fn security_risk(
    s: &Scope,
    d: &mut Draw,
    _: u64,
) -> Result<entities::security_risk::Model, GenerateError> {
    let found = office_time_in(d, s.year, s.month);
    let kind = ["VULNERABILITY", "HIDDEN_FAULT", "INSPECTION"][d.weighted(&[60, 25, 15])];
    let days = *d.pick(&[7i64, 15, 30]);
    let deadline = local_day(found) + Duration::days(days);
    // In time: at the latest 12 hours before the deadline day ends.
    let rectified = if s.trouble(d, 2_000) {
        at(deadline + Duration::days(d.between(1, 20)), 16, 0, 0)
    } else {
        found + Duration::hours(d.between(4, days * 24 - 12))
    };
    Ok(entities::security_risk::Model {
        id: 0,
        region_id: s.region_id,
        vendor_id: s.vendor_id,
        kind: kind.into(),
        description: d.pick(&RISKS).to_string(),
        found_at: found,
        deadline,
        rectified_at: Some(rectified),
        confirmed: d.chance(95_000),
        vendor_liable: d.chance(90_000),
        recorded_by: s.recorded_by,
        recorded_at: found + minutes(d, 10, 240),
    })
}

fn security_accident(
    s: &Scope,
    d: &mut Draw,
    _: u64,
) -> Result<entities::security_accident::Model, GenerateError> {
    let occurred = any_time_in(d, s.year, s.month);
    // Level 1 (the gravest) never; mostly level 5.
    let level = 2 + d.weighted(&[2, 8, 20, 70]) as i32;
    Ok(entities::security_accident::Model {
        id: 0,
        region_id: s.region_id,
        vendor_id: s.vendor_id,
        description: d.pick(&ACCIDENTS).to_string(),
        occurred_at: occurred,
        level,
        confirmed: d.chance(80_000),
        vendor_liable: s.trouble(d, 30_000),
        recorded_by: s.recorded_by,
        recorded_at: occurred + Duration::hours(d.between(2, 48)),
    })
}

/// One record per vendor, region and month (the table's unique key): 3 to 7
/// staff × 8 h × 21 days required, mostly 92–100 % present.
async fn attendances(plan: &Plan, ids: &Ids, writer: &mut Writer<'_>) -> Result<(), GenerateError> {
    let mut batch = Batch::<entities::attendance::ActiveModel>::new("attendances");
    for cell in &plan.cells {
        let s = Scope::of(plan, ids, cell);
        let mut d = Draw::new(plan.seed, &[stream::ATTENDANCE, cell.index]);
        let required = (2 + plan.vendors[cell.vendor].size as i64) * 8 * 21;
        let short_percent = if s.trouble(&mut d, 3_000) {
            d.between(10, 20)
        } else {
            d.between(0, 8)
        };
        // Whole half hours.
        let actual_halves = required * 2 * (100 - short_percent) / 100;
        let first = time::date(cell.year, cell.month, 1);
        let row = entities::attendance::Model {
            id: 0,
            region_id: s.region_id,
            vendor_id: s.vendor_id,
            period: time::period(cell.year, cell.month),
            required_hours: Decimal::from(required),
            actual_hours: Decimal::new(actual_halves * 5, 1),
            recorded_by: s.recorded_by,
            recorded_at: at(time::next_month(first), 10, 0, 0) + Duration::days(d.between(0, 4)),
        };
        batch.push(writer, row).await?;
    }
    Ok(batch.flush(writer).await?)
}

/// One response per agency and service year, about the agency's main vendor
/// (the region's vendors in turn), in the last month of the service year.
/// Q1–Q9 are answered 4/3/2/1 and Q10 8/6/4/2; a poorer vendor gets fewer top
/// answers.
async fn survey_responses(
    plan: &Plan,
    ids: &Ids,
    writer: &mut Writer<'_>,
) -> Result<(), GenerateError> {
    let mut batch = Batch::<entities::survey_response::ActiveModel>::new("survey_responses");
    for (r, region) in plan.regions.iter().enumerate() {
        let region_ids = &ids.regions[r];
        for (a, &agency_id) in region_ids.agencies.iter().enumerate() {
            let vendor = region.vendors[a % region.vendors.len()];
            let weights = [95 - plan.vendors[vendor].quality / 5, 21, 3, 1];
            for &year in &plan.years {
                let mut d = Draw::new(
                    plan.seed,
                    &[stream::SURVEY, r as u64, a as u64, year as u64],
                );
                let mut answer = |top: i32| top - (top / 4) * d.weighted(&weights) as i32;
                let q: Vec<i32> = (0..9).map(|_| answer(4)).collect();
                let q10 = answer(8);
                let (last_year, last_month) = *service_year_months(region.spec.start_month, year)
                    .last()
                    .expect("12 months");
                let row = entities::survey_response::Model {
                    id: 0,
                    region_id: region_ids.id,
                    vendor_id: ids.vendors[vendor],
                    agency_id,
                    service_year: year,
                    q1: q[0],
                    q2: q[1],
                    q3: q[2],
                    q4: q[3],
                    q5: q[4],
                    q6: q[5],
                    q7: q[6],
                    q8: q[7],
                    q9: q[8],
                    q10,
                    respondent_name: Some(format!("联络员{}", a + 1)),
                    respondent_unit: Some("信息中心".into()),
                    respondent_phone: Some(format!("021-6{:07}", a + 1)),
                    surveying_body: Some("第三方监管团队".into()),
                    surveyor: Some("监管专员".into()),
                    surveyed_on: Some(time::date(last_year, last_month, 15)),
                    suggestions: None,
                    recorded_by: region_ids.supervisor,
                    recorded_at: recorded_on(time::date(last_year, last_month, 15)),
                };
                batch.push(writer, row).await?;
            }
        }
    }
    Ok(batch.flush(writer).await?)
}

fn recorded_on(day: chrono::NaiveDate) -> DateTime<Utc> {
    at(day, 10, 0, 0)
}
