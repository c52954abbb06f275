//! Monthly usage per system and catalogue item (资源计量, issue 16 item 3;
//! seed 004 §6: 先用后付、按实结算): entered by a supervisor, or imported from
//! the cloud-management platform's export. An import is all or nothing (one
//! bad row, nothing written, the row and its column named) and idempotent by
//! month and system: a re-import replaces that system's figures of that month,
//! never adds to them. Each record is flagged `beyond_approved` when it is
//! above the approved quota plus approved expansions; test resources are
//! recorded like any other (metering leaves their free months out).

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, Set,
};

use crate::access::{self, Scope};
use crate::actor::Actor;
use crate::audit::{Audit, AuditedTxn, Change};
use crate::error::{DomainError, DomainResult};
use crate::page::Page;
use crate::quotas::{POLICY, item_state};
use crate::store::{self, ListFilter, Resource, TimeColumn};

use entities::usage_record::Column;
pub use entities::usage_record::{Model as UsageRecord, UsageSource};

resource!(UsageRecords => usage_record, name: "UsageRecord", policy: POLICY,
    region: Some(Column::RegionId), vendor: Some(Column::VendorId), agency: Some(Column::AgencyId),
    time: TimeColumn::MonthText(Column::Month),
    scope: |m| Scope { region: Some(m.region_id), vendor: Some(m.vendor_id), agency: Some(m.agency_id) });

/// One figure to record: a system's use of an item in a month.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsageLine {
    pub month: String,
    pub system_id: i64,
    pub item_id: i64,
    pub quantity: Decimal,
}

/// One row of the platform's export as read: 月份, 系统名称, 服务项目编码 or
/// 名称, 用量 (texts; checked here). The console's preview keeps them as
/// JSON until the import is confirmed.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct UsageRow {
    pub month: String,
    pub system: String,
    pub item: String,
    pub quantity: String,
    /// The line of the file the row was read from (the console's upload),
    /// which refusals name; rows given as a list are counted from 1.
    #[serde(default)]
    pub line: Option<usize>,
}

/// A line as it will be (or was) written, with what it replaces.
#[derive(Clone, Debug)]
pub struct Planned {
    pub line: UsageLine,
    pub system_name: String,
    pub item_code: String,
    pub item_name: String,
    /// The quota plus approved expansions of the item.
    pub approved: Decimal,
    pub beyond_approved: bool,
    /// The figure recorded before for the same system, item and month.
    pub replaces: Option<Decimal>,
}

/// Records one figure entered by a supervisor, replacing the month's figure
/// of that system and item if there is one.
pub async fn record(
    db: &DatabaseConnection,
    actor: &Actor,
    audit: &Audit,
    line: UsageLine,
    now: DateTime<Utc>,
) -> DomainResult<UsageRecord> {
    let month = crate::validate::month("input.month", line.month)?;
    let quantity = crate::validate::money("input.quantity", line.quantity)?;
    let line = UsageLine {
        month,
        quantity,
        ..line
    };
    let _db = crate::db_share::permit().await;
    let mut txn = audit.begin(db).await?;
    let system = writable_system(&txn, actor, "input.systemId", line.system_id, None).await?;
    let item = crate::quotas::item(&*txn, line.item_id).await?;
    let planned = plan(&*txn, line, &system, &item).await?;
    let saved = write(
        &mut txn,
        actor,
        vec![planned],
        false,
        UsageSource::Entered,
        now,
    )
    .await?;
    txn.commit().await?;
    saved
        .into_iter()
        .next()
        .ok_or_else(|| DomainError::Internal("usage: nothing written".into()))
}

/// The system `id` as the actor may write usage of it (in `region`, when an
/// import names one): a refusal naming `field` otherwise.
async fn writable_system(
    txn: &AuditedTxn<'_>,
    actor: &Actor,
    field: &str,
    id: i64,
    region: Option<i64>,
) -> DomainResult<entities::information_system::Model> {
    let system = entities::information_system::Entity::find_by_id(id)
        .one(&**txn)
        .await?
        .filter(|s| region.is_none_or(|r| r == s.region_id))
        .filter(|s| access::can_read(actor, &POLICY, scope_of(s)))
        .ok_or_else(|| DomainError::bad(field, "没有该信息系统"))?;
    if !access::can_create(actor, &POLICY, scope_of(&system)) {
        return Err(DomainError::forbidden(
            "only the region's supervisors record usage",
        ));
    }
    Ok(system)
}

fn scope_of(system: &entities::information_system::Model) -> Scope {
    Scope {
        region: Some(system.region_id),
        vendor: Some(system.vendor_id),
        agency: Some(system.agency_id),
    }
}

