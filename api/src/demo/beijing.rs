//! The Beijing demo region (issue 15 item 6): 北京市（演示） under the Beijing
//! lease terms (`bj-lease`), 太极计算机股份有限公司 serving one agency's system
//! under seed 002's contract — its ten lines (1,105,728.00), 70/30 instalments
//! with the first paid, its term 2023-12-28 to 2024-12-27 —, a supervisor and
//! a vendor user. The seeds publish no Beijing scorecard, so the region scores
//! with the Shanghai municipal scheme. Loaded once (skipped when the region
//! exists), also into a database that has the Shanghai demo already.

use chrono::{NaiveDate, Utc};
use entities::contract_contact::ContactParty;
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    IntoActiveModel, QueryFilter, Set,
};

use super::insert;
use crate::auth::password;
use crate::error::{DomainError, DomainResult};
use crate::graphql::agencies::Agencies;
use crate::graphql::regions::Regions;
use crate::graphql::systems::InformationSystems;
use crate::graphql::users::Users;
use crate::graphql::vendors::Vendors;
use domain::actor::{Actor, Role, RoleKind};
use domain::contract_scope::{ContactInput, ScopeInput, SystemInput};
use domain::contracts::{InstalmentInput, LineInput, Signing};
use domain::db;

mod work_orders;

pub const REGION_CODE: &str = "bj-demo";
pub const REGION_NAME: &str = "北京市（演示）";
pub const VENDOR_NAME: &str = "太极计算机股份有限公司";

/// The Beijing demo users and their passwords, as the README lists them.
pub const USERS: [(&str, &str, RoleKind); 2] = [
    ("demo-beijing", "Demo-beijing-2026", RoleKind::Supervisor),
    ("demo-taiji", "Demo-taiji-2026", RoleKind::Vendor),
];

/// What the loader made, for the steps after the reference data.
pub struct Beijing {
    pub region_id: i64,
    pub vendor_id: i64,
    pub agency_id: i64,
    pub system_id: i64,
    pub supervisor_id: i64,
    pub contract_id: i64,
}

pub async fn load(conn: &DatabaseConnection, public_url: &str) -> DomainResult<()> {
    let exists = entities::region::Entity::find()
        .filter(entities::region::Column::Code.eq(REGION_CODE))
        .one(conn)
        .await?
        .is_some();
    if exists {
        return Ok(());
    }
    let txn = db::write_txn(conn).await?;
    let mut bj = reference_data(&txn).await?;
    txn.commit().await?;
    bj.contract_id = sign_seed_002(conn, &bj).await?;
    first_instalment_paid(conn, bj.contract_id).await?;
    beijing_breaches(conn, &bj, public_url).await?;
    work_orders::load(conn, &bj).await?;
    tracing::info!("loaded the demo data (region {REGION_CODE})");
    Ok(())
}

/// The register of the demo: a 150-minute outage on 5 March 2024 that the
/// detection pass proposes (general row 5: 92,144.00 × 30 % = 27,643.20),
/// left for the supervisor to confirm or dismiss, and an expansion not done
/// within 7 days recorded by hand on 12 June 2024 (general row 4:
/// 92,144.00 × 20 % = 18,428.80), confirmed, noticed and mailed. The term
/// (2023-12-28 to 2024-12-27) is long past, beyond the daily check's reach,
/// so the detection pass runs as of the day after the outage.
async fn beijing_breaches(
    conn: &DatabaseConnection,
    bj: &Beijing,
    public_url: &str,
) -> DomainResult<()> {
    let outage_start = at(day(2024, 3, 5), 9, 40);
    insert_outage(conn, bj, outage_start, 150).await?;
    jobs::breaches::detect_in_region(conn, bj.region_id, at(day(2024, 3, 6), 2, 0))
        .await
        .map_err(DomainError::from)?;
    let actor = supervisor(bj);
    let audit = domain::audit::Audit::of_actor("recordBreach", &actor, None, None);
    let new = domain::breaches::NewBreach {
        region_id: bj.region_id,
        vendor_id: bj.vendor_id,
        system_id: Some(bj.system_id),
        occurred_at: at(day(2024, 6, 12), 10, 0),
        description: "使用单位6月3日书面提出扩容需求（云主机 8 vCPU），服务商至6月12日仍未完成扩容"
            .into(),
        evidence: Some("扩容申请单及管理单位6月10日书面催办通知".into()),
        rows: vec![engine::contract_terms::RowRef::new("general", 4)],
        items: 1,
        incident_level: None,
        security_rectification_late: false,
    };
    jobs::breach_notices::record(
        conn,
        &actor,
        &audit,
        new,
        public_url,
        at(day(2024, 6, 12), 16, 0),
    )
    .await
    .map_err(DomainError::from)?;
    Ok(())
}

