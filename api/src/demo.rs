//! `DEMO_DATA=1`: a realistic demo region so a newcomer sees real data at once.
//!
//! The municipality 上海市 (scheme `sh-municipal`) with the district 松江区
//! (`sh-songjiang`, service year from July), three vendors, twelve agencies,
//! fifty systems, three months (August to October 2026) of the municipality's
//! facts and the district's service year 2025 (July 2025 to June 2026, its
//! scheme being annual only), run and published, one dispute of the demo
//! vendor's failed month left open, plus one user per role. Loaded once (skipped when the demo region exists), in one
//! transaction. The numbers come from a fixed pseudo-random sequence, so every
//! start shows the same data.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder,
};
use serde_json::json;

use crate::auth::password;
use crate::error::{DomainError, DomainResult};
use crate::graphql::agencies::Agencies;
use crate::graphql::contracts::Contracts;
use crate::graphql::facts::{
    attendances::Attendances, changes::Changes, complaints::Complaints, faults::Faults,
    outages::Outages, security_accidents::SecurityAccidents, security_risks::SecurityRisks,
    service_tasks::ServiceTasks, survey_responses::SurveyResponses, trainings::Trainings,
    unticketed_deliveries::UnticketedDeliveries, violations::Violations, work_orders::WorkOrders,
};
use crate::graphql::regions::Regions;
use crate::graphql::systems::InformationSystems;
use crate::graphql::users::Users;
use crate::graphql::vendors::Vendors;
use domain::actor::RoleKind;
use domain::db;
use domain::period::shanghai;
use domain::store::Resource;
use jobs::runs::{self, Target, Trigger};

pub const REGION_CODE: &str = "DEMO-SH";
const DISTRICT_CODE: &str = "DEMO-SJ";

/// The demo users and their passwords, as the README lists them.
pub const USERS: [(&str, &str, RoleKind); 4] = [
    (
        "demo-supervisor",
        "Demo-supervisor-2026",
        RoleKind::Supervisor,
    ),
    ("demo-vendor", "Demo-vendor-2026", RoleKind::Vendor),
    ("demo-agency", "Demo-agency-2026", RoleKind::Agency),
    (
        "demo-songjiang",
        "Demo-songjiang-2026",
        RoleKind::Supervisor,
    ),
];

const VENDORS: [(&str, &str, &str); 3] = [
    ("HDY", "华东政务云科技有限公司", "ops@hdy.example.cn"),
    ("SCY", "申城云计算股份有限公司", "service@scy.example.cn"),
    ("PJY", "浦江数据服务有限公司", "noc@pjy.example.cn"),
];

const AGENCIES: [&str; 12] = [
    "市发展和改革委员会",
    "市经济和信息化委员会",
    "市教育委员会",
    "市公安局",
    "市民政局",
    "市财政局",
    "市人力资源和社会保障局",
    "市生态环境局",
    "松江区人民政府办公室",
    "松江区卫生健康委员会",
    "松江区市场监督管理局",
    "松江区城市管理行政执法局",
];

/// A fixed linear congruential sequence: reproducible without a dependency.
struct Sequence(u64);

impl Sequence {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next(100) < percent
    }
    /// A questionnaire's ten answers: Q1–Q9 drawn from `usual`, Q10 (the
    /// overall one, 8/6/4/2/0) from `overall`.
    fn answers(&mut self, usual: [i32; 5], overall: [i32; 4]) -> [i32; 10] {
        let mut answers = [0i32; 10];
        for (q, a) in answers.iter_mut().enumerate() {
            *a = if q == 9 {
                overall[self.next(4) as usize]
            } else {
                usual[self.next(5) as usize]
            };
        }
        answers
    }
}

pub mod beijing;

/// Loads the Shanghai demo, then the Beijing one (`beijing`), each once.
pub async fn load(conn: &DatabaseConnection, public_url: &str) -> DomainResult<()> {
    shanghai_demo(conn, public_url).await?;
    beijing::load(conn, public_url).await
}