async fn plan(
    conn: &impl ConnectionTrait,
    line: UsageLine,
    system: &entities::information_system::Model,
    item: &entities::catalogue_item::Model,
) -> DomainResult<Planned> {
    refuse_closed_year(conn, system, &line.month).await?;
    let approved = item_state(conn, system.id, item.id).await?.approved();
    let replaces = entities::usage_record::Entity::find()
        .filter(Column::SystemId.eq(system.id))
        .filter(Column::ItemId.eq(item.id))
        .filter(Column::Month.eq(line.month.clone()))
        .one(conn)
        .await?
        .map(|r| engine::two_dp(r.quantity));
    Ok(Planned {
        beyond_approved: line.quantity > approved,
        line,
        system_name: system.name.clone(),
        item_code: item.code.clone(),
        item_name: item.name.clone(),
        approved: engine::two_dp(approved),
        replaces,
    })
}

/// A closed year's metered amounts are fixed (they are settlement amounts
/// and annual penalties): its usage may no longer change.
async fn refuse_closed_year(
    conn: &impl ConnectionTrait,
    system: &entities::information_system::Model,
    month: &str,
) -> DomainResult<()> {
    let region = entities::region::Entity::find_by_id(system.region_id)
        .one(conn)
        .await?
        .ok_or_else(|| DomainError::not_found(format!("Region {}", system.region_id)))?;
    let month = crate::metering::parse_month(month)?;
    let first = u32::try_from(region.service_year_start_month).unwrap_or(1);
    let start_year = if month.month() >= first {
        month.year()
    } else {
        month.year() - 1
    };
    if crate::metering::closed(conn, region.id, start_year)
        .await?
        .is_some()
    {
        return Err(DomainError::Conflict(format!(
            "{month} 属于 {start_year} 服务年度，该年度的计量已关闭，用量不能再修改"
        )));
    }
    Ok(())
}

/// Writes `planned` in `txn`: first removes what they replace (the whole
/// month of each system for an import, the one item's figure otherwise),
/// each removal and each new record audited.
async fn write(
    txn: &mut AuditedTxn<'_>,
    actor: &Actor,
    planned: Vec<Planned>,
    whole_month: bool,
    source: UsageSource,
    now: DateTime<Utc>,
) -> DomainResult<Vec<UsageRecord>> {
    let mut replaced = Condition::any();
    for p in &planned {
        let mut one = Condition::all()
            .add(Column::SystemId.eq(p.line.system_id))
            .add(Column::Month.eq(p.line.month.clone()));
        if !whole_month {
            one = one.add(Column::ItemId.eq(p.line.item_id));
        }
        replaced = replaced.add(one);
    }
    let old = entities::usage_record::Entity::find()
        .filter(replaced.clone())
        .all(&**txn)
        .await?;
    if !old.is_empty() {
        entities::usage_record::Entity::delete_many()
            .filter(replaced)
            .exec(&**txn)
            .await?;
    }
    for row in &old {
        let change =
            Change::on(UsageRecords::NAME, Some(row.id), UsageRecords::scope(row)).deleted(row)?;
        txn.record(change).await?;
    }
    let mut saved = Vec::with_capacity(planned.len());
    for p in planned {
        let system = entities::information_system::Entity::find_by_id(p.line.system_id)
            .one(&**txn)
            .await?
            .ok_or_else(|| DomainError::Internal("usage: system vanished".into()))?;
        let row = entities::usage_record::ActiveModel {
            region_id: Set(system.region_id),
            vendor_id: Set(system.vendor_id),
            agency_id: Set(system.agency_id),
            system_id: Set(system.id),
            item_id: Set(p.line.item_id),
            month: Set(p.line.month),
            quantity: Set(p.line.quantity),
            beyond_approved: Set(p.beyond_approved),
            source: Set(source),
            created_by: Set(Some(actor.user_id)),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&**txn)
        .await?;
        let change = Change::on(UsageRecords::NAME, Some(row.id), UsageRecords::scope(&row))
            .created(&row)?;
        txn.record(change).await?;
        saved.push(row);
    }
    Ok(saved)
}

/// The spreadsheet's column names, for the refusals.
pub const COLUMNS: [(&str, &str); 4] = [
    ("month", "月份"),
    ("system", "系统名称"),
    ("item", "服务项目编码或名称"),
    ("quantity", "用量"),
];

/// Where a row is: its index in the list and the line people see.
#[derive(Clone, Copy)]
struct At {
    index: usize,
    line: usize,
}

fn row_error(at: At, column: usize, reason: impl std::fmt::Display) -> DomainError {
    let (field, name) = COLUMNS[column];
    DomainError::bad(
        format!("rows[{}].{field}", at.index),
        format!("第 {} 行「{name}」：{reason}", at.line),
    )
}