async fn insert_outage(
    conn: &DatabaseConnection,
    bj: &Beijing,
    start: chrono::DateTime<Utc>,
    minutes: i64,
) -> DomainResult<()> {
    let outage = entities::outage::Model {
        id: 0,
        region_id: bj.region_id,
        vendor_id: bj.vendor_id,
        service: "云主机".into(),
        description: "宿主机故障导致系统中断".into(),
        started_at: start,
        ended_at: Some(start + chrono::Duration::minutes(minutes)),
        confirmed: true,
        vendor_liable: true,
        recorded_by: bj.supervisor_id,
        recorded_at: start + chrono::Duration::minutes(minutes + 30),
    };
    let mut active = outage.into_active_model().reset_all();
    active.not_set(entities::outage::Column::Id);
    active.insert(conn).await?;
    Ok(())
}

fn supervisor(bj: &Beijing) -> Actor {
    Actor {
        user_id: bj.supervisor_id,
        role: Role::Supervisor {
            region_id: bj.region_id,
        },
    }
}

fn at(day: NaiveDate, hour: u32, minute: u32) -> chrono::DateTime<Utc> {
    use chrono::TimeZone;
    engine::calendar::SHANGHAI
        .from_local_datetime(&day.and_hms_opt(hour, minute, 0).expect("valid time"))
        .single()
        .expect("fixed offset")
        .with_timezone(&Utc)
}

async fn reference_data(txn: &DatabaseTransaction) -> DomainResult<Beijing> {
    let now = Utc::now();
    let region = insert::<Regions>(
        txn,
        entities::region::Model {
            id: 0,
            code: REGION_CODE.into(),
            name: REGION_NAME.into(),
            parent_id: None,
            // The seeds publish no Beijing scorecard: the municipal scheme of
            // Shanghai stands in until an administrator gives it another.
            scheme_code: "sh-municipal".into(),
            service_year_start_month: 1,
            created_at: now,
            notice_prefix: Some("京政云监".into()),
            contact: Some("北京市大数据中心政务云监管组 王工 010-00000000".into()),
            terms_code: Some("bj-lease".into()),
        },
    )
    .await?;
    let vendor_id = taiji(txn).await?;
    let agency = insert::<Agencies>(
        txn,
        entities::agency::Model {
            id: 0,
            region_id: region.id,
            name: "北京市经济和信息化局（演示）".into(),
            created_at: now,
        },
    )
    .await?;
    let system = insert::<InformationSystems>(
        txn,
        entities::information_system::Model {
            id: 0,
            region_id: region.id,
            agency_id: agency.id,
            vendor_id,
            name: "北京市政务服务业务系统".into(),
            class: "B".into(),
            protection_level: 3,
            online_on: day(2023, 12, 28),
            offline_on: None,
            created_at: now,
        },
    )
    .await?;
    let mut supervisor_id = 0;
    for (username, secret, role) in USERS {
        let (region_id, vendor) = match role {
            RoleKind::Supervisor => (Some(region.id), None),
            _ => (None, Some(vendor_id)),
        };
        let user = insert::<Users>(
            txn,
            entities::user::Model {
                id: 0,
                username: username.into(),
                password_hash: password::hash(secret)?,
                role: role.as_str().into(),
                region_id,
                vendor_id: vendor,
                agency_id: None,
                disabled: false,
                created_at: now,
                password_changed_at: now,
                tokens_valid_after: None,
                email: None,
            },
        )
        .await?;
        if role == RoleKind::Supervisor {
            supervisor_id = user.id;
        }
    }
    Ok(Beijing {
        region_id: region.id,
        vendor_id,
        agency_id: agency.id,
        system_id: system.id,
        supervisor_id,
        contract_id: 0,
    })
}

/// 太极, as an administrator may have entered it already, else added.
async fn taiji(txn: &DatabaseTransaction) -> DomainResult<i64> {
    let found = entities::vendor::Entity::find()
        .filter(entities::vendor::Column::Name.eq(VENDOR_NAME))
        .one(txn)
        .await?;
    if let Some(v) = found {
        return Ok(v.id);
    }
    let v = insert::<Vendors>(
        txn,
        entities::vendor::Model {
            id: 0,
            code: "DEMO-TJ".into(),
            name: VENDOR_NAME.into(),
            contact_emails: serde_json::json!(["gov-cloud@taiji.example.cn"]),
            created_at: Utc::now(),
        },
    )
    .await?;
    Ok(v.id)
}