async fn shanghai_demo(conn: &DatabaseConnection, public_url: &str) -> DomainResult<()> {
    let exists = entities::region::Entity::find()
        .filter(entities::region::Column::Code.eq(REGION_CODE))
        .one(conn)
        .await?
        .is_some();
    if exists {
        return Ok(());
    }
    let txn = db::write_txn(conn).await?;
    let loader = Loader {
        txn: &txn,
        now: Utc::now(),
    };
    loader.load().await?;
    txn.commit().await?;
    publish_months(conn, public_url).await?;
    dispute_failed_month(conn, public_url).await?;
    tracing::info!("loaded the demo data (region {REGION_CODE})");
    Ok(())
}

/// The demo's months of the municipality and the district's service year
/// 2025, run and published as the
/// scheduler and a supervisor would have done, so that the dashboards, the
/// vendor's own scores and the annual preview have results to show.
async fn publish_months(conn: &DatabaseConnection, public_url: &str) -> DomainResult<()> {
    for month in 8..=10 {
        let month = engine::Month::new(2026, month)
            .map_err(|e| DomainError::bad("period", e.to_string()))?;
        publish(conn, REGION_CODE, Target::Month(month), public_url).await?;
    }
    // Songjiang's scheme has only an annual scorecard.
    publish(conn, DISTRICT_CODE, Target::Year(2025), public_url).await
}

/// The demo vendor disputes a deduction of its latest failed month (the
/// first one naming a fact it can dispute), as it would from its scorecard,
/// so the dispute pages have one to show; left open for a supervisor.
async fn dispute_failed_month(conn: &DatabaseConnection, public_url: &str) -> DomainResult<()> {
    use entities::assessment_result::Column as R;
    let user = entities::user::Entity::find()
        .filter(entities::user::Column::Username.eq("demo-vendor"))
        .one(conn)
        .await?
        .ok_or_else(|| DomainError::not_found("User demo-vendor"))?;
    let vendor_id = user
        .vendor_id
        .ok_or_else(|| DomainError::Internal("demo-vendor has no vendor".into()))?;
    let failed = entities::assessment_result::Entity::find()
        .filter(R::VendorId.eq(vendor_id))
        .filter(R::Kind.eq(entities::assessment_run::RunKind::Monthly))
        .filter(R::Published.eq(true))
        .filter(R::Passed.eq(false))
        .order_by_desc(R::Period)
        .one(conn)
        .await?;
    let Some(failed) = failed else {
        tracing::warn!("the demo vendor failed no month: no demo dispute");
        return Ok(());
    };
    let stored = domain::assessments::StoredResult::of(&failed)?;
    let fact = stored
        .scorecard()
        .indicators
        .iter()
        .flat_map(|i| i.deductions.iter().flat_map(|d| d.facts.iter()))
        .find(|f| domain::disputes::DISPUTABLE.contains(&f.kind))
        .copied();
    let Some(fact) = fact else {
        return Ok(());
    };
    let actor = domain::actor::Actor {
        user_id: user.id,
        role: domain::actor::Role::Vendor { vendor_id },
    };
    let audit = domain::audit::Audit::of_actor("disputeDeduction", &actor, None, None);
    let new = domain::disputes::NewDispute {
        fact_kind: fact.kind.as_str().to_owned(),
        fact_id: fact.id,
        reason:
            "该事件系使用单位侧网络故障所致，非我方责任；使用单位已出具情况说明，请核实后取消扣分。"
                .to_owned(),
    };
    let settings = jobs::disputes::Settings {
        window_days: domain::disputes::DEFAULT_WINDOW_WORKING_DAYS,
        public_url,
    };
    jobs::disputes::file(
        conn,
        &actor,
        &audit,
        failed.id,
        new,
        None,
        settings,
        Utc::now(),
    )
    .await
    .map_err(DomainError::from)?;
    Ok(())
}