/// Imports the platform's rows for `region_id`: checked all first (the first
/// bad row refused, naming its row and column: nothing written), then, unless
/// `dry_run`, written in one transaction replacing each system's month.
pub async fn import(
    db: &DatabaseConnection,
    actor: &Actor,
    audit: &Audit,
    region_id: i64,
    rows: Vec<UsageRow>,
    dry_run: bool,
    now: DateTime<Utc>,
) -> DomainResult<Vec<Planned>> {
    if rows.is_empty() {
        return Err(DomainError::bad("rows", "没有可导入的用量数据"));
    }
    let region_scope = Scope {
        region: Some(region_id),
        ..Scope::default()
    };
    if !access::can_create(actor, &POLICY, region_scope) {
        return Err(DomainError::forbidden(
            "only the region's supervisors import usage",
        ));
    }
    let _db = crate::db_share::permit().await;
    let mut txn = audit.begin(db).await?;
    let systems = entities::information_system::Entity::find()
        .filter(entities::information_system::Column::RegionId.eq(region_id))
        .all(&*txn)
        .await?;
    let items = entities::catalogue_item::Entity::find().all(&*txn).await?;
    let mut planned = Vec::with_capacity(rows.len());
    let mut seen = BTreeSet::new();
    for (index, row) in rows.into_iter().enumerate() {
        let at = At {
            index,
            line: row.line.unwrap_or(index + 1),
        };
        let line = parse_row(at, &row, &systems, &items)?;
        if !seen.insert((line.0.system_id, line.0.item_id, line.0.month.clone())) {
            return Err(row_error(at, 2, "同一系统、同一项目、同一月份重复出现"));
        }
        planned.push(plan(&*txn, line.0, line.1, line.2).await?);
    }
    if dry_run {
        return Ok(planned);
    }
    write(
        &mut txn,
        actor,
        planned.clone(),
        true,
        UsageSource::Imported,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(planned)
}

type Resolved<'a> = (
    UsageLine,
    &'a entities::information_system::Model,
    &'a entities::catalogue_item::Model,
);

/// One row checked and resolved: the system by its name in the region, the
/// item by its code or, failing that, its name.
fn parse_row<'a>(
    at: At,
    row: &UsageRow,
    systems: &'a [entities::information_system::Model],
    items: &'a [entities::catalogue_item::Model],
) -> DomainResult<Resolved<'a>> {
    let month = crate::validate::month("month", row.month.clone())
        .map_err(|_| row_error(at, 0, format!("“{}”不是月份（YYYY-MM）", row.month)))?;
    let name = row.system.trim();
    let system = systems
        .iter()
        .find(|s| s.name == name)
        .ok_or_else(|| row_error(at, 1, format!("本区域没有名为“{name}”的信息系统")))?;
    let wanted = row.item.trim();
    let by_name: HashMap<&str, &entities::catalogue_item::Model> =
        items.iter().map(|i| (i.name.as_str(), i)).collect();
    let item = items
        .iter()
        .find(|i| i.code == wanted)
        .or_else(|| by_name.get(wanted).copied())
        .ok_or_else(|| row_error(at, 2, format!("服务目录中没有编码或名称为“{wanted}”的项目")))?;
    let text = row.quantity.trim().replace(',', "");
    let quantity = text
        .parse::<Decimal>()
        .ok()
        .and_then(|q| crate::validate::money("quantity", q).ok())
        .ok_or_else(|| {
            row_error(
                at,
                3,
                format!("“{}”不是不小于 0、至多两位小数的数字", row.quantity),
            )
        })?;
    Ok((
        UsageLine {
            month,
            system_id: system.id,
            item_id: item.id,
            quantity,
        },
        system,
        item,
    ))
}

/// What a usage list is narrowed to, beyond the store's filter.
#[derive(Clone, Debug, Default)]
pub struct UsageFilter {
    pub region_id: Option<i64>,
    pub system_id: Option<i64>,
    /// First and last month (`YYYY-MM`, inclusive).
    pub from: Option<String>,
    pub to: Option<String>,
}

/// The usage records the actor may read, by month range and system.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: UsageFilter,
    offset: Option<i64>,
    limit: Option<i64>,
) -> DomainResult<Page<UsageRecord>> {
    let mut also = Condition::all();
    if let Some(system) = filter.system_id {
        also = also.add(Column::SystemId.eq(system));
    }
    if let Some(from) = filter.from {
        also = also.add(Column::Month.gte(crate::validate::month("filter.from", from)?));
    }
    if let Some(to) = filter.to {
        also = also.add(Column::Month.lte(crate::validate::month("filter.to", to)?));
    }
    let scope = ListFilter {
        region_id: filter.region_id,
        ..ListFilter::default()
    };
    store::list_where::<UsageRecords>(db, actor, scope, also, offset, limit).await
}