/// Seed 002 §3(1) line by line, unit price × quantity × 12 months; the sum
/// is 1,105,728.00 (合计 in the seed). Signed in 2023, when no catalogue
/// price of 2018–2019 is in force: every line is flagged for review.
const SEED_002_LINES: [(&str, &str, i64, u32, i64); 10] = [
    ("vCPU（主频不低于 2.4GHz）", "1 CPU", 100, 2, 494),
    ("内存", "1 GB", 3_500, 2, 1_168),
    ("普通存储", "1 GB", 1, 2, 25_000),
    ("高性能存储", "1 GB", 22, 2, 27_000),
    ("本地备份服务", "1 GB", 4, 1, 25_000),
    ("互联网链路带宽", "1 Mb", 5_500, 2, 600),
    ("互联网 IP 地址租用服务", "1 IP", 2_000, 2, 3),
    ("主机负载均衡服务", "1 IP（内网）", 1_000, 2, 6),
    ("远程接入服务", "1 账号", 48_000, 2, 3),
    ("WAF 防护", "1 IP（互联网）", 1_000, 2, 2),
];

/// Signs seed 002's contract through the domain, as the supervisor would.
async fn sign_seed_002(conn: &DatabaseConnection, bj: &Beijing) -> DomainResult<i64> {
    let actor = Actor {
        user_id: bj.supervisor_id,
        role: Role::Supervisor {
            region_id: bj.region_id,
        },
    };
    let audit = domain::audit::Audit::of_actor("signContract", &actor, None, None);
    let lines = SEED_002_LINES
        .iter()
        .map(|&(what, unit, price, scale, quantity)| LineInput {
            item_id: None,
            description: what.into(),
            unit: unit.into(),
            unit_price: Decimal::new(price, scale),
            quantity: Decimal::from(quantity),
            months: 12,
        })
        .collect();
    let contact = |party, role: &str, name: &str, phone: &str| ContactInput {
        party,
        role: role.into(),
        name: name.into(),
        phone: Some(phone.into()),
        email: None,
    };
    let signing = Signing {
        vendor_id: bj.vendor_id,
        region_id: bj.region_id,
        service_year: 2024,
        signed_on: day(2023, 12, 28),
        term_start: day(2023, 12, 28),
        term_end: day(2024, 12, 27),
        lines,
        instalments: vec![
            InstalmentInput {
                percent: Decimal::from(70),
                condition: "合同签订后且财政经费下达后15个工作日内".into(),
            },
            InstalmentInput {
                percent: Decimal::from(30),
                condition: "云资源开通2个月且财政经费下达后，并通过初步验收后15个工作日内".into(),
            },
        ],
        scope: ScopeInput {
            agency_id: Some(bj.agency_id),
            systems: vec![SystemInput {
                system_id: bj.system_id,
                share: None,
            }],
            contacts: vec![
                contact(ContactParty::Agency, "项目联系人", "刘处长", "010-00000001"),
                contact(ContactParty::Vendor, "项目经理", "陈经理", "010-00000002"),
                contact(
                    ContactParty::Supervisor,
                    "监管联系人",
                    "王工",
                    "010-00000000",
                ),
            ],
            terms_code: Some("bj-lease".into()),
            terms_version: None,
        },
    };
    let signed = domain::contracts::sign(conn, &actor, &audit, signing).await?;
    Ok(signed.id)
}

/// The 70 % instalment was paid on 2024-01-17 (within 15 working days of
/// the signing); the final 30 % is not paid yet.
async fn first_instalment_paid(conn: &DatabaseConnection, contract_id: i64) -> DomainResult<()> {
    use entities::contract_instalment::{Column, Entity};
    let first = Entity::find()
        .filter(Column::ContractId.eq(contract_id))
        .filter(Column::Position.eq(1))
        .one(conn)
        .await?
        .ok_or_else(|| DomainError::not_found("the demo contract's first instalment"))?;
    let mut active = first.into_active_model();
    active.paid_on = Set(Some(day(2024, 1, 17)));
    let txn = db::write_txn(conn).await?;
    active.update(&txn).await?;
    txn.commit().await?;
    Ok(())
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}