/// Runs and publishes one period of a demo region.
async fn publish(
    conn: &DatabaseConnection,
    code: &str,
    target: Target,
    public_url: &str,
) -> DomainResult<()> {
    let region = entities::region::Entity::find()
        .filter(entities::region::Column::Code.eq(code))
        .one(conn)
        .await?
        .ok_or_else(|| DomainError::not_found(format!("Region {code}")))?;
    let (region, scheme) = runs::prepare(conn, region.id, target).await?;
    let run = runs::execute(conn, &region, &scheme, target, Trigger::Schedule, None).await?;
    let txn = db::write_txn(conn).await?;
    jobs::publishing::publish_in(&txn, run.id, None, public_url, Utc::now()).await?;
    txn.commit().await?;
    Ok(())
}

async fn insert<R: Resource>(txn: &DatabaseTransaction, row: R::Model) -> DomainResult<R::Model> {
    let mut active = row.into_active_model().reset_all();
    active.not_set(R::ID);
    Ok(active.insert(txn).await?)
}

fn at(day: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    shanghai()
        .from_local_datetime(&day.and_hms_opt(hour, minute, 0).expect("valid time"))
        .single()
        .expect("fixed offset")
        .with_timezone(&Utc)
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// Who recorded the facts of one vendor in one region, and when: the parts
/// the demo's facts share.
struct Recording {
    region_id: i64,
    vendor_id: i64,
    recorded_by: i64,
    recorded_at: DateTime<Utc>,
}

/// A system as the loader keeps it: (system, region, vendor, agency).
type SystemIds = (i64, i64, i64, i64);

impl Recording {
    /// A confirmed, liable fault degrading one system (graded when inserted).
    fn fault(
        &self,
        system_id: i64,
        title: &str,
        occurred: DateTime<Utc>,
        reported: DateTime<Utc>,
        recovered: DateTime<Utc>,
    ) -> entities::fault::Model {
        entities::fault::Model {
            id: 0,
            region_id: self.region_id,
            vendor_id: self.vendor_id,
            title: title.into(),
            affected_system_ids: json!([system_id]),
            impact: "DEGRADED".into(),
            occurred_at: occurred,
            reported_at: Some(reported),
            recovered_at: Some(recovered),
            misreported: false,
            level: 0,
            grading_row: 0,
            level_override: None,
            level_override_reason: None,
            platform_systems: None,
            confirmed: true,
            vendor_liable: true,
            recorded_by: self.recorded_by,
            recorded_at: self.recorded_at,
        }
    }

    /// A confirmed, liable service task planned for `planned`.
    fn task(
        &self,
        title: String,
        planned: DateTime<Utc>,
        finished: DateTime<Utc>,
    ) -> entities::service_task::Model {
        entities::service_task::Model {
            id: 0,
            region_id: self.region_id,
            vendor_id: self.vendor_id,
            title,
            planned_at: planned,
            finished_at: Some(finished),
            confirmed: true,
            vendor_liable: true,
            recorded_by: self.recorded_by,
            recorded_at: self.recorded_at,
        }
    }

    /// An agency's letter about one of its systems; `confirmed`: checked and
    /// the vendor found liable, else still to be checked.
    fn complaint(
        &self,
        system: &SystemIds,
        description: &str,
        received_at: DateTime<Utc>,
        confirmed: bool,
    ) -> entities::complaint::Model {
        entities::complaint::Model {
            id: 0,
            region_id: self.region_id,
            vendor_id: self.vendor_id,
            agency_id: Some(system.3),
            system_id: Some(system.0),
            channel: "LETTER".into(),
            description: description.into(),
            received_at,
            confirmed,
            vendor_liable: confirmed,
            recorded_by: self.recorded_by,
            recorded_at: self.recorded_at,
        }
    }

    /// An agency's questionnaire (seed 003's ten answers) of a service year,
    /// collected by the supervision team's surveyor.
    fn survey(
        &self,
        agency_id: i64,
        service_year: i32,
        answers: [i32; 10],
        phone: &str,
        surveyed_on: NaiveDate,
    ) -> entities::survey_response::Model {
        entities::survey_response::Model {
            id: 0,
            region_id: self.region_id,
            vendor_id: self.vendor_id,
            agency_id,
            service_year,
            q1: answers[0],
            q2: answers[1],
            q3: answers[2],
            q4: answers[3],
            q5: answers[4],
            q6: answers[5],
            q7: answers[6],
            q8: answers[7],
            q9: answers[8],
            q10: answers[9],
            respondent_name: Some("信息化联络员".into()),
            respondent_unit: Some("信息中心".into()),
            respondent_phone: Some(phone.into()),
            surveying_body: Some("第三方监管团队".into()),
            surveyor: Some("监管专员".into()),
            surveyed_on: Some(surveyed_on),
            suggestions: None,
            recorded_by: self.recorded_by,
            recorded_at: self.recorded_at,
        }
    }
}

struct Loader<'a> {
    txn: &'a DatabaseTransaction,
    now: DateTime<Utc>,
}

struct Ids {
    city: i64,
    district: i64,
    vendors: Vec<i64>,
    agencies: Vec<(i64, i64)>,
    systems: Vec<SystemIds>,
    recorder: i64,
}

impl Ids {
    /// The vendor's systems in a region.
    fn systems_of(&self, vendor_id: i64, region_id: i64) -> Vec<&SystemIds> {
        self.systems
            .iter()
            .filter(|s| s.2 == vendor_id && s.1 == region_id)
            .collect()
    }
}

impl Loader<'_> {
    async fn load(&self) -> DomainResult<()> {
        let mut ids = self.reference_data().await?;
        ids.recorder = self.users(&ids).await?;
        let mut seq = Sequence(20261123);
        for month in 8..=10 {
            for (index, &vendor) in ids.vendors.iter().enumerate() {
                self.month_of_facts(&ids, &mut seq, index, vendor, month)
                    .await?;
            }
        }
        self.annual_facts(&ids, &mut seq).await?;
        self.agency_complaints(&ids).await?;
        // The district's year comes last so that the municipality's facts
        // stay those drawn before it was added.
        self.district_year(&ids, &mut seq).await
    }

    /// The demo's facts of a vendor in a region, recorded by the supervisor now.
    fn recording(&self, ids: &Ids, region_id: i64, vendor_id: i64) -> Recording {
        Recording {
            region_id,
            vendor_id,
            recorded_by: ids.recorder,
            recorded_at: self.now,
        }
    }

    /// Grades a fault as recording it does, and inserts it.
    async fn fault(&self, mut fault: entities::fault::Model) -> DomainResult<()> {
        domain::grading::grade_fault(self.txn, &mut fault, self.now).await?;
        insert::<Faults>(self.txn, fault).await?;
        Ok(())
    }

    async fn reference_data(&self) -> DomainResult<Ids> {
        let region =
            |code: &str, name: &str, parent, scheme: &str, start| entities::region::Model {
                id: 0,
                code: code.into(),
                name: name.into(),
                parent_id: parent,
                scheme_code: scheme.into(),
                service_year_start_month: start,
                created_at: self.now,
                // 上海市's notices are numbered 沪政云监〔2026〕第N号.
                notice_prefix: (code == REGION_CODE).then(|| "沪政云监".to_owned()),
                // Whom a vendor asks about a notice (named in its mail).
                contact: (code == REGION_CODE)
                    .then(|| "市大数据中心云监管科 张工 021-00000000".to_owned()),
                terms_code: None,
            };
        let city = insert::<Regions>(
            self.txn,
            region(REGION_CODE, "上海市（演示）", None, "sh-municipal", 1),
        )
        .await?
        .id;
        let district = insert::<Regions>(
            self.txn,
            region(
                DISTRICT_CODE,
                "松江区（演示）",
                Some(city),
                "sh-songjiang",
                7,
            ),
        )
        .await?
        .id;
        let mut vendors = Vec::new();
        for (i, (code, name, email)) in VENDORS.iter().enumerate() {
            let v = insert::<Vendors>(
                self.txn,
                entities::vendor::Model {
                    id: 0,
                    code: format!("DEMO-{code}"),
                    name: (*name).into(),
                    contact_emails: json!([email]),
                    created_at: self.now,
                },
            )
            .await?;
            // The district's service year 2025 (July 2025 to June 2026) has
            // ended: the demo assesses it (`district_year`).
            for (region_id, service_year, amount) in [
                (city, 2026, 3_600_000 + 450_000 * i as i64),
                (district, 2025, 1_200_000 + 150_000 * i as i64),
                (district, 2026, 1_200_000 + 150_000 * i as i64),
            ] {
                insert::<Contracts>(
                    self.txn,
                    entities::contract::Model {
                        id: 0,
                        vendor_id: v.id,
                        region_id,
                        service_year,
                        settlement_amount: Decimal::from(amount),
                        monthly_fee: (Decimal::from(amount) / Decimal::from(12)).round_dp(2),
                        signed_on: None,
                        term_start: None,
                        term_end: None,
                        created_at: self.now,
                        agency_id: None,
                        terms_code: None,
                        terms_version: None,
                    },
                )
                .await?;
            }
            vendors.push(v.id);
        }
        let mut agencies = Vec::new();
        for (i, name) in AGENCIES.iter().enumerate() {
            let region_id = if i < 8 { city } else { district };
            let a = insert::<Agencies>(
                self.txn,
                entities::agency::Model {
                    id: 0,
                    region_id,
                    name: (*name).into(),
                    created_at: self.now,
                },
            )
            .await?;
            agencies.push((a.id, region_id));
        }
        let mut systems = Vec::new();
        for n in 0..50usize {
            let (agency_id, region_id) = agencies[n % agencies.len()];
            let vendor_id = vendors[n % vendors.len()];
            let class = ["A", "B", "C", "C", "B"][n % 5];
            let s = insert::<InformationSystems>(
                self.txn,
                entities::information_system::Model {
                    id: 0,
                    region_id,
                    agency_id,
                    vendor_id,
                    name: format!(
                        "{}业务系统{:02}",
                        AGENCIES[n % AGENCIES.len()]
                            .trim_start_matches("市")
                            .trim_start_matches("松江区"),
                        n + 1
                    ),
                    class: class.into(),
                    protection_level: if class == "A" { 3 } else { 2 },
                    online_on: day(
                        2023 + (n % 3) as i32,
                        1 + (n % 12) as u32,
                        1 + (n % 28) as u32,
                    ),
                    offline_on: None,
                    created_at: self.now,
                },
            )
            .await?;
            systems.push((s.id, region_id, vendor_id, agency_id));
        }
        Ok(Ids {
            city,
            district,
            vendors,
            agencies,
            systems,
            recorder: 0,
        })
    }

    /// One user per role; returns the supervisor, who "recorded" the demo facts.
    async fn users(&self, ids: &Ids) -> DomainResult<i64> {
        let mut supervisor = 0;
        for (username, secret, role) in USERS {
            let (region_id, vendor_id, agency_id) = match (role, username) {
                (RoleKind::Supervisor, "demo-songjiang") => (Some(ids.district), None, None),
                (RoleKind::Supervisor, _) => (Some(ids.city), None, None),
                (RoleKind::Vendor, _) => (None, Some(ids.vendors[0]), None),
                _ => (None, None, Some(ids.agencies[0].0)),
            };
            let u = insert::<Users>(
                self.txn,
                entities::user::Model {
                    id: 0,
                    username: username.into(),
                    password_hash: password::hash(secret)?,
                    role: role.as_str().into(),
                    region_id,
                    vendor_id,
                    agency_id,
                    disabled: false,
                    created_at: self.now,
                    password_changed_at: self.now,
                    tokens_valid_after: None,
                    email: None,
                },
            )
            .await?;
            if username == "demo-supervisor" {
                supervisor = u.id;
            }
        }
        Ok(supervisor)
    }

    async fn month_of_facts(
        &self,
        ids: &Ids,
        seq: &mut Sequence,
        index: usize,
        vendor: i64,
        month: u32,
    ) -> DomainResult<()> {
        let region_id = ids.city;
        let (recorded_by, recorded_at) = (ids.recorder, self.now);
        let by = self.recording(ids, region_id, vendor);
        let own_systems = ids.systems_of(vendor, region_id);
        // Work orders: most on time, a few late or provisioned differently.
        for n in 0..(8 + seq.next(5)) {
            let system = own_systems[(n as usize) % own_systems.len()];
            let approved = at(
                day(2026, month, 1 + seq.next(26) as u32),
                9 + seq.next(8) as u32,
                0,
            );
            let days = if seq.chance(12) {
                9 + seq.next(4)
            } else {
                1 + seq.next(4)
            };
            insert::<WorkOrders>(
                self.txn,
                entities::work_order::Model {
                    id: 0,
                    region_id,
                    vendor_id: vendor,
                    agency_id: Some(system.3),
                    system_id: Some(system.0),
                    title: format!("云主机扩容申请 {month}-{n:02}"),
                    approved_at: approved,
                    completed_at: Some(approved + Duration::days(days as i64)),
                    provisioned_differently: seq.chance(5),
                    confirmed: true,
                    vendor_liable: true,
                    recorded_by,
                    recorded_at,
                },
            )
            .await?;
        }
        // Attendance: about 88 to 100 % of 22 working days × 8 h × 3 people.
        let required = Decimal::from(528);
        let actual = required - Decimal::from(seq.next(60));
        insert::<Attendances>(
            self.txn,
            entities::attendance::Model {
                id: 0,
                region_id,
                vendor_id: vendor,
                period: format!("2026-{month:02}"),
                required_hours: required,
                actual_hours: actual,
                recorded_by,
                recorded_at,
            },
        )
        .await?;
        // Outages on the vendor's services, mostly short.
        for (n, service) in ["ECS", "RDS", "OSS"].iter().enumerate() {
            if seq.chance(40) {
                let start = at(
                    day(2026, month, 3 + 7 * n as u32),
                    2 + seq.next(20) as u32,
                    seq.next(60) as u32,
                );
                insert::<Outages>(
                    self.txn,
                    entities::outage::Model {
                        id: 0,
                        region_id,
                        vendor_id: vendor,
                        service: (*service).into(),
                        description: format!("{service} 服务中断"),
                        started_at: start,
                        ended_at: Some(start + Duration::seconds(60 + seq.next(900) as i64)),
                        confirmed: true,
                        vendor_liable: seq.chance(80),
                        recorded_by,
                        recorded_at,
                    },
                )
                .await?;
            }
        }
        if seq.chance(50) {
            let system = own_systems[seq.next(own_systems.len() as u64) as usize];
            let occurred = at(day(2026, month, 10 + seq.next(10) as u32), 14, 5);
            let reported = occurred + Duration::minutes(5 + seq.next(150) as i64);
            let recovered = occurred + Duration::minutes(20 + seq.next(400) as i64);
            let fault = by.fault(
                system.0,
                "存储性能下降导致业务卡顿",
                occurred,
                reported,
                recovered,
            );
            self.fault(fault).await?;
        }
        for n in 0..2 {
            let planned = at(day(2026, month, 12 + 8 * n), 22, 0);
            let late = seq.chance(20);
            insert::<Changes>(
                self.txn,
                entities::change::Model {
                    id: 0,
                    region_id,
                    vendor_id: vendor,
                    title: format!("数据库版本升级 {month}-{n}"),
                    submitted_at: Some(planned - Duration::hours(if late { 24 } else { 96 })),
                    planned_at: planned,
                    executed_at: Some(planned),
                    emergency: false,
                    outcome: if seq.chance(10) {
                        "FAILED"
                    } else {
                        "SUCCEEDED"
                    }
                    .into(),
                    confirmed: true,
                    vendor_liable: true,
                    recorded_by,
                    recorded_at,
                },
            )
            .await?;
        }
        let deadline = at(day(2026, month, 25), 18, 0);
        let finished = deadline + Duration::days(if seq.chance(25) { 3 } else { -1 });
        let task = by.task(format!("{month}月例行巡检"), deadline, finished);
        insert::<ServiceTasks>(self.txn, task).await?;
        if index == 1 && month == 9 {
            let agency = ids.agencies[1].0;
            insert::<Complaints>(
                self.txn,
                entities::complaint::Model {
                    id: 0,
                    region_id,
                    vendor_id: vendor,
                    agency_id: Some(agency),
                    system_id: None,
                    channel: "LETTER".into(),
                    description: "资源交付多次延误，影响项目上线".into(),
                    received_at: at(day(2026, 9, 16), 10, 30),
                    confirmed: true,
                    vendor_liable: true,
                    recorded_by,
                    recorded_at,
                },
            )
            .await?;
            insert::<Violations>(
                self.txn,
                entities::violation::Model {
                    id: 0,
                    region_id,
                    vendor_id: vendor,
                    description: "未经审批擅自调整安全组策略".into(),
                    occurred_at: at(day(2026, 9, 22), 16, 0),
                    confirmed: true,
                    vendor_liable: true,
                    recorded_by,
                    recorded_at,
                },
            )
            .await?;
        }
        if index == 2 && month == 10 {
            insert::<UnticketedDeliveries>(
                self.txn,
                entities::unticketed_delivery::Model {
                    id: 0,
                    region_id,
                    vendor_id: vendor,
                    description: "无工单开通测试云主机 2 台".into(),
                    occurred_at: at(day(2026, 10, 14), 11, 0),
                    rectified_at: None,
                    confirmed: true,
                    vendor_liable: true,
                    recorded_by,
                    recorded_at,
                },
            )
            .await?;
        }
        Ok(())
    }

    /// The district's service year 2025 (July 2025 to June 2026), scored by
    /// Songjiang's annual scorecard (scoring-rules §4): routine tasks (A3),
    /// faults (E1, E4), a complaint (C1) and the questionnaires of the
    /// district's agencies about the vendors serving them (H1).
    async fn district_year(&self, ids: &Ids, seq: &mut Sequence) -> DomainResult<()> {
        let region_id = ids.district;
        for (index, &vendor) in ids.vendors.iter().enumerate() {
            let by = self.recording(ids, region_id, vendor);
            let own_systems = ids.systems_of(vendor, region_id);
            // A routine inspection every other month, now and then late.
            for n in 0..6u32 {
                let (year, month) = if n < 3 {
                    (2025, 7 + 2 * n)
                } else {
                    (2026, 2 * n - 5)
                };
                let planned = at(day(year, month, 25), 18, 0);
                let finished = planned + Duration::days(if seq.chance(20) { 4 } else { -1 });
                let task = by.task(format!("{month}月松江区例行巡检"), planned, finished);
                insert::<ServiceTasks>(self.txn, task).await?;
            }
            for n in 0..(1 + seq.next(2)) {
                let system = own_systems[seq.next(own_systems.len() as u64) as usize];
                let occurred = at(day(2025, 9 + 3 * n as u32, 8 + seq.next(15) as u32), 10, 20);
                let reported = occurred + Duration::minutes(10 + seq.next(60) as i64);
                let recovered = occurred + Duration::minutes(30 + seq.next(200) as i64);
                let fault = by.fault(
                    system.0,
                    "网络抖动导致系统访问缓慢",
                    occurred,
                    reported,
                    recovered,
                );
                self.fault(fault).await?;
            }
            if index == 2 {
                let system = own_systems[0];
                let complaint = by.complaint(
                    system,
                    "系统迁移期间多次无法登录",
                    at(day(2025, 12, 9), 9, 15),
                    true,
                );
                insert::<Complaints>(self.txn, complaint).await?;
            }
            for (agency_id, agency_region) in &ids.agencies {
                let served = own_systems.iter().any(|s| s.3 == *agency_id);
                if *agency_region != region_id || !served {
                    continue;
                }
                let answers = seq.answers([4, 4, 4, 3, 3], [8, 8, 6, 6]);
                insert::<SurveyResponses>(
                    self.txn,
                    by.survey(*agency_id, 2025, answers, "021-5700 0000", day(2026, 6, 15)),
                )
                .await?;
            }
        }
        Ok(())
    }

    /// The demo agency's own complaints about the vendor hosting its systems
    /// (what its home page lists and charts): one in August, confirmed and
    /// liable (C1 −5: the vendor fails August and gets the notice its home
    /// shows), one in October still waiting to be checked (it does not count).
    async fn agency_complaints(&self, ids: &Ids) -> DomainResult<()> {
        let (agency_id, region_id) = ids.agencies[0];
        let system = ids
            .systems
            .iter()
            .find(|s| s.3 == agency_id)
            .ok_or_else(|| DomainError::not_found("a system of the demo agency"))?;
        let by = self.recording(ids, region_id, system.2);
        for (received_at, description, confirmed) in [
            (
                at(day(2026, 8, 18), 9, 40),
                "政务外网访问云主机频繁超时",
                true,
            ),
            (
                at(day(2026, 10, 27), 15, 10),
                "数据库备份恢复演练未按约定通知本单位",
                false,
            ),
        ] {
            let complaint = by.complaint(system, description, received_at, confirmed);
            insert::<Complaints>(self.txn, complaint).await?;
        }
        Ok(())
    }

    /// Trainings, security risks, accidents and survey responses of 2026.
    async fn annual_facts(&self, ids: &Ids, seq: &mut Sequence) -> DomainResult<()> {
        let region_id = ids.city;
        let (recorded_by, recorded_at) = (ids.recorder, self.now);
        for &vendor in &ids.vendors {
            let by = self.recording(ids, region_id, vendor);
            for n in 0..(14 + seq.next(8)) {
                insert::<Trainings>(
                    self.txn,
                    entities::training::Model {
                        id: 0,
                        region_id,
                        vendor_id: vendor,
                        title: format!("政务云运维培训 第{}期", n + 1),
                        held_at: at(
                            day(2026, 1 + (n % 10) as u32, 10 + seq.next(15) as u32),
                            14,
                            0,
                        ),
                        attendees: 3 + seq.next(20) as i32,
                        evidence: if seq.chance(90) {
                            json!(["SIGN_IN", "MATERIALS"])
                        } else {
                            json!([])
                        },
                        recorded_by,
                        recorded_at,
                    },
                )
                .await?;
            }
            let found = at(day(2026, 8, 5 + seq.next(20) as u32), 10, 0);
            let deadline = (found + Duration::days(30))
                .with_timezone(&shanghai())
                .date_naive();
            insert::<SecurityRisks>(
                self.txn,
                entities::security_risk::Model {
                    id: 0,
                    region_id,
                    vendor_id: vendor,
                    kind: "VULNERABILITY".into(),
                    description: "中间件高危漏洞（需升级补丁）".into(),
                    found_at: found,
                    deadline,
                    rectified_at: Some(
                        found + Duration::days(if seq.chance(30) { 40 } else { 12 }),
                    ),
                    confirmed: true,
                    vendor_liable: true,
                    recorded_by,
                    recorded_at,
                },
            )
            .await?;
            for (agency_id, agency_region) in &ids.agencies {
                if *agency_region != region_id {
                    continue;
                }
                let answers = seq.answers([4, 4, 3, 3, 2], [8, 6, 6, 4]);
                // Only an agency the vendor serves answers about it (one of its
                // systems is hosted there); the answers are drawn all the same so
                // that the rest of the demo stays as it was.
                let served = ids
                    .systems
                    .iter()
                    .any(|&(_, _, v, a)| v == vendor && a == *agency_id);
                if !served {
                    continue;
                }
                insert::<SurveyResponses>(
                    self.txn,
                    by.survey(
                        *agency_id,
                        2026,
                        answers,
                        "021-6000 0000",
                        day(2026, 10, 20),
                    ),
                )
                .await?;
            }
        }
        insert::<SecurityAccidents>(
            self.txn,
            entities::security_accident::Model {
                id: 0,
                region_id,
                vendor_id: ids.vendors[2],
                description: "弱口令导致测试主机被植入挖矿程序".into(),
                occurred_at: at(day(2026, 9, 3), 3, 20),
                level: 5,
                confirmed: true,
                vendor_liable: true,
                recorded_by,
                recorded_at,
            },
        )
        .await?;
        Ok(())
    }
}
